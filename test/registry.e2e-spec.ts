import { randomUUID } from 'node:crypto';
import { FixedClock } from '../src/common/time/clock.js';
import { droneAsset, memberWithUser, type MemberFixture, validSiren } from './support/fixtures.js';
import { bearer, TestApp } from './support/test-app.js';

describe('Registry: members, contacts, assets, offers', () => {
  let t: TestApp;
  let admin: string;
  let operator: string;
  let a: MemberFixture;
  let b: MemberFixture;

  beforeAll(async () => {
    t = await TestApp.start({ env: { RUN_WORKERS: 'false' } });
    admin = await t.adminToken();
    operator = (await t.signedInUser('CRISIS_OPERATOR')).token;
    a = await memberWithUser(t, { legalName: 'Alpha Drones SAS' });
    b = await memberWithUser(t, { legalName: 'Bravo Télécom SA' });
  });
  afterAll(async () => {
    await t.close();
  });

  const registerMember = (body: Record<string, unknown>) =>
    t.http.post('/api/v1/members').set(bearer(admin)).send({ legalName: 'Test SAS', charterSignedAt: '2017-03-21', charterSignatory: 'C. Martin', ...body });
  const declare = (token: string, body: Record<string, unknown>) => t.http.post('/api/v1/assets').set(bearer(token)).send(body);

  describe('members and the charter adhesion', () => {
    it.each([
      ['too short', '12345678'],
      ['too long', '1234567890'],
      ['not digits', '12345678A'],
      ['a bad Luhn check digit', '732829321'],
    ])('refuses a SIREN that is %s with a 400 naming siren', async (_, siren) => {
      const response = await registerMember({ siren }).expect(400);
      expect(response.body.details.map((d: { field: string }) => d.field)).toEqual(['siren']);
      expect(response.body.message).toMatch(/siren/);
    });

    it('refuses a second member with the same SIREN with 409', async () => {
      const siren = validSiren();
      await registerMember({ siren }).expect(201);
      const response = await registerMember({ siren, legalName: 'Other' }).expect(409);
      expect(response.body.code).toBe('MEMBER.SIREN_TAKEN');
    });

    it('refuses a charter signature date in the future', async () => {
      const response = await registerMember({ siren: validSiren(), charterSignedAt: '2999-01-01' }).expect(400);
      expect(response.body.details[0].field).toBe('charterSignedAt');
    });

    it('refuses a webhook over plain http to another host, and accepts loopback for tests', async () => {
      const refused = await registerMember({ siren: validSiren(), webhookUrl: 'http://alerts.example.fr/hook' }).expect(400);
      expect(refused.body.details[0].field).toBe('webhookUrl');
      await registerMember({ siren: validSiren(), webhookUrl: 'http://127.0.0.1:9999/hook' }).expect(201);
    });

    it('starts PENDING and shows the webhook secret once, never on reads', async () => {
      const created = await registerMember({ siren: validSiren(), webhookUrl: 'https://alerts.example.fr/renfort' }).expect(201);
      expect(created.body).toMatchObject({ status: 'PENDING', allowedActions: ['vet', 'withdraw'], webhookSecret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{43}=$/) });
      const read = await t.http.get(`/api/v1/members/${created.body.id}`).set(bearer(admin)).expect(200);
      expect(read.body).not.toHaveProperty('webhookSecret');
      const rotated = await t.http.post(`/api/v1/members/${created.body.id}/webhook-secret/rotate`).set(bearer(admin)).expect(200);
      expect(rotated.body.webhookSecret).toMatch(/^whsec_/);
      expect(rotated.body.webhookSecret).not.toBe(created.body.webhookSecret);
    });

    it('vets, suspends, reinstates and withdraws; refuses reinstating a withdrawn member with 409 naming the state', async () => {
      const { body: member } = await registerMember({ siren: validSiren() }).expect(201);
      const step = (action: string, expected: number) =>
        t.http.post(`/api/v1/members/${member.id}/${action}`).set(bearer(admin)).send({ reason: `${action} for the test` }).expect(expected);
      expect((await step('vet', 200)).body.status).toBe('ACTIVE');
      expect((await step('suspend', 200)).body.status).toBe('SUSPENDED');
      expect((await step('reinstate', 200)).body.status).toBe('ACTIVE');
      expect((await step('withdraw', 200)).body).toMatchObject({ status: 'WITHDRAWN', allowedActions: [] });
      const refused = await step('reinstate', 409);
      expect(refused.body).toMatchObject({ code: 'MEMBER.ILLEGAL_TRANSITION' });
      expect(refused.body.message).toContain('WITHDRAWN');

      const events = await t.http.get('/api/v1/audit/events').query({ aggregateId: member.id }).set(bearer(admin)).expect(200);
      const adminId = (await t.http.get('/api/v1/users/me').set(bearer(admin))).body.id;
      expect(events.body.items.map((e: { type: string }) => e.type)).toEqual([
        'MemberRegistered', 'MemberVetted', 'MemberSuspended', 'MemberReinstated', 'MemberWithdrawn',
      ]);
      for (const event of events.body.items) {
        expect(event).toMatchObject({ actorId: adminId, actorRole: 'ADMIN', occurredAt: expect.any(String) });
      }
      expect(events.body.items[1].payload).toEqual({ from: 'PENDING', to: 'ACTIVE', reason: 'vet for the test' });
    });

    it('lets only the ADMIN change the adhesion', async () => {
      await t.http.post(`/api/v1/members/${a.member.id}/suspend`).set(bearer(a.user.token)).send({}).expect(403);
      await t.http.post(`/api/v1/members/${a.member.id}/suspend`).set(bearer(operator)).send({}).expect(403);
      await t.http.post('/api/v1/members').set(bearer(operator)).send({}).expect(403);
    });

    it("keeps a MEMBER user inside its own member: 404 for another's, absent from lists", async () => {
      await t.http.get(`/api/v1/members/${b.member.id}`).set(bearer(a.user.token)).expect(404);
      await t.http.patch(`/api/v1/members/${b.member.id}`).set(bearer(a.user.token)).send({ legalName: 'Taken over' }).expect(404);
      const own = await t.http.get(`/api/v1/members/${a.member.id}`).set(bearer(a.user.token)).expect(200);
      expect(own.body.legalName).toBe('Alpha Drones SAS');
      const list = await t.http.get('/api/v1/members').set(bearer(a.user.token)).expect(200);
      expect(list.body.items.map((m: { id: string }) => m.id)).toEqual([a.member.id]);
      const all = await t.http.get('/api/v1/members').query({ pageSize: 200 }).set(bearer(operator)).expect(200);
      expect(all.body.total).toBeGreaterThanOrEqual(2);
    });

    it('lets a member edit its own record', async () => {
      const edited = await t.http.patch(`/api/v1/members/${a.member.id}`).set(bearer(a.user.token)).send({ charterSignatory: 'Paul Durand' }).expect(200);
      expect(edited.body.charterSignatory).toBe('Paul Durand');
      await t.http.patch(`/api/v1/members/${a.member.id}`).set(bearer(a.user.token)).send({ charterSignatory: 'x', version: 1 }).expect(409);
    });
  });

  describe('contacts', () => {
    const contact = (order: number) => ({
      name: 'Julien Lefèvre', role: 'DUTY_OFFICER', phone: '+33612345678', email: 'astreinte@alpha.fr', escalationOrder: order, available24x7: true,
    });

    it('adds contacts in escalation order, unique per member', async () => {
      const { member, user } = await memberWithUser(t);
      await t.http.post(`/api/v1/members/${member.id}/contacts`).set(bearer(user.token)).send(contact(2)).expect(201);
      await t.http.post(`/api/v1/members/${member.id}/contacts`).set(bearer(user.token)).send(contact(1)).expect(201);
      const clash = await t.http.post(`/api/v1/members/${member.id}/contacts`).set(bearer(user.token)).send(contact(1)).expect(409);
      expect(clash.body.code).toBe('CONTACT.ESCALATION_ORDER_TAKEN');
      const list = await t.http.get(`/api/v1/members/${member.id}/contacts`).set(bearer(user.token)).expect(200);
      expect(list.body.map((c: { escalationOrder: number }) => c.escalationOrder)).toEqual([1, 2]);
    });

    it('refuses a phone that is not E.164', async () => {
      const response = await t.http.post(`/api/v1/members/${a.member.id}/contacts`).set(bearer(a.user.token)).send({ ...contact(9), phone: '06 12 34 56 78' }).expect(400);
      expect(response.body.details[0].field).toBe('phone');
    });

    it("hides another member's contacts and refuses to change them", async () => {
      const added = await t.http.post(`/api/v1/members/${b.member.id}/contacts`).set(bearer(b.user.token)).send(contact(5)).expect(201);
      await t.http.get(`/api/v1/members/${b.member.id}/contacts`).set(bearer(a.user.token)).expect(404);
      await t.http.post(`/api/v1/members/${b.member.id}/contacts`).set(bearer(a.user.token)).send(contact(6)).expect(404);
      await t.http.patch(`/api/v1/members/${b.member.id}/contacts/${added.body.id}`).set(bearer(a.user.token)).send({ name: 'x' }).expect(404);
      await t.http.delete(`/api/v1/members/${b.member.id}/contacts/${added.body.id}`).set(bearer(a.user.token)).expect(404);
      await t.http.delete(`/api/v1/members/${a.member.id}/contacts/${added.body.id}`).set(bearer(a.user.token)).expect(404);
      await t.http.delete(`/api/v1/members/${b.member.id}/contacts/${added.body.id}`).set(bearer(b.user.token)).expect(204);
    });

    it('keeps directorate contacts as reference data the ADMIN maintains', async () => {
      // Other suites may have given DGSCGC contacts already: this one takes the next escalation order.
      const [{ next }] = await t.db.query(`SELECT coalesce(max(escalation_order), 0) + 1 AS next FROM contact WHERE directorate_code = 'DGSCGC'`);
      const added = await t.http.post('/api/v1/directorates/DGSCGC/contacts').set(bearer(admin)).send({ ...contact(next), role: 'NATIONAL_CORRESPONDENT' }).expect(201);
      await t.http.post('/api/v1/directorates/DGSCGC/contacts').set(bearer(operator)).send(contact(next + 1)).expect(403);
      await t.http.post('/api/v1/directorates/NOPE/contacts').set(bearer(admin)).send(contact(1)).expect(404);
      const list = await t.http.get('/api/v1/directorates/DGSCGC/contacts').set(bearer(a.user.token)).expect(200);
      expect(list.body.find((c: { id: string }) => c.id === added.body.id)).toMatchObject({ directorateCode: 'DGSCGC', role: 'NATIONAL_CORRESPONDENT' });
    });
  });

  describe('reference data', () => {
    it('lists the seeded directorates and categories to every role', async () => {
      const directorates = await t.http.get('/api/v1/directorates').set(bearer(a.user.token)).expect(200);
      expect(directorates.body.map((d: { code: string }) => d.code)).toEqual(expect.arrayContaining(['DGPN', 'DGGN', 'DGSCGC', 'DGSI', 'DGEF', 'DGCL', 'PP']));
      expect(directorates.body.find((d: { code: string }) => d.code === 'DGSCGC').name).toMatch(/sécurité civile/);
      const categories = await t.http.get('/api/v1/categories').set(bearer(operator)).expect(200);
      expect(categories.body.map((c: { code: string }) => c.code)).toEqual(
        expect.arrayContaining(['DRONE', 'SECURE_TELECOM', 'URBAN_SECURITY', 'SOFTWARE', 'CYBER_EXPERT', 'OTHER_EXPERTISE']),
      );
    });

    it('lets the ADMIN add a category, once', async () => {
      await t.http.post('/api/v1/categories').set(bearer(admin)).send({ code: 'SATELLITE_IMAGERY', label: 'Satellite imagery' }).expect(201);
      await t.http.post('/api/v1/categories').set(bearer(admin)).send({ code: 'SATELLITE_IMAGERY', label: 'Again' }).expect(409);
      await t.http.post('/api/v1/categories').set(bearer(operator)).send({ code: 'OTHER', label: 'x' }).expect(403);
      await declare(a.user.token, droneAsset({ category: 'SATELLITE_IMAGERY', coverage: { national: true } })).expect(201);
      const unknown = await declare(a.user.token, droneAsset({ category: 'TELEPORTATION' })).expect(400);
      expect(unknown.body.details[0].field).toBe('category');
    });
  });

  describe('assets', () => {
    it('declares an AVAILABLE, freshly attested asset for the own member', async () => {
      const response = await declare(a.user.token, droneAsset({ capabilityTier: 2 })).expect(201);
      expect(response.body).toMatchObject({
        memberId: a.member.id, status: 'AVAILABLE', stale: false, coverage: { departements: ['06', '83'] }, capabilityTier: 2, version: 1,
      });
    });

    it.each([
      ['price: 0', { price: 0 }, 'price'],
      ['costPerDay', { costPerDay: 150 }, 'costPerDay'],
      ['fee', { fee: '10 EUR' }, 'fee'],
      ['a nested daily rate', { coverage: { departements: ['06'], dailyRate: 5 } }, 'coverage.dailyRate'],
    ])('refuses a body carrying %s with a 400 citing the gratuity of the charter', async (_, extra, field) => {
      const response = await declare(a.user.token, droneAsset(extra)).expect(400);
      expect(response.body.code).toBe('CHARTER.GRATUITY');
      expect(response.body.message).toMatch(/free of charge/);
      expect(response.body.details.map((d: { field: string }) => d.field)).toEqual([field]);
    });

    it('refuses unknown fields in any case, and a price on an edit too', async () => {
      const unknown = await declare(a.user.token, droneAsset({ colour: 'red' })).expect(400);
      expect(unknown.body.details[0].field).toBe('colour');
      const asset = (await declare(a.user.token, droneAsset()).expect(201)).body;
      const priced = await t.http.patch(`/api/v1/assets/${asset.id}`).set(bearer(a.user.token)).send({ version: 1, tariff: 12 }).expect(400);
      expect(priced.body.code).toBe('CHARTER.GRATUITY');
    });

    it.each([
      ['quantity 0', { quantity: 0 }, 'quantity'],
      ['both national and départements', { coverage: { national: true, departements: ['06'] } }, 'coverage'],
      ['an empty département list', { coverage: { departements: [] } }, 'coverage.departements'],
      ['département 20', { coverage: { departements: ['20'] } }, 'coverage.departements'],
      ['département 99', { coverage: { departements: ['99'] } }, 'coverage.departements'],
      ['capability tier 5', { capabilityTier: 5 }, 'capabilityTier'],
    ])('refuses %s with a 400 naming the field', async (_, extra, field) => {
      const response = await declare(a.user.token, droneAsset(extra)).expect(400);
      expect(response.body.details.map((d: { field: string }) => d.field)).toContain(field);
    });

    it('accepts Corsica and overseas codes', async () => {
      await declare(a.user.token, droneAsset({ coverage: { departements: ['2A', '2B', '971', '976'] } })).expect(201);
    });

    it("refuses to declare an asset for another member, even when sending that member's id", async () => {
      await declare(a.user.token, droneAsset({ memberId: b.member.id })).expect(404);
      await declare(admin, droneAsset()).expect(403);
      await declare(operator, droneAsset()).expect(403);
    });

    it("keeps a MEMBER user away from another member's assets: no read, list, edit, attest or window", async () => {
      const asset = (await declare(b.user.token, droneAsset()).expect(201)).body;
      await t.http.get(`/api/v1/assets/${asset.id}`).set(bearer(a.user.token)).expect(404);
      await t.http.patch(`/api/v1/assets/${asset.id}`).set(bearer(a.user.token)).send({ version: 1, name: 'Mine now' }).expect(404);
      await t.http.post(`/api/v1/assets/${asset.id}/attest`).set(bearer(a.user.token)).expect(404);
      await t.http
        .post(`/api/v1/assets/${asset.id}/unavailability`)
        .set(bearer(a.user.token))
        .send({ from: '2030-01-01T00:00:00Z', to: '2030-01-02T00:00:00Z', reason: 'x' })
        .expect(404);
      const listed = await t.http.get('/api/v1/assets').query({ memberId: b.member.id, pageSize: 200 }).set(bearer(a.user.token)).expect(200);
      expect(listed.body.total).toBe(0);
      const own = await t.http.get('/api/v1/assets').query({ pageSize: 200 }).set(bearer(a.user.token)).expect(200);
      expect(own.body.items.every((item: { memberId: string }) => item.memberId === a.member.id)).toBe(true);
      await t.http.get(`/api/v1/assets/${asset.id}`).set(bearer(operator)).expect(200);
      await t.http.get(`/api/v1/assets/${randomUUID()}`).set(bearer(operator)).expect(404);
      await t.http.get('/api/v1/assets/not-a-uuid').set(bearer(operator)).expect(400);
    });

    it('filters by département: listed ones match, national assets match every département', async () => {
      const { user } = await memberWithUser(t);
      const riviera = (await declare(user.token, droneAsset({ coverage: { departements: ['06', '83'] } })).expect(201)).body;
      const national = (await declare(user.token, droneAsset({ coverage: { national: true } })).expect(201)).body;
      const ids = async (departement: string) =>
        (await t.http.get('/api/v1/assets').query({ departement, pageSize: 200 }).set(bearer(user.token)).expect(200)).body.items.map(
          (item: { id: string }) => item.id,
        );
      expect(await ids('06')).toEqual(expect.arrayContaining([riviera.id, national.id]));
      expect(await ids('13')).toEqual([national.id]);
      await t.http.get('/api/v1/assets').query({ departement: '20' }).set(bearer(user.token)).expect(400);
      await t.http.get('/api/v1/assets').query({ departement: '99' }).set(bearer(user.token)).expect(400);
    });

    it('filters by category and status, sorts and pages', async () => {
      const { user, member } = await memberWithUser(t);
      for (const name of ['Charlie', 'Alpha', 'Bravo']) await declare(user.token, droneAsset({ name, category: 'SOFTWARE' })).expect(201);
      await declare(user.token, droneAsset({ name: 'Delta' })).expect(201);
      const page = await t.http
        .get('/api/v1/assets')
        .query({ memberId: member.id, category: 'SOFTWARE', status: 'AVAILABLE', sort: 'name', pageSize: 2 })
        .set(bearer(operator))
        .expect(200);
      expect(page.body).toMatchObject({ total: 3, page: 1, pageSize: 2 });
      expect(page.body.items.map((i: { name: string }) => i.name)).toEqual(['Alpha', 'Bravo']);
      const second = await t.http
        .get('/api/v1/assets')
        .query({ memberId: member.id, category: 'SOFTWARE', sort: 'name', pageSize: 2, page: 2 })
        .set(bearer(operator))
        .expect(200);
      expect(second.body.items.map((i: { name: string }) => i.name)).toEqual(['Charlie']);
      await t.http.get('/api/v1/assets').query({ pageSize: 500 }).set(bearer(operator)).expect(400);
      await t.http.get('/api/v1/assets').query({ sort: 'price' }).set(bearer(operator)).expect(400);
    });

    it('lets exactly one of two concurrent edits with the same version win; the other gets 409', async () => {
      const asset = (await declare(a.user.token, droneAsset()).expect(201)).body;
      const [first, second] = await Promise.all([
        t.http.patch(`/api/v1/assets/${asset.id}`).set(bearer(a.user.token)).send({ version: 1, quantity: 4 }),
        t.http.patch(`/api/v1/assets/${asset.id}`).set(bearer(a.user.token)).send({ version: 1, quantity: 5 }),
      ]);
      expect([first.status, second.status].sort()).toEqual([200, 409]);
      const loser = first.status === 409 ? first : second;
      expect(loser.body.code).toBe('CONCURRENCY.STALE_VERSION');
      const current = await t.http.get(`/api/v1/assets/${asset.id}`).set(bearer(a.user.token)).expect(200);
      expect(current.body.version).toBe(2);
      expect([4, 5]).toContain(current.body.quantity);
    });

    it('moves between AVAILABLE, UNAVAILABLE and RETIRED; ENGAGED is not the owner\'s to set; RETIRED is final', async () => {
      const asset = (await declare(a.user.token, droneAsset()).expect(201)).body;
      const patch = (body: Record<string, unknown>) => t.http.patch(`/api/v1/assets/${asset.id}`).set(bearer(a.user.token)).send(body);
      expect((await patch({ version: 1, status: 'UNAVAILABLE' }).expect(200)).body.status).toBe('UNAVAILABLE');
      await patch({ version: 2, status: 'ENGAGED' }).expect(400);
      expect((await patch({ version: 2, status: 'RETIRED' }).expect(200)).body.status).toBe('RETIRED');
      await patch({ version: 3, status: 'AVAILABLE' }).expect(409);
    });

    it('records unavailability windows, refusing one that ends before it starts', async () => {
      const asset = (await declare(a.user.token, droneAsset()).expect(201)).body;
      const url = `/api/v1/assets/${asset.id}/unavailability`;
      const bad = await t.http.post(url).set(bearer(a.user.token)).send({ from: '2030-01-02T00:00:00Z', to: '2030-01-01T00:00:00Z', reason: 'x' }).expect(400);
      expect(bad.body.details[0].field).toBe('to');
      const now = Date.now();
      const current = await t.http
        .post(url)
        .set(bearer(a.user.token))
        .send({ from: new Date(now - 3600_000).toISOString(), to: new Date(now + 3600_000).toISOString(), reason: 'Maintenance' })
        .expect(201);
      expect(current.body).toMatchObject({ unavailableNow: true, unavailability: [{ reason: 'Maintenance' }] });
    });
  });

  describe('unsolicited offers', () => {
    const offer = { offeredBy: 'Société Spontanée', description: 'Twenty satellite phones', category: 'SECURE_TELECOM', contactPhone: '+33611111111' };

    it('records any signed-in user\'s offer in QUARANTINED, visible to its author and the ADMIN', async () => {
      const recorded = await t.http.post('/api/v1/offers').set(bearer(operator)).send(offer).expect(201);
      expect(recorded.body).toMatchObject({ status: 'QUARANTINED', allowedActions: ['accept', 'reject'] });
      const mine = await t.http.get('/api/v1/offers').set(bearer(operator)).expect(200);
      expect(mine.body.items.map((o: { id: string }) => o.id)).toContain(recorded.body.id);
      const others = await t.http.get('/api/v1/offers').set(bearer(a.user.token)).expect(200);
      expect(others.body.items.map((o: { id: string }) => o.id)).not.toContain(recorded.body.id);
      const all = await t.http.get('/api/v1/offers').query({ status: 'QUARANTINED' }).set(bearer(admin)).expect(200);
      expect(all.body.items.map((o: { id: string }) => o.id)).toContain(recorded.body.id);
    });

    it('refuses an offer that carries a price', async () => {
      const response = await t.http.post('/api/v1/offers').set(bearer(operator)).send({ ...offer, pricePerDay: 300 }).expect(400);
      expect(response.body.code).toBe('CHARTER.GRATUITY');
    });

    it('lets the ADMIN accept one, linked to a registered member, and reject another with a reason', async () => {
      const first = (await t.http.post('/api/v1/offers').set(bearer(a.user.token)).send(offer).expect(201)).body;
      const second = (await t.http.post('/api/v1/offers').set(bearer(a.user.token)).send(offer).expect(201)).body;
      const accepted = await t.http.post(`/api/v1/offers/${first.id}/accept`).set(bearer(admin)).send({ memberId: b.member.id }).expect(200);
      expect(accepted.body).toMatchObject({ status: 'ACCEPTED', memberId: b.member.id, allowedActions: [] });
      await t.http.post(`/api/v1/offers/${second.id}/reject`).set(bearer(admin)).send({}).expect(400);
      const rejected = await t.http.post(`/api/v1/offers/${second.id}/reject`).set(bearer(admin)).send({ reason: 'A paid service' }).expect(200);
      expect(rejected.body).toMatchObject({ status: 'REJECTED', triageReason: 'A paid service' });
      const again = await t.http.post(`/api/v1/offers/${second.id}/accept`).set(bearer(admin)).send({ memberId: b.member.id }).expect(409);
      expect(again.body.message).toContain('REJECTED');
    });

    it('refuses triage to everyone but the ADMIN', async () => {
      const recorded = (await t.http.post('/api/v1/offers').set(bearer(operator)).send(offer).expect(201)).body;
      for (const token of [operator, a.user.token]) {
        await t.http.post(`/api/v1/offers/${recorded.id}/accept`).set(bearer(token)).send({ memberId: a.member.id }).expect(403);
        await t.http.post(`/api/v1/offers/${recorded.id}/reject`).set(bearer(token)).send({ reason: 'no' }).expect(403);
      }
    });
  });
});

