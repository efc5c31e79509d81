import { chargeFields } from './gratuity.js';

describe('chargeFields', () => {
  it.each([
    [{ price: 0 }, ['price']],
    [{ costPerDay: 150 }, ['costPerDay']],
    [{ daily_rate: 1 }, ['daily_rate']],
    [{ fee: 'x', hourlyFees: 2 }, ['fee', 'hourlyFees']],
    [{ coverage: { departements: ['06'], tarifJour: 3 } }, ['coverage.tarifJour']],
    [{ items: [{ amount: 4 }] }, ['items[0].amount']],
  ])('finds the money fields of %j', (body, fields) => {
    expect(chargeFields(body)).toEqual(fields);
  });

  it.each([{ name: 'Accurate separator', generated: true, leadTimeMinutes: 30, description: 'priceless help' }, null, 'text', [1, 2]])(
    'leaves ordinary fields alone: %j',
    (body) => {
      expect(chargeFields(body)).toEqual([]);
    },
  );
});
