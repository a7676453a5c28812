import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../src/scenario/build-plan.js';
import { describePlan } from '../../src/scenario/describe-plan.js';
import { parseScenarioText } from '../../src/scenario/load-scenario.js';
import { isUserError } from '../../src/util/user-error.js';

const scenario = (faults: string) => `name: f\nfleet: { vehicles: 100 }\nduration: 30s\nfaults:\n${faults}`;

function errorOf(text: string): string {
  try {
    parseScenarioText(text, 'f.yaml');
  } catch (e) {
    if (isUserError(e)) return e.message;
    throw e;
  }
  throw new Error('expected a UserError');
}

describe('the faults: list', () => {
  it('resolves names, times, selections and kinds; validate lists the timeline', () => {
    const s = parseScenarioText(scenario([
      '  - { kind: poison, at: 10s, for: 5s, fraction: 1%, poison: [malformed-json, truncated] }',
      '  - { kind: schema-drift, name: drift-a, manual: true, vehicles: 7, drift: [{ unit: { field: position.speedKmh, to: mph } }] }',
      '  - { kind: poison, vehicles: 10% }',
    ].join('\n')), 'f.yaml');
    expect(s.faults).toEqual([
      { name: 'poison-0', kind: 'poison', atMs: 10_000, forMs: 5000, select: { by: 'fraction', fraction: 0.01 }, poison: ['malformed-json', 'truncated'] },
      expect.objectContaining({ name: 'drift-a', kind: 'schema-drift', atMs: null, forMs: null, select: { by: 'vehicleCount', count: 7 } }),
      expect.objectContaining({ name: 'poison-2', atMs: 0, select: { by: 'vehicles', fraction: 0.1 } }),
    ]);
    expect((s.faults![2] as { poison: string[] }).poison).toHaveLength(11);
    const lines = describePlan(buildPlan({ scenario: s, source: 'f.yaml', overrides: {} }));
    expect(lines).toContain('faults      poison-0 (poison) at 10s for 5s, 1 % of messages: malformed-json, truncated');
    expect(lines.some((l) => /^ {12}drift-a \(schema-drift\) manual to the end, 7 vehicle\(s\): unit position\.speedKmh km\/h → mph$/.test(l))).toBe(true);
  });

  it.each([
    ['an unknown kind', '  - { kind: tsunami }', /faults\[0\]\.kind.*expected kind: one of poison, schema-drift/],
    ['two selections', '  - { kind: poison, fraction: 1%, count: 5 }', /faults\[0\]\.count.*expected one of fraction, count or vehicles/],
    ['manual with at', '  - { kind: poison, manual: true, at: 5s }', /faults\[0\]\.at.*expected no at with manual: true/],
    ['a name taken twice', '  - { kind: poison, name: x }\n  - { kind: poison, name: x }', /faults\[1\]\.name.*"x" is taken/],
    ['a share above 100 %', '  - { kind: poison, fraction: 150% }', /faults\[0\]\.fraction.*expected a share/],
    ['a drift op unknown', '  - { kind: schema-drift, drift: [{ renmae: { from: a, to: b } }] }', /faults\[0\]\.drift\[0\]/],
  ])('%s is an error naming the field', (_name, faults, message) => {
    expect(errorOf(scenario(faults))).toMatch(message);
  });
});
