import { ConflictError } from '../errors/domain-error.js';

/** A state transition the lifecycle does not allow: names the state and what it allows. */
export class IllegalTransitionError extends ConflictError {
  constructor(what: string, action: string, state: string, allowed: string[]) {
    super(
      `${what.toUpperCase().replace(/ /g, '_')}.ILLEGAL_TRANSITION`,
      `Cannot ${action} ${/^[aeiou]/i.test(what) ? 'an' : 'a'} ${what} that is ${state}; allowed from ${state}: ${allowed.length ? allowed.join(', ') : 'nothing (final state)'}`,
    );
  }
}

/** A state machine as one table: for each action, the states it leaves from and the state it reaches. */
export type TransitionTable<State extends string, Action extends string> = Record<Action, { from: readonly State[]; to: State }>;

export function allowedActions<State extends string, Action extends string>(table: TransitionTable<State, Action>, state: State): Action[] {
  return (Object.keys(table) as Action[]).filter((action) => table[action].from.includes(state));
}

/** The state an action leads to, or an IllegalTransitionError naming the state and the allowed actions. */
export function transition<State extends string, Action extends string>(
  table: TransitionTable<State, Action>,
  what: string,
  state: State,
  action: Action,
): State {
  if (!table[action].from.includes(state)) throw new IllegalTransitionError(what, action, state, allowedActions(table, state));
  return table[action].to;
}
