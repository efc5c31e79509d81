import { InvalidInputError } from '../../common/errors/domain-error.js';
import { User } from './user.js';

const base = { id: '7b0d3f0e-6a43-4c4e-9a8e-0d0f3b0f7a11', passwordHash: 'x', now: new Date('2026-01-01T00:00:00Z') };

describe('User.register', () => {
  it('lower-cases and trims the email', () => {
    const user = User.register({ ...base, email: '  Duty.Officer@Example.FR ', role: 'CRISIS_OPERATOR' });
    expect(user.email).toBe('duty.officer@example.fr');
  });

  it('binds a MEMBER user to its member', () => {
    const user = User.register({ ...base, email: 'a@b.fr', role: 'MEMBER', memberId: base.id });
    expect(user.memberId).toBe(base.id);
    expect(user.directorateCode).toBeNull();
  });

  it.each([
    ['MEMBER', {}, 'memberId'],
    ['DIRECTORATE', {}, 'directorateCode'],
    ['AUDITOR', { memberId: base.id }, 'memberId'],
    ['MINISTER', { directorateCode: 'DGPN' }, 'directorateCode'],
  ] as const)('refuses a %s user with binding %j, naming %s', (role, binding, field) => {
    const attempt = () => User.register({ ...base, email: 'a@b.fr', role, ...binding });
    expect(attempt).toThrow(InvalidInputError);
    expect(attempt).toThrow(field);
  });

  it('never exposes the password hash in its view', () => {
    const view = User.register({ ...base, email: 'a@b.fr', role: 'ADMIN' }).toView();
    expect(view).not.toHaveProperty('passwordHash');
  });
});

describe('User sessions', () => {
  const later = new Date('2026-02-01T00:00:00Z');
  const user = () => User.register({ ...base, email: 'a@b.fr', role: 'AUDITOR' });

  it.each([
    ['disabling', (u: User) => u.disable(later)],
    ['a new role', (u: User) => u.reassign('DIRECTORATE', null, 'DGPN', later)],
    ['a new password', (u: User) => u.changePassword('y', later)],
    ['signing out', (u: User) => u.endSessions(later)],
  ] as const)('ends the sessions on %s', (_change, change) => {
    const given = user();
    change(given);
    expect(given.tokenVersion).toBe(1);
  });

  it('refuses a new role without the binding it needs, changing nothing', () => {
    const given = user();
    expect(() => given.reassign('MEMBER', null, null, later)).toThrow('memberId');
    expect(given).toMatchObject({ role: 'AUDITOR', tokenVersion: 0 });
  });

  it('refuses to disable twice or enable an enabled user', () => {
    const given = user();
    expect(() => given.enable(later)).toThrow(expect.objectContaining({ code: 'USER.NOT_DISABLED' }));
    given.disable(later);
    expect(() => given.disable(later)).toThrow(expect.objectContaining({ code: 'USER.ALREADY_DISABLED' }));
  });
});
