import { Box, useInput, useStdout } from 'ink';
import { useEffect, useSyncExternalStore, type ReactElement } from 'react';
import type { RunControl } from '../../engine/engine-types.js';
import type { TriggerResult } from '../../engine/timeline.js';
import { keyCommand, type KeyCommand } from './keys.js';
import type { LiveStore } from './live-store.js';
import { HistoryLines, LiveView } from './live-view.js';

export interface LiveAppProps {
  store: LiveStore;
  /** The run's controls once its clock started; null before. */
  controller: () => RunControl | null;
  /** Keys work only when stdin is a terminal (raw mode); otherwise the view says so. */
  keys: boolean;
  /** Ctrl-C and q: the same path as SIGINT (first: stop gracefully; second: quit at once). */
  interrupt: () => void;
}

/**
 * The live view's one stateful component: it reads the store (redrawn at most 10 times a second,
 * see LiveStore), prints the history above the live area (ink's <Static>), and turns keys into
 * commands on the run; what cannot be done now becomes a notice in the view, never nothing.
 */
export function LiveApp({ store, controller, keys, interrupt }: LiveAppProps): ReactElement {
  const state = useSyncExternalStore(store.subscribe, () => store.state);
  const { stdout } = useStdout();
  useEffect(() => {
    const size = () => store.dispatch({ type: 'ui-size', columns: stdout.columns || 80, rows: stdout.rows || 24 });
    size();
    stdout.on('resize', size);
    return () => {
      stdout.off('resize', size);
    };
  }, [stdout, store]);
  useInput((input, key) => run(keyCommand(input, key, store.state, controller() !== null), store, controller(), interrupt), { isActive: keys });
  return (
    <Box flexDirection="column">
      <HistoryLines lines={store.printed} columns={state.size.columns} />
      <LiveView state={state} />
    </Box>
  );
}

/** Carries out one key's command; a refusal from the run becomes a notice. */
function run(cmd: KeyCommand, store: LiveStore, c: RunControl | null, interrupt: () => void): void {
  const notice = (text: string) => store.dispatch({ type: 'ui-notice', text });
  const said = (what: string, r: TriggerResult) => {
    if (!r.ok) notice(`${what}: ${r.reason}`);
  };
  switch (cmd.kind) {
    case 'none': return;
    case 'notice': return notice(cmd.text);
    case 'mode': return store.dispatch({ type: 'ui-mode', mode: cmd.mode });
    case 'stop':
      notice('stopping — waiting for in-flight requests, then writing results (q again to quit at once)');
      return interrupt();
  }
  if (!c) return notice('the clock has not started yet (warm-up)');
  switch (cmd.kind) {
    case 'pause': return said('p: cannot pause', c.pause());
    case 'resume': return said('p: cannot resume', c.resume());
    case 'pace': return said('cannot change the rate', c.setPace(cmd.factor));
    case 'start-fault': return said(`cannot start ${cmd.name}`, c.startFault(cmd.name));
    case 'stop-fault': return said(`cannot stop ${cmd.name}`, c.stopFault(cmd.name));
  }
}
