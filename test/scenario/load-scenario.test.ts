import { mkdtemp, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../src/scenario/load-scenario.js';
import { DEFAULT_FLEET } from '../../src/scenario/defaults.js';
import { FILE, parse, scenario, userErrorOf, userErrorOfAsync } from './helpers.js';

describe('parseScenarioText: valid files', () => {
  it('fills every default for a minimal file', () => {
    const s = parse('name: smoke\nduration: 30s\n');
    expect(s).toEqual({
      name: 'smoke',
      description: '',
      seed: 1,
      durationMs: 30_000,
      fleet: DEFAULT_FLEET,
      target: { kind: 'sandbox', params: {}, connections: 32, pipelining: 1, timeoutMs: 10_000 },
      thresholds: [],
      engine: {},
    });
  });

  it('resolves the documented example (units, names, thresholds, http target)', () => {
    const s = parse(`
name: cold-start
description: Idle gaps then bursts
seed: 42
fleet:
  vehicles: 5000
  cadence: { min: 500ms, max: 1.5s }
  mix: { telemetry: 1, diagnostic: 0.5 }
  diagnosticSize: 64KiB
  partitionKey: { strategy: fleet, skew: 1.2 }
target:
  http: { url: "http://127.0.0.1:8080/ingest", method: PUT, headers: { Authorization: "Bearer \${API_TOKEN}" }, connections: 8, timeout: 20s }
phases:
  - { kind: constant, duration: 30s, rate: 1000/s }
  - { kind: ramp, duration: 1m, from: 100/s, to: 2000/s, name: warm }
  - { kind: step, duration: 1m, from: 100, to: 400, steps: 4 }
  - { kind: spike, duration: 1m, base: 200/s, peak: 5000/s, at: 20s, for: 5s }
  - { kind: sine, duration: 10m, mean: 1000/s, amplitude: 500/s, period: 5m }
  - { kind: idle, duration: 30s }
  - { kind: constant, duration: 1h, rate: 120/m }
thresholds:
  - p99 < 250ms
  - error_rate < 1%
  - achieved_rate >= 0.99
  - service_p999 <= 1.5s
engine: { maxInFlight: 10000, warmup: 500, drainTimeout: 15s, interval: 2s }
`);
    expect(s.fleet).toEqual({
      vehicles: 5000,
      cadence: { minMs: 500, maxMs: 1500 },
      mix: { telemetry: 1, tripStart: 0, tripEnd: 0, harshBraking: 0, geofence: 0, diagnostic: 0.5 },
      diagnosticBytes: 65_536,
      partitionKey: { strategy: 'fleet', skew: 1.2, fleets: 100, tenants: 10 },
    });
    expect(s.target).toEqual({
      kind: 'http',
      url: 'http://127.0.0.1:8080/ingest',
      method: 'PUT',
      headers: { Authorization: 'Bearer ${API_TOKEN}' },
      connections: 8,
      pipelining: 1,
      timeoutMs: 20_000,
    });
    expect(s.phases).toEqual([
      { kind: 'constant', name: 'constant-0', durationMs: 30_000, rate: 1000 },
      { kind: 'ramp', name: 'warm', durationMs: 60_000, from: 100, to: 2000 },
      { kind: 'step', name: 'step-2', durationMs: 60_000, from: 100, to: 400, steps: 4 },
      { kind: 'spike', name: 'spike-3', durationMs: 60_000, base: 200, peak: 5000, atMs: 20_000, forMs: 5000 },
      { kind: 'sine', name: 'sine-4', durationMs: 600_000, mean: 1000, amplitude: 500, periodMs: 300_000 },
      { kind: 'idle', name: 'idle-5', durationMs: 30_000 },
      { kind: 'constant', name: 'constant-6', durationMs: 3_600_000, rate: 2 },
    ]);
    expect(s.thresholds).toEqual([
      { source: 'p99 < 250ms', metric: 'p99', op: '<', value: 250 },
      { source: 'error_rate < 1%', metric: 'error_rate', op: '<', value: 0.01 },
      { source: 'achieved_rate >= 0.99', metric: 'achieved_rate', op: '>=', value: 0.99 },
      { source: 'service_p999 <= 1.5s', metric: 'service_p999', op: '<=', value: 1500 },
    ]);
    expect(s.engine).toEqual({ maxInFlight: 10_000, warmupRequests: 500, drainTimeoutMs: 15_000, intervalMs: 2000 });
    expect(s.seed).toBe(42);
    expect(s.durationMs).toBeUndefined();
  });

  it.each([
    ['target: sandbox', { kind: 'sandbox', params: {}, connections: 32, pipelining: 1, timeoutMs: 10_000 }],
    ['target: { sandbox: { connections: 4, timeout: 2s } }', { kind: 'sandbox', params: {}, connections: 4, pipelining: 1, timeoutMs: 2000 }],
    ['target: { http: { url: "https://x.example/in" } }', { kind: 'http', url: 'https://x.example/in', method: 'POST', headers: {}, connections: 32, pipelining: 1, timeoutMs: 10_000 }],
  ])('target %s', (line, expected) => {
    expect(parse(scenario(line)).target).toEqual(expected);
  });

  it('keeps a constant phase without a rate for the fleet rate, and a sandbox block', () => {
    const s = parse('name: t\nphases: [{ kind: constant, duration: 5s }]\nsandbox: {}\n');
    expect(s.phases).toEqual([{ kind: 'constant', name: 'constant-0', durationMs: 5000, rate: undefined }]);
    expect(s.sandbox).toBeDefined();
  });

  it('accepts a byte-order mark, comments, CRLF line ends and anchors', () => {
    const s = parse('\uFEFF# comment\r\nname: t\r\nduration: 10s\r\n');
    expect(s.durationMs).toBe(10_000);
    const a = parse('name: t\nphases:\n  - &p { kind: constant, duration: 1s, rate: 5 }\n  - *p\n');
    expect(a.phases?.map((p) => p.name)).toEqual(['constant-0', 'constant-1']);
  });
});

/**
 * Each case: the YAML, then `file:line:col field-path` that must open one line of the message,
 * then a phrase the message must contain.
 */
const ERRORS: [string, string, string, string][] = [
  ['wrong type: name', 'name: 5\nduration: 1s\n', 'x.yaml:1:7 name:', 'expected a name of letters, digits, - and _ (at most 100), got 5'],
  ['wrong type: seed', scenario('seed: abc'), 'x.yaml:3:7 seed:', 'expected an integer from 0 to 4294967295, got "abc"'],
  ['not an integer', scenario('seed: 1.5'), 'x.yaml:3:7 seed:', 'expected an integer from 0 to 4294967295, got 1.5'],
  ['wrong type: fleet', scenario('fleet: 12'), 'x.yaml:3:8 fleet:', 'expected a mapping'],
  ['wrong type: phases', scenario('phases: {kind: idle}'), 'x.yaml:3:9 phases:', 'expected a list, got a mapping'],
  ['missing name', 'duration: 1s\n', 'x.yaml:1:1 name:', 'missing; expected a name of letters'],
  ['unknown key, top level', scenario('rate: 5'), 'x.yaml:3:1 rate:', 'unknown key "rate"; expected one of name,'],
  ['unknown key, suggestion', scenario('thresolds: []'), 'x.yaml:3:1 thresolds:', '(did you mean "thresholds"?)'],
  ['unknown key, nested', scenario('fleet:', '  vehicles: 10', '  cadense: { min: 1s, max: 2s }'), 'x.yaml:5:3 fleet.cadense:', 'unknown key "cadense" (did you mean "cadence"?); expected one of vehicles, cadence, mix, diagnosticSize, partitionKey'],
  ['unknown key, in a phase', 'name: t\nphases:\n  - { kind: constant, duration: 1s, rat: 5 }\n', 'x.yaml:3:37 phases[0].rat:', 'expected one of kind, name, duration, rate'],
  ['unknown key, http target', scenario('target:', '  http:', '    url: http://a', '    retries: 3'), 'x.yaml:6:5 target.http.retries:', 'unknown key "retries"'],
  ['bad rate', 'name: t\nphases:\n  - { kind: constant, duration: 1s }\n  - { kind: constant, duration: 1s }\n  - { kind: constant, duration: 30s, rate: fast }\n', 'x.yaml:5:44 phases[2].rate:', 'expected a rate such as 2000 or 2000/s (or 120/m), got "fast"'],
  ['negative rate', 'name: t\nphases:\n  - { kind: ramp, duration: 1s, from: -5, to: 10 }\n', 'x.yaml:3:39 phases[0].from:', 'got -5'],
  ['rate as a list', 'name: t\nphases:\n  - { kind: ramp, duration: 1s, from: [1], to: 10 }\n', 'x.yaml:3:39 phases[0].from:', 'got a list'],
  ['duration without unit', 'name: t\nduration: 30\n', 'x.yaml:2:11 duration:', 'expected a duration with a unit, such as 500ms, 30s, 5m or 1h, got 30'],
  ['duration bad unit', 'name: t\nduration: 3 days\n', 'x.yaml:2:11 duration:', 'got "3 days"'],
  ['duration zero', 'name: t\nduration: 0s\n', 'x.yaml:2:11 duration:', 'expected more than 0s, got "0s"'],
  ['missing phase duration', 'name: t\nphases:\n  - kind: idle\n', 'x.yaml:3:5 phases[0].duration:', 'missing; expected a duration'],
  ['unknown phase kind', 'name: t\nphases:\n  - { kind: burst, duration: 1s }\n', 'x.yaml:3:13 phases[0].kind:', 'expected one of constant, ramp, step, spike, sine, idle, got "burst"'],
  ['missing phase kind', 'name: t\nphases:\n  - duration: 1s\n', 'x.yaml:3:5 phases[0].kind:', 'missing; expected one of constant'],
  ['amplitude > mean', 'name: t\nphases:\n  - kind: sine\n    duration: 10m\n    mean: 100/s\n    amplitude: 150/s\n    period: 5m\n', 'x.yaml:6:16 phases[0].amplitude:', 'expected amplitude <= mean (100/s)'],
  ['spike past the end', 'name: t\nphases:\n  - { kind: spike, duration: 10s, base: 1, peak: 9, at: 8s, for: 5s }\n', 'x.yaml:3:66 phases[0].for:', 'the spike must end inside the phase'],
  ['step with one level', 'name: t\nphases:\n  - { kind: step, duration: 10s, from: 1, to: 9, steps: 1 }\n', 'x.yaml:3:57 phases[0].steps:', 'expected an integer from 2 to 1000, got 1'],
  ['duplicate phase names', 'name: t\nphases:\n  - { kind: idle, duration: 1s, name: a }\n  - { kind: idle, duration: 1s, name: a }\n', 'x.yaml:4:39 phases[1].name:', 'also the name of phases[0]'],
  ['empty phase list', 'name: t\nphases: []\n', 'x.yaml:2:9 phases:', 'expected at least 1 item'],
  ['cadence min > max', scenario('fleet:', '  cadence: { min: 3s, max: 1s }'), 'x.yaml:4:19 fleet.cadence.min:', 'expected min <= max'],
  ['cadence below 10ms', scenario('fleet:', '  cadence: { min: 5ms, max: 1s }'), 'x.yaml:4:19 fleet.cadence.min:', 'expected at least 10ms, got "5ms"'],
  ['cadence missing max', scenario('fleet:', '  cadence: { min: 1s }'), 'x.yaml:4:12 fleet.cadence.max:', 'missing'],
  ['vehicles out of range', scenario('fleet: { vehicles: 20000000 }'), 'x.yaml:3:20 fleet.vehicles:', 'expected an integer from 1 to 10000000, got 20000000'],
  ['mix all zero', scenario('fleet: { mix: { telemetry: 0 } }'), 'x.yaml:3:15 fleet.mix:', 'expected at least one weight above 0'],
  ['mix negative', scenario('fleet: { mix: { telemetry: -1 } }'), 'x.yaml:3:28 fleet.mix.telemetry:', 'expected a number >= 0, got -1'],
  ['bad size', scenario('fleet: { diagnosticSize: 1 GB }'), 'x.yaml:3:26 fleet.diagnosticSize:', 'expected a size such as 512, 64KiB or 1MB'],
  ['bad strategy', scenario('fleet: { partitionKey: { strategy: vim } }'), 'x.yaml:3:36 fleet.partitionKey.strategy:', 'expected one of vin, fleet, tenant, constant, got "vim"'],
  ['bad threshold metric', scenario('thresholds:', '  - p99 < 250ms', '  - p98 < 250ms'), 'x.yaml:5:5 thresholds[1]:', 'unknown metric "p98"'],
  ['threshold without unit', scenario('thresholds: [p99 < 250]'), 'x.yaml:3:14 thresholds[0]:', 'expected a duration with a unit after "p99 <"'],
  ['threshold garbage', scenario('thresholds: ["fast please"]'), 'x.yaml:3:14 thresholds[0]:', 'expected "<metric> <op> <value>"'],
  ['threshold not a string', scenario('thresholds: [5]'), 'x.yaml:3:14 thresholds[0]:', 'expected text such as "p99 < 250ms", or { check, abortOnFail, delay }, got 5'],
  ['threshold percent over 100', scenario('thresholds: ["error_rate < 150%"]'), 'x.yaml:3:14 thresholds[0]:', 'expected at most 100% for error_rate'],
  ['target typo', scenario('target: sandbx'), 'x.yaml:3:9 target:', 'expected `sandbox` or a mapping with one key, `http:`, `sandbox:`, `kinesis:` or `sqs:`, got "sandbx"'],
  ['target url scheme', scenario('target: { http: { url: "ftp://x/y" } }'), 'x.yaml:3:24 target.http.url:', 'expected an http:// or https:// URL'],
  ['target missing url', scenario('target: { http: { method: POST } }'), 'x.yaml:3:17 target.http.url:', 'missing; expected text'],
  ['target both', scenario('target: { http: { url: "http://a" }, sandbox: {} }'), 'x.yaml:3:9 target:', 'expected exactly one of http:, sandbox:, kinesis: or sqs:, got both'],
  ['bad method', scenario('target: { http: { url: "http://a", method: GET } }'), 'x.yaml:3:44 target.http.method:', 'expected one of POST, PUT, PATCH, got "GET"'],
  ['bad env reference', scenario('target: { http: { url: "http://a", headers: { Authorization: "Bearer ${API TOKEN}" } } }'), 'x.yaml:3:62 target.http.headers.Authorization:', 'references look like ${API_TOKEN}'],
  ['bad header name', scenario('target: { http: { url: "http://a", headers: { "X Y": z } } }'), 'x.yaml:3:47 target.http.headers["X Y"]:', 'expected a header name'],
  ['header value not text', scenario('target: { http: { url: "http://a", headers: { X-N: 5 } } }'), 'x.yaml:3:52 target.http.headers.X-N:', 'expected text, got 5'],
  ['connections zero', scenario('target: { http: { url: "http://a", connections: 0 } }'), 'x.yaml:3:49 target.http.connections:', 'expected an integer from 1 to 10000, got 0'],
  ['sandbox block with http', scenario('target: { http: { url: "http://a" } }', 'sandbox: {}'), 'x.yaml:4:10 sandbox:', 'expected no sandbox: block with an http target'],
  ['duration and phases', 'name: t\nduration: 5s\nphases: [{ kind: idle, duration: 1s }]\n', 'x.yaml:2:11 duration:', 'expected either duration or phases, not both'],
  ['engine unknown key', scenario('engine: { maxInflight: 5 }'), 'x.yaml:3:11 engine.maxInflight:', '(did you mean "maxInFlight"?)'],
  ['name with a space', 'name: cold start\nduration: 1s\n', 'x.yaml:1:7 name:', 'expected a name of letters, digits, - and _ (at most 100), got "cold start"'],
  ['a list at top level', '- name: t\n- duration: 1s\n', 'x.yaml:1:1 (top level):', 'expected a mapping of scenario fields'],
  ['a scalar at top level', 'just text\n', 'x.yaml:1:1 (top level):', 'got "just text"'],
  ['broken YAML: unclosed flow', 'name: t\nphases: [\n', 'x.yaml:3:1 YAML syntax:', 'Flow sequence'],
  ['broken YAML: bad indent', 'name: t\n  duration: 1s\n', 'x.yaml:1:7 YAML syntax:', 'YAML syntax'],
  ['broken YAML: tab indent', 'name: t\nfleet:\n\tvehicles: 5\n', 'x.yaml:3:1 YAML syntax:', 'YAML syntax'],
  ['duplicate key', 'name: t\nname: u\n', 'x.yaml:2:1 YAML syntax:', 'duplicate key'],
  ['two documents', 'name: t\n---\nname: u\n', 'x.yaml:2:1 YAML syntax:', 'more than one document'],
];

describe('parseScenarioText: errors', () => {
  it.each(ERRORS)('%s', (_title, text, where, phrase) => {
    const e = userErrorOf(() => parse(text));
    const lines = e.message.split('\n');
    expect(lines.some((l) => l.startsWith(where)), `no line starts with "${where}" in:\n${e.message}`).toBe(true);
    expect(e.message).toContain(phrase);
    expect(e.message).not.toMatch(/ZodError|invalid_type|\n\s+at /);
    expect(e.hint).toBeTruthy();
  });

  it('reports every problem, one line each, after a headline', () => {
    const e = userErrorOf(() =>
      parse('name: t\nseed: x\nphases:\n  - { kind: constant, duration: 1s, rate: fast }\n  - { kind: idle }\nbogus: 1\n'),
    );
    const lines = e.message.split('\n');
    expect(lines[0]).toBe('x.yaml: the scenario is not valid: 4 problems');
    expect(lines.slice(1)).toEqual([
      'x.yaml:2:7 seed: expected an integer from 0 to 4294967295, got "x"',
      'x.yaml:4:43 phases[0].rate: expected a rate such as 2000 or 2000/s (or 120/m), got "fast"',
      'x.yaml:5:5 phases[1].duration: missing; expected a duration with a unit, such as 500ms, 30s, 5m or 1h',
      expect.stringMatching(/^x\.yaml:6:1 bogus: unknown key "bogus"; expected one of /),
    ]);
  });

  it.each([
    ['empty', ''],
    ['whitespace only', '   \n\n\t\n'],
    ['comments only', '# nothing here\n# at all\n'],
    ['an explicit null', '~\n'],
  ])('%s file: says it is empty', (_t, text) => {
    const e = userErrorOf(() => parse(text));
    expect(e.message).toBe('x.yaml: the scenario file is empty');
    expect(e.hint).toContain('name: smoke');
  });

  it('binary garbage with NUL bytes is not a YAML text file', () => {
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x0d, 0x0a, 0x1a, 0x00, 0xff, 0xfe, 0x00, 0x41]);
    const e = userErrorOf(() => parse(bytes.toString('latin1')));
    expect(e.message).toBe('x.yaml: not a YAML text file (it contains control byte 0x00 at line 1, column 5)');
  });

  it('a stray control character is pointed at', () => {
    const e = userErrorOf(() => parse('name: t\nduration: 1\u0007s\n'));
    expect(e.message).toBe('x.yaml: not a YAML text file (it contains control byte 0x07 at line 2, column 12)');
  });

  it('an alias bomb is refused, not expanded', () => {
    const bomb = ['a: &a [1,2,3,4,5,6,7,8,9,10]', 'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]', 'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]', 'd: [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]'];
    const e = userErrorOf(() => parse(bomb.join('\n')));
    expect(e.message).toMatch(/^x\.yaml: cannot read the YAML/);
  });

  it('__proto__ is an unknown key, not a prototype', () => {
    const e = userErrorOf(() => parse('name: t\nduration: 1s\n__proto__: { name: evil }\n'));
    expect(e.message).toContain('x.yaml:3:1 __proto__: unknown key "__proto__"');
  });

  it('lists at most 30 problems and counts the rest', () => {
    const lines = ['name: t', 'phases:', ...Array.from({ length: 40 }, () => '  - { kind: idle, duration: nope }')];
    const e = userErrorOf(() => parse(lines.join('\n')));
    expect(e.message.split('\n')).toHaveLength(32);
    expect(e.message).toContain('… and 10 more');
  });
});

