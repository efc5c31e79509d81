/** Words that, in a field name, mean money: the charter's resources are offered free of charge. */
const CHARGE_WORDS = new Set([
  'price', 'prices', 'pricing', 'cost', 'costs', 'fee', 'fees', 'rate', 'rates', 'tariff', 'tariffs', 'tarif', 'tarifs',
  'amount', 'charge', 'charges', 'billing', 'bill', 'invoice', 'invoicing', 'payment', 'payments', 'remuneration',
  'compensation', 'currency', 'eur', 'euro', 'euros', 'prix', 'cout', 'coût', 'frais', 'montant',
]);

function words(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9\u00C0-\u017F]+/)
    .filter(Boolean)
    .map((word) => word.toLowerCase());
}

/** The paths of every field, at any depth, whose name speaks of a price, cost, fee or rate. */
export function chargeFields(body: unknown, path = ''): string[] {
  if (Array.isArray(body)) return body.flatMap((item, index) => chargeFields(item, `${path}[${index}]`));
  if (body === null || typeof body !== 'object') return [];
  return Object.entries(body as Record<string, unknown>).flatMap(([key, value]) => {
    const here = path ? `${path}.${key}` : key;
    const own = words(key).some((word) => CHARGE_WORDS.has(word)) ? [here] : [];
    return [...own, ...chargeFields(value, here)];
  });
}

export const GRATUITY_MESSAGE =
  'Resources offered under the CICS solidarity charter are free of charge: a price, cost, fee or rate cannot be recorded';
