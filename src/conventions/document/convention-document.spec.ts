import { frenchDay, frenchDuration } from './convention-document.js';

describe('the convention document in French', () => {
  it('writes days as a French administrative document does', () => {
    expect(frenchDay('2026-01-01')).toBe('1er janvier 2026');
    expect(frenchDay('2026-08-15')).toBe('15 août 2026');
  });

  it('writes committed times in words', () => {
    expect(frenchDuration(1)).toBe('1 minute');
    expect(frenchDuration(30)).toBe('30 minutes');
    expect(frenchDuration(240)).toBe('4 heures');
    expect(frenchDuration(90)).toBe('1 heure et 30 minutes');
    expect(frenchDuration(1441)).toBe('1 jour et 1 minute');
    expect(frenchDuration(2 * 1440 + 61)).toBe('2 jours, 1 heure et 1 minute');
  });
});
