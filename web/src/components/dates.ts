/** Times are shown as the crisis cell reads them: in French, at Paris time, whatever the browser's zone. */
const DATE_TIME = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Paris' });
const TIME = new Intl.DateTimeFormat('fr-FR', { hour: '2-digit', minute: '2-digit', second: '2-digit', timeZone: 'Europe/Paris' });

/** « 22 novembre 2026 à 07:12 » */
export function formatDateTime(iso: string): string {
  return DATE_TIME.format(new Date(iso));
}

/** « 07:12:30 » */
export function formatTime(date: Date | number): string {
  return TIME.format(date);
}
