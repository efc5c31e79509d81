import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { Table } from '@codegouvfr/react-dsfr/Table';
import { Link } from 'react-router';
import { ApiProblem } from '../components/ApiProblem';
import { Countdown } from '../components/Countdown';
import { formatDateTime, formatTime } from '../components/dates';
import { DepartementMap } from '../components/DepartementMap';
import { PATHS } from '../paths';
import { useSession } from '../session/session-queries';
import { type Activation, type Board, useCategoryName } from './activation-queries';
import { EndActivation } from './EndActivation';
import {
  ACTIVATION_STATUS_LABELS,
  DECLINE_REASON_LABELS,
  DELIVERY_STATUS_LABELS,
  departementLabel,
  REQUEST_STATUS_LABELS,
  standDownCause,
  STEP_KIND_LABELS,
} from './labels';
import { type LinkState, type LiveEvent, useLiveBoard } from './live-board';

/**
 * The page the crisis cell keeps open during an activation: the requirements' progress, every
 * member asked with where its chain stands and whom to call next, the refusals and stand-downs,
 * and what just happened, kept current by the activation's event stream.
 */
export function ActivationBoard({ activation }: { activation: Activation }) {
  const session = useSession().data!;
  const { board, link, feed } = useLiveBoard(activation.id);
  return (
    <>
      <h1>Activation « {activation.decisionReference} »</h1>
      <p>
        <Link to={PATHS.crisis(activation.crisisId)}>Retour à la crise</Link> · <Link to={PATHS.activationReport(activation.id)}>Bilan de l’activation</Link>
      </p>
      <LinkStatus link={link} updatedAt={board.dataUpdatedAt} />
      {board.isError && <ApiProblem error={board.error} retry={() => void board.refetch()} />}
      {board.isPending ? (
        <p role="status">Chargement…</p>
      ) : board.isError ? null : (
        <BoardContent board={board.data} activation={activation} feed={feed} />
      )}
      {board.data && session.role === 'CRISIS_OPERATOR' && (
        <>
          <EndActivation activation={{ id: activation.id, status: board.data.status as Activation['status'] }} action="close" />
          <EndActivation activation={{ id: activation.id, status: board.data.status as Activation['status'] }} action="cancel" />
        </>
      )}
    </>
  );
}

/** Whether what is shown is live: never « en direct » while the stream is down or the board not read again since. */
function LinkStatus({ link, updatedAt }: { link: LinkState; updatedAt: number }) {
  return (
    <div role="status" className="fr-mb-3w">
      {link === 'live' ? (
        <Badge severity="success">En direct</Badge>
      ) : link === 'lost' ? (
        <Alert
          small
          severity="warning"
          description={`Connexion perdue, reconnexion… Le tableau ci-dessous date de ${updatedAt ? formatTime(updatedAt) : 'son ouverture'} et n’est plus à jour.`}
        />
      ) : (
        <Badge severity="info">Connexion…</Badge>
      )}
    </div>
  );
}

