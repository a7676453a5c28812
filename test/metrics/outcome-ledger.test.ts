import { describe, expect, it } from 'vitest';
import { OutcomeLedger } from '../../src/metrics/outcome-ledger.js';

const due = (perInterval: number[]) => (i: number) => perInterval[i] ?? 0;

describe('outcome ledger: every due arrival counted in the interval it was due in (pure)', () => {
  it('a late answer is counted in the interval it was due in, which is reported again when it changes', () => {
    const l = new OutcomeLedger(1000, due([3, 2]));
    l.resolve(100, '2xx', true);
    l.drop(200);
    expect(l.close(0)).toEqual([{ index: 0, due: 3, ok: 1, failed: 0, dropped: 1, pending: 1, errors: {} }]);
    l.resolve(1500, '5xx', false);
    l.resolve(900, 'timeout', false); // due in interval 0, answered during interval 1
    expect(l.close(1)).toEqual([
      { index: 0, due: 3, ok: 1, failed: 1, dropped: 1, pending: 0, errors: { timeout: 1 } },
      { index: 1, due: 2, ok: 0, failed: 1, dropped: 0, pending: 1, errors: { '5xx': 1 } },
    ]);
    l.resolve(1999, '2xx', true);
    expect(l.close(2).map((c) => [c.index, c.pending])).toEqual([[1, 0], [2, 0]]);
  });

  it('an unchanged cohort is not reported again; a settled one is forgotten', () => {
    const l = new OutcomeLedger(1000, due([1, 1, 1]));
    expect(l.close(0)).toEqual([{ index: 0, due: 1, ok: 0, failed: 0, dropped: 0, pending: 1, errors: {} }]);
    l.resolve(1100, '2xx', true);
    expect(l.close(1).map((c) => c.index)).toEqual([1]); // cohort 0 is still pending but unchanged
    l.resolve(10, '2xx', true);
    expect(l.close(2).map((c) => [c.index, c.pending])).toEqual([[0, 0], [2, 1]]);
    l.resolve(2500, '2xx', true);
    expect(l.close(3).map((c) => [c.index, c.pending])).toEqual([[2, 0], [3, 0]]); // 0 and 1 were settled and forgotten
  });

  it('a resolution in an interval that has not closed yet waits for that close', () => {
    const l = new OutcomeLedger(100, due([1, 1]));
    l.resolve(150, '2xx', true); // the close timer of interval 0 fired late
    expect(l.close(0).map((c) => c.index)).toEqual([0]);
    expect(l.close(1)).toEqual([{ index: 1, due: 1, ok: 1, failed: 0, dropped: 0, pending: 0, errors: {} }]);
  });
});
