import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

let file: string | null = null;

/** An Ed25519 key for audit checkpoints, written once per test process (production settings require one). */
export function testSigningKeyFile(): string {
  if (file) return file;
  const { privateKey } = generateKeyPairSync('ed25519');
  file = path.join(mkdtempSync(path.join(tmpdir(), 'renfort-test-key-')), 'audit-signing-key.pem');
  writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  return file;
}
