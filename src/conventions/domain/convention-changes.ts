import type { ConventionView } from './convention.js';

/** The terms an amendment may change: what the parties agree on, not the lifecycle's bookkeeping. */
export const AMENDABLE_TERMS = [
  'assetIds', 'crisisTypes', 'scope', 'ackWithinMinutes', 'deployWithinMinutes', 'startsOn', 'endsOn', 'reviewOn', 'tacitRenewal',
  'memberContactIds', 'directorateContactId',
] as const satisfies readonly (keyof ConventionView)[];
export type AmendableTerm = (typeof AMENDABLE_TERMS)[number];

export interface TermChange {
  field: AmendableTerm;
  before: unknown;
  after: unknown;
}

/** Lists of ids and codes are sets: their order is not a change. */
function comparable(value: unknown): string {
  if (Array.isArray(value)) return JSON.stringify([...value].map(String).sort());
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b));
    return JSON.stringify(entries.map(([key, item]) => [key, comparable(item)]));
  }
  return JSON.stringify(value ?? null);
}

/** What a version changes from another (the one in force), field by field, in the order of the terms. */
export function termChanges(from: ConventionView, to: ConventionView): TermChange[] {
  return AMENDABLE_TERMS.filter((field) => comparable(from[field]) !== comparable(to[field])).map((field) => ({
    field,
    before: from[field],
    after: to[field],
  }));
}
