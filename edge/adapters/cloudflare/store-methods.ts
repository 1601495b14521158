// The store's table of ports and their methods is the SQL adapter's (edge/adapters/sql/store-ports.ts),
// shared by the store object and the Node facade; the Workers side reads it from here.
export { isStoreMethod, STORE_METHODS, type StorePort } from '../sql/store-ports.js';
