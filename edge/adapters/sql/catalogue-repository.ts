import type { Product, ShopProfile } from '../../../shared/api.js';
import type { CatalogueStore } from '../../core/ports.js';
import type { SqlDatabase } from './sql-database.js';

// CatalogueStore in SQLite: the products and the shop's profile (one row), each kept as its JSON.

export class CatalogueRepository implements CatalogueStore {
  constructor(private readonly db: SqlDatabase) {}

  async saveProduct(product: Product): Promise<void> {
    this.db.prepare('INSERT INTO products (id, product) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET product = excluded.product').run(product.id, JSON.stringify(product));
  }

  async listProducts(): Promise<Product[]> {
    return (this.db.prepare('SELECT product FROM products ORDER BY rowid').all() as Array<{ product: string }>).map((row) => JSON.parse(row.product) as Product);
  }

  async getShop(): Promise<ShopProfile | undefined> {
    const row = this.db.prepare('SELECT profile FROM shop WHERE id = 1').get() as { profile: string } | undefined;
    return row ? (JSON.parse(row.profile) as ShopProfile) : undefined;
  }

  async saveShop(profile: ShopProfile): Promise<void> {
    this.db.prepare('INSERT INTO shop (id, profile) VALUES (1, ?) ON CONFLICT(id) DO UPDATE SET profile = excluded.profile').run(JSON.stringify(profile));
  }
}
