import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, STACK_LINE, tempDir } from '../support/cli.js';

function scenarioFile(text: string | Buffer, name = 'scenario.yaml'): string {
  const file = join(tempDir(), name);
  writeFileSync(file, text);
  return file;
}

describe('rushhour validate / run with bad scenario files (child process)', () => {
  it('prints the plan without sending anything', async () => {
    const file = scenarioFile('name: plan-me\nseed: 9\nfleet: { vehicles: 3000 }\ntarget: { http: { url: "http://127.0.0.1:9/ingest", headers: { authorization: "Bearer ${TOKEN}" } } }\nphases:\n  - { kind: ramp, duration: 10s, from: 100/s, to: 1000/s }\n  - { kind: constant, duration: 20s }\nthresholds: ["p99 < 250ms"]\n');
    const r = await runCli(['validate', file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/plan-me/);
    expect(r.stdout).toMatch(/ramp/);
    expect(r.stdout).toMatch(/fleet/i);
    expect(r.stdout).toMatch(/peak/i);
    expect(r.stdout).not.toMatch(/Bearer/);
    const j = await runCli(['validate', file, '--json']);
    expect(j.code).toBe(0);
    const parsed = JSON.parse(j.stdout);
    expect(parsed.valid).toBe(true);
    expect(parsed.plan.phases).toHaveLength(2);
    expect(parsed.plan.rateSource).toBe('fleet');
    expect(JSON.stringify(parsed)).not.toMatch(/Bearer/);
  });

  it.each([
    ['wrong type', 'name: x\nfleet:\n  vehicles: many\n', /scenario\.yaml:3:\d+ fleet\.vehicles/],
    ['unknown key', 'name: x\nphasez: []\n', /scenario\.yaml:2:1 .*phasez/],
    ['broken YAML', 'name: x\nphases: [\n  { kind: constant\n', /scenario\.yaml:\d+:\d+/],
    ['empty file', '', /scenario\.yaml.*empty/i],
    ['binary garbage', Buffer.from([0x00, 0xff, 0xfe, 0x12, 0x00, 0x9c, 0x80]), /scenario\.yaml.*(not a YAML text file|binary)/i],
    ['bad rate', 'name: x\nphases:\n  - { kind: constant, duration: 5s, rate: fast }\n', /scenario\.yaml:3:\d+ phases\[0\]\.rate/],
    ['bad threshold', 'name: x\nduration: 5s\nthresholds:\n  - p99 <<< soon\n', /scenario\.yaml:4:\d+ thresholds\[0\]/],
  ])('%s: exit 2, one clear message naming the file, line:column and field, no stack trace', async (_label, text, message) => {
    const file = scenarioFile(text);
    for (const cmd of [['validate', file], ['run', file, '--out', join(tempDir(), 'o')]]) {
      const r = await runCli(cmd);
      expect(r.code, `${cmd[0]}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(STACK_LINE);
      expect(r.stdout).toBe('');
    }
  });

  it('a missing file is a clear error', async () => {
    const r = await runCli(['validate', join(tempDir(), 'nope.yaml')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/nope\.yaml/);
    expect(r.stderr).not.toMatch(STACK_LINE);
  });
});
