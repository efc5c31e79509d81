import { RECORD_EVENTS } from '../../audit/persistence.js';

/*
 * The two answers that arrive by the thousand in the first minutes of an activation, each as
 * one statement run on its own (its own transaction): the row locks it takes are held only
 * while PostgreSQL runs it and commits, never across a round trip to the application. The
 * states come from the domain's lifecycle table as parameters; the events are written by the
 * same statement, so they commit with the change or not at all. When a statement changes
 * nothing, it answers the request as it found it (with `changed` false), for the handler to
 * say why through the domain's rules, without a second round trip.
 * Both are planned once per connection (named prepared statements), not at every answer.
 */


/**
 * Acknowledges: $1 request, $2 member, $3 statuses it may be acknowledged from, $4 the status
 * it goes to, $5 now, $6 actor id, $7 actor role, $8 the event type, $9 the statuses of a member
 * that may answer. Answers the updated request; unchanged, the request and its member's status.
 * A request that cannot be acknowledged any more (stood down, say) takes no lock: the refusal
 * writes nothing, not even a row lock, and its transaction has nothing to commit. A request
 * changed meanwhile is checked again once its lock is free.
 */
export const ACKNOWLEDGE_REQUEST = { name: 'acknowledge-request', text: `
  WITH locked AS (
    SELECT id, status FROM mobilization_request WHERE id = $1 AND member_id = $2 AND status = ANY($3::text[])
      AND EXISTS (SELECT 1 FROM member m WHERE m.id = $2 AND m.status = ANY($9::text[]))
    FOR UPDATE
  ), acknowledged AS (
    UPDATE mobilization_request q SET status = $4, acknowledged_at = $5, updated_at = $5
    FROM locked l WHERE q.id = l.id AND l.status = ANY($3::text[])
    RETURNING q.*, l.status AS previous_status
  ), recorded AS (
    ${RECORD_EVENTS}
    SELECT gen_random_uuid(), $5, $6::uuid, $7, 'MobilizationRequest', a.id::text, $8,
           jsonb_build_object('activationId', a.activation_id, 'requirementId', a.requirement_id, 'memberId', a.member_id,
                              'assetId', a.asset_id, 'from', a.previous_status, 'to', a.status)
    FROM acknowledged a
  )
  SELECT a.*, true AS changed, NULL::text AS member_status FROM acknowledged a
  UNION ALL
  SELECT q.*, NULL, false, (SELECT m.status FROM member m WHERE m.id = $2)
  FROM mobilization_request q WHERE q.id = $1 AND q.member_id = $2 AND NOT EXISTS (SELECT 1 FROM acknowledged)` };

/**
 * Accepts: counts the quantity offered toward the requirement, for at most what it still
 * needs, under the requirement's row lock (taken first, then the request's and its asset's:
 * the order every accept follows). The units counted are committed on the asset's ledger
 * under its row lock, so accepts from several activations see each other's units and never
 * offer more than the asset has left (the asset's CHECK is the last guard); the asset is
 * ENGAGED while any of its units are committed. The accept that meets the requirement stands
 * its other open requests down and counts it met on the activation (under the activation's row
 * lock), which it fulfils when that was the last. A request no longer open takes no lock: it cannot be accepted any more.
 * $1 request, $2 member, $3 open statuses, $4 statuses it may be accepted from, $5 quantity
 * offered (null: the asset's units left), $6 now, $7 now as ISO text, $8 actor id, $9 actor role,
 * $10 ACCEPTED, $11 STOOD_DOWN, $12 statuses an activation is fulfilled from, $13 FULFILLED,
 * $14 the event type, $15 the statuses of a member that may answer (a member suspended or
 * withdrawn meanwhile: nothing is locked, its request is refused).
 * Answers the accepted request; or, unchanged, the request with its asset's quantity and
 * committed units, its requirement's quantity and accepted quantity, and its member's status,
 * as they were.
 */
