import { IllegalTransitionError } from '../../common/domain/lifecycle.js';
import { nextActivationStatus } from './activation.js';
import { memberResponsesFrom, nextRequestStatus } from './mobilization-request.js';

describe('mobilization request lifecycle', () => {
  it('runs NOTIFIED → ACKNOWLEDGED → ACCEPTED → DEPLOYED → RELEASED', () => {
    let status = nextRequestStatus('PENDING', 'notify');
    for (const [action, expected] of [['acknowledge', 'ACKNOWLEDGED'], ['accept', 'ACCEPTED'], ['deploy', 'DEPLOYED'], ['release', 'RELEASED']] as const) {
      status = nextRequestStatus(status, action);
      expect(status).toBe(expected);
    }
  });

  it('lets an answer come straight after notification or escalation, implying the acknowledgement', () => {
    expect(nextRequestStatus('NOTIFIED', 'accept')).toBe('ACCEPTED');
    expect(nextRequestStatus('ESCALATED', 'decline')).toBe('DECLINED');
  });

  it('lets a request whose delivery failed be answered: the member sees it by polling', () => {
    expect(nextRequestStatus('PENDING', 'acknowledge')).toBe('ACKNOWLEDGED');
    expect(nextRequestStatus('PENDING', 'escalate')).toBe('ESCALATED');
  });

  it.each([
    ['NOTIFIED', 'deploy'],
    ['ACCEPTED', 'decline'],
    ['DECLINED', 'accept'],
    ['STOOD_DOWN', 'accept'],
    ['RELEASED', 'release'],
  ] as const)('refuses %s → %s', (status, action) => {
    expect(() => nextRequestStatus(status, action)).toThrow(IllegalTransitionError);
  });

  it('stands down only open requests', () => {
    expect(nextRequestStatus('ACKNOWLEDGED', 'standDown')).toBe('STOOD_DOWN');
    expect(() => nextRequestStatus('ACCEPTED', 'standDown')).toThrow(IllegalTransitionError);
  });

  it('offers the member only its own answers', () => {
    expect(memberResponsesFrom('NOTIFIED')).toEqual(['acknowledge', 'accept', 'decline']);
    expect(memberResponsesFrom('ACCEPTED')).toEqual(['deploy']);
    expect(memberResponsesFrom('STOOD_DOWN')).toEqual([]);
  });
});

describe('activation lifecycle', () => {
  it('authorizes once, then runs to FULFILLED or ends', () => {
    expect(nextActivationStatus('PENDING_AUTHORIZATION', 'authorize')).toBe('AUTHORIZED');
    expect(() => nextActivationStatus('AUTHORIZED', 'authorize')).toThrow(/AUTHORIZED/);
    expect(nextActivationStatus('IN_PROGRESS', 'fulfil')).toBe('FULFILLED');
    expect(nextActivationStatus('FULFILLED', 'close')).toBe('CLOSED');
    expect(() => nextActivationStatus('CANCELLED', 'close')).toThrow(IllegalTransitionError);
  });
});
