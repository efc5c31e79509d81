import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter as BullBoardFastifyAdapter } from '@bull-board/fastify';
import { BullModule, getQueueToken } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Queue } from 'bullmq';
import { DOMAIN_EVENTS_QUEUE } from '../audit/relay/queues.js';
import { actorFromAuthorization } from '../common/auth/access.guard.js';
import { ForbiddenError } from '../common/errors/domain-error.js';
import { toErrorResponse } from '../common/errors/error-response.js';
import { IDEMPOTENCY_PURGE_QUEUE } from '../common/idempotency/idempotency-purge.processor.js';
import { CONVENTION_CALENDAR_QUEUE } from '../conventions/jobs/convention-calendar.processor.js';
import { ESCALATIONS_QUEUE, NOTIFICATION_SWEEPS_QUEUE, NOTIFICATIONS_QUEUE } from '../crisis/notifications/queues.js';

/** Outside the API prefix, like /health: a page for people, not part of the API contract. */
export const QUEUE_DASHBOARD_ROUTE = '/admin/queues';

const QUEUES = [DOMAIN_EVENTS_QUEUE, NOTIFICATIONS_QUEUE, ESCALATIONS_QUEUE, NOTIFICATION_SWEEPS_QUEUE, CONVENTION_CALENDAR_QUEUE, IDEMPOTENCY_PURGE_QUEUE];

/** Every queue of the service, registered here too so that an API process without workers shows them all. */
@Module({ imports: [BullModule.registerQueue(...QUEUES.map((name) => ({ name })))], exports: [BullModule] })
export class QueueDashboardModule {}

/**
 * Bull Board over every queue (on Redis or on PostgreSQL alike), for ADMINs: waiting, delayed
 * and failed jobs with their data, retries by hand. It is a Fastify plugin, outside Nest's
 * guards: a hook applies the same bearer token check and answers in the API's one error shape.
 */
export function mountQueueDashboard(app: NestFastifyApplication): void {
  const serverAdapter = new BullBoardFastifyAdapter();
  serverAdapter.setBasePath(QUEUE_DASHBOARD_ROUTE);
  createBullBoard({
    queues: QUEUES.map((name) => new BullMQAdapter(app.get<Queue>(getQueueToken(name), { strict: false }))),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'Renfort queues' } },
  });

  const fastify = app.getHttpAdapter().getInstance();
  const jwt = app.get(JwtService);
  fastify.addHook('onRequest', async (request, reply) => {
    const path = request.url.split('?')[0];
    if (path !== QUEUE_DASHBOARD_ROUTE && !path.startsWith(`${QUEUE_DASHBOARD_ROUTE}/`)) return;
    try {
      const actor = await actorFromAuthorization(jwt, request.headers.authorization);
      if (actor.role !== 'ADMIN') throw new ForbiddenError('AUTH.ROLE_NOT_ALLOWED', `The ${actor.role} role may not open the queue dashboard`);
    } catch (error) {
      const body = toErrorResponse(error);
      return reply.code(body.statusCode).header('content-type', 'application/json; charset=utf-8').send(body);
    }
  });
  void fastify.register(serverAdapter.registerPlugin() as never, { prefix: QUEUE_DASHBOARD_ROUTE });
}
