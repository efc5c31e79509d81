import { Countdown } from '../components/Countdown';
import { formatDateTime } from '../components/dates';

/** « Prise en compte avant 24 novembre 2026 à 16:00 : dans 29 min 56 s », counting down on the page's own clock. */
export function Deadline({ label, at }: { label: string; at: string }) {
  return (
    <span className="fr-text--bold">
      {label} {formatDateTime(at)} : <Countdown until={at} />
    </span>
  );
}
