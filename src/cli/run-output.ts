import type { EventListener } from '../engine/events.js';
import type { RunControl } from '../run/run-service.js';
import { createJsonlLogger } from '../ui/jsonl-logger.js';
import type { OutputMode } from '../ui/output-mode.js';
import { createPlainLogger } from '../ui/plain-logger.js';

/** The run's progress output, as the command wires it: the bus consumers, the lines around the run, the controls for the live view, and the hand-back before the summary. */
export interface RunOutput {
  listeners: EventListener[];
  /** A line of progress (setup notes, the final summary). */
  line(text: string): void;
  attach(c: RunControl): void;
  finish(): Promise<void>;
}

/**
 * One facade over the four outputs: `ink` (the live view with keys; Ctrl-C and q go through
 * `interrupt`, the same path as SIGINT), `plain` (a line per interval), `jsonl` (the journal's
 * events), `none` (silent until the end). With `--json` the summary JSON alone goes to stdout,
 * so every line goes to stderr.
 */
export async function createRunOutput(mode: OutputMode, o: { json: boolean; interrupt: () => void }): Promise<RunOutput> {
  const line = (text: string) => (o.json ? process.stderr.write(text + '\n') : process.stdout.write(text + '\n'));
  if (mode === 'ink') {
    // ink and React load only for the view (plain, jsonl and silent runs never pay for them), and
    // React in its production build unless NODE_ENV says otherwise: the development build costs
    // several times the CPU per redraw (checks, profiling marks) on the generator's own core.
    process.env.NODE_ENV ??= 'production';
    const { createLiveOutput } = await import('../ui/live-output.js');
    const live = createLiveOutput({ stdout: process.stdout, stdin: process.stdin, interrupt: o.interrupt });
    return { listeners: [live.listener], line, attach: (c) => live.attach(c), finish: () => live.finish() };
  }
  const listeners = mode === 'none' ? [] : [mode === 'jsonl' ? createJsonlLogger(line) : createPlainLogger(line)];
  return { listeners, line, attach: () => {}, finish: async () => {} };
}
