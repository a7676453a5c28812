import { writeFileSync } from 'node:fs';
import { render, type Instance } from 'ink';
import type { EventListener, RunEvent } from '../engine/events.js';
import type { RunControl } from '../engine/engine-types.js';
import { LiveApp } from './live/live-app.js';
import { LiveStore } from './live/live-store.js';

export interface LiveOutput {
  /** The run's bus consumer: the view mounts at `start` (lines before it are printed as they come). */
  listener: EventListener;
  /** The run's controls, once its clock runs. */
  attach(c: RunControl): void;
  /** The last frame, then the terminal back to the caller (before the final summary is printed). */
  finish(): Promise<void>;
}

/**
 * The ink live view as a run consumer: one store reduces every event; ink draws the view at most
 * 10 times a second; keys go to the run's controls. Mounted at the run's `start` event, so the
 * setup's lines (starting the sandbox, warnings) print plainly before it.
 */
export function createLiveOutput(o: { stdout: NodeJS.WriteStream; stdin: NodeJS.ReadStream; interrupt: () => void }): LiveOutput {
  const store = new LiveStore();
  let controller: RunControl | null = null;
  let instance: Instance | undefined;
  const keys = o.stdin.isTTY === true;
  let mountedAt = 0;
  const mount = () => {
    mountedAt = Date.now();
    instance = render(<LiveApp store={store} controller={() => controller} keys={keys} interrupt={o.interrupt} />, { stdout: o.stdout, stdin: o.stdin, exitOnCtrlC: false, patchConsole: false });
    if (!keys) store.dispatch({ type: 'ui-notice', text: 'keys are off: stdin is not a terminal' });
  };
  return {
    listener: (e: RunEvent) => {
      if (e.type === 'start' && !instance) mount();
      store.dispatch(e);
    },
    attach(c) {
      controller = c;
    },
    async finish() {
      store.close();
      if (!instance) return;
      instance.unmount();
      await instance.waitUntilExit();
      // bench/live-view-cpu.mjs reads how often the view redrew
      if (process.env.RUSHHOUR_LIVE_STATS) writeFileSync(process.env.RUSHHOUR_LIVE_STATS, JSON.stringify({ redraws: store.redraws, mountedMs: Date.now() - mountedAt }));
    },
  };
}
