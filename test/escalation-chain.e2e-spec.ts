import { randomUUID } from 'node:crypto';
import { FixedClock } from '../src/common/time/clock.js';
import { NotificationSweeper } from '../src/crisis/notifications/notification-sweeper.js';
import { activate, conventionBody } from './support/conventions.js';
import { type CrisisActors, crisisActors, crisisCalls, isolatedCategory, preparedActivation } from './support/crisis.js';
import { droneAsset, memberWithUser, type MemberFixture } from './support/fixtures.js';
import { bearer, eventually, TestApp } from './support/test-app.js';
import { WebhookReceiver } from './support/webhook-receiver.js';

describe('Escalation chain: a request is never stuck, whatever its delivery', () => {
  const MINUTE = 60_000;
  const clock = new FixedClock(new Date());
  let t: TestApp;
  let receiver: WebhookReceiver;
  let actors: CrisisActors;
  let admin: string;
  let { authorize, progress, requestsOf, respond } = {} as ReturnType<typeof crisisCalls>;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    t = await TestApp.start({ env: { RELAY_INTERVAL_MS: '50', WEBHOOK_ATTEMPTS: '2', WEBHOOK_BACKOFF_MS: '50' }, clock });
    actors = await crisisActors(t);
    admin = await t.adminToken();
    ({ authorize, progress, requestsOf, respond } = crisisCalls(t, actors));
  });
  afterAll(async () => {
    await t.close();
    await receiver.close();
  });

  interface Member extends MemberFixture {
    path: string | null;
    name: string;
  }

  /** A vetted member with contacts and one asset under an ACTIVE convention, with or without the directorate's contact. */
  async function member(
    category: string,
    options: { webhook: boolean; contacts: number; directorateContactId?: string; ackWithinMinutes?: number; deployWithinMinutes?: number },
  ): Promise<Member> {
    const path = options.webhook ? `member-${randomUUID().slice(0, 8)}` : null;
    const fixture = await memberWithUser(t, path ? { webhookUrl: receiver.url(path) } : {});
    if (path) receiver.setSecret(path, fixture.member.webhookSecret!);
    const name = `Membre ${randomUUID().slice(0, 6)}`;
    await t.http.patch(`/api/v1/members/${fixture.member.id}`).set(bearer(admin)).send({ legalName: name }).expect(200);
    for (let order = 1; order <= options.contacts; order += 1) await addContact(fixture, order);
    const asset = await t.http.post('/api/v1/assets').set(bearer(fixture.user.token)).send(droneAsset({ category, coverage: { departements: ['06', '83'] } })).expect(201);
    const convention = await t.http
      .post('/api/v1/conventions')
      .set(bearer(actors.directorate.token))
      .send(conventionBody(fixture.member.id, [asset.body.id], {
        ackWithinMinutes: options.ackWithinMinutes ?? 30,
        deployWithinMinutes: options.deployWithinMinutes ?? 240,
        ...(options.directorateContactId ? { directorateContactId: options.directorateContactId } : {}),
      }))
      .expect(201);
    await activate(t, convention.body.id, actors.directorate, fixture.user);
    return { ...fixture, path, name };
  }

  async function addContact(fixture: MemberFixture, order: number): Promise<string> {
    const contact = await t.http
      .post(`/api/v1/members/${fixture.member.id}/contacts`)
      .set(bearer(fixture.user.token))
      .send({ name: `Contact ${order}`, role: 'DUTY_OFFICER', phone: `+3361234567${order}`, email: `c${order}@member.test`, escalationOrder: order, available24x7: true })
      .expect(201);
    return contact.body.id;
  }

  async function directorateContact(name: string): Promise<string> {
    const [{ next }] = await t.db.query(`SELECT coalesce(max(escalation_order), 0) + 1 AS next FROM contact WHERE directorate_code = 'DGSCGC'`);
    const added = await t.http
      .post('/api/v1/directorates/DGSCGC/contacts')
      .set(bearer(admin))
      .send({ name, role: 'NATIONAL_CORRESPONDENT', phone: '+33612340000', email: 'cos@dgscgc.test', escalationOrder: next, available24x7: true })
      .expect(201);
    return added.body.id;
  }

  const requestOf = async (who: Member, activationId: string) => (await requestsOf(who.user.token, activationId))[0];

  /** Time passes on the clock of the deadlines; the sweeper runs what fell due. */
  async function passMinutes(minutes: number): Promise<void> {
    clock.advance(minutes * MINUTE);
    await t.get(NotificationSweeper).sweep();
  }

  it('escalates a member whose webhook always fails along its whole chain, at the convention\'s pace, and tells the crisis cell at once', async () => {
    const category = await isolatedCategory(t);
    const cos = await directorateContact('Claire Martin');
    const dead = await member(category, { webhook: true, contacts: 2, directorateContactId: cos });
    receiver.failNext(dead.path!, 'always');
    const { activationId } = await preparedActivation(t, actors, [{ category, quantity: 1 }]);
    const authorizedAt = clock.now();
    await authorize(activationId).expect(200);

    // Every attempt failed: the crisis cell sees it at once, worded as the member may read it.
    const failed = await eventually(async () => {
      const view = await progress(activationId);
      return view.flags.find((f: { kind: string }) => f.kind === 'DELIVERY_FAILED') && view;
    });
    expect(failed.deliveryFailures).toBe(1);
    expect(failed.flags).toEqual([expect.objectContaining({
      kind: 'DELIVERY_FAILED', memberId: dead.member.id, memberName: dead.name, message: 'Not delivered: the endpoint answered HTTP 500',
    })]);
    const [event] = (await t.http.get('/api/v1/audit/events').query({ type: 'MobilizationRequestDeliveryFailed', pageSize: 200 }).set(bearer(admin)).expect(200))
      .body.items.filter((e: { payload: { memberId: string } }) => e.payload.memberId === dead.member.id);
    expect(event.payload).toMatchObject({ memberName: dead.name, error: 'Not delivered: the endpoint answered HTTP 500', attempts: 2 });

    // The deadline runs from the first attempt, though nothing was delivered.
    const request = await requestOf(dead, activationId);
    expect(request).toMatchObject({ status: 'PENDING', notifiedAt: null, deliveryStartedAt: authorizedAt.toISOString() });
    expect(request.ackDeadline).toBe(new Date(authorizedAt.getTime() + 30 * MINUTE).toISOString());

    const levelOf = async () => (await requestOf(dead, activationId)).escalationLevel;
    await passMinutes(29);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await levelOf()).toBe(0);
    await passMinutes(1);
    await eventually(async () => (await levelOf()) === 1);
    await passMinutes(29);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await levelOf()).toBe(1);
    await passMinutes(1);
    await eventually(async () => (await levelOf()) === 2);
    await passMinutes(30);
    await eventually(async () => (await levelOf()) === 3);

    const exhausted = await requestOf(dead, activationId);
    expect(exhausted).toMatchObject({ status: 'ESCALATED', ackDeadline: null, chainExhaustedAt: clock.now().toISOString() });
    const view = await progress(activationId);
    expect(view.chainsExhausted).toBe(1);
    expect(view.flags).toEqual(expect.arrayContaining([expect.objectContaining({
      kind: 'CHAIN_EXHAUSTED', requestId: request.id, message: `No answer from member ${dead.name} after its whole chain`,
    })]));
    expect(view.escalationSteps.map((s: Record<string, unknown>) => [s.level, s.kind, s.contactName, s.directorateCode])).toEqual([
      [1, 'MEMBER_CONTACT', 'Contact 2', null],
      [2, 'DIRECTORATE_CONTACT', 'Claire Martin', 'DGSCGC'],
      [3, 'CRISIS_CELL', null, null],
    ]);
    const timeline = await t.http.get(`/api/v1/activations/${activationId}/timeline`).query({ pageSize: 200 }).set(bearer(admin)).expect(200);
    expect(timeline.body.items.filter((e: { type: string }) => e.type === 'MobilizationRequestEscalated').map((e: { escalation: unknown }) => e.escalation)).toEqual([
      { level: 1, kind: 'MEMBER_CONTACT', reached: 'Contact 2' },
      { level: 2, kind: 'DIRECTORATE_CONTACT', reached: 'Claire Martin (DGSCGC)' },
      { level: 3, kind: 'CRISIS_CELL', reached: 'crisis cell' },
    ]);

    // Past its last step there is nothing left to escalate to; the member can still answer.
    await passMinutes(120);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await levelOf()).toBe(3);
    expect((await respond(dead.user.token, request.id, 'acknowledge').expect(200)).body.status).toBe('ACKNOWLEDGED');
  });

  it('lets a member whose every delivery failed acknowledge its request by polling', async () => {
    const category = await isolatedCategory(t);
    const dead = await member(category, { webhook: true, contacts: 1 });
    receiver.failNext(dead.path!, 'always');
    const { activationId } = await preparedActivation(t, actors, [{ category, quantity: 1 }]);
    await authorize(activationId).expect(200);
    await eventually(async () => (await progress(activationId)).deliveryFailures === 1);

    const request = await requestOf(dead, activationId);
    expect(request).toMatchObject({ status: 'PENDING', allowedResponses: ['acknowledge', 'accept', 'decline'] });
    const acknowledged = await respond(dead.user.token, request.id, 'acknowledge').expect(200);
    expect(acknowledged.body.status).toBe('ACKNOWLEDGED');
  });

  it('delivers the open requests of a member once when it fixes its webhook', async () => {
    const category = await isolatedCategory(t);
    const dead = await member(category, { webhook: true, contacts: 1 });
    receiver.failNext(dead.path!, 'always');
    const { activationId } = await preparedActivation(t, actors, [{ category, quantity: 1 }]);
    await authorize(activationId).expect(200);
    await eventually(async () => (await progress(activationId)).deliveryFailures === 1);
    const failedAttempts = receiver.to(dead.path!).length;

    const fixed = `fixed-${randomUUID().slice(0, 8)}`;
    receiver.setSecret(fixed, dead.member.webhookSecret!);
    await t.http.patch(`/api/v1/members/${dead.member.id}`).set(bearer(dead.user.token)).send({ webhookUrl: receiver.url(fixed) }).expect(200);

    await eventually(async () => (await requestOf(dead, activationId)).status === 'NOTIFIED');
    const [delivery] = receiver.to(fixed);
    expect(delivery.validSignature).toBe(true);
    expect(delivery.body).toMatchObject({ type: 'mobilization.requested', activation: { id: activationId } });
    expect(delivery.body.requests.map((r: { id: string }) => r.id)).toEqual([(await requestOf(dead, activationId)).id]);
    const view = await progress(activationId);
    expect(view).toMatchObject({ deliveryFailures: 0, flags: [] });

    // Other edits, the sweeper and a replay deliver nothing more.
    await t.http.patch(`/api/v1/members/${dead.member.id}`).set(bearer(admin)).send({ legalName: `${dead.name} SAS` }).expect(200);
    await t.get(NotificationSweeper).sweep();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(receiver.to(fixed).filter((d) => d.body.type === 'mobilization.requested')).toHaveLength(1);
    expect(receiver.to(dead.path!)).toHaveLength(failedAttempts);
  });

  it('keeps the chain a request took at its creation: a contact added during the crisis does not join it', async () => {
    const category = await isolatedCategory(t);
    const poller = await member(category, { webhook: false, contacts: 1 });
    const { activationId } = await preparedActivation(t, actors, [{ category, quantity: 1 }]);
    await authorize(activationId).expect(200);
    await eventually(async () => (await requestOf(poller, activationId))?.status === 'NOTIFIED');
    await addContact(poller, 2);
    // A contact who leaves the company can be removed: the chain keeps who was asked.
    const requestId = (await requestOf(poller, activationId)).id;
    const [first] = await t.db.query(`SELECT contact_id, contact_name FROM mobilization_request_step WHERE request_id = $1 AND level = 0`, [requestId]);
    await t.http.delete(`/api/v1/members/${poller.member.id}/contacts/${first.contact_id}`).set(bearer(poller.user.token)).expect(204);
    expect(await t.db.query(`SELECT contact_id, contact_name FROM mobilization_request_step WHERE request_id = $1 AND level = 0`, [requestId]))
      .toEqual([{ contact_id: null, contact_name: first.contact_name }]);

    await passMinutes(30);
    await eventually(async () => (await requestOf(poller, activationId)).escalationLevel === 1);
    const view = await progress(activationId);
    expect(view.escalationSteps).toEqual([expect.objectContaining({ level: 1, kind: 'CRISIS_CELL', contactName: null, memberName: poller.name })]);
    expect(view.flags).toEqual([expect.objectContaining({ kind: 'CHAIN_EXHAUSTED', message: `No answer from member ${poller.name} after its whole chain` })]);
  });

  it('flags an accepted request not deployed within the convention\'s time, and reminds the member once', async () => {
    const category = await isolatedCategory(t);
    const slow = await member(category, { webhook: true, contacts: 1, deployWithinMinutes: 60 });
    const { activationId } = await preparedActivation(t, actors, [{ category, quantity: 1 }]);
    await authorize(activationId).expect(200);
    await eventually(async () => (await requestOf(slow, activationId))?.status === 'NOTIFIED');
    const request = await requestOf(slow, activationId);
    const acceptedAt = clock.now();
    await respond(slow.user.token, request.id, 'accept').expect(200);
    expect((await requestOf(slow, activationId)).deployDeadline).toBe(new Date(acceptedAt.getTime() + 60 * MINUTE).toISOString());

    await passMinutes(59);
    expect((await requestOf(slow, activationId)).deploymentLateAt).toBeNull();
    await passMinutes(1);
    await eventually(async () => (await requestOf(slow, activationId)).deploymentLateAt !== null);
    const view = await progress(activationId);
    expect(view.lateDeployments).toBe(1);
    expect(view.flags).toEqual([expect.objectContaining({ kind: 'DEPLOYMENT_LATE', requestId: request.id, memberName: slow.name })]);
    const reminders = () => receiver.to(slow.path!).filter((d) => d.body.type === 'mobilization.deployment_overdue');
    await eventually(async () => reminders().length === 1);
    expect(reminders()[0].body).toMatchObject({ requestId: request.id, deployDeadline: new Date(acceptedAt.getTime() + 60 * MINUTE).toISOString() });
    expect(reminders()[0].validSignature).toBe(true);

    await passMinutes(60);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(reminders()).toHaveLength(1);
    // Deployed at last: no longer flagged.
    await respond(slow.user.token, request.id, 'deploy').expect(200);
    expect((await progress(activationId)).flags).toEqual([]);
  });
});
