import { Processor } from '@nestjs/bullmq';
import { CommandBus } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Job } from 'bullmq';
import type { DataSource } from 'typeorm';
import { LoggedWorkerHost } from '../../common/redis/logged-worker-host.js';
import { Clock } from '../../common/time/clock.js';
import { RecordDeliveryFailureCommand, RecordNotificationCommand } from '../commands/system-commands.js';
import { AlertScheduler } from './alert-scheduler.js';
import { EscalationScheduler } from './escalation-scheduler.js';
import { AWAITING_ACKNOWLEDGEMENT } from '../domain/mobilization-request.js';
import { NOTIFICATIONS_QUEUE, type NotificationJob, webhookVersion } from './queues.js';
import { memberVisibleReason, WebhookClient } from './webhook-client.js';
import { deliveryId, type SigningSecrets } from './webhook-signature.js';

interface MemberEndpoint {
  webhook_url: string | null;
  webhook_secret: string | null;
  /** The secret before the last rotation, while its grace period runs; null otherwise. */
  previous_secret: string | null;
}

/**
 * Delivers to members: the requests of an activation (one signed webhook per member), and
 * notices of escalation, stand-down and overdue deployment. A member without a webhook polls GET /mobilizations:
 * its requests are NOTIFIED at once. The delivery id is derived from what is delivered, so a
 * retry, a stalled job run again after a crash, or a sweep never shows the member two ids for
 * the same thing.
 */
