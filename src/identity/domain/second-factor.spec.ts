import { assertRecentSecondFactor, SecondFactor } from './second-factor.js';

const at = (iso: string) => new Date(iso);

describe('SecondFactor', () => {
  it('starts pending, and is confirmed by the time step of its first right code', () => {
    const factor = SecondFactor.begin('u1', 'sealed-1', at('2026-11-24T10:00:00Z'));
    expect(factor.confirmed).toBe(false);
    factor.confirm(100, at('2026-11-24T10:00:10Z'));
    expect(factor.confirmed).toBe(true);
    expect(factor.lastTimeStep).toBe(100);
  });

  it('accepts a code once: the same time step or an earlier one is stale', () => {
    const factor = SecondFactor.begin('u1', 'sealed-1', at('2026-11-24T10:00:00Z'));
    factor.confirm(100, at('2026-11-24T10:00:10Z'));
    expect(factor.isFresh(100)).toBe(false);
    expect(factor.isFresh(99)).toBe(false);
    expect(factor.isFresh(101)).toBe(true);
    expect(() => factor.accept(100, at('2026-11-24T10:00:20Z'))).toThrow();
  });

  it('replaces a pending secret, never a confirmed one', () => {
    const factor = SecondFactor.begin('u1', 'sealed-1', at('2026-11-24T10:00:00Z'));
    factor.restart('sealed-2', at('2026-11-24T10:01:00Z'));
    expect(factor.encryptedSecret).toBe('sealed-2');
    factor.confirm(100, at('2026-11-24T10:01:10Z'));
    expect(() => factor.restart('sealed-3', at('2026-11-24T10:02:00Z'))).toThrow(expect.objectContaining({ code: 'MFA.ALREADY_ENROLLED' }));
    expect(() => factor.confirm(101, at('2026-11-24T10:02:00Z'))).toThrow(expect.objectContaining({ code: 'MFA.ALREADY_ENROLLED' }));
  });
});

describe('assertRecentSecondFactor', () => {
  const now = at('2026-11-24T10:15:00Z');
  const seconds = (iso: string) => Math.floor(at(iso).getTime() / 1000);

  it('lets a caller through whose second factor was checked within the window, by whoever checked it', () => {
    expect(() => assertRecentSecondFactor({ userId: 'u', role: 'MINISTER', amr: ['pwd', 'otp'], mfaAt: seconds('2026-11-24T10:00:00Z') }, now, 900)).not.toThrow();
    expect(() => assertRecentSecondFactor({ userId: 'u', role: 'MINISTER', amr: ['pwd', 'mfa'], mfaAt: seconds('2026-11-24T10:14:00Z') }, now, 900)).not.toThrow();
  });

  it('refuses a caller without a second factor, or with one checked before the window, with AUTH.MFA_REQUIRED', () => {
    const refused = expect.objectContaining({ code: 'AUTH.MFA_REQUIRED', message: expect.stringContaining('POST /auth/step-up') });
    expect(() => assertRecentSecondFactor({ userId: 'u', role: 'MINISTER', amr: ['pwd'] }, now, 900)).toThrow(refused);
    expect(() => assertRecentSecondFactor({ userId: 'u', role: 'MINISTER', amr: ['pwd', 'otp'], mfaAt: seconds('2026-11-24T09:59:59Z') }, now, 900)).toThrow(refused);
  });
});
