import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { AppConfig } from '../../../config/app-config.js';
import { DomainEventSubscribers } from '../../audit/relay/domain-event-subscribers.js';
import { SmppLink } from '../sms/smpp-link.js';
import { CHANNEL_MESSAGE_QUEUED } from './channel-outbox.js';
import { DeliveryRecords } from './delivery-records.js';
import { CHANNEL_DELIVERIES_QUEUE, type ChannelDeliveryJob, channelJobOptions } from './queues.js';

/**
 * In the processes that run workers: a committed message becomes a delivery job (job id = the
 * record's id, so a replayed event adds nothing), and the SMPP link opens, its receipts recorded.
 */
@Injectable()
export class ChannelSubscriptions implements OnModuleInit, OnApplicationBootstrap {
  constructor(
    private readonly subscribers: DomainEventSubscribers,
    @InjectQueue(CHANNEL_DELIVERIES_QUEUE) private readonly queue: Queue<ChannelDeliveryJob>,
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly link: SmppLink,
    private readonly records: DeliveryRecords,
  ) {}

  onModuleInit(): void {
    this.subscribers.subscribe(CHANNEL_MESSAGE_QUEUED, async (event) => {
      await this.queue.add('deliver', { deliveryId: event.aggregateId }, channelJobOptions(this.config.channels, event.aggregateId));
    });
  }

  onApplicationBootstrap(): void {
    this.link.start((receipt) => this.records.recordReceipt(receipt));
  }
}
