import { z } from 'zod';
import { defaultSandboxParams, type SandboxParams } from '../../sandbox/params.js';
import { messageValidatorFor } from '../../sandbox/message-validator.js';
import { startSandbox } from '../../sandbox/spawn-sandbox.js';
import { formatDuration } from '../../util/units.js';
import { connectionFields, connectionLine, connectionSettings, DEFAULT_METHOD, withOverrides, type ConnectionSettings } from '../http/config.js';
import { HttpTarget } from '../http/http-target.js';
import { once } from '../http/kind.js';
import type { TargetKind } from '../kind.js';
import { doorLine, doorTarget } from './doors.js';

/** The embedded sandbox pipeline; `params` is the scenario's validated `sandbox:` block (defaults without one). */
export interface SandboxTargetConfig extends ConnectionSettings {
  kind: 'sandbox';
  params: Record<string, unknown>;
}

const schema = z
  .strictObject(connectionFields)
  .meta({ title: 'Sandbox target', description: 'The embedded local pipeline, with explicit connection settings. Its model parameters go in the top-level `sandbox:` block.' })
  .transform((c): SandboxTargetConfig => ({ kind: 'sandbox', params: {}, ...connectionSettings(c) }));

/** `target: sandbox` (the default) or `{ sandbox: { connections, pipelining, timeout } }`: an HTTP target at the embedded pipeline. */
export const sandboxKind: TargetKind<SandboxTargetConfig> = {
  kind: 'sandbox',
  schema,
  bareWord: true,
  flagForm: '`sandbox` for the embedded pipeline',
  fromFlag: (text) => (text === 'sandbox' ? schema.parse({}) : undefined),
  resolve: (cfg, o) => withOverrides({ ...cfg, params: o.sandboxParams ? structuredClone(o.sandboxParams) : defaultSandboxParams() }, o.overrides),
  mask: (cfg) => cfg,
  describe(cfg) {
    const changed = changedLeaves(cfg.params, defaultSandboxParams());
    const params = changed.length ? changed.join(', ') : 'default model parameters';
    const p = cfg.params as SandboxParams;
    const how = p.ingest.door === 'http' ? connectionLine(cfg, formatDuration) : `${p.ingest.door} door`;
    return [`target      sandbox (embedded pipeline; ${how})`, doorLine(p), `sandbox     ${params}`];
  },
  textOnly: (cfg) => ((cfg.params as SandboxParams).ingest.door === 'sqs' ? 'SQS message bodies (the sandbox\'s sqs door)' : undefined),
  timeoutMs: (cfg) => cfg.timeoutMs,
  checkSamples(cfg, bodies) {
    const params = cfg.params as SandboxParams;
    const validator = messageValidatorFor(params);
    const schema = params.schema ?? 'telemetry schema v1';
    let valid = 0;
    let first: string | undefined;
    for (const b of bodies) {
      const r = validator.validate(typeof b === 'string' ? b : Buffer.from(b).toString('utf8'));
      if (typeof r === 'string') first ??= r;
      else valid++;
    }
    const line = `pipeline    ${valid.toLocaleString('en-US')} of ${bodies.length.toLocaleString('en-US')} sample messages pass the sandbox processor's schema (${schema})`;
    if (first === undefined) return { lines: [line], warnings: [] };
    const hint = params.schema ? 'fix the payload template or the schema' : 'the sandbox checks schema v1 unless sandbox.schema names your JSON Schema';
    return { lines: [line], warnings: [`${bodies.length - valid} of ${bodies.length} sample messages fail the sandbox processor's schema (${schema}) and will end in its DLQ; first: ${first} — ${hint}`] };
  },
  label: () => 'sandbox',
  openingNote: 'starting the embedded sandbox pipeline…',
  async open(cfg, ctx) {
    const params = cfg.params as SandboxParams;
    const sandbox = await startSandbox(params);
    const door = doorTarget(params, sandbox);
    const target = door ?? new HttpTarget({ kind: 'http', url: sandbox.ingestUrl, method: DEFAULT_METHOD, headers: {}, connections: cfg.connections, pipelining: cfg.pipelining, timeoutMs: cfg.timeoutMs });
    try {
      await target.open(ctx);
    } catch (e) {
      await sandbox.stop();
      throw e;
    }
    return {
      target,
      description: door ? `sandbox ${params.ingest.door} door at ${sandbox.baseUrl} (embedded pipeline, pid ${sandbox.pid}; ${door.description})` : `sandbox ${sandbox.ingestUrl} (embedded pipeline, pid ${sandbox.pid})`,
      url: door ? sandbox.baseUrl : sandbox.ingestUrl,
      info: { sandbox: { door: params.ingest.door, ingestUrl: sandbox.ingestUrl, statsUrl: sandbox.statsUrl, baseUrl: sandbox.baseUrl } },
      pipeline: { baseUrl: sandbox.baseUrl, statsUrl: sandbox.statsUrl },
      dispose: once(async () => {
        await target.close();
        await sandbox.stop();
      }),
    };
  },
};

/** `a.b=value` for every leaf of `params` that differs from `defaults`. */
export function changedLeaves(params: unknown, defaults: unknown, prefix = ''): string[] {
  if (params !== null && typeof params === 'object' && !Array.isArray(params)) {
    const d = defaults !== null && typeof defaults === 'object' ? (defaults as Record<string, unknown>) : {};
    return Object.entries(params).flatMap(([k, v]) => changedLeaves(v, d[k], prefix ? `${prefix}.${k}` : k));
  }
  return JSON.stringify(params) === JSON.stringify(defaults) ? [] : [`${prefix}=${JSON.stringify(params)}`];
}
