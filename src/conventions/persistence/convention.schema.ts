import { EntitySchema, type EntityManager } from 'typeorm';
import { Convention } from '../domain/convention.js';
import { ConventionNotFoundError } from '../domain/convention.errors.js';

export const ConventionSchema = new EntitySchema<Convention>({
  name: 'Convention',
  target: Convention,
  tableName: 'convention',
  columns: {
    id: { type: 'uuid', primary: true },
    lineageId: { type: 'uuid', name: 'lineage_id' },
    version: { type: 'int' },
    previousVersionId: { type: 'uuid', name: 'previous_version_id', nullable: true },
    memberId: { type: 'uuid', name: 'member_id' },
    directorateCode: { type: 'text', name: 'directorate_code' },
    status: { type: 'text' },
    crisisTypes: { type: 'text', name: 'crisis_types', array: true },
    national: { type: 'boolean' },
    departements: { type: 'text', array: true },
    ackWithinMinutes: { type: 'int', name: 'ack_within_minutes' },
    deployWithinMinutes: { type: 'int', name: 'deploy_within_minutes' },
    startsOn: { type: 'date', name: 'starts_on' },
    endsOn: { type: 'date', name: 'ends_on' },
    termDays: { type: 'int', name: 'term_days' },
    reviewOn: { type: 'date', name: 'review_on' },
    tacitRenewal: { type: 'boolean', name: 'tacit_renewal' },
    memberContactIds: { type: 'uuid', name: 'member_contact_ids', array: true },
    directorateContactId: { type: 'uuid', name: 'directorate_contact_id', nullable: true },
    statusReason: { type: 'text', name: 'status_reason', nullable: true },
    signedAt: { type: 'timestamptz', name: 'signed_at', nullable: true },
    signedBy: { type: 'uuid', name: 'signed_by', nullable: true },
    countersignedAt: { type: 'timestamptz', name: 'countersigned_at', nullable: true },
    countersignedBy: { type: 'uuid', name: 'countersigned_by', nullable: true },
    reviewRemindedFor: { type: 'date', name: 'review_reminded_for', nullable: true },
    renewals: { type: 'int' },
    rowVersion: { type: 'int', name: 'row_version' },
    createdBy: { type: 'uuid', name: 'created_by', nullable: true },
    createdAt: { type: 'timestamptz', name: 'created_at' },
    updatedAt: { type: 'timestamptz', name: 'updated_at' },
  },
});

/** Conventions with their covered assets, which live in convention_asset. */
export class ConventionStore {
  constructor(private readonly manager: EntityManager) {}

  async attachAssets(conventions: Convention[]): Promise<Convention[]> {
    if (conventions.length === 0) return conventions;
    const rows: { convention_id: string; asset_id: string }[] = await this.manager.query(
      `SELECT convention_id, asset_id FROM convention_asset WHERE convention_id = ANY($1::uuid[]) ORDER BY asset_id`,
      [conventions.map((c) => c.id)],
    );
    for (const convention of conventions) convention.assetIds = rows.filter((r) => r.convention_id === convention.id).map((r) => r.asset_id);
    return conventions;
  }

  /** Loads and locks a convention for a change. */
  async forChange(id: string): Promise<Convention> {
    const convention = await this.manager.getRepository(ConventionSchema).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!convention) throw new ConventionNotFoundError(id);
    const [withAssets] = await this.attachAssets([convention]);
    return withAssets;
  }

  async insert(convention: Convention): Promise<void> {
    await this.manager.getRepository(ConventionSchema).insert(convention);
    await this.replaceAssets(convention);
  }

  async update(convention: Convention, withAssets = false): Promise<void> {
    await this.manager.getRepository(ConventionSchema).save(convention);
    if (withAssets) await this.replaceAssets(convention);
  }

  private async replaceAssets(convention: Convention): Promise<void> {
    await this.manager.query(`DELETE FROM convention_asset WHERE convention_id = $1`, [convention.id]);
    await this.manager.query(
      `INSERT INTO convention_asset (convention_id, asset_id) SELECT $1, unnest($2::uuid[])`,
      [convention.id, convention.assetIds],
    );
  }
}
