import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Table } from '@codegouvfr/react-dsfr/Table';
import { Link } from 'react-router';
import { formatDateTime } from '../components/dates';
import { ExerciseBadge } from '../components/ExerciseBadge';
import { usePageTitle } from '../components/page';
import { QueryState } from '../components/QueryState';
import { PATHS } from '../paths';
import { useSession } from '../session/session-queries';
import { useCrises } from './crisis-queries';
import { type Crisis, CRISIS_TYPE_LABELS, departementLabel } from './labels';

/** The crisis cell's home: the crises in progress first, then those closed. */
export function CrisisList() {
  usePageTitle('Crises');
  const session = useSession().data!;
  const open = useCrises('OPEN');
  const closed = useCrises('CLOSED');
  return (
    <>
      <div className="fr-grid-row fr-grid-row--middle fr-mb-3w">
        <h1 className="fr-col fr-mb-0">Crises</h1>
        {session.role === 'CRISIS_OPERATOR' && (
          <Button linkProps={{ to: PATHS.openCrisis }} iconId="fr-icon-add-line">
            Ouvrir une crise
          </Button>
        )}
      </div>
      <section aria-labelledby="crises-en-cours">
        <h2 id="crises-en-cours">En cours</h2>
        <QueryState query={open}>{(page) => <CrisisTable page={page} caption="Crises en cours" empty="Aucune crise en cours." />}</QueryState>
      </section>
      <section aria-labelledby="crises-cloturees" className="fr-mt-6w">
        <h2 id="crises-cloturees">Clôturées</h2>
        <QueryState query={closed}>{(page) => <CrisisTable page={page} caption="Crises clôturées" empty="Aucune crise clôturée." />}</QueryState>
      </section>
    </>
  );
}

function CrisisTable({ page, caption, empty }: { page: { items: Crisis[]; total: number }; caption: string; empty: string }) {
  const crises = page.items;
  if (crises.length === 0) return <p>{empty}</p>;
  return (
    <>
      {page.total > crises.length && <p>Les {crises.length} plus récentes sur {page.total} :</p>}
      <Table
        caption={caption}
        noCaption
        fixed
        headers={['Crise', 'Type', 'Départements', 'Gravité', 'Ouverte le']}
        data={crises.map((crisis) => [
          <>
            <Link to={PATHS.crisis(crisis.id)}>{crisis.title}</Link> {crisis.exercise && <ExerciseBadge />}
          </>,
          CRISIS_TYPE_LABELS[crisis.type],
          crisis.departements.map(departementLabel).join(', '),
          <Badge noIcon severity={crisis.severity >= 4 ? 'error' : crisis.severity === 3 ? 'warning' : 'info'}>{`${crisis.severity} / 5`}</Badge>,
          formatDateTime(crisis.openedAt),
        ])}
      />
    </>
  );
}
