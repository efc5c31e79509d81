import { Inject, Injectable } from '@nestjs/common';
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { AppConfig } from '../../../config/app-config.js';
import { SecondFactorUnreadableError } from '../domain/second-factor.errors.js';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Encrypts second-factor secrets at rest (AES-256-GCM): a copy of the database alone does not give
 * anyone the codes of the users. The key is `MFA_ENCRYPTION_KEY`, or, when it is not set, derived
 * from the token signing key with HKDF-SHA256 (changing JWT_SECRET then makes the enrolled secrets
 * unreadable: set MFA_ENCRYPTION_KEY to rotate one without the other).
 * Stored as `v1.<iv>.<ciphertext>.<tag>`, each part base64url; the user id is bound as associated
 * data, so that a secret copied to another user's row does not decrypt.
 */
@Injectable()
export class SecretBox {
  private readonly key: Buffer;

  constructor(@Inject(AppConfig) config: AppConfig) {
    this.key =
      config.mfa.encryptionKey ??
      Buffer.from(hkdfSync('sha256', config.jwt.secret, 'renfort-second-factor', 'renfort second-factor secret encryption v1', 32));
  }

  seal(plaintext: string, userId: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(userId));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, iv, ciphertext, cipher.getAuthTag()].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
  }

  /** The secret; SecondFactorUnreadableError when it was sealed under another key, for another user, or changed. */
  open(sealed: string, userId: string): string {
    const [version, iv, ciphertext, tag] = sealed.split('.');
    if (version !== VERSION || !iv || !ciphertext || !tag) throw new SecondFactorUnreadableError();
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'), { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(userId));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new SecondFactorUnreadableError();
    }
  }
}
