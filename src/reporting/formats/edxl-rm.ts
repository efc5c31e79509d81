import { renderXml, type XmlNode } from './xml.js';

/** The namespace of the EDXL-RM 1.0 message elements (each message schema's target namespace). */
export const EDXL_RM_MESSAGE_NAMESPACE = 'urn:oasis:names:tc:emergency:EDXL:RM:1.0:msg';
/** The namespace of the children of the common types (EDXL-RMCommonTypes.xsd): value lists, quantities, contacts... */
export const EDXL_RM_COMMON_NAMESPACE = 'urn:oasis:names:tc:emergency:EDXL:RM:1.0';
/**
 * Renfort's own wrapper around a thread of messages: EDXL-RM 1.0 defines single messages, no
 * document that holds several, so the wrapper is ours and only the messages inside are EDXL-RM.
 */
export const RENFORT_THREAD_NAMESPACE = 'urn:renfort:edxl-rm:thread:1';

/** The value lists our codes come from (ValueListURN of every ValueListType). */
export const VALUE_LISTS = {
  categories: 'urn:renfort:categories',
  declineReasons: 'urn:renfort:decline-reasons',
  responseReasons: 'urn:renfort:response-reasons',
  deploymentStatus: 'urn:renfort:deployment-status',
} as const;

export const EDXL_RM_MESSAGE_TYPES = [
  'RequestResource', 'ResponseToRequestResource', 'CommitResource', 'ReportResourceDeploymentStatus', 'ReleaseResource',
] as const;
export type EdxlRmMessageType = (typeof EDXL_RM_MESSAGE_TYPES)[number];

/** What the thread is built from: the activation, its requirements, and its requests with their answers. */
export interface EdxlRmThreadFacts {
  activation: {
    id: string;
    crisisId: string;
    crisisTitle: string;
    exercise: boolean;
    decisionReference: string;
    status: string;
    authorizedAt: Date | null;
    endedAt: Date | null;
    endReason: string | null;
  };
  requirements: { id: string; category: string; quantity: number; departements: string[]; neededBy: Date | null }[];
  requests: {
    id: string;
    requirementId: string;
    assetId: string;
    assetName: string;
    category: string;
    memberName: string;
    acceptedQuantity: number | null;
    declineReasonCode: string | null;
    declineComment: string | null;
    deployWithinMinutes: number;
    createdAt: Date;
    acknowledgedAt: Date | null;
    acceptedAt: Date | null;
    declinedAt: Date | null;
    deployedAt: Date | null;
    releasedAt: Date | null;
  }[];
}

export interface EdxlRmMessage {
  /** Position in the thread, from 1. */
  n: number;
  type: EdxlRmMessageType;
  /** Its MessageID. */
  id: string;
  sentAt: Date;
  node: XmlNode;
}

type Request = EdxlRmThreadFacts['requests'][number];
type Step = 'acknowledge' | 'accept' | 'commit' | 'decline' | 'deploy' | 'release';

/** Message order among facts recorded at the same instant: a cause before its effects (a cancellation before the releases it makes). */
const RANK = { request: 0, acknowledge: 1, accept: 2, commit: 3, decline: 4, deploy: 5, recall: 6, release: 7 } as const;

const m = (name: string, text?: unknown, children?: (XmlNode | null)[]): XmlNode => ({ name, text, children });
const c = (name: string, text?: unknown, children?: (XmlNode | null)[]): XmlNode => ({ name: `rm:${name}`, text, children });
const iso = (value: Date) => value.toISOString();
const valueList = (name: string, urn: string, value: string) => c(name, undefined, [c('ValueListURN', urn), c('Value', value)]);
// `name` is an element of the message schema, whose type is the common ValueListType.
const msgValueList = (name: string, urn: string, value: string) => m(name, undefined, [c('ValueListURN', urn), c('Value', value)]);
const quantity = (amount: number) => m('Quantity', undefined, [c('MeasuredQuantity', undefined, [c('Amount', amount)])]);
const contact = (description: string, role: 'Requester' | 'Approver' | 'RespondingOrg') =>
  m('ContactInformation', undefined, [c('ContactDescription', description), c('ContactRole', role)]);

