import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '../../../config/app-config.js';
import { AuditLog } from '../../audit/audit-log.js';
import type { NewDomainEvent } from '../../audit/domain/domain-event.js';
import { type Actor, actorRef } from '../../common/auth/role.js';
import { ConflictError, ForbiddenError, InvalidInputError } from '../../common/errors/domain-error.js';
import { eligibilityMoment } from '../../conventions/queries/eligible-assets.js';
import { assertRecentSecondFactor } from '../../identity/domain/second-factor.js';
import { Clock } from '../../common/time/clock.js';
import { nextActivationStatus } from '../domain/activation.js';
import { REQUEST_LIFECYCLE } from '../domain/mobilization-request.js';
import { CrisisNotFoundError } from '../domain/crisis.errors.js';
import { type ActivationRecord, loadActivation, standDownRequests } from '../persistence/crisis.persistence.js';

export interface RequirementInput {
  category: string;
  quantity: number;
  departements?: string[];
  neededBy?: string;
}

export class PrepareActivationCommand extends Command<ActivationRecord> {
  constructor(
    readonly actor: Actor,
    readonly crisisId: string,
    readonly input: { decisionReference: string; requirements: RequirementInput[] },
  ) {
    super();
  }
}

/** An operator prepares what the crisis needs; nothing is asked of anyone before a MINISTER authorizes. */
@CommandHandler(PrepareActivationCommand)
export class PrepareActivationHandler implements ICommandHandler<PrepareActivationCommand> {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  async execute({ actor, crisisId, input }: PrepareActivationCommand): Promise<ActivationRecord> {
    const now = this.clock.now();
    return this.db.transaction(async (manager) => {
      const [crisis] = await manager.query(`SELECT status, departements FROM crisis WHERE id = $1 FOR SHARE`, [crisisId]);
      if (!crisis) throw new CrisisNotFoundError(crisisId);
      if (crisis.status !== 'OPEN') throw new ConflictError('CRISIS.CLOSED', `Crisis ${crisisId} is ${crisis.status}; activations are prepared for an OPEN crisis`);
      const categories = [...new Set(input.requirements.map((r) => r.category))];
      const known: { code: string }[] = await manager.query(`SELECT code FROM asset_category WHERE code = ANY($1::text[])`, [categories]);
      const unknown = categories.filter((code) => !known.some((row) => row.code === code));
      if (unknown.length > 0) throw InvalidInputError.field('requirements.category', `names unknown categories: ${unknown.join(', ')}`);

      const id = randomUUID();
      await manager.query(
        `INSERT INTO activation (id, crisis_id, decision_reference, status, prepared_by, prepared_at, updated_at)
         VALUES ($1, $2, $3, 'PENDING_AUTHORIZATION', $4, $5, $5)`,
        [id, crisisId, input.decisionReference.trim(), actor.userId, now.toISOString()],
      );
      await manager.query(
        `INSERT INTO activation_requirement (id, activation_id, position, category, quantity, departements, needed_by)
         SELECT gen_random_uuid(), $1, r.position, r.category, r.quantity, r.departements::text[], r.needed_by
         FROM jsonb_to_recordset($2::jsonb) AS r(position int, category text, quantity int, departements text, needed_by timestamptz)`,
        [
          id,
          JSON.stringify(
            input.requirements.map((r, index) => ({
              position: index + 1,
              category: r.category,
              quantity: r.quantity,
              departements: `{${[...new Set(r.departements ?? crisis.departements)].join(',')}}`,
              needed_by: r.neededBy ?? null,
            })),
          ),
        ],
      );
      const activation = await loadActivation(manager, id);
      await this.audit.append(manager, actorRef(actor), [
        { aggregateType: 'Activation', aggregateId: id, type: 'ActivationPrepared', payload: { ...activation } },
      ]);
      return activation;
    });
  }
}

export class AuthorizeActivationCommand extends Command<ActivationRecord> {
  constructor(
    readonly actor: Actor,
    readonly activationId: string,
  ) {
    super();
  }
}

/**
 * The ministerial decision (four eyes: a MINISTER who did not prepare it). In one transaction:
 * the activation is authorized and one request per eligible asset is inserted by a single
 * INSERT ... SELECT over the requirements, each carrying its convention's deadline to
 * acknowledge; the events are appended with it. The outbox relay then hands the deliveries to
 * the queues. The row lock makes a repeated or concurrent call find it authorized: 409.
 */
