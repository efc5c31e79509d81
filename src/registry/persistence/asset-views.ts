import type { DataSource, EntityManager } from 'typeorm';
import type { Asset, AssetView, UnavailabilityWindow } from '../domain/asset.js';

/** Current and future unavailability windows of the given assets, by asset id. */
export async function windowsOf(db: DataSource | EntityManager, assetIds: string[], now: Date): Promise<Map<string, UnavailabilityWindow[]>> {
  const windows = new Map<string, UnavailabilityWindow[]>();
  if (assetIds.length === 0) return windows;
  const rows: { id: string; asset_id: string; starts_at: Date; ends_at: Date; reason: string }[] = await db.query(
    `SELECT id, asset_id, starts_at, ends_at, reason FROM asset_unavailability
     WHERE asset_id = ANY($1::uuid[]) AND ends_at > $2 ORDER BY starts_at`,
    [assetIds, now.toISOString()],
  );
  for (const row of rows) {
    const list = windows.get(row.asset_id) ?? [];
    list.push({ id: row.id, from: row.starts_at.toISOString(), to: row.ends_at.toISOString(), reason: row.reason });
    windows.set(row.asset_id, list);
  }
  return windows;
}

export async function assetViews(db: DataSource | EntityManager, assets: Asset[], now: Date, maxAgeDays: number): Promise<AssetView[]> {
  const windows = await windowsOf(db, assets.map((asset) => asset.id), now);
  return assets.map((asset) => asset.toView(now, maxAgeDays, windows.get(asset.id)));
}
