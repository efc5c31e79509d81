import type { JobsOptions } from 'bullmq';

export const NOTIFICATIONS_QUEUE = 'notifications';
export const ESCALATIONS_QUEUE = 'escalations';
export const NOTIFICATION_SWEEPS_QUEUE = 'notification-sweeps';

export type NotificationJob =
  | { kind: 'requested'; activationId: string; memberId: string }
  | { kind: 'escalated'; requestId: string; level: number; contact: unknown }
  | { kind: 'stood-down'; requestId: string; cause: string };

export interface EscalationJob {
  requestId: string;
  level: number;
}

/** Deterministic ids: re-adding the same work while the job is kept adds nothing. */
export const jobIds = {
  requested: (activationId: string, memberId: string) => `requested-${activationId}-${memberId}`,
  escalated: (requestId: string, level: number) => `escalated-${requestId}-${level}`,
  stoodDown: (requestId: string) => `stood-down-${requestId}`,
  escalate: (requestId: string, level: number) => `escalate-${requestId}-${level}`,
};

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

export const ESCALATION_JOB_OPTIONS: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 2000 },
  removeOnComplete: { age: 24 * 3600, count: 200_000 },
  removeOnFail: { age: 14 * 24 * 3600 },
};
