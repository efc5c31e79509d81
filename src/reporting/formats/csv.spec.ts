import { toCsv } from './csv.js';

describe('toCsv', () => {
  it('writes a header and quotes only what needs it, doubling quotes, with CRLF', () => {
    const csv = toCsv(['name', 'n'], [
      { name: 'Alpha, Drones "Sud"', n: 3 },
      { name: 'Bêta\nTélécom', n: null },
      { name: 'Plain', n: 0 },
    ]);
    expect(csv).toBe('name,n\r\n"Alpha, Drones ""Sud""",3\r\n"Bêta\nTélécom",\r\nPlain,0\r\n');
  });
});
