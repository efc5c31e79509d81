import { IllegalTransitionError } from '../../common/domain/lifecycle.js';
import { Asset } from './asset.js';

const declared = (now = new Date('2026-01-01T00:00:00Z')) =>
  Asset.declare({
    id: 'a-1', memberId: 'm-1', category: 'DRONE', name: ' Drone ', quantity: 2, leadTimeMinutes: 60,
    coverage: { departements: ['83', '06', '06'] }, now,
  });

describe('Asset', () => {
  it('is declared AVAILABLE and attested, with départements deduplicated and sorted', () => {
    const asset = declared();
    expect(asset).toMatchObject({ status: 'AVAILABLE', name: 'Drone', national: false, departements: ['06', '83'], version: 1 });
    expect(asset.coverage).toEqual({ departements: ['06', '83'] });
  });

  it('becomes stale after the readiness period, until attested again', () => {
    const asset = declared(new Date('2026-01-01T00:00:00Z'));
    expect(asset.isStale(new Date('2026-03-31T00:00:00Z'), 90)).toBe(false);
    expect(asset.isStale(new Date('2026-04-02T00:00:00Z'), 90)).toBe(true);
    asset.attest(new Date('2026-04-02T00:00:00Z'));
    expect(asset.isStale(new Date('2026-04-02T00:00:00Z'), 90)).toBe(false);
  });

  it('switches to national coverage', () => {
    const asset = declared();
    asset.revise({ coverage: { national: true } });
    expect(asset).toMatchObject({ national: true, departements: [] });
  });

  it('keeps RETIRED final and ENGAGED out of the owner\'s hands', () => {
    const asset = declared();
    asset.setStatus('UNAVAILABLE');
    asset.setStatus('RETIRED');
    expect(() => asset.setStatus('AVAILABLE')).toThrow(IllegalTransitionError);
    const engaged = declared();
    engaged.status = 'ENGAGED';
    expect(() => engaged.setStatus('RETIRED')).toThrow(/ENGAGED/);
  });

  it('reports being inside an unavailability window', () => {
    const asset = declared();
    const view = asset.toView(new Date('2026-01-05T12:00:00Z'), 90, [
      { id: 'w', from: '2026-01-05T00:00:00Z', to: '2026-01-06T00:00:00Z', reason: 'maintenance' },
    ]);
    expect(view.unavailableNow).toBe(true);
  });
});
