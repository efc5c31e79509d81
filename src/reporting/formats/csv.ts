/** One field, quoted as RFC 4180 requires when it holds a comma, a quote or a line break. */
function field(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** RFC 4180 CSV: a header row, CRLF line breaks. */
export function toCsv<T extends object>(columns: (keyof T & string)[], rows: T[]): string {
  return [columns.map(field).join(','), ...rows.map((row) => columns.map((column) => field(row[column])).join(','))].join('\r\n') + '\r\n';
}
