import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, STACK_LINE, tempDir } from '../support/cli.js';
import { createActiveStream, kinesisClient, startKinesalite, type Emulator } from '../support/aws-emulators.js';
import { startKinesisFaultProxy } from '../support/kinesis-fault-proxy.js';

let emu: Emulator;
let client: KinesisClient;
let env: NodeJS.ProcessEnv;
beforeAll(async () => {
  emu = await startKinesalite();
  client = kinesisClient(emu.endpoint);
  await createActiveStream(client, 'telemetry', 4);
  // The SDK's own configuration, as a user would set it for a local emulator.
  env = { AWS_ENDPOINT_URL_KINESIS: emu.endpoint, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' };
});
afterAll(async () => {
  client.destroy();
  await emu.close();
});

describe('rushhour run against Kinesis (child process, kinesalite on loopback)', () => {
  it('quick mode --target kinesis:STREAM: every message ok, batch calls and per-shard load in summary.json', async () => {
    const out = join(tempDir(), 'kinesis');
    const r = await runCli(['run', '--target', 'kinesis:telemetry', '--rate', '500', '--duration', '3s', '--out', out], { env });
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/NodeVersionSupportWarning/);
    const s = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(s.counts).toMatchObject({ due: 1500, ok: 1500, failed: 0, dropped: 0, unfinished: 0 });
    expect(s.requests.records).toBe(1500);
    expect(s.requests.count).toBeGreaterThan(1500 / 500);
    expect(s.requests.count).toBeLessThan(1500);
    expect(s.shards).toHaveLength(4);
    expect(s.shards.reduce((a: number, x: { records: number }) => a + x.records, 0)).toBe(1500);
    // linger counts in latency from the intended time, the PutRecords call in service time
    expect(s.latency.p50).toBeGreaterThan(s.serviceTime.p50);
    expect(r.stdout).toMatch(/shards: 4/);
  });

  it('a stream that does not exist fails before the clock with exit 2 and says what to fix', async () => {
    const r = await runCli(['run', '--target', 'kinesis:missing', '--rate', '100', '--duration', '2s', '--out', join(tempDir(), 'x')], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/error: stream 'missing' not found in us-east-1 at http:\/\/127\.0\.0\.1:\d+ \(from AWS_ENDPOINT_URL_KINESIS\)/);
    expect(r.stderr).toMatch(/hint: create it/);
    expect(r.stderr).not.toMatch(STACK_LINE);
  });

  it('validate describes the target without contacting AWS', async () => {
    const file = join(tempDir(), 'k.yaml');
    writeFileSync(file, 'name: k\ntarget:\n  kinesis: { stream: telemetry, maxRecords: 250, linger: 20ms }\nduration: 10s\n');
    const r = await runCli(['validate', file], { env: { ...env, AWS_ENDPOINT_URL_KINESIS: 'http://127.0.0.1:9/' } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/target\s+kinesis telemetry \(region from the SDK's configuration, endpoint http:\/\/127\.0\.0\.1:9\/ \(from AWS_ENDPOINT_URL_KINESIS\)\)/);
    expect(r.stdout).toMatch(/PutRecords of up to 250 records/);
  });

  it('scenarios/kinesis-aws.yaml runs against the emulator and passes its thresholds; no AWS key is written anywhere', async () => {
    const out = join(tempDir(), 'shipped');
    const secret = { ...env, AWS_ACCESS_KEY_ID: 'AKIAS3CR3TKEYID00000', AWS_SECRET_ACCESS_KEY: 'wJalrS3cr3tAccessKeyValue', AWS_SESSION_TOKEN: 'S3ssi0nT0kenValue' };
    const r = await runCli(['run', 'scenarios/kinesis-aws.yaml', '--duration', '3s', '--out', out, '--log', 'jsonl'], { env: secret, timeoutMs: 60_000 });
    expect(r.code, r.stdout.slice(-2000) + r.stderr).toBe(0);
    const s = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(s.verdict).toBe('PASS');
    expect(s.shards.some((x: { hot: boolean }) => x.hot)).toBe(true); // 20 fleets' keys with skew 1.2 on 4 shards
    const written = ['journal.jsonl', 'latency.hlog', 'summary.json', 'report.md'].map((f) => readFileSync(join(out, f), 'utf8')).join('\n') + r.stdout + r.stderr;
    for (const v of [secret.AWS_ACCESS_KEY_ID, secret.AWS_SECRET_ACCESS_KEY, secret.AWS_SESSION_TOKEN]) expect(written).not.toContain(v);
  }, 60_000);

  it('validate --check checks the stream without sending; a missing one exits 2', async () => {
    const ok = await runCli(['validate', 'scenarios/kinesis-aws.yaml', '--check'], { env });
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/checked\s+stream telemetry: ACTIVE, 4 open shard\(s\)/);
    const file = join(tempDir(), 'missing.yaml');
    writeFileSync(file, 'name: m\ntarget:\n  kinesis: { stream: nothing-here }\nduration: 5s\n');
    const bad = await runCli(['validate', file, '--check'], { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/error: stream 'nothing-here' not found/);
  });

  it('a stream that holds its answers for 400 ms: latency from the intended time and service time both show it', async () => {
    const proxy = await startKinesisFaultProxy(emu.endpoint, { holdMs: 400 });
    try {
      const out = join(tempDir(), 'slow');
      const r = await runCli(['run', '--target', 'kinesis:telemetry', '--rate', '200', '--duration', '2s', '--out', out], { env: { ...env, AWS_ENDPOINT_URL_KINESIS: proxy.endpoint } });
      expect(r.code, r.stderr).toBe(0);
      const s = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
      expect(s.counts.ok).toBe(400);
      expect(s.serviceTime.p50).toBeGreaterThan(400);
      expect(s.latency.p50).toBeGreaterThan(s.serviceTime.p50);
    } finally {
      await proxy.close();
    }
  });

  it('validate prints the cost at list prices; --check adds the shard-hours from the stream it read', async () => {
    const plain = await runCli(['validate', 'scenarios/kinesis-aws.yaml'], { env });
    expect(plain.stdout).toMatch(/cost\s+~\$\S+ at list prices \(us-east-1, 2026-12-01\): PUT payload units 71,500 = \$\S+; plus shard-hours/);
    expect(plain.stdout).toMatch(/budget\s+no budget set/);
    const checked = await runCli(['validate', 'scenarios/kinesis-aws.yaml', '--check'], { env });
    expect(checked.stdout).toMatch(/cost\s+~\$\S+ at list prices .*shard-hours \(4 shards\) 0 = \$/);
  });

  it('a run estimated above cost.budget does not start (exit 2, nothing recorded) unless --yes; summary.json carries the cost', async () => {
    const file = join(tempDir(), 'budget.yaml');
    writeFileSync(file, 'name: b\ntarget:\n  kinesis: { stream: telemetry }\nphases:\n  - { kind: constant, rate: 200/s, duration: 2s }\ncost:\n  budget: 0.000001 USD\n  prices: { kinesisPutUnitsPerMillion: 100 }\n');
    const refused = await runCli(['run', file, '--out', join(tempDir(), 'no')], { env });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/error: the run is estimated to cost \$0\.0\d+ on AWS, above the scenario's budget of \$0\.00000100/);
    expect(refused.stderr).toMatch(/hint: pass --yes/);
    const out = join(tempDir(), 'yes');
    const r = await runCli(['run', file, '--out', out, '--yes'], { env });
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(s.cost.budgetUsd).toBe(0.000001);
    expect(s.cost.estimate.items[0]).toMatchObject({ what: 'PUT payload units', units: 400 + s.warmup.requests });
    expect(s.cost.actual.items[0]).toMatchObject({ what: 'PUT payload units', units: 400 });
    expect(r.stdout).toMatch(/cost: estimated \$\S+ before the run \(budget \$0\.00000100\); the run's calls: \$\S+ \(PUT payload units 400/);
  });
});
