import { type ActivationReach, alertsOfRequest, reachOfActivation, type RequestAlertView } from '../notifications/alert-status.js';
import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '../../../config/app-config.js';
import type { Actor } from '../../common/auth/role.js';
import { offsetOf, type Page } from '../../common/pagination/page.js';
import { Clock } from '../../common/time/clock.js';
import { CANDIDATES_SQL, candidateParameters } from '../commands/activation-commands.js';
import type { CrisisView } from '../domain/crisis.js';
import { CrisisNotFoundError, RequestNotFoundError } from '../domain/crisis.errors.js';
import { AWAITING_ACKNOWLEDGEMENT, memberResponsesFrom, REQUEST_LIFECYCLE, type RequestStatus } from '../domain/mobilization-request.js';
import type { CrisesFilter, MobilizationsFilter } from '../dto/crisis.dto.js';
import { type ActivationRecord, CrisisSchema, loadActivation, type MobilizationRequestRecord, toRequestRecord } from '../persistence/crisis.persistence.js';

export class ListCrisesQuery extends Query<Page<CrisisView>> {
  constructor(readonly filter: CrisesFilter) {
    super();
  }
}

@QueryHandler(ListCrisesQuery)
export class ListCrisesHandler implements IQueryHandler<ListCrisesQuery> {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async execute({ filter }: ListCrisesQuery): Promise<Page<CrisisView>> {
    const [crises, total] = await this.db.getRepository(CrisisSchema).findAndCount({
      where: { ...(filter.status ? { status: filter.status } : {}), ...(filter.exercise !== undefined ? { exercise: filter.exercise } : {}) },
      order: { openedAt: 'DESC', id: 'ASC' },
      skip: offsetOf(filter),
      take: filter.pageSize,
    });
    return { items: crises.map((c) => c.toView()), total, page: filter.page, pageSize: filter.pageSize };
  }
}

export class GetCrisisQuery extends Query<CrisisView & { activations: { id: string; status: string; decisionReference: string }[] }> {
  constructor(readonly crisisId: string) {
    super();
  }
}

@QueryHandler(GetCrisisQuery)
export class GetCrisisHandler implements IQueryHandler<GetCrisisQuery> {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async execute({ crisisId }: GetCrisisQuery) {
    const crisis = await this.db.getRepository(CrisisSchema).findOneBy({ id: crisisId });
    if (!crisis) throw new CrisisNotFoundError(crisisId);
    const activations = await this.db.query(
      `SELECT id, status, decision_reference AS "decisionReference" FROM activation WHERE crisis_id = $1 ORDER BY prepared_at`,
      [crisisId],
    );
    return { ...crisis.toView(), activations };
  }
}

export interface ActivationFlag {
  kind: 'DELIVERY_FAILED' | 'CHAIN_EXHAUSTED' | 'DEPLOYMENT_LATE';
  requestId: string;
  memberId: string;
  memberName: string;
  at: string;
  message: string;
}

export interface ReachedEscalationStep {
  requestId: string;
  memberId: string;
  memberName: string;
  level: number;
  kind: string;
  contactName: string | null;
  directorateCode: string | null;
  reachedAt: string;
}

export type ActivationProgress = ActivationRecord & {
  /** Whom the alerts to people reached. */
  reach?: ActivationReach;
  countsByStatus: Partial<Record<RequestStatus, number>>;
  escalated: number;
  deliveryFailures: number;
  chainsExhausted: number;
  lateDeployments: number;
  flags: ActivationFlag[];
  escalationSteps: ReachedEscalationStep[];
};

/** The flags and steps shown at most: the counts say how many there are in all. */
const LISTED = 200;

export class GetActivationQuery extends Query<ActivationProgress> {
  constructor(readonly activationId: string) {
    super();
  }
}

/**
 * Status and progress: requests counted by status, escalations, failed deliveries, chains
 * exhausted and late deployments; what the crisis cell must act on (a delivery that failed
 * every attempt, a member that did not answer after its whole chain, a deployment overdue),
 * and the escalation steps reached with whom they reached. A flag stays while the request is
 * still in the state that raised it.
 */
@QueryHandler(GetActivationQuery)
export class GetActivationHandler implements IQueryHandler<GetActivationQuery> {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async execute({ activationId }: GetActivationQuery): Promise<ActivationProgress> {
    // One snapshot, so that counts, flags and steps agree with one another.
    return this.db.transaction('REPEATABLE READ', async (manager) => this.read(manager, activationId));
  }

