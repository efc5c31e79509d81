import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter as BullBoardFastifyAdapter } from '@bull-board/fastify';
import { BullModule, getQueueToken, WorkerHost } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import { JwtService } from '@nestjs/jwt';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Queue } from 'bullmq';
import { STATUS_CODES } from 'node:http';
import { AppConfig } from '../../config/app-config.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AuditModule } from '../audit/audit.module.js';
import { DOMAIN_EVENTS_QUEUE } from '../audit/relay/queues.js';
import { TokenRevocation } from '../common/auth/token-revocation.js';
import { actorFromRequest } from '../common/auth/access.guard.js';
import type { Actor } from '../common/auth/role.js';
import { ForbiddenError } from '../common/errors/domain-error.js';
import { toErrorResponse } from '../common/errors/error-response.js';
import { IDEMPOTENCY_PURGE_QUEUE } from '../common/idempotency/idempotency-purge.processor.js';
import { CONVENTION_CALENDAR_QUEUE } from '../conventions/jobs/convention-calendar.processor.js';
import { NOTIFICATION_SWEEPS_QUEUE, NOTIFICATIONS_QUEUE } from '../crisis/notifications/queues.js';
import { RecordQueueOperationCommand, RecordQueueOperationHandler } from './commands/record-queue-operation.js';

/** Outside the API prefix, like /health: a page for people, not part of the API contract. */
export const QUEUE_DASHBOARD_ROUTE = '/admin/queues';

const QUEUES = [DOMAIN_EVENTS_QUEUE, NOTIFICATIONS_QUEUE, NOTIFICATION_SWEEPS_QUEUE, CONVENTION_CALENDAR_QUEUE, IDEMPOTENCY_PURGE_QUEUE];

/**
 * Dashboard routes that would put data of the ADMIN's choosing into a job: the worker would
 * then act on it, sign it and deliver it to a member as if the service had decided it. Jobs
 * are made by the service only.
 */
const FORGING_ROUTES = new Set([
  'POST /api/queues/:queueName/add',
  'PATCH /api/queues/:queueName/:jobId/update-data',
  'PATCH /api/queues/:queueName/job-schedulers/:schedulerId',
]);

/** Every queue of the service, registered here too so that an API process without workers shows them all. */
@Module({
  imports: [AuditModule, BullModule.registerQueue(...QUEUES.map((name) => ({ name })))],
  providers: [RecordQueueOperationHandler],
  exports: [BullModule],
})
export class QueueDashboardModule {}

/**
 * On BullMQ's PostgreSQL backend (the embedded mode) workers cannot be listed from the server
 * as Redis lists its clients, and the board would show a queue as unworked while it is worked.
 * That mode runs every worker in this process, so the process itself answers.
 */
class InProcessWorkersAdapter extends BullMQAdapter {
  constructor(
    queue: Queue,
    private readonly runningHere: () => WorkerHost[],
  ) {
    super(queue);
  }

  override async getWorkers() {
    const startedAt = process.uptime();
    return this.runningHere()
      .map((host) => host.worker)
      .filter((worker) => worker.name === this.getQueueName() && worker.isRunning())
      .map((worker) => ({ id: worker.id, name: worker.name, addr: `process ${process.pid}`, age: Math.round(startedAt) }));
  }
}

type DashboardRequest = FastifyRequest & { actor?: Actor };

function refuse(reply: FastifyReply, error: unknown): FastifyReply {
  const body = toErrorResponse(error);
  return reply.code(body.statusCode).header('content-type', 'application/json; charset=utf-8').send(body);
}

/** An answer of the board's own with an error status, rewritten in the API's one error shape unless it is already. */
function inErrorShape(reply: FastifyReply, payload: unknown): unknown {
  let parsed: Record<string, unknown> | null = null;
  try {
    parsed = typeof payload === 'string' ? JSON.parse(payload) : null;
  } catch {
    parsed = null;
  }
  if (parsed && typeof parsed.code === 'string' && parsed.statusCode === reply.statusCode) return payload;
  const said = parsed?.error ?? parsed?.message;
  const body = {
    statusCode: reply.statusCode,
    error: STATUS_CODES[reply.statusCode] ?? 'Error',
    code: `QUEUE_DASHBOARD.${reply.statusCode}`,
    message: typeof said === 'string' && reply.statusCode < 500 ? said : (STATUS_CODES[reply.statusCode] ?? 'Error'),
  };
  void reply.header('content-type', 'application/json; charset=utf-8');
  return JSON.stringify(body);
}

