import { z } from 'zod';
import { durationField, intField } from '../util/unit-fields.js';

/** The scenario's `probes:` block, resolved (ms). */
export interface ProbesConfig {
  /** How long probes keep reading after the load ends; ends early once every accepted message is seen or lost. */
  drainMs: number;
  /** Sequence numbers per vehicle the delivery matcher keeps (a power of two). */
  window: number;
  /** What reads the pipeline's output: `auto` is the sandbox's /output when the target is the sandbox, else none. */
  output: 'auto' | 'none' | 'sandbox';
  /** Whose dead-letter queue depth is sampled: `auto` is the sandbox's when the target is the sandbox, else none. */
  dlq: 'auto' | 'none' | 'sandbox';
}

export const DEFAULT_DRAIN_MS = 30_000;
export const DEFAULT_WINDOW = 64;
export const DEFAULT_PROBES: ProbesConfig = { drainMs: DEFAULT_DRAIN_MS, window: DEFAULT_WINDOW, output: 'auto', dlq: 'auto' };

const POWERS_OF_TWO = [8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096];

/** `probes: { drain, window, output, dlq }`: what rushhour reads from the pipeline besides the target's answers. */
export const probesSchema = z
  .strictObject({
    drain: durationField({ title: 'Drain', description: 'How long probes keep reading after the load ends; ends early once every accepted message was seen (or counted lost). Default 30s.', examples: ['30s'], default: '30s' }, { min: 0, max: 3_600_000 }).optional(),
    window: intField({ title: 'Matcher window', description: `Sequence numbers per vehicle the delivery matcher keeps (${POWERS_OF_TWO.join(', ')}). A message not seen before ${DEFAULT_WINDOW} later messages of its vehicle were sent or seen counts as lost. Default ${DEFAULT_WINDOW}.`, default: DEFAULT_WINDOW }, 8, 4096)
      .refine((w) => POWERS_OF_TWO.includes(w), { error: `expected a power of two: ${POWERS_OF_TWO.join(', ')}` })
      .optional(),
    output: z.enum(['auto', 'none', 'sandbox']).meta({ title: 'Output consumer', description: 'auto (default): the sandbox\'s /output when the target is the sandbox; none: no delivery checks.', default: 'auto' }).optional(),
    dlq: z.enum(['auto', 'none', 'sandbox']).meta({ title: 'Dead-letter queue depth', description: 'auto (default): the sandbox\'s DLQ when the target is the sandbox; none: not sampled.', default: 'auto' }).optional(),
  })
  .meta({ title: 'Probes', description: 'Observers of the pipeline beside the load: what came out the other end (lost, duplicated, reordered, end-to-end latency) and the DLQ depth.' })
  .transform((p): ProbesConfig => ({ drainMs: p.drain ?? DEFAULT_DRAIN_MS, window: p.window ?? DEFAULT_WINDOW, output: p.output ?? 'auto', dlq: p.dlq ?? 'auto' }));
