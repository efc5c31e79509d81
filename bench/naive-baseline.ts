import { randomUUID } from 'node:crypto';
import { type Job, Queue, Worker } from 'bullmq';
import { DataSource, EntitySchema } from 'typeorm';
import { CANDIDATES_SQL, candidateParameters } from '../src/crisis/commands/activation-commands.js';
import { notificationJobOptions } from '../src/crisis/notifications/queues.js';
import type { WebhookClient } from '../src/crisis/notifications/webhook-client.js';
import { deliveryId } from '../src/crisis/notifications/webhook-signature.js';
import type { MobilizationRequestRecord } from '../src/crisis/persistence/crisis.persistence.js';

type RequestRow = Pick<
  MobilizationRequestRecord,
  'id' | 'activationId' | 'requirementId' | 'assetId' | 'memberId' | 'conventionId' | 'status' | 'ackWithinMinutes' | 'deployWithinMinutes'
> & { ackDeadline: Date; createdAt: Date; updatedAt: Date };

/** The columns a request is created with, mapped as an ORM entity so that it can be save()d one by one. */
const RequestRowSchema = new EntitySchema<RequestRow>({
  name: 'BenchMobilizationRequest',
  tableName: 'mobilization_request',
  columns: {
    id: { type: 'uuid', primary: true },
    activationId: { type: 'uuid', name: 'activation_id' },
    requirementId: { type: 'uuid', name: 'requirement_id' },
    assetId: { type: 'uuid', name: 'asset_id' },
    memberId: { type: 'uuid', name: 'member_id' },
    conventionId: { type: 'uuid', name: 'convention_id' },
    status: { type: 'text' },
    ackWithinMinutes: { type: 'int', name: 'ack_within_minutes' },
    deployWithinMinutes: { type: 'int', name: 'deploy_within_minutes' },
    ackDeadline: { type: 'timestamptz', name: 'ack_deadline' },
    createdAt: { type: 'timestamptz', name: 'created_at' },
    updatedAt: { type: 'timestamptz', name: 'updated_at' },
  },
});

interface Candidate {
  asset_id: string;
  member_id: string;
  convention_id: string;
  requirement_id: string;
  ack_within_minutes: number;
  deploy_within_minutes: number;
}

export const NAIVE_QUEUE = 'bench-naive';
/** As many deliveries in flight as the application's notification processor allows. */
const CONCURRENCY = 50;

export interface NaiveOptions {
  databaseUrl: string;
  redisUrl: string;
  queuePrefix: string;
  webhook: { attempts: number; backoffMs: number };
  webhooks: WebhookClient;
}

/**
 * The fan-out written the way the style guide warns against, for comparison: the same
 * candidates, then one ORM save() per request (a SELECT and an INSERT each) in one transaction,
 * one job per request added one at a time, and one webhook per request. It is kept generous
 * to itself: it appends no audit events and schedules no escalations. Its own data source, so
 * that its entity does not join the application's; the application's WebhookClient, so that
 * both sides sign and POST alike.
 */
export class NaiveBaseline {
  private constructor(
    private readonly db: DataSource,
    private readonly queue: Queue<{ requestId: string }>,
    private readonly worker: Worker<{ requestId: string }>,
    private readonly options: NaiveOptions,
  ) {}

  static async start(options: NaiveOptions): Promise<NaiveBaseline> {
    const db = await new DataSource({
      type: 'postgres',
      url: options.databaseUrl,
      entities: [RequestRowSchema],
      applicationName: 'renfort-bench-naive',
      // The application's pool size, so that neither side has more connections to work with.
      extra: { max: 20 },
    }).initialize();
    const connection = { url: options.redisUrl, maxRetriesPerRequest: null };
    const queue = new Queue<{ requestId: string }>(NAIVE_QUEUE, { connection, prefix: options.queuePrefix });
    let baseline: NaiveBaseline | undefined;
    const worker = new Worker<{ requestId: string }>(NAIVE_QUEUE, (job) => baseline!.deliver(job), {
      connection,
      prefix: options.queuePrefix,
      concurrency: CONCURRENCY,
    });
    baseline = new NaiveBaseline(db, queue, worker, options);
    return baseline;
  }

  /** Inserts one request per candidate of the activation, row by row; answers their ids once committed. */
  async commit(activationId: string, crisisType: string, readinessMaxAgeDays: number): Promise<string[]> {
    const now = new Date();
    return this.db.transaction(async (manager) => {
      const candidates: Candidate[] = await manager.query(CANDIDATES_SQL, candidateParameters(activationId, crisisType, now, readinessMaxAgeDays));
      const ids: string[] = [];
      for (const candidate of candidates) {
        const row: RequestRow = {
          id: randomUUID(),
          activationId,
          requirementId: candidate.requirement_id,
          assetId: candidate.asset_id,
          memberId: candidate.member_id,
          conventionId: candidate.convention_id,
          status: 'PENDING',
          ackWithinMinutes: candidate.ack_within_minutes,
          deployWithinMinutes: candidate.deploy_within_minutes,
          ackDeadline: new Date(now.getTime() + candidate.ack_within_minutes * 60_000),
          createdAt: now,
          updatedAt: now,
        };
        await manager.save(RequestRowSchema, row);
        ids.push(row.id);
      }
      return ids;
    });
  }

  async enqueue(requestIds: string[]): Promise<void> {
    for (const requestId of requestIds) {
      await this.queue.add('requested', { requestId }, { ...notificationJobOptions(this.options.webhook), jobId: `naive-${requestId}` });
    }
  }

  async failedJobs(): Promise<number> {
    return this.queue.getJobCountByTypes('failed');
  }

  async close(): Promise<void> {
    await this.worker.close();
    await this.queue.close();
    await this.db.destroy();
  }

  private async deliver(job: Job<{ requestId: string }>): Promise<void> {
    const [request] = await this.db.query(
      `SELECT r.id, r.activation_id, r.requirement_id, r.asset_id, a.name AS asset_name, a.category, r.convention_id, r.ack_within_minutes,
              r.deploy_within_minutes, m.webhook_url, m.webhook_secret, v.decision_reference, v.authorized_at, c.id AS crisis_id, c.title,
              c.type, c.exercise, c.departements
       FROM mobilization_request r JOIN asset a ON a.id = r.asset_id JOIN member m ON m.id = r.member_id
       JOIN activation v ON v.id = r.activation_id JOIN crisis c ON c.id = v.crisis_id
       WHERE r.id = $1 AND r.status = 'PENDING'`,
      [job.data.requestId],
    );
    if (!request) return;
    const id = deliveryId('requested', request.activation_id, request.id);
    await this.options.webhooks.post(request.webhook_url, request.webhook_secret, id, {
      type: 'mobilization.requested',
      deliveryId: id,
      activation: {
        id: request.activation_id, decisionReference: request.decision_reference, authorizedAt: request.authorized_at,
        crisis: { id: request.crisis_id, title: request.title, type: request.type, exercise: request.exercise, departements: request.departements },
      },
      requests: [{
        id: request.id, requirementId: request.requirement_id, assetId: request.asset_id, assetName: request.asset_name, category: request.category,
        conventionId: request.convention_id, ackWithinMinutes: request.ack_within_minutes, deployWithinMinutes: request.deploy_within_minutes,
      }],
    });
    await this.db.query(
      `UPDATE mobilization_request
       SET status = 'NOTIFIED', notified_at = now(), ack_deadline = now() + make_interval(mins => ack_within_minutes), delivery_attempts = $2,
           updated_at = now()
       WHERE id = $1 AND status = 'PENDING'`,
      [request.id, job.attemptsMade + 1],
    );
  }
}
