import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { AppConfig } from '../../../config/app-config.js';
import { SEAL_BATCH } from '../../audit/persistence.js';
import { Backends } from '../../common/backends.js';
import { EVENT_PAGE, EVENTS_OF_ACTIVATION, EVENTS_OF_ACTIVATIONS, type LiveEvent, liveEventOf } from './activation-events.js';

/** The channel the audit log announces its sealed events on (migration 1795301880000). */
export const SEALED_EVENTS_CHANNEL = 'audit_event_sealed';

/** A comment line every 15 s keeps proxies and browsers from closing a quiet stream. */
export const HEARTBEAT_MS = 15_000;

const RECONNECT_MS = 1000;

/** Where the hub hands the events of one activation: an open stream. */
export interface EventSink {
  deliver(events: LiveEvent[]): void;
  heartbeat(): void;
  close(): void;
}

export interface HubStats {
  streams: number;
  activations: number;
  /** Reads of the log for live batches since the process started, however many streams they fed. */
  liveReads: number;
  listening: boolean;
}

/**
 * The live side of the activation streams, one per process. One connection LISTENs to the
 * announcements of sealed events (any process, any instance seals: the relay, a reader, or this
 * hub); on each, one read of the log takes every new event of every activation watched here,
 * in sequence order, and hands each to the open streams of its activation. However many browsers
 * follow an activation, a batch of events costs one read, formatted once.
 *
 * Events are sealed into the chain by whoever comes first; while streams are open the hub seals
 * too, at the relay's interval, so that a process without workers stays live on its own.
 */
@Injectable()
export class ActivationEventHub implements OnModuleDestroy {
  private readonly logger = new Logger(ActivationEventHub.name);
  private readonly sinks = new Map<string, Set<EventSink>>();
  private listener: pg.Client | null = null;
  private connecting: Promise<void> | null = null;
  /** Every event up to this sequence was read for the streams open at the time. */
  private cursor = 0;
  /** The highest sequence announced so far. */
  private announced = 0;
  private reading: Promise<void> | null = null;
  private liveReads = 0;
  private sealTimer: NodeJS.Timeout | undefined;
  private sealing = false;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly backends: Backends,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /** Hands the activation's events sealed from now on to the sink, until the returned function is called. */
  async subscribe(activationId: string, sink: EventSink): Promise<() => void> {
    await this.listen();
    const set = this.sinks.get(activationId) ?? new Set<EventSink>();
    set.add(sink);
    this.sinks.set(activationId, set);
    this.startTimers();
    let subscribed = true;
    return () => {
      if (!subscribed) return;
      subscribed = false;
      set.delete(sink);
      if (set.size === 0 && this.sinks.get(activationId) === set) this.sinks.delete(activationId);
      if (this.sinks.size === 0) this.stopTimers();
    };
  }

  /** The activation's events after a sequence, in order, at most one page: what a stream replays. */
  async eventsAfter(activationId: string, after: number): Promise<LiveEvent[]> {
    const rows: Record<string, any>[] = await this.db.query(EVENTS_OF_ACTIVATION, [activationId, after, EVENT_PAGE]);
    return rows.map(liveEventOf);
  }

  stats(): HubStats {
    let streams = 0;
    for (const set of this.sinks.values()) streams += set.size;
    return { streams, activations: this.sinks.size, liveReads: this.liveReads, listening: this.listener !== null };
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    this.stopTimers();
    // Open streams would keep the HTTP server from closing: they end, and their clients reconnect elsewhere.
    for (const set of this.sinks.values()) for (const sink of set) sink.close();
    this.sinks.clear();
    await this.reading;
    const listener = this.listener;
    this.listener = null;
    await listener?.end().catch(() => undefined);
  }

  private listen(): Promise<void> {
    if (this.listener) return Promise.resolve();
    this.connecting ??= this.connect().finally(() => (this.connecting = null));
    return this.connecting;
  }

