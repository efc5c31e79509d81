import { Controller, Get, Headers, Param, Query as QueryParams, Req, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { ApiBearerAuth, ApiExtraModels, ApiHeader, ApiOkResponse, ApiOperation, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { sealPendingEvents } from '../../audit/persistence.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { DataSource } from 'typeorm';
import { Roles } from '../../common/auth/access.decorators.js';
import { InvalidInputError } from '../../common/errors/domain-error.js';
import { EXAMPLE_ID } from '../../common/http/openapi-examples.js';
import { ApiErrorResponse } from '../../common/http/openapi.js';
import { UuidPipe } from '../../common/http/uuid.pipe.js';
import { ActivationNotFoundError } from '../domain/crisis.errors.js';
import { ActivationEventHub } from './activation-event-hub.js';
import { ActivationEventStream, RETRY_MS } from './activation-event-stream.js';
import { GetActivationBoardQuery } from './activation-board.js';
import { EVENT_PAGE, EVENTS_OF_ACTIVATION, eventDataOf } from './activation-events.js';
import { ActivationBoardResponse, ActivationEventMessage, ActivationEventsPage, ActivationEventsQuery } from './live.dto.js';

const FOLLOWERS = ['CRISIS_OPERATOR', 'MINISTER', 'AUDITOR', 'ADMIN'] as const;

const STREAM_EXAMPLE =
  `retry: ${RETRY_MS}\n: events after #4182\n\n` +
  `id: 4183\nevent: MobilizationRequestAccepted\ndata: {"sequence":4183,"type":"MobilizationRequestAccepted","occurredAt":"2026-11-22T14:07:31.112Z",` +
  `"activationId":"${EXAMPLE_ID.activation}","aggregateType":"MobilizationRequest","aggregateId":"${EXAMPLE_ID.request}","requestId":"${EXAMPLE_ID.request}",` +
  `"memberId":"${EXAMPLE_ID.member}","memberName":"Azur Drones Intervention SAS","actorRole":"MEMBER",` +
  `"payload":{"activationId":"${EXAMPLE_ID.activation}","memberId":"${EXAMPLE_ID.member}","from":"NOTIFIED","to":"ACCEPTED","quantity":2}}\n\n` +
  `: heartbeat\n\n`;

/** A sequence number as the Last-Event-ID header or the lastEventId parameter carries it. */
const SEQUENCE = /^[0-9]{1,15}$/;

/** The live activation board: its read model, and the stream of its committed events. */
@ApiTags('crises and activations')
@ApiBearerAuth()
@ApiExtraModels(ActivationEventMessage, ActivationEventsPage)
@Controller()
export class ActivationLiveController {
  constructor(
    private readonly queries: QueryBus,
    private readonly hub: ActivationEventHub,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  @Get('activations/:id/board')
  @Roles(...FOLLOWERS)
  @ApiOperation({
    summary: 'The live board of an activation in one answer (operators, minister, auditors, ADMIN)',
    description:
      'Units asked, accepted, deployed and released per requirement; requests by status; per member its requests, their status, the ' +
      'escalation step reached, the next step (whom to call, by when) and the delivery of the notification; declines and stand-downs ' +
      'with their reasons. `asOfSequence` is the last audit sequence included: open `GET /activations/{id}/events` after it.',
  })
  @ApiOkResponse({ type: ActivationBoardResponse, description: 'The board, as of asOfSequence' })
  board(@Param('id', UuidPipe) id: string) {
    return this.queries.execute(new GetActivationBoardQuery(id));
  }

  @Get('activations/:id/events')
  @Roles(...FOLLOWERS)
  @ApiOperation({
    summary: 'The committed events of an activation as server-sent events, replayed then live (operators, minister, auditors, ADMIN)',
    description:
      'A `text/event-stream` fed by the audit log: only what committed is sent. Each message has `id:` (the audit sequence), ' +
      '`event:` (the event type) and `data:` (`ActivationEventMessage` as JSON). The stream first sends the activation\'s events after ' +
      'the sequence given by `Last-Event-ID` (or `?lastEventId=`), then the new ones as they are sealed, with no gap and no duplicate. ' +
      `A comment line comes every 15 s; \`retry: ${RETRY_MS}\` tells browsers when to reconnect (EventSource then sends Last-Event-ID itself). ` +
      'The stream is sent to a client that asks for `text/event-stream` (EventSource does); any other gets one page of the same events as JSON ' +
      '(`ActivationEventsPage`: at most 2,000 after the sequence given, and whether more follow), for a client that cannot read a stream. ' +
      'Signed in with the bearer token or the browser session cookie.',
  })
  @ApiHeader({
    name: 'Last-Event-ID',
    required: false,
    description: 'The sequence after which to resume: the id of the last message received, or the board\'s asOfSequence',
    schema: { type: 'string', pattern: '^[0-9]{1,15}$', example: '4182' },
  })
  @ApiOkResponse({
    description: `The stream, whose messages' \`data\` is an \`${ActivationEventMessage.name}\`; or, to a client that does not ask for it, one page of the events as JSON`,
    content: {
      'text/event-stream': { schema: { type: 'string' }, example: STREAM_EXAMPLE },
      'application/json': { schema: { $ref: getSchemaPath(ActivationEventsPage) } },
    },
  })
  @ApiErrorResponse(400, 'Last-Event-ID or lastEventId is not a sequence number.', {
    code: 'REQUEST.INVALID',
    message: 'Invalid request: Last-Event-ID must be a sequence number (a non-negative integer)',
  })
  async events(
    @Param('id', UuidPipe) id: string,
    @QueryParams() query: ActivationEventsQuery,
    @Headers('last-event-id') lastEventIdHeader: string | undefined,
    @Headers('accept') accept: string | undefined,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    // EventSource reconnects to the same address (its lastEventId parameter as first given) with the header of the last message received: the header wins.
    const given = lastEventIdHeader?.trim() || query.lastEventId;
    if (given !== undefined && !SEQUENCE.test(given)) throw InvalidInputError.field('Last-Event-ID', 'must be a sequence number (a non-negative integer)');
    const [activation] = await this.db.query(`SELECT id FROM activation WHERE id = $1`, [id]);
    if (!activation) throw new ActivationNotFoundError(id);
    const after = given === undefined ? 0 : Number(given);
    if (!asksForEventStream(accept)) {
      void reply.send(await this.page(id, after));
      return;
    }

    reply.hijack();
    const raw = reply.raw;
    // The stream stays open as long as the client wants it: the heartbeat, not a socket timeout, finds dead peers.
    request.raw.socket?.setTimeout(0);
    const stream = new ActivationEventStream(raw, after);
    stream.open({ 'x-request-id': String(request.id) });
    let unsubscribe: (() => void) | undefined;
    const release = () => {
      stream.gone();
      unsubscribe?.();
    };
    raw.once('close', release);
    try {
      // Subscribed before the replay reads: whatever seals meanwhile is kept, then sent once.
      unsubscribe = await this.hub.subscribe(id, stream);
      if (stream.isClosed) return unsubscribe();
      await stream.replay((after) => this.hub.eventsAfter(id, after), EVENT_PAGE);
    } catch {
      // Headers are gone already: the stream ends, and the client reconnects and resumes.
      stream.close();
      release();
    }
  }

  /** One page of the events after a sequence, for a client that does not read streams. */
  private async page(activationId: string, after: number): Promise<ActivationEventsPage> {
    await sealPendingEvents(this.db);
    const rows: Record<string, any>[] = await this.db.query(EVENTS_OF_ACTIVATION, [activationId, after, EVENT_PAGE + 1]);
    const items = rows.slice(0, EVENT_PAGE).map(eventDataOf);
    return { activationId, items, lastSequence: items.at(-1)?.sequence ?? after, more: rows.length > EVENT_PAGE };
  }
}

/** Only a client that names the stream gets it; any other (curl, a plain fetch: "any type") gets an answer that ends. */
function asksForEventStream(accept: string | undefined): boolean {
  return (accept ?? '').split(',').some((part) => part.split(';')[0].trim().toLowerCase() === 'text/event-stream');
}