describe('loadScenarioFile', () => {
  async function tmp(name: string, content: string | Buffer): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'rushhour-scenario-'));
    const path = join(dir, name);
    await writeFile(path, content);
    return path;
  }

  it('reads and validates a file, naming it in errors', async () => {
    const ok = await tmp('ok.yaml', 'name: ok\nduration: 1m\n');
    expect((await loadScenarioFile(ok)).durationMs).toBe(60_000);
    const bad = await tmp('bad.yaml', 'name: ok\nduration: 1 minute\n');
    const e = await userErrorOfAsync(() => loadScenarioFile(bad));
    expect(e.message).toMatch(new RegExp(`^${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2:11 duration: `));
  });

  it('a missing file is a UserError with a hint', async () => {
    const e = await userErrorOfAsync(() => loadScenarioFile('/nonexistent/dir/nope.yaml'));
    expect(e.message).toBe('scenario file not found: /nonexistent/dir/nope.yaml');
    expect(e.hint).toContain('scenarios/');
  });

  it('a directory is a UserError', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rushhour-scenario-'));
    await mkdir(join(dir, 'sub.yaml'));
    const e = await userErrorOfAsync(() => loadScenarioFile(join(dir, 'sub.yaml')));
    expect(e.message).toContain('is a directory');
  });

  it('invalid UTF-8 is not a YAML text file', async () => {
    const path = await tmp('bin.yaml', Buffer.from([0x6e, 0x61, 0x6d, 0x65, 0x3a, 0x20, 0xc3, 0x28, 0xff, 0xfe]));
    const e = await userErrorOfAsync(() => loadScenarioFile(path));
    expect(e.message).toBe(`${path}: not a YAML text file (it is not valid UTF-8)`);
  });

  it('a huge file is refused before parsing', async () => {
    const path = await tmp('big.yaml', `name: t\nduration: 1s\n#${'x'.repeat(1_100_000)}\n`);
    const e = await userErrorOfAsync(() => loadScenarioFile(path));
    expect(e.message).toContain('too large for a scenario file');
  });

  it('names the file in the empty-file error', async () => {
    const path = await tmp('empty.yaml', '');
    const e = await userErrorOfAsync(() => loadScenarioFile(path));
    expect(e.message).toBe(`${path}: the scenario file is empty`);
  });
});

describe('FILE label', () => {
  it('is what errors start with', () => {
    expect(userErrorOf(() => parse('x: 1\n')).message.startsWith(FILE)).toBe(true);
  });
});
