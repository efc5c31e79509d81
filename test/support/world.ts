import { JwtService } from '@nestjs/jwt';
import { TokenRevocation } from '../../src/common/auth/token-revocation.js';
import type { Caller } from '../authorization-matrix.js';
import { type CrisisActors, crisisActors, isolatedCategory, preparedActivation, responder, type Responder } from './crisis.js';
import { memberWithUser } from './fixtures.js';
import { bearer, TEST_JWT_SECRET, type TestApp } from './test-app.js';

/**
 * A small registry with one of everything, owned by one member (MEMBER_OWN) under a convention
 * with one directorate (DIRECTORATE_PARTY), and a signed-in user or token for every kind of
 * caller: the ground the route-wide suites (authorization matrix, hostile input) walk on.
 */
export class World {
  readonly ids: Record<string, string> = {};
  readonly tokens = {} as Record<Caller, string | null>;
  private directorateContactId: string | undefined;
  own: Responder;
  actors: CrisisActors;

  private constructor(private readonly t: TestApp) {}

  static async build(t: TestApp): Promise<World> {
    const world = new World(t);
    world.actors = await crisisActors(t);
    const category = await isolatedCategory(t);
    world.own = await responder(t, world.actors.directorate, null, { category });
    const other = await memberWithUser(t);
    const { crisisId, activationId } = await preparedActivation(t, world.actors, [{ category, quantity: 1 }]);
    await t.http.post(`/api/v1/activations/${activationId}/authorize`).set(bearer(world.actors.minister.token)).expect(200);
    const [request] = await t.db.query(`SELECT id FROM mobilization_request WHERE activation_id = $1`, [activationId]);
    const [convention] = await t.db.query(`SELECT id FROM convention WHERE member_id = $1`, [world.own.member.id]);
    const offer = await t.http.post('/api/v1/offers').set(bearer(other.user.token)).send({ offeredBy: 'Spontanée SARL', description: 'Phones' }).expect(201);
    Object.assign(world.ids, {
      members: world.own.member.id, assets: world.own.assetIds[0], conventions: convention.id, crises: crisisId,
      activations: activationId, mobilizations: request.id, offers: offer.body.id,
      // A user of its own for the account routes to disable, enable and reassign: no caller's token depends on it.
      users: (await t.signedInUser('AUDITOR')).id,
    });
    Object.assign(world.tokens, {
      ADMIN: await t.adminToken(),
      MEMBER_OWN: world.own.user.token,
      MEMBER_OTHER: other.user.token,
      DIRECTORATE_PARTY: world.actors.directorate.token,
      DIRECTORATE_OTHER: (await t.signedInUser('DIRECTORATE', { directorateCode: 'DGPN' })).token,
      CRISIS_OPERATOR: (await t.signedInUser('CRISIS_OPERATOR')).token,
      MINISTER: (await t.signedInUser('MINISTER')).token,
      AUDITOR: (await t.signedInUser('AUDITOR')).token,
      NO_TOKEN: null,
      EXPIRED: await new JwtService({ secret: TEST_JWT_SECRET }).signAsync(
        { sub: world.actors.operator.id, role: 'ADMIN', exp: Math.floor(Date.now() / 1000) - 60 },
        { issuer: 'renfort' },
      ),
      FORGED: await new JwtService({ secret: 'a-key-that-is-not-the-service-key-0000000' }).signAsync(
        { sub: world.actors.operator.id, role: 'ADMIN' },
        { issuer: 'renfort', expiresIn: 600 },
      ),
    });
    return world;
  }

  /**
   * Puts the world's request where its owner may give that answer (NOTIFIED to acknowledge,
   * accept or decline; ACCEPTED to deploy; DEPLOYED to release), its requirement and activation
   * open again: whoever calls, only access control can refuse, and a missing ownership check shows.
   */
  private async requestReadyFor(answer: string): Promise<void> {
    const status = answer === 'deploy' ? 'ACCEPTED' : answer === 'release' ? 'DEPLOYED' : 'NOTIFIED';
    const id = this.ids.mobilizations;
    await this.t.db.query(
      `UPDATE mobilization_request
       SET status = $2, notified_at = coalesce(notified_at, now()), acknowledged_at = NULL, declined_at = NULL, decline_reason_code = NULL,
           accepted_at = CASE WHEN $2 IN ('ACCEPTED', 'DEPLOYED') THEN now() - interval '1 hour' END,
           accepted_quantity = CASE WHEN $2 IN ('ACCEPTED', 'DEPLOYED') THEN 1 END,
           deployed_at = CASE WHEN $2 = 'DEPLOYED' THEN now() - interval '30 minutes' END, released_at = NULL, stood_down_at = NULL
       WHERE id = $1`,
      [id, status],
    );
    await this.t.db.query(
      `UPDATE activation_requirement SET accepted_quantity = 0, met_at = NULL WHERE id = (SELECT requirement_id FROM mobilization_request WHERE id = $1)`,
      [id],
    );
    await this.t.db.query(`UPDATE activation SET status = 'IN_PROGRESS', fulfilled_at = NULL, requirements_met = 0 WHERE id = $1`, [this.ids.activations]);
  }

