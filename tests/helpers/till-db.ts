import type { Page } from 'playwright-core';

export interface TillSale {
  readonly id: string;
  readonly tender: string;
  readonly sync: string;
  readonly paymentState?: string;
  readonly message?: string;
}

/** The sales a till page holds, read straight from its IndexedDB. */
export function tillSales(page: Page): Promise<TillSale[]> {
  return page.evaluate(
    () =>
      new Promise<TillSale[]>((resolveSales, reject) => {
        const request = indexedDB.open('till');
        request.onerror = () => reject(request.error);
        request.onsuccess = () => {
          const get = request.result.transaction('sales').objectStore('sales').getAll();
          get.onsuccess = () => {
            resolveSales(get.result as TillSale[]);
            request.result.close();
          };
        };
      }),
  );
}
