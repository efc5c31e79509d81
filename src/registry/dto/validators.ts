import { ValidateBy, type ValidationOptions } from 'class-validator';
import { isDepartementCode } from '../domain/departement.js';
import { sirenProblem } from '../domain/siren.js';

export function IsSiren(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isSiren',
      validator: {
        validate: (value) => sirenProblem(value) === null,
        defaultMessage: (args) => `siren ${sirenProblem(args?.value) ?? 'is invalid'}`,
      },
    },
    options,
  );
}

export function IsDepartementCode(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isDepartementCode',
      validator: {
        validate: (value) => isDepartementCode(value),
        defaultMessage: (args) =>
          `${args?.property} must hold INSEE département codes (01-95 without 20, 2A, 2B, 971-976); got ${JSON.stringify(args?.value)}`,
      },
    },
    options,
  );
}

/**
 * The shape of a webhook URL. Which scheme and which addresses are allowed needs the host
 * resolved and the environment known: WebhookUrlPolicy decides that in the command.
 */
export function webhookUrlProblem(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > 2000) return 'must be a URL of at most 2000 characters';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an absolute URL';
  }
  if (url.username || url.password) return 'must not carry credentials';
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must use https';
  return null;
}

export function IsWebhookUrl(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isWebhookUrl',
      validator: {
        validate: (value) => webhookUrlProblem(value) === null,
        defaultMessage: (args) => `webhookUrl ${webhookUrlProblem(args?.value)}`,
      },
    },
    options,
  );
}

/** A calendar date YYYY-MM-DD that exists. */
export function IsCalendarDate(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isCalendarDate',
      validator: {
        validate: (value) => {
          if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
          const date = new Date(`${value}T00:00:00Z`);
          return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
        },
        defaultMessage: (args) => `${args?.property} must be a calendar date YYYY-MM-DD`,
      },
    },
    options,
  );
}
