import type { EventListener, RunEvent } from '../engine/events.js';
import { publicPlan } from '../results/journal-writer.js';

type EndEvent = Extract<RunEvent, { type: 'end' }>;

/**
 * The run's event stream, owned by the run service: a typed bus that producers publish to (the
 * engine with its fault timeline, through the probe stream that adds the probes' readings; the
 * threshold checker; the fault and cold-start summaries) and that consumers subscribe to (the
 * results writer, the loggers, the live view). Synchronous and in order: `publish` returns once
 * every consumer has seen the event, so keep consumers cheap (they run on the engine's event
 * loop; `interval.histograms` are valid only during the call).
 *
 * Contracts:
 * - consumers see events in subscription order; a reactor (subscribed with `react`) sees each
 *   event after every consumer and may publish its own events, which every consumer then sees
 *   right after it (the threshold checker's word comes right after the interval it judged);
 * - before `end` is delivered, each `beforeEnd` hook (in registration order) may publish its
 *   events (the windowed thresholds' final verdicts, the cold-start tax, the faults' effects);
 *   `end` is the last event: anything published after it is dropped;
 * - the `start` event carries the public plan (secrets masked), never the raw one.
 */
export class RunBus {
  private readonly consumers: EventListener[] = [];
  private readonly reactors: EventListener[] = [];
  private readonly endHooks: ((end: EndEvent) => void)[] = [];
  private ended = false;

  /** Adds a consumer; returns its unsubscribe. */
  subscribe(consumer: EventListener): () => void {
    this.consumers.push(consumer);
    return () => {
      const i = this.consumers.indexOf(consumer);
      if (i >= 0) this.consumers.splice(i, 1);
    };
  }

  /** Adds a reactor: it sees every event after the consumers and may publish in response. */
  react(reactor: EventListener): void {
    this.reactors.push(reactor);
  }

  /** Adds a hook that may publish its events just before `end` reaches the consumers. */
  beforeEnd(hook: (end: EndEvent) => void): void {
    this.endHooks.push(hook);
  }

  readonly publish = (event: RunEvent): void => {
    if (this.ended) return;
    if (event.type === 'end') {
      for (const hook of this.endHooks) hook(event);
      this.ended = true;
      this.deliver(event);
      return;
    }
    this.deliver(event.type === 'start' ? { ...event, plan: publicPlan(event.plan) } : event);
  };

  private deliver(event: RunEvent): void {
    for (const c of this.consumers) c(event);
    for (const r of this.reactors) r(event);
  }
}