export const ACCEPT_REQUEST = { name: 'accept-request', text: `
  WITH locked_requirement AS (
    SELECT r.id, r.activation_id, r.quantity, r.accepted_quantity FROM activation_requirement r
    WHERE r.id = (SELECT requirement_id FROM mobilization_request WHERE id = $1 AND member_id = $2 AND status = ANY($3::text[])
                  AND EXISTS (SELECT 1 FROM member m WHERE m.id = $2 AND m.status = ANY($15::text[])))
    FOR UPDATE
  ), locked_request AS (
    SELECT q.id, q.status, q.activation_id, q.requirement_id, q.member_id, q.asset_id,
           a.quantity AS asset_quantity, a.committed_quantity AS asset_committed, coalesce($5::int, a.quantity - a.committed_quantity) AS offered
    FROM mobilization_request q JOIN asset a ON a.id = q.asset_id JOIN locked_requirement lr ON lr.id = q.requirement_id
    WHERE q.id = $1
    FOR UPDATE OF q, a
  ), decision AS (
    SELECT q.*, lr.quantity, LEAST(q.offered, lr.quantity - lr.accepted_quantity) AS counted,
           q.offered >= lr.quantity - lr.accepted_quantity AS meets
    FROM locked_request q JOIN locked_requirement lr ON lr.id = q.requirement_id
    WHERE q.status = ANY($4::text[]) AND q.offered BETWEEN 1 AND q.asset_quantity - q.asset_committed AND lr.accepted_quantity < lr.quantity
  ), committed AS (
    UPDATE asset a
    SET committed_quantity = a.committed_quantity + d.counted, status = CASE WHEN a.status = 'AVAILABLE' THEN 'ENGAGED' ELSE a.status END,
        version = a.version + 1, updated_at = $6
    FROM decision d WHERE a.id = d.asset_id
    RETURNING a.id
  ), counted AS (
    UPDATE activation_requirement r
    SET accepted_quantity = r.accepted_quantity + d.counted, met_at = CASE WHEN d.meets THEN $6::timestamptz ELSE r.met_at END
    FROM decision d WHERE r.id = d.requirement_id
    RETURNING r.id
  ), accepted AS (
    UPDATE mobilization_request q
    SET status = $10, accepted_at = $6, accepted_quantity = d.counted, acknowledged_at = coalesce(q.acknowledged_at, $6), updated_at = $6
    FROM decision d WHERE q.id = d.id
    RETURNING q.*
  ), stood AS (
    UPDATE mobilization_request q SET status = $11, stood_down_at = $6, updated_at = $6
    FROM decision d WHERE d.meets AND q.requirement_id = d.requirement_id AND q.status = ANY($3::text[]) AND q.id <> d.id
    RETURNING q.id, q.activation_id, q.requirement_id, q.member_id, q.asset_id
  ), fulfilled AS (
    UPDATE activation a
    SET requirements_met = a.requirements_met + 1,
        status = CASE WHEN a.requirements_met + 1 >= d.requirements AND a.status = ANY($12::text[]) THEN $13 ELSE a.status END,
        fulfilled_at = CASE WHEN a.requirements_met + 1 >= d.requirements AND a.status = ANY($12::text[]) THEN $6::timestamptz ELSE a.fulfilled_at END,
        updated_at = $6
    FROM (SELECT activation_id, (SELECT count(*) FROM activation_requirement r WHERE r.activation_id = decision.activation_id) AS requirements
          FROM decision WHERE meets) d
    WHERE a.id = d.activation_id
    RETURNING a.id, a.status = $13 AND a.fulfilled_at = $6::timestamptz AS fulfilled_now
  ), recorded AS (
    ${RECORD_EVENTS}
    SELECT gen_random_uuid(), $6, $8::uuid, $9, aggregate_type, aggregate_id, type, payload FROM (
      SELECT 0 AS n, 'MobilizationRequest' AS aggregate_type, d.id::text AS aggregate_id, $14::text AS type,
             jsonb_build_object('activationId', d.activation_id, 'requirementId', d.requirement_id, 'memberId', d.member_id,
                                'assetId', d.asset_id, 'from', d.status, 'to', $10::text, 'quantity', d.counted) AS payload
      FROM decision d
      UNION ALL
      SELECT 1, 'Activation', d.activation_id::text, 'ActivationRequirementMet',
             jsonb_build_object('requirementId', d.requirement_id, 'quantity', d.quantity, 'metAt', $7::text, 'stoodDown', (SELECT count(*) FROM stood))
      FROM decision d WHERE d.meets
      UNION ALL
      SELECT 2, 'MobilizationRequest', s.id::text, 'MobilizationRequestStoodDown',
             jsonb_build_object('activationId', s.activation_id, 'requirementId', s.requirement_id, 'memberId', s.member_id,
                                'assetId', s.asset_id, 'cause', 'requirement met')
      FROM stood s
      UNION ALL
      SELECT 3, 'Activation', f.id::text, 'ActivationFulfilled', jsonb_build_object('fulfilledAt', $7::text)
      FROM fulfilled f WHERE f.fulfilled_now
    ) e
    ORDER BY n, aggregate_id
  )
  SELECT a.*, true AS changed, NULL::int AS asset_quantity, NULL::int AS required, NULL::int AS already_accepted, NULL::int AS asset_committed,
         NULL::text AS member_status
  FROM accepted a
  UNION ALL
  SELECT q.*, false, a.quantity, r.quantity, r.accepted_quantity, a.committed_quantity, (SELECT m.status FROM member m WHERE m.id = $2)
  FROM mobilization_request q JOIN asset a ON a.id = q.asset_id JOIN activation_requirement r ON r.id = q.requirement_id
  WHERE q.id = $1 AND q.member_id = $2 AND NOT EXISTS (SELECT 1 FROM accepted)` };
