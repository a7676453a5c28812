import type { SandboxParams } from '../sandbox/params.js';
import { startSandbox } from '../sandbox/spawn-sandbox.js';
import type { TargetConfig } from './target-config.js';
import { HttpTarget } from './http-target.js';
import type { Target, TargetContext } from './target.js';

export interface OpenedTarget {
  target: Target;
  description: string;
  /** The target as configured, for messages (no secrets): its URL. */
  url: string;
  /** Extra facts for the journal (e.g. the sandbox's URLs). */
  info: Record<string, unknown>;
  /** Closes the target and anything started for it (the sandbox process). Safe to call twice. */
  dispose(): Promise<void>;
}

/**
 * Opens the target a plan names. `sandbox` starts the embedded pipeline in its own process and
 * points an HTTP target at its ingest URL. Configuration problems throw UserError.
 */
export async function openTarget(cfg: TargetConfig, ctx: TargetContext): Promise<OpenedTarget> {
  if (cfg.kind === 'http') {
    const target = new HttpTarget(cfg);
    await target.open(ctx);
    return { target, description: target.description, url: cfg.url, info: {}, dispose: once(() => target.close()) };
  }
  const sandbox = await startSandbox(cfg.params as SandboxParams);
  const target = new HttpTarget({
    kind: 'http', url: sandbox.ingestUrl, method: 'POST', headers: {},
    connections: cfg.connections, pipelining: cfg.pipelining, timeoutMs: cfg.timeoutMs,
  });
  await target.open(ctx);
  return {
    target,
    description: `sandbox ${sandbox.ingestUrl} (embedded pipeline, pid ${sandbox.pid})`,
    url: sandbox.ingestUrl,
    info: { sandbox: { ingestUrl: sandbox.ingestUrl, statsUrl: sandbox.statsUrl, baseUrl: sandbox.baseUrl } },
    dispose: once(async () => {
      await target.close();
      await sandbox.stop();
    }),
  };
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let p: Promise<void> | undefined;
  return () => (p ??= fn());
}
