import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Table } from '@codegouvfr/react-dsfr/Table';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { describeError } from '../components/ApiProblem';
import { DepartementMap } from '../components/DepartementMap';
import { usePageTitle } from '../components/page';
import { QueryState } from '../components/QueryState';
import { CRISIS_TYPE_LABELS, departementLabel } from '../crisis/labels';
import { PATHS } from '../paths';
import { type Convention, type ConventionAction, useConvention, useConventionVersions, useDirectorateAction, useMemberAssets, useVisibleMembers } from './directorate-queries';
import { ACTION_LABELS, CONVENTION_STATUS_LABELS, formatDay, scopeLabel, TERM_LABELS, termValue } from './labels';

const ACTIONS: ConventionAction[] = ['propose', 'countersign', 'amend', 'renew', 'suspend', 'resume', 'terminate'];
/** The actions the API records a reason for, asked before they are taken; terminating requires one. */
const REASON_FIELDS: Partial<Record<ConventionAction, { label: string; required: boolean; confirm: string }>> = {
  suspend: { label: 'Motif de la suspension', required: false, confirm: 'Confirmer la suspension' },
  terminate: { label: 'Motif de la résiliation', required: true, confirm: 'Confirmer la résiliation' },
};

/** One convention: its terms, the actions the API allows on it, its versions compared. */
export function DirectorateConvention() {
  const id = useParams().conventionId!;
  usePageTitle('Convention');
  const convention = useConvention(id);
  const members = useVisibleMembers();
  return (
    <QueryState query={convention}>
      {(current) => {
        const memberName = members.data?.items.find((member) => member.id === current.memberId)?.legalName ?? current.memberId;
        return <ConventionDetail key={current.id + current.rowVersion} convention={current} memberName={memberName} />;
      }}
    </QueryState>
  );
}

