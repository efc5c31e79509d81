import type { TimelineEntry } from './audit-queries';

/** The kinds of step an auditor filters a timeline by, in the order they happen. */
export const STEP_KINDS = ['NOTIFIED', 'ESCALATED', 'ACKNOWLEDGED', 'ACCEPTED', 'DECLINED', 'DEPLOYED', 'RELEASED', 'OTHER'] as const;
export type StepKind = (typeof STEP_KINDS)[number];

export const STEP_KIND_LABELS: Record<StepKind, string> = {
  NOTIFIED: 'Notifiée',
  ESCALATED: 'Escalade',
  ACKNOWLEDGED: 'Prise en compte',
  ACCEPTED: 'Acceptée',
  DECLINED: 'Refusée',
  DEPLOYED: 'Déployée',
  RELEASED: 'Libérée',
  OTHER: 'Autre étape',
};

/** One mark per kind, told apart by shape as well as colour. */
export const STEP_KIND_COLOURS: Record<StepKind, string> = {
  NOTIFIED: '#000091',
  ESCALATED: '#b34000',
  ACKNOWLEDGED: '#6a6af4',
  ACCEPTED: '#18753c',
  DECLINED: '#ce0500',
  DEPLOYED: '#009081',
  RELEASED: '#3a3a3a',
  OTHER: '#929292',
};

const KIND_OF_TYPE: Record<string, StepKind> = {
  MobilizationRequestNotified: 'NOTIFIED',
  MobilizationRequestEscalated: 'ESCALATED',
  MobilizationRequestAcknowledged: 'ACKNOWLEDGED',
  MobilizationRequestAccepted: 'ACCEPTED',
  MobilizationRequestDeclined: 'DECLINED',
  MobilizationRequestDeployed: 'DEPLOYED',
  MobilizationRequestReleased: 'RELEASED',
};

export const stepKindOf = (entry: TimelineEntry): StepKind => KIND_OF_TYPE[entry.type] ?? 'OTHER';

/** The other steps of a timeline in the crisis cell's words; an unknown type is shown as the log names it. */
const OTHER_STEP_LABELS: Record<string, string> = {
  CrisisOpened: 'Ouverture de la crise (T0)',
  CrisisClosed: 'Clôture de la crise',
  ActivationPrepared: 'Activation préparée',
  ActivationAuthorized: 'Activation autorisée',
  ActivationRequirementMet: 'Besoin couvert',
  ActivationFulfilled: 'Activation satisfaite',
  ActivationClosed: 'Activation terminée',
  ActivationCancelled: 'Activation annulée',
  MobilizationRequestCreated: 'Demande créée',
  MobilizationRequestAnsweredByMessage: 'Réponse par message',
  MobilizationRequestChainExhausted: 'Chaîne d’escalade épuisée',
  MobilizationRequestDeliveryAttempted: 'Tentative d’envoi',
  MobilizationRequestDeliveryFailed: 'Échec d’envoi',
  MobilizationRequestDeploymentLate: 'Arrivée en retard',
  MobilizationRequestStoodDown: 'Demande levée',
};

export function stepLabel(entry: TimelineEntry): string {
  const kind = stepKindOf(entry);
  return kind === 'OTHER' ? (OTHER_STEP_LABELS[entry.type] ?? entry.type) : STEP_KIND_LABELS[kind];
}

export const ESCALATION_KIND_LABELS: Record<string, string> = {
  MEMBER_CONTACT: 'contact du membre',
  DIRECTORATE_CONTACT: 'contact de la direction',
  CRISIS_CELL: 'cellule de crise',
};

export const CHAIN_BREAK_LABELS: Record<string, string> = {
  MISSING: 'un événement manque',
  PREVIOUS_HASH_MISMATCH: 'un événement ne suit plus le précédent (empreinte précédente différente)',
  HASH_MISMATCH: 'un événement a été modifié (son empreinte ne correspond plus)',
  TRUNCATED: 'des événements ont été retirés à la fin du journal',
  REWRITTEN: 'le journal a été réécrit avec des empreintes recalculées',
  CHECKPOINT_SIGNATURE_INVALID: 'la signature d’un point de contrôle est invalide',
};

/** « 1 h 02 min 05 s » after T0. */
export function formatSinceT0(ms: number): string {
  if (ms < 10_000) return `${(ms / 1000).toFixed(1).replace('.', ',')} s`;
  const total = Math.round(ms / 1000);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  return `${hours > 0 ? `${hours} h ` : ''}${hours > 0 || minutes > 0 ? `${String(minutes).padStart(hours > 0 ? 2 : 1, '0')} min ` : ''}${String(seconds).padStart(2, '0')} s`;
}
