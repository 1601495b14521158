import { resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchChromium } from './browser.js';
import { startEdgeHarness, type EdgeHarness } from './edge-harness.js';

export const ROOT = resolve(import.meta.dirname, '../..');

/**
 * The edge serving the built till (dist/web, or another folder), the simulator, and Chromium,
 * started once for a test file and stopped after it.
 */
export function useTillInChromium(env: Record<string, string> = {}): { readonly h: EdgeHarness; readonly browser: Browser } {
  const state: { h?: EdgeHarness; browser?: Browser } = {};
  beforeAll(async () => {
    state.h = await startEdgeHarness({ EDGE_WEB_DIR: resolve(ROOT, 'dist/web'), PAYMENT_STATUS_POLL_MS: '40', ...env });
    state.browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await state.browser?.close();
    await state.h?.close();
  });
  return {
    get h() {
      if (!state.h) throw new Error('the edge is not started yet');
      return state.h;
    },
    get browser() {
      if (!state.browser) throw new Error('Chromium is not started yet');
      return state.browser;
    },
  };
}