function ConventionDetail({ convention, memberName }: { convention: Convention; memberName: string }) {
  const assets = useMemberAssets(convention.memberId);
  const assetName = (id: string) => assets.data?.items.find((asset) => asset.id === id)?.name ?? id;
  const action = useDirectorateAction(convention.id);
  const navigate = useNavigate();
  const [asking, setAsking] = useState<ConventionAction | null>(null);
  const [reason, setReason] = useState('');
  const [missingReason, setMissingReason] = useState(false);
  const ask = (name: ConventionAction) => {
    setAsking(name);
    setReason('');
    setMissingReason(false);
  };
  const field = asking ? REASON_FIELDS[asking] : undefined;
  const scope = convention.scope as { national?: boolean; departements?: string[] };
  const run = (name: ConventionAction, why?: string) =>
    action.mutate(
      { action: name, reason: why },
      {
        onSuccess: (result) => {
          setAsking(null);
          if (name === 'amend') void navigate(PATHS.directorateEdit(result.id));
          else if (result.id !== convention.id) void navigate(PATHS.directorateConvention(result.id));
        },
      },
    );
  return (
    <>
      <h1>
        Convention avec {memberName} (version {convention.version})
      </h1>
      <p>
        <Badge noIcon severity={convention.status === 'ACTIVE' ? 'success' : convention.status === 'PROPOSED' || convention.status === 'SIGNED' ? 'new' : undefined}>
          {CONVENTION_STATUS_LABELS[convention.status] ?? convention.status}
        </Badge>
        {convention.statusReason && <span className="fr-ml-1w">Motif : {convention.statusReason}</span>}
      </p>
      <p>
        <a className="fr-link fr-icon-download-line fr-link--icon-left" href={`/api/v1/conventions/${convention.id}/document`} download>
          Télécharger la convention (PDF)
        </a>
      </p>
      {action.error ? <Alert className="fr-mb-2w" severity="error" small description={describeError(action.error)} /> : null}
      <ul className="fr-btns-group fr-btns-group--inline-md" aria-label="Actions sur la convention">
        {convention.status === 'DRAFT' && (
          <li>
            <Link className="fr-btn fr-btn--secondary" to={PATHS.directorateEdit(convention.id)}>
              Modifier le brouillon
            </Link>
          </li>
        )}
        {ACTIONS.filter((name) => convention.allowedActions.includes(name)).map((name) => (
          <li key={name}>
            <Button
              priority={name === 'terminate' || name === 'suspend' ? 'secondary' : 'primary'}
              disabled={action.isPending}
              onClick={() => (REASON_FIELDS[name] ? ask(name) : run(name))}
              nativeButtonProps={REASON_FIELDS[name] ? { 'aria-expanded': asking === name } : undefined}
            >
              {ACTION_LABELS[name]}
            </Button>
          </li>
        ))}
      </ul>
      {asking && field && (
        <form
          noValidate
          className="fr-mb-4w"
          aria-label={field.confirm}
          onSubmit={(event) => {
            event.preventDefault();
            if (field.required && !reason.trim()) {
              setMissingReason(true);
              return;
            }
            run(asking, reason.trim() || undefined);
          }}
        >
          <Input
            label={field.required ? field.label : `${field.label} (facultatif)`}
            hintText="Il est enregistré avec la convention et dans le journal d’audit."
            state={missingReason ? 'error' : 'default'}
            stateRelatedMessage={missingReason ? 'Indiquez le motif de la résiliation : il est obligatoire.' : undefined}
            nativeInputProps={{ value: reason, required: field.required, maxLength: 1000, onChange: (e) => setReason(e.target.value) }}
          />
          <Button type="submit" className="fr-mr-2w" disabled={action.isPending}>
            {field.confirm}
          </Button>
          <Button type="button" priority="secondary" onClick={() => setAsking(null)}>
            Annuler
          </Button>
        </form>
      )}
      <h2>Termes</h2>
      <dl>
        <dt className="fr-text--bold">Période</dt>
        <dd>
          Du {formatDay(convention.startsOn)} au {formatDay(convention.endsOn)}, revue le {formatDay(convention.reviewOn)}
        </dd>
        <dt className="fr-text--bold">Reconduction</dt>
        <dd>
          {convention.tacitRenewal ? 'Tacite reconduction' : 'Sans tacite reconduction'}, {convention.renewals} renouvellement(s)
        </dd>
        <dt className="fr-text--bold">Moyens couverts</dt>
        <dd>{convention.assetIds.map(assetName).join(', ') || 'aucun'}</dd>
        <dt className="fr-text--bold">Crises</dt>
        <dd>{convention.crisisTypes.map((type) => CRISIS_TYPE_LABELS[type]).join(', ')}</dd>
        <dt className="fr-text--bold">Engagements</dt>
        <dd>
          Prise en compte sous {convention.ackWithinMinutes} min, arrivée sous {convention.deployWithinMinutes} min
        </dd>
        <dt className="fr-text--bold">Territoire</dt>
        <dd>{scopeLabel(convention.scope)}</dd>
      </dl>
      {!scope.national && (scope.departements ?? []).length > 0 && (
        <DepartementMap
          title="Départements couverts"
          valueLabel="Couvert"
          nameOf={departementLabel}
          counts={Object.fromEntries((scope.departements ?? []).map((code) => [code, 1]))}
        />
      )}
      <Versions id={convention.id} assetName={assetName} />
    </>
  );
}

/** Each version beside the one in force: what an amendment changes. */
function Versions({ id, assetName }: { id: string; assetName: (id: string) => string }) {
  const versions = useConventionVersions(id);
  return (
    <>
      <h2>Versions</h2>
      <QueryState query={versions}>
        {(lineage) => (
          <>
            <Table
              caption="Versions de la convention"
              headers={['Version', 'Statut', 'En vigueur', 'Empreinte']}
              data={lineage.versions.map((version) => [
                String(version.version),
                CONVENTION_STATUS_LABELS[version.status] ?? version.status,
                version.inForce ? 'oui' : 'non',
                <code key="h">{version.hash.slice(0, 16)}…</code>,
              ])}
            />
            {lineage.versions
              .filter((version) => version.changes && version.changes.length > 0)
              .map((version) => (
                <Table
                  key={version.id}
                  caption={`Ce que change la version ${version.version} par rapport à la version en vigueur`}
                  headers={['Terme', 'En vigueur', `Version ${version.version}`]}
                  data={(version.changes ?? []).map((change) => [
                    TERM_LABELS[change.field] ?? change.field,
                    termValue(change.field, change.before, assetName),
                    termValue(change.field, change.after, assetName),
                  ])}
                />
              ))}
          </>
        )}
      </QueryState>
    </>
  );
}
