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
