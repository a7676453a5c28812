// Running rushhour and then autocannon at the same rate against the same target.

import { runAutocannon } from './autocannon.mjs';
import { runRushhour } from './rushhour.mjs';
import { log, sleep } from './util.mjs';

/** rushhour, a 500 ms pause, then autocannon; `label` is the progress line's prefix, e.g. "(a)". */
export async function runPair(ctx, target, label, { rate, durationS, connections }) {
  log(`${label} ${rate}/s for ${durationS} s: rushhour…`);
  const rh = await runRushhour(ctx, target, { rate, durationS, connections });
  await sleep(500);
  log(`${label} ${rate}/s for ${durationS} s: autocannon…`);
  const ac = await runAutocannon(target, { rate, durationS, connections });
  return { rh, ac };
}
