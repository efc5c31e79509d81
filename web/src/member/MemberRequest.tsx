import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { RadioButtons } from '@codegouvfr/react-dsfr/RadioButtons';
import { type FormEvent, useState } from 'react';
import { Link, useParams } from 'react-router';
import { describeError } from '../components/ApiProblem';
import { formatDateTime } from '../components/dates';
import { usePageTitle } from '../components/page';
import { QueryState } from '../components/QueryState';
import { PATHS } from '../paths';
import { Deadline } from './Deadline';
import { currentDeadline, DECLINE_REASONS, REQUEST_STATUS_LABELS } from './labels';
import { type Mobilization, useAsset, useCategoryLabel, useRequest, useRespond } from './member-queries';
import { parisLocalToIso } from './paris-time';

/** One request, answered in a few taps: only what the API says the member may answer now. */
export function MemberRequest() {
  const { requestId } = useParams() as { requestId: string };
  const request = useRequest(requestId);
  usePageTitle('Demande de mobilisation');
  return (
    <>
      <p className="fr-mb-2w">
        <Link to={PATHS.memberRequests} className="fr-link fr-icon-arrow-left-line fr-link--icon-left">
          Toutes les demandes
        </Link>
      </p>
      <QueryState query={request}>{(data) => <RequestDetail request={data} />}</QueryState>
    </>
  );
}

