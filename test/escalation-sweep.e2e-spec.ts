import { getQueueToken } from '@nestjs/bullmq';
import { CommandBus } from '@nestjs/cqrs';
import { type Job, Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { RecordedDomainEvent } from '../src/audit/domain/domain-event.js';
import { DOMAIN_EVENTS_QUEUE, type DomainEventBatch } from '../src/audit/relay/queues.js';
import { FixedClock } from '../src/common/time/clock.js';
import { EscalateDueRequestsCommand, type EscalationSweepResult } from '../src/crisis/commands/escalate-due-requests.js';
import { NOTIFICATION_SWEEPS_QUEUE, NOTIFICATIONS_QUEUE, type NotificationJob } from '../src/crisis/notifications/queues.js';
import { deliveryId } from '../src/crisis/notifications/webhook-signature.js';
import { type CrisisActors, crisisActors, crisisCalls, isolatedCategory, preparedActivation } from './support/crisis.js';
import { type SeededMember, seedResponders } from './support/seed.js';
import { bearer, eventually, TestApp } from './support/test-app.js';
import { WebhookReceiver } from './support/webhook-receiver.js';

describe('Escalation sweep: deadlines are data, escalated set-based, notices sent per member', () => {
  const MINUTE = 60_000;
  // A day behind: the suites share one database, and the others' requests fall due by the real clock,
  // hours after this suite's deadlines; each test then counts what it escalates exactly.
  const clock = new FixedClock(new Date(Date.now() - 24 * 3600_000));
  const activations: string[] = [];
  let t: TestApp;
  let receiver: WebhookReceiver;
  let actors: CrisisActors;
  let { authorize } = {} as ReturnType<typeof crisisCalls>;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    t = await TestApp.start({ env: { RELAY_INTERVAL_MS: '50', WEBHOOK_BACKOFF_MS: '50' }, clock });
    actors = await crisisActors(t);
    ({ authorize } = crisisCalls(t, actors));
    // The sweeps run when the tests say: a scheduled one would take the requests a test escalates.
    const sweeps = t.app.get<Queue>(getQueueToken(NOTIFICATION_SWEEPS_QUEUE));
    await sweeps.removeJobScheduler('escalation-sweep');
    await sweeps.removeJobScheduler('notification-sweep');
  });
  afterAll(async () => {
    // Nothing of this suite is left to fall due under another suite's clock.
    for (const id of activations) await t.http.post(`/api/v1/activations/${id}/cancel`).set(bearer(actors.operator.token)).send({ reason: 'Test over' });
    await t.close();
    await receiver.close();
  });

  const notifications = () => t.app.get<Queue<NotificationJob>>(getQueueToken(NOTIFICATIONS_QUEUE));
  const domainEvents = () => t.app.get<Queue<RecordedDomainEvent | DomainEventBatch>>(getQueueToken(DOMAIN_EVENTS_QUEUE));
  const sweep = (batchSize?: number): Promise<EscalationSweepResult> => t.get(CommandBus).execute(new EscalateDueRequestsCommand(batchSize));
  const passMinutes = (minutes: number) => clock.advance(minutes * MINUTE);

  /** Members with webhooks on the receiver, `assets` each, whose chain is Contact 1, Contact 2, then the crisis cell; their activation delivered. */
  async function deliveredActivation(members: number, assets: number): Promise<{ activationId: string; seeded: SeededMember[]; requestIds: string[] }> {
    const category = await isolatedCategory(t);
    const seeded = await seedResponders(t.db, members, category, (path) => receiver.url(path), assets);
    for (const member of seeded) receiver.setSecret(member.path, member.secret);
    await t.db.query(
      `INSERT INTO contact (id, member_id, name, role, phone, email, escalation_order, available_24x7, created_at, updated_at)
       SELECT gen_random_uuid(), m, 'Contact ' || o, 'DUTY_OFFICER', '+3361234567' || o, 'c' || o || '@member.test', o, true, now(), now()
       FROM unnest($1::uuid[]) AS m, generate_series(1, 2) AS o`,
      [seeded.map((m) => m.memberId)],
    );
    const { activationId } = await preparedActivation(t, actors, [{ category, quantity: members * assets }]);
    activations.push(activationId);
    await authorize(activationId).expect(200);
    await eventually(async () => (await requestRows(activationId)).every((r) => r.notified_at !== null), 30000);
    const requestIds = (await requestRows(activationId)).map((r) => r.id);
    expect(requestIds).toHaveLength(members * assets);
    return { activationId, seeded, requestIds };
  }

  async function requestRows(activationId: string): Promise<Record<string, any>[]> {
    return t.db.query(
      `SELECT r.id, r.member_id, r.status, r.escalation_level, r.ack_deadline, r.chain_exhausted_at, r.notified_at,
              (SELECT count(*) FROM mobilization_request_step s WHERE s.request_id = r.id AND s.reached_at IS NOT NULL)::int AS reached
       FROM mobilization_request r WHERE r.activation_id = $1 ORDER BY r.id`,
      [activationId],
    );
  }

  async function eventsOf(type: string, requestIds: string[]): Promise<{ aggregate_id: string; payload: Record<string, any> }[]> {
    await t.sealEvents();
    return t.db.query(`SELECT aggregate_id, payload FROM audit_event WHERE type = $1 AND aggregate_id = ANY($2::text[]) ORDER BY sequence`, [type, requestIds]);
  }

  const memberOf = (job: Job<NotificationJob>) => ('memberId' in job.data ? job.data.memberId : '');
  const noticesTo = (seeded: SeededMember[], type: string) => seeded.flatMap((m) => receiver.to(m.path).filter((d) => d.body.type === type));

  async function jobsOf<T>(queue: Queue<T>, name: string, keep: (job: Job<T>) => boolean): Promise<Job<T>[]> {
    return (await queue.getJobs(['completed', 'active', 'waiting', 'delayed', 'failed'])).filter((job) => job && job.name === name && keep(job));
  }

  it('escalates 2,000 requests of one activation in one statement, with the steps reached and their events, and tells each member in one job', async () => {
    const { activationId, seeded, requestIds } = await deliveredActivation(20, 100);
    passMinutes(30);
    const escalatedAt = clock.now();

    expect(await sweep()).toEqual({ escalated: 2000, statements: 1 });
    expect(await sweep()).toEqual({ escalated: 0, statements: 1 });

    const rows = await requestRows(activationId);
    const nextDeadline = new Date(escalatedAt.getTime() + 30 * MINUTE);
    expect(rows.filter((r) => r.status === 'ESCALATED' && r.escalation_level === 1 && r.reached === 1 && r.ack_deadline.getTime() === nextDeadline.getTime()
      && r.chain_exhausted_at === null)).toHaveLength(2000);
    const events = await eventsOf('MobilizationRequestEscalated', requestIds);
    expect(events).toHaveLength(2000);
    const [first] = events;
    const member = rows.find((r) => r.id === first.aggregate_id)!.member_id;
    const [contact] = await t.db.query(`SELECT id FROM contact WHERE member_id = $1 AND escalation_order = 2`, [member]);
    const step = {
      level: 1, kind: 'MEMBER_CONTACT', directorateCode: null,
      contact: { id: contact.id, name: 'Contact 2', role: 'DUTY_OFFICER', phone: '+33612345672', email: 'c2@member.test' },
    };
    expect(first.payload).toEqual({
      requestId: first.aggregate_id, activationId, memberId: member, memberName: expect.stringMatching(/^Seeded member /), level: 1,
      step, contact: step.contact, nextDeadline: nextDeadline.toISOString(), ackWithinMinutes: 30,
    });

    // One POST per request under its own delivery id, as before; one job per member for each batch the relay handed over.
    await eventually(async () => noticesTo(seeded, 'mobilization.escalated').length >= 2000, 30000);
    const notices = noticesTo(seeded, 'mobilization.escalated');
    expect(notices).toHaveLength(2000);
    expect(notices.every((n) => n.validSignature && n.deliveryId === deliveryId('escalated', n.body.requestId, 1))).toBe(true);
    const notice = notices.find((n) => n.body.requestId === first.aggregate_id)!;
    expect(notice.body).toEqual({ type: 'mobilization.escalated', deliveryId: notice.deliveryId, requestId: first.aggregate_id, activationId, level: 1, contact: step.contact, step });
    const members = new Set(seeded.map((m) => m.memberId));
    const noticeJobs = await jobsOf(notifications(), 'escalated', (job) => members.has(memberOf(job)));
    const batches = await jobsOf(domainEvents(), 'MobilizationRequestEscalated', (job) => 'events' in job.data && job.data.events.some((e) => requestIds.includes(e.aggregateId)));
    const membersPerBatch = batches.map((job) => new Set((job.data as DomainEventBatch).events.map((e) => e.payload.memberId)).size);
    expect(noticeJobs).toHaveLength(membersPerBatch.reduce((sum, n) => sum + n, 0));
    // A member's events are recorded together: only where a relay batch ends does a member get a second job.
    expect(noticeJobs.length).toBeLessThanOrEqual(20 + batches.length - 1);

    // Past the last step: the crisis cell, no deadline left.
    passMinutes(30);
    expect(await sweep()).toEqual({ escalated: 2000, statements: 1 });
    const exhausted = await requestRows(activationId);
    expect(exhausted.filter((r) => r.escalation_level === 2 && r.reached === 2 && r.ack_deadline === null && r.chain_exhausted_at?.getTime() === clock.now().getTime()))
      .toHaveLength(2000);
    expect(await eventsOf('MobilizationRequestChainExhausted', requestIds)).toHaveLength(2000);
    passMinutes(120);
    expect(await sweep()).toEqual({ escalated: 0, statements: 1 });
  });

  it('escalates each request once when sweeps run at the same time, and never waits for a request being answered', async () => {
    const { activationId, requestIds } = await deliveredActivation(10, 50);
    passMinutes(30);
    // Ten requests locked as an answer locks them: the sweeps pass them over rather than wait.
    const answering = t.db.createQueryRunner();
    await answering.connect();
    await answering.startTransaction();
    let results: EscalationSweepResult[];
    try {
      await answering.query(`SELECT id FROM mobilization_request WHERE id = ANY($1::uuid[]) FOR UPDATE`, [requestIds.slice(0, 10)]);
      results = await Promise.race([
        Promise.all([sweep(40), sweep(40), sweep(40), sweep(40)]),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the sweeps waited for the locked requests')), 10_000)),
      ]);
    } finally {
      await answering.rollbackTransaction();
      await answering.release();
    }

    expect(results.reduce((sum, r) => sum + r.escalated, 0)).toBe(490);
    expect(await sweep()).toEqual({ escalated: 10, statements: 1 });
    expect((await requestRows(activationId)).every((r) => r.escalation_level === 1 && r.reached === 1)).toBe(true);
    const events = await eventsOf('MobilizationRequestEscalated', requestIds);
    expect(events).toHaveLength(500);
    expect(new Set(events.map((e) => e.aggregate_id)).size).toBe(500);
    expect(await sweep()).toEqual({ escalated: 0, statements: 1 });
  });

  it('leaves no delayed job in any queue after a fan-out: the deadlines wait in the database', async () => {
    const { activationId } = await deliveredActivation(5, 3);
    expect((await requestRows(activationId)).every((r) => r.ack_deadline !== null)).toBe(true);

    // Every queue of the service: BullMQ keeps each queue's delayed jobs in `<prefix>:<queue>:delayed`.
    const redis = new Redis(t.config.redisUrl!);
    try {
      const keys = await redis.keys(`${t.config.queuePrefix}:*:delayed`);
      const delayed = (await Promise.all(keys.map(async (key) => (await redis.zrange(key, 0, -1)).map((id) => `${key} ${id}`)))).flat();
      // The schedulers' next runs (every few minutes or hours) are the only ones.
      expect(delayed.filter((job) => !/ repeat:/.test(job))).toEqual([]);
    } finally {
      redis.disconnect();
    }
  });

  it('stands down an activation with one notice job per member, one POST per request', async () => {
    const { activationId, seeded, requestIds } = await deliveredActivation(3, 4);

    await t.http.post(`/api/v1/activations/${activationId}/cancel`).set(bearer(actors.operator.token)).send({ reason: 'False alarm' }).expect(200);

    await eventually(async () => noticesTo(seeded, 'mobilization.stood_down').length >= 12);
    const notices = noticesTo(seeded, 'mobilization.stood_down');
    expect(notices.map((n) => n.body.requestId).sort()).toEqual([...requestIds].sort());
    for (const notice of notices) {
      const { requestId } = notice.body;
      expect(notice.validSignature).toBe(true);
      expect(notice.body).toEqual({ type: 'mobilization.stood_down', deliveryId: deliveryId('stood-down', requestId), requestId, activationId, cause: 'cancel' });
    }
    const members = new Set(seeded.map((m) => m.memberId));
    expect(await jobsOf(notifications(), 'stood-down', (job) => members.has(memberOf(job)))).toHaveLength(3);
    const relayed = await jobsOf(domainEvents(), 'MobilizationRequestStoodDown', (job) =>
      ('events' in job.data ? job.data.events : [job.data]).some((e) => requestIds.includes(e.aggregateId)));
    expect(relayed).toHaveLength(1);
  });

  it('delivers a notice queued by an earlier release, one job per request, after an upgrade', async () => {
    const { activationId, seeded, requestIds } = await deliveredActivation(1, 2);
    const [member] = seeded;
    // As the previous release queued a stand-down notice: the request alone, its member not named.
    const earlier = { kind: 'stood-down', requestId: requestIds[0], cause: 'cancel' } as unknown as NotificationJob;
    await notifications().add('stood-down', earlier, { jobId: `stood-down-${requestIds[0]}` });

    await eventually(async () => receiver.to(member.path).some((d) => d.body.type === 'mobilization.stood_down'));
    const [notice] = receiver.to(member.path).filter((d) => d.body.type === 'mobilization.stood_down');
    expect(notice.validSignature).toBe(true);
    expect(notice.body).toEqual({
      type: 'mobilization.stood_down', deliveryId: deliveryId('stood-down', requestIds[0]), requestId: requestIds[0], activationId, cause: 'cancel',
    });
  });

  it('retries a failed notice job without posting again the notices the member took', async () => {
    const { activationId, seeded, requestIds } = await deliveredActivation(1, 4);
    const [member] = seeded;
    const failing = deliveryId('stood-down', requestIds[2]);
    receiver.failDelivery(failing, 1);

    await t.http.post(`/api/v1/activations/${activationId}/cancel`).set(bearer(actors.operator.token)).send({ reason: 'Exercise over' }).expect(200);

    const posts = () => receiver.to(member.path).filter((d) => d.body.type === 'mobilization.stood_down');
    await eventually(async () => posts().length >= 5);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const deliveries = posts().map((d) => d.deliveryId);
    expect(deliveries.filter((id) => id === failing)).toHaveLength(2);
    expect(deliveries.filter((id) => id !== failing).sort()).toEqual(
      requestIds.filter((_, i) => i !== 2).map((id) => deliveryId('stood-down', id)).sort(),
    );
    const [job] = await jobsOf(notifications(), 'stood-down', (j) => memberOf(j) === member.memberId);
    expect(job.attemptsMade).toBe(2);
  });

  it('loses no notice when queuing them fails after the escalation committed: the relayed batch is run again', async () => {
    const { seeded, requestIds } = await deliveredActivation(3, 2);
    // Whichever instance of the notifications queue the workers hold: its first bulk add of escalation notices fails.
    const addBulk = Queue.prototype.addBulk;
    let failures = 0;
    Queue.prototype.addBulk = async function (this: Queue, jobs: Parameters<Queue['addBulk']>[0]) {
      if (this.name === NOTIFICATIONS_QUEUE && jobs.some((job) => job.name === 'escalated') && failures === 0) {
        failures += 1;
        throw new Error('Redis went away (injected)');
      }
      return addBulk.call(this, jobs);
    };
    try {
      passMinutes(30);
      // The requests of the test that left no delayed job fall due at the same time.
      expect((await sweep()).escalated).toBeGreaterThanOrEqual(6);
      await eventually(async () => noticesTo(seeded, 'mobilization.escalated').length >= 6, 20000);
    } finally {
      Queue.prototype.addBulk = addBulk;
    }
    expect(failures).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(noticesTo(seeded, 'mobilization.escalated').map((n) => n.body.requestId).sort()).toEqual([...requestIds].sort());
    const [batch] = await jobsOf(domainEvents(), 'MobilizationRequestEscalated', (job) => 'events' in job.data && job.data.events.some((e) => requestIds.includes(e.aggregateId)));
    expect(batch.attemptsMade).toBe(2);
  });
});