function BoardContent({ board, activation, feed }: { board: Board; activation: Activation; feed: LiveEvent[] }) {
  const categoryName = useCategoryName();
  const asked: Record<string, number> = {};
  const accepted: Record<string, number> = {};
  for (const requirement of board.requirements) {
    const departements = activation.requirements.find((one) => one.id === requirement.requirementId)?.departements ?? [];
    for (const code of departements) {
      asked[code] = (asked[code] ?? 0) + requirement.asked;
      accepted[code] = (accepted[code] ?? 0) + requirement.accepted;
    }
  }
  return (
    <>
      <p>
        État : <strong>{ACTIVATION_STATUS_LABELS[board.status] ?? board.status}</strong>
        {board.authorizedAt && <> · autorisée le {formatDateTime(board.authorizedAt)}</>} · {board.requestCount} demande{board.requestCount > 1 ? 's' : ''}
      </p>

      <section aria-labelledby="besoins">
        <h2 id="besoins">Besoins</h2>
        {board.requirements.map((requirement) => (
          <div key={requirement.requirementId} className="fr-mb-2w">
            <p className="fr-mb-1v">
              <strong>
                Besoin {requirement.position} : {categoryName(requirement.category)}
              </strong>{' '}
              — {requirement.asked} demandée{requirement.asked > 1 ? 's' : ''}, {requirement.accepted} acceptée{requirement.accepted > 1 ? 's' : ''},{' '}
              {requirement.deployed} sur place{requirement.metAt ? ` · couvert à ${formatTime(new Date(requirement.metAt))}` : ''}
            </p>
            <progress
              max={Math.max(1, requirement.asked)}
              value={requirement.accepted}
              aria-label={`Besoin ${requirement.position} : ${requirement.accepted} unité(s) acceptée(s) sur ${requirement.asked}`}
              style={{ width: '100%', maxWidth: 480 }}
            />
          </div>
        ))}
      </section>

      <section aria-labelledby="etats">
        <h2 id="etats">Demandes par état</h2>
        <Table
          caption="Demandes par état"
          noCaption
          headers={Object.keys(board.countsByStatus).map((status) => REQUEST_STATUS_LABELS[status] ?? status)}
          data={[Object.values(board.countsByStatus).map(String)]}
        />
      </section>

      <section aria-labelledby="fil">
        <h2 id="fil">Ce qui vient de se passer</h2>
        {feed.length === 0 ? (
          <p>Rien de nouveau depuis l’ouverture de la page.</p>
        ) : (
          <ul aria-label="Fil des événements" className="fr-raw-list">
            {feed.map((event) => (
              <li key={event.sequence}>
                <span className="fr-text--bold">{formatTime(new Date(event.occurredAt))}</span> {describeEvent(event)}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="membres">
        <h2 id="membres">Membres sollicités</h2>
        {board.members.length === 0 ? (
          <p>Aucun membre sollicité.</p>
        ) : (
          <Table
            caption="Membres sollicités, leurs demandes et qui appeler"
            noCaption
            headers={['Membre', 'Moyen', 'État', 'Étape atteinte', 'Prochaine relance', 'Qui appeler ensuite', 'Remise']}
            data={board.members.flatMap((member) =>
              member.requests.map((request) => [
                member.memberName,
                request.assetName,
                `${REQUEST_STATUS_LABELS[request.status] ?? request.status}${request.acceptedQuantity ? ` (${request.acceptedQuantity})` : ''}`,
                request.currentStep ? `${request.currentStep.level} – ${stepWho(request.currentStep)}` : '—',
                request.nextStep ? <Countdown until={request.nextStep.dueAt} /> : '—',
                request.nextStep ? (
                  <>
                    {stepWho(request.nextStep)}
                    {request.nextStep.contactPhone && (
                      <>
                        {' '}
                        <a href={`tel:${request.nextStep.contactPhone}`}>{request.nextStep.contactPhone}</a>
                      </>
                    )}
                  </>
                ) : (
                  '—'
                ),
                `${DELIVERY_STATUS_LABELS[request.delivery.status] ?? request.delivery.status}${request.delivery.error ? ` : ${request.delivery.error}` : ''}`,
              ]),
            )}
          />
        )}
      </section>

      <section aria-labelledby="refus">
        <h2 id="refus">Refus</h2>
        {board.declined.length === 0 ? (
          <p>Aucun refus.</p>
        ) : (
          <Table
            caption="Refus et leurs motifs"
            noCaption
            headers={['Membre', 'Motif', 'Commentaire', 'Heure']}
            data={board.declined.map((declined) => [
              declined.memberName,
              DECLINE_REASON_LABELS[declined.reasonCode] ?? declined.reasonCode,
              declined.comment ?? '—',
              formatTime(new Date(declined.at)),
            ])}
          />
        )}
      </section>

      <section aria-labelledby="desengages">
        <h2 id="desengages">Désengagés</h2>
        {board.stoodDown.length === 0 ? (
          <p>Aucun membre désengagé.</p>
        ) : (
          <Table
            caption="Demandes désengagées et leur motif"
            noCaption
            headers={['Membre', 'Motif', 'Heure']}
            data={board.stoodDown.map((stoodDown) => [stoodDown.memberName, standDownCause(stoodDown.cause), formatTime(new Date(stoodDown.at))])}
          />
        )}
      </section>

      <section aria-labelledby="carte">
        <h2 id="carte">Carte des besoins</h2>
        <div className="fr-grid-row fr-grid-row--gutters">
          <div className="fr-col-12 fr-col-md-6">
            <DepartementMap title="Unités demandées, par département du besoin" counts={asked} valueLabel="Unités demandées" nameOf={departementLabel} />
          </div>
          <div className="fr-col-12 fr-col-md-6">
            <DepartementMap title="Unités acceptées, par département du besoin" counts={accepted} valueLabel="Unités acceptées" nameOf={departementLabel} />
          </div>
        </div>
      </section>
    </>
  );
}

function stepWho(step: { kind: string; contactName: string | null; directorateCode: string | null }): string {
  if (step.kind === 'CRISIS_CELL') return 'la cellule de crise';
  return `${step.contactName ?? '?'} (${STEP_KIND_LABELS[step.kind] ?? step.kind}${step.directorateCode ? ` ${step.directorateCode}` : ''})`;
}

const EVENT_WORDS: Record<string, string> = {
  ActivationAuthorized: 'Activation autorisée',
  ActivationInProgress: 'Premières demandes remises',
  ActivationRequirementMet: 'Un besoin est couvert',
  ActivationFulfilled: 'Tous les besoins sont couverts',
  ActivationCancelled: 'Activation annulée',
  ActivationClosed: 'Activation clôturée',
  MobilizationRequestNotified: 'demande remise',
  MobilizationRequestDeliveryAttempted: 'tentative de remise',
  MobilizationRequestDeliveryFailed: 'demande non remise',
  MobilizationRequestEscalated: 'relance à l’étape suivante',
  MobilizationRequestChainExhausted: 'sans réponse après toute la chaîne : à la cellule de crise',
  MobilizationRequestAcknowledged: 'accusé de réception',
  MobilizationRequestAccepted: 'acceptation',
  MobilizationRequestDeclined: 'refus',
  MobilizationRequestDeployed: 'arrivée sur place',
  MobilizationRequestDeploymentLate: 'déploiement en retard',
  MobilizationRequestReleased: 'moyen libéré',
  MobilizationRequestStoodDown: 'désengagement',
  MobilizationRequestAnsweredByMessage: 'réponse par message',
};

function describeEvent(event: LiveEvent): string {
  const words = EVENT_WORDS[event.type] ?? event.type;
  if (!event.memberName) return words;
  const quantity = typeof event.payload.quantity === 'number' ? ` (${event.payload.quantity} unité${event.payload.quantity > 1 ? 's' : ''})` : '';
  return `${event.memberName} : ${words}${quantity}`;
}
