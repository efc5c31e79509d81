import type { Mobilization } from './member-queries';

export const REQUEST_STATUS_LABELS: Record<Mobilization['status'], string> = {
  PENDING: 'En attente d’envoi',
  NOTIFIED: 'À prendre en compte',
  ESCALATED: 'À prendre en compte (relancée)',
  ACKNOWLEDGED: 'Prise en compte',
  ACCEPTED: 'Acceptée',
  DECLINED: 'Déclinée',
  DEPLOYED: 'Engagée sur place',
  RELEASED: 'Libérée',
  STOOD_DOWN: 'Annulée par l’État',
};

/** The requests still waiting for something of the member. */
export const OPEN_STATUSES: Mobilization['status'][] = ['PENDING', 'NOTIFIED', 'ESCALATED', 'ACKNOWLEDGED', 'ACCEPTED', 'DEPLOYED'];

export const DECLINE_REASONS: Record<NonNullable<Mobilization['declineReasonCode']>, string> = {
  NOT_AVAILABLE: 'Moyen indisponible',
  OUT_OF_AREA: 'Hors de notre zone d’intervention',
  CAPACITY_ENGAGED: 'Capacité déjà engagée ailleurs',
  SAFETY: 'Raison de sécurité',
  OTHER: 'Autre raison',
};

export const ASSET_STATUS_LABELS: Record<string, string> = {
  AVAILABLE: 'Disponible',
  UNAVAILABLE: 'Indisponible',
  ENGAGED: 'Engagé',
  RETIRED: 'Retiré',
};

export const CONTACT_ROLE_LABELS: Record<string, string> = {
  NATIONAL_CORRESPONDENT: 'Correspondant national',
  REGIONAL_CORRESPONDENT: 'Correspondant régional',
  DUTY_OFFICER: 'Permanence (astreinte)',
};

export const CONVENTION_STATUS_LABELS: Record<string, string> = {
  DRAFT: 'Brouillon',
  PROPOSED: 'Proposée, à signer',
  SIGNED: 'Signée, en attente de contreseing',
  ACTIVE: 'En vigueur',
  SUSPENDED: 'Suspendue',
  TERMINATED: 'Résiliée',
  EXPIRED: 'Expirée',
  SUPERSEDED: 'Remplacée',
};

/** The deadline the member races against now, if any. */
export function currentDeadline(request: Mobilization): { label: string; at: string } | null {
  if (['PENDING', 'NOTIFIED', 'ESCALATED'].includes(request.status) && request.ackDeadline) return { label: 'Prise en compte avant', at: request.ackDeadline };
  if (request.status === 'ACCEPTED' && request.deployDeadline) return { label: 'Arrivée sur place avant', at: request.deployDeadline };
  return null;
}

/** The events sent to the member's webhook, as its duty officer reads them. */
export const WEBHOOK_EVENT_LABELS: Record<string, string> = {
  'mobilization.requested': 'Demande de mobilisation',
  'mobilization.escalated': 'Relance de la demande',
  'mobilization.stood_down': 'Demande annulée par l’État',
  'mobilization.deployment_overdue': 'Arrivée sur place en retard',
};
