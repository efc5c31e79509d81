import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { Table } from '@codegouvfr/react-dsfr/Table';
import { Link } from 'react-router';
import { usePageTitle } from '../components/page';
import { QueryState } from '../components/QueryState';
import { PATHS } from '../paths';
import { useSession } from '../session/session-queries';
import { useDirectorateConventions, useVisibleMembers } from './directorate-queries';
import { CONVENTION_STATUS_LABELS, formatDay } from './labels';

/** The directorate's conventions: status, member, term; drafting a new one. */
export function DirectorateConventions() {
  usePageTitle('Conventions');
  const code = useSession().data!.directorateCode;
  const conventions = useDirectorateConventions(code);
  const members = useVisibleMembers();
  const memberName = (id: string) => members.data?.items.find((member) => member.id === id)?.legalName ?? id;
  return (
    <>
      <h1>Conventions {code ? `de ${code}` : ''}</h1>
      <ul className="fr-btns-group fr-btns-group--inline-md">
        <li>
          <Link className="fr-btn" to={PATHS.directorateDraft}>
            Rédiger une convention
          </Link>
        </li>
        <li>
          <Link className="fr-btn fr-btn--secondary" to={PATHS.directorateCalendar}>
            Échéancier
          </Link>
        </li>
        <li>
          <Link className="fr-btn fr-btn--secondary" to={PATHS.directorateReport}>
            Bilan de la direction
          </Link>
        </li>
      </ul>
      <QueryState query={conventions}>
        {(page) =>
          page.items.length === 0 ? (
            <p>Aucune convention.</p>
          ) : (
            <Table
              caption="Conventions de la direction"
              headers={['Membre', 'Version', 'Statut', 'Période', '']}
              data={page.items.map((convention) => [
                memberName(convention.memberId),
                String(convention.version),
                <Badge key="s" noIcon small severity={convention.status === 'ACTIVE' ? 'success' : convention.status === 'PROPOSED' || convention.status === 'SIGNED' ? 'new' : undefined}>
                  {CONVENTION_STATUS_LABELS[convention.status] ?? convention.status}
                </Badge>,
                `du ${formatDay(convention.startsOn)} au ${formatDay(convention.endsOn)}`,
                <Link key="l" to={PATHS.directorateConvention(convention.id)}>
                  Ouvrir<span className="fr-sr-only"> la convention avec {memberName(convention.memberId)}, version {convention.version}</span>
                </Link>,
              ])}
            />
          )
        }
      </QueryState>
    </>
  );
}