  /**
   * Fresh tokens for the callers whose sessions a route ended (POST /auth/logout ends the caller's
   * own), and MEMBER_OWN's member taking part again if a route withdrew it (its users would be
   * refused): the next route meets every caller signed in, as the world built it.
   */
  async renewTokens(): Promise<void> {
    const [withdrawn] = await this.t.db.query(`UPDATE member SET status = 'ACTIVE' WHERE id = $1 AND status = 'WITHDRAWN' RETURNING id`, [this.own.member.id]);
    if (withdrawn) this.t.get(TokenRevocation).forgetAll();
    const signer = new JwtService({ secret: TEST_JWT_SECRET });
    const signedIn = (Object.keys(this.tokens) as Caller[]).filter((caller) => this.tokens[caller] && caller !== 'EXPIRED' && caller !== 'FORGED');
    const claimsOf = new Map(signedIn.map((caller) => [caller, signer.decode<Record<string, unknown>>(this.tokens[caller]!)]));
    const rows: { id: string; token_version: number }[] = await this.t.db.query(`SELECT id, token_version FROM users WHERE id = ANY($1::uuid[])`, [
      [...claimsOf.values()].map((claims) => claims.sub),
    ]);
    const versions = new Map(rows.map((row) => [row.id, row.token_version]));
    for (const [caller, { iat: _iat, exp: _exp, iss: _iss, ...claims }] of claimsOf) {
      const version = versions.get(claims.sub as string);
      if (version === claims.ver) continue;
      this.tokens[caller] = await signer.signAsync({ ...claims, ver: version }, { issuer: 'renfort', expiresIn: 3600 });
    }
  }

  /** The concrete URL of a route, pointing at the objects owned by MEMBER_OWN. */
  async urlOf(path: string): Promise<string> {
    // :n is a message's position in the activation's EDXL-RM thread: the first is its RequestResource.
    let url = path.replace(':code', 'DGSCGC').replace(/\/:n$/, '/1');
    if (url.includes(':contactId') && path.startsWith('/api/v1/directorates/')) {
      // No route removes a directorate's contact: one per world serves every call (the directorate is shared by all test files).
      if (!this.directorateContactId) {
        const [contact] = await this.t.db.query(
          `INSERT INTO contact (id, directorate_code, name, role, phone, email, escalation_order, available_24x7, created_at, updated_at)
           VALUES (gen_random_uuid(), 'DGSCGC', 'World', 'DUTY_OFFICER', '+33600000000', 'w@x.fr',
                   (SELECT coalesce(max(escalation_order), 0) + 1 FROM contact WHERE directorate_code = 'DGSCGC'), true, now(), now()) RETURNING id`,
        );
        this.directorateContactId = contact.id as string;
      }
      url = url.replace(':contactId', this.directorateContactId);
    }
    if (url.includes(':contactId')) {
      // A call may delete it: every call gets a contact of its own.
      const [contact] = await this.t.db.query(
        `INSERT INTO contact (id, member_id, name, role, phone, email, escalation_order, available_24x7, created_at, updated_at)
         VALUES (gen_random_uuid(), $1, 'World', 'DUTY_OFFICER', '+33600000000', 'w@x.fr',
                 (SELECT coalesce(max(escalation_order), 0) + 1 FROM contact WHERE member_id = $1), true, now(), now()) RETURNING id`,
        [this.own.member.id],
      );
      url = url.replace(':contactId', contact.id);
    }
    const answer = /^\/api\/v1\/mobilizations\/:id\/([a-z]+)$/.exec(path)?.[1];
    if (answer) await this.requestReadyFor(answer);
    const collection = /^\/api\/v1\/(?:reports\/)?([a-z-]+)\/:id/.exec(url)?.[1];
    return collection ? url.replace(':id', this.ids[collection]) : url;
  }
}
