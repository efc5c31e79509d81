import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Queue } from 'bullmq';
import { AppConfig } from '../../../config/app-config.js';
import { ChannelSenders } from '../../channels/delivery/channel-senders.js';
import { CHANNEL_DELIVERIES_QUEUE, type ChannelDeliveryJob, channelJobOptions } from '../../channels/delivery/queues.js';
import { type ComposedAlert, ComposeAlertCommand } from './compose-alert.js';
import { GatherAlertsCommand } from './gather-alerts.js';
import { ALERTS_QUEUE, type AlertJob, alertJobOptions } from './queues.js';

/**
 * Alerts the people of a step: its requests gathered on their persons' alerts, then one job per
 * alert composes its messages. The first step's requests come together (one delivery job per
 * member and activation): composed at once, in the caller's job (a failure leaves the alert to a
 * job of its own; the sweeper queues one for an alert left uncomposed). Escalations come a step level at a
 * time, every request a sweep moved to it, but a person's requests may reach their step over a few sweeps (their
 * deadlines ran from deliveries seconds apart; a directorate contact is on many members' chains): composed after a short gathering window
 * (ALERT_GATHER_MS), so that a person gets one alert listing them all. Without any channel to
 * people configured, nobody is alerted this way (webhooks only).
 */
@Injectable()
export class AlertScheduler {
  constructor(
    private readonly commands: CommandBus,
    @InjectQueue(ALERTS_QUEUE) private readonly queue: Queue<AlertJob>,
    @InjectQueue(CHANNEL_DELIVERIES_QUEUE) private readonly deliveries: Queue<ChannelDeliveryJob>,
    private readonly senders: ChannelSenders,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  async alert(requestIds: string[], level: number, gather: boolean): Promise<number> {
    if (!this.senders.configured('email') && !this.senders.configured('sms')) return 0;
    const alertIds = await this.commands.execute(new GatherAlertsCommand(requestIds, level));
    if (alertIds.length === 0) return 0;
    if (gather) {
      const delay = this.config.channels.alertGatherMs;
      await this.queue.addBulk(alertIds.map((alertId) => ({ name: 'compose', data: { alertId }, opts: alertJobOptions(alertId, delay) })));
      return alertIds.length;
    }
    for (const alertId of alertIds) {
      let composed: ComposedAlert | null;
      try {
        composed = await this.commands.execute(new ComposeAlertCommand(alertId));
      } catch {
        await this.queue.add('compose', { alertId }, alertJobOptions(alertId, 0));
        continue;
      }
      if (composed) await this.queueDeliveries(composed);
    }
    return alertIds.length;
  }

  /**
   * The messages of a composed alert, queued as soon as they are committed rather than behind every
   * event of the fan-out in the relay: the job id is the message's, so the relay's own add of the
   * same message, later, adds nothing.
   */
  async queueDeliveries(composed: ComposedAlert): Promise<void> {
    if (composed.deliveries.length === 0) return;
    await this.deliveries.addBulk(composed.deliveries.map(({ id }) => ({
      name: 'deliver', data: { deliveryId: id }, opts: channelJobOptions(this.config.channels, id),
    })));
  }
}
