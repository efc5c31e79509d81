import type { ActivationReport, Conformance, Distribution } from '../src/reporting/queries/activation-report.js';

/**
 * The after-action report as text tables, built from the JSON of GET /activations/:id/report
 * and nothing else, so that what the demo prints is what the service reports. Seconds are
 * shown to a tenth.
 */

type Cell = string | number;

/** Aligned columns, `align` giving each one's side (`l` or `r`, the figures), a rule under the header. */
export function textTable(header: string[], align: string, rows: Cell[][]): string {
  // A line break inside a name would break the table: shown as a space.
  const all = [header, ...rows].map((row) => row.map((cell) => String(cell).replace(/[\r\n\t]+/g, ' ')));
  const widths = header.map((_, column) => Math.max(...all.map((row) => row[column].length)));
  const line = (row: string[]) =>
    row
      .map((cell, column) => (align[column] === 'r' ? cell.padStart(widths[column]) : cell.padEnd(widths[column])))
      .join('  ')
      .trimEnd();
  return [line(all[0]), widths.map((width) => '-'.repeat(width)).join('  '), ...all.slice(1).map(line)].join('\n');
}

export function seconds(value: number | null): string {
  return value === null ? '–' : value.toFixed(1);
}

const STATUS_ORDER = ['PENDING', 'NOTIFIED', 'ESCALATED', 'ACKNOWLEDGED', 'ACCEPTED', 'DEPLOYED', 'RELEASED', 'DECLINED', 'STOOD_DOWN'];

function conformanceCells(row: Conformance): number[] {
  return [row.requests, row.accepted, row.declined, row.escalated, row.ackOnTime, row.ackLate, row.ackMissed, row.deployOnTime, row.deployLate, row.deployMissed];
}
const CONFORMANCE_HEADER = ['req', 'acc', 'decl', 'esc', 'ack ok', 'late', 'missed', 'deploy ok', 'late', 'missed'];
const CONFORMANCE_ALIGN = `l${'r'.repeat(CONFORMANCE_HEADER.length)}`;

function distributionRow(step: string, from: string, distribution: Distribution): Cell[] {
  return [step, from, distribution.count, seconds(distribution.p50Seconds), seconds(distribution.p90Seconds), seconds(distribution.maxSeconds)];
}

export function renderReport(report: ActivationReport, csvPath: string): string {
  const statuses = Object.keys(report.countsByStatus).sort((a, b) => rank(a) - rank(b));
  const authorizedAfter = report.authorizedAt ? ` (T0 + ${seconds((Date.parse(report.authorizedAt) - Date.parse(report.t0)) / 1000)} s)` : '';
  const sections = [
    `AFTER-ACTION REPORT${report.exercise ? ' (EXERCISE)' : ''}`,
    [
      `crisis       ${report.crisisTitle}`,
      `activation   ${report.activationId}, ${report.status}`,
      `T0           ${report.t0} (crisis opened)`,
      `authorized   ${report.authorizedAt ?? 'not authorized'}${authorizedAfter}`,
      `requests     ${report.requestCount} to ${report.byMember.length} members`,
    ].join('\n'),
    `Requests by status\n${textTable(['status', 'requests'], 'lr', statuses.map((status) => [status, report.countsByStatus[status]]))}`,
    `Response times (seconds; p50 and p90 are observed values)\n${textTable(['time to', 'measured from', 'count', 'p50', 'p90', 'max'], 'llrrrr', [
      distributionRow('notify', 'authorization', report.timeToNotify),
      distributionRow('acknowledge', 'notification', report.timeToAcknowledge),
      distributionRow('accept', 'notification', report.timeToAccept),
      distributionRow('deploy', 'acceptance', report.timeToDeploy),
    ])}`,
    `Requirements\n${textTable(['#', 'category', 'quantity', 'accepted', 'met (s after authorization)'], 'rlrrr', report.requirements.map((requirement) => [
      requirement.position, requirement.category, requirement.quantity, requirement.acceptedQuantity,
      requirement.metAfterSeconds === null ? 'not met' : seconds(requirement.metAfterSeconds),
    ]))}`,
    [
      "Conformance to the conventions' committed times",
      'req requests, acc accepted, decl declined, esc escalated; acknowledgement and deployment on time (ok), late or missed',
      textTable(['directorate', ...CONFORMANCE_HEADER], CONFORMANCE_ALIGN, [
        ['all', ...conformanceCells(report.conformance)],
        ...report.byDirectorate.map((row) => [row.directorateCode, ...conformanceCells(row)]),
      ]),
    ].join('\n'),
    `Decline reasons\n${report.declineReasons.length === 0 ? '(none)' : textTable(['reason', 'requests'], 'lr', report.declineReasons.map((reason) => [reason.reasonCode, reason.count]))}`,
    `Escalations: ${report.escalations.requests} requests escalated, ${report.escalations.levels} escalation levels in all`,
    `By member\n${textTable(['member', ...CONFORMANCE_HEADER], CONFORMANCE_ALIGN, report.byMember.map((row) => [row.memberName, ...conformanceCells(row)]))}`,
    `CSV (one row per member): ${csvPath}`,
  ];
  return `${sections.join('\n\n')}\n`;
}

function rank(status: string): number {
  const index = STATUS_ORDER.indexOf(status);
  return index === -1 ? STATUS_ORDER.length : index;
}
