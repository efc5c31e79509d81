import departements from '@etalab/decoupage-administratif/data/departements.json';
import type { Schemas } from '../api/client';

export type Crisis = Schemas['CrisisResponse'];
export type CrisisType = Crisis['type'];

/** The crisis types in the words of the crisis cell. */
export const CRISIS_TYPE_LABELS: Record<CrisisType, string> = {
  NATURAL_DISASTER: 'Catastrophe naturelle',
  INDUSTRIAL_ACCIDENT: 'Accident industriel ou technologique',
  TERRORIST_ATTACK: 'Attentat',
  CYBER_ATTACK: 'Cyberattaque',
  HEALTH: 'Crise sanitaire',
  PUBLIC_ORDER: 'Ordre public',
  OTHER: 'Autre',
};

export const SEVERITY_LABELS: Record<number, string> = {
  1: '1 – mineure',
  2: '2 – modérée',
  3: '3 – importante',
  4: '4 – grave',
  5: '5 – majeure',
};

export const ACTIVATION_STATUS_LABELS: Record<string, string> = {
  PENDING_AUTHORIZATION: 'En attente d’autorisation',
  AUTHORIZED: 'Autorisée',
  IN_PROGRESS: 'En cours',
  FULFILLED: 'Besoins couverts',
  CLOSED: 'Clôturée',
  CANCELLED: 'Annulée',
};

interface Departement {
  code: string;
  nom: string;
  zone: string;
}

/** The départements, metropolitan and overseas (the INSEE codes the API accepts), in code order. */
export const DEPARTEMENTS: { code: string; name: string }[] = (departements as Departement[])
  .filter((departement) => departement.zone === 'metro' || departement.zone === 'drom')
  .map((departement) => ({ code: departement.code, name: departement.nom }));

const NAMES = new Map(DEPARTEMENTS.map((departement) => [departement.code, departement.name]));

/** « 06 – Alpes-Maritimes » */
export function departementLabel(code: string): string {
  const name = NAMES.get(code);
  return name ? `${code} – ${name}` : code;
}

/** The states of a mobilization request, as the crisis cell says them. */
export const REQUEST_STATUS_LABELS: Record<string, string> = {
  PENDING: 'En attente d’envoi',
  NOTIFIED: 'Notifiée',
  ESCALATED: 'Relancée',
  ACKNOWLEDGED: 'Accusée',
  ACCEPTED: 'Acceptée',
  DECLINED: 'Refusée',
  DEPLOYED: 'Sur place',
  RELEASED: 'Libérée',
  STOOD_DOWN: 'Désengagée',
};

export const DECLINE_REASON_LABELS: Record<string, string> = {
  NOT_AVAILABLE: 'Moyen indisponible',
  OUT_OF_AREA: 'Hors de la zone couverte',
  CAPACITY_ENGAGED: 'Capacité déjà engagée',
  SAFETY: 'Raison de sécurité',
  OTHER: 'Autre raison',
};

export const DELIVERY_STATUS_LABELS: Record<string, string> = {
  NOT_STARTED: 'Pas encore envoyée',
  RETRYING: 'Nouvel essai en cours',
  DELIVERED: 'Remise',
  FAILED: 'Non remise',
};

export const STEP_KIND_LABELS: Record<string, string> = {
  MEMBER_CONTACT: 'contact du membre',
  DIRECTORATE_CONTACT: 'contact de la direction',
  CRISIS_CELL: 'cellule de crise',
};

/** Why a request was stood down, as recorded. */
export function standDownCause(cause: string | null): string {
  if (cause === 'requirement met') return 'Besoin couvert';
  if (cause === 'cancel') return 'Activation annulée';
  if (cause === 'close') return 'Activation clôturée';
  return cause ?? 'Sans motif enregistré';
}
