/**
 * The one definition of on time, late and missed, shared by every report (activation, member,
 * convention) so that they can never disagree on the same requests.
 *
 * Acknowledgement, for a request that reached the member (notified): on time when acknowledged
 * within the convention's ackWithinMinutes of the notification, late when acknowledged after,
 * missed when not acknowledged by then, unless it was stood down before it was due.
 * Deployment, for an accepted request: on time when deployed within deployWithinMinutes of the
 * acceptance, late when deployed after, missed when not deployed by then, unless stood down
 * before it was due.
 * A deadline still running counts in none of them: a report read during an activation never
 * calls "missed" what may still be on time. "Now" is the application's clock, passed in as a
 * parameter, never the database's `now()`, so that the reports read time as the commands write it.
 */
export const TIMELINESS_FIELDS = ['ackOnTime', 'ackLate', 'ackMissed', 'deployOnTime', 'deployLate', 'deployMissed'] as const;
export type TimelinessField = (typeof TIMELINESS_FIELDS)[number];
export type Timeliness = Record<TimelinessField, number>;

/**
 * The six counts as SQL aggregate columns over rows of `mobilization_request` (or rows that carry
 * its columns) named `request`; `now` is the placeholder of the clock's instant (`$2`).
 */
export function timelinessColumns(request: string, now: string): string {
  const q = request;
  const ackDue = `(${q}.notified_at + make_interval(mins => ${q}.ack_within_minutes))`;
  const deployDue = `(${q}.accepted_at + make_interval(mins => ${q}.deploy_within_minutes))`;
  const stillExpectedUntil = `COALESCE(${q}.stood_down_at, ${now}::timestamptz)`;
  return `
  count(*) FILTER (WHERE ${q}.notified_at IS NOT NULL AND ${q}.acknowledged_at <= ${ackDue})::int AS "ackOnTime",
  count(*) FILTER (WHERE ${q}.notified_at IS NOT NULL AND ${q}.acknowledged_at > ${ackDue})::int AS "ackLate",
  count(*) FILTER (WHERE ${q}.notified_at IS NOT NULL AND ${q}.acknowledged_at IS NULL AND ${ackDue} <= ${stillExpectedUntil})::int AS "ackMissed",
  count(*) FILTER (WHERE ${q}.accepted_at IS NOT NULL AND ${q}.deployed_at <= ${deployDue})::int AS "deployOnTime",
  count(*) FILTER (WHERE ${q}.accepted_at IS NOT NULL AND ${q}.deployed_at > ${deployDue})::int AS "deployLate",
  count(*) FILTER (WHERE ${q}.accepted_at IS NOT NULL AND ${q}.deployed_at IS NULL AND ${deployDue} <= ${stillExpectedUntil})::int AS "deployMissed"`;
}
