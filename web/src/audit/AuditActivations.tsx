import { Table } from '@codegouvfr/react-dsfr/Table';
import { Tabs } from '@codegouvfr/react-dsfr/Tabs';
import { Link } from 'react-router';
import { formatDateTime } from '../components/dates';
import { usePageTitle } from '../components/page';
import { QueryState } from '../components/QueryState';
import { ACTIVATION_STATUS_LABELS } from '../crisis/labels';
import { PATHS } from '../paths';
import { useActivationsToReview } from './audit-queries';

/** The activations to review, real ones and exercises apart, each with its timeline and its report. */
export function AuditActivations() {
  usePageTitle('Activations à contrôler');
  return (
    <>
      <h1>Activations à contrôler</h1>
      <Tabs
        tabs={[
          { label: 'Activations réelles', content: <ActivationList exercise={false} /> },
          { label: 'Exercices', content: <ActivationList exercise /> },
        ]}
      />
    </>
  );
}

const minutes = (seconds: number | null) => (seconds === null ? '—' : `${Math.round(seconds / 60)} min`);

function ActivationList({ exercise }: { exercise: boolean }) {
  const activations = useActivationsToReview(exercise);
  const kind = exercise ? 'Exercices' : 'Activations réelles';
  return (
    <QueryState query={activations}>
      {(page) =>
        page.items.length === 0 ? (
          <p>{exercise ? 'Aucun exercice.' : 'Aucune activation réelle.'}</p>
        ) : (
          <Table
            caption={`${kind} (${page.total})`}
            headers={['Crise', 'Décision', 'Préparée le', 'État', 'Demandes', 'Acceptées', 'Refusées', 'Prise en compte (médiane)', 'Arrivée (médiane)', 'Contrôle']}
            data={page.items.map((activation) => [
              activation.crisisTitle,
              activation.decisionReference,
              formatDateTime(activation.preparedAt),
              ACTIVATION_STATUS_LABELS[activation.status] ?? activation.status,
              String(activation.requests),
              String(activation.accepted),
              String(activation.declined),
              minutes(activation.ackSecondsP50),
              minutes(activation.deploySecondsP50),
              <span key="links">
                <Link to={PATHS.auditTimeline(activation.activationId)}>Chronologie<span className="fr-sr-only"> : {activation.decisionReference}</span></Link>
                {' · '}
                <Link to={PATHS.activationReport(activation.activationId)}>Bilan<span className="fr-sr-only"> : {activation.decisionReference}</span></Link>
              </span>,
            ])}
          />
        )
      }
    </QueryState>
  );
}
