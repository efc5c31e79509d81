import { Table } from '@codegouvfr/react-dsfr/Table';
import { Link } from 'react-router';
import { usePageTitle } from '../components/page';
import { QueryState } from '../components/QueryState';
import { PATHS } from '../paths';
import { useConventionCalendar } from './directorate-queries';
import { CALENDAR_KIND_LABELS, formatDay } from './labels';

const DAYS = 90;

/** Conventions to review or coming to their end in the next 90 days. */
export function DirectorateCalendar() {
  usePageTitle('Échéancier des conventions');
  const calendar = useConventionCalendar(DAYS);
  return (
    <>
      <h1>Échéancier des conventions</h1>
      <p>Revues et échéances des {DAYS} prochains jours.</p>
      <QueryState query={calendar}>
        {(agenda) =>
          agenda.items.length === 0 ? (
            <p>Aucune revue ni échéance d’ici le {formatDay(agenda.to)}.</p>
          ) : (
            <Table
              caption={`Du ${formatDay(agenda.from)} au ${formatDay(agenda.to)}`}
              headers={['Date', 'Jours restants', 'Événement', 'Membre', 'Convention']}
              data={agenda.items.map((entry) => [
                formatDay(entry.on),
                String(entry.inDays),
                CALENDAR_KIND_LABELS[entry.kind] ?? entry.kind,
                entry.memberName,
                <Link key="l" to={PATHS.directorateConvention(entry.conventionId)}>
                  Version {entry.version}
                  <span className="fr-sr-only"> de la convention avec {entry.memberName}</span>
                </Link>,
              ])}
            />
          )
        }
      </QueryState>
    </>
  );
}
