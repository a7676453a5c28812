/** How `rushhour run` shows its progress. */
export type OutputMode = 'ink' | 'plain' | 'jsonl' | 'none';

export const OUTPUT_MODES: readonly OutputMode[] = ['ink', 'plain', 'jsonl', 'none'];

/**
 * Picks the progress output (pure): `--log` wins when given (with `--json` its lines go to
 * stderr, and the live view, which would draw over the JSON on stdout, becomes plain lines);
 * `--json` alone prints nothing until the final summary JSON; otherwise the ink live view on a
 * terminal that is not CI (ink draws only its last frame when CI is set), one plain line per
 * interval anywhere else.
 */
export function pickOutputMode(o: { log?: string; json: boolean; stdoutIsTTY: boolean; ci: boolean }): OutputMode {
  if (o.log !== undefined) return o.json && o.log === 'ink' ? 'plain' : (o.log as OutputMode);
  if (o.json) return 'none';
  return o.stdoutIsTTY && !o.ci ? 'ink' : 'plain';
}