/** The dashboard route as declared (without the mount prefix), from what the router matched. */
function matchedRoute(request: FastifyRequest): string {
  const url = request.routeOptions.url ?? '';
  return url.startsWith(QUEUE_DASHBOARD_ROUTE) ? url.slice(QUEUE_DASHBOARD_ROUTE.length) || '/' : url;
}

/** `retry`, `clean`, `pause`...: the route's last literal segment names the operation. */
function operationOf(route: string): string {
  const literal = route.split('/').filter((segment) => segment && !segment.startsWith(':'));
  return literal.at(-1) ?? route;
}

/**
 * Bull Board over every queue (on Redis or on PostgreSQL alike), for ADMINs: waiting, delayed
 * and failed jobs with their data, retries by hand. It is a Fastify plugin, outside Nest's
 * guards, so it is mounted inside a scope of its own whose hooks run for the routes the router
 * matched there, whatever the spelling of the path (percent-encoded letters included): access is
 * never decided on the raw URL. Writes are recorded in the audit log before they act; writes that
 * would forge a job's data are refused.
 */
export function mountQueueDashboard(app: NestFastifyApplication): void {
  const serverAdapter = new BullBoardFastifyAdapter();
  serverAdapter.setBasePath(QUEUE_DASHBOARD_ROUTE);
  const queueOf = (name: string) => app.get<Queue>(getQueueToken(name), { strict: false });
  const discovery = app.get(DiscoveryService);
  const workersHere = () =>
    discovery.getProviders().flatMap((wrapper) => (wrapper.instance instanceof WorkerHost ? [wrapper.instance as WorkerHost] : []));
  const queuesOnPostgres = app.get(AppConfig).redisUrl === null;
  createBullBoard({
    queues: QUEUES.map((name) => (queuesOnPostgres ? new InProcessWorkersAdapter(queueOf(name), workersHere) : new BullMQAdapter(queueOf(name)))),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'Renfort queues' } },
  });

  const jwt = app.get(JwtService);
  const revocation = app.get(TokenRevocation);
  const commands = app.get(CommandBus);
  const fastify = app.getHttpAdapter().getInstance();

  void fastify.register(async (scope: FastifyInstance) => {
    scope.addHook('onRequest', async (request: DashboardRequest, reply) => {
      try {
        // A write's caller was already verified before its body was read (app.factory.ts): not twice.
        const actor = request.actor ?? (await actorFromRequest(jwt, revocation, request));
        if (actor.role !== 'ADMIN') throw new ForbiddenError('AUTH.ROLE_NOT_ALLOWED', `The ${actor.role} role may not open the queue dashboard`);
        if (actor.enrolmentPending) throw new ForbiddenError('AUTH.MFA_ENROLMENT_REQUIRED', 'Enrol a second factor before opening the queue dashboard');
        request.actor = actor;
      } catch (error) {
        return refuse(reply, error);
      }
    });

    scope.addHook('preHandler', async (request: DashboardRequest, reply) => {
      if (request.method === 'GET' || request.method === 'HEAD') return;
      const route = matchedRoute(request);
      const params = { ...(request.params as Record<string, string>) };
      try {
        await commands.execute(
          new RecordQueueOperationCommand(request.actor!, {
            operation: operationOf(route),
            method: request.method,
            route,
            queueName: params.queueName ?? null,
            jobId: params.jobId ?? null,
            params,
            query: { ...(request.query as Record<string, unknown>) },
          }),
        );
        if (FORGING_ROUTES.has(`${request.method} ${route}`)) {
          throw new ForbiddenError('QUEUE_DASHBOARD.JOB_DATA_REFUSED', 'Jobs and their data are made by the service only: adding a job or changing its data by hand is refused');
        }
      } catch (error) {
        return refuse(reply, error);
      }
    });

    // The page names web fonts on another host: removed, the page loads nothing from elsewhere.
    // The board's own refusals (an unknown queue or job) leave in the API's one error shape.
    scope.addHook('onSend', async (_request, reply, payload) => {
      const type = String(reply.getHeader('content-type') ?? '');
      if (reply.statusCode >= 400) return inErrorShape(reply, payload);
      if (!type.includes('text/html') || typeof payload !== 'string') return payload;
      return payload.replace(/<link\b[^>]*\bhref="(?:https?:)?\/\/[^"]*"[^>]*>\s*/gi, '');
    });

    await scope.register(serverAdapter.registerPlugin() as never, { prefix: QUEUE_DASHBOARD_ROUTE });
  });
}
