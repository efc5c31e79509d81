import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { Clock } from '../../common/time/clock.js';
import { ESCALATION_JOB_OPTIONS, ESCALATIONS_QUEUE, type EscalationJob, jobIds } from './queues.js';

/** Delayed escalation jobs, one per request and level, at its deadline; re-adding one adds nothing. */
@Injectable()
export class EscalationScheduler {
  constructor(
    @InjectQueue(ESCALATIONS_QUEUE) private readonly queue: Queue<EscalationJob>,
    private readonly clock: Clock,
  ) {}

  async schedule(escalations: { requestId: string; level: number; at: string }[]): Promise<void> {
    if (escalations.length === 0) return;
    const now = this.clock.now().getTime();
    await this.queue.addBulk(
      escalations.map(({ requestId, level, at }) => ({
        name: 'escalate',
        data: { requestId, level },
        opts: { ...ESCALATION_JOB_OPTIONS, jobId: jobIds.escalate(requestId, level), delay: Math.max(0, new Date(at).getTime() - now) },
      })),
    );
  }
}
