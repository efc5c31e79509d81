import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { sealPendingEvents } from '../../audit/persistence.js';
import { offsetOf, type Page } from '../../common/pagination/page.js';
import { ActivationNotFoundError } from '../../crisis/domain/crisis.errors.js';
import type { TimelineFilter } from '../dto/reporting.dto.js';

export interface TimelineEntry {
  sequence: number;
  at: string;
  type: string;
  requestId: string | null;
  memberId: string | null;
  /** The member's legal name and the asset's name, for a request's step. */
  memberName: string | null;
  assetName: string | null;
  actorId: string | null;
  actorRole: string;
  actorEmail: string | null;
  sinceT0Ms: number;
  sinceAuthorizationMs: number | null;
  /** For an escalation: the step of the chain and whom it reached. */
  escalation: { level: number; kind: string; reached: string } | null;
  /** For an answer given from an alert: how and by whom ("answered by SMS by contact n°2"). */
  answeredBy?: string;
  details: Record<string, unknown>;
}

export interface Timeline extends Page<TimelineEntry> {
  activationId: string;
  crisisId: string;
  t0: string;
  authorizedAt: string | null;
}

export class ActivationTimelineQuery extends Query<Timeline> {
  constructor(
    readonly activationId: string,
    readonly filter: TimelineFilter,
    /** Every entry at once (the CSV export), whatever the page asked. */
    readonly whole = false,
  ) {
    super();
  }
}

/**
 * The activation's thread as recorded in the audit log, in order: T0 (the crisis opened), the
 * activation prepared and authorized (by whom), then every request's steps, each with its time
 * since T0 and since authorization. An escalation says which step of the request's chain it
 * reached and whom: a contact of the member, the directorate's contact, or the crisis cell.
 */
@QueryHandler(ActivationTimelineQuery)
export class ActivationTimelineHandler implements IQueryHandler<ActivationTimelineQuery> {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async execute({ activationId, filter, whole }: ActivationTimelineQuery): Promise<Timeline> {
    const [activation] = await this.db.query(
      `SELECT a.crisis_id, a.authorized_at, c.opened_at FROM activation a JOIN crisis c ON c.id = a.crisis_id WHERE a.id = $1`,
      [activationId],
    );
    if (!activation) throw new ActivationNotFoundError(activationId);
    const params: unknown[] = [activationId, activation.crisis_id];
    let requestScope = '';
    if (filter.memberId || filter.status) {
      const conditions = ['activation_id = $1::uuid'];
      if (filter.memberId) conditions.push(`member_id = $${params.push(filter.memberId)}::uuid`);
      if (filter.status) conditions.push(`status = $${params.push(filter.status)}`);
      requestScope = `AND e.aggregate_type = 'MobilizationRequest'
        AND e.aggregate_id IN (SELECT id::text FROM mobilization_request WHERE ${conditions.join(' AND ')})`;
    }
    const where = `
      WHERE ((e.aggregate_id = $2 AND e.type = 'CrisisOpened') OR e.aggregate_id = $1 OR (e.payload ? 'activationId' AND e.payload->>'activationId' = $1))
      ${requestScope}`;
    const t0 = activation.opened_at as Date;
    const authorizedAt = activation.authorized_at as Date | null;
    await sealPendingEvents(this.db);
    const [rows, [{ total }]] = await Promise.all([
      this.db.query(
        `SELECT e.sequence, e.occurred_at, e.type, e.aggregate_type, e.aggregate_id, e.actor_id, e.actor_role, e.payload, u.email,
                m.legal_name AS member_name, s.name AS asset_name
         FROM audit_event e LEFT JOIN users u ON u.id = e.actor_id
         LEFT JOIN mobilization_request q ON q.id = CASE WHEN e.aggregate_type = 'MobilizationRequest' THEN e.aggregate_id::uuid END
         LEFT JOIN member m ON m.id = q.member_id
         LEFT JOIN asset s ON s.id = q.asset_id
         ${where} ORDER BY e.sequence ${whole ? '' : `LIMIT ${filter.pageSize} OFFSET ${offsetOf(filter)}`}`,
        params,
      ),
      this.db.query(`SELECT count(*)::int AS total FROM audit_event e ${where}`, params),
    ]);
    return {
      activationId,
      crisisId: activation.crisis_id,
      t0: t0.toISOString(),
      authorizedAt: authorizedAt?.toISOString() ?? null,
      items: rows.map((row: Record<string, any>) => ({
        sequence: Number(row.sequence),
        at: row.occurred_at.toISOString(),
        type: row.type,
        requestId: row.aggregate_type === 'MobilizationRequest' ? row.aggregate_id : null,
        memberId: row.payload.memberId ?? null,
        memberName: row.member_name ?? null,
        assetName: row.asset_name ?? null,
        actorId: row.actor_id,
        actorRole: row.actor_role,
        actorEmail: row.email ?? null,
        sinceT0Ms: row.occurred_at.getTime() - t0.getTime(),
        sinceAuthorizationMs: authorizedAt && row.occurred_at >= authorizedAt ? row.occurred_at.getTime() - authorizedAt.getTime() : null,
        escalation: row.type === 'MobilizationRequestEscalated' ? escalationOf(row.payload) : null,
        ...(row.type === 'MobilizationRequestAnsweredByMessage'
          ? { answeredBy: `answered by ${row.payload.channel === 'sms' ? 'SMS' : 'email link'} by contact n°${row.payload.contactRank} (${row.payload.contactName})` }
          : {}),
        details: row.payload,
      })),
      total,
      page: whole ? 1 : filter.page,
      pageSize: whole ? total : filter.pageSize,
    };
  }
}

/** Events recorded before chains had steps name only the contact: they read as the member's. */
function escalationOf(payload: Record<string, any>): TimelineEntry['escalation'] {
  const step = payload.step ?? { level: payload.level, kind: 'MEMBER_CONTACT', contact: payload.contact, directorateCode: null };
  const reached =
    step.kind === 'CRISIS_CELL' ? 'crisis cell'
    : step.contact ? `${step.contact.name}${step.directorateCode ? ` (${step.directorateCode})` : ''}`
    : 'member';
  return { level: Number(step.level ?? payload.level), kind: String(step.kind), reached };
}
