import type { EntityManager } from 'typeorm';

type Queryable = Pick<EntityManager, 'query'>;

export interface MethodStatus {
  channel: 'email' | 'sms';
  status: 'queued' | 'sent' | 'delivered' | 'failed';
  queuedAt: string;
  sentAt: string | null;
  deliveredAt: string | null;
  error: string | null;
}

export interface RequestAlertView {
  alertId: string;
  level: number;
  contactId: string;
  contactName: string;
  composedAt: string | null;
  methods: MethodStatus[];
}

export interface ActivationReach {
  /** Members with at least one request alerted to a person. */
  membersAlerted: number;
  /** Of them, members of whom at least one person was reached (a message sent, or delivered, by a method). */
  membersReached: number;
  peopleAlerted: number;
  peopleReached: number;
  /** Messages of the alerts by channel and status. */
  messages: Record<string, Record<string, number>>;
}

const iso = (value: Date | null): string | null => (value ? new Date(value).toISOString() : null);

/** The alerts a request went out on, with the status of each message per method. */
export async function alertsOfRequest(db: Queryable, requestId: string): Promise<RequestAlertView[]> {
  const rows: Record<string, any>[] = await db.query(
    `SELECT a.id, a.level, a.contact_id, c.name, a.composed_at, d.channel, d.status, d.queued_at, d.sent_at, d.delivered_at, d.error
     FROM contact_alert_request x JOIN contact_alert a ON a.id = x.alert_id JOIN contact c ON c.id = a.contact_id
     LEFT JOIN channel_delivery d ON d.alert_id = a.id
     WHERE x.request_id = $1 ORDER BY a.level, a.round, d.channel`,
    [requestId],
  );
  const alerts = new Map<string, RequestAlertView>();
  for (const row of rows) {
    const alert: RequestAlertView = alerts.get(row.id) ?? { alertId: row.id, level: row.level, contactId: row.contact_id, contactName: row.name, composedAt: iso(row.composed_at), methods: [] };
    if (row.channel) {
      alert.methods.push({ channel: row.channel, status: row.status, queuedAt: iso(row.queued_at)!, sentAt: iso(row.sent_at), deliveredAt: iso(row.delivered_at), error: row.error });
    }
    alerts.set(row.id, alert);
  }
  return [...alerts.values()];
}

/** How many members and people the activation's alerts reached ("812 of 830 members by at least one person"). */
export async function reachOfActivation(db: Queryable, activationId: string): Promise<ActivationReach> {
  const [counts] = await db.query(
    `WITH alerted AS (
       SELECT DISTINCT r.member_id, a.contact_id,
              EXISTS (SELECT 1 FROM channel_delivery d WHERE d.alert_id = a.id AND d.status IN ('sent', 'delivered')) AS reached
       FROM contact_alert a JOIN contact_alert_request x ON x.alert_id = a.id JOIN mobilization_request r ON r.id = x.request_id
       WHERE a.activation_id = $1
     )
     SELECT count(DISTINCT member_id)::int AS members_alerted, count(DISTINCT member_id) FILTER (WHERE reached)::int AS members_reached,
            count(DISTINCT contact_id)::int AS people_alerted, count(DISTINCT contact_id) FILTER (WHERE reached)::int AS people_reached
     FROM alerted`,
    [activationId],
  );
  const messages: { channel: string; status: string; count: number }[] = await db.query(
    `SELECT d.channel, d.status, count(*)::int AS count FROM channel_delivery d JOIN contact_alert a ON a.id = d.alert_id
     WHERE a.activation_id = $1 GROUP BY d.channel, d.status`,
    [activationId],
  );
  const byChannel: Record<string, Record<string, number>> = {};
  for (const row of messages) (byChannel[row.channel] ??= {})[row.status] = row.count;
  return {
    membersAlerted: counts.members_alerted, membersReached: counts.members_reached,
    peopleAlerted: counts.people_alerted, peopleReached: counts.people_reached, messages: byChannel,
  };
}
