import type { RunEvent } from '../../engine/events.js';
import { historyAfter, initialLiveState, reduceLive, type HistoryLine, type LiveAction, type LiveState } from './live-state.js';

/** At most this many redraws a second. */
export const MAX_REDRAWS_PER_S = 10;
/** The history printed above the live area stops growing here (a soak's warnings must not fill memory). */
export const MAX_PRINTED_HISTORY = 10_000;

/**
 * The live view's one state: run events and UI actions are reduced into it as they come (cheap:
 * the reducer is O(size of the event), and run events come at interval cadence, never per
 * request), and the view is told at most MAX_REDRAWS_PER_S times a second — a burst of events
 * is one redraw, never on the engine's hot path. `printed` is the history for ink's <Static>: it
 * only grows (Static prints what is past the count it printed before), up to MAX_PRINTED_HISTORY.
 */
export class LiveStore {
  private current: LiveState = initialLiveState();
  private printedLines: HistoryLine[] = [];
  private lastSeq = 0;
  private listeners: (() => void)[] = [];
  private timer: NodeJS.Timeout | undefined;
  private lastNotify = -Infinity;
  /** Redraws told so far (the bench reads it). */
  redraws = 0;

  constructor(private readonly now: () => number = () => Date.now()) {}

  get state(): LiveState {
    return this.current;
  }

  get printed(): readonly HistoryLine[] {
    return this.printedLines;
  }

  readonly dispatch = (input: RunEvent | LiveAction): void => {
    this.current = reduceLive(this.current, input);
    const fresh = this.current.historySeq === this.lastSeq ? [] : historyAfter(this.current, this.lastSeq);
    if (fresh.length > 0) {
      this.lastSeq = fresh[fresh.length - 1].seq;
      const room = MAX_PRINTED_HISTORY - this.printedLines.length;
      // a new array when lines are added (ink's <Static> memoizes on the array), the same one otherwise
      if (room > 0) this.printedLines = [...this.printedLines, ...fresh.slice(0, room)];
    }
    this.schedule(input.type === 'end');
  };

  /** Subscribes a redraw; returns its unsubscribe (the shape React's useSyncExternalStore takes). */
  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.push(listener);
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  };

  /** Stops any pending redraw timer (the view is going away). */
  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** A redraw now when the last was long enough ago (or `urgent`: the end, the last frame), else once the interval allows. */
  private schedule(urgent: boolean): void {
    const gap = 1000 / MAX_REDRAWS_PER_S;
    const wait = this.lastNotify + gap - this.now();
    if (urgent || wait <= 0) {
      this.close();
      this.notify();
    } else if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.notify();
      }, wait);
      this.timer.unref?.();
    }
  }

  private notify(): void {
    this.lastNotify = this.now();
    this.redraws++;
    for (const l of this.listeners) l();
  }
}
