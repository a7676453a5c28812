import { Flags } from '@oclif/core';
import { parseDuration, parseRate } from '../util/units.js';
import { UserError } from '../util/user-error.js';

/** `--duration 30s`: value in ms. */
export const durationFlag = Flags.custom<number>({
  parse: async (input, _ctx, opts) => {
    const ms = parseDuration(input);
    if (ms === undefined || ms <= 0) throw new UserError(`--${opts.name} expects a duration such as 500ms, 30s, 5m or 1h, got "${input}"`, { hint: 'see --help for the flag\'s format' });
    return ms;
  },
});

/** `--rate 2000` or `--rate 2000/s`: arrivals per second. */
export const rateFlag = Flags.custom<number>({
  parse: async (input, _ctx, opts) => {
    const r = parseRate(input);
    if (r === undefined || r <= 0) throw new UserError(`--${opts.name} expects a rate such as 2000 or 2000/s, got "${input}"`, { hint: 'see --help for the flag\'s format' });
    return r;
  },
});

/** A positive integer flag with a readable error. */
export const positiveIntFlag = Flags.custom<number>({
  parse: async (input, _ctx, opts) => {
    const n = Number(input);
    if (!Number.isInteger(n) || n <= 0) throw new UserError(`--${opts.name} expects a positive whole number, got "${input}"`);
    return n;
  },
});
