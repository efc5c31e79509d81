/** A text cell a spreadsheet would read as a formula (OWASP, CSV injection): =, +, -, @, tab, carriage return. */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One field, quoted as RFC 4180 requires when it holds a comma, a quote or a line break. Text is
 * member-controlled (names of members and assets): text a spreadsheet would run as a formula is
 * prefixed with a single quote and quoted, as OWASP advises, so it is shown, never evaluated.
 * Numbers are written as they are (a negative number stays a number).
 */
function field(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  const formula = typeof value === 'string' && FORMULA_START.test(text);
  if (formula) text = `'${text}`;
  return formula || /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** RFC 4180 CSV: a header row, CRLF line breaks. Every CSV the service writes goes through here. */
export function toCsv<T extends object>(columns: (keyof T & string)[], rows: T[]): string {
  return [columns.map(field).join(','), ...rows.map((row) => columns.map((column) => field(row[column])).join(','))].join('\r\n') + '\r\n';
}
