import { encodeJson, type BodyCodec } from '../telemetry/payload.js';
import type { MessageKind } from '../telemetry/types.js';
import { PayloadError } from './hook.js';
import { compileTemplate, type TemplateProblem } from './template.js';

/** The scenario's `payload:` block as the plan carries it: templates as written (YAML values). */
export interface PayloadConfig {
  /** A module exporting build(message, ctx) (an absolute path once in the plan); instead of templates. */
  module?: string;
  /** The shape of every message whose kind has no template of its own under `when`. */
  template?: unknown;
  /** A template per message kind. */
  when?: Partial<Record<MessageKind, unknown>>;
  /** The dotted path of the field that holds the message id in the shaped message (`msgId`, `meta.id`): the probes read it back there. */
  idField?: string;
}

/**
 * Compiles a payload block once into the codec the message source calls per message: the kind's
 * template (or the default one) applied to the fleet's body object, then JSON. Kinds with neither
 * keep the built-in shape. Problems name their path inside the block (`template.gps.lat`).
 */
export function compilePayload(cfg: PayloadConfig): { codec?: BodyCodec; problems: TemplateProblem[] } {
  const problems: TemplateProblem[] = [];
  const compile = (t: unknown, prefix: (string | number)[]) => {
    const c = compileTemplate(t);
    problems.push(...c.problems.map((p) => ({ path: [...prefix, ...p.path], message: p.message })));
    return c.shape;
  };
  const fallback = cfg.template === undefined ? undefined : compile(cfg.template, ['template']);
  const byKind = new Map<string, (m: object) => unknown>();
  for (const [kind, t] of Object.entries(cfg.when ?? {})) {
    const shape = compile(t, ['when', kind]);
    if (shape) byKind.set(kind, shape);
  }
  if (problems.length > 0) return { problems };
  return {
    problems,
    codec: {
      shape: (body) => {
        const shape = byKind.get(body.kind) ?? fallback;
        if (!shape) return body;
        try {
          return shape(body);
        } catch (e) {
          // filters do not throw on the fleet's fields; should one ever, it is this message's failure, not the run's
          throw new PayloadError(e);
        }
      },
      encode: encodeJson,
    },
  };
}
