/**
 * The channels that reach people: email over SMTP and SMS over SMPP 3.4. Each is configured all
 * or nothing; a channel left out is not offered (its methods answer that it is not configured).
 */
export interface SmtpSettings {
  /** smtp://[user:password@]host[:port] (STARTTLS when the server offers it) or smtps:// (TLS from the start). */
  readonly url: string;
  /** The sender address, optionally with a display name: `Renfort <alertes@interieur.gouv.fr>`. */
  readonly from: string;
}

export interface SmppSettings {
  /** smpp://host[:port] (2775 by default) or ssmpp://host[:port] (TLS, 3550 by default). */
  readonly url: string;
  readonly systemId: string;
  readonly password: string;
  /** The sender shown on the phone: an international number (+33...), a short code, or up to 11 letters and digits. */
  readonly sourceAddress: string;
  /** Period of the enquire_link keep-alive. */
  readonly enquireLinkSeconds: number;
}

export interface ChannelSettings {
  readonly smtp: SmtpSettings | null;
  readonly smpp: SmppSettings | null;
  /** Attempts and first backoff of one message's delivery (exponential, with jitter). */
  readonly attempts: number;
  readonly backoffMs: number;
  /** The address people open the answer links of alerts at (PUBLIC_URL): the service as the outside sees it. */
  readonly publicUrl: string;
  /** How long an escalation waits for the other requests reaching the same person at the same step, to alert once for all (ALERT_GATHER_MS). */
  readonly alertGatherMs: number;
}

/**
 * Passwords refused in production: the one the repository's own SMS centre and mail server use in
 * its tests (anyone can read them), and the commonest factory defaults.
 */
export const PUBLISHED_CHANNEL_SECRETS: readonly string[] = ['secret12', 'password', 'changeme'];

const SMTP_NAMES = ['SMTP_URL', 'SMTP_FROM'] as const;
const SMPP_NAMES = ['SMPP_URL', 'SMPP_SYSTEM_ID', 'SMPP_PASSWORD', 'SMPP_SOURCE_ADDRESS'] as const;

/**
 * The channel settings. A partly configured channel, a malformed value, or (in production) a
 * published example secret is added to `problems`, so that start-up stops naming it.
 */
export function readChannelSettings(env: Record<string, string | undefined>, nodeEnv: string, problems: string[]): ChannelSettings {
  const value = (name: string) => {
    const text = env[name]?.trim();
    return text ? text : undefined;
  };
  const allOrNothing = (what: string, names: readonly string[]): boolean => {
    const given = names.filter((name) => value(name) !== undefined);
    if (given.length === 0) return false;
    const missing = names.filter((name) => value(name) === undefined);
    if (missing.length > 0) {
      problems.push(`${what} is partly configured (${given.join(', ')}): ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} missing`);
      return false;
    }
    return true;
  };
  const production = nodeEnv === 'production';

  let smtp: SmtpSettings | null = null;
  if (allOrNothing('The email channel', SMTP_NAMES)) {
    const before = problems.length;
    const url = parseUrl(value('SMTP_URL')!);
    if (!url || !['smtp:', 'smtps:'].includes(url.protocol) || !url.hostname) {
      problems.push('SMTP_URL must be an smtp:// or smtps:// URL such as smtp://mail.example.fr:587');
    } else if (production && url.password && PUBLISHED_CHANNEL_SECRETS.includes(decodeURIComponent(url.password))) {
      problems.push('SMTP_URL must not carry a password published with Renfort (its tests) or a factory default in production');
    }
    const from = value('SMTP_FROM')!;
    const address = /<([^<>\s]+)>\s*$/.exec(from)?.[1] ?? from;
    if (!/^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(address)) problems.push('SMTP_FROM must be an email address, optionally as "Name <address>"');
    if (problems.length === before) smtp = { url: value('SMTP_URL')!, from };
  }

  let smpp: SmppSettings | null = null;
  const enquireText = value('SMPP_ENQUIRE_LINK_SECONDS');
  let enquireLinkSeconds = 30;
  if (enquireText !== undefined) {
    if (!/^\d+$/.test(enquireText) || Number(enquireText) < 1 || Number(enquireText) > 3600) problems.push('SMPP_ENQUIRE_LINK_SECONDS must be a whole number of seconds from 1 to 3600');
    else enquireLinkSeconds = Number(enquireText);
  }
  if (allOrNothing('The SMS channel', SMPP_NAMES)) {
    const before = problems.length;
    const url = parseUrl(value('SMPP_URL')!);
    if (!url || !['smpp:', 'ssmpp:'].includes(url.protocol) || !url.hostname) problems.push('SMPP_URL must be an smpp:// or ssmpp:// URL such as smpp://smsc.example.fr:2775');
    // SMPP 3.4 fields are C-octet strings of bounded length (system_id 16, password 9, both with their terminating NUL).
    const systemId = value('SMPP_SYSTEM_ID')!;
    if (!/^[\x21-\x7e]{1,15}$/.test(systemId)) problems.push('SMPP_SYSTEM_ID must be 1 to 15 printable ASCII characters (SMPP 3.4)');
    const password = value('SMPP_PASSWORD')!;
    if (!/^[\x21-\x7e]{1,8}$/.test(password)) problems.push('SMPP_PASSWORD must be 1 to 8 printable ASCII characters (SMPP 3.4)');
    else if (production && PUBLISHED_CHANNEL_SECRETS.includes(password)) {
      problems.push('SMPP_PASSWORD must not be a value published with Renfort (its tests) or a factory default in production');
    }
    const sourceAddress = value('SMPP_SOURCE_ADDRESS')!;
    const numeric = /^\+?[0-9]{3,15}$/.test(sourceAddress);
    const alphanumeric = /^[A-Za-z0-9 ]{1,11}$/.test(sourceAddress) && /[A-Za-z]/.test(sourceAddress);
    if (!numeric && !alphanumeric) {
      problems.push('SMPP_SOURCE_ADDRESS must be an international number (+33...), a short code, or 1 to 11 letters and digits');
    }
    if (problems.length === before) smpp = { url: value('SMPP_URL')!, systemId, password, sourceAddress, enquireLinkSeconds };
  }

  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const text = value(name);
    if (text === undefined) return fallback;
    if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max}`);
      return fallback;
    }
    return Number(text);
  };
  let publicUrl = value('PUBLIC_URL') ?? `http://localhost:${value('PORT') ?? '3000'}`;
  const publicParsed = parseUrl(publicUrl);
  if (!publicParsed || !['http:', 'https:'].includes(publicParsed.protocol)) problems.push('PUBLIC_URL must be an http:// or https:// URL such as https://renfort.interieur.gouv.fr');
  publicUrl = publicUrl.replace(/\/+$/, '');
  return {
    smtp, smpp, attempts: integer('CHANNEL_ATTEMPTS', 8, 1, 50), backoffMs: integer('CHANNEL_BACKOFF_MS', 2000, 10, 600000),
    publicUrl, alertGatherMs: integer('ALERT_GATHER_MS', 2000, 0, 60000),
  };
}

function parseUrl(text: string): URL | null {
  try {
    return new URL(text);
  } catch {
    return null;
  }
}
