import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readJournal } from '../../src/results/journal-reader.js';
import { runCli, STACK_LINE, tempDir } from '../support/cli.js';

const summaryOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));

function scenario(faults: string): string {
  const file = join(tempDir(), 'faults.yaml');
  writeFileSync(file, [
    'name: faults', 'seed: 9', 'fleet: { vehicles: 300 }', 'target: sandbox',
    // one receive, then the DLQ: what the processor rejects is there within the drain (the visibility
    // timeout outlasts a cold start, so a valid message is never received twice)
    'sandbox: { queue: { maxReceiveCount: 1, visibilityTimeout: 1s } }',
    'phases:', '  - { kind: constant, rate: 200/s, duration: 4s }', 'engine: { warmup: 0 }', 'probes: { drain: 3s }', faults, '',
  ].join('\n'));
  return file;
}

/** Faults on the run's timeline against the embedded sandbox (child processes): started, stopped, recorded, and seen in the pipeline. */
describe('faults against the sandbox (child process)', () => {
  it('poison from 1 s for 2 s: the faulted intervals say so, the oversize ones are refused (413), the others the processor rejects end in the DLQ', async () => {
    const out = join(tempDir(), 'poison');
    const r = await runCli(['run', scenario('faults:\n  - { kind: poison, at: 1s, for: 2s, fraction: 5%, poison: [malformed-json, wrong-schema-version, oversize] }'), '--out', out]);
    expect(r.stderr).not.toMatch(STACK_LINE);
    const s = summaryOf(out);
    const [f] = s.faults;
    expect(f).toMatchObject({ name: 'poison-0', kind: 'poison', windows: [{ startedBy: 'schedule', stoppedBy: 'schedule' }] });
    expect(f.windows[0].startMs).toBeGreaterThanOrEqual(1000);
    expect(f.windows[0].stoppedMs - f.windows[0].startMs).toBeGreaterThanOrEqual(2000);
    const byKind = f.details.byKind as Record<string, number>;
    expect(f.messages).toBe(byKind['malformed-json'] + byKind['wrong-schema-version'] + byKind.oversize);
    expect(f.messages).toBeGreaterThan(10);
    expect(f.examples.length).toBe(Math.min(20, f.messages));
    // oversize is refused at the front door; malformed messages and unknown schema versions pass it and the processor dead-letters them
    expect(s.errors['413']).toBe(byKind.oversize);
    const dlq = s.queues.find((q: { role: string }) => q.role === 'dlq');
    expect(dlq.finalDepth).toBe(byKind['malformed-json'] + byKind['wrong-schema-version']);
    expect(s.delivery.lost).toBe(dlq.finalDepth);
    // every poisoned message accounted for by where it went
    expect(f.destinations).toMatchObject({
      injected: f.messages, rejected: byKind.oversize, dlq: byKind['malformed-json'] + byKind['wrong-schema-version'], accepted: 0, unaccounted: 0, untraced: 0, read: { output: true, dlq: true },
    });
    if (byKind.oversize > 0) expect(f.destinations.rejectedBy).toEqual({ 413: byKind.oversize });
    expect(f.comparison.verdict, JSON.stringify(f.comparison)).toBe('worse');
    expect(f.comparison.before.errorRate ?? 0).toBe(0); // null: nothing completed before the fault (without a warm-up, cold starts under load can outlast the first second)
    expect(f.comparison.before.dlq?.growth ?? 0).toBe(0); // a 1-interval 'before' has no earlier DLQ reading
    expect(f.comparison.during.dlq.growth).toBe(dlq.finalDepth);
    expect(r.stdout).toMatch(new RegExp(`^  where its ${f.messages} went: ${byKind.oversize} rejected at the front door.*, ${dlq.finalDepth} in the DLQ, 0 accepted silently \\(seen in the output\\), 0 unaccounted$`, 'm'));
    const j = readJournal(out);
    expect(j.faults.map((e) => e.type)).toEqual(['fault-start', 'fault-stop']);
    // a loaded machine may close one more (empty) interval at the end
    const named = j.intervals.map((i) => i.faults ?? []);
    expect(named.slice(0, 4), JSON.stringify(j.faults)).toEqual([[], ['poison-0'], ['poison-0'], ['poison-0']]);
    expect(named.slice(4).flat()).toEqual([]);
    expect(r.stdout).toMatch(/^-- fault poison-0 \(poison\) started at 1\.0s$/m);
    expect(r.stdout).toMatch(/^fault poison-0 \(poison\): active 1\.0s–3\.0s \(2\.\d+s in all\); \d+ message\(s\) changed$/m);
  }, 60_000);

  it('schema drift on 10 % of the vehicles: a renamed required field is rejected by the processor, a unit change is not', async () => {
    const out = join(tempDir(), 'drift');
    const r = await runCli(['run', scenario([
      'faults:',
      '  - { kind: schema-drift, name: rename, at: 1s, vehicles: 10%, drift: [{ rename: { from: vehicleId, to: vin } }] }',
      '  - { kind: schema-drift, name: mph, at: 1s, vehicles: 10%, drift: [{ unit: { field: position.speedKmh, to: mph } }] }',
    ].join('\n')), '--out', out]);
    expect(r.stderr).not.toMatch(STACK_LINE);
    const s = summaryOf(out);
    const rename = s.faults.find((f: { name: string }) => f.name === 'rename');
    const mph = s.faults.find((f: { name: string }) => f.name === 'mph');
    expect(rename.messages).toBeGreaterThan(20);
    expect(rename.details.ops[0]).toMatchObject({ applied: rename.messages, missing: 0 });
    expect(mph.messages).toBeGreaterThan(20);
    // every renamed message ends in the DLQ; the unit change passes the schema, silently
    const dlq = s.queues.find((q: { role: string }) => q.role === 'dlq');
    expect(dlq.finalDepth).toBe(rename.messages);
    expect(rename.windows[0].stoppedBy).toBe('end');
    // by destination: the renamed ones all dead-lettered; the mph ones through to the output, flagged —
    // but for those of vehicles both faults picked, which the rename sends to the DLQ
    expect(rename.destinations).toMatchObject({ injected: rename.messages, dlq: rename.messages, accepted: 0, unaccounted: 0 });
    expect(mph.destinations.accepted).toBeGreaterThan(0);
    expect(mph.destinations.accepted + mph.destinations.dlq).toBe(mph.messages);
    expect(mph.acceptedSilently).toBe(mph.destinations.accepted);
    expect(rename.acceptedSilently).toBe(0);
    // the DLQ grew after the drift started and not before
    expect(rename.comparison.verdict, JSON.stringify(rename.comparison)).toBe('worse');
    expect(rename.comparison.before.errorRate ?? 0).toBe(0);
    expect(rename.comparison.before.dlq?.growth ?? 0).toBe(0);
    expect(rename.comparison.during.dlq.growth).toBe(rename.messages);
    expect(r.stdout).toMatch(new RegExp(`^  ⚠ accepted silently: ${mph.destinations.accepted.toLocaleString('en-US')} changed message\\(s\\) reached the output`, 'm'));
  }, 60_000);

  it('a manual fault from a second terminal: fault list, fault start, fault stop while the run goes; journaled as manual; control.json gone after Ctrl-C', async () => {
    const out = join(tempDir(), 'manual');
    const file = join(tempDir(), 'manual.yaml');
    writeFileSync(file, ['name: manual', 'fleet: { vehicles: 100 }', 'target: sandbox', 'phases:', '  - { kind: constant, rate: 50/s, duration: 60s }', 'engine: { warmup: 0 }', 'probes: { output: none, dlq: none }',
      'faults:', '  - { kind: poison, name: gd, manual: true, poison: [malformed-json] }', ''].join('\n'));
    const run = runCli(['run', file, '--out', out], { timeoutMs: 60_000 });
    const control = join(out, 'control.json');
    for (let i = 0; i < 200 && !existsSync(control); i++) await new Promise((r) => setTimeout(r, 50));
    const list = await runCli(['fault', 'list', '--run', out]);
    expect(list.stdout).toMatch(/^gd\s+poison\s+manual\s+idle\s+started – stopped –$/m);
    // the clock may not run yet (the sandbox starts, then the warm-up): retry a refused start for a few seconds
    let started = await runCli(['fault', 'start', 'gd', '--run', out]);
    for (let i = 0; i < 50 && started.code !== 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      started = await runCli(['fault', 'start', 'gd', '--run', out]);
    }
    expect(started.stdout).toContain('fault gd started (journaled as manual)');
    const again = await runCli(['fault', 'start', 'gd', '--run', out]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/cannot start fault gd: fault gd is already active/);
    const unknown = await runCli(['fault', 'stop', 'nope', '--run', out]);
    expect(unknown.stderr).toMatch(/no fault named nope in this run \(its faults: gd\)/);
    expect((await runCli(['fault', 'stop', 'gd', '--run', out])).stdout).toContain('fault gd stopped');
    // the load would go on for a minute: Ctrl-C ends it (results written, control.json removed)
    run.child.kill('SIGINT');
    const r = await run;
    expect(r.code, r.stderr).toBe(130);
    expect(existsSync(control)).toBe(false);
    const j = readJournal(out);
    expect(j.faults.map((e) => [e.type, e.by])).toEqual([['fault-start', 'manual'], ['fault-stop', 'manual']]);
    expect(summaryOf(out).faults[0].messages).toBeGreaterThan(0);
    const after = await runCli(['fault', 'list', '--run', out]);
    expect(after.code).toBe(2);
    expect(after.stderr).toMatch(/no run with faults is going in .*control\.json not found/);
  }, 90_000);
});