@CommandHandler(AuthorizeActivationCommand)
export class AuthorizeActivationHandler implements ICommandHandler<AuthorizeActivationCommand> {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  async execute({ actor, activationId }: AuthorizeActivationCommand): Promise<ActivationRecord> {
    // The ministerial decision asks for a second factor checked recently, however it was (TOTP step-up, OpenID provider).
    if (this.config.mfa.authorizationRequiresMfa) assertRecentSecondFactor(actor, this.clock.now(), this.config.mfa.stepUpWindowSeconds);
    return this.db.transaction(async (manager) => {
      const activation = await loadActivation(manager, activationId, true);
      if (activation.preparedBy === actor.userId) {
        throw new ForbiddenError('ACTIVATION.FOUR_EYES', 'The minister who authorizes an activation must not be the one who prepared it');
      }
      if (activation.status !== 'PENDING_AUTHORIZATION') {
        throw new ConflictError('ACTIVATION.ALREADY_DECIDED', `Activation ${activationId} is already ${activation.status}; it was authorized or ended before`);
      }
      const [crisis] = await manager.query(`SELECT status, type, exercise FROM crisis WHERE id = $1`, [activation.crisisId]);
      if (crisis.status !== 'OPEN') throw new ConflictError('CRISIS.CLOSED', `Crisis ${activation.crisisId} is ${crisis.status}`);

      const now = this.clock.now();
      const requests = await fanOut(manager, activationId, crisis.type, now, this.config.readinessMaxAgeDays);
      await manager.query(
        `UPDATE activation SET status = $5, authorized_by = $2, authorized_at = $3, request_count = $4, updated_at = $3 WHERE id = $1`,
        [activationId, actor.userId, now.toISOString(), requests.length, nextActivationStatus(activation.status, 'authorize')],
      );
      // One event seals the whole fan-out: the digest of the requests created (see requestsDigest),
      // so that 100,000 requests cost one audit row, not 100,000, and any later change to the set shows.
      const events: NewDomainEvent[] = [
        {
          aggregateType: 'Activation',
          aggregateId: activationId,
          type: 'ActivationAuthorized',
          payload: {
            crisisId: activation.crisisId, exercise: crisis.exercise, requestCount: requests.length,
            requestsDigest: requestsDigest(requests), authorizedAt: now.toISOString(),
            // How the authorizing minister proved who it is, for the after-action review.
            amr: [...(actor.amr ?? ['pwd'])], mfaAt: actor.mfaAt !== undefined ? new Date(actor.mfaAt * 1000).toISOString() : null,
          },
        },
      ];
      await this.audit.append(manager, actorRef(actor), events);
      return loadActivation(manager, activationId);
    });
  }
}

/**
 * The assets an activation asks for, one row per asset: eligible_assets() evaluated for every
 * requirement; an asset eligible for two requirements is asked for the first. Shared by the
 * preview (read only) and the fan-out (inserted), so that both always agree.
 */
export const CANDIDATES_SQL = `
  SELECT DISTINCT ON (x.asset_id) x.*, r.id AS requirement_id, r.position
  FROM activation_requirement r
  CROSS JOIN LATERAL eligible_assets($2, r.departements, ARRAY[r.category], $3::timestamptz, $4::timestamptz, $5::date) x
  WHERE r.activation_id = $1
  ORDER BY x.asset_id, r.position`;

export function candidateParameters(activationId: string, crisisType: string, now: Date, readinessMaxAgeDays: number): unknown[] {
  const { at, staleBefore, today } = eligibilityMoment(now, readinessMaxAgeDays);
  return [activationId, crisisType, at, staleBefore, today];
}

/**
 * One request per candidate, in one INSERT ... SELECT; (activation_id, asset_id) is unique, so
 * a replay inserts nothing.
 */
export async function fanOut(manager: EntityManager, activationId: string, crisisType: string, now: Date, readinessMaxAgeDays: number) {
  const rows: { id: string; requirement_id: string; asset_id: string; member_id: string; convention_id: string; ack_deadline: Date }[] =
    await manager.query(
      `INSERT INTO mobilization_request (id, activation_id, requirement_id, asset_id, member_id, convention_id, status,
                                         ack_within_minutes, deploy_within_minutes, ack_deadline, created_at, updated_at)
       SELECT gen_random_uuid(), $1, e.requirement_id, e.asset_id, e.member_id, e.convention_id, 'PENDING',
              e.ack_within_minutes, e.deploy_within_minutes, $3::timestamptz + make_interval(mins => e.ack_within_minutes), $3, $3
       FROM (${CANDIDATES_SQL}) e
       ON CONFLICT (activation_id, asset_id) DO NOTHING
       RETURNING id, requirement_id, asset_id, member_id, convention_id, ack_deadline`,
      candidateParameters(activationId, crisisType, now, readinessMaxAgeDays),
    );
  return rows;
}