// A delivery takes at most the webhook timeout: a 15 s lock lets a crashed worker's jobs be
// picked up again within about 20 s, and a job may stall a few times before it counts as failed.
@Processor(NOTIFICATIONS_QUEUE, { concurrency: 50, lockDuration: 15_000, stalledInterval: 5_000, maxStalledCount: 3 })
export class NotificationProcessor extends LoggedWorkerHost {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly commands: CommandBus,
    private readonly webhooks: WebhookClient,
    private readonly escalations: EscalationScheduler,
    private readonly clock: Clock,
    private readonly alerts: AlertScheduler,
  ) {
    super();
  }

  async process(job: Job<NotificationJob>): Promise<unknown> {
    const data = job.data;
    if (data.kind === 'requested') return this.deliverRequests(job, data.activationId, data.memberId, data.webhookVersion);
    const [request] = await this.db.query(
      `SELECT r.id, r.activation_id, r.member_id, r.status, r.asset_id, a.name AS asset_name FROM mobilization_request r
       JOIN asset a ON a.id = r.asset_id WHERE r.id = $1`,
      [data.requestId],
    );
    if (!request) return { skipped: 'unknown request' };
    const endpoint = await this.endpointOf(request.member_id);
    if (!endpoint.webhook_url) return { skipped: 'member polls' };
    const base = { requestId: request.id, activationId: request.activation_id };
    let id: string;
    let payload: Record<string, unknown>;
    switch (data.kind) {
      case 'escalated':
        id = deliveryId('escalated', data.requestId, data.level);
        payload = { type: 'mobilization.escalated', deliveryId: id, ...base, level: data.level, contact: data.contact, step: data.step ?? null };
        break;
      case 'deployment-overdue':
        id = deliveryId('deployment-overdue', data.requestId);
        payload = { type: 'mobilization.deployment_overdue', deliveryId: id, ...base, assetId: request.asset_id, deployDeadline: data.deployDeadline };
        break;
      default:
        id = deliveryId('stood-down', data.requestId);
        payload = { type: 'mobilization.stood_down', deliveryId: id, ...base, cause: data.cause };
    }
    await this.webhooks.post(endpoint.webhook_url, signingSecrets(endpoint), id, payload);
    return { delivered: id };
  }

  private async deliverRequests(job: Job<NotificationJob>, activationId: string, memberId: string, queuedFor: string | undefined) {
    const endpoint = await this.endpointOf(memberId);
    const version = webhookVersion(endpoint.webhook_url, endpoint.webhook_secret);
    // The webhook changed since this job was queued: the change queued a delivery of its own.
    if (queuedFor !== undefined && queuedFor !== version) return { skipped: 'webhook changed' };
    const requests: Record<string, any>[] = await this.db.query(
      `SELECT r.id, r.requirement_id, r.asset_id, a.name AS asset_name, a.category, r.convention_id, r.ack_within_minutes,
              r.deploy_within_minutes, r.ack_deadline
       FROM mobilization_request r JOIN asset a ON a.id = r.asset_id
       WHERE r.member_id = $2 AND r.activation_id = $1 AND r.status = ANY($3::text[]) AND r.notified_at IS NULL ORDER BY r.id`,
      [activationId, memberId, AWAITING_ACKNOWLEDGEMENT],
    );
    if (requests.length === 0) return { delivered: 0 };
    const id = deliveryId('requested', activationId, memberId, version);
    const ids = requests.map((r) => r.id as string);
    const attempts = job.attemptsMade + 1;
    // The people of the first step are alerted whatever the webhook does (once: a retry adds
    // nothing), alongside the webhook rather than before it.
    const alerting = this.alerts.alert(ids, 0, false);
    alerting.catch(() => undefined);
    if (endpoint.webhook_url) {
      const [activation] = await this.db.query(
        `SELECT a.id, a.decision_reference, a.authorized_at, c.id AS crisis_id, c.title, c.type, c.exercise, c.departements
         FROM activation a JOIN crisis c ON c.id = a.crisis_id WHERE a.id = $1`,
        [activationId],
      );
      const payload = {
        type: 'mobilization.requested',
        deliveryId: id,
        activation: {
          id: activation.id, decisionReference: activation.decision_reference, authorizedAt: activation.authorized_at,
          crisis: { id: activation.crisis_id, title: activation.title, type: activation.type, exercise: activation.exercise, departements: activation.departements },
        },
        requests: requests.map((r) => ({
          id: r.id, requirementId: r.requirement_id, assetId: r.asset_id, assetName: r.asset_name, category: r.category,
          conventionId: r.convention_id, ackWithinMinutes: r.ack_within_minutes, deployWithinMinutes: r.deploy_within_minutes,
        })),
      };
      try {
        await this.webhooks.post(endpoint.webhook_url, signingSecrets(endpoint), id, payload);
      } catch (error) {
        await alerting;
        // The first failed attempt starts the deadlines all the same; the last one tells the crisis
        // cell. Members read the error on their requests: "not delivered" and at most the HTTP status.
        const final = attempts >= (job.opts.attempts ?? 1);
        const started = await this.commands.execute(new RecordDeliveryFailureCommand(ids, id, attempts, memberVisibleReason(error), final));
        await this.escalations.schedule(started.map((request) => ({ requestId: request.id, level: request.level, at: request.ackDeadline })));
        throw error;
      }
    }
    await alerting;
    const notified = await this.commands.execute(
      new RecordNotificationCommand(activationId, ids, { id, channel: endpoint.webhook_url ? 'webhook' : 'poll', attempts }),
    );
    // The deadlines run: one delayed job per request and step, queued together (an existing one
    // adds nothing). Should this process die before they are queued, the sweeper queues the
    // escalations that fall due.
    await this.escalations.schedule(notified.map((request) => ({ requestId: request.id, level: request.level, at: request.ackDeadline })));
    return { delivered: notified.length, deliveryId: id };
  }

  private async endpointOf(memberId: string): Promise<MemberEndpoint> {
    // A previous secret past its grace period is ignored here, whether or not it was erased yet.
    const [endpoint] = await this.db.query(
      `SELECT webhook_url, webhook_secret,
              CASE WHEN webhook_previous_secret_expires_at > $2 THEN webhook_previous_secret END AS previous_secret
       FROM member WHERE id = $1`,
      [memberId, this.clock.now()],
    );
    return endpoint ?? { webhook_url: null, webhook_secret: null, previous_secret: null };
  }
}

/** The new secret first, then the previous one during a rotation's grace period. */
function signingSecrets(endpoint: MemberEndpoint): SigningSecrets {
  return endpoint.previous_secret ? [endpoint.webhook_secret!, endpoint.previous_secret] : [endpoint.webhook_secret!];
}
