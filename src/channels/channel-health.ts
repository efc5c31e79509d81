import { Injectable } from '@nestjs/common';
import { EmailSender } from './email/email-sender.js';
import { SmppLink } from './sms/smpp-link.js';

/**
 * What /health says of the channels to people. Informative only, never a reason to answer 503: a
 * mail server or SMS centre out of reach is not fixed by taking the API out of its load balancer,
 * the API and the webhooks go on working, and queued messages wait and are retried.
 */
@Injectable()
export class ChannelHealth {
  constructor(
    private readonly email: EmailSender,
    private readonly sms: SmppLink,
  ) {}

  get configured(): boolean {
    return this.email.configured || this.sms.configured;
  }

  /** The configured channels only; an empty object when none is. Never throws. */
  async report(): Promise<Record<string, unknown>> {
    const report: Record<string, unknown> = {};
    if (this.email.configured) report.email = await this.email.check();
    if (this.sms.configured) report.sms = this.sms.state();
    return report;
  }
}