  private async read(manager: EntityManager, activationId: string): Promise<ActivationProgress> {
    const activation = await loadActivation(manager, activationId);
    const [counts, [extra], flags, steps]: [
      { status: RequestStatus; count: number }[], Record<string, number>[], Record<string, any>[], Record<string, any>[],
    ] = [
      await manager.query(`SELECT status, count(*)::int AS count FROM mobilization_request WHERE activation_id = $1 GROUP BY status`, [activationId]),
      await manager.query(
        `SELECT count(*) FILTER (WHERE escalation_level > 0)::int AS escalated,
                count(*) FILTER (WHERE delivery_failed_at IS NOT NULL)::int AS failures,
                count(*) FILTER (WHERE chain_exhausted_at IS NOT NULL)::int AS exhausted,
                count(*) FILTER (WHERE deployment_late_at IS NOT NULL)::int AS late
         FROM mobilization_request WHERE activation_id = $1`,
        [activationId],
      ),
      await manager.query(
        `SELECT f.* FROM (
           SELECT 'DELIVERY_FAILED' AS kind, r.id, r.member_id, m.legal_name, r.delivery_failed_at AS at, r.delivery_error AS message
           FROM mobilization_request r JOIN member m ON m.id = r.member_id
           WHERE r.activation_id = $1 AND r.delivery_failed_at IS NOT NULL AND r.status = ANY($2::text[])
           UNION ALL
           SELECT 'CHAIN_EXHAUSTED', r.id, r.member_id, m.legal_name, r.chain_exhausted_at,
                  'No answer from member ' || m.legal_name || ' after its whole chain'
           FROM mobilization_request r JOIN member m ON m.id = r.member_id
           WHERE r.activation_id = $1 AND r.chain_exhausted_at IS NOT NULL AND r.status = ANY($2::text[])
           UNION ALL
           SELECT 'DEPLOYMENT_LATE', r.id, r.member_id, m.legal_name, r.deployment_late_at,
                  'Not deployed by ' || to_char((r.accepted_at + make_interval(mins => r.deploy_within_minutes)) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
                  || ', as the convention committed'
           FROM mobilization_request r JOIN member m ON m.id = r.member_id
           WHERE r.activation_id = $1 AND r.deployment_late_at IS NOT NULL AND r.status = $3
         ) f ORDER BY f.at, f.id LIMIT ${LISTED}`,
        [activationId, AWAITING_ACKNOWLEDGEMENT, REQUEST_LIFECYCLE.deploy.from[0]],
      ),
      await manager.query(
        `SELECT s.request_id, r.member_id, m.legal_name, s.level, s.kind, s.contact_name, s.directorate_code, s.reached_at
         FROM mobilization_request r JOIN mobilization_request_step s ON s.request_id = r.id JOIN member m ON m.id = r.member_id
         WHERE r.activation_id = $1 AND r.escalation_level > 0 AND s.level > 0 AND s.reached_at IS NOT NULL
         ORDER BY s.reached_at, s.request_id, s.level LIMIT ${LISTED}`,
        [activationId],
      ),
    ];
    return {
      ...activation,
      countsByStatus: Object.fromEntries(counts.map((row) => [row.status, row.count])),
      escalated: extra.escalated,
      deliveryFailures: extra.failures,
      chainsExhausted: extra.exhausted,
      lateDeployments: extra.late,
      flags: flags.map((f) => ({ kind: f.kind, requestId: f.id, memberId: f.member_id, memberName: f.legal_name, at: f.at.toISOString(), message: f.message })),
      escalationSteps: steps.map((s) => ({
        requestId: s.request_id, memberId: s.member_id, memberName: s.legal_name, level: s.level, kind: s.kind,
        contactName: s.contact_name, directorateCode: s.directorate_code, reachedAt: s.reached_at.toISOString(),
      })),
      reach: await reachOfActivation(manager, activationId),
    };
  }
}

export interface PreviewAsset {
  assetId: string;
  assetName: string;
  quantity: number;
  conventionId: string;
  directorateCode: string;
  ackWithinMinutes: number;
  deployWithinMinutes: number;
}

export interface ActivationPreview {
  activationId: string;
  assetCount: number;
  requirements: {
    requirementId: string;
    position: number;
    category: string;
    quantity: number;
    departements: string[];
    eligibleQuantity: number;
    members: { memberId: string; memberName: string; assets: PreviewAsset[] }[];
  }[];
}

export class PreviewActivationQuery extends Query<ActivationPreview> {
  constructor(readonly activationId: string) {
    super();
  }
}

