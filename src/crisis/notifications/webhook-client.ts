import { Injectable } from '@nestjs/common';
import { signWebhook } from './webhook-signature.js';

const TIMEOUT_MS = 5000;

export class WebhookDeliveryError extends Error {}

/** POSTs a signed JSON body to a member's webhook; anything but a 2xx within the timeout fails. */
@Injectable()
export class WebhookClient {
  async post(url: string, secret: string, deliveryId: string, payload: unknown): Promise<void> {
    const body = JSON.stringify(payload);
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Renfort-Webhooks/1',
          'x-renfort-delivery': deliveryId,
          'x-renfort-signature': signWebhook(secret, body, Math.floor(Date.now() / 1000)),
        },
        body,
        signal: AbortSignal.timeout(TIMEOUT_MS),
        redirect: 'error',
      });
    } catch (error) {
      throw new WebhookDeliveryError(`POST ${url} failed: ${(error as Error).message}`);
    }
    await response.arrayBuffer().catch(() => undefined);
    if (!response.ok) throw new WebhookDeliveryError(`POST ${url} answered ${response.status}`);
  }
}
