import { simpleParser, type ParsedMail } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/**
 * A real SMTP server on the loopback: parses every message it accepts (mailparser), and can be
 * told to refuse the next ones with 550.
 */
export class MailServer {
  readonly messages: ParsedMail[] = [];
  /** Messages refused so far, in order of arrival. */
  refusals = 0;
  private refuseNext = 0;
  private server: SMTPServer;
  /** Called with each message accepted, as it is accepted (the browser tests write it where their workers read it). */
  onMessage?: (message: ParsedMail) => void;

  static async start(): Promise<MailServer> {
    const mail = new MailServer();
    mail.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, _session, callback) {
        void simpleParser(stream).then(
          (parsed) => {
            if (mail.refuseNext > 0) {
              mail.refuseNext -= 1;
              mail.refusals += 1;
              callback(Object.assign(new Error('Mailbox unavailable for now'), { responseCode: 550 }));
              return;
            }
            mail.messages.push(parsed);
            mail.onMessage?.(parsed);
            callback();
          },
          (error) => callback(error as Error),
        );
      },
    });
    await new Promise<void>((resolve) => mail.server.listen(0, '127.0.0.1', resolve));
    return mail;
  }

  get url(): string {
    return `smtp://127.0.0.1:${(this.server.server.address() as AddressInfo).port}`;
  }

  refuse(count: number): void {
    this.refuseNext = count;
  }

  to(address: string): ParsedMail[] {
    return this.messages.filter((message) => [message.to].flat().some((to) => to?.value.some((value) => value.address === address)));
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
