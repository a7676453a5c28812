import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { encodeJson, type BodyCodec, type MessageBody } from '../telemetry/payload.js';
import { UserError } from '../util/user-error.js';

/** What a hook's build() gets besides the message: facts about the run. */
export interface HookContext {
  /** The run's seed. */
  seed: number;
}

/** A user's build(message, ctx): an object (serialized as JSON), a string or bytes (sent as is). */
export type BuildFn = (message: MessageBody, ctx: HookContext) => unknown;

/** Marks a failure inside the user's hook: the engine counts the message as the outcome `payload-error`. */
export class PayloadError extends Error {
  constructor(readonly original: unknown) {
    super(original instanceof Error ? original.message : String(original));
    this.name = 'PayloadError';
    if (original instanceof Error && original.stack) this.stack = original.stack;
  }
}

/**
 * Loads a payload module once (`payload.module`, resolved against the scenario's folder) and
 * checks it exports `build`: a missing file, a module that fails to load, or no build function
 * is a UserError naming the file. Never called per message.
 */
export async function loadHook(file: string): Promise<BuildFn> {
  if (!existsSync(file)) throw new UserError(`payload.module: ${file} not found`, { hint: 'the path is relative to the scenario file\'s folder' });
  let mod: { build?: unknown; default?: { build?: unknown } };
  try {
    mod = (await import(pathToFileURL(file).href)) as typeof mod;
  } catch (e) {
    throw new UserError(`payload.module: ${file} failed to load: ${(e as Error).message}`, { hint: 'run it with node to see the error, e.g. node --check FILE' });
  }
  const build = mod.build ?? mod.default?.build;
  if (typeof build !== 'function') throw new UserError(`payload.module: ${file} exports no build function`, { hint: 'export function build(message, ctx) { return { … } } — an object (sent as JSON) or a string' });
  return build as BuildFn;
}

/**
 * The codec of a hook: its object as JSON, its string or bytes (a Uint8Array, e.g. a Buffer)
 * as is. Anything it throws, or a value that is none of these, becomes a PayloadError (the
 * message's outcome is `payload-error`); so do bytes when the target carries only text (`textOnly`
 * names it, e.g. "SQS message bodies").
 */
export function hookCodec(build: BuildFn, ctx: HookContext, textOnly?: string): BodyCodec {
  return { shape: (body) => hookShape(build, body, ctx, textOnly), encode: encodeJson };
}

function hookShape(build: BuildFn, body: MessageBody, ctx: HookContext, textOnly: string | undefined): unknown {
  let out: unknown;
  try {
    out = build(body, ctx);
  } catch (e) {
    throw new PayloadError(e);
  }
  if (typeof out === 'string') return out;
  if (out instanceof Uint8Array) {
    if (textOnly) throw new PayloadError(new TypeError(`build() returned bytes, but ${textOnly} are text; return a string (e.g. the bytes in base64)`));
    return out;
  }
  if (out !== null && typeof out === 'object') return out;
  throw new PayloadError(new TypeError(`build() returned ${out === null ? 'null' : typeof out}; expected an object, a string or bytes (a Uint8Array or Buffer)`));
}
