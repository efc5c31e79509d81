import { Processor } from '@nestjs/bullmq';
import { CommandBus } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Job } from 'bullmq';
import type { DataSource } from 'typeorm';
import { LoggedWorkerHost } from '../../common/redis/logged-worker-host.js';
import { Clock } from '../../common/time/clock.js';
import { RecordDeliveryFailureCommand, RecordNotificationCommand, stepOf } from '../commands/system-commands.js';
import { AlertScheduler } from './alert-scheduler.js';
import { AWAITING_ACKNOWLEDGEMENT } from '../domain/mobilization-request.js';
import { type EscalationNoticesJob, NOTIFICATIONS_QUEUE, type NotificationJob, type StandDownNoticesJob, webhookVersion } from './queues.js';
import { memberVisibleReason, WebhookClient } from './webhook-client.js';
import { deliveryId, type SigningSecrets } from './webhook-signature.js';

interface MemberEndpoint {
  webhook_url: string | null;
  webhook_secret: string | null;
  /** The secret before the last rotation, while its grace period runs; null otherwise. */
  previous_secret: string | null;
}

/**
 * Delivers to members: the requests of an activation (one signed webhook per member), notices
 * of escalation and stand-down (a job per member, a POST per request), and of overdue deployment. A member without a webhook polls GET /mobilizations:
 * its requests are NOTIFIED at once. The delivery id is derived from what is delivered, so a
 * retry, a stalled job run again after a crash, or a sweep never shows the member two ids for
 * the same thing.
 */
