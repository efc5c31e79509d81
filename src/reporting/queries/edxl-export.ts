import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { ActivationNotFoundError } from '../../crisis/domain/crisis.errors.js';
import { type EdxlRmMessage, edxlRmThread } from '../formats/edxl-rm.js';

export class EdxlRmThreadQuery extends Query<EdxlRmMessage[]> {
  constructor(readonly activationId: string) {
    super();
  }
}

/**
 * The activation's thread as EDXL-RM 1.0 messages (see edxlRmThread for the mapping), read in one
 * snapshot: the activation, its requirements, and every request a member answered in any way.
 */
@QueryHandler(EdxlRmThreadQuery)
export class EdxlRmThreadHandler implements IQueryHandler<EdxlRmThreadQuery> {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async execute({ activationId }: EdxlRmThreadQuery): Promise<EdxlRmMessage[]> {
    return this.db.transaction('REPEATABLE READ', async (manager) => {
      const [activation] = await manager.query(
        `SELECT a.id, a.crisis_id, a.decision_reference, a.status, a.authorized_at, a.ended_at, a.end_reason, c.title, c.exercise
         FROM activation a JOIN crisis c ON c.id = a.crisis_id WHERE a.id = $1`,
        [activationId],
      );
      if (!activation) throw new ActivationNotFoundError(activationId);
      const requirements = await manager.query(
        `SELECT id, category, quantity, departements, needed_by FROM activation_requirement WHERE activation_id = $1 ORDER BY position`,
        [activationId],
      );
      const requests = await manager.query(
        `SELECT q.id, q.requirement_id, q.asset_id, a.name AS asset_name, a.category, m.legal_name, q.accepted_quantity, q.decline_reason_code,
                q.decline_comment, q.deploy_within_minutes, q.created_at, q.acknowledged_at, q.accepted_at, q.declined_at, q.deployed_at, q.released_at
         FROM mobilization_request q JOIN member m ON m.id = q.member_id JOIN asset a ON a.id = q.asset_id
         WHERE q.activation_id = $1 AND (q.acknowledged_at IS NOT NULL OR q.accepted_at IS NOT NULL OR q.declined_at IS NOT NULL)
         ORDER BY q.created_at, q.id`,
        [activationId],
      );
      return edxlRmThread({
        activation: {
          id: activation.id, crisisId: activation.crisis_id, crisisTitle: activation.title, exercise: activation.exercise,
          decisionReference: activation.decision_reference, status: activation.status, authorizedAt: activation.authorized_at,
          endedAt: activation.ended_at, endReason: activation.end_reason,
        },
        requirements: requirements.map((r: Record<string, any>) => ({
          id: r.id, category: r.category, quantity: r.quantity, departements: r.departements, neededBy: r.needed_by,
        })),
        requests: requests.map((q: Record<string, any>) => ({
          id: q.id, requirementId: q.requirement_id, assetId: q.asset_id, assetName: q.asset_name, category: q.category, memberName: q.legal_name,
          acceptedQuantity: q.accepted_quantity, declineReasonCode: q.decline_reason_code, declineComment: q.decline_comment,
          deployWithinMinutes: q.deploy_within_minutes, createdAt: q.created_at, acknowledgedAt: q.acknowledged_at, acceptedAt: q.accepted_at,
          declinedAt: q.declined_at, deployedAt: q.deployed_at, releasedAt: q.released_at,
        })),
      });
    });
  }
}
