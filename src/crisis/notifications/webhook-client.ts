import { Inject, Injectable, Logger, type OnModuleDestroy, Optional } from '@nestjs/common';
import http from 'node:http';
import https from 'node:https';
import { AppConfig } from '../../../config/app-config.js';
import { WebhookUrlPolicy } from '../../registry/webhook-url-policy.js';
import { signWebhook, type SigningSecrets, standardWebhookHeaders } from './webhook-signature.js';

const TIMEOUT_MS = 5000;

export const NO_ANSWER = 'Not delivered: no answer from the endpoint';

/**
 * A delivery that failed. Its message is all the member may see: "not delivered", and the HTTP
 * status when the endpoint answered. Why a connection failed (refused, reset, which address and
 * port) would let a member map the networks the service runs in; that stays in `detail`, for the
 * service's own log.
 */
export class WebhookDeliveryError extends Error {
  constructor(
    message: string,
    readonly detail: string,
  ) {
    super(message);
    this.name = 'WebhookDeliveryError';
  }
}

/** What a member is told about a failed delivery, whatever the error. */
export function memberVisibleReason(error: unknown): string {
  return error instanceof WebhookDeliveryError ? error.message : NO_ANSWER;
}

/**
 * POSTs a signed JSON body to a member's webhook; anything but a 2xx within the timeout fails.
 * Redirects are not followed: a 3xx is a failure like any other status. Each delivery carries the
 * Standard Webhooks headers and, for receivers written before them, the X-Renfort ones.
 */
@Injectable()
export class WebhookClient implements OnModuleDestroy {
  private readonly logger = new Logger(WebhookClient.name);
  private readonly policy: WebhookUrlPolicy;
  // Agents of its own: a kept-alive connection is reused only by deliveries checked by this policy.
  private readonly agents = { 'http:': new http.Agent({ keepAlive: true }), 'https:': new https.Agent({ keepAlive: true }) };

  constructor(@Inject(AppConfig) config: AppConfig, @Optional() @Inject(WebhookUrlPolicy) policy?: WebhookUrlPolicy) {
    this.policy = policy ?? new WebhookUrlPolicy(config);
  }

  /** `secrets`: the member's secret, then its previous one while a rotation's grace period runs. */
  async post(url: string, secrets: string | SigningSecrets, deliveryId: string, payload: unknown): Promise<void> {
    const body = JSON.stringify(payload);
    const signing = typeof secrets === 'string' ? [secrets] : secrets;
    // The time of sending, not the domain clock: receivers check it against their own clock.
    const sentAt = new Date();
    const headers = {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
      'user-agent': 'Renfort-Webhooks/1',
      ...standardWebhookHeaders(signing, deliveryId, body, sentAt),
      'x-renfort-delivery': deliveryId,
      'x-renfort-signature': signWebhook(signing, body, Math.floor(sentAt.getTime() / 1000)),
    };
    let status: number;
    try {
      status = await this.send(new URL(url), headers, body);
    } catch (error) {
      throw this.notDelivered(url, deliveryId, NO_ANSWER, (error as Error).message);
    }
    if (status < 200 || status > 299) throw this.notDelivered(url, deliveryId, `Not delivered: the endpoint answered HTTP ${status}`, `answered ${status}`);
  }

  onModuleDestroy(): void {
    for (const agent of Object.values(this.agents)) agent.destroy();
  }

  private send(url: URL, headers: Record<string, string>, body: string): Promise<number> {
    // Throws for a refused scheme or address literal; a name is checked by `lookup` as it connects.
    const lookup = this.policy.connectionLookup(url);
    const agent = this.agents[url.protocol as 'http:' | 'https:'];
    const transport = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const request = transport.request(url, { method: 'POST', headers, agent, lookup, signal: AbortSignal.timeout(TIMEOUT_MS) }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      request.on('error', reject);
      request.end(body);
    });
  }

  private notDelivered(url: string, deliveryId: string, message: string, reason: string): WebhookDeliveryError {
    // The origin only: a path or query may carry the member's own access token.
    let origin: string;
    try {
      origin = new URL(url).origin;
    } catch {
      origin = 'an invalid URL';
    }
    const detail = `POST ${origin} failed: ${reason}`;
    this.logger.warn(`delivery ${deliveryId} not delivered: ${detail}`);
    return new WebhookDeliveryError(message, detail);
  }
}
