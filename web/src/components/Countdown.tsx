import { useEffect, useState } from 'react';

/** The clock of the page, one tick a second: a countdown moves on its own, without asking the service anything. */
function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

/** « dans 12 min 05 s », or « échue » once the time has passed (the next escalation is then due). */
export function Countdown({ until }: { until: string }) {
  const now = useNow();
  const seconds = Math.round((new Date(until).getTime() - now) / 1000);
  if (seconds <= 0) return <span>échue</span>;
  const minutes = Math.floor(seconds / 60);
  const text = minutes >= 60 ? `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min` : `${minutes} min ${String(seconds % 60).padStart(2, '0')} s`;
  return <span>dans {text}</span>;
}

/** A duration in seconds as the report reads it: « 6 min 52 s », « 1 h 03 min ». */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${String(Math.round(seconds % 60)).padStart(2, '0')} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}
