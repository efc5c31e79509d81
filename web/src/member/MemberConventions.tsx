import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { useState } from 'react';
import { describeError } from '../components/ApiProblem';
import { usePageTitle } from '../components/page';
import { QueryState } from '../components/QueryState';
import { CRISIS_TYPE_LABELS, departementLabel } from '../crisis/labels';
import { useSession } from '../session/session-queries';
import { CONVENTION_STATUS_LABELS } from './labels';
import { type Asset, type Convention, useAssets, useConventionAction, useConventions } from './member-queries';

/** The company's conventions with the State: what each covers, and signing or rejecting a proposal. */
export function MemberConventions() {
  usePageTitle('Mes conventions');
  const memberId = useSession().data!.memberId!;
  const conventions = useConventions(memberId);
  const assets = useAssets(memberId);
  return (
    <>
      <h1>Mes conventions</h1>
      <QueryState query={conventions}>
        {(page) =>
          page.items.length === 0 ? (
            <p>Aucune convention.</p>
          ) : (
            <ul className="fr-raw-list" aria-label="Conventions">
              {page.items.map((convention) => (
                <ConventionItem key={convention.id} convention={convention} assets={assets.data?.items ?? []} />
              ))}
            </ul>
          )
        }
      </QueryState>
    </>
  );
}

function ConventionItem({ convention, assets }: { convention: Convention; assets: Asset[] }) {
  const action = useConventionAction(convention.id);
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const names = convention.assetIds.map((id) => assets.find((asset) => asset.id === id)?.name ?? id);
  const scope = convention.scope as { departements?: string[]; national?: boolean };
  return (
    <li className="fr-p-2w fr-mb-2w" style={{ border: '1px solid var(--border-default-grey)' }}>
      <h2 className="fr-h6 fr-mb-1w">
        Convention avec {convention.directorateCode} (version {convention.version})
      </h2>
      <p className="fr-mb-1w">
        <Badge noIcon small severity={convention.status === 'ACTIVE' ? 'success' : convention.status === 'PROPOSED' ? 'new' : undefined}>
          {CONVENTION_STATUS_LABELS[convention.status] ?? convention.status}
        </Badge>
      </p>
      <dl>
        <dt className="fr-text--bold">Période</dt>
        <dd>
          Du {new Date(convention.startsOn).toLocaleDateString('fr-FR', { timeZone: 'Europe/Paris' })} au{' '}
          {new Date(convention.endsOn).toLocaleDateString('fr-FR', { timeZone: 'Europe/Paris' })}
        </dd>
        <dt className="fr-text--bold">Moyens couverts</dt>
        <dd>{names.join(', ') || 'aucun'}</dd>
        <dt className="fr-text--bold">Crises</dt>
        <dd>{convention.crisisTypes.map((type) => CRISIS_TYPE_LABELS[type]).join(', ')}</dd>
        <dt className="fr-text--bold">Territoire</dt>
        <dd>{scope.national ? 'Tout le territoire' : (scope.departements ?? []).map(departementLabel).join(', ')}</dd>
        <dt className="fr-text--bold">Engagements</dt>
        <dd>
          Prise en compte sous {convention.ackWithinMinutes} min, arrivée sous {convention.deployWithinMinutes} min
        </dd>
      </dl>
      {action.error && <Alert className="fr-mb-2w" severity="error" small description={describeError(action.error)} />}
      {convention.allowedActions.includes('sign') && (
        <Button className="fr-mr-2w fr-mb-1w" disabled={action.isPending} onClick={() => action.mutate({ action: 'sign' })}>
          Signer la convention
        </Button>
      )}
      {convention.allowedActions.includes('reject') &&
        (!rejecting ? (
          <Button priority="secondary" onClick={() => setRejecting(true)}>
            Refuser la proposition
          </Button>
        ) : (
          <form
            noValidate
            onSubmit={(event) => {
              event.preventDefault();
              action.mutate({ action: 'reject', reason: reason.trim() || undefined });
            }}
          >
            <Input label="Motif du refus" nativeInputProps={{ value: reason, onChange: (e) => setReason(e.target.value) }} />
            <Button type="submit" className="fr-mr-2w" disabled={action.isPending}>
              Confirmer le refus
            </Button>
            <Button type="button" priority="secondary" onClick={() => setRejecting(false)}>
              Annuler
            </Button>
          </form>
        ))}
    </li>
  );
}
