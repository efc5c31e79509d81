import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { Clock } from '../../common/time/clock.js';
import { ESCALATION_JOB_OPTIONS, ESCALATIONS_QUEUE, type EscalationJob, jobIds } from './queues.js';

/**
 * Delayed jobs at acknowledgement deadlines: one per request and escalation level. Re-adding one
 * adds nothing. (Deployment deadlines are swept, see NotificationSweeper.)
 */
@Injectable()
export class EscalationScheduler {
  constructor(
    @InjectQueue(ESCALATIONS_QUEUE) private readonly queue: Queue<EscalationJob>,
    private readonly clock: Clock,
  ) {}

  async schedule(escalations: { requestId: string; level: number; at: string }[]): Promise<void> {
    if (escalations.length === 0) return;
    await this.queue.addBulk(
      escalations.map(({ requestId, level, at }) => ({
        name: 'escalate',
        data: { kind: 'escalate' as const, requestId, level },
        opts: { ...ESCALATION_JOB_OPTIONS, jobId: jobIds.escalate(requestId, level), delay: this.delayUntil(at) },
      })),
    );
  }

  private delayUntil(at: string): number {
    return Math.max(0, new Date(at).getTime() - this.clock.now().getTime());
  }
}
