import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The chain of steps a mobilization request escalates along, taken when the request is created
 * so that later edits to contacts or conventions never rewrite who was asked: level 0 is the
 * member's first contact (reached with the delivery), then its other contacts in escalation
 * order, then the convention's directorate contact, then the crisis cell. A statement-level
 * trigger fills it set-based for whatever statement creates requests (the fan-out inserts
 * thousands at once). The request also records when its first delivery was attempted (the
 * acknowledgement deadline runs from then, delivered or not), when its chain was exhausted,
 * and when its deployment became late; past its last step it has no deadline.
 */
export class EscalationChain1795301000000 implements MigrationInterface {
  name = 'EscalationChain1795301000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE mobilization_request
        ALTER COLUMN ack_deadline DROP NOT NULL,
        ADD COLUMN delivery_started_at timestamptz NULL,
        ADD COLUMN chain_exhausted_at timestamptz NULL,
        ADD COLUMN deployment_late_at timestamptz NULL`);
    await db.query(`
      CREATE TABLE mobilization_request_step (
        request_id uuid NOT NULL REFERENCES mobilization_request (id),
        level int NOT NULL,
        kind text NOT NULL,
        contact_id uuid NULL REFERENCES contact (id) ON DELETE SET NULL,
        contact_name text NULL,
        contact_role text NULL,
        contact_phone text NULL,
        contact_email text NULL,
        directorate_code text NULL REFERENCES directorate (code),
        reached_at timestamptz NULL,
        PRIMARY KEY (request_id, level),
        CONSTRAINT mobilization_request_step_kind_check CHECK (kind IN ('MEMBER_CONTACT','DIRECTORATE_CONTACT','CRISIS_CELL')),
        CONSTRAINT mobilization_request_step_level_check CHECK (level >= 0)
      )`);
    await db.query(`
      CREATE FUNCTION mobilization_request_chain() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        ${chainInsert('created')};
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER mobilization_request_chain AFTER INSERT ON mobilization_request
      REFERENCING NEW TABLE AS created FOR EACH STATEMENT EXECUTE FUNCTION mobilization_request_chain()`);
    // Requests created before: their chain as it stands now, the steps already passed marked reached.
    await db.query(chainInsert('mobilization_request'));
    await db.query(`
      UPDATE mobilization_request_step s SET reached_at = coalesce(r.last_escalated_at, r.notified_at, r.created_at)
      FROM mobilization_request r WHERE r.id = s.request_id AND s.level <= r.escalation_level AND (s.level > 0 OR r.notified_at IS NOT NULL)`);
    await db.query(`UPDATE mobilization_request SET delivery_started_at = coalesce(notified_at, delivery_failed_at) WHERE notified_at IS NOT NULL OR delivery_failed_at IS NOT NULL`);
    await db.query(`CREATE INDEX mobilization_request_accepted_idx ON mobilization_request (accepted_at) WHERE status = 'ACCEPTED' AND deployment_late_at IS NULL`);
    await db.query(`CREATE INDEX mobilization_request_ack_deadline_idx ON mobilization_request (ack_deadline) WHERE status IN ('PENDING','NOTIFIED','ESCALATED')`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX mobilization_request_ack_deadline_idx`);
    await db.query(`DROP INDEX mobilization_request_accepted_idx`);
    await db.query(`DROP TRIGGER mobilization_request_chain ON mobilization_request`);
    await db.query(`DROP FUNCTION mobilization_request_chain()`);
    await db.query(`DROP TABLE mobilization_request_step`);
    await db.query(`UPDATE mobilization_request SET ack_deadline = coalesce(ack_deadline, last_escalated_at, created_at)`);
    await db.query(`
      ALTER TABLE mobilization_request
        ALTER COLUMN ack_deadline SET NOT NULL,
        DROP COLUMN delivery_started_at,
        DROP COLUMN chain_exhausted_at,
        DROP COLUMN deployment_late_at`);
  }
}

/** The steps of every request of `source` (a table or the trigger's transition table), in one statement. */
function chainInsert(source: string): string {
  return `
    WITH member_steps AS (
      SELECT r.id AS request_id, (row_number() OVER (PARTITION BY r.id ORDER BY c.escalation_order))::int - 1 AS level,
             c.id AS contact_id, c.name, c.role, c.phone, c.email
      FROM ${source} r JOIN contact c ON c.member_id = r.member_id
    ), member_chain AS (
      SELECT * FROM member_steps
      UNION ALL
      -- A member without contacts is still reached, through its delivery channel.
      SELECT r.id, 0, NULL, NULL, NULL, NULL, NULL FROM ${source} r
      WHERE NOT EXISTS (SELECT 1 FROM contact c WHERE c.member_id = r.member_id)
    ), after_member AS (
      SELECT m.request_id, max(m.level) + 1 AS level FROM member_chain m GROUP BY m.request_id
    )
    INSERT INTO mobilization_request_step (request_id, level, kind, contact_id, contact_name, contact_role, contact_phone, contact_email, directorate_code)
    SELECT request_id, level, 'MEMBER_CONTACT', contact_id, name, role, phone, email, NULL FROM member_chain
    UNION ALL
    SELECT a.request_id, a.level, 'DIRECTORATE_CONTACT', d.id, d.name, d.role, d.phone, d.email, v.directorate_code
    FROM after_member a JOIN ${source} r ON r.id = a.request_id JOIN convention v ON v.id = r.convention_id
    JOIN contact d ON d.id = v.directorate_contact_id
    UNION ALL
    SELECT a.request_id, a.level + CASE WHEN v.directorate_contact_id IS NULL THEN 0 ELSE 1 END, 'CRISIS_CELL', NULL, NULL, NULL, NULL, NULL, NULL
    FROM after_member a JOIN ${source} r ON r.id = a.request_id JOIN convention v ON v.id = r.convention_id`;
}