describe('Registry: readiness over time', () => {
  const clock = new FixedClock(new Date('2026-01-10T09:00:00Z'));
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.start({ env: { RUN_WORKERS: 'false', READINESS_MAX_AGE_DAYS: '90' }, clock });
  });
  afterAll(async () => {
    await t.close();
  });

  it('reports an asset stale once its attestation is older than the configured age, and attesting clears it', async () => {
    const { user, member } = await memberWithUser(t);
    const asset = (await t.http.post('/api/v1/assets').set(bearer(user.token)).send(droneAsset()).expect(201)).body;
    expect(asset.stale).toBe(false);

    clock.advance(89 * 86_400_000);
    expect((await t.http.get(`/api/v1/assets/${asset.id}`).set(bearer(user.token)).expect(200)).body.stale).toBe(false);
    clock.advance(2 * 86_400_000);
    expect((await t.http.get(`/api/v1/assets/${asset.id}`).set(bearer(user.token)).expect(200)).body.stale).toBe(true);
    const stale = await t.http.get('/api/v1/assets').query({ memberId: member.id, stale: true }).set(bearer(user.token)).expect(200);
    expect(stale.body.items.map((i: { id: string }) => i.id)).toEqual([asset.id]);

    const attested = await t.http.post(`/api/v1/assets/${asset.id}/attest`).set(bearer(user.token)).expect(200);
    expect(attested.body).toMatchObject({ stale: false, attestedAt: clock.now().toISOString() });
    const fresh = await t.http.get('/api/v1/assets').query({ memberId: member.id, stale: false }).set(bearer(user.token)).expect(200);
    expect(fresh.body.items.map((i: { id: string }) => i.id)).toEqual([asset.id]);
  });
});
