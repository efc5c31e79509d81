import { EntitySchema } from 'typeorm';
import { Asset } from '../domain/asset.js';
import { Contact } from '../domain/contact.js';
import { Member } from '../domain/member.js';
import { UnsolicitedOffer } from '../domain/unsolicited-offer.js';

const timestamps = {
  createdAt: { type: 'timestamptz', name: 'created_at' },
  updatedAt: { type: 'timestamptz', name: 'updated_at' },
} as const;

export const MemberSchema = new EntitySchema<Member>({
  name: 'Member',
  target: Member,
  tableName: 'member',
  columns: {
    id: { type: 'uuid', primary: true },
    legalName: { type: 'text', name: 'legal_name' },
    siren: { type: 'char', length: 9 },
    charterSignedAt: { type: 'date', name: 'charter_signed_at' },
    charterSignatory: { type: 'text', name: 'charter_signatory' },
    webhookUrl: { type: 'text', name: 'webhook_url', nullable: true },
    webhookSecret: { type: 'text', name: 'webhook_secret', nullable: true },
    webhookPreviousSecret: { type: 'text', name: 'webhook_previous_secret', nullable: true },
    webhookPreviousSecretExpiresAt: { type: 'timestamptz', name: 'webhook_previous_secret_expires_at', nullable: true },
    status: { type: 'text' },
    statusReason: { type: 'text', name: 'status_reason', nullable: true },
    version: { type: 'int' },
    ...timestamps,
  },
});

export const ContactSchema = new EntitySchema<Contact>({
  name: 'Contact',
  target: Contact,
  tableName: 'contact',
  columns: {
    id: { type: 'uuid', primary: true },
    memberId: { type: 'uuid', name: 'member_id', nullable: true },
    directorateCode: { type: 'text', name: 'directorate_code', nullable: true },
    name: { type: 'text' },
    role: { type: 'text' },
    phone: { type: 'text' },
    email: { type: 'text' },
    escalationOrder: { type: 'int', name: 'escalation_order' },
    available24x7: { type: 'boolean', name: 'available_24x7' },
    ...timestamps,
  },
});

export const AssetSchema = new EntitySchema<Asset>({
  name: 'Asset',
  target: Asset,
  tableName: 'asset',
  columns: {
    id: { type: 'uuid', primary: true },
    memberId: { type: 'uuid', name: 'member_id' },
    category: { type: 'text' },
    name: { type: 'text' },
    quantity: { type: 'int' },
    // The ledger is written only by the statements that accept and release (src/crisis): an
    // asset saved by its owner must never write back a count it read earlier.
    committedQuantity: { type: 'int', name: 'committed_quantity', insert: false, update: false },
    leadTimeMinutes: { type: 'int', name: 'lead_time_minutes' },
    national: { type: 'boolean' },
    departements: { type: 'text', array: true },
    capabilityTier: { type: 'smallint', name: 'capability_tier', nullable: true },
    clearance: { type: 'text', nullable: true },
    description: { type: 'text', nullable: true },
    status: { type: 'text' },
    attestedAt: { type: 'timestamptz', name: 'attested_at' },
    version: { type: 'int' },
    ...timestamps,
  },
});

export const UnsolicitedOfferSchema = new EntitySchema<UnsolicitedOffer>({
  name: 'UnsolicitedOffer',
  target: UnsolicitedOffer,
  tableName: 'unsolicited_offer',
  columns: {
    id: { type: 'uuid', primary: true },
    offeredBy: { type: 'text', name: 'offered_by' },
    description: { type: 'text' },
    category: { type: 'text', nullable: true },
    contactName: { type: 'text', name: 'contact_name', nullable: true },
    contactEmail: { type: 'text', name: 'contact_email', nullable: true },
    contactPhone: { type: 'text', name: 'contact_phone', nullable: true },
    status: { type: 'text' },
    recordedBy: { type: 'uuid', name: 'recorded_by' },
    triagedBy: { type: 'uuid', name: 'triaged_by', nullable: true },
    triagedAt: { type: 'timestamptz', name: 'triaged_at', nullable: true },
    triageReason: { type: 'text', name: 'triage_reason', nullable: true },
    memberId: { type: 'uuid', name: 'member_id', nullable: true },
    assetId: { type: 'uuid', name: 'asset_id', nullable: true },
    createdAt: { type: 'timestamptz', name: 'created_at' },
  },
});

export const REGISTRY_SCHEMAS = [MemberSchema, ContactSchema, AssetSchema, UnsolicitedOfferSchema];
