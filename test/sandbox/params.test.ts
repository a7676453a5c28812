import { describe, expect, it } from 'vitest';
import { defaultSandboxParams, formatParamsIssues, sandboxParamsSchema } from '../../src/sandbox/params.js';
import { withDefaults } from '../../src/sandbox/resolve-params.js';

function problems(input: unknown): string[] {
  const r = sandboxParamsSchema.safeParse(input);
  return r.success ? [] : formatParamsIssues(r.error);
}

describe('sandbox params schema', () => {
  it('fills every default from an empty block', () => {
    const p = sandboxParamsSchema.parse({});
    expect(p.seed).toBe(1);
    expect(p.ingest).toMatchObject({
      maxBodySize: 256 * 1024, rateLimit: 10_000, burst: 5000, runtime: 'node', memory: 512, initTime: null,
      workTime: { minMs: 1, maxMs: 3 }, idleTimeout: 20_000, reservedConcurrency: 1000, provisionedConcurrency: 0,
    });
    expect(p.queue).toEqual({ name: 'telemetry', visibilityTimeout: 5000, maxReceiveCount: 3, maxMessages: 100_000, maxBytes: 64 * 1024 * 1024, dlqCapacity: 10_000 });
    expect(p.processor).toMatchObject({
      batchSize: 1, batchWindow: 0, idempotent: false, reportBatchItemFailures: false, throttleBackoff: 100, idleTimeout: 20_000,
      initialConcurrency: 5, scaleUpRate: 5,
    });
    expect(p.db).toEqual({ maxConnections: 100, queryTime: { minMs: 2, maxMs: 5 }, proxy: false, proxyConnections: 10, proxyLatency: { minMs: 1, maxMs: 3 } });
    expect(p.output).toEqual({ capacity: 100_000 });
  });

  it.each([
    [{ processor: { idleTimeout: '500ms' } }, (p: ReturnType<typeof defaultSandboxParams>) => p.processor.idleTimeout, 500],
    [{ ingest: { idleTimeout: '1.5s' } }, (p: ReturnType<typeof defaultSandboxParams>) => p.ingest.idleTimeout, 1500],
    [{ queue: { visibilityTimeout: '2m' } }, (p: ReturnType<typeof defaultSandboxParams>) => p.queue.visibilityTimeout, 120_000],
    [{ processor: { initTime: '100ms..300ms' } }, (p: ReturnType<typeof defaultSandboxParams>) => p.processor.initTime, { minMs: 100, maxMs: 300 }],
    [{ processor: { workTime: '4ms' } }, (p: ReturnType<typeof defaultSandboxParams>) => p.processor.workTime, { minMs: 4, maxMs: 4 }],
    [{ ingest: { rateLimit: 'unlimited' } }, (p: ReturnType<typeof defaultSandboxParams>) => p.ingest.rateLimit, null],
    [{ processor: { scaleUpRate: 'unlimited' } }, (p: ReturnType<typeof defaultSandboxParams>) => p.processor.scaleUpRate, null],
    [{ ingest: { rateLimit: '600/m' } }, (p: ReturnType<typeof defaultSandboxParams>) => p.ingest.rateLimit, 10],
    [{ ingest: { maxBodySize: '1KiB' } }, (p: ReturnType<typeof defaultSandboxParams>) => p.ingest.maxBodySize, 1024],
    [{ ingest: { maxBodySize: 2048 } }, (p: ReturnType<typeof defaultSandboxParams>) => p.ingest.maxBodySize, 2048],
    [{ db: { proxy: true, proxyConnections: 20 } }, (p: ReturnType<typeof defaultSandboxParams>) => p.db.proxyConnections, 20],
  ])('resolves %j', (input, pick, expected) => {
    expect(pick(sandboxParamsSchema.parse(input))).toEqual(expected);
  });

  it.each([
    [{ foo: 1 }, 'sandbox: Unrecognized key: "foo"'],
    [{ db: { maxConections: 5 } }, 'sandbox.db: Unrecognized key: "maxConections"'],
    [{ processor: { idleTimeout: 20 } }, 'sandbox.processor.idleTimeout: expected a duration with a unit'],
    [{ processor: { idleTimeout: '20 parsecs' } }, 'sandbox.processor.idleTimeout: "20 parsecs" is not a duration'],
    [{ ingest: { workTime: '3ms..1ms' } }, 'sandbox.ingest.workTime: range "3ms..1ms" ends before it starts'],
    [{ ingest: { workTime: '1ms..2ms..3ms' } }, 'sandbox.ingest.workTime: "1ms..2ms..3ms" is not a range'],
    [{ processor: { runtime: 'cobol' } }, 'sandbox.processor.runtime:'],
    [{ processor: { reservedConcurrency: 2, provisionedConcurrency: 5 } }, 'sandbox.processor.provisionedConcurrency: must not exceed reservedConcurrency (2)'],
    [{ db: { proxy: true, maxConnections: 5, proxyConnections: 10 } }, 'sandbox.db.proxyConnections: must not exceed maxConnections (5)'],
    [{ db: { maxConnections: 0 } }, 'sandbox.db.maxConnections:'],
    [{ processor: { batchSize: 1.5 } }, 'sandbox.processor.batchSize:'],
    [{ ingest: { rateLimit: 'fast' } }, 'sandbox.ingest.rateLimit: "fast" is not a rate'],
    [{ ingest: { maxBodySize: 'huge' } }, 'sandbox.ingest.maxBodySize: "huge" is not a size'],
  ])('rejects %j', (input, message) => {
    const found = problems(input);
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(message);
  });

  it('fills resolved params that crossed a process boundary', () => {
    const p = withDefaults({ db: { proxy: true }, processor: { initTime: { minMs: 5, maxMs: 6 } } });
    expect(p.db.proxy).toBe(true);
    expect(p.db.maxConnections).toBe(100);
    expect(p.processor.initTime).toEqual({ minMs: 5, maxMs: 6 });
    expect(p.processor.batchSize).toBe(1);
    expect(withDefaults(undefined)).toEqual(defaultSandboxParams());
  });
});
