import { z } from 'zod';

/**
 * The scenario's `sandbox:` block. Placeholder until the sandbox model lands (issue #4):
 * it accepts an empty object only, so unknown keys are still errors.
 */
export const sandboxParamsSchema = z.object({}).strict();
export type SandboxParams = z.infer<typeof sandboxParamsSchema>;
