import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { Clock } from '../../common/time/clock.js';

export class GatherAlertsCommand extends Command<string[]> {
  constructor(
    /** Requests reaching the step `level` of their chain now. */
    readonly requestIds: string[],
    readonly level: number,
    /** Instead of `requestIds`: every request of this activation, as one statement (a fan-out's first step). */
    readonly activationId?: string,
  ) {
    super();
  }

  /** Every request of an activation at this step: one statement for the whole fan-out instead of one per member. */
  static forActivation(activationId: string, level: number): GatherAlertsCommand {
    return new GatherAlertsCommand([], level, activationId);
  }
}

/**
 * Puts requests reaching a step of their chain on the alert of that step's person: one alert per
 * person, activation and step, listing all its requests. A request is put on one alert per step
 * (a replay adds nothing). An alert whose messages already left is not changed: a request
 * arriving after that gets a new alert (the next round). Answers the alerts of these requests still to compose.
 * Steps without a person (the crisis cell) alert nobody here: the crisis cell sees its flags.
 */
@CommandHandler(GatherAlertsCommand)
export class GatherAlertsHandler implements ICommandHandler<GatherAlertsCommand> {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  async execute({ requestIds, level, activationId }: GatherAlertsCommand): Promise<string[]> {
    if (requestIds.length === 0 && activationId === undefined) return [];
    // Which requests ($1): these ids, or all of an activation's.
    const requests = activationId === undefined ? `s.request_id = ANY($1::uuid[])` : `r.activation_id = $1::uuid`;
    const alertsOf = activationId === undefined ? `x.request_id = ANY($1::uuid[])` : `a.activation_id = $1::uuid`;
    const alerts = new Set<string>();
    // One statement a round. An alert being composed meanwhile takes its requests as they were:
    // the conflicting row is locked until that composition commits, then it is not an open alert
    // any more, and the requests left over go on the next round.
    for (let round = 0; round < 3; round += 1) {
      const [result]: { wanted: number; linked: number; alert_ids: string[] }[] = await this.db.query(
        `WITH steps AS (
           SELECT s.request_id, s.contact_id, r.activation_id
           FROM mobilization_request_step s JOIN mobilization_request r ON r.id = s.request_id
           WHERE ${requests} AND s.level = $2 AND s.contact_id IS NOT NULL
             AND NOT EXISTS (SELECT 1 FROM contact_alert_request x WHERE x.request_id = s.request_id AND x.level = $2)
         ), opened AS (
           INSERT INTO contact_alert (activation_id, level, contact_id, round, reply_code, created_at)
           SELECT t.activation_id, $2, t.contact_id,
                  coalesce((SELECT max(a.round) + 1 FROM contact_alert a
                            WHERE a.activation_id = t.activation_id AND a.level = $2 AND a.contact_id = t.contact_id AND a.composed_at IS NOT NULL), 0),
                  lpad(floor(random() * 10000)::int::text, 4, '0'), $3
           FROM (SELECT DISTINCT activation_id, contact_id FROM steps) t
           ON CONFLICT (activation_id, level, contact_id, round) DO UPDATE SET reply_code = contact_alert.reply_code
             WHERE contact_alert.composed_at IS NULL
           RETURNING id, activation_id, contact_id
         ), linked AS (
           INSERT INTO contact_alert_request (alert_id, request_id, level, position)
           SELECT o.id, s.request_id, $2,
                  (SELECT count(*) FROM contact_alert_request x WHERE x.alert_id = o.id) + row_number() OVER (PARTITION BY o.id ORDER BY s.request_id)
           FROM steps s JOIN opened o ON o.activation_id = s.activation_id AND o.contact_id = s.contact_id
           ON CONFLICT DO NOTHING
           RETURNING alert_id
         )
         SELECT (SELECT count(*) FROM steps)::int AS wanted, (SELECT count(*) FROM linked)::int AS linked,
                array(SELECT DISTINCT alert_id FROM linked
                      UNION SELECT DISTINCT a.id FROM contact_alert a JOIN contact_alert_request x ON x.alert_id = a.id
                            WHERE ${alertsOf} AND x.level = $2 AND a.composed_at IS NULL) AS alert_ids`,
        [activationId ?? requestIds, level, this.clock.now()],
      );
      // Also the alerts gathered before whose messages are not composed yet: a replay queues them again.
      for (const id of result.alert_ids) alerts.add(id);
      if (result.linked >= result.wanted) break;
    }
    return [...alerts];
  }
}
