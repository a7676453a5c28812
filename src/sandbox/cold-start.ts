import type { DurationRange } from './random.js';

/**
 * Cold-start presets: the init time of a fresh function environment, by runtime, before the
 * first invocation can run (micro-VM, runtime start, the function's own init code).
 *
 * The ranges are for a function configured with `REFERENCE_MEMORY_MB` (512 MB), from the field
 * notes: Node.js and Python a few hundred ms, .NET 0.5–1.5 s, Java (a Spring-style app) 2–8 s,
 * Java restored from a snapshot (SnapStart) 200–400 ms.
 */
export const RUNTIMES = ['node', 'python', 'java', 'java-snapstart', 'dotnet'] as const;
export type Runtime = (typeof RUNTIMES)[number];

export const RUNTIME_INIT_MS: Readonly<Record<Runtime, DurationRange>> = {
  node: { minMs: 200, maxMs: 400 },
  python: { minMs: 250, maxMs: 500 },
  java: { minMs: 2000, maxMs: 8000 },
  'java-snapstart': { minMs: 200, maxMs: 400 },
  dotnet: { minMs: 500, maxMs: 1500 },
};

/** The memory setting the presets are quoted for. */
export const REFERENCE_MEMORY_MB = 512;
/** Below this, memory scaling stops (the smallest setting). */
export const MIN_SCALED_MEMORY_MB = 128;
/** One full vCPU; init is mostly single-threaded, so more memory past this no longer helps. */
export const FULL_VCPU_MEMORY_MB = 1769;
/** Init time is multiplied by this for each doubling of memory (the notes: −30–40 % per doubling). */
export const INIT_FACTOR_PER_DOUBLING = 0.65;

/**
 * The init-time multiplier for a memory setting. CPU is allotted in proportion to memory and
 * init is CPU-bound, so:
 *
 *   scale(m) = (clamp(m, 128, 1769) / 512) ^ log2(0.65)
 *
 * i.e. 1 at 512 MB, ×0.65 per doubling, ×1/0.65 per halving: 128 MB → ≈2.37, 256 MB → ≈1.54,
 * 1024 MB → 0.65, ≥1769 MB → ≈0.46.
 */
export function memoryScale(memoryMb: number): number {
  const m = Math.min(Math.max(memoryMb, MIN_SCALED_MEMORY_MB), FULL_VCPU_MEMORY_MB);
  return Math.pow(m / REFERENCE_MEMORY_MB, Math.log2(INIT_FACTOR_PER_DOUBLING));
}

/**
 * The init-time range (ms) of an environment: `override` as given when set (no scaling: it is
 * the measured figure for that configuration), else the runtime preset scaled by memory.
 */
export function initRange(runtime: Runtime, memoryMb: number, override: DurationRange | null): DurationRange {
  if (override) return override;
  const preset = RUNTIME_INIT_MS[runtime];
  const scale = memoryScale(memoryMb);
  return { minMs: preset.minMs * scale, maxMs: preset.maxMs * scale };
}
