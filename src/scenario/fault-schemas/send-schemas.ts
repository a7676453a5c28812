import { z } from 'zod';
import { durationField, intField } from '../../util/unit-fields.js';

/**
 * The fields of the faults that act on the sending of messages rather than on their bodies
 * (src/faults/send-path.ts applies them between the engine and the target):
 *   retry-storm        client retries of failed sends (throttled, 5xx, …): amplification
 *   duplicate          a share of the messages sent twice
 *   reorder            a share held back and sent after later messages of the same vehicle
 *   store-and-forward  the selected vehicles go silent, then flush what they buffered in a burst
 */

export const RETRY_ON = ['throttled', '5xx', 'timeout', 'refused', 'reset'] as const;
export type RetryOn = (typeof RETRY_ON)[number];
export const BACKOFFS = ['none', 'exponential'] as const;
export type Backoff = (typeof BACKOFFS)[number];

export const retryFields = {
  attempts: intField({ title: 'Attempts', description: 'Attempts in all for a message, the first send included (2–20). Default 3.' }, 2, 20).optional(),
  backoff: z.enum(BACKOFFS, { error: `expected backoff: one of ${BACKOFFS.join(', ')}` }).meta({ description: 'none: retry at once (a retry storm); exponential: base × 2^k, capped. Default exponential.' }).optional(),
  base: durationField({ title: 'Base delay', description: 'The first retry\'s delay with exponential backoff. Default 100ms.', examples: ['100ms'] }).optional(),
  cap: durationField({ title: 'Largest delay', description: 'No retry waits longer. Default 5s.', examples: ['5s'] }).optional(),
  jitter: z.boolean({ error: 'expected jitter: true or false' }).meta({ description: 'Full jitter: each delay drawn from 0 to the backoff (seeded). Default false.' }).optional(),
  on: z.array(z.enum(RETRY_ON, { error: `expected one of ${RETRY_ON.join(', ')}` })).min(1).meta({ description: `Which outcomes are retried: ${RETRY_ON.join(', ')} (throttled: 429 and Kinesis/SQS throttling). Default [throttled, 5xx].` }).optional(),
};

export const duplicateFields = {
  delay: durationField({ title: 'Copy delay', description: 'The copy goes this long after the original. Default 0ms: right after it.', examples: ['0ms'] }, { min: 0, max: 60_000 }).optional(),
};

export const reorderFields = {
  by: intField({ title: 'Held for', description: 'A held message is sent after this many later messages of its vehicle (1–100). Default 1.' }, 1, 100).optional(),
  maxHold: durationField({ title: 'Longest hold', description: 'A held message goes at the latest after this long, even when its vehicle sent nothing since. Default 30s.', examples: ['30s'] }, { min: 1, max: 600_000 }).optional(),
};

export const storeAndForwardFields = {};

export interface RetryStormSettings {
  attempts: number;
  backoff: Backoff;
  baseMs: number;
  capMs: number;
  jitter: boolean;
  on: RetryOn[];
}

export function retrySettings(f: { attempts?: number; backoff?: Backoff; base?: number; cap?: number; jitter?: boolean; on?: RetryOn[] }): RetryStormSettings {
  return { attempts: f.attempts ?? 3, backoff: f.backoff ?? 'exponential', baseMs: f.base ?? 100, capMs: f.cap ?? 5_000, jitter: f.jitter ?? false, on: f.on ?? ['throttled', '5xx'] };
}
