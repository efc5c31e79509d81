import type { Timeline, TimelineEntry } from '../queries/activation-timeline.js';

/** The step an event records, in the after-action review's words. */
const STEP_OF_EVENT: Record<string, string> = {
  CrisisOpened: 'crisis opened (T0)',
  ActivationPrepared: 'activation prepared',
  ActivationAuthorized: 'activation authorized',
  ActivationInProgress: 'activation in progress',
  ActivationRequirementMet: 'requirement met',
  ActivationFulfilled: 'activation fulfilled',
  ActivationCancelled: 'activation cancelled',
  ActivationClosed: 'activation closed',
  MobilizationRequestDeliveryAttempted: 'delivery attempted',
  MobilizationRequestDeliveryFailed: 'delivery failed',
  MobilizationRequestNotified: 'notified',
  MobilizationRequestAcknowledged: 'acknowledged',
  MobilizationRequestAnsweredByMessage: 'answered by message',
  MobilizationRequestAccepted: 'accepted',
  MobilizationRequestDeclined: 'declined',
  MobilizationRequestDeployed: 'deployed',
  MobilizationRequestDeploymentLate: 'deployment late',
  MobilizationRequestReleased: 'released',
  MobilizationRequestEscalated: 'escalated',
  MobilizationRequestChainExhausted: 'escalation chain exhausted',
  MobilizationRequestStoodDown: 'stood down',
};

export interface TimelineCsvRow {
  sequence: number;
  at: string;
  sinceT0Seconds: number;
  sinceAuthorizationSeconds: number | null;
  step: string;
  type: string;
  requestId: string | null;
  memberId: string | null;
  memberName: string | null;
  assetName: string | null;
  quantity: number | null;
  escalationLevel: number | null;
  escalationReached: string | null;
  declineReason: string | null;
  answeredBy: string | null;
  actorRole: string;
  actorEmail: string | null;
}

export const TIMELINE_CSV_COLUMNS: (keyof TimelineCsvRow)[] = [
  'sequence', 'at', 'sinceT0Seconds', 'sinceAuthorizationSeconds', 'step', 'type', 'requestId', 'memberId', 'memberName', 'assetName',
  'quantity', 'escalationLevel', 'escalationReached', 'declineReason', 'answeredBy', 'actorRole', 'actorEmail',
];

const seconds = (ms: number) => Math.round(ms / 100) / 10;

/** One row per event of the timeline, names included: what the CSV export writes (through toCsv). */
export function timelineCsvRows(timeline: Pick<Timeline, 'items'>): TimelineCsvRow[] {
  return timeline.items.map((entry: TimelineEntry) => {
    const details = entry.details as Record<string, unknown>;
    const quantity = details.acceptedQuantity ?? details.quantity;
    return {
      sequence: entry.sequence,
      at: entry.at,
      sinceT0Seconds: seconds(entry.sinceT0Ms),
      sinceAuthorizationSeconds: entry.sinceAuthorizationMs === null ? null : seconds(entry.sinceAuthorizationMs),
      step: STEP_OF_EVENT[entry.type] ?? entry.type,
      type: entry.type,
      requestId: entry.requestId,
      memberId: entry.memberId,
      memberName: entry.memberName,
      assetName: entry.assetName,
      quantity: typeof quantity === 'number' ? quantity : null,
      escalationLevel: entry.escalation?.level ?? null,
      escalationReached: entry.escalation?.reached ?? null,
      declineReason: typeof details.reasonCode === 'string' ? details.reasonCode : null,
      answeredBy: entry.answeredBy ?? null,
      actorRole: entry.actorRole,
      actorEmail: entry.actorEmail,
    };
  });
}
