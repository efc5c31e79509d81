import type { Actor } from '../../common/auth/role.js';
import { CONVENTION_STATUSES, type ConventionStatus, Convention, PARTY_ACTIONS } from './convention.js';

const directorate: Actor = { userId: 'u-d', role: 'DIRECTORATE', directorateCode: 'DGSCGC' };
const member: Actor = { userId: 'u-m', role: 'MEMBER', memberId: 'm-1' };
const now = new Date('2026-03-01T10:00:00Z');

function inStatus(status: ConventionStatus): Convention {
  const convention = Convention.draft({
    id: 'c-1', memberId: 'm-1', directorateCode: 'DGSCGC', createdBy: 'u-d', now,
    crisisTypes: ['NATURAL_DISASTER'], scope: { departements: ['06'] }, ackWithinMinutes: 30, deployWithinMinutes: 240,
    startsOn: '2026-01-01', assetIds: ['a-1'],
  });
  convention.status = status;
  return convention;
}

/**
 * What each endpoint does with the convention, as its handler calls the domain, by the party
 * entitled to it: POST /conventions/:id/{propose,reject,sign,countersign,suspend,resume,terminate}
 * (act), /renew (renew), /amend (amend).
 */
const ENDPOINTS: Record<string, (convention: Convention) => unknown> = {
  ...Object.fromEntries(PARTY_ACTIONS.map((action) => [
    action,
    (convention: Convention) => convention.act(action, action === 'sign' || action === 'reject' ? member : directorate, 'a reason', now),
  ])),
  renew: (convention) => convention.renew(now),
  amend: (convention) => convention.amend('c-2', 'u-d', now),
};

function accepted(status: ConventionStatus): string[] {
  return Object.keys(ENDPOINTS).filter((action) => {
    try {
      ENDPOINTS[action](inStatus(status));
      return true;
    } catch {
      return false;
    }
  });
}

describe('Convention allowedActions', () => {
  it.each(CONVENTION_STATUSES.map((status) => [status]))('lists, for a %s convention, exactly the actions the endpoints accept', (status) => {
    expect([...inStatus(status).toView().allowedActions].sort()).toEqual(accepted(status).sort());
  });

  it('offers renew and amend on an ACTIVE convention', () => {
    expect(inStatus('ACTIVE').toView().allowedActions).toEqual(expect.arrayContaining(['suspend', 'terminate', 'renew', 'amend']));
  });
});
