import type { EntityManager } from 'typeorm';
import { addressOf, CONTACT_METHODS, type ContactMethodKind } from '../domain/contact-method.js';
import type { DeliveryPurpose, DeliveryStatus } from '../delivery/channel-outbox.js';

type Queryable = Pick<EntityManager, 'query'>;

export interface LastDeliveryView {
  id: string;
  purpose: DeliveryPurpose;
  status: DeliveryStatus;
  queuedAt: string;
  sentAt: string | null;
  deliveredAt: string | null;
  failedAt: string | null;
  error: string | null;
}

export interface ContactMethodView {
  address: string;
  verified: boolean;
  verifiedAt: string | null;
  /** When the code sent last stops being accepted, while one is pending. */
  codeExpiresAt: string | null;
  lastDelivery: LastDeliveryView | null;
  /** Messages failed for good since the last one that left through this method. */
  consecutiveFailures: number;
  /** The method keeps failing: flagged on the contact, for whoever keeps it to fix. */
  failing: boolean;
}

/** Failed messages in a row after which a method is flagged as failing. */
export const FAILING_AFTER = 3;

export type ContactMethodsView = Record<ContactMethodKind, ContactMethodView>;

interface ContactAddresses {
  id: string;
  email: string;
  phone: string;
}

const iso = (value: Date | string | null): string | null => (value === null ? null : new Date(value).toISOString());

/**
 * Each contact's methods as they stand: verified only if proven for the address the contact
 * holds now, and the last message sent through each.
 */
export async function contactMethodsOf(db: Queryable, contacts: ContactAddresses[], now: Date): Promise<Map<string, ContactMethodsView>> {
  const result = new Map<string, ContactMethodsView>();
  if (contacts.length === 0) return result;
  const rows: Record<string, any>[] = await db.query(
    `SELECT c.id AS contact_id, k.method, m.address, m.verified_at, m.code_expires_at,
            d.id AS delivery_id, d.purpose, d.status, d.queued_at, d.sent_at, d.delivered_at, d.failed_at, d.error, fl.failures
     FROM unnest($1::uuid[]) AS c(id)
     CROSS JOIN (VALUES ('email'), ('sms')) AS k(method)
     LEFT JOIN contact_method m ON m.contact_id = c.id AND m.method = k.method
     LEFT JOIN LATERAL (
       SELECT id, purpose, status, queued_at, sent_at, delivered_at, failed_at, error FROM channel_delivery
       WHERE contact_id = c.id AND channel = k.method ORDER BY seq DESC LIMIT 1
     ) d ON true
     LEFT JOIN LATERAL (
       SELECT count(*)::int AS failures FROM channel_delivery f
       WHERE f.contact_id = c.id AND f.channel = k.method AND f.status = 'failed'
         AND f.seq > coalesce((SELECT max(g.seq) FROM channel_delivery g WHERE g.contact_id = c.id AND g.channel = k.method AND g.status IN ('sent', 'delivered')), 0)
     ) fl ON true`,
    [contacts.map((contact) => contact.id)],
  );
  const byKey = new Map(rows.map((row) => [`${row.contact_id}/${row.method}`, row]));
  for (const contact of contacts) {
    const methods = {} as ContactMethodsView;
    for (const method of CONTACT_METHODS) {
      const row = byKey.get(`${contact.id}/${method}`);
      const address = addressOf(contact, method);
      const current = row?.address === address;
      const expires = current && row?.code_expires_at && new Date(row.code_expires_at) > now ? iso(row.code_expires_at) : null;
      methods[method] = {
        address,
        verified: current && row?.verified_at != null,
        verifiedAt: current ? iso(row?.verified_at ?? null) : null,
        codeExpiresAt: expires,
        consecutiveFailures: row?.failures ?? 0,
        failing: (row?.failures ?? 0) >= FAILING_AFTER,
        lastDelivery: row?.delivery_id
          ? {
              id: row.delivery_id,
              purpose: row.purpose,
              status: row.status,
              queuedAt: iso(row.queued_at)!,
              sentAt: iso(row.sent_at),
              deliveredAt: iso(row.delivered_at),
              failedAt: iso(row.failed_at),
              error: row.error,
            }
          : null,
      };
    }
    result.set(contact.id, methods);
  }
  return result;
}

/** The views of contacts with their methods. */
export async function withMethods<T extends ContactAddresses>(db: Queryable, views: T[], now: Date): Promise<(T & { methods: ContactMethodsView })[]> {
  const methods = await contactMethodsOf(db, views, now);
  return views.map((view) => ({ ...view, methods: methods.get(view.id)! }));
}

/**
 * A contact's email or phone changed: what was proven for the old one proves nothing for the new
 * one, and a code sent to the old one must not verify the new one. Answers the methods forgotten.
 */
export async function forgetChangedMethods(manager: EntityManager, contactId: string, before: Omit<ContactAddresses, 'id'>, after: Omit<ContactAddresses, 'id'>): Promise<ContactMethodKind[]> {
  const changed = CONTACT_METHODS.filter((method) => addressOf(before, method) !== addressOf(after, method));
  if (changed.length > 0) await manager.query(`DELETE FROM contact_method WHERE contact_id = $1 AND method = ANY($2::text[])`, [contactId, changed]);
  return changed;
}
