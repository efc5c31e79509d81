const PARTS = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Paris',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
});

/**
 * A date and time typed in a `datetime-local` field (« 2026-11-24T15:30 »), read at Paris time
 * whatever the browser's zone, as the instant the API takes.
 */
export function parisLocalToIso(value: string): string {
  const asUtc = new Date(`${value}:00Z`);
  const part = (type: string) => Number(PARTS.formatToParts(asUtc).find((p) => p.type === type)?.value);
  const parisOfThat = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'));
  return new Date(asUtc.getTime() - (parisOfThat - asUtc.getTime())).toISOString();
}
