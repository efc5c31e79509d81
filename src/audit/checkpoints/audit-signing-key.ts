import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AppConfig } from '../../../config/app-config.js';
import { StartupError } from '../../common/startup-error.js';
import { type CheckpointStatement, keyIdOf, type SignedCheckpoint, signCheckpoint } from '../domain/checkpoint.js';

const IN_MEMORY = 'memory://';

/**
 * Where the signing key is generated when none is given (outside production): beside the
 * embedded database's data directory (`.renfort/audit-signing-key.pem` by default), on the
 * service's own disk, so that it survives restarts; a database on another server never holds it.
 */
export function generatedSigningKeyFile(config: AppConfig): string {
  const dataDir = config.embeddedDataDir === IN_MEMORY ? path.join('.renfort', 'pgdata') : config.embeddedDataDir;
  return path.resolve(path.dirname(path.resolve(dataDir)), 'audit-signing-key.pem');
}

/** Reads an Ed25519 private key (PEM, PKCS#8); names the file and the problem otherwise. */
export function readSigningKey(file: string): KeyObject {
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (error) {
    throw new StartupError(`AUDIT_SIGNING_KEY_FILE ${file} cannot be read: ${(error as Error).message}`);
  }
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch {
    throw new StartupError(`AUDIT_SIGNING_KEY_FILE ${file} holds no PEM private key (expected PKCS#8, "BEGIN PRIVATE KEY")`);
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new StartupError(`AUDIT_SIGNING_KEY_FILE ${file} holds a ${key.asymmetricKeyType} key; audit checkpoints are signed with Ed25519`);
  }
  return key;
}

/**
 * Writes a new key unless the file exists: written aside, then linked in place, which fails if
 * another process got there first; that process's key is then the one read.
 */
function generateKeyFile(file: string): boolean {
  mkdirSync(path.dirname(file), { recursive: true });
  const aside = `${file}.${process.pid}.${Date.now()}.tmp`;
  const { privateKey } = generateKeyPairSync('ed25519');
  writeFileSync(aside, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  try {
    linkSync(aside, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    unlinkSync(aside);
  }
}

/** The key that signs audit checkpoints, and its public half, published for verifiers. */
@Injectable()
export class AuditSigningKey implements OnModuleInit {
  private readonly logger = new Logger(AuditSigningKey.name);
  private privateKey: KeyObject;
  publicKey: KeyObject;
  keyId: string;
  publicKeyPem: string;

  constructor(private readonly config: AppConfig) {}

  onModuleInit(): void {
    let file = this.config.auditCheckpoint.signingKeyFile;
    if (file === null) {
      // Production requires the setting (config/app-config.ts): only here may a key be made.
      file = generatedSigningKeyFile(this.config);
      if (!existsSync(file) && generateKeyFile(file)) {
        this.logger.warn(`AuditSigningKey: generated an audit checkpoint signing key in ${file}; set AUDIT_SIGNING_KEY_FILE to use your own`);
      } else {
        this.logger.log(`AuditSigningKey: signing audit checkpoints with the key in ${file}`);
      }
    }
    this.privateKey = readSigningKey(file);
    this.publicKey = createPublicKey(this.privateKey);
    this.keyId = keyIdOf(this.publicKey);
    this.publicKeyPem = this.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  }

  sign(statement: Omit<CheckpointStatement, 'keyId'>): SignedCheckpoint {
    return signCheckpoint({ ...statement, keyId: this.keyId }, this.privateKey);
  }
}