/** What authorizing now would ask, per requirement and member: the fan-out's own SELECT, nothing written. */
@QueryHandler(PreviewActivationQuery)
export class PreviewActivationHandler implements IQueryHandler<PreviewActivationQuery> {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  async execute({ activationId }: PreviewActivationQuery): Promise<ActivationPreview> {
    const activation = await loadActivation(this.db.manager, activationId);
    const [crisis] = await this.db.query(`SELECT type FROM crisis WHERE id = $1`, [activation.crisisId]);
    const rows: Record<string, any>[] = await this.db.query(
      `SELECT * FROM (${CANDIDATES_SQL}) c ORDER BY c.position, c.member_name, c.asset_name`,
      candidateParameters(activationId, crisis.type, this.clock.now(), this.config.readinessMaxAgeDays),
    );
    return {
      activationId,
      assetCount: rows.length,
      requirements: activation.requirements.map((requirement) => {
        const mine = rows.filter((row) => row.requirement_id === requirement.id);
        const members = new Map<string, { memberId: string; memberName: string; assets: PreviewAsset[] }>();
        for (const row of mine) {
          const entry = members.get(row.member_id) ?? { memberId: row.member_id, memberName: row.member_name, assets: [] as PreviewAsset[] };
          entry.assets.push({
            assetId: row.asset_id, assetName: row.asset_name, quantity: row.quantity, conventionId: row.convention_id,
            directorateCode: row.directorate_code, ackWithinMinutes: row.ack_within_minutes, deployWithinMinutes: row.deploy_within_minutes,
          });
          members.set(row.member_id, entry);
        }
        return {
          requirementId: requirement.id, position: requirement.position, category: requirement.category, quantity: requirement.quantity,
          departements: requirement.departements, eligibleQuantity: mine.reduce((sum, row) => sum + row.quantity, 0),
          members: [...members.values()],
        };
      }),
    };
  }
}

export type MobilizationView = MobilizationRequestRecord & { allowedResponses: string[]; alerts?: RequestAlertView[] };

export class ListMobilizationsQuery extends Query<Page<MobilizationView>> {
  constructor(
    readonly actor: Actor,
    readonly filter: MobilizationsFilter,
  ) {
    super();
  }
}

/** A member sees its own requests only; operators, the minister, auditors and the ADMIN all. */
@QueryHandler(ListMobilizationsQuery)
export class ListMobilizationsHandler implements IQueryHandler<ListMobilizationsQuery> {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async execute({ actor, filter }: ListMobilizationsQuery): Promise<Page<MobilizationView>> {
    const conditions: string[] = [];
    const params: unknown[] = [];
    const where = (sql: string, value: unknown) => {
      params.push(value);
      conditions.push(sql.replace('?', `$${params.length}`));
    };
    if (actor.role === 'MEMBER') where('member_id = ?', actor.memberId);
    if (filter.memberId) where('member_id = ?', filter.memberId);
    if (filter.activationId) where('activation_id = ?', filter.activationId);
    if (filter.status) where('status = ?', filter.status);
    const clause = conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
    const [rows, [{ total }]] = await Promise.all([
      this.db.query(`SELECT * FROM mobilization_request ${clause} ORDER BY created_at, id LIMIT ${filter.pageSize} OFFSET ${offsetOf(filter)}`, params),
      this.db.query(`SELECT count(*)::int AS total FROM mobilization_request ${clause}`, params),
    ]);
    return { items: rows.map(toMobilizationView), total, page: filter.page, pageSize: filter.pageSize };
  }
}

export function toMobilizationView(row: Record<string, any>): MobilizationView {
  return mobilizationViewOf(toRequestRecord(row));
}

export function mobilizationViewOf(record: MobilizationRequestRecord): MobilizationView {
  return { ...record, allowedResponses: memberResponsesFrom(record.status) };
}

export class GetMobilizationQuery extends Query<MobilizationView> {
  constructor(
    readonly actor: Actor,
    readonly requestId: string,
  ) {
    super();
  }
}

@QueryHandler(GetMobilizationQuery)
export class GetMobilizationHandler implements IQueryHandler<GetMobilizationQuery> {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async execute({ actor, requestId }: GetMobilizationQuery): Promise<MobilizationView> {
    const [row] = await this.db.query(`SELECT * FROM mobilization_request WHERE id = $1`, [requestId]);
    if (!row || (actor.role === 'MEMBER' && row.member_id !== actor.memberId)) throw new RequestNotFoundError(requestId);
    return { ...toMobilizationView(row), alerts: await alertsOfRequest(this.db, requestId) };
  }
}
