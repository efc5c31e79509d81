import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '../../../config/app-config.js';
import type { CrisisType } from '../../common/domain/crisis-types.js';
import { parisDay } from '../../common/time/calendar.js';
import { Clock } from '../../common/time/clock.js';

export interface EligibilityCriteria {
  crisisType: CrisisType;
  departements: string[];
  categories: string[];
}

export interface EligibleAsset {
  assetId: string;
  assetName: string;
  category: string;
  quantity: number;
  leadTimeMinutes: number;
  memberId: string;
  memberName: string;
  conventionId: string;
  directorateCode: string;
  ackWithinMinutes: number;
  deployWithinMinutes: number;
}

/**
 * The assets mobilizable now: member ACTIVE; asset AVAILABLE, attested within the readiness
 * period, outside any unavailability window, covering a requested département (or national);
 * covered by an ACTIVE convention in its period whose crisis types include the crisis type and
 * whose scope covers a requested département (or is national). An asset under several
 * conventions is asked through the one with the tightest acknowledgement commitment.
 * Unsolicited offers never appear: they are not assets until triaged into the registry.
 */
export const ELIGIBLE_ASSETS_SQL = `
  SELECT DISTINCT ON (a.id)
    a.id AS "assetId", a.name AS "assetName", a.category, a.quantity, a.lead_time_minutes AS "leadTimeMinutes",
    m.id AS "memberId", m.legal_name AS "memberName",
    c.id AS "conventionId", c.directorate_code AS "directorateCode",
    c.ack_within_minutes AS "ackWithinMinutes", c.deploy_within_minutes AS "deployWithinMinutes"
  FROM asset a
  JOIN member m ON m.id = a.member_id AND m.status = 'ACTIVE'
  JOIN convention_asset ca ON ca.asset_id = a.id
  JOIN convention c ON c.id = ca.convention_id
   AND c.status = 'ACTIVE'
   AND c.starts_on <= $4::date AND c.ends_on >= $4::date
   AND $1 = ANY (c.crisis_types)
   AND (c.national OR c.departements && $2::text[])
  WHERE a.status = 'AVAILABLE'
    AND a.category = ANY ($3::text[])
    AND a.attested_at >= $5
    AND (a.national OR a.departements && $2::text[])
    AND NOT EXISTS (
      SELECT 1 FROM asset_unavailability u WHERE u.asset_id = a.id AND u.starts_at <= $6 AND u.ends_at > $6
    )
  ORDER BY a.id, c.ack_within_minutes, c.id`;

export function eligibilityParameters(criteria: EligibilityCriteria, now: Date, readinessMaxAgeDays: number): unknown[] {
  const staleBefore = new Date(now.getTime() - readinessMaxAgeDays * 86_400_000);
  return [criteria.crisisType, criteria.departements, criteria.categories, parisDay(now), staleBefore.toISOString(), now.toISOString()];
}

export class EligibleAssetsQuery extends Query<EligibleAsset[]> {
  constructor(
    readonly criteria: EligibilityCriteria,
    /** To read inside a caller's transaction. */
    readonly manager?: EntityManager,
  ) {
    super();
  }
}

@QueryHandler(EligibleAssetsQuery)
export class EligibleAssetsHandler implements IQueryHandler<EligibleAssetsQuery> {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  execute({ criteria, manager }: EligibleAssetsQuery): Promise<EligibleAsset[]> {
    return (manager ?? this.db.manager).query(
      `${ELIGIBLE_ASSETS_SQL}`,
      eligibilityParameters(criteria, this.clock.now(), this.config.readinessMaxAgeDays),
    );
  }
}