  private async connect(): Promise<void> {
    const client = new pg.Client(
      this.backends.embedded
        ? this.backends.embedded.clientOptions()
        : { connectionString: this.config.databaseUrl!, application_name: 'renfort-live-events' },
    );
    client.on('notification', (message) => {
      if (message.channel === SEALED_EVENTS_CHANNEL) this.announce(Number(message.payload));
    });
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, new Error('connection ended')));
    await client.connect();
    try {
      await client.query(`LISTEN ${SEALED_EVENTS_CHANNEL}`);
      // Listening from here on: what was sealed before, a stream replays from the log itself.
      const [{ last }] = await this.db.query(`SELECT coalesce(max(sequence), 0)::bigint AS last FROM audit_event`);
      if (this.cursor === 0) this.cursor = Number(last);
      this.listener = client;
      // After a reconnection, announcements may have been missed: read up to the head.
      this.announce(Number(last));
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
  }

  /** The listening connection was lost: listen again, and catch up from the cursor. */
  private lost(client: pg.Client, error: Error): void {
    if (this.listener !== client) return;
    this.listener = null;
    if (this.stopped) return;
    this.logger.warn(`ActivationEventHub: listening connection lost (${error.message}); listening again`);
    const retry = () => {
      if (this.stopped || this.sinks.size === 0) return;
      this.listen().catch((failure: Error) => {
        this.logger.warn(`ActivationEventHub: cannot listen (${failure.message}); retrying`);
        setTimeout(retry, RECONNECT_MS).unref();
      });
    };
    retry();
  }

  private announce(sequence: number): void {
    if (!Number.isFinite(sequence) || sequence <= this.announced) return;
    this.announced = sequence;
    // Announcements that arrive during a read are taken by the next one: a burst costs a few reads, not one each.
    this.reading ??= this.readAnnounced().finally(() => (this.reading = null));
  }

  private async readAnnounced(): Promise<void> {
    while (this.announced > this.cursor && !this.stopped) {
      const upTo = this.announced;
      const activations = [...this.sinks.keys()];
      try {
        let after = this.cursor;
        while (activations.length > 0) {
          const rows: Record<string, any>[] = await this.db.query(EVENTS_OF_ACTIVATIONS, [activations, after, upTo, EVENT_PAGE]);
          this.liveReads += 1;
          this.hand(rows.map(liveEventOf));
          if (rows.length < EVENT_PAGE) break;
          after = Number(rows[rows.length - 1].sequence);
        }
        this.cursor = upTo;
      } catch (error) {
        this.logger.warn(`ActivationEventHub: cannot read events after #${this.cursor} (${(error as Error).message}); retrying`);
        await new Promise((resolve) => setTimeout(resolve, RECONNECT_MS).unref());
      }
    }
  }

  private hand(events: LiveEvent[]): void {
    const byActivation = new Map<string, LiveEvent[]>();
    for (const event of events) {
      const list = byActivation.get(event.activationId) ?? [];
      list.push(event);
      byActivation.set(event.activationId, list);
    }
    for (const [activationId, list] of byActivation) {
      for (const sink of this.sinks.get(activationId) ?? []) sink.deliver(list);
    }
  }

  private startTimers(): void {
    if (!this.heartbeatTimer) {
      this.heartbeatTimer = setInterval(() => {
        for (const set of this.sinks.values()) for (const sink of set) sink.heartbeat();
      }, HEARTBEAT_MS);
      this.heartbeatTimer.unref();
    }
    if (!this.sealTimer) {
      this.sealTimer = setInterval(() => void this.seal(), this.config.relay.intervalMs);
      this.sealTimer.unref();
    }
  }

  private stopTimers(): void {
    clearInterval(this.heartbeatTimer);
    clearInterval(this.sealTimer);
    this.heartbeatTimer = undefined;
    this.sealTimer = undefined;
  }

  /** Seals what commands recorded (nothing to do, no lock taken, when nothing waits); the trigger announces it. */
  private async seal(): Promise<void> {
    if (this.sealing) return;
    this.sealing = true;
    try {
      await this.db.query(`SELECT audit_seal_pending($1)`, [SEAL_BATCH]);
    } catch (error) {
      this.logger.debug(`ActivationEventHub: sealing failed (${(error as Error).message})`);
    } finally {
      this.sealing = false;
    }
  }
}
