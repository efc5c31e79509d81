import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { AuditLog } from '../src/audit/audit-log.js';
import type { RecordedDomainEvent } from '../src/audit/domain/domain-event.js';
import { DomainEventSubscribers } from '../src/audit/relay/domain-event-subscribers.js';
import { OutboxRelay } from '../src/audit/relay/outbox-relay.js';
import { DOMAIN_EVENTS_QUEUE, domainEventJobId } from '../src/audit/relay/queues.js';
import { SYSTEM_ACTOR } from '../src/common/auth/role.js';
import { TestRedisServer } from './support/redis-server.js';
import { bearer, eventually, TestApp } from './support/test-app.js';

describe('Outbox relay: committed events reach the queue once, even across a Redis outage', () => {
  let redis: TestRedisServer;
  let t: TestApp;
  let admin: string;
  const received: RecordedDomainEvent[] = [];

  beforeAll(async () => {
    redis = await TestRedisServer.start();
    t = await TestApp.start({ env: { REDIS_URL: redis.url, RELAY_INTERVAL_MS: '50' } });
    admin = await t.adminToken();
    t.get(DomainEventSubscribers).subscribe('UserCreated', async (event) => {
      received.push(event);
    });
  });
  afterAll(async () => {
    await t.close();
    await redis.stop();
  });

  const queue = () => t.app.get<Queue>(getQueueToken(DOMAIN_EVENTS_QUEUE));
  const cursor = async () => Number((await t.db.query(`SELECT last_sequence FROM outbox_cursor WHERE name = 'domain-events'`))[0].last_sequence);
  const createUser = async (email: string) => {
    const user = await t.http.post('/api/v1/users').set(bearer(admin)).send({ email, password: 'a long enough password', role: 'AUDITOR' }).expect(201);
    await t.sealEvents();
    const [event] = await t.db.query(`SELECT sequence FROM audit_event WHERE aggregate_id = $1`, [user.body.id]);
    return { userId: user.body.id as string, sequence: Number(event.sequence) };
  };
  const deliveriesOf = (userId: string) => received.filter((event) => event.aggregateId === userId);

  it('publishes a committed event to the queue and hands it to subscribers once', async () => {
    const { userId, sequence } = await createUser('relay.first@renfort.test');
    await eventually(async () => deliveriesOf(userId).length === 1);
    const job = await queue().getJob(domainEventJobId(sequence));
    expect(job?.data).toMatchObject({ sequence, type: 'UserCreated', aggregateId: userId, actorRole: 'ADMIN' });
    expect(await cursor()).toBeGreaterThanOrEqual(sequence);
  });

  it('commits while Redis is down, and publishes once Redis is back', async () => {
    await redis.stop();
    const { userId, sequence } = await createUser('relay.outage@renfort.test');
    const health = await t.http.get('/health').expect(503);
    expect(health.body).toMatchObject({ statusCode: 503, details: { status: 'error', error: { redis: { status: 'down' } } } });
    expect(health.body.details.info.database.status).toBe('up');

    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await cursor()).toBeLessThan(sequence);
    expect(deliveriesOf(userId)).toHaveLength(0);

    await redis.start();
    await eventually(async () => (await cursor()) >= sequence, 20000);
    await eventually(async () => deliveriesOf(userId).length === 1, 20000);
    expect(await queue().getJob(domainEventJobId(sequence))).toBeDefined();
    await t.http.get('/health').expect(200);
  });

  it('passes over the events no context subscribed to: recorded, not queued', async () => {
    const [id] = await t.db.transaction((manager) =>
      t.get(AuditLog).append(manager, SYSTEM_ACTOR, [{ aggregateType: 'Probe', aggregateId: 'relay-probe', type: 'ProbeRecorded', payload: {} }]),
    );
    await t.sealEvents();
    const sequence = Number((await t.db.query(`SELECT sequence FROM audit_event WHERE id = $1`, [id]))[0].sequence);
    const { userId, sequence: wanted } = await createUser('relay.subscribed@renfort.test');
    await eventually(async () => deliveriesOf(userId).length === 1);
    expect(await cursor()).toBeGreaterThanOrEqual(sequence);
    expect(await queue().getJob(domainEventJobId(sequence))).toBeUndefined();
    expect(await queue().getJob(domainEventJobId(wanted))).toBeDefined();
  });

  it('never queues an event twice, even when the relay re-reads events it already published', async () => {
    const { userId, sequence } = await createUser('relay.replay@renfort.test');
    await eventually(async () => deliveriesOf(userId).length === 1);
    const jobsBefore = await queue().getJobCountByTypes('completed', 'active', 'waiting', 'delayed', 'failed');

    // As after a crash between adding the jobs and moving the cursor.
    await t.db.query(`UPDATE outbox_cursor SET last_sequence = $1 WHERE name = 'domain-events'`, [sequence - 1]);
    await t.get(OutboxRelay).relayOnce();
    await new Promise((resolve) => setTimeout(resolve, 300));

    expect(await cursor()).toBeGreaterThanOrEqual(sequence);
    expect(await queue().getJobCountByTypes('completed', 'active', 'waiting', 'delayed', 'failed')).toBe(jobsBefore);
    expect(deliveriesOf(userId)).toHaveLength(1);
    const sequences = received.map((event) => event.sequence);
    expect(new Set(sequences).size).toBe(sequences.length);
  });
});
