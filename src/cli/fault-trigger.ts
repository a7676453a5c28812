import { Args, Flags } from '@oclif/core';

/** The argument and flag `rushhour fault start` and `fault stop` share: which fault, of which run. */
export const faultTriggerArgs = {
  name: Args.string({ description: 'The fault\'s name (its name:, or KIND-INDEX).', required: true }),
};

export const faultTriggerFlags = {
  run: Flags.string({ description: 'The results directory of the run in progress (its --out).', required: true }),
};
