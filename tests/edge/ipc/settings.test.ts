import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../edge/core/env-settings.js';
import { IPC_ENDPOINTS, ipcSettings, loadIpcKeys } from '../../../edge/core/ipc/settings.js';
import { opensslFixtures } from '../../helpers/fixtures.js';

// MYPOS_IPC_* settings: off without a SID, clear messages naming the variable and the rule.

const ENV = {
  MYPOS_IPC_SID: '000000000000010',
  MYPOS_IPC_WALLET: '61938166610',
  MYPOS_IPC_KEY_INDEX: '1',
  MYPOS_IPC_ENDPOINT: 'test',
  MYPOS_IPC_PRIVATE_KEY: opensslFixtures.pkcs1Pem,
  MYPOS_IPC_CERT: opensslFixtures.pkcs7Pem,
};

const fails = (env: Record<string, string | undefined>, message: RegExp) => {
  expect(() => ipcSettings(env)).toThrow(ConfigError);
  expect(() => ipcSettings(env)).toThrow(message);
};

describe('MYPOS_IPC_* settings', () => {
  it('leaves the channel off without MYPOS_IPC_SID', () => {
    expect(ipcSettings({})).toBeUndefined();
    expect(ipcSettings({ MYPOS_IPC_SID: '' })).toBeUndefined();
    fails({ MYPOS_IPC_WALLET: '61938166610' }, /MYPOS_IPC_WALLET is set but MYPOS_IPC_SID is not/);
  });

  it('reads a complete configuration, the endpoint by name or URL', () => {
    expect(ipcSettings(ENV)).toMatchObject({ merchant: { sid: '000000000000010', walletNumber: '61938166610', keyIndex: '1' }, endpoint: IPC_ENDPOINTS.test, environment: 'test' });
    expect(ipcSettings({ ...ENV, MYPOS_IPC_ENDPOINT: 'production' })).toMatchObject({ endpoint: 'https://www.mypos.com/vmp/checkout', environment: 'production' });
    expect(ipcSettings({ ...ENV, MYPOS_IPC_ENDPOINT: 'https://www.mypos.com/vmp/checkout-test/' })).toMatchObject({ endpoint: IPC_ENDPOINTS.test, environment: 'test' });
    expect(ipcSettings({ ...ENV, MYPOS_IPC_ENDPOINT: 'http://127.0.0.1:8790/vmp/checkout' })).toMatchObject({ endpoint: 'http://127.0.0.1:8790/vmp/checkout', environment: 'url' });
  });

  it('names the variable and the rule of a bad value', () => {
    fails({ ...ENV, MYPOS_IPC_SID: 'store-1' }, /MYPOS_IPC_SID must be .*digits/);
    fails({ ...ENV, MYPOS_IPC_WALLET: '123' }, /MYPOS_IPC_WALLET must be .*11 digits/);
    fails({ ...ENV, MYPOS_IPC_WALLET: undefined }, /MYPOS_IPC_WALLET is required/);
    fails({ ...ENV, MYPOS_IPC_KEY_INDEX: 'one' }, /MYPOS_IPC_KEY_INDEX must be/);
    fails({ ...ENV, MYPOS_IPC_ENDPOINT: 'staging' }, /MYPOS_IPC_ENDPOINT must be "test", "production" or a URL/);
    fails({ ...ENV, MYPOS_IPC_ENDPOINT: 'ftp://x.example/' }, /MYPOS_IPC_ENDPOINT must be an http or https URL/);
    fails({ ...ENV, MYPOS_IPC_PRIVATE_KEY: '/etc/keys/ipc.pem' }, /MYPOS_IPC_PRIVATE_KEY must be the PEM text/);
    fails({ ...ENV, MYPOS_IPC_CERT: undefined }, /MYPOS_IPC_CERT is required/);
  });

  it('loads the key and the certificates, and names the variable that cannot be used', async () => {
    const settings = ipcSettings(ENV);
    if (!settings) throw new Error('off');
    const { signer, verifier } = await loadIpcKeys(settings);
    expect(signer.keyIndex).toBe('1');
    expect(verifier.certificates).toHaveLength(1);
    await expect(loadIpcKeys({ ...settings, privateKeyPem: opensslFixtures.certPem })).rejects.toThrow(/MYPOS_IPC_PRIVATE_KEY cannot be used/);
    await expect(loadIpcKeys({ ...settings, certificatePem: opensslFixtures.pkcs8Pem })).rejects.toThrow(/MYPOS_IPC_CERT cannot be used/);
    // A key's content never appears in a message.
    await expect(loadIpcKeys({ ...settings, certificatePem: opensslFixtures.pkcs8Pem })).rejects.not.toThrow(/MII/);
  });
});
