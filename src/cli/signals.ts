/**
 * SIGINT/SIGTERM handling for a run: the first signal asks the engine to stop sending, drain
 * in-flight requests (bounded) and write all results (exit 130); a second one exits at once —
 * the journal and hlog written so far remain, and `rushhour report DIR` can rebuild the summary.
 */
export function installStopSignals(say: (line: string) => void): { attach(c: { stop(): void }): void; dispose(): void } {
  let control: { stop(): void } | undefined;
  let count = 0;
  const handler = (signal: NodeJS.Signals) => {
    count++;
    if (count === 1) {
      say(`${signal}: stopping — waiting for in-flight requests, then writing results (again to quit at once)`);
      control?.stop();
      if (!control) process.exit(130);
    } else {
      say(`${signal}: quitting now; rebuild the summary with \`rushhour report DIR\``);
      process.exit(130);
    }
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    attach(c) {
      control = c;
      if (count > 0) c.stop();
    },
    dispose() {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}
