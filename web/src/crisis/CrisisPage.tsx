import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { ButtonsGroup } from '@codegouvfr/react-dsfr/ButtonsGroup';
import { Table } from '@codegouvfr/react-dsfr/Table';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { describeError } from '../components/ApiProblem';
import { formatDateTime } from '../components/dates';
import { DepartementMap } from '../components/DepartementMap';
import { ExerciseBadge } from '../components/ExerciseBadge';
import { usePageTitle } from '../components/page';
import { QueryState } from '../components/QueryState';
import { PATHS } from '../paths';
import { useSession } from '../session/session-queries';
import { useCloseCrisis, useCrisis } from './crisis-queries';
import { ACTIVATION_STATUS_LABELS, CRISIS_TYPE_LABELS, departementLabel, SEVERITY_LABELS } from './labels';

/** One crisis: what it is, its activations, and closing it when the API allows. */
export function CrisisPage() {
  const { crisisId } = useParams() as { crisisId: string };
  const crisis = useCrisis(crisisId);
  usePageTitle(crisis.data ? crisis.data.title : 'Crise');
  return <QueryState query={crisis}>{(data) => <CrisisDetail crisis={data} />}</QueryState>;
}

function CrisisDetail({ crisis }: { crisis: NonNullable<ReturnType<typeof useCrisis>['data']> }) {
  const session = useSession().data!;
  const close = useCloseCrisis(crisis.id);
  const [confirming, setConfirming] = useState(false);
  // The API says what may be done next; the role says who may do it.
  const mayClose = crisis.allowedActions.includes('close') && session.role === 'CRISIS_OPERATOR';
  return (
    <>
      <h1>
        {crisis.title} {crisis.exercise && <ExerciseBadge />}
      </h1>
      {crisis.exercise && <Alert className="fr-mb-3w" small severity="warning" description="EXERCICE : cette crise est un exercice, comptée à part des crises réelles." />}
      <dl className="fr-mb-4w">
        <dt className="fr-text--bold">État</dt>
        <dd>{crisis.status === 'OPEN' ? <Badge severity="new">En cours</Badge> : <Badge>Clôturée</Badge>}</dd>
        <dt className="fr-text--bold">Type</dt>
        <dd>{CRISIS_TYPE_LABELS[crisis.type]}</dd>
        <dt className="fr-text--bold">Gravité</dt>
        <dd>{SEVERITY_LABELS[crisis.severity] ?? crisis.severity}</dd>
        <dt className="fr-text--bold">Départements</dt>
        <dd>{crisis.departements.map(departementLabel).join(', ')}</dd>
        <dt className="fr-text--bold">Ouverte le</dt>
        <dd>{formatDateTime(crisis.openedAt)}</dd>
        {crisis.closedAt && (
          <>
            <dt className="fr-text--bold">Clôturée le</dt>
            <dd>{formatDateTime(crisis.closedAt)}</dd>
          </>
        )}
      </dl>

      <DepartementMap
        title="Départements touchés"
        counts={Object.fromEntries(crisis.departements.map((code) => [code, 1]))}
        valueLabel="Touché"
        nameOf={departementLabel}
      />

      <div className="fr-grid-row fr-grid-row--middle fr-mb-2w">
        <h2 className="fr-col fr-mb-0">Activations</h2>
        {crisis.status === 'OPEN' && session.role === 'CRISIS_OPERATOR' && (
          <Button linkProps={{ to: PATHS.prepareActivation(crisis.id) }} iconId="fr-icon-add-line">
            Préparer une activation
          </Button>
        )}
      </div>
      {crisis.activations.length === 0 ? (
        <p>Aucune activation n’a été préparée pour cette crise.</p>
      ) : (
        <Table
          caption="Activations de la crise"
          noCaption
          headers={['Référence de la décision', 'État', 'Bilan']}
          data={crisis.activations.map((activation) => [
            <Link to={PATHS.activation(activation.id)}>{activation.decisionReference}</Link>,
            ACTIVATION_STATUS_LABELS[activation.status] ?? activation.status,
            activation.status === 'PENDING_AUTHORIZATION' ? '—' : <Link to={PATHS.activationReport(activation.id)}>{`Bilan de ${activation.decisionReference}`}</Link>,
          ])}
        />
      )}

      {mayClose && (
        <section className="fr-mt-6w" aria-labelledby="cloture">
          <h2 id="cloture">Clôture</h2>
          {close.error && <Alert className="fr-mb-3w" severity="error" title="La crise n’a pas été clôturée" description={closeProblem(close.error)} />}
          {!confirming ? (
            <Button priority="secondary" onClick={() => setConfirming(true)}>
              Clôturer
            </Button>
          ) : (
            <>
              <p>La clôture est définitive : aucune activation ne pourra plus être préparée pour cette crise.</p>
              <ButtonsGroup
                inlineLayoutWhen="always"
                buttons={[
                  { children: 'Confirmer la clôture', onClick: () => close.mutate(undefined, { onSettled: () => setConfirming(false) }), disabled: close.isPending },
                  { children: 'Annuler', priority: 'secondary', onClick: () => setConfirming(false) },
                ]}
              />
            </>
          )}
        </section>
      )}
    </>
  );
}

function closeProblem(error: Error): string {
  const code = (error as { code?: string }).code;
  if (code === 'CRISIS.ACTIVATIONS_IN_PROGRESS') return 'Une activation est encore en attente ou en cours : clôturez-la ou annulez-la d’abord.';
  if (code === 'CRISIS.ILLEGAL_TRANSITION') return 'Cette crise est déjà clôturée.';
  return describeError(error);
}
