import type { BrowserContext } from 'playwright-core';
import type { EdgeHarness } from './edge-harness.js';

/** Pairs a browser context as a device (admin role by default, so setup screens show). */
export async function pairContext(context: BrowserContext, h: EdgeHarness, role: 'till' | 'admin' = 'admin'): Promise<string> {
  const { token, id } = await h.pairDevice({ role, name: `Browser ${role}` });
  await context.addCookies([{ name: 'till_device', value: token, url: h.url, httpOnly: true, sameSite: 'Strict' }]);
  return id;
}
