import { Table } from '@codegouvfr/react-dsfr/Table';
import type { Schemas } from '../api/client';
import { BarChart } from './BarChart';

type Report = Schemas['HistoryReportResponse'];
type Figures = Schemas['HistoryFiguresResponse'];

const minutes = (seconds: number | null) => (seconds === null ? '—' : `${Math.round(seconds / 60)} min`);
const committed = (value: number | null) => (value === null ? '—' : `${value} min`);

/**
 * A record across activations (a member's, a directorate's): real activations and exercises apart,
 * the committed times against the measured ones, then each activation. `level`: the heading level
 * of its sections in the page that shows it. Its tables wrap rather than scroll: a phone shows them
 * whole, and no scrolling region needs a keyboard to reach it.
 */
export function HistoryReport({ report, level }: { report: Report; level: 2 | 3 }) {
  const Heading = level === 2 ? 'h2' : 'h3';
  return (
    <>
      <HistoryFigures title="Activations réelles" figures={report.real} level={level} />
      <HistoryFigures title="Exercices" figures={report.exercise} level={level} />
      <Heading>Par activation</Heading>
      {report.history.length === 0 ? (
        <p>Aucune activation.</p>
      ) : (
        <Table
          noScroll
          fixed
          caption="Délais par activation"
          headers={['Crise', 'Acceptées', 'Refusées', 'Prise en compte (médiane)', 'Arrivée (médiane)']}
          data={report.history.map((entry) => [entry.crisisTitle, String(entry.accepted), String(entry.declined), minutes(entry.ackSecondsP50), minutes(entry.deploySecondsP50)])}
        />
      )}
    </>
  );
}

function HistoryFigures({ title, figures, level }: { title: string; figures: Figures; level: 2 | 3 }) {
  const Heading = level === 2 ? 'h2' : 'h3';
  return (
    <section className="fr-mb-4w">
      <Heading>{title}</Heading>
      <Table
        noScroll
        fixed
        caption={`${title} : délais engagés et mesurés`}
        headers={['', 'Engagé', 'Médiane mesurée', '9e décile mesuré', 'À temps', 'En retard', 'Manqué']}
        data={[
          ['Prise en compte', committed(figures.committedAckMinutes), minutes(figures.ackSecondsP50), minutes(figures.ackSecondsP90), String(figures.ackOnTime), String(figures.ackLate), String(figures.ackMissed)],
          ['Arrivée', committed(figures.committedDeployMinutes), minutes(figures.deploySecondsP50), minutes(figures.deploySecondsP90), String(figures.deployOnTime), String(figures.deployLate), String(figures.deployMissed)],
        ]}
      />
      <BarChart
        title={`${title} : délais en minutes`}
        series={['Engagé', 'Médiane mesurée']}
        format={(value) => `${value} min`}
        bars={[
          { label: 'Prise en compte', values: [figures.committedAckMinutes, figures.ackSecondsP50 === null ? null : Math.round(figures.ackSecondsP50 / 60)] },
          { label: 'Arrivée', values: [figures.committedDeployMinutes, figures.deploySecondsP50 === null ? null : Math.round(figures.deploySecondsP50 / 60)] },
        ]}
      />
      <p>
        {figures.activations} activation(s), {figures.accepted} acceptation(s), {figures.declined} refus.
      </p>
    </section>
  );
}
