import { generateKeyPairSync, verify } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type AppConfig, loadAppConfig } from '../../../config/app-config.js';
import { StartupError } from '../../common/startup-error.js';
import { checkpointText, hasValidSignature } from '../domain/checkpoint.js';
import { AuditSigningKey, generatedSigningKeyFile } from './audit-signing-key.js';

describe('the audit checkpoint signing key', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'renfort-signing-key-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const keyOf = (env: Record<string, string>): AuditSigningKey => {
    const key = new AuditSigningKey(loadAppConfig({ EMBEDDED_DATA_DIR: path.join(dir, 'pgdata'), ...env }) as AppConfig);
    key.onModuleInit();
    return key;
  };

  it('generates one beside the embedded data directory outside production, readable by its owner only, and keeps it', () => {
    const first = keyOf({});
    const file = path.join(dir, 'audit-signing-key.pem');
    expect(generatedSigningKeyFile(loadAppConfig({ EMBEDDED_DATA_DIR: path.join(dir, 'pgdata') }))).toBe(file);
    expect(statSync(file).mode & 0o077).toBe(0);
    expect(keyOf({}).keyId).toBe(first.keyId);
    const checkpoint = first.sign({ sequence: 7, hash: 'a'.repeat(64), signedAt: '2026-11-24T10:00:00.000Z' });
    expect(checkpoint.keyId).toBe(first.keyId);
    expect(hasValidSignature(checkpoint, first.publicKey)).toBe(true);
    expect(verify(null, Buffer.from(checkpointText(checkpoint)), first.publicKeyPem, Buffer.from(checkpoint.signature, 'base64'))).toBe(true);
  });

  it('reads the key named by AUDIT_SIGNING_KEY_FILE, and refuses a file that holds no Ed25519 private key', () => {
    const file = path.join(dir, 'given.pem');
    writeFileSync(file, generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }));
    expect(keyOf({ AUDIT_SIGNING_KEY_FILE: file }).publicKeyPem).toContain('BEGIN PUBLIC KEY');

    writeFileSync(file, generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
    expect(() => keyOf({ AUDIT_SIGNING_KEY_FILE: file })).toThrow(new StartupError(`AUDIT_SIGNING_KEY_FILE ${file} holds a ec key; audit checkpoints are signed with Ed25519`));
    writeFileSync(file, 'not a key');
    expect(() => keyOf({ AUDIT_SIGNING_KEY_FILE: file })).toThrow(/holds no PEM private key/);
    expect(() => keyOf({ AUDIT_SIGNING_KEY_FILE: path.join(dir, 'missing.pem') })).toThrow(/missing\.pem cannot be read/);
  });
});
