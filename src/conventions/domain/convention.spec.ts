import type { Actor } from '../../common/auth/role.js';
import { IllegalTransitionError } from '../../common/domain/lifecycle.js';
import { ConflictError, ForbiddenError, InvalidInputError } from '../../common/errors/domain-error.js';
import { Convention } from './convention.js';

const directorate: Actor = { userId: 'u-d', role: 'DIRECTORATE', directorateCode: 'DGSCGC' };
const otherDirectorate: Actor = { userId: 'u-o', role: 'DIRECTORATE', directorateCode: 'DGPN' };
const member: Actor = { userId: 'u-m', role: 'MEMBER', memberId: 'm-1' };
const now = new Date('2026-03-01T10:00:00Z');

const drafted = (overrides: Partial<Parameters<typeof Convention.draft>[0]> = {}) =>
  Convention.draft({
    id: 'c-1', memberId: 'm-1', directorateCode: 'DGSCGC', createdBy: 'u-d', now,
    crisisTypes: ['NATURAL_DISASTER'], scope: { departements: ['83', '06'] }, ackWithinMinutes: 30, deployWithinMinutes: 240,
    startsOn: '2026-01-01', assetIds: ['a-1'], ...overrides,
  });

function active(): Convention {
  const convention = drafted();
  convention.act('propose', directorate, null, now);
  convention.act('sign', member, null, now);
  convention.act('countersign', directorate, null, now);
  return convention;
}

describe('Convention', () => {
  describe('drafting', () => {
    it('defaults to one year, a review three months before the end, and no tacit renewal', () => {
      expect(drafted()).toMatchObject({
        status: 'DRAFT', version: 1, lineageId: 'c-1', endsOn: '2027-01-01', reviewOn: '2026-10-01', termDays: 365,
        tacitRenewal: false, departements: ['06', '83'],
      });
    });

    it('refuses an end before the start and a review outside the period', () => {
      expect(() => drafted({ endsOn: '2025-12-31' })).toThrow(InvalidInputError);
      expect(() => drafted({ reviewOn: '2027-02-01' })).toThrow('reviewOn');
    });

    it('moves the derived review date when the period moves', () => {
      const convention = drafted();
      convention.revise({ endsOn: '2026-07-01' }, now);
      expect(convention).toMatchObject({ endsOn: '2026-07-01', reviewOn: '2026-04-01', termDays: 181 });
    });
  });

  describe('lifecycle', () => {
    it('goes DRAFT → PROPOSED → SIGNED → ACTIVE with the right parties, recording who signed', () => {
      const convention = active();
      expect(convention).toMatchObject({ status: 'ACTIVE', signedBy: 'u-m', countersignedBy: 'u-d' });
    });

    it.each([
      ['propose', member],
      ['sign', directorate],
    ] as const)('refuses %s by the wrong party with a 403', (action, actor) => {
      const convention = drafted();
      if (action === 'sign') convention.act('propose', directorate, null, now);
      expect(() => convention.act(action, actor, null, now)).toThrow(ForbiddenError);
    });

    it('refuses an action by a directorate that is not party', () => {
      expect(() => drafted().act('propose', otherDirectorate, null, now)).toThrow(ForbiddenError);
    });

    it('refuses an illegal transition naming the state', () => {
      expect(() => drafted().act('countersign', directorate, null, now)).toThrow(IllegalTransitionError);
      expect(() => drafted().act('countersign', directorate, null, now)).toThrow(/DRAFT/);
    });

    it('requires a reason to terminate or reject, and lets either party terminate', () => {
      const convention = active();
      expect(() => convention.act('terminate', member, null, now)).toThrow('reason');
      convention.act('terminate', member, 'closing down', now);
      expect(convention.status).toBe('TERMINATED');
    });

    it('keeps expiry and supersession to the system', () => {
      expect(() => active().act('expire', directorate, null, now)).toThrow(ForbiddenError);
      const convention = active();
      convention.act('expire', 'SYSTEM', null, now);
      expect(convention.status).toBe('EXPIRED');
    });

    it('edits only a DRAFT', () => {
      expect(() => active().revise({ ackWithinMinutes: 5 }, now)).toThrow(ConflictError);
    });
  });

  describe('amendments and renewal', () => {
    it('opens version n+1 in DRAFT on the same lineage, from an ACTIVE convention only', () => {
      const current = active();
      const amendment = current.amend('c-2', 'u-d', now);
      expect(amendment).toMatchObject({ id: 'c-2', lineageId: 'c-1', version: 2, previousVersionId: 'c-1', status: 'DRAFT', assetIds: ['a-1'] });
      expect(current.status).toBe('ACTIVE');
      expect(() => drafted().amend('c-3', 'u-d', now)).toThrow(ConflictError);
    });

    it('renews for the same term, keeping the review lead', () => {
      const convention = active();
      convention.renew(now);
      expect(convention).toMatchObject({ endsOn: '2028-01-01', reviewOn: '2027-10-01', renewals: 1 });
    });
  });
});
