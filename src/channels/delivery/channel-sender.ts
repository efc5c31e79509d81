import type { ContactMethodKind } from '../domain/contact-method.js';

export type Channel = ContactMethodKind;

/** One message as a sender sees it: the text already rendered. */
export interface OutgoingMessage {
  deliveryId: string;
  recipient: string;
  subject: string | null;
  text: string;
}

/** Accepted by the server: the ids it gave (one per SMS part; the Message-ID of an email). */
export interface SendResult {
  providerMessageIds: string[];
}

/** One sender per channel; it throws when the server did not take the message. */
export interface ChannelSender {
  readonly configured: boolean;
  send(message: OutgoingMessage): Promise<SendResult>;
}
