import { Table } from '@codegouvfr/react-dsfr/Table';
import { useId } from 'react';

export interface Bar {
  label: string;
  /** One value per series, in the order of `series`. */
  values: (number | null)[];
}

const COLOURS = ['#000091', '#6a6af4', '#c9191e', '#18753c'];
const ROW = 22;
const LABEL_WIDTH = 200;
const PLOT_WIDTH = 360;

/**
 * A horizontal bar chart drawn in SVG by the console (no chart library, nothing fetched), with its
 * figures as a table for whoever does not see the bars.
 */
export function BarChart({
  title,
  series,
  bars,
  format = String,
}: {
  title: string;
  series: string[];
  bars: Bar[];
  format?: (value: number) => string;
}) {
  const id = useId();
  const max = Math.max(1, ...bars.flatMap((bar) => bar.values.map((value) => value ?? 0)));
  const groupHeight = ROW * series.length + 8;
  const height = bars.length * groupHeight + 28;
  return (
    <figure className="fr-mb-4w" aria-labelledby={`${id}-titre`}>
      <figcaption id={`${id}-titre`} className="fr-text--bold fr-mb-1w">
        {title}
      </figcaption>
      {series.length > 1 && (
        <ul className="fr-text--sm" aria-label={`Légende : ${title}`} style={{ listStyle: 'none', paddingLeft: 0, display: 'flex', gap: '1rem' }}>
          {series.map((name, index) => (
            <li key={name}>
              <svg width="12" height="12" aria-hidden="true">
                <rect width="12" height="12" fill={COLOURS[index % COLOURS.length]} />
              </svg>{' '}
              {name}
            </li>
          ))}
        </ul>
      )}
      <svg viewBox={`0 0 ${LABEL_WIDTH + PLOT_WIDTH + 90} ${height}`} width="100%" style={{ maxWidth: 680 }} role="img" aria-label={`${title} : diagramme en barres, détail dans le tableau qui suit`}>
        {bars.map((bar, row) => (
          <g key={bar.label} transform={`translate(0, ${row * groupHeight + 4})`}>
            <text x={LABEL_WIDTH - 8} y={(ROW * series.length) / 2 + 5} textAnchor="end" fontSize={12} fill="currentColor">
              {bar.label.length > 30 ? `${bar.label.slice(0, 29)}…` : bar.label}
            </text>
            {bar.values.map((value, index) => (
              <g key={series[index]} transform={`translate(${LABEL_WIDTH}, ${index * ROW})`}>
                <rect width={value ? Math.max(1, (value / max) * PLOT_WIDTH) : 0} height={ROW - 4} fill={COLOURS[index % COLOURS.length]} />
                <text x={(value ? (value / max) * PLOT_WIDTH : 0) + 4} y={ROW - 8} fontSize={11} fill="currentColor">
                  {value === null ? 'sans mesure' : format(value)}
                </text>
              </g>
            ))}
          </g>
        ))}
      </svg>
      <Table
        caption={`${title} (tableau)`}
        noCaption
        headers={['', ...series]}
        data={bars.map((bar) => [bar.label, ...bar.values.map((value) => (value === null ? '—' : format(value)))])}
      />
    </figure>
  );
}
