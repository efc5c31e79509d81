import { CRISIS_TYPE_LABELS, departementLabel } from '../crisis/labels';
import type { Convention } from './directorate-queries';

export { CONVENTION_STATUS_LABELS } from '../member/labels';

/** A day (YYYY-MM-DD or an instant) as people in France read it. */
export function formatDay(value: string): string {
  return new Date(value.length === 10 ? `${value}T12:00:00Z` : value).toLocaleDateString('fr-FR', { timeZone: 'Europe/Paris' });
}

export function scopeLabel(scope: Convention['scope']): string {
  const { national, departements } = scope as { national?: boolean; departements?: string[] };
  return national ? 'Tout le territoire' : (departements ?? []).map(departementLabel).join(', ');
}

/** The terms as the versions' comparison names them. */
export const TERM_LABELS: Record<string, string> = {
  ackWithinMinutes: 'Prise en compte sous (min)',
  deployWithinMinutes: 'Arrivée sous (min)',
  assetIds: 'Moyens couverts',
  crisisTypes: 'Types de crise',
  scope: 'Territoire',
  startsOn: 'Début',
  endsOn: 'Fin',
  reviewOn: 'Revue',
  tacitRenewal: 'Tacite reconduction',
  memberContactIds: 'Contacts du membre',
  directorateContactId: 'Contact de la direction',
};

export const ACTION_LABELS: Record<string, string> = {
  propose: 'Proposer au membre',
  countersign: 'Contresigner',
  suspend: 'Suspendre',
  resume: 'Reprendre',
  renew: 'Renouveler',
  amend: 'Préparer un avenant',
  terminate: 'Résilier',
};

export const CALENDAR_KIND_LABELS: Record<string, string> = {
  REVIEW: 'Revue',
  EXPIRY: 'Échéance',
  TACIT_RENEWAL: 'Tacite reconduction',
};

/** A term's value as a line of text. */
export function termValue(field: string, value: unknown, assetName: (id: string) => string): string {
  if (value === null || value === undefined) return '—';
  if (field === 'scope') return scopeLabel(value as Convention['scope']);
  if (field === 'crisisTypes') return (value as string[]).map((type) => CRISIS_TYPE_LABELS[type as keyof typeof CRISIS_TYPE_LABELS] ?? type).join(', ');
  if (field === 'assetIds') return (value as string[]).map(assetName).join(', ');
  if (typeof value === 'boolean') return value ? 'oui' : 'non';
  if (['startsOn', 'endsOn', 'reviewOn'].includes(field) && typeof value === 'string') return formatDay(value);
  if (Array.isArray(value)) return value.join(', ');
  return String(value);
}