const CRISIS_CELL = "Cellule interministérielle de crise (CIC), ministère de l'Intérieur";

/**
 * The activation's thread as EDXL-RM 1.0 messages, each valid on its own against the OASIS schema
 * of its type, in the order their facts took effect:
 *
 * - the authorized activation: a RequestResource, one ResourceInformation per requirement;
 * - per request: an acknowledgement (ResponseToRequestResource, Provisional), an acceptance
 *   (ResponseToRequestResource, Accept) and the member's commitment of its units (CommitResource),
 *   or a decline (ResponseToRequestResource, Decline, its reason from a value list); the arrival
 *   on site (ReportResourceDeploymentStatus) and the release (ReleaseResource);
 * - a cancelled activation: the requester's recall.
 *
 * A cancellation is a RequestResource carrying MessageRecall (RecallType Cancel) that names the
 * original request. RequestReturn is not it: in the EDXL-RM vocabulary that message asks for
 * deployed resources to be sent back (a supplier wanting its resources returned) and expects a
 * ResponseToRequestReturn, while the spec's "Cancel" (revoke a previous message: a resource
 * requested, perhaps en route, and no longer needed) is what MessageRecall carries, and a
 * RequestResource is the message the requester owns.
 *
 * Every message after the request names it in OriginatingMessageID and, in PrecedingMessageID,
 * the message it follows in its request's own exchange. Nothing is sent before authorization.
 */
