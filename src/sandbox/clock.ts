import { performance } from 'node:perf_hooks';

/**
 * Time inside the sandbox: `now()` is monotonic milliseconds (float) and drives the whole model;
 * `toEpochMs(t)` turns such an instant into wall-clock epoch ms for what leaves the process
 * (output and DLQ timestamps), comparable with the `sentAt` the client put in a message.
 */
export interface SandboxClock {
  now(): number;
  toEpochMs(t: number): number;
}

export const systemSandboxClock: SandboxClock = {
  now: () => performance.now(),
  toEpochMs: (t) => performance.timeOrigin + t,
};