/**
 * sha256 over the requests an authorization created, one line per request ordered by id:
 * `<id>,<requirement_id>,<asset_id>,<member_id>,<convention_id>`. An auditor recomputes it from
 * mobilization_request and compares it with the ActivationAuthorized event.
 */
export function requestsDigest(requests: { id: string; requirement_id: string; asset_id: string; member_id: string; convention_id: string }[]): string {
  const lines = requests.map((r) => `${r.id},${r.requirement_id},${r.asset_id},${r.member_id},${r.convention_id}`).sort();
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}

export class EndActivationCommand extends Command<ActivationRecord> {
  constructor(
    readonly actor: Actor,
    readonly activationId: string,
    readonly action: 'cancel' | 'close',
    readonly reason: string | null,
  ) {
    super();
  }
}

/** Cancel (before it ends) or close an activation; every request still open is stood down. */
@CommandHandler(EndActivationCommand)
export class EndActivationHandler implements ICommandHandler<EndActivationCommand> {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  async execute({ actor, activationId, action, reason }: EndActivationCommand): Promise<ActivationRecord> {
    return this.db.transaction(async (manager) => {
      const activation = await loadActivation(manager, activationId, true);
      const status = nextActivationStatus(activation.status, action);
      const now = this.clock.now();
      // Requirements before requests: the order every accept takes its locks in.
      await manager.query(`SELECT id FROM activation_requirement WHERE activation_id = $1 ORDER BY position FOR UPDATE`, [activationId]);
      const stoodDown = await standDownRequests(manager, { activationId }, now);
      const released = await releaseUndeployed(manager, activationId, now);
      await manager.query(`UPDATE activation SET status = $2, ended_by = $3, ended_at = $4, end_reason = $5, updated_at = $4 WHERE id = $1`, [
        activationId, status, actor.userId, now.toISOString(), reason,
      ]);
      await this.audit.append(manager, actorRef(actor), [
        {
          aggregateType: 'Activation', aggregateId: activationId,
          type: action === 'cancel' ? 'ActivationCancelled' : 'ActivationClosed',
          payload: { from: activation.status, to: status, reason, stoodDown: stoodDown.length },
        },
        ...stoodDown.map((r) => ({
          aggregateType: 'MobilizationRequest', aggregateId: r.id, type: 'MobilizationRequestStoodDown',
          payload: { activationId, requirementId: r.requirementId, memberId: r.memberId, assetId: r.assetId, cause: action },
        })),
        ...released.map((r) => ({
          aggregateType: 'MobilizationRequest', aggregateId: r.id, type: 'MobilizationRequestReleased',
          payload: { activationId, requirementId: r.requirement_id, memberId: r.member_id, assetId: r.asset_id, from: 'ACCEPTED', to: 'RELEASED', quantity: r.units, cause: action },
        })),
      ]);
      return loadActivation(manager, activationId);
    });
  }
}

/**
 * The accepted requests of an ending activation will never be deployed: they are released, in
 * one statement, and their units given back to their assets' ledger (each asset is asked once
 * per activation), which makes an asset AVAILABLE again when no other request holds any of it.
 * Deployed units stay out until their member reports the release.
 */
async function releaseUndeployed(manager: EntityManager, activationId: string, now: Date) {
  const { from, to } = REQUEST_LIFECYCLE.releaseOnEnd;
  const rows: { id: string; requirement_id: string; member_id: string; asset_id: string; units: number }[] = await manager.query(
    `WITH released AS (
       UPDATE mobilization_request SET status = $4, released_at = $2, updated_at = $2
       WHERE activation_id = $1 AND status = ANY($3::text[])
       RETURNING id, requirement_id, member_id, asset_id, coalesce(accepted_quantity, 0) AS units
     ), given_back AS (
       UPDATE asset a SET committed_quantity = GREATEST(a.committed_quantity - r.units, 0),
              status = CASE WHEN a.status = 'ENGAGED' AND a.committed_quantity <= r.units THEN 'AVAILABLE' ELSE a.status END,
              version = a.version + 1, updated_at = $2
       FROM released r WHERE a.id = r.asset_id
     )
     SELECT * FROM released ORDER BY id`,
    [activationId, now.toISOString(), from, to],
  );
  return rows;
}
