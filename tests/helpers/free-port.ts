import { createServer } from 'node:net';

/**
 * A TCP port free on 127.0.0.1 right now: the system picks one (listen on port 0), it is read and
 * the listener closed. For a server that must come back on the same port (the same origin for a
 * browser: IndexedDB, cookies and localStorage are kept per origin).
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close((error) => (error ? reject(error) : port > 0 ? resolve(port) : reject(new Error('no port given'))));
    });
  });
}
