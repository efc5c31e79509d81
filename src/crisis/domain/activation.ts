import { type TransitionTable, transition } from '../../common/domain/lifecycle.js';

export const ACTIVATION_STATUSES = ['PENDING_AUTHORIZATION', 'AUTHORIZED', 'IN_PROGRESS', 'FULFILLED', 'CLOSED', 'CANCELLED'] as const;
export type ActivationStatus = (typeof ACTIVATION_STATUSES)[number];
type ActivationAction = 'authorize' | 'start' | 'fulfil' | 'close' | 'cancel';

/** Still running: blocks closing the crisis. */
export const LIVE_ACTIVATION_STATUSES: ActivationStatus[] = ['PENDING_AUTHORIZATION', 'AUTHORIZED', 'IN_PROGRESS'];

/**
 * PENDING_AUTHORIZATION →authorize (a MINISTER, not the preparer)→ AUTHORIZED →start (first
 * delivery)→ IN_PROGRESS →fulfil (every requirement met)→ FULFILLED; the operator closes it, or
 * cancels it before it ends.
 */
export const ACTIVATION_LIFECYCLE: TransitionTable<ActivationStatus, ActivationAction> = {
  authorize: { from: ['PENDING_AUTHORIZATION'], to: 'AUTHORIZED' },
  start: { from: ['AUTHORIZED'], to: 'IN_PROGRESS' },
  fulfil: { from: ['AUTHORIZED', 'IN_PROGRESS'], to: 'FULFILLED' },
  close: { from: ['AUTHORIZED', 'IN_PROGRESS', 'FULFILLED'], to: 'CLOSED' },
  cancel: { from: ['PENDING_AUTHORIZATION', 'AUTHORIZED', 'IN_PROGRESS'], to: 'CANCELLED' },
};

export function nextActivationStatus(status: ActivationStatus, action: ActivationAction): ActivationStatus {
  return transition(ACTIVATION_LIFECYCLE, 'activation', status, action);
}
