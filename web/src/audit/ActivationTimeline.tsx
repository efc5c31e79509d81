import { Select } from '@codegouvfr/react-dsfr/Select';
import { Table } from '@codegouvfr/react-dsfr/Table';
import { useId, useState } from 'react';
import { Link, useParams } from 'react-router';
import { formatDateTime } from '../components/dates';
import { usePageTitle } from '../components/page';
import { QueryState } from '../components/QueryState';
import { PATHS } from '../paths';
import { type TimelineEntry, timelineCsvUrl, useTimeline } from './audit-queries';
import { ESCALATION_KIND_LABELS, formatSinceT0, STEP_KIND_COLOURS, STEP_KIND_LABELS, STEP_KINDS, type StepKind, stepKindOf, stepLabel } from './labels';

/** An activation's timeline from T0: one line per request, a mark per step, filterable, exportable as CSV. */
export function ActivationTimeline() {
  const { activationId = '' } = useParams();
  usePageTitle('Chronologie de l’activation');
  const timeline = useTimeline(activationId);
  const [memberId, setMemberId] = useState('');
  const [kind, setKind] = useState<StepKind | ''>('');
  return (
    <>
      <h1>Chronologie de l’activation</h1>
      <p>
        <Link to={PATHS.activationReport(activationId)}>Bilan de l’activation</Link>
        {' · '}
        <a href={timelineCsvUrl(activationId)} download>
          Exporter la chronologie (CSV)
        </a>
      </p>
      <QueryState query={timeline}>
        {(data) => {
          const members = [...new Map(data.items.filter((entry) => entry.memberId).map((entry) => [entry.memberId!, entry.memberName ?? entry.memberId!])).entries()];
          const shown = data.items.filter((entry) => (memberId === '' || entry.memberId === memberId) && (kind === '' || stepKindOf(entry) === kind));
          return (
            <>
              <p>
                T0 (ouverture de la crise) : {formatDateTime(data.t0)}
                {data.authorizedAt && <> ; autorisation : {formatDateTime(data.authorizedAt)}</>}.
              </p>
              <div className="fr-grid-row fr-grid-row--gutters">
                <div className="fr-col-12 fr-col-md-6">
                  <Select label="Membre" nativeSelectProps={{ value: memberId, onChange: (e) => setMemberId(e.target.value) }}>
                    <option value="">Tous les membres</option>
                    {members.map(([id, name]) => (
                      <option key={id} value={id}>
                        {name}
                      </option>
                    ))}
                  </Select>
                </div>
                <div className="fr-col-12 fr-col-md-6">
                  <Select label="Type d’étape" nativeSelectProps={{ value: kind, onChange: (e) => setKind(e.target.value as StepKind | '') }}>
                    <option value="">Toutes les étapes</option>
                    {STEP_KINDS.map((value) => (
                      <option key={value} value={value}>
                        {STEP_KIND_LABELS[value]}
                      </option>
                    ))}
                  </Select>
                </div>
              </div>
              {data.total > data.items.length && (
                <p className="fr-text--sm">
                  {data.items.length} étapes affichées sur {data.total} ; l’export CSV les contient toutes.
                </p>
              )}
              {shown.length === 0 ? <p>Aucune étape ne correspond au filtre.</p> : <TimelineChart entries={shown} />}
              <Table
                caption={`Étapes (${shown.length})`}
                headers={['Depuis T0', 'Heure', 'Étape', 'Membre', 'Moyen', 'Détail']}
                data={shown.map((entry) => [
                  formatSinceT0(entry.sinceT0Ms),
                  formatDateTime(entry.at),
                  stepLabel(entry),
                  entry.memberName ?? '—',
                  entry.assetName ?? '—',
                  detailOf(entry),
                ])}
              />
            </>
          );
        }}
      </QueryState>
    </>
  );
}

