import { allowedActions, IllegalTransitionError, transition, type TransitionTable } from './lifecycle.js';

type State = 'OPEN' | 'CLOSED';
const TABLE: TransitionTable<State, 'close' | 'reopen'> = { close: { from: ['OPEN'], to: 'CLOSED' }, reopen: { from: ['CLOSED'], to: 'OPEN' } };

describe('transition tables', () => {
  it('answers the next state, and the actions allowed from a state', () => {
    expect(transition(TABLE, 'crisis', 'OPEN', 'close')).toBe('CLOSED');
    expect(allowedActions(TABLE, 'CLOSED')).toEqual(['reopen']);
  });

  it('refuses an illegal action with a code and a sentence naming the state and what is allowed', () => {
    expect(() => transition(TABLE, 'crisis', 'CLOSED', 'close')).toThrow('Cannot close a crisis that is CLOSED; allowed from CLOSED: reopen');
    const error = new IllegalTransitionError('activation', 'close', 'CLOSED', []);
    expect(error.message).toBe('Cannot close an activation that is CLOSED; allowed from CLOSED: nothing (final state)');
    expect(error.code).toBe('ACTIVATION.ILLEGAL_TRANSITION');
    expect(new IllegalTransitionError('unsolicited offer', 'accept', 'REJECTED', []).code).toBe('UNSOLICITED_OFFER.ILLEGAL_TRANSITION');
  });
});
