import { Injectable } from '@nestjs/common';
import { EmailSender } from '../email/email-sender.js';
import { SmppLink } from '../sms/smpp-link.js';
import type { Channel, ChannelSender } from './channel-sender.js';

/** The sender of each channel, and whether it is offered. */
@Injectable()
export class ChannelSenders {
  constructor(
    readonly email: EmailSender,
    readonly sms: SmppLink,
  ) {}

  of(channel: Channel): ChannelSender {
    return channel === 'email' ? this.email : this.sms;
  }

  configured(channel: Channel): boolean {
    return this.of(channel).configured;
  }
}
