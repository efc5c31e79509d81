import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ParsedMail } from 'mailparser';

/**
 * The mail the service sends in the browser tests: the global set-up runs a real SMTP server
 * (test/support/mail-server.ts) and writes each message it accepts, as a JSON file, to the
 * directory named by RENFORT_MAIL_DIR; the journeys, in other processes, read them there.
 */
export interface ReceivedMail {
  to: string[];
  subject: string;
  text: string;
  /** Milliseconds since the epoch, when the SMTP server accepted it. */
  receivedAt: number;
}

function mailDirectory(): string {
  const directory = process.env.RENFORT_MAIL_DIR;
  if (!directory) throw new Error('RENFORT_MAIL_DIR is not set: run the browser tests with `npx playwright test`');
  return directory;
}

/** In the global set-up: keeps one accepted message where the journeys look (written whole, then renamed). */
export function keepMail(directory: string, message: ParsedMail): void {
  mkdirSync(directory, { recursive: true });
  const mail: ReceivedMail = {
    to: [message.to].flat().flatMap((to) => to?.value.map((value) => value.address?.toLowerCase() ?? '') ?? []),
    subject: message.subject ?? '',
    text: message.text ?? '',
    receivedAt: Date.now(),
  };
  const name = `${mail.receivedAt}-${randomUUID()}.json`;
  writeFileSync(path.join(directory, `.${name}`), JSON.stringify(mail));
  renameSync(path.join(directory, `.${name}`), path.join(directory, name));
}

/** The messages received so far for an address, oldest first. */
export function mailTo(address: string): ReceivedMail[] {
  const wanted = address.toLowerCase();
  return readdirSync(mailDirectory())
    .filter((name) => name.endsWith('.json') && !name.startsWith('.'))
    .map((name) => JSON.parse(readFileSync(path.join(mailDirectory(), name), 'utf8')) as ReceivedMail)
    .filter((mail) => mail.to.includes(wanted))
    .sort((a, b) => a.receivedAt - b.receivedAt);
}

/** Waits for the first message to an address received after `since` (and whose subject matches, if given). */
export async function waitForMail(address: string, options: { since?: number; subject?: RegExp; timeoutMs?: number } = {}): Promise<ReceivedMail> {
  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  for (;;) {
    const found = mailTo(address).find((mail) => mail.receivedAt >= (options.since ?? 0) && (!options.subject || options.subject.test(mail.subject)));
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`No mail to ${address} within ${options.timeoutMs ?? 15_000} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The 6-digit code of a verification message. */
export function verificationCode(mail: ReceivedMail): string {
  const code = /code de vérification Renfort est : (\d{6})/.exec(mail.text)?.[1];
  if (!code) throw new Error(`No verification code in « ${mail.text} »`);
  return code;
}
