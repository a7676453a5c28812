import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../src/scenario/build-plan.js';
import { describePlan, formatBytes, formatSpan, planToJson } from '../../src/scenario/describe-plan.js';
import { parse } from './helpers.js';

const SECRET_YAML = `
name: cold-start
description: Idle gaps then bursts
seed: 42
fleet: { vehicles: 5000, diagnosticSize: 64KiB, partitionKey: { strategy: tenant, skew: 1.1 } }
target:
  http:
    url: "https://bob:hunter2@api.example/ingest"
    headers: { Authorization: "Bearer s3cr3t-literal", X-Api-Key: "\${API_KEY}" }
phases:
  - { kind: constant, duration: 30s, rate: 1000/s }
  - { kind: ramp, duration: 1m, from: 100/s, to: 2000/s }
  - { kind: step, duration: 1m, from: 100, to: 400, steps: 4 }
  - { kind: spike, duration: 1m, base: 200/s, peak: 5000/s, at: 20s, for: 5s }
  - { kind: sine, duration: 10m, mean: 1000/s, amplitude: 500/s, period: 5m }
  - { kind: idle, duration: 30s }
  - { kind: constant, duration: 30s }
thresholds: [p99 < 250ms, error_rate < 1%]
`;

const plan = () => buildPlan({ scenario: parse(SECRET_YAML), source: 'scenarios/cold-start.yaml', overrides: {} });

describe('describePlan', () => {
  it('prints every part of the plan', () => {
    const lines = describePlan(plan());
    const text = lines.join('\n');
    expect(lines[0]).toBe('scenario    cold-start — Idle gaps then bursts');
    expect(lines).toContain('source      scenarios/cold-start.yaml');
    expect(lines).toContain('seed        42');
    expect(lines).toContain('target      http POST https://***:***@api.example/ingest (32 connections, pipelining 1, timeout 10s)');
    expect(lines).toContain('headers     Authorization, X-Api-Key (values hidden)');
    expect(lines).toContain('phases      7, 14m30s in all');
    expect(text).toMatch(/1\.\s+constant-0\s+constant\s+1,000\/s\s+30s\s+~30,000 msgs/);
    expect(text).toMatch(/2\.\s+ramp-1\s+ramp\s+100\/s → 2,000\/s\s+1m\s+~63,000 msgs/);
    expect(text).toMatch(/3\.\s+step-2\s+step\s+100\/s → 400\/s in 4 steps\s+1m\s+~15,000 msgs/);
    expect(text).toMatch(/4\.\s+spike-3\s+spike\s+200\/s, 5,000\/s at 20s for 5s\s+1m\s+~36,000 msgs/);
    expect(text).toMatch(/5\.\s+sine-4\s+sine\s+1,000\/s ± 500\/s, period 5m\s+10m\s+~600,000 msgs/);
    expect(text).toMatch(/6\.\s+idle-5\s+idle\s+no traffic\s+30s\s+~0 msgs/);
    expect(text).toMatch(/7\.\s+constant-6\s+constant\s+2,500\/s\s+30s\s+~75,000 msgs/);
    expect(lines).toContain('messages    ~819,000 in 14m30s, peak 5,000/s');
    expect(text).toMatch(/^bytes {7}~\d[\d.,]* MiB \(mean body ~\d+ B, estimated from the mix\)$/m);
    expect(text).toContain('fleet       5,000 vehicles reporting every 1s..3s (mean 2s) → fleet rate 2,500/s; rate source: fleet');
    expect(text).toContain('mix         telemetry 95%, trip_start 1%, trip_end 1%, harsh_braking 1.5%, geofence 1%, diagnostic 0.5%; diagnostic dumps 64 KiB');
    expect(lines).toContain('partitions  by tenant, skew 1.1 (100 fleets, 10 tenants)');
    expect(lines).toContain('thresholds  p99 < 250ms; error_rate < 1%');
    expect(lines).toContain('engine      max in flight 25,000, warm-up 1,250 requests, drain timeout 15s, interval 1s');
  });

  it('never prints a header value or a URL password', () => {
    const text = describePlan(plan()).join('\n');
    for (const secret of ['s3cr3t-literal', 'API_KEY', 'hunter2', 'Bearer']) expect(text).not.toContain(secret);
  });

  it('quick mode against the sandbox', () => {
    const lines = describePlan(buildPlan({ overrides: { durationMs: 10_000 } }));
    expect(lines).toContain('source      command-line flags (quick mode)');
    expect(lines).toContain('target      sandbox (embedded pipeline; 32 connections, pipelining 1, timeout 10s)');
    expect(lines).toContain('sandbox     default model parameters');
    expect(lines).toContain('thresholds  none');
  });
});

describe('planToJson', () => {
  it('masks header values and the URL password, and adds the estimate', () => {
    const p = plan();
    const json = planToJson(p);
    expect(json.target).toMatchObject({ url: 'https://***:***@api.example/ingest', headers: { Authorization: '***', 'X-Api-Key': '***' } });
    const text = JSON.stringify(json);
    for (const secret of ['s3cr3t-literal', 'API_KEY', 'hunter2']) expect(text).not.toContain(secret);
    expect(json.estimate).toMatchObject({ durationMs: 870_000, peakRate: 5000, fleetRate: 2500 });
    expect(json.estimate.messages).toBeCloseTo(819_000, 3);
    expect(json.estimate.bytes).toBeCloseTo(json.estimate.messages * json.estimate.meanBodyBytes, 3);
    // The plan itself is untouched.
    expect(p.target).toMatchObject({ headers: { Authorization: 'Bearer s3cr3t-literal' } });
    expect(JSON.parse(text)).toEqual(json);
  });
});

describe('formatting helpers', () => {
  it.each([
    [0, '0s'],
    [750, '750ms'],
    [1500, '1500ms'],
    [90_000, '1m30s'],
    [3_600_000, '1h'],
    [3_723_000, '1h2m3s'],
  ])('formatSpan(%d) = %s', (ms, text) => expect(formatSpan(ms)).toBe(text));

  it.each([
    [512, '512 B'],
    [65_536, '64 KiB'],
    [1_572_864, '1.5 MiB'],
  ])('formatBytes(%d) = %s', (n, text) => expect(formatBytes(n)).toBe(text));

});
