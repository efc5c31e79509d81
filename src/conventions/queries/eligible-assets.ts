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
/** The rules above live in the eligible_assets() SQL function (conventions migration). */
export const ELIGIBLE_ASSETS_SQL = `
  SELECT asset_id AS "assetId", asset_name AS "assetName", category, quantity, lead_time_minutes AS "leadTimeMinutes",
         member_id AS "memberId", member_name AS "memberName", convention_id AS "conventionId",
         directorate_code AS "directorateCode", ack_within_minutes AS "ackWithinMinutes", deploy_within_minutes AS "deployWithinMinutes"
  FROM eligible_assets($1, $2::text[], $3::text[], $6::timestamptz, $5::timestamptz, $4::date)
  ORDER BY member_name, asset_name, asset_id`;

/** The instant, the readiness cut-off and the calendar day (Paris) that eligibility is judged at. */
export function eligibilityMoment(now: Date, readinessMaxAgeDays: number): { at: string; staleBefore: string; today: string } {
  return { at: now.toISOString(), staleBefore: new Date(now.getTime() - readinessMaxAgeDays * 86_400_000).toISOString(), today: parisDay(now) };
}

export function eligibilityParameters(criteria: EligibilityCriteria, now: Date, readinessMaxAgeDays: number): unknown[] {
  const { at, staleBefore, today } = eligibilityMoment(now, readinessMaxAgeDays);
  return [criteria.crisisType, criteria.departements, criteria.categories, today, staleBefore, at];
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
      ELIGIBLE_ASSETS_SQL,
      eligibilityParameters(criteria, this.clock.now(), this.config.readinessMaxAgeDays),
    );
  }
}
