import { Inject, Injectable, Logger, type OnModuleDestroy, Optional } from '@nestjs/common';
import http from 'node:http';
import https from 'node:https';
import { AppConfig } from '../../../config/app-config.js';
import { WebhookUrlPolicy } from '../../registry/webhook-url-policy.js';
import { type DeliveryAttemptContext, WebhookDeliveryLog } from './webhook-delivery-log.js';
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

  constructor(
    @Inject(AppConfig) config: AppConfig,
    @Optional() @Inject(WebhookUrlPolicy) policy?: WebhookUrlPolicy,
    @Optional() @Inject(WebhookDeliveryLog) private readonly log?: WebhookDeliveryLog,
  ) {
    this.policy = policy ?? new WebhookUrlPolicy(config);
  }

  /**
   * `secrets`: the member's secret, then its previous one while a rotation's grace period runs.
   * `attempt`: whose delivery this is and which try, for the member's delivery log.
   */
  async post(url: string, secrets: string | SigningSecrets, deliveryId: string, payload: unknown, attempt?: DeliveryAttemptContext): Promise<void> {
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
    const started = performance.now();
    const logged = (httpStatus: number | null, error: WebhookDeliveryError | null) => {
      if (attempt) this.logAttempt(attempt, url, deliveryId, payload, sentAt, httpStatus, error, performance.now() - started);
      return error;
    };
    try {
      status = await this.send(new URL(url), headers, body);
    } catch (error) {
      throw logged(null, this.notDelivered(url, deliveryId, NO_ANSWER, (error as Error).message));
    }
    if (status < 200 || status > 299) throw logged(status, this.notDelivered(url, deliveryId, `Not delivered: the endpoint answered HTTP ${status}`, `answered ${status}`));
    logged(status, null);
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

  private logAttempt(
    attempt: DeliveryAttemptContext, url: string, deliveryId: string, payload: unknown, attemptedAt: Date,
    httpStatus: number | null, error: WebhookDeliveryError | null, durationMs: number,
  ): void {
    const type = (payload as { type?: unknown } | null)?.type;
    this.log?.record({
      ...attempt, deliveryId, eventType: typeof type === 'string' ? type : 'unknown', attemptedAt,
      // The origin only, as in the service's log.
      urlOrigin: URL.canParse(url) ? new URL(url).origin : 'an invalid URL',
      httpStatus, error: error && memberVisibleReason(error), durationMs,
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
