import type { z } from 'zod';
import type { RequestCounts } from '../metrics/interval-snapshot.js';
import type { CostEstimate, CostFacts, CostLoad, Prices } from './cost.js';
import type { Target, TargetContext } from './target.js';

/** A target opened for a run, with whatever was started for it. */
export interface OpenedTarget {
  target: Target;
  /** For logs and the summary (never contains secrets). */
  description: string;
  /** The target as configured, for messages (secrets masked). */
  url: string;
  /** Extra facts for the journal's start record (e.g. the sandbox's URLs). */
  info: Record<string, unknown>;
  /** The embedded pipeline's introspection URLs (the sandbox), for the probes: `baseUrl` serves /output and /dlq. */
  pipeline?: { baseUrl: string; statsUrl: string };
  /** Said loudly once before the run (e.g. TLS certificates not verified). */
  warnings?: string[];
  /** Closes the target and anything started for it (the sandbox process). Safe to call twice. */
  dispose(): Promise<void>;
}

/** The command line's generic target settings (`--connections`, `--pipelining`, `--timeout`). */
export interface TargetOverrides {
  connections?: number;
  pipelining?: number;
  timeoutMs?: number;
}

/** What resolving a target's config takes besides the config. */
export interface ResolveOptions {
  overrides: TargetOverrides;
  /** The scenario's validated `sandbox:` block. */
  sandboxParams?: Record<string, unknown>;
  /** The scenario file's folder: relative file paths in the block resolve against it (default: the working directory). */
  baseDir?: string;
}

/**
 * One kind of target (http, sandbox, …), registered once in registry.ts: it owns its scenario
 * block's schema, its quick-mode `--target` form, its description for `validate`, the masking of
 * its secrets and its `open`. Nothing outside its folder branches on its kind.
 */
export interface TargetKind<C extends { kind: string } = { kind: string }> {
  /** The key of its block under `target:` (and its `kind` in the plan). */
  readonly kind: C['kind'];
  /** The block, with every default filled in. `meta` feeds the JSON Schema. */
  readonly schema: z.ZodType<C>;
  /** Whether `target: <kind>` as a bare word means the block with its defaults. */
  readonly bareWord?: boolean;
  /** What `--target` accepts for this kind, for help and errors (e.g. "an http(s) URL"). */
  readonly flagForm: string;
  /** The config `--target TEXT` stands for, or undefined when TEXT is not of this kind. May throw a UserError. */
  fromFlag(text: string): C | undefined;
  /** The config with the command line's settings applied; `sandboxParams` is the scenario's validated `sandbox:` block. */
  resolve(cfg: C, o: ResolveOptions): C;
  /** A copy with every secret masked: what journals, logs, reports and `validate` show. */
  mask(cfg: C): C;
  /** Lines for `validate` (already masked). */
  describe(cfg: C): string[];
  /** One short line naming the target (already masked), e.g. "http https://host/ingest". */
  label(cfg: C): string;
  /** The longest one request may take (ms): the engine's default drain bound is this plus 5 s. */
  timeoutMs(cfg: C): number;
  /** When the target carries only text bodies: what carries them, for the error a payload module's bytes get (e.g. "SQS message bodies"). */
  textOnly?(cfg: C): string | undefined;
  /** Said before opening when it takes a while (e.g. starting the sandbox). */
  openingNote?: string;
  open(cfg: C, ctx: TargetContext): Promise<OpenedTarget>;
  /**
   * `validate --check`: the checks `open` makes before the clock (the resource exists, the
   * endpoint answers, the credentials are accepted), without sending a message; the lines say
   * what was found. Throws the same UserError as `open`. Absent: nothing to check before sending.
   */
  check?(cfg: C, ctx: TargetContext): Promise<{ lines: string[]; facts?: CostFacts }>;
  /**
   * What the target would make of sample messages in their final shape (the sandbox: whether its
   * processor's schema accepts them): lines for `validate`, and warnings for it and `run`.
   */
  checkSamples?(cfg: C, bodies: readonly (string | Uint8Array)[]): { lines: string[]; warnings: string[] };
  /** What the run would cost on the service at `prices` (kinds that are billed per use), with what `facts` add. */
  estimateCost?(cfg: C, load: CostLoad, prices: Prices, facts?: CostFacts): CostEstimate;
  /** What the run's batch calls cost, from the request facts it recorded. */
  actualCost?(cfg: C, requests: RequestCounts, durationMs: number, prices: Prices): CostEstimate;
}
