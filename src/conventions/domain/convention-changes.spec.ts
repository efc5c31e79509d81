import { termChanges } from './convention-changes.js';
import type { ConventionView } from './convention.js';

const inForce = {
  assetIds: ['b', 'a'], crisisTypes: ['NATURAL_DISASTER'], scope: { departements: ['06', '83'] }, ackWithinMinutes: 30, deployWithinMinutes: 240,
  startsOn: '2026-01-01', endsOn: '2027-01-01', reviewOn: '2026-10-01', tacitRenewal: false, memberContactIds: [], directorateContactId: null,
  status: 'ACTIVE', version: 1, rowVersion: 4,
} as unknown as ConventionView;

describe('termChanges', () => {
  it('names each changed term with its value before and after, and nothing else', () => {
    const amendment = { ...inForce, ackWithinMinutes: 20, scope: { national: true }, status: 'DRAFT', version: 2, rowVersion: 1 } as unknown as ConventionView;
    expect(termChanges(inForce, amendment)).toEqual([
      { field: 'scope', before: { departements: ['06', '83'] }, after: { national: true } },
      { field: 'ackWithinMinutes', before: 30, after: 20 },
    ]);
  });

  it('does not count a list given in another order as a change', () => {
    expect(termChanges(inForce, { ...inForce, assetIds: ['a', 'b'] })).toEqual([]);
  });
});
