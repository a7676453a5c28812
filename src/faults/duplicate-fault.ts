import type { FaultConfig } from '../scenario/faults-schema.js';
import type { FaultRunContext, RunFault } from './message-fault.js';
import { faultSalt } from './selection.js';
import { Examples, jobPicker, stageFault, Tally } from './send-fault-parts.js';
import type { SendJob } from './send-job.js';
import { RANK, type SendPath, type SendStage } from './send-path.js';

export type DuplicateConfig = Extract<FaultConfig, { kind: 'duplicate' }>;

/**
 * The `duplicate` fault: while active, each picked message is sent twice — the copy is a second
 * send of the same message (same id, body and sentAt) through the path under a slot of the
 * path's own, right after the original or `delayMs` later (on the run's clock). The engine never
 * sees the copy's outcome (counted here apart, by class); the delivery tracker was told `sent`
 * once, so the consumer counts the copy as a duplicate.
 * - stop: no new copies; copies still waiting for their delay go now (nothing is left on a timer).
 * - the engine's flush: the same. Effect: `messages` = messages copied.
 */
export function duplicateFault(cfg: DuplicateConfig, ctx: FaultRunContext, path: SendPath): RunFault {
  const picks = jobPicker(cfg.select, faultSalt(ctx.seed, cfg.name), ctx);
  const examples = new Examples();
  const copyOutcomes = new Tally();
  const delayed = new Map<unknown, SendJob>();
  let copied = 0;
  let copiesSent = 0;
  let sentEarly = 0;

  const copyEnd = (outcome: string): void => copyOutcomes.add(outcome);
  const sendCopy = (job: SendJob): void => {
    copiesSent++;
    path.sendCopy(job.msg, job.traceparent, copyEnd);
  };
  const sendDelayedNow = (): void => {
    for (const [timer, job] of [...delayed]) {
      ctx.clock.clearTimer(timer);
      delayed.delete(timer);
      sentEarly++;
      sendCopy(job);
    }
  };
  const stage: SendStage = {
    order: path.orderFor(RANK.duplicate),
    sent: (job) => {
      if (!picks(job)) return;
      copied++;
      examples.add(job.msg.messageId);
      if (cfg.delayMs <= 0) return sendCopy(job);
      const timer: unknown = ctx.clock.setTimer(() => {
        delayed.delete(timer);
        sendCopy(job);
      }, cfg.delayMs);
      delayed.set(timer, job);
    },
    flush: sendDelayedNow,
  };
  return stageFault(cfg, path, stage, {
    onStop: sendDelayedNow,
    effect: () => ({
      messages: copied, examples: [...examples.ids],
      details: { delayMs: cfg.delayMs, copies: copiesSent, copiesAnswered: copyOutcomes.total, copyOutcomes: copyOutcomes.toJSON(), copiesSentEarly: sentEarly },
    }),
  });
}
