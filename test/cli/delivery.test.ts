import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readHlogFile } from '../../src/metrics/hlog-stream.js';
import { runCli, STACK_LINE, tempDir } from '../support/cli.js';

function scenario(extra: string): string {
  const file = join(tempDir(), 'delivery.yaml');
  writeFileSync(file, `name: delivery\nseed: 4\nfleet: { vehicles: 200 }\ntarget: sandbox\nphases:\n  - { kind: constant, rate: 200/s, duration: 3s }\n${extra}`);
  return file;
}

const summaryOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));

/** The probes against the real sandbox (child processes): what came out the other end, and the DLQ. */
describe('delivery checks against the embedded sandbox (child process)', () => {
  it('every accepted message is seen once: 0 lost, 0 duplicated; e2e latency and DLQ depth pass their thresholds', async () => {
    const out = join(tempDir(), 'ok');
    const r = await runCli(['run', scenario('thresholds:\n  - lost == 0\n  - duplicated < 0.1%\n  - e2e_p99 < 2s\n  - dlq_depth == 0\n'), '--out', out]);
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(r.code, r.stdout.slice(-2000)).toBe(0);
    const s = summaryOf(out);
    expect(s.delivery).toMatchObject({ consumer: 'sandbox /output', accepted: 600, seen: 600, lost: 0, duplicated: 0, unexpected: 0, pending: 0, windowLimit: 64 });
    expect(s.delivery.e2eLatency.count).toBe(600);
    // end-to-end latency is its own series in latency.hlog: the load's intervals and the drain's add up to every first sighting
    const hlog = await readHlogFile(join(out, 'latency.hlog'));
    expect(hlog.e2e.totalCount).toBe(600);
    expect(hlog.skippedLines).toBe(0);
    expect(r.stdout).toMatch(/^t=.* lag \S+ e2e p99 \S+$/m);
    expect(s.queues).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'sandbox-dlq', role: 'dlq', peakDepth: 0 })]));
    expect(r.stdout).toMatch(/^t=.* seen \d+ lost 0 dup 0 reord \d+ lag /m);
    expect(r.stdout).toMatch(/^delivery \(sandbox \/output\): 600 accepted, 600 seen — 0 lost, 0 duplicated, \d+ reordered; e2e p50 /m);
  }, 60_000);

  it('messages the pipeline rejects downstream are accepted at the front door but lost: the delivery threshold fails the run', async () => {
    // the built-in shape against a sandbox validating ACME's schema: ingest says 202, the processor rejects every one
    const schema = resolve('scenarios/schemas/acme-telemetry.schema.json');
    const out = join(tempDir(), 'lost');
    const r = await runCli(['run', scenario(`sandbox:\n  schema: ${schema}\n  fields: { messageId: msgId, vehicleId: deviceId }\nprobes: { drain: 3s }\nthresholds:\n  - lost == 0\n`), '--out', out]);
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(r.code).toBe(1);
    const s = summaryOf(out);
    expect(s.counts.ok).toBe(600);
    expect(s.delivery).toMatchObject({ accepted: 600, seen: 0, lost: 600 });
    expect(s.delivery.lostExamples).toHaveLength(20);
    expect(s.thresholds[0]).toMatchObject({ metric: 'lost', actual: 600, pass: false });
    expect(r.stdout).toMatch(/draining: .*seen 0 lost 0/);
    expect(r.stdout).toMatch(/600 accepted, 0 seen — 600 lost/);
  }, 60_000);

  it('probes: { output: none } runs no delivery check, and a delivery threshold then cannot pass', async () => {
    const out = join(tempDir(), 'none');
    const r = await runCli(['run', scenario('probes: { output: none, dlq: none }\nthresholds:\n  - lost == 0\n'), '--out', out]);
    expect(r.code).toBe(1);
    const s = summaryOf(out);
    expect(s.delivery).toBeNull();
    expect(s.queues).toBeNull();
    expect(s.thresholds[0]).toMatchObject({ metric: 'lost', actual: null, pass: false });
  }, 60_000);
});
