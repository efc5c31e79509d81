import { Processor } from '@nestjs/bullmq';
import { CommandBus } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Job } from 'bullmq';
import type { DataSource } from 'typeorm';
import { LoggedWorkerHost } from '../../common/redis/logged-worker-host.js';
import { RecordDeliveryFailureCommand, RecordNotificationCommand } from '../commands/system-commands.js';
import { EscalationScheduler } from './escalation-scheduler.js';
import { NOTIFICATIONS_QUEUE, type NotificationJob } from './queues.js';
import { memberVisibleReason, WebhookClient } from './webhook-client.js';
import { deliveryId } from './webhook-signature.js';

interface MemberEndpoint {
  webhook_url: string | null;
  webhook_secret: string | null;
}

/**
 * Delivers to members: the requests of an activation (one signed webhook per member), and
 * notices of escalation and stand-down. A member without a webhook polls GET /mobilizations:
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
  ) {
    super();
  }

  async process(job: Job<NotificationJob>): Promise<unknown> {
    const data = job.data;
    if (data.kind === 'requested') return this.deliverRequests(job, data.activationId, data.memberId);
    const [request] = await this.db.query(
      `SELECT r.id, r.activation_id, r.member_id, r.status, r.asset_id, a.name AS asset_name FROM mobilization_request r
       JOIN asset a ON a.id = r.asset_id WHERE r.id = $1`,
      [data.requestId],
    );
    if (!request) return { skipped: 'unknown request' };
    const endpoint = await this.endpointOf(request.member_id);
    if (!endpoint.webhook_url) return { skipped: 'member polls' };
    const id = data.kind === 'escalated' ? deliveryId('escalated', data.requestId, data.level) : deliveryId('stood-down', data.requestId);
    const payload =
      data.kind === 'escalated'
        ? { type: 'mobilization.escalated', deliveryId: id, requestId: request.id, activationId: request.activation_id, level: data.level, contact: data.contact }
        : { type: 'mobilization.stood_down', deliveryId: id, requestId: request.id, activationId: request.activation_id, cause: data.cause };
    await this.webhooks.post(endpoint.webhook_url, endpoint.webhook_secret!, id, payload);
    return { delivered: id };
  }

  private async deliverRequests(job: Job<NotificationJob>, activationId: string, memberId: string) {
    const requests: Record<string, any>[] = await this.db.query(
      `SELECT r.id, r.requirement_id, r.asset_id, a.name AS asset_name, a.category, r.convention_id, r.ack_within_minutes,
              r.deploy_within_minutes
       FROM mobilization_request r JOIN asset a ON a.id = r.asset_id
       WHERE r.member_id = $2 AND r.activation_id = $1 AND r.status = 'PENDING' ORDER BY r.id`,
      [activationId, memberId],
    );
    if (requests.length === 0) return { delivered: 0 };
    const id = deliveryId('requested', activationId, memberId);
    const endpoint = await this.endpointOf(memberId);
    const ids = requests.map((r) => r.id as string);
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
        await this.webhooks.post(endpoint.webhook_url, endpoint.webhook_secret!, id, payload);
      } catch (error) {
        const attempts = job.attemptsMade + 1;
        if (attempts >= (job.opts.attempts ?? 1)) {
          // Members read this on their requests: "not delivered" and at most the HTTP status.
          await this.commands.execute(new RecordDeliveryFailureCommand(ids, id, attempts, memberVisibleReason(error)));
        }
        throw error;
      }
    }
    const notified = await this.commands.execute(
      new RecordNotificationCommand(activationId, ids, { id, channel: endpoint.webhook_url ? 'webhook' : 'poll', attempts: job.attemptsMade + 1 }),
    );
    // The deadlines now run: one delayed job per request, queued together. Should this process
    // die before they are queued, the sweeper queues the escalations that fall due.
    await this.escalations.schedule(notified.map((request) => ({ requestId: request.id, level: 1, at: request.ackDeadline })));
    return { delivered: notified.length, deliveryId: id };
  }

  private async endpointOf(memberId: string): Promise<MemberEndpoint> {
    const [endpoint] = await this.db.query(`SELECT webhook_url, webhook_secret FROM member WHERE id = $1`, [memberId]);
    return endpoint ?? { webhook_url: null, webhook_secret: null };
  }
}
