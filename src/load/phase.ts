/**
 * A phase of the load profile, resolved: every duration in milliseconds, every rate in
 * arrivals per second. This is plain data; `src/load/pacers.ts` turns it into a Pacer.
 */
export type PhaseSpec =
  | { kind: 'constant'; name: string; durationMs: number; rate: number }
  | { kind: 'ramp'; name: string; durationMs: number; from: number; to: number }
  /** `steps` equal-length levels from `from` to `to` inclusive (steps >= 2), e.g. 100,200,300. */
  | { kind: 'step'; name: string; durationMs: number; from: number; to: number; steps: number }
  /** `base` rate, except `peak` from `atMs` for `forMs` (atMs + forMs <= durationMs; a spike past the end is rejected). */
  | { kind: 'spike'; name: string; durationMs: number; base: number; peak: number; atMs: number; forMs: number }
  /**
   * rate(t) = mean + amplitude * sin(2π t / periodMs). |amplitude| <= mean so the rate never goes
   * negative (a larger one is rejected, not clamped); a negative amplitude starts with the trough.
   */
  | { kind: 'sine'; name: string; durationMs: number; mean: number; amplitude: number; periodMs: number }
  /** Zero traffic for the whole phase (provokes reclaimed environments / cold starts). */
  | { kind: 'idle'; name: string; durationMs: number };

export type PhaseKind = PhaseSpec['kind'];
