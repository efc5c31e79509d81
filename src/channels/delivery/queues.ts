import type { JobsOptions } from 'bullmq';

export const CHANNEL_DELIVERIES_QUEUE = 'channel-deliveries';

/** One job per message: its id is the delivery record's, so a message is queued once whatever replays it. */
export interface ChannelDeliveryJob {
  deliveryId: string;
}

/** Exponential backoff with jitter; kept a day when done, two weeks when failed for good (the failed set is the dead letters). */
export function channelJobOptions(settings: { attempts: number; backoffMs: number }, deliveryId: string): JobsOptions {
  return {
    jobId: deliveryId,
    attempts: settings.attempts,
    backoff: { type: 'exponential', delay: settings.backoffMs, jitter: 0.5 },
    removeOnComplete: { age: 24 * 3600, count: 100_000 },
    removeOnFail: { age: 14 * 24 * 3600 },
  };
}
