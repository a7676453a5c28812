import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJournal } from '../../src/results/journal-reader.js';
import { BIN, tempDir } from '../support/cli.js';
import { startServer, type TestServer } from '../support/http-server.js';
import { TmuxSession } from '../support/tmux.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer((_req, _body, res) => {
    res.writeHead(202);
    res.end();
  });
});
afterAll(async () => server.close());

/** The real CLI in a real terminal (tmux, CI unset so ink draws live): the view, the game-day button, pause and resume, then q. */
describe('the live view in a terminal (tmux, child process)', () => {
  it('draws the view; f opens the library and 1 starts the manual fault; p pauses and resumes; q stops — and the results record all of it', async () => {
    const out = join(tempDir(), 'live');
    const file = join(tempDir(), 'live.yaml');
    writeFileSync(file, [
      'name: live', 'fleet: { vehicles: 100 }', `target: { http: { url: "${server.url}" } }`, 'phases:', '  - { kind: constant, rate: 100/s, duration: 60s }',
      'thresholds: [ "p99 < 1s" ]', 'faults:', '  - { kind: poison, name: gameday, manual: true, poison: [malformed-json], fraction: 10% }', '',
    ].join('\n'));
    const tmux = new TmuxSession(`${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} run ${JSON.stringify(file)} --out ${JSON.stringify(out)}`, { columns: 100, rows: 40 }, { GITHUB_STEP_SUMMARY: '' });
    try {
      let pane = await tmux.waitFor((p) => p.includes('f faults') && /rates\s+target 100/.test(p), 'the live view at 100/s');
      tmux.save('live-view-1-running.txt', pane);
      expect(pane).toContain('rushhour live');
      expect(pane).toMatch(/p99 < 1s\s+holding/);

      tmux.send('f');
      pane = await tmux.waitFor((p) => p.includes('fault library — press 1–9'), 'the fault library');
      tmux.save('live-view-2-library.txt', pane);
      expect(pane).toMatch(/1\S*\s+gameday/);
      tmux.send('1');
      pane = await tmux.waitFor((p) => /fault gameday started \(manual\)/.test(p), 'the manual fault started');
      tmux.save('live-view-3-fault.txt', pane);
      tmux.send('Escape');

      tmux.send('p');
      pane = await tmux.waitFor((p) => p.includes('PAUSED') && /target 0(\.0)?\/s/.test(p), 'the load paused (target 0/s)');
      tmux.save('live-view-4-paused.txt', pane);
      tmux.send('p');
      pane = await tmux.waitFor((p) => !p.includes('PAUSED') && /rates\s+target 100/.test(p), 'the load resumed at 100/s');
      tmux.save('live-view-5-resumed.txt', pane);

      tmux.send('q');
      pane = await tmux.waitFor((p) => /RUSHHOUR_EXIT=\d+/.test(p), 'the run to end', 60_000);
      tmux.save('live-view-6-ended.txt', pane);
      expect(pane).toMatch(/RUSHHOUR_EXIT=130/);
      expect(pane).toMatch(/verdict: INTERRUPTED/);
    } finally {
      tmux.close();
    }

    // what the results directory recorded: the manual fault, the pause and the resume, a complete summary
    const journal = readJournal(out);
    expect(journal.faults.find((f) => f.type === 'fault-start')).toMatchObject({ name: 'gameday', by: 'manual' });
    expect(journal.controls.map((c) => c.type)).toEqual(['pause', 'resume']);
    const [pause, resume] = journal.controls;
    expect(resume.tMs).toBeGreaterThan(pause.tMs);
    expect(journal.end?.reason).toBe('interrupted');
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.status).toBe('interrupted');
    expect(summary.faults[0]).toMatchObject({ name: 'gameday', windows: [{ startedBy: 'manual' }] });
    const c = summary.counts;
    expect(c.ok + c.failed + c.dropped + c.unfinished).toBe(c.due);
    expect(existsSync(join(out, 'report.html'))).toBe(true);
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toMatch(/the load paused \(manual\)/);
  }, 120_000);
});
