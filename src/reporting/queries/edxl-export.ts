import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { ActivationNotFoundError } from '../../crisis/domain/crisis.errors.js';
import { renderXml, type XmlNode } from '../formats/xml.js';

export const EDXL_RM_NAMESPACE = 'urn:oasis:names:tc:emergency:EDXL:RM:1.0:msg';

const el = (name: string, text?: unknown, children?: (XmlNode | null)[]): XmlNode => ({ name: `rm:${name}`, text, children });
const iso = (value: Date | null) => value?.toISOString() ?? null;

export class EdxlRmExportQuery extends Query<string> {
  constructor(readonly activationId: string) {
    super();
  }
}

/**
 * The activation's thread in the OASIS EDXL-RM 1.0 vocabulary: a RequestResource for the
 * activation, then per request a ResponseToRequestResource (accept or decline), a CommitResource
 * (deployment) and a ReleaseResource (release). Every message names the originating request in
 * OriginatingMessageID and the message it follows in PrecedingMessageID.
 */
@QueryHandler(EdxlRmExportQuery)
export class EdxlRmExportHandler implements IQueryHandler<EdxlRmExportQuery> {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async execute({ activationId }: EdxlRmExportQuery): Promise<string> {
    const [activation] = await this.db.query(
      `SELECT a.*, c.title, c.type, c.departements, c.exercise, c.opened_at FROM activation a JOIN crisis c ON c.id = a.crisis_id WHERE a.id = $1`,
      [activationId],
    );
    if (!activation) throw new ActivationNotFoundError(activationId);
    const [requirements, requests] = await Promise.all([
      this.db.query(`SELECT * FROM activation_requirement WHERE activation_id = $1 ORDER BY position`, [activationId]),
      this.db.query(
        `SELECT q.*, m.legal_name, a.name AS asset_name FROM mobilization_request q JOIN member m ON m.id = q.member_id JOIN asset a ON a.id = q.asset_id
         WHERE q.activation_id = $1 AND (q.accepted_at IS NOT NULL OR q.declined_at IS NOT NULL) ORDER BY q.created_at, q.id`,
        [activationId],
      ),
    ]);
    const requestMessageId = `urn:renfort:activation:${activationId}:request`;
    const incident = el('IncidentInformation', undefined, [
      el('IncidentDescription', `${activation.exercise ? '[EXERCISE] ' : ''}${activation.title}`),
      el('IncidentID', activation.crisis_id),
    ]);
    const messages: XmlNode[] = [
      el('RequestResource', undefined, [
        el('MessageID', requestMessageId),
        el('SentDateTime', iso(activation.authorized_at ?? activation.prepared_at)),
        el('MessageContentType', 'RequestResource'),
        el('MessageDescription', activation.decision_reference),
        incident,
        ...requirements.map((r: Record<string, any>) =>
          el('ResourceInformation', undefined, [
            el('ResourceInfoElementID', r.id),
            el('Resource', undefined, [el('TypeStructure', undefined, [el('Value', r.category), el('ValueListURN', 'urn:renfort:categories')])]),
            el('AssignmentInformation', undefined, [
              el('Quantity', undefined, [el('MeasuredQuantity', undefined, [el('Amount', r.quantity)])]),
              el('AnticipatedFunction', `Départements ${r.departements.join(', ')}`),
            ]),
            r.needed_by ? el('ScheduleInformation', undefined, [el('ScheduleType', 'RequestedArrival'), el('DateTime', iso(r.needed_by))]) : null,
          ]),
        ),
      ]),
    ];
    for (const q of requests) {
      const base = `urn:renfort:request:${q.id}`;
      const thread: { type: string; id: string; at: Date; children: (XmlNode | null)[] }[] = [];
      thread.push({
        type: 'ResponseToRequestResource',
        id: `${base}:response`,
        at: q.accepted_at ?? q.declined_at,
        children: [
          el('ResponseInformation', undefined, [
            el('PrecedingResourceInfoElementID', q.requirement_id),
            el('ResponseType', q.accepted_at ? 'Accept' : 'Decline'),
            q.decline_reason_code ? el('ReasonCode', q.decline_reason_code) : null,
            q.decline_comment ? el('ResponseReason', q.decline_comment) : null,
          ]),
          resource(q),
        ],
      });
      if (q.deployed_at) thread.push({ type: 'CommitResource', id: `${base}:commit`, at: q.deployed_at, children: [resource(q)] });
      if (q.released_at) thread.push({ type: 'ReleaseResource', id: `${base}:release`, at: q.released_at, children: [resource(q)] });
      let preceding = requestMessageId;
      for (const message of thread) {
        messages.push(
          el(message.type, undefined, [
            el('MessageID', message.id),
            el('SentDateTime', iso(message.at)),
            el('MessageContentType', message.type),
            el('OriginatingMessageID', requestMessageId),
            el('PrecedingMessageID', preceding),
            incident,
            ...message.children,
          ]),
        );
        preceding = message.id;
      }
    }
    const root: XmlNode = {
      name: 'rm:MessageThread',
      attributes: { 'xmlns:rm': EDXL_RM_NAMESPACE, activationId },
      children: messages,
    };
    return `<?xml version="1.0" encoding="UTF-8"?>\n${renderXml(root)}\n`;
  }
}

function resource(q: Record<string, any>): XmlNode {
  return el('ResourceInformation', undefined, [
    el('ResourceInfoElementID', q.id),
    el('Resource', undefined, [el('ResourceID', q.asset_id), el('Name', q.asset_name), el('OwnershipInformation', undefined, [el('Owner', q.legal_name)])]),
    q.accepted_quantity ? el('AssignmentInformation', undefined, [el('Quantity', undefined, [el('MeasuredQuantity', undefined, [el('Amount', q.accepted_quantity)])])]) : null,
  ]);
}
