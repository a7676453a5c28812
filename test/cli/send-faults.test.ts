import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, STACK_LINE, tempDir } from '../support/cli.js';

const summaryOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));

function write(name: string, lines: string[]): string {
  const file = join(tempDir(), `${name}.yaml`);
  writeFileSync(file, [...lines, ''].join('\n'));
  return file;
}

interface RetryDetails {
  firstSends: number; retries: number; okAfterRetries: number; hiddenFailures: number; attemptsPerMessage: number;
  retriedOn: Record<string, number>; byAttempts: Record<string, number>; finding: string;
  rate: { originalPerSec: { mean: number; peak: number }; offeredPerSec: { mean: number; peak: number }; amplification: number };
}

/** The shipped scenarios' send faults, shortened, against the embedded sandbox (child processes; `npm run build` first). */
describe('send-path faults against the sandbox (child process)', () => {
  it('spike-throttle, shortened: 429s past the reserved concurrency, retried at once in one spike and with jittered backoff in the other; amplification and hidden failures in faults[]', async () => {
    const out = join(tempDir(), 'spike');
    const file = write('spike', [
      'name: spike-short', 'seed: 11', 'fleet: { vehicles: 500 }',
      'target: { sandbox: { connections: 64 } }',
      'sandbox: { ingest: { reservedConcurrency: 10, provisionedConcurrency: 10, workTime: 15ms..25ms }, processor: { initialConcurrency: 20, scaleUpRate: unlimited } }',
      'phases:',
      '  - { name: spike-a, kind: spike, duration: 5s, base: 150/s, peak: 1200/s, at: 1s, for: 2s }',
      '  - { name: spike-b, kind: spike, duration: 5s, base: 150/s, peak: 1200/s, at: 1s, for: 2s }',
      'engine: { warmup: 0 }', 'probes: { drain: 10s }',
      'faults:',
      '  - { name: immediate, kind: retry-storm, at: 0s, for: 5s, attempts: 4, backoff: none }',
      '  - { name: jittered, kind: retry-storm, at: 5s, for: 5s, attempts: 4, backoff: exponential, base: 50ms, cap: 1s, jitter: true }',
    ]);
    const r = await runCli(['run', file, '--out', out], { timeoutMs: 90_000 });
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(r.code).toBe(0);
    const s = summaryOf(out);
    const byName = Object.fromEntries(s.faults.map((f: { name: string }) => [f.name, f]));
    for (const name of ['immediate', 'jittered']) {
      const f = byName[name];
      const d = f.details as RetryDetails;
      expect(f.kind).toBe('retry-storm');
      expect(f.windows[0].startedBy).toBe('schedule');
      expect(d.retriedOn['429'], name).toBeGreaterThan(0);
      expect(d.retries).toBe(d.retriedOn['429']);
      expect(f.messages).toBeGreaterThan(0);
      expect(d.okAfterRetries).toBeGreaterThan(0);
      expect(d.hiddenFailures).toBeGreaterThanOrEqual(d.okAfterRetries);
      expect(d.finding).toMatch(/^success after retries hid [\d,]+ failure\(s\)/);
      expect(d.attemptsPerMessage).toBeGreaterThan(1);
      expect(d.rate.offeredPerSec.peak).toBeGreaterThan(d.rate.originalPerSec.peak);
      expect(d.rate.amplification).toBeGreaterThan(1);
      expect(Object.values(d.byAttempts).reduce((a, b) => a + b, 0)).toBe(d.firstSends);
    }
    expect(byName.immediate.details).toMatchObject({ backoff: 'none', jitter: false });
    expect(byName.jittered.details).toMatchObject({ backoff: 'exponential', jitter: true });
    // what the retries could not save is still reported, once per message
    expect(s.counts.ok + s.counts.failed).toBe(s.counts.due);
    expect(s.delivery.accepted).toBe(s.counts.ok);
  }, 120_000);

  it('late-data, shortened: store-and-forward of 10 vehicles; the consumer counts late and reordered messages', async () => {
    const out = join(tempDir(), 'late');
    const file = write('late', [
      'name: late-short', 'seed: 5', 'fleet: { vehicles: 100, cadence: { min: 1s, max: 1s } }', 'target: sandbox',
      'sandbox: { processor: { initialConcurrency: 10, scaleUpRate: unlimited } }',
      'phases:', '  - { kind: constant, rate: 100/s, duration: 16s }',
      'engine: { warmup: 0 }', 'probes: { window: 8, drain: 10s }',
      'faults:', '  - { name: tunnel, kind: store-and-forward, at: 3s, for: 10s, vehicles: 10 }',
    ]);
    const r = await runCli(['run', file, '--out', out], { timeoutMs: 90_000 });
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(r.code).toBe(0);
    const s = summaryOf(out);
    const [f] = s.faults;
    expect(f).toMatchObject({ name: 'tunnel', kind: 'store-and-forward', windows: [{ startedBy: 'schedule', stoppedBy: 'schedule' }] });
    expect(f.details.vehicles).toBe(10);
    expect(f.messages).toBeGreaterThanOrEqual(80); // ~10 s of 10 vehicles at 1 s
    expect(f.details).toMatchObject({ buffered: f.messages, burstSize: f.messages, stillBuffered: 0 });
    expect(f.details.bursts[0]).toMatchObject({ size: f.messages, answered: f.messages, ok: f.messages });
    expect(f.details.longestSilenceMs).toBeGreaterThan(9_000);
    expect(f.details.burstRatePerSec).toBeGreaterThan(5 * f.details.bursts[0].bufferedPerSec); // far above the vehicles' cadence
    expect(s.counts).toMatchObject({ due: 1600, ok: 1600 });
    expect(s.delivery.late, JSON.stringify(s.delivery)).toBeGreaterThan(0);
    expect(s.delivery.reordered, JSON.stringify(s.delivery)).toBeGreaterThan(0);
  }, 120_000);
});