export function edxlRmThread(facts: EdxlRmThreadFacts): EdxlRmMessage[] {
  const { activation } = facts;
  if (!activation.authorizedAt) return [];
  const requestId = `urn:renfort:activation:${activation.id}:request`;
  const incident = m('IncidentInformation', undefined, [
    c('IncidentID', activation.crisisId),
    c('IncidentDescription', `${activation.exercise ? '[EXERCISE] ' : ''}${activation.crisisTitle}`),
  ]);
  const header = (type: EdxlRmMessageType, id: string, at: Date, preceding: string | null, description?: string) => [
    m('MessageID', id),
    m('SentDateTime', iso(at)),
    m('MessageContentType', type),
    description === undefined ? null : m('MessageDescription', description),
    m('OriginatingMessageID', requestId),
    preceding === null ? null : m('PrecedingMessageID', preceding),
    incident,
  ];
  const requirements = facts.requirements.map((r) =>
    m('ResourceInformation', undefined, [
      m('ResourceInfoElementID', r.id),
      m('Resource', undefined, [msgValueList('TypeStructure', VALUE_LISTS.categories, r.category)]),
      m('AssignmentInformation', undefined, [quantity(r.quantity), m('AnticipatedFunction', `Départements ${r.departements.join(', ')}`)]),
      r.neededBy ? m('ScheduleInformation', undefined, [m('ScheduleType', 'RequestedArrival'), m('DateTime', iso(r.neededBy))]) : null,
    ]),
  );

  type Draft = { type: EdxlRmMessageType; id: string; at: Date; rank: number; order: [number, string]; build: (preceding: string | null) => XmlNode };
  const drafts: Draft[] = [
    {
      type: 'RequestResource', id: requestId, at: activation.authorizedAt, rank: RANK.request, order: [0, ''],
      build: () => m('RequestResource', undefined, [
        ...header('RequestResource', requestId, activation.authorizedAt!, null, activation.decisionReference),
        contact(CRISIS_CELL, 'Requester'),
        contact(`Autorité ministérielle, décision ${activation.decisionReference}`, 'Approver'),
        ...requirements,
      ]),
    },
  ];
  if (activation.status === 'CANCELLED' && activation.endedAt) {
    const recallId = `urn:renfort:activation:${activation.id}:recall`;
    drafts.push({
      type: 'RequestResource', id: recallId, at: activation.endedAt, rank: RANK.recall, order: [0, ''],
      build: () => m('RequestResource', undefined, [
        ...header('RequestResource', recallId, activation.endedAt!, null, `Activation cancelled${activation.endReason ? `: ${activation.endReason}` : ''}`),
        m('MessageRecall', undefined, [c('RecallMessageID', requestId), c('RecallType', 'Cancel')]),
        contact(CRISIS_CELL, 'Requester'),
        ...requirements,
      ]),
    });
  }

  const chains = new Map<string, Draft[]>();
  for (const q of facts.requests) {
    const order: [number, string] = [q.createdAt.getTime(), q.id];
    const steps: { step: Step; at: Date }[] = [];
    const answeredAt = q.acceptedAt ?? q.declinedAt;
    // An answer given without a prior acknowledgement records one at the same instant: no message of its own.
    if (q.acknowledgedAt && (!answeredAt || q.acknowledgedAt < answeredAt)) steps.push({ step: 'acknowledge', at: q.acknowledgedAt });
    if (q.acceptedAt) steps.push({ step: 'accept', at: q.acceptedAt }, { step: 'commit', at: q.acceptedAt });
    if (q.declinedAt) steps.push({ step: 'decline', at: q.declinedAt });
    if (q.deployedAt) steps.push({ step: 'deploy', at: q.deployedAt });
    if (q.releasedAt) steps.push({ step: 'release', at: q.releasedAt });
    chains.set(q.id, steps.map(({ step, at }) => {
      const draft = requestMessage(q, step, at);
      return {
        ...draft, at, rank: RANK[step], order,
        build: (preceding: string | null) => m(draft.type, undefined, [...header(draft.type, draft.id, at, preceding), ...draft.body]),
      };
    }));
  }

  const all = [...drafts, ...[...chains.values()].flat()].sort(
    (a, b) => a.at.getTime() - b.at.getTime() || a.rank - b.rank || a.order[0] - b.order[0] || a.order[1].localeCompare(b.order[1]),
  );
  // Each request's exchange (its steps come in thread order: an answer never precedes its acknowledgement,
  // a deployment its acceptance): a message follows the one before it, the first follows the request.
  const preceding = new Map<Draft, string>();
  for (const chain of chains.values()) chain.forEach((draft, i) => preceding.set(draft, i === 0 ? requestId : chain[i - 1].id));
  return all.map((draft, i) => {
    const node = draft.build(preceding.get(draft) ?? null);
    node.attributes = { xmlns: EDXL_RM_MESSAGE_NAMESPACE, 'xmlns:rm': EDXL_RM_COMMON_NAMESPACE };
    return { n: i + 1, type: draft.type, id: draft.id, sentAt: draft.at, node };
  });
}

