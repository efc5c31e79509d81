import type { CrisisType } from '../../common/domain/crisis-types.js';
import { allowedActions, type TransitionTable, transition } from '../../common/domain/lifecycle.js';

export type CrisisStatus = 'OPEN' | 'CLOSED';
export const CRISIS_LIFECYCLE: TransitionTable<CrisisStatus, 'close'> = { close: { from: ['OPEN'], to: 'CLOSED' } };

export interface CrisisView {
  id: string;
  title: string;
  type: CrisisType;
  departements: string[];
  severity: number;
  exercise: boolean;
  status: CrisisStatus;
  allowedActions: string[];
  openedAt: string;
  openedBy: string;
  closedAt: string | null;
}

/** An event for which the crisis cell is activated; its opening is T0 of every timeline. */
export class Crisis {
  id: string;
  title: string;
  type: CrisisType;
  departements: string[];
  severity: number;
  exercise: boolean;
  status: CrisisStatus;
  openedAt: Date;
  openedBy: string;
  closedAt: Date | null;
  closedBy: string | null;

  static open(input: { id: string; title: string; type: CrisisType; departements: string[]; severity: number; exercise: boolean; by: string; now: Date }): Crisis {
    return Object.assign(new Crisis(), {
      id: input.id,
      title: input.title.trim(),
      type: input.type,
      departements: [...new Set(input.departements)].sort(),
      severity: input.severity,
      exercise: input.exercise,
      status: 'OPEN',
      openedAt: input.now,
      openedBy: input.by,
      closedAt: null,
      closedBy: null,
    });
  }

  close(by: string, now: Date): void {
    this.status = transition(CRISIS_LIFECYCLE, 'crisis', this.status, 'close');
    this.closedAt = now;
    this.closedBy = by;
  }

  toView(): CrisisView {
    return {
      id: this.id,
      title: this.title,
      type: this.type,
      departements: this.departements,
      severity: this.severity,
      exercise: this.exercise,
      status: this.status,
      allowedActions: allowedActions(CRISIS_LIFECYCLE, this.status),
      openedAt: this.openedAt.toISOString(),
      openedBy: this.openedBy,
      closedAt: this.closedAt?.toISOString() ?? null,
    };
  }
}