// A delivery takes at most the webhook timeout: a 15 s lock lets a crashed worker's jobs be
// picked up again within about 20 s, and a job may stall a few times before it counts as failed.
// A delivery spends most of its time waiting (its reads, the member's endpoint, the group commit):
// 100 at once per worker keep the processors busy during a fan-out (50: 5.7 s for 10,000 requests
// here, 100: 4.9 s).
@Processor(NOTIFICATIONS_QUEUE, { concurrency: 100, lockDuration: 15_000, stalledInterval: 5_000, maxStalledCount: 3 })
export class NotificationProcessor extends LoggedWorkerHost {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly commands: CommandBus,
    private readonly webhooks: WebhookClient,
    private readonly clock: Clock,
    private readonly alerts: AlertScheduler,
  ) {
    super();
  }

  async process(job: Job<NotificationJob>): Promise<unknown> {
    const data = job.data;
    if (data.kind === 'requested') return this.deliverRequests(job, data.activationId, data.memberId, data.webhookVersion);
    if (data.kind !== 'deployment-overdue') {
      const notices = await this.noticesJob(data as EscalationNoticesJob | StandDownNoticesJob | EarlierNoticeJob);
      if (!notices) return { skipped: 'unknown request' };
      if (notices !== data) await job.updateData(notices);
      return this.deliverNotices(job as Job<EscalationNoticesJob | StandDownNoticesJob>);
    }
    const [request] = await this.db.query(
      `SELECT r.id, r.activation_id, r.member_id, r.status, r.asset_id, a.name AS asset_name FROM mobilization_request r
       JOIN asset a ON a.id = r.asset_id WHERE r.id = $1`,
      [data.requestId],
    );
    if (!request) return { skipped: 'unknown request' };
    const endpoint = await this.endpointOf(request.member_id);
    if (!endpoint.webhook_url) return { skipped: 'member polls' };
    const id = deliveryId('deployment-overdue', data.requestId);
    const payload = {
      type: 'mobilization.deployment_overdue', deliveryId: id, requestId: request.id, activationId: request.activation_id,
      assetId: request.asset_id, deployDeadline: data.deployDeadline,
    };
    await this.webhooks.post(endpoint.webhook_url, signingSecrets(endpoint), id, payload, { memberId: request.member_id, attempt: job.attemptsMade + 1 });
    return { delivered: id };
  }

  /**
   * A notice queued by an earlier release, one job per request (`requestId`, no member): read as
   * the one-request job it is now, so that an upgrade while notices wait loses none.
   */
  private async noticesJob(data: EscalationNoticesJob | StandDownNoticesJob | EarlierNoticeJob): Promise<EscalationNoticesJob | StandDownNoticesJob | null> {
    if (!('requestId' in data) || 'requestIds' in data) return data as EscalationNoticesJob | StandDownNoticesJob;
    const [request]: { member_id: string; activation_id: string }[] = await this.db.query(
      `SELECT member_id, activation_id FROM mobilization_request WHERE id = $1`,
      [data.requestId],
    );
    if (!request) return null;
    return data.kind === 'escalated'
      ? { kind: 'escalated', memberId: request.member_id, requestIds: [data.requestId], level: Number(data.level) }
      : { kind: 'stood-down', memberId: request.member_id, requestIds: [data.requestId], activationId: request.activation_id, cause: String(data.cause) };
  }

  /**
   * A member's notices of escalation or stand-down: one POST per request, as many in flight at once
   * as NOTICES_IN_FLIGHT. When one fails, those the member took are written into the job before it
   * fails, so that its retry posts the others only (a process that dies mid-job posts them all again,
   * under the same delivery ids).
   */
  private async deliverNotices(job: Job<EscalationNoticesJob | StandDownNoticesJob>) {
    const data = job.data;
    const endpoint = await this.endpointOf(data.memberId);
    if (!endpoint.webhook_url) return { skipped: 'member polls' };
    const posted = new Set(data.posted ?? []);
    const notices = (data.kind === 'escalated' ? await this.escalationNotices(data) : standDownNotices(data)).filter((n) => !posted.has(n.requestId));
    const context = { memberId: data.memberId, attempt: job.attemptsMade + 1 };
    let failure: unknown;
    let next = 0;
    const poster = async () => {
      while (failure === undefined && next < notices.length) {
        const { requestId, payload } = notices[next++];
        try {
          await this.webhooks.post(endpoint.webhook_url!, signingSecrets(endpoint), payload.deliveryId, payload, context);
          posted.add(requestId);
        } catch (error) {
          failure ??= error;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(NOTICES_IN_FLIGHT, notices.length) }, poster));
    if (failure !== undefined) {
      await job.updateData({ ...data, posted: [...posted] });
      throw failure;
    }
    return { delivered: posted.size };
  }

  /** The step each request reached, as the chain recorded it (its event carries the same). */
  private async escalationNotices(data: EscalationNoticesJob): Promise<Notice[]> {
    const steps: Record<string, any>[] = await this.db.query(
      `SELECT s.*, r.activation_id FROM mobilization_request_step s JOIN mobilization_request r ON r.id = s.request_id
       WHERE s.request_id = ANY($1::uuid[]) AND s.level = $2 ORDER BY s.request_id`,
      [data.requestIds, data.level],
    );
    return steps.map((row) => {
      const step = stepOf(row);
      const id = deliveryId('escalated', row.request_id, data.level);
      return {
        requestId: row.request_id,
        payload: { type: 'mobilization.escalated', deliveryId: id, requestId: row.request_id, activationId: row.activation_id, level: data.level, contact: step.contact, step },
      };
    });
  }

  private async deliverRequests(job: Job<NotificationJob>, activationId: string, memberId: string, queuedFor: string | undefined) {
    // The member's webhook, the activation and the requests to deliver, in one round trip.
    const [found]: (MemberEndpoint & Record<string, any>)[] = await this.db.query(
      `SELECT m.webhook_url, m.webhook_secret,
              CASE WHEN m.webhook_previous_secret_expires_at > $4 THEN m.webhook_previous_secret END AS previous_secret,
              a.id, a.decision_reference, a.authorized_at, c.id AS crisis_id, c.title, c.type, c.exercise, c.departements,
              coalesce((SELECT json_agg(json_build_object(
                          'id', r.id, 'requirementId', r.requirement_id, 'assetId', r.asset_id, 'assetName', s.name, 'category', s.category,
                          'conventionId', r.convention_id, 'ackWithinMinutes', r.ack_within_minutes, 'deployWithinMinutes', r.deploy_within_minutes
                        ) ORDER BY r.id)
                        FROM mobilization_request r JOIN asset s ON s.id = r.asset_id
                        WHERE r.member_id = m.id AND r.activation_id = a.id AND r.status = ANY($3::text[]) AND r.notified_at IS NULL), '[]') AS requests
       FROM member m, activation a JOIN crisis c ON c.id = a.crisis_id
       WHERE m.id = $2 AND a.id = $1`,
      [activationId, memberId, AWAITING_ACKNOWLEDGEMENT, this.clock.now()],
    );
    if (!found) return { skipped: 'unknown member or activation' };
    const endpoint: MemberEndpoint = found;
    const version = webhookVersion(endpoint.webhook_url, endpoint.webhook_secret);
    // The webhook changed since this job was queued: the change queued a delivery of its own.
    if (queuedFor !== undefined && queuedFor !== version) return { skipped: 'webhook changed' };
    const requests = found.requests as { id: string }[];
    if (requests.length === 0) return { delivered: 0 };
    const id = deliveryId('requested', activationId, memberId, version);
    const ids = requests.map((r) => r.id as string);
    const attempts = job.attemptsMade + 1;
    // The people of the first step are alerted whatever the webhook does (once: a retry adds
    // nothing), alongside the webhook rather than before it.
    const alerting = this.alerts.alert(ids, 0, false);
    alerting.catch(() => undefined);
    if (endpoint.webhook_url) {
      const activation = found;
      const payload = {
        type: 'mobilization.requested',
        deliveryId: id,
        activation: {
          id: activation.id, decisionReference: activation.decision_reference, authorizedAt: activation.authorized_at,
          crisis: { id: activation.crisis_id, title: activation.title, type: activation.type, exercise: activation.exercise, departements: activation.departements },
        },
        requests,
      };
      try {
        await this.webhooks.post(endpoint.webhook_url, signingSecrets(endpoint), id, payload, { memberId, attempt: attempts });
      } catch (error) {
        await alerting;
        // The first failed attempt starts the deadlines all the same; the last one tells the crisis
        // cell. Members read the error on their requests: "not delivered" and at most the HTTP status.
        const final = attempts >= (job.opts.attempts ?? 1);
        await this.commands.execute(new RecordDeliveryFailureCommand(ids, id, attempts, memberVisibleReason(error), final));
        throw error;
      }
    }
    await alerting;
    const notified = await this.commands.execute(
      new RecordNotificationCommand(ids, { id, channel: endpoint.webhook_url ? 'webhook' : 'poll', attempts }),
    );
    // The deadlines run from here as data (ack_deadline): the escalation sweep finds them, no job waits for them.
    return { delivered: notified, deliveryId: id };
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

/** Notices posted at once to one member: a burst its endpoint can take, still far quicker than one by one. */
const NOTICES_IN_FLIGHT = 8;

interface Notice {
  requestId: string;
  payload: { deliveryId: string } & Record<string, unknown>;
}

/** A notice job as an earlier release queued it: one request, its member not named. */
type EarlierNoticeJob = { kind: 'escalated'; requestId: string; level: number } | { kind: 'stood-down'; requestId: string; cause: string };

function standDownNotices(data: StandDownNoticesJob): Notice[] {
  return data.requestIds.map((requestId) => {
    const id = deliveryId('stood-down', requestId);
    return { requestId, payload: { type: 'mobilization.stood_down', deliveryId: id, requestId, activationId: data.activationId, cause: data.cause } };
  });
}

/** The new secret first, then the previous one during a rotation's grace period. */
function signingSecrets(endpoint: MemberEndpoint): SigningSecrets {
  return endpoint.previous_secret ? [endpoint.webhook_secret!, endpoint.previous_secret] : [endpoint.webhook_secret!];
}
