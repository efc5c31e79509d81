import { Table } from '@codegouvfr/react-dsfr/Table';
import { Link, useParams } from 'react-router';
import { BarChart } from '../components/BarChart';
import { formatDuration } from '../components/Countdown';
import { formatDateTime } from '../components/dates';
import { ExerciseBadge } from '../components/ExerciseBadge';
import { usePageTitle } from '../components/page';
import { QueryState } from '../components/QueryState';
import { PATHS } from '../paths';
import { type Report, useCategoryName, useEdxlRmMessages, useReport } from './activation-queries';
import { ACTIVATION_STATUS_LABELS, DECLINE_REASON_LABELS, REQUEST_STATUS_LABELS } from './labels';

/** The after-action report of an activation: its times, each member's and directorate's conformance, and its exports. */
export function ActivationReport() {
  const { activationId } = useParams() as { activationId: string };
  const report = useReport(activationId);
  usePageTitle('Bilan de l’activation');
  return <QueryState query={report}>{(data) => <ReportContent report={data} />}</QueryState>;
}

const minutes = (seconds: number) => formatDuration(seconds);

function ReportContent({ report }: { report: Report }) {
  const edxl = useEdxlRmMessages(report.activationId);
  const categoryName = useCategoryName();
  const times: [string, Report['timeToAcknowledge']][] = [
    ['Notification', report.timeToNotify],
    ['Accusé de réception', report.timeToAcknowledge],
    ['Acceptation', report.timeToAccept],
    ['Déploiement', report.timeToDeploy],
  ];
  const conformance = (row: { requests: number; ackOnTime: number; deployOnTime: number; accepted: number }) => [
    row.requests ? Math.round((row.ackOnTime / row.requests) * 100) : null,
    row.accepted ? Math.round((row.deployOnTime / row.accepted) * 100) : null,
  ];
  return (
    <>
      <h1>
        Bilan de l’activation {report.exercise && <ExerciseBadge />}
      </h1>
      <p>
        Crise : <Link to={PATHS.crisis(report.crisisId)}>{report.crisisTitle}</Link> · <Link to={PATHS.activation(report.activationId)}>Tableau de bord</Link>
      </p>
      <p>
        État : <strong>{ACTIVATION_STATUS_LABELS[report.status] ?? report.status}</strong> · heure zéro {formatDateTime(report.t0)}
        {report.authorizedAt && <> · autorisée le {formatDateTime(report.authorizedAt)}</>} · {report.requestCount} demande{report.requestCount > 1 ? 's' : ''}
      </p>

      <h2>Exports</h2>
      <ul className="fr-raw-list fr-mb-3w">
        <li>
          <a className="fr-link fr-link--download" href={`/api/v1/activations/${report.activationId}/report?format=csv`} download>
            Télécharger le bilan par membre (CSV)
          </a>
        </li>
        <li>
          <a className="fr-link fr-link--download" href={`/api/v1/activations/${report.activationId}/edxl-rm`} download>
            Télécharger le fil EDXL-RM (XML)
          </a>
        </li>
      </ul>
      <QueryState query={edxl}>
        {(messages) =>
          messages.length === 0 ? (
            <p>Aucun message EDXL-RM : rien n’a été demandé.</p>
          ) : (
            <Table
              caption="Messages EDXL-RM 1.0 du fil"
              headers={['N°', 'Type de message', 'Document']}
              data={messages.map((message) => [
                String(message.n),
                message.type,
                <a href={message.href} download>
                  message {message.n} (XML)
                </a>,
              ])}
            />
          )
        }
      </QueryState>

      <h2>Délais</h2>
      <BarChart
        title="Délais de réponse (médiane et 90e centile)"
        series={['Médiane', '90e centile']}
        bars={times.map(([label, distribution]) => ({ label: `${label} (${distribution.count})`, values: [distribution.p50Seconds, distribution.p90Seconds] }))}
        format={minutes}
      />

      <h2>Respect des engagements</h2>
      <BarChart
        title="Par membre : part des accusés et des déploiements dans les délais de la convention (%)"
        series={['Accusé dans le délai', 'Déploiement dans le délai']}
        bars={report.byMember.map((member) => ({ label: member.memberName, values: conformance(member) }))}
        format={(value) => `${value} %`}
      />
      <BarChart
        title="Par direction : part des accusés et des déploiements dans les délais de la convention (%)"
        series={['Accusé dans le délai', 'Déploiement dans le délai']}
        bars={report.byDirectorate.map((directorate) => ({ label: directorate.directorateCode, values: conformance(directorate) }))}
        format={(value) => `${value} %`}
      />

      <h2>Besoins</h2>
      <Table
        caption="Besoins et leur couverture"
        headers={['Besoin', 'Demandé', 'Accepté', 'Couvert après']}
        data={report.requirements.map((requirement) => [
          `${requirement.position}. ${categoryName(requirement.category)}`,
          String(requirement.quantity),
          String(requirement.acceptedQuantity),
          requirement.metAfterSeconds === null ? 'non couvert' : formatDuration(requirement.metAfterSeconds),
        ])}
      />

      <h2>Demandes</h2>
      <Table
        caption="Demandes par état final"
        headers={['État', 'Demandes']}
        data={Object.entries(report.countsByStatus).map(([status, count]) => [REQUEST_STATUS_LABELS[status] ?? status, String(count)])}
      />
      {report.declineReasons.length > 0 && (
        <Table
          caption="Motifs de refus"
          headers={['Motif', 'Refus']}
          data={report.declineReasons.map((reason) => [DECLINE_REASON_LABELS[reason.reasonCode] ?? reason.reasonCode, String(reason.count)])}
        />
      )}
    </>
  );
}