/** One message of a request's exchange: its type, MessageID and the elements after the header. */
function requestMessage(q: Request, step: Step, at: Date): { type: EdxlRmMessageType; id: string; body: (XmlNode | null)[] } {
  const id = `urn:renfort:request:${q.id}:${step}`;
  const member = contact(q.memberName, 'RespondingOrg');
  const response = (type: 'Accept' | 'Decline' | 'Provisional', reason: XmlNode | null, text: string | null) =>
    m('ResponseInformation', undefined, [
      c('PrecedingResourceInfoElementID', q.requirementId),
      c('ResponseType', type),
      reason,
      text ? c('ResponseReason', text) : null,
    ]);
  const resource = (status: string | null) =>
    m('Resource', undefined, [
      m('ResourceID', q.assetId),
      m('Name', q.assetName),
      msgValueList('TypeStructure', VALUE_LISTS.categories, q.category),
      m('OwnershipInformation', undefined, [c('Owner', q.memberName)]),
      status ? m('ResourceStatus', undefined, [msgValueList('DeploymentStatus', VALUE_LISTS.deploymentStatus, status)]) : null,
    ]);
  const units = q.acceptedQuantity ?? 1;
  const info = (children: (XmlNode | null)[]) => m('ResourceInformation', undefined, [m('ResourceInfoElementID', q.id), ...children]);
  switch (step) {
    case 'acknowledge':
      return {
        type: 'ResponseToRequestResource', id,
        body: [member, info([
          // Provisional needs a reason: the member has the request and its answer follows.
          response('Provisional', valueList('ReasonCode', VALUE_LISTS.responseReasons, 'ACKNOWLEDGED'), 'Request acknowledged; the answer follows'),
          resource(null),
        ])],
      };
    case 'accept':
      return {
        type: 'ResponseToRequestResource', id,
        body: [member, info([response('Accept', null, null), resource(null), m('AssignmentInformation', undefined, [quantity(units)])])],
      };
    case 'decline':
      return {
        type: 'ResponseToRequestResource', id,
        body: [member, info([
          response('Decline', q.declineReasonCode ? valueList('ReasonCode', VALUE_LISTS.declineReasons, q.declineReasonCode) : null, q.declineComment),
          resource(null),
        ])],
      };
    case 'commit':
      return {
        type: 'CommitResource', id,
        body: [member, info([
          response('Accept', null, null),
          resource('COMMITTED'),
          m('AssignmentInformation', undefined, [quantity(units)]),
          // The convention's committed time to deploy, counted from the acceptance.
          m('ScheduleInformation', undefined, [
            m('ScheduleType', 'EstimatedArrival'),
            m('DateTime', iso(new Date(at.getTime() + q.deployWithinMinutes * 60_000))),
          ]),
        ])],
      };
    case 'deploy':
      return {
        type: 'ReportResourceDeploymentStatus', id,
        body: [member, info([
          resource('DEPLOYED'),
          m('AssignmentInformation', undefined, [quantity(units)]),
          m('ScheduleInformation', undefined, [m('ScheduleType', 'ActualArrival'), m('DateTime', iso(at))]),
        ])],
      };
    case 'release':
      return {
        type: 'ReleaseResource', id,
        // Released by its member after deployment; released by the crisis cell when the activation ended before it deployed.
        body: [q.deployedAt ? member : contact(CRISIS_CELL, 'Requester'), info([
          resource('RELEASED'),
          m('AssignmentInformation', undefined, [quantity(units)]),
          q.deployedAt ? m('ScheduleInformation', undefined, [m('ScheduleType', 'ActualReturnDeparture'), m('DateTime', iso(at))]) : null,
        ])],
      };
  }
}

/** The address of one message of an activation's thread. */
export const edxlRmMessagePath = (activationId: string, n: number) => `/api/v1/activations/${activationId}/edxl-rm/messages/${n}`;

const PROLOG = '<?xml version="1.0" encoding="UTF-8"?>\n';

/** One message as a standalone EDXL-RM document. */
export function renderEdxlRmMessage(message: EdxlRmMessage): string {
  return `${PROLOG}${renderXml(message.node)}\n`;
}

/**
 * The whole thread in Renfort's wrapper (RENFORT_THREAD_NAMESPACE): one Message per EDXL-RM
 * message, in thread order, with its position, type and address; each message inside is the
 * same EDXL-RM document its href answers.
 */
export function renderEdxlRmThread(activationId: string, messages: EdxlRmMessage[]): string {
  return `${PROLOG}${renderXml({
    name: 'rt:MessageThread',
    attributes: { 'xmlns:rt': RENFORT_THREAD_NAMESPACE, activationId },
    children: messages.map((message) => ({
      name: 'rt:Message',
      attributes: { n: String(message.n), type: message.type, href: edxlRmMessagePath(activationId, message.n) },
      children: [message.node],
    })),
  })}\n`;
}
