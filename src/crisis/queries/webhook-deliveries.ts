import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Actor } from '../../common/auth/role.js';
import { offsetOf, type Page } from '../../common/pagination/page.js';
import { assertMayManage } from '../../registry/access.js';
import { MemberNotFoundError } from '../../registry/domain/registry.errors.js';
import type { WebhookDeliveriesFilter, WebhookDeliveryAttemptResponse } from '../dto/webhook-delivery.dto.js';

export class ListWebhookDeliveriesQuery extends Query<Page<WebhookDeliveryAttemptResponse>> {
  constructor(
    readonly actor: Actor,
    readonly memberId: string,
    readonly filter: WebhookDeliveriesFilter,
  ) {
    super();
  }
}

/** A member's webhook delivery attempts, newest first: its own users, or the ADMIN. */
@QueryHandler(ListWebhookDeliveriesQuery)
export class ListWebhookDeliveriesHandler implements IQueryHandler<ListWebhookDeliveriesQuery> {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async execute({ actor, memberId, filter }: ListWebhookDeliveriesQuery): Promise<Page<WebhookDeliveryAttemptResponse>> {
    assertMayManage(actor, memberId);
    const [member] = await this.db.query(`SELECT 1 FROM member WHERE id = $1`, [memberId]);
    if (!member) throw new MemberNotFoundError(memberId);
    const ok = filter.ok ?? null;
    const where = `member_id = $1 AND ($2::boolean IS NULL OR ok = $2)`;
    const [rows, [{ total }]]: [Record<string, any>[], { total: string }[]] = await Promise.all([
      this.db.query(
        `SELECT delivery_id, event_type, url_origin, attempt, attempted_at, http_status, error, duration_ms, ok
         FROM webhook_delivery_attempt WHERE ${where} ORDER BY attempted_at DESC, id DESC LIMIT $3 OFFSET $4`,
        [memberId, ok, filter.pageSize, offsetOf(filter)],
      ),
      this.db.query(`SELECT count(*) AS total FROM webhook_delivery_attempt WHERE ${where}`, [memberId, ok]),
    ]);
    return {
      items: rows.map((row) => ({
        deliveryId: row.delivery_id,
        eventType: row.event_type,
        urlOrigin: row.url_origin,
        attempt: row.attempt,
        attemptedAt: new Date(row.attempted_at).toISOString(),
        httpStatus: row.http_status,
        error: row.error,
        durationMs: row.duration_ms,
        ok: row.ok,
      })),
      total: Number(total),
      page: filter.page,
      pageSize: filter.pageSize,
    };
  }
}
