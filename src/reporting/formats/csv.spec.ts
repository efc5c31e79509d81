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

  it('neutralizes text a spreadsheet would run as a formula, in every cell', () => {
    const csv = toCsv(['name'], [
      { name: '=HYPERLINK("http://evil.example","clic")' },
      { name: '+33 1 23' },
      { name: '-2+3' },
      { name: '@SUM(A1)' },
      { name: '\t=1+1' },
      { name: '\r=1+1' },
      { name: 'Drones = sûrs' },
    ]);
    expect(csv.split('\r\n').slice(1, -1)).toEqual([
      `"'=HYPERLINK(""http://evil.example"",""clic"")"`,
      `"'+33 1 23"`,
      `"'-2+3"`,
      `"'@SUM(A1)"`,
      `"'\t=1+1"`,
      `"'\r=1+1"`,
      'Drones = sûrs',
    ]);
  });

  it('leaves numbers as numbers, negative ones included', () => {
    expect(toCsv(['n'], [{ n: -4 }, { n: 2.5 }])).toBe('n\r\n-4\r\n2.5\r\n');
  });
});
