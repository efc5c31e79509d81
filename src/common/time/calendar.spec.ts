import { addDays, addMonths, daysBetween, parisDay } from './calendar.js';

describe('calendar', () => {
  it('gives the Paris calendar day of an instant, across midnight and daylight saving', () => {
    expect(parisDay(new Date('2026-05-01T21:59:00Z'))).toBe('2026-05-01');
    expect(parisDay(new Date('2026-05-01T22:01:00Z'))).toBe('2026-05-02');
    expect(parisDay(new Date('2026-01-01T22:59:00Z'))).toBe('2026-01-01');
    expect(parisDay(new Date('2026-01-01T23:01:00Z'))).toBe('2026-01-02');
  });

  it('adds months, clamping to the end of shorter months', () => {
    expect(addMonths('2026-01-01', 12)).toBe('2027-01-01');
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonths('2027-01-01', -3)).toBe('2026-10-01');
  });

  it('adds and counts days', () => {
    expect(addDays('2026-04-30', 119)).toBe('2026-08-27');
    expect(daysBetween('2026-01-01', '2026-04-30')).toBe(119);
    expect(daysBetween('2026-01-01', '2027-01-01')).toBe(365);
  });
});
