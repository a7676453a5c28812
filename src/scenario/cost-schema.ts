import { z } from 'zod';
import { LIST_PRICES, type Prices } from '../targets/cost.js';

/** The scenario's `cost:` block, resolved: a budget in USD and the prices (list prices where not overridden). */
export interface CostSettings {
  budgetUsd?: number;
  prices: Prices;
}

const USD = /^\s*\$?\s*(\d+(?:\.\d+)?)\s*(?:USD)?\s*$/i;

const budget = z
  .union([z.number().nonnegative(), z.string()], { error: 'expected an amount in USD such as 5, "5 USD" or "$5"' })
  .transform((v, ctx) => {
    if (typeof v === 'number') return v;
    const m = USD.exec(v);
    if (!m) {
      ctx.addIssue({ code: 'custom', message: `expected an amount in USD such as 5, "5 USD" or "$5", got ${JSON.stringify(v)}` });
      return z.NEVER;
    }
    return Number(m[1]);
  })
  .meta({ title: 'Budget (USD)', description: 'A run estimated above it does not start unless `--yes` is given.', examples: ['5 USD'] });

const price = (title: string) => z.number().nonnegative({ error: 'expected a price in USD, 0 or more' }).meta({ title }).optional();

const prices = z
  .strictObject({
    region: z.string().min(1).meta({ title: 'Region the prices are for' }).optional(),
    asOf: z.string().min(1).meta({ title: 'Date the prices were checked' }).optional(),
    kinesisShardHour: price('Kinesis, per shard-hour (provisioned)'),
    kinesisPutUnitsPerMillion: price('Kinesis, per million PUT payload units (provisioned)'),
    kinesisOnDemandStreamHour: price('Kinesis, per stream-hour (on-demand)'),
    kinesisOnDemandPerGiB: price('Kinesis, per GiB written (on-demand)'),
    sqsStandardPerMillion: price('SQS standard, per million requests'),
    sqsFifoPerMillion: price('SQS FIFO, per million requests'),
  })
  .meta({ title: 'Prices (USD)', description: `Override the list prices (${LIST_PRICES.region}, ${LIST_PRICES.asOf}).` });

export const costSchema = z
  .strictObject({ budget: budget.optional(), prices: prices.optional() })
  .meta({ title: 'Cost preview and budget', description: 'What the run itself costs on AWS at list prices (`validate` prints it), and a budget that stops a run estimated above it.' })
  .transform((c): CostSettings => ({ ...(c.budget !== undefined ? { budgetUsd: c.budget } : {}), prices: { ...LIST_PRICES, ...definedOnly(c.prices ?? {}) } }));

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
