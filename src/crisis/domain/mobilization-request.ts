import { allowedActions, type TransitionTable, transition } from '../../common/domain/lifecycle.js';

export const REQUEST_STATUSES = [
  'PENDING', 'NOTIFIED', 'ESCALATED', 'ACKNOWLEDGED', 'ACCEPTED', 'DECLINED', 'DEPLOYED', 'RELEASED', 'STOOD_DOWN',
] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

export const MEMBER_RESPONSES = ['acknowledge', 'accept', 'decline', 'deploy', 'release'] as const;
export type MemberResponse = (typeof MEMBER_RESPONSES)[number];
type SystemAction = 'notify' | 'escalate' | 'standDown' | 'releaseOnEnd';

export const DECLINE_REASONS = ['NOT_AVAILABLE', 'OUT_OF_AREA', 'CAPACITY_ENGAGED', 'SAFETY', 'OTHER'] as const;
export type DeclineReason = (typeof DECLINE_REASONS)[number];

/** Open: still waiting for the member's answer, so it can be escalated or stood down. */
export const OPEN_REQUEST_STATUSES: RequestStatus[] = ['PENDING', 'NOTIFIED', 'ESCALATED', 'ACKNOWLEDGED'];

/** Waiting for the member's acknowledgement: what escalates at the deadline. */
export const AWAITING_ACKNOWLEDGEMENT: RequestStatus[] = ['PENDING', 'NOTIFIED', 'ESCALATED'];

/**
 * One table for the request: the system notifies, escalates and stands down; the owning
 * member acknowledges, accepts or declines (an answer implies the acknowledgement), deploys
 * and releases. A PENDING request (its delivery not confirmed, or failing) escalates and can
 * be answered all the same: the member sees it by polling, and a dead webhook must never
 * leave a request waiting on nobody.
 */
export const REQUEST_LIFECYCLE: TransitionTable<RequestStatus, MemberResponse | SystemAction> = {
  notify: { from: ['PENDING'], to: 'NOTIFIED' },
  escalate: { from: AWAITING_ACKNOWLEDGEMENT, to: 'ESCALATED' },
  standDown: { from: OPEN_REQUEST_STATUSES, to: 'STOOD_DOWN' },
  acknowledge: { from: AWAITING_ACKNOWLEDGEMENT, to: 'ACKNOWLEDGED' },
  accept: { from: [...AWAITING_ACKNOWLEDGEMENT, 'ACKNOWLEDGED'], to: 'ACCEPTED' },
  decline: { from: [...AWAITING_ACKNOWLEDGEMENT, 'ACKNOWLEDGED'], to: 'DECLINED' },
  deploy: { from: ['ACCEPTED'], to: 'DEPLOYED' },
  release: { from: ['DEPLOYED'], to: 'RELEASED' },
  // An activation that ends releases what was accepted but never deployed: its units return to the asset.
  releaseOnEnd: { from: ['ACCEPTED'], to: 'RELEASED' },
};

export function nextRequestStatus(status: RequestStatus, action: MemberResponse | SystemAction): RequestStatus {
  return transition(REQUEST_LIFECYCLE, 'mobilization request', status, action);
}

export function memberResponsesFrom(status: RequestStatus): MemberResponse[] {
  return allowedActions(REQUEST_LIFECYCLE, status).filter((action): action is MemberResponse =>
    (MEMBER_RESPONSES as readonly string[]).includes(action),
  );
}

/** The kinds of step of an escalation chain, in the order they come. */
export const ESCALATION_STEP_KINDS = ['MEMBER_CONTACT', 'DIRECTORATE_CONTACT', 'CRISIS_CELL'] as const;
export type EscalationStepKind = (typeof ESCALATION_STEP_KINDS)[number];

const EVENT_OF_RESPONSE: Record<MemberResponse, string> = {
  acknowledge: 'MobilizationRequestAcknowledged',
  accept: 'MobilizationRequestAccepted',
  decline: 'MobilizationRequestDeclined',
  deploy: 'MobilizationRequestDeployed',
  release: 'MobilizationRequestReleased',
};

export function eventOfResponse(response: MemberResponse): string {
  return EVENT_OF_RESPONSE[response];
}