function RequestDetail({ request }: { request: Mobilization }) {
  const asset = useAsset(request.assetId);
  const categoryLabel = useCategoryLabel();
  const respond = useRespond(request.id);
  const deadline = currentDeadline(request);
  const allowed = request.allowedResponses;
  const remaining = asset.data ? asset.data.remainingQuantity : null;
  const [quantity, setQuantity] = useState('');
  const [declining, setDeclining] = useState(false);
  const [reason, setReason] = useState<keyof typeof DECLINE_REASONS | ''>('');
  const [comment, setComment] = useState('');
  const [arrival, setArrival] = useState('');
  const [problem, setProblem] = useState('');

  const accept = (event: FormEvent) => {
    event.preventDefault();
    const units = quantity ? Number(quantity) : undefined;
    if (units !== undefined && (!Number.isInteger(units) || units < 1 || (remaining !== null && units > remaining))) {
      setProblem(`Indiquez un nombre d’unités entre 1 et ${remaining ?? 1}.`);
      return;
    }
    setProblem('');
    respond.mutate({ action: 'accept', quantity: units });
  };
  const decline = (event: FormEvent) => {
    event.preventDefault();
    if (!reason) {
      setProblem('Choisissez le motif du refus.');
      return;
    }
    setProblem('');
    respond.mutate({ action: 'decline', reasonCode: reason, comment: comment.trim() || undefined }, { onSuccess: () => setDeclining(false) });
  };
  const deploy = (event: FormEvent) => {
    event.preventDefault();
    respond.mutate({ action: 'deploy', arrivedAt: arrival ? parisLocalToIso(arrival) : undefined });
  };

  return (
    <>
      <h1>Demande de mobilisation</h1>
      <p>
        <Badge noIcon severity="new">
          {REQUEST_STATUS_LABELS[request.status]}
        </Badge>
      </p>
      {deadline && (
        <p>
          <Deadline label={deadline.label} at={deadline.at} />
        </p>
      )}
      <dl className="fr-mb-3w">
        <dt className="fr-text--bold">Moyen demandé</dt>
        <dd>{asset.data ? `${asset.data.name} (${categoryLabel(asset.data.category)})` : '…'}</dd>
        {remaining !== null && (
          <>
            <dt className="fr-text--bold">Unités encore disponibles</dt>
            <dd>{remaining}</dd>
          </>
        )}
        <dt className="fr-text--bold">Reçue le</dt>
        <dd>{formatDateTime(request.createdAt)}</dd>
        <dt className="fr-text--bold">Engagements de la convention</dt>
        <dd>
          Prise en compte sous {request.ackWithinMinutes} min, arrivée sous {request.deployWithinMinutes} min après acceptation
        </dd>
        {(request.deliveryAttempts > 0 || request.deliveryFailedAt) && (
          <>
            <dt className="fr-text--bold">Envoi à votre webhook</dt>
            <dd>
              {request.deliveryFailedAt
                ? `Échec le ${formatDateTime(request.deliveryFailedAt)}${request.deliveryError ? ` (${request.deliveryError})` : ''}`
                : `${request.deliveryAttempts} tentative${request.deliveryAttempts > 1 ? 's' : ''}${request.deliveryError ? ` ; dernière erreur : ${request.deliveryError}` : ''}`}
            </dd>
          </>
        )}
        {request.acknowledgedAt && (
          <>
            <dt className="fr-text--bold">Prise en compte le</dt>
            <dd>{formatDateTime(request.acknowledgedAt)}</dd>
          </>
        )}
        {request.acceptedAt && (
          <>
            <dt className="fr-text--bold">Acceptée le</dt>
            <dd>
              {formatDateTime(request.acceptedAt)} ({request.acceptedQuantity} unité{(request.acceptedQuantity ?? 0) > 1 ? 's' : ''})
            </dd>
          </>
        )}
        {request.deployedAt && (
          <>
            <dt className="fr-text--bold">Arrivée sur place le</dt>
            <dd>{formatDateTime(request.deployedAt)}</dd>
          </>
        )}
        {request.releasedAt && (
          <>
            <dt className="fr-text--bold">Libérée le</dt>
            <dd>{formatDateTime(request.releasedAt)}</dd>
          </>
        )}
        {request.declinedAt && (
          <>
            <dt className="fr-text--bold">Déclinée le</dt>
            <dd>
              {formatDateTime(request.declinedAt)} : {request.declineReasonCode ? DECLINE_REASONS[request.declineReasonCode] : ''}
              {request.declineComment ? ` (${request.declineComment})` : ''}
            </dd>
          </>
        )}
      </dl>

      {respond.error && <Alert className="fr-mb-3w" severity="error" title="La réponse n’a pas été enregistrée" description={describeError(respond.error)} />}
      {problem && <Alert className="fr-mb-3w" severity="error" small description={problem} />}

      {allowed.length === 0 ? (
        <p>Aucune réponse n’est attendue de vous pour cette demande.</p>
      ) : (
        <section aria-labelledby="repondre">
          <h2 id="repondre">Répondre</h2>
          {allowed.includes('acknowledge') && (
            <Button className="fr-mb-3w" size="large" disabled={respond.isPending} onClick={() => respond.mutate({ action: 'acknowledge' })}>
              Prendre en compte
            </Button>
          )}
          {allowed.includes('accept') && !declining && (
            <form onSubmit={accept} noValidate className="fr-mb-3w">
              <Input
                label="Nombre d’unités engagées"
                hintText={remaining !== null ? `Entre 1 et ${remaining} ; laissez vide pour toutes les unités disponibles.` : 'Laissez vide pour toutes les unités disponibles.'}
                nativeInputProps={{ type: 'number', inputMode: 'numeric', min: 1, max: remaining ?? undefined, value: quantity, onChange: (e) => setQuantity(e.target.value) }}
              />
              <Button type="submit" size="large" disabled={respond.isPending}>
                Accepter
              </Button>
            </form>
          )}
          {allowed.includes('decline') &&
            (!declining ? (
              <Button priority="secondary" onClick={() => setDeclining(true)}>
                Décliner
              </Button>
            ) : (
              <form onSubmit={decline} noValidate>
                <RadioButtons
                  legend="Motif du refus"
                  options={Object.entries(DECLINE_REASONS).map(([code, label]) => ({
                    label,
                    nativeInputProps: { value: code, checked: reason === code, onChange: () => setReason(code as keyof typeof DECLINE_REASONS) },
                  }))}
                />
                <Input label="Précisions (facultatif)" textArea nativeTextAreaProps={{ value: comment, maxLength: 1000, onChange: (e) => setComment(e.target.value) }} />
                <Button type="submit" disabled={respond.isPending} className="fr-mr-2w">
                  Confirmer le refus
                </Button>
                <Button type="button" priority="secondary" onClick={() => setDeclining(false)}>
                  Annuler
                </Button>
              </form>
            ))}
          {allowed.includes('deploy') && (
            <form onSubmit={deploy} noValidate className="fr-mb-3w">
              <Input
                label="Heure d’arrivée sur place"
                hintText="Heure de Paris ; laissez vide pour maintenant."
                nativeInputProps={{ type: 'datetime-local', value: arrival, onChange: (e) => setArrival(e.target.value) }}
              />
              <Button type="submit" size="large" disabled={respond.isPending}>
                Signaler l’arrivée sur place
              </Button>
            </form>
          )}
          {allowed.includes('release') && (
            <Button size="large" priority="secondary" disabled={respond.isPending} onClick={() => respond.mutate({ action: 'release' })}>
              Signaler la libération du moyen
            </Button>
          )}
        </section>
      )}
    </>
  );
}
