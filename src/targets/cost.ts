/**
 * List prices the cost preview uses, in USD. The defaults are AWS's published on-demand prices
 * for us-east-1 as this table was written on 2026-12-01 — from the published price lists, NOT
 * re-checked against the live pricing pages (this project's machines cannot reach them). Other
 * regions, later price changes and negotiated prices differ: override any of them in the
 * scenario's `cost.prices`. `asOf` is the date the table was written.
 */
export interface Prices {
  region: string;
  asOf: string;
  /** Kinesis provisioned mode: per shard-hour, and per million PUT payload units (25 KB each, rounded up per record). */
  kinesisShardHour: number;
  kinesisPutUnitsPerMillion: number;
  /** Kinesis on-demand mode: per stream-hour, and per GiB of data written. */
  kinesisOnDemandStreamHour: number;
  kinesisOnDemandPerGiB: number;
  /** SQS per million requests (each 64 KiB chunk of a request is one), standard and FIFO queues. */
  sqsStandardPerMillion: number;
  sqsFifoPerMillion: number;
}

export const LIST_PRICES: Prices = {
  region: 'us-east-1',
  asOf: '2026-12-01',
  kinesisShardHour: 0.015,
  kinesisPutUnitsPerMillion: 0.014,
  kinesisOnDemandStreamHour: 0.04,
  kinesisOnDemandPerGiB: 0.08,
  sqsStandardPerMillion: 0.4,
  sqsFifoPerMillion: 0.5,
};

/** The load a run offers, as the plan estimates it. */
export interface CostLoad {
  messages: number;
  /** Mean message size, bytes. */
  meanBytes: number;
  durationMs: number;
}

/** One billed item: how many units, of what, at what price. */
export interface CostItem {
  what: string;
  units: number;
  usd: number;
}

/** What a run costs (or would): the items and their sum, and what the figure leaves out. */
export interface CostEstimate {
  usd: number;
  items: CostItem[];
  notes: string[];
}

/** Facts a target learned from the service (validate --check, or open): they make the estimate whole. */
export interface CostFacts {
  shards?: number;
  onDemand?: boolean;
}

export function costOf(items: CostItem[], notes: string[] = []): CostEstimate {
  return { usd: round6(items.reduce((a, i) => a + i.usd, 0)), items: items.map((i) => ({ ...i, usd: round6(i.usd) })), notes };
}

/** "$0.0123" — enough digits that a cheap run does not read $0.00. */
export function formatUsd(usd: number): string {
  return usd >= 100 ? `$${usd.toFixed(0)}` : usd >= 1 ? `$${usd.toFixed(2)}` : `$${usd.toPrecision(3)}`;
}

/** One line of an estimate for people. */
export function costLine(c: CostEstimate, prices: Prices): string {
  const items = c.items.map((i) => `${i.what} ${Math.round(i.units).toLocaleString('en-US')} = ${formatUsd(i.usd)}`).join(', ');
  const notes = c.notes.length ? `; ${c.notes.join('; ')}` : '';
  return `~${formatUsd(c.usd)} at list prices (${prices.region}, ${prices.asOf}): ${items}${notes}`;
}


function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
