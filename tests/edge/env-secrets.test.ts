import { describe, expect, it } from 'vitest';
import { adminToken, auditKeySetting, ConfigError, shopSettings } from '../../edge/core/env-settings.js';

// The edge's settings that are secrets or names: the admin token's length in live mode, the audit
// key's, and the shop name's characters (the one plain-text validator).

describe('secrets from the environment', () => {
  it('EDGE_ADMIN_TOKEN: at least 32 characters in live mode, named with its rule', () => {
    expect(adminToken({ EDGE_ADMIN_TOKEN: 'x'.repeat(32) }, true)).toBe('x'.repeat(32));
    expect(() => adminToken({ EDGE_ADMIN_TOKEN: 'x'.repeat(31) }, true)).toThrow(ConfigError);
    expect(() => adminToken({ EDGE_ADMIN_TOKEN: 'x'.repeat(31) }, true)).toThrow('EDGE_ADMIN_TOKEN must be at least 32 characters with MYPOS_ENDPOINT set (live mode; it is 31)');
    // Demo mode keeps its own rule.
    expect(adminToken({ EDGE_ADMIN_TOKEN: 'x'.repeat(16) }, false)).toBe('x'.repeat(16));
    expect(() => adminToken({ EDGE_ADMIN_TOKEN: 'x'.repeat(15) }, false)).toThrow('EDGE_ADMIN_TOKEN must be at least 16 characters');
    expect(() => adminToken({}, true)).toThrow('EDGE_ADMIN_TOKEN is required');
  });

  it('EDGE_AUDIT_KEY: unset, or at least 32 characters', () => {
    expect(auditKeySetting({})).toBeUndefined();
    expect(auditKeySetting({ EDGE_AUDIT_KEY: '' })).toBeUndefined();
    expect(auditKeySetting({ EDGE_AUDIT_KEY: 'k'.repeat(32) })).toBe('k'.repeat(32));
    expect(() => auditKeySetting({ EDGE_AUDIT_KEY: 'k'.repeat(31) })).toThrow('EDGE_AUDIT_KEY must be at least 32 characters');
  });

  it('the shop name from EDGE_SHOP_NAME', () => {
    expect(shopSettings({ EDGE_SHOP_NAME: 'Corner shop' }).name).toBe('Corner shop');
    expect(() => shopSettings({ EDGE_SHOP_NAME: 'Corner\u202Eshop' })).toThrow(/EDGE_SHOP_NAME must not contain control characters, direction marks or zero-width characters \(found U\+202E\)/);
  });
});
