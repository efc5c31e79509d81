import { createHash } from 'node:crypto';
import type { JobsOptions } from 'bullmq';

export const NOTIFICATIONS_QUEUE = 'notifications';
export const NOTIFICATION_SWEEPS_QUEUE = 'notification-sweeps';

export type NotificationJob =
  | { kind: 'requested'; activationId: string; memberId: string; webhookVersion?: string }
  | EscalationNoticesJob
  | StandDownNoticesJob
  | { kind: 'deployment-overdue'; requestId: string; deployDeadline: string };

/**
 * Notices to one member, one POST per request (each its own delivery id), in one job. `posted`:
 * the requests whose notice its member already took, recorded when an attempt fails, so that the
 * retry posts only the others.
 */
interface NoticesJob {
  memberId: string;
  requestIds: string[];
  posted?: string[];
}

/** The member's requests that reached the step `level` of their chain. */
export interface EscalationNoticesJob extends NoticesJob {
  kind: 'escalated';
  level: number;
}

/** The member's requests of one activation stood down for one cause. */
export interface StandDownNoticesJob extends NoticesJob {
  kind: 'stood-down';
  activationId: string;
  cause: string;
}

/**
 * Deterministic ids: re-adding the same work while the job is kept adds nothing. A delivery's
 * id carries the version of the member's webhook (address and secret), so a member that fixes
 * or rotates its webhook gets its undelivered requests once more, once.
 */
export const jobIds = {
  requested: (activationId: string, memberId: string, webhookVersion: string) => `requested-${activationId}-${memberId}-${webhookVersion}`,
  /** `first` and `last`: the sequences of the first and last events the notices come from (each event is in one job). */
  escalated: (memberId: string, level: number, first: number, last: number) => `escalated-${memberId}-${level}-${first}-${last}`,
  stoodDown: (memberId: string, first: number, last: number) => `stood-down-${memberId}-${first}-${last}`,
  deploymentOverdue: (requestId: string) => `deployment-overdue-${requestId}`,
};

/** The version of a member's webhook: changes with its address or its secret; `poll` without one. */
export function webhookVersion(url: string | null, secret: string | null): string {
  if (!url) return 'poll';
  return createHash('sha256').update(`${url}\n${secret ?? ''}`).digest('hex').slice(0, 16);
}

/**
 * Webhook deliveries: exponential backoff with jitter (by default 8 attempts from 1 s, about
 * four minutes of retries in all).
 */
export function notificationJobOptions(webhook: { attempts: number; backoffMs: number }): JobsOptions {
  return {
    attempts: webhook.attempts,
    backoff: { type: 'exponential', delay: webhook.backoffMs, jitter: 0.5 },
    removeOnComplete: { age: 24 * 3600, count: 200_000 },
    removeOnFail: { age: 14 * 24 * 3600 },
  };
}

export const ALERTS_QUEUE = 'alerts';

/** The messages of one alert to one person, composed once its requests are gathered. */
export interface AlertJob {
  alertId: string;
}

/** One job per alert (its id is the alert's): replays and sweeps add nothing. */
export function alertJobOptions(alertId: string, delayMs: number): JobsOptions {
  return {
    jobId: `alert-${alertId}`,
    delay: delayMs,
    attempts: 8,
    backoff: { type: 'exponential', delay: 1000, jitter: 0.5 },
    removeOnComplete: { age: 24 * 3600, count: 200_000 },
    removeOnFail: { age: 14 * 24 * 3600 },
  };
}
