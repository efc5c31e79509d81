import { IllegalTransitionError } from '../../common/domain/lifecycle.js';
import { Member } from './member.js';

const registered = () =>
  Member.register({
    id: 'm-1', legalName: ' Alpha SAS ', siren: '732829320', charterSignedAt: '2017-03-21', charterSignatory: 'C. Martin',
    webhookUrl: null, webhookSecret: null, now: new Date('2026-01-01T00:00:00Z'),
  });

describe('Member lifecycle', () => {
  it('starts PENDING, trimmed, at version 1', () => {
    const member = registered();
    expect(member).toMatchObject({ status: 'PENDING', legalName: 'Alpha SAS', version: 1 });
    expect(member.toView().allowedActions).toEqual(['vet', 'withdraw']);
  });

  it('goes PENDING → ACTIVE → SUSPENDED → ACTIVE → WITHDRAWN, naming each event', () => {
    const member = registered();
    const now = new Date('2026-02-01T00:00:00Z');
    expect(member.apply('vet', null, now)).toBe('MemberVetted');
    expect(member.apply('suspend', 'audit', now)).toBe('MemberSuspended');
    expect(member.apply('reinstate', null, now)).toBe('MemberReinstated');
    expect(member.apply('withdraw', 'left the charter', now)).toBe('MemberWithdrawn');
    expect(member).toMatchObject({ status: 'WITHDRAWN', statusReason: 'left the charter', version: 5 });
  });

  it.each([
    ['suspend', 'PENDING'],
    ['reinstate', 'PENDING'],
    ['vet', 'PENDING→ACTIVE'],
  ] as const)('refuses %s from the wrong state, naming the state and the allowed actions', (action, path) => {
    const member = registered();
    if (path === 'PENDING→ACTIVE') member.apply('vet', null, new Date());
    expect(() => member.apply(action, null, new Date())).toThrow(IllegalTransitionError);
    expect(() => member.apply(action, null, new Date())).toThrow(/allowed from/);
  });

  it('keeps WITHDRAWN final', () => {
    const member = registered();
    member.apply('withdraw', null, new Date());
    expect(() => member.apply('reinstate', null, new Date())).toThrow('nothing (final state)');
  });
});
