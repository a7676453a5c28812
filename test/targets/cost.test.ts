import { describe, expect, it } from 'vitest';
import { costLine, formatUsd, LIST_PRICES } from '../../src/targets/cost.js';
import { kinesisKind } from '../../src/targets/kinesis/kind.js';
import { sqsKind } from '../../src/targets/sqs/kind.js';

const kinesis = kinesisKind.schema.parse({ stream: 'telemetry' });
const sqs = (queue: string) => sqsKind.schema.parse({ queue });
const HOUR = 3_600_000;

describe('cost preview at list prices (pure)', () => {
  it.each([
    // [load, facts, total USD]
    // 1M records of 480 B: 1M PUT payload units × $0.014/M; shards unknown: shard-hours are left out and said so
    [{ messages: 1_000_000, meanBytes: 480, durationMs: HOUR }, undefined, 0.014],
    // a record of 30 KB is 2 units
    [{ messages: 1_000_000, meanBytes: 30 * 1024, durationMs: HOUR }, undefined, 0.028],
    // with 4 shards for an hour: + 4 shard-hours × $0.015
    [{ messages: 1_000_000, meanBytes: 480, durationMs: HOUR }, { shards: 4 }, 0.014 + 0.06],
    // on-demand: 1 stream-hour × $0.04 + 480 MB ≈ 0.447 GiB × $0.08
    [{ messages: 1_000_000, meanBytes: 480, durationMs: HOUR }, { onDemand: true }, 0.04 + (480e6 / 2 ** 30) * 0.08],
  ])('kinesis %j %j → $%d', (load, facts, usd) => {
    const c = kinesisKind.estimateCost!(kinesis, load, LIST_PRICES, facts);
    expect(c.usd).toBeCloseTo(usd, 5);
    if (!facts) expect(c.notes.join()).toMatch(/shard-hours/);
  });

  it.each([
    // 1M messages of 480 B in batches of 10 = 100k calls, each one 64 KiB chunk → 100k requests
    ['telemetry', { messages: 1_000_000, meanBytes: 480, durationMs: HOUR }, 0.1e6 * 0.4e-6],
    // FIFO costs more per request
    ['telemetry.fifo', { messages: 1_000_000, meanBytes: 480, durationMs: HOUR }, 0.1e6 * 0.5e-6],
    // 10 × 20 KiB = 200 KiB a call: 4 chunks of 64 KiB each
    ['telemetry', { messages: 1_000_000, meanBytes: 20 * 1024, durationMs: HOUR }, 0.4e6 * 0.4e-6],
  ] as const)('sqs %s %j → $%d', (queue, load, usd) => {
    expect(sqsKind.estimateCost!(sqs(queue), load, LIST_PRICES).usd).toBeCloseTo(usd, 6);
  });

  it('actual cost from the batch calls a run made', () => {
    const requests = { count: 100, ok: 100, failed: 0, retries: 0, records: 1000, bytes: 480_000, errors: {} };
    expect(sqsKind.actualCost!(sqs('q'), requests, HOUR, LIST_PRICES).items[0].units).toBe(100);
    expect(kinesisKind.actualCost!(kinesis, requests, HOUR, LIST_PRICES).items[0].units).toBe(1000);
  });

  it('prints cheap runs with enough digits', () => {
    expect(formatUsd(0.000123)).toBe('$0.000123');
    expect(formatUsd(12.345)).toBe('$12.35');
    expect(costLine(kinesisKind.estimateCost!(kinesis, { messages: 1000, meanBytes: 400, durationMs: 1000 }, LIST_PRICES), LIST_PRICES)).toMatch(/^~\$0\.0000140 at list prices \(us-east-1, 2026-12-01\): PUT payload units 1,000 = \$0\.0000140; plus shard-hours/);
  });
});
