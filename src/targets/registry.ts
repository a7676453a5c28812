import { z } from 'zod';
import type { RequestCounts } from '../metrics/interval-snapshot.js';
import type { ShapeOptions } from '../payload/sources.js';
import { UserError } from '../util/user-error.js';
import type { CostEstimate, CostFacts, CostLoad, Prices } from './cost.js';
import { maskUrl } from './mask.js';
import { httpKind } from './http/kind.js';
import { kinesisKind } from './kinesis/kind.js';
import type { OpenedTarget, ResolveOptions, TargetKind } from './kind.js';
import { sandboxKind } from './sandbox/kind.js';
import { sqsKind } from './sqs/kind.js';
import type { TargetContext } from './target.js';

/**
 * Every target kind rushhour knows, registered once: the scenario's `target:` schema, quick
 * mode's `--target`, `validate`, masking and opening all come from here.
 */
export const TARGET_KINDS = [httpKind, sandboxKind, kinesisKind, sqsKind] as const;
/** The target of a scenario that names none: the embedded pipeline, so every scenario runs with no cloud account. */
const DEFAULT_KIND: TargetKind<{ kind: string }> = sandboxKind;

type ConfigOf<K> = K extends TargetKind<infer C> ? C : never;
/** The resolved configuration of any registered kind (a discriminated union on `kind`). */
export type TargetConfig = ConfigOf<(typeof TARGET_KINDS)[number]>;

const KINDS = TARGET_KINDS as readonly TargetKind<{ kind: string }>[];
const keys = KINDS.map((k) => `\`${k.kind}:\``);
const bareWords = KINDS.filter((k) => k.bareWord).map((k) => k.kind);
const oneOf = (items: string[]) => (items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`);

function kindOf(cfg: { kind: string }): TargetKind<{ kind: string }> {
  const k = KINDS.find((x) => x.kind === cfg.kind);
  if (!k) throw new Error(`unknown target kind ${JSON.stringify(cfg.kind)}`);
  return k;
}

/** The default target, with its defaults. */
export function defaultTarget(): TargetConfig {
  return DEFAULT_KIND.schema.parse({}) as TargetConfig;
}

const blocks = z
  .strictObject(Object.fromEntries(KINDS.map((k) => [k.kind, k.schema.optional()])))
  .superRefine((t, ctx) => {
    const given = Object.keys(t).filter((k) => t[k] !== undefined);
    if (given.length !== 1) {
      const got = given.length === 0 ? 'neither' : given.length === 2 ? 'both' : given.join(', ');
      ctx.addIssue({ code: 'custom', message: `expected exactly one of ${oneOf(KINDS.map((k) => `${k.kind}:`))}, got ${got}`, params: { quoted: true } });
    }
  });

/** The scenario's `target:` field: a bare word (`sandbox`) or a mapping with one kind's block. */
export const targetSchema = z
  .union([z.enum(bareWords as [string, ...string[]]), blocks], { error: `expected ${oneOf(bareWords.map((w) => `\`${w}\``))} or a mapping with one key, ${oneOf(keys)}` })
  .meta({
    title: 'Where the load goes',
    description: `${oneOf(bareWords.map((w) => `\`${w}\``))} (default: the embedded local pipeline) or a mapping with one of ${oneOf(keys)}, e.g. \`{ http: { url, method, headers, connections, pipelining, timeout } }\`.`,
    default: DEFAULT_KIND.kind,
  })
  .transform((t): TargetConfig => {
    if (typeof t === 'string') return kindOf({ kind: t }).schema.parse({}) as TargetConfig;
    const [cfg] = Object.values(t).filter((v) => v !== undefined);
    return cfg as TargetConfig;
  });

/** Quick mode's `--target TEXT`: the first kind that takes it, else a UserError listing what each kind accepts. */
export function targetFromFlag(text: string): TargetConfig {
  const t = text.trim();
  for (const k of KINDS) {
    const cfg = k.fromFlag(t);
    if (cfg !== undefined) return cfg as TargetConfig;
  }
  throw new UserError(`--target: expected ${oneOf(KINDS.map((k) => k.flagForm))}, got ${JSON.stringify(maskUrl(text))}`, {
    hint: 'e.g. --target http://127.0.0.1:8080/ingest, --target kinesis:telemetry, --target sqs:orders, or --target sandbox',
  });
}

/** The config with the command line's settings applied and the scenario's `sandbox:` block attached where it belongs. */
export function resolveTarget(cfg: TargetConfig, o: ResolveOptions): TargetConfig {
  return kindOf(cfg).resolve(cfg, o) as TargetConfig;
}

/** A copy with every secret masked (URL userinfo and credential query values, header values, keys). */
export function maskTarget(cfg: TargetConfig): TargetConfig {
  return kindOf(cfg).mask(structuredClone(cfg)) as TargetConfig;
}

/** `validate`'s lines for the target, masked. */
export function describeTarget(cfg: TargetConfig): string[] {
  return kindOf(cfg).describe(cfg);
}

/** One short masked line naming the target. */
export function targetLabel(cfg: TargetConfig): string {
  return kindOf(cfg).label(cfg);
}

/** The longest one request of the target may take, ms. */
export function requestTimeoutMs(cfg: TargetConfig): number {
  return kindOf(cfg).timeoutMs(cfg);
}

/** What the target needs of the message bodies (text only, or bytes too). */
export function shapeOptions(cfg: TargetConfig): ShapeOptions {
  const textOnly = kindOf(cfg).textOnly?.(cfg);
  return textOnly ? { textOnly } : {};
}

/** Said before opening a target that takes a while to open. */
export function openingNote(cfg: TargetConfig): string | undefined {
  return kindOf(cfg).openingNote;
}

/** `validate --check`: what the target's checks before the clock found, or why there are none. */
export async function checkTarget(cfg: TargetConfig, ctx: TargetContext): Promise<{ lines: string[]; facts?: CostFacts }> {
  const k = kindOf(cfg);
  if (!k.check) return { lines: [`checked     nothing before sending for a ${k.kind} target: the run's warm-up checks it before the clock`] };
  return k.check(cfg, ctx);
}

/** What the target would make of sample messages in their final shape (nothing for most kinds). */
export function checkSamples(cfg: TargetConfig, bodies: readonly (string | Uint8Array)[]): { lines: string[]; warnings: string[] } {
  return kindOf(cfg).checkSamples?.(cfg, bodies) ?? { lines: [], warnings: [] };
}

/** What the run would cost on the target's service at `prices`; undefined for a kind that is not billed per use. */
export function estimateCost(cfg: TargetConfig, load: CostLoad, prices: Prices, facts?: CostFacts): CostEstimate | undefined {
  return kindOf(cfg).estimateCost?.(cfg, load, prices, facts);
}

/** What a run's batch calls cost, from the request facts it recorded. */
export function actualCost(cfg: TargetConfig, requests: RequestCounts, durationMs: number, prices: Prices): CostEstimate | undefined {
  return kindOf(cfg).actualCost?.(cfg, requests, durationMs, prices);
}

/** Opens the target a plan names; configuration problems throw a UserError. */
export function openTarget(cfg: TargetConfig, ctx: TargetContext): Promise<OpenedTarget> {
  return kindOf(cfg).open(cfg, ctx);
}
