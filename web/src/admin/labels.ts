import type { MemberCommand } from './admin-queries';

export const MEMBER_STATUS_LABELS: Record<string, string> = {
  PENDING: 'À vérifier',
  ACTIVE: 'Actif',
  SUSPENDED: 'Suspendu',
  WITHDRAWN: 'Retiré de la charte',
};

/** The buttons of the member status commands, in the order they are offered. */
export const MEMBER_COMMAND_LABELS: Record<MemberCommand, string> = {
  vet: 'Valider',
  suspend: 'Suspendre',
  reinstate: 'Rétablir',
  withdraw: 'Retirer de la charte',
};