function detailOf(entry: TimelineEntry): string {
  if (entry.escalation) {
    const { level, kind, reached } = entry.escalation;
    return `Niveau ${level ?? '?'}${kind ? ` (${ESCALATION_KIND_LABELS[kind] ?? kind})` : ''}${reached ? ` : ${reached}` : ''}`;
  }
  if (entry.answeredBy) return entry.answeredBy;
  return entry.actorEmail ?? (entry.actorRole === 'SYSTEM' ? 'Système' : entry.actorRole);
}

const LABEL_WIDTH = 280;
const PLOT_WIDTH = 560;
const ROW = 28;

/**
 * The chart drawn by the console: a line per request (member, asset), its steps placed by their
 * time since T0. The table below carries the same steps for whoever does not see the chart.
 */
function TimelineChart({ entries }: { entries: TimelineEntry[] }) {
  const id = useId();
  const requestEntries = entries.filter((entry) => entry.requestId);
  const byRequest = new Map<string, { label: string; entries: TimelineEntry[] }>();
  for (const entry of requestEntries) {
    const row = byRequest.get(entry.requestId!) ?? { label: `${entry.memberName ?? '—'} · ${entry.assetName ?? '—'}`, entries: [] };
    row.entries.push(entry);
    byRequest.set(entry.requestId!, row);
  }
  const rows = [...byRequest.values()];
  if (rows.length === 0) return null;
  const min = Math.min(...requestEntries.map((entry) => entry.sinceT0Ms));
  const max = Math.max(min + 1, ...requestEntries.map((entry) => entry.sinceT0Ms));
  const x = (ms: number) => LABEL_WIDTH + ((ms - min) / (max - min)) * (PLOT_WIDTH - 16) + 8;
  const height = rows.length * ROW + 40;
  const kinds = STEP_KINDS.filter((kind) => requestEntries.some((entry) => stepKindOf(entry) === kind));
  return (
    <figure className="fr-mb-4w" aria-labelledby={`${id}-titre`}>
      <figcaption id={`${id}-titre`} className="fr-text--bold fr-mb-1w">
        Étapes des demandes depuis T0 (de {formatSinceT0(min)} à {formatSinceT0(max)})
      </figcaption>
      <ul className="fr-text--sm" aria-label="Légende de la chronologie" style={{ listStyle: 'none', paddingLeft: 0, display: 'flex', flexWrap: 'wrap', gap: '1rem' }}>
        {kinds.map((kind) => (
          <li key={kind}>
            <svg width="12" height="12" aria-hidden="true">
              <circle cx="6" cy="6" r="5" fill={STEP_KIND_COLOURS[kind]} />
            </svg>{' '}
            {STEP_KIND_LABELS[kind]}
          </li>
        ))}
      </ul>
      <div style={{ overflowX: 'auto' }}>
        <svg width={LABEL_WIDTH + PLOT_WIDTH} height={height} role="img" aria-label="Chronologie des demandes : le tableau qui suit donne les mêmes étapes">
          {rows.map((row, index) => {
            const y = index * ROW + 18;
            return (
              <g key={row.label + index}>
                <text x={0} y={y + 4} fontSize="12" fill="#161616">
                  {row.label.length > 42 ? `${row.label.slice(0, 41)}…` : row.label}
                </text>
                <line x1={LABEL_WIDTH} x2={LABEL_WIDTH + PLOT_WIDTH} y1={y} y2={y} stroke="#dddddd" />
                {row.entries.map((entry) => (
                  <circle key={entry.sequence} cx={x(entry.sinceT0Ms)} cy={y} r={5} fill={STEP_KIND_COLOURS[stepKindOf(entry)]}>
                    <title>
                      {stepLabel(entry)} à {formatSinceT0(entry.sinceT0Ms)} après T0
                    </title>
                  </circle>
                ))}
              </g>
            );
          })}
          <text x={LABEL_WIDTH} y={height - 6} fontSize="11" fill="#3a3a3a">
            {formatSinceT0(min)}
          </text>
          <text x={LABEL_WIDTH + PLOT_WIDTH} y={height - 6} fontSize="11" fill="#3a3a3a" textAnchor="end">
            {formatSinceT0(max)}
          </text>
        </svg>
      </div>
    </figure>
  );
}
