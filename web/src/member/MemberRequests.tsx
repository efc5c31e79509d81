import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { Link } from 'react-router';
import { formatDateTime } from '../components/dates';
import { usePageTitle } from '../components/page';
import { QueryState } from '../components/QueryState';
import { PATHS } from '../paths';
import { Deadline } from './Deadline';
import { currentDeadline, OPEN_STATUSES, REQUEST_STATUS_LABELS } from './labels';
import { type Mobilization, useMyRequests } from './member-queries';

/**
 * The company's home, made for a phone: its open requests first, the nearest deadline on top,
 * counting down; then those answered. Read again whenever the page comes back to the foreground.
 */
export function MemberRequests() {
  usePageTitle('Demandes de mobilisation');
  const requests = useMyRequests();
  return (
    <>
      <h1>Demandes de mobilisation</h1>
      <QueryState query={requests}>
        {(page) => {
          const open = page.items.filter((request) => OPEN_STATUSES.includes(request.status)).sort(byDeadline);
          const done = page.items.filter((request) => !OPEN_STATUSES.includes(request.status));
          return (
            <>
              <section aria-labelledby="demandes-ouvertes">
                <h2 id="demandes-ouvertes">À traiter ({open.length})</h2>
                {open.length === 0 ? <p>Aucune demande en cours.</p> : <RequestList requests={open} label="Demandes à traiter" />}
              </section>
              <section aria-labelledby="demandes-terminees" className="fr-mt-4w">
                <h2 id="demandes-terminees">Terminées ({done.length})</h2>
                {done.length === 0 ? <p>Aucune demande terminée.</p> : <RequestList requests={done} label="Demandes terminées" />}
              </section>
            </>
          );
        }}
      </QueryState>
    </>
  );
}

function byDeadline(a: Mobilization, b: Mobilization): number {
  const at = (request: Mobilization) => {
    const deadline = currentDeadline(request);
    return deadline ? new Date(deadline.at).getTime() : Number.MAX_SAFE_INTEGER;
  };
  return at(a) - at(b);
}

function RequestList({ requests, label }: { requests: Mobilization[]; label: string }) {
  return (
    <ul aria-label={label} className="fr-raw-list">
      {requests.map((request) => {
        const deadline = currentDeadline(request);
        return (
          <li key={request.id} className="fr-p-2w fr-mb-2w" style={{ border: '1px solid var(--border-default-grey)' }}>
            <p className="fr-mb-1w">
              <Link to={PATHS.memberRequest(request.id)} className="fr-link">
                Demande du {formatDateTime(request.createdAt)}
              </Link>
            </p>
            <p className="fr-mb-1w">
              <Badge noIcon small severity={OPEN_STATUSES.includes(request.status) ? 'new' : undefined}>
                {REQUEST_STATUS_LABELS[request.status]}
              </Badge>
            </p>
            {deadline && (
              <p className="fr-mb-0">
                <Deadline label={deadline.label} at={deadline.at} />
              </p>
            )}
          </li>
        );
      })}
    </ul>
  );
}
