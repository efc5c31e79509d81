import type { OpenAPIObject, ServerObject, TagObject } from '@nestjs/swagger';
import { webhooksObject } from '../../crisis/notifications/webhook-docs.js';

const WEBHOOKS_TAG = 'webhooks';

/**
 * What each group of operations is for, in the words of the solidarity charter. A group this
 * table does not know yet still gets declared, with a description made from its name.
 */
const TAG_DESCRIPTIONS: Record<string, string> = {
  auth:
    'Signing in and out, the caller\'s session and second factor. Every other operation needs the bearer token obtained here; ' +
    'ministry staff and member companies sign in the same way, their role decides what they may do.',
  users:
    'Accounts of the service: created by an administrator for ministry staff, directorates, auditors and member companies; ' +
    'roles, disabling and enabling, passwords and second-factor enrolment.',
  members:
    'Companies and associations that signed the CICS solidarity charter: registration, vetting by the ministry, status (active, ' +
    'suspended, withdrawn), their on-call contacts and the webhook their mobilization requests are sent to.',
  assets:
    'Resources members offer free of charge in a crisis (drones, generators, satellite relays, vehicles, premises): quantity, ' +
    'coverage by département, readiness attestation, unavailability windows and the units already committed.',
  'unsolicited offers': 'Help offered spontaneously during a crisis by organisations outside the charter, recorded for the crisis cell to follow up.',
  'reference data': 'Lists the other groups rely on: asset categories and the ministry directorates that sign conventions.',
  conventions:
    'Agreements between a member and a ministry directorate (DGSCGC, DGPN, DGGN…): which assets, in which départements, for which ' +
    'kinds of crisis, and the member\'s commitments to acknowledge and deploy; drafted, signed, countersigned, suspended, renewed or terminated.',
  'crises and activations':
    'Crises opened by the crisis cell (COGIC), activations of the charter authorized by the minister, and the mobilization ' +
    'requests sent to members, which they acknowledge, accept or decline, deploy and release.',
  'after-action review':
    'Reports on an activation once it has run: who was asked, who answered and how fast, what was deployed, in JSON, CSV and ' +
    'EDXL-RM (the OASIS emergency resource messaging standard).',
  audit:
    'The tamper-evident log of every change (a hash chain): its events, verification of the chain, signed checkpoints of its ' +
    'head and a full export, for auditors and the ministry\'s inspection services.',
  health: 'Whether the service and its dependencies (database, queues, audit relay) are up; for load balancers and supervision, no token needed.',
  [WEBHOOKS_TAG]:
    'Calls Renfort makes to a member\'s own system (its `webhookUrl`) when a mobilization request concerns it, signed with the ' +
    'member\'s webhook secret (Standard Webhooks).',
};

/**
 * The document-wide parts the operations do not carry: the groups (tags) the operations use,
 * in order, each described; where the API is served; the webhooks sent to members.
 */
export function completeDocument(document: OpenAPIObject, publicBaseUrl: string | null): void {
  document.webhooks = webhooksObject(WEBHOOKS_TAG);
  document.tags = usedTags(document).map((name): TagObject => ({ name, description: TAG_DESCRIPTIONS[name] ?? `Operations on ${name}.` }));
  document.servers = [serverOf(publicBaseUrl)];
}

/** The tags operations use (paths first, then webhooks), in order of first use. */
function usedTags(document: OpenAPIObject): string[] {
  const tags = new Set<string>(document.tags?.map((tag) => tag.name));
  for (const item of [...Object.values(document.paths), ...Object.values(document.webhooks ?? {})]) {
    for (const operation of [item.get, item.post, item.put, item.patch, item.delete]) for (const tag of operation?.tags ?? []) tags.add(tag);
  }
  return [...tags];
}

/**
 * The service's public address when one is configured; otherwise relative to where the document
 * was fetched from, which is the service itself (paths carry the /api/v1 prefix).
 */
function serverOf(publicBaseUrl: string | null): ServerObject {
  if (publicBaseUrl) return { url: publicBaseUrl.replace(/\/+$/, ''), description: 'This Renfort service' };
  return { url: '/', description: 'This Renfort service (the host the document is served from)' };
}
