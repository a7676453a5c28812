import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { buildPlan } from '../../src/scenario/build-plan.js';
import { describePlan, planToJson } from '../../src/scenario/describe-plan.js';
import { parseScenarioText } from '../../src/scenario/load-scenario.js';
import { UserError } from '../../src/util/user-error.js';

/**
 * Whatever the input, the loader returns a Scenario or throws a UserError with a readable message;
 * never a TypeError, a ZodError or a YAML library error. A loaded scenario then builds into a plan
 * (or a UserError, e.g. no duration) that can be described.
 */
function check(text: string): void {
  let scenario;
  try {
    scenario = parseScenarioText(text, 'fuzz.yaml');
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    expect(e.exitCode).toBe(2);
    expect(e.message.startsWith('fuzz.yaml')).toBe(true);
    expect(e.message).not.toMatch(/ZodError|\[object Object\]|undefined:/);
    return;
  }
  try {
    const plan = buildPlan({ scenario, source: 'fuzz.yaml', overrides: {} });
    describePlan(plan);
    JSON.stringify(planToJson(plan));
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
  }
}

const YAMLISH = [
  'name', 'description', 'seed', 'duration', 'fleet', 'vehicles', 'cadence', 'min', 'max', 'mix', 'target', 'http', 'url',
  'sandbox', 'phases', 'kind', 'constant', 'ramp', 'spike', 'sine', 'idle', 'rate', 'from', 'to', 'thresholds', 'engine',
  ':', ': ', ' ', '  ', '\n', '\n  ', '\n  - ', '- ', '[', ']', '{', '}', ',', '"', "'", '&a ', '*a', '!!str ', '!!int ', '!x ',
  '#', '|', '>', '? ', '---', '...', '%YAML 1.2\n', '30s', '2000/s', '1e999', '-0', '.nan', '.inf', '~', 'null', 'true',
  '0x1F', '\t', '\r\n', '__proto__', 'constructor', '<<', 'p99 < 250ms', '${X}', '\u00e9', '\u{1F697}', '\uFFFD', '\u0000',
];

const yamlish = fc.array(fc.constantFrom(...YAMLISH), { maxLength: 40 }).map((parts) => parts.join(''));

const anyScalar = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom('30s', '0s', '1.5m', '2000/s', '120/m', '64KiB', 'sandbox', 'p99 < 250ms', 'error_rate < 1%', 'http://a/b', 'vin'),
);
const anyValue = fc.oneof(anyScalar, fc.array(anyScalar, { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 6 }), anyScalar, { maxKeys: 3 }));

/** Objects shaped like scenarios, so the fuzz reaches deep into the schema. */
const scenarioLike = fc.record(
  {
    name: fc.oneof(fc.constant('fuzz'), anyScalar),
    seed: anyValue,
    duration: fc.oneof(fc.constantFrom('10s', '1m', '0s'), anyValue),
    fleet: fc.oneof(
      fc.record(
        {
          vehicles: fc.oneof(fc.integer({ min: -2, max: 20_000_000 }), anyValue),
          cadence: fc.record({ min: anyValue, max: anyValue }, { requiredKeys: [] }),
          mix: fc.dictionary(fc.constantFrom('telemetry', 'diagnostic', 'geofence', 'other'), fc.oneof(fc.double(), anyScalar)),
          diagnosticSize: anyValue,
          partitionKey: fc.record({ strategy: anyValue, skew: fc.oneof(fc.double(), anyValue) }, { requiredKeys: [] }),
        },
        { requiredKeys: [] },
      ),
      anyValue,
    ),
    target: fc.oneof(fc.constant('sandbox'), fc.record({ http: fc.record({ url: anyValue, headers: anyValue, timeout: anyValue }, { requiredKeys: [] }) }), anyValue),
    phases: fc.oneof(
      fc.array(
        fc.record(
          {
            kind: fc.oneof(fc.constantFrom('constant', 'ramp', 'step', 'spike', 'sine', 'idle'), anyScalar),
            duration: fc.oneof(fc.constantFrom('1s', '10s'), anyValue),
            rate: anyValue, from: anyValue, to: anyValue, steps: anyValue, base: anyValue, peak: anyValue,
            at: anyValue, for: anyValue, mean: anyValue, amplitude: anyValue, period: anyValue, name: anyValue,
          },
          { requiredKeys: ['kind'] },
        ),
        { maxLength: 4 },
      ),
      anyValue,
    ),
    thresholds: fc.oneof(fc.array(anyScalar, { maxLength: 3 }), anyValue),
    engine: fc.oneof(fc.record({ maxInFlight: anyValue, warmup: anyValue, drainTimeout: anyValue }, { requiredKeys: [] }), anyValue),
    extra: anyValue,
  },
  { requiredKeys: [] },
);

describe('loader fuzz: a Scenario or a UserError, never anything else', () => {
  it('YAML-ish fragment soup', () => {
    fc.assert(fc.property(yamlish, check), { numRuns: 400 });
  });

  it('arbitrary unicode text', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), check), { numRuns: 300 });
  });

  it('arbitrary JSON values serialised as YAML', () => {
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 4 }), (v) => check(stringify(v))), { numRuns: 300 });
  });

  it('scenario-shaped documents with random field values', () => {
    fc.assert(fc.property(scenarioLike, (v) => check(stringify(v))), { numRuns: 300 });
  });

  it('random bytes decoded as text', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => check(Buffer.from(bytes).toString('utf8'))), { numRuns: 200 });
  });
});

/** Valid phases written the way people write them; the plan must keep their totals. */
const rateText = fc.integer({ min: 0, max: 50_000 }).chain((n) => fc.constantFrom<string | number>(n, `${n}/s`, `${n * 60}/m`));
const secs = (min: number, max: number) => fc.integer({ min, max });
const validPhase = fc.oneof(
  fc.record({ kind: fc.constant('constant'), d: secs(1, 600), rate: rateText }),
  fc.record({ kind: fc.constant('ramp'), d: secs(1, 600), from: rateText, to: rateText }),
  fc.record({ kind: fc.constant('step'), d: secs(1, 600), from: rateText, to: rateText, steps: fc.integer({ min: 2, max: 20 }) }),
  fc.record({ kind: fc.constant('idle'), d: secs(1, 600) }),
  secs(2, 600).chain((d) =>
    fc.record({ kind: fc.constant('spike'), d: fc.constant(d), base: rateText, peak: rateText, at: secs(0, d - 1), for: fc.constant(1) }),
  ),
  fc.integer({ min: 0, max: 10_000 }).chain((mean) =>
    fc.record({ kind: fc.constant('sine'), d: secs(1, 600), mean: fc.constant(mean), amplitude: fc.integer({ min: 0, max: mean }), period: secs(1, 3600) }),
  ),
);

function phaseYaml(p: Record<string, unknown>): Record<string, unknown> {
  const { d, at, for: f, period, ...rest } = p;
  return {
    ...rest,
    duration: `${String(d)}s`,
    ...(at !== undefined ? { at: `${String(at)}s`, for: `${String(f)}s` } : {}),
    ...(period !== undefined ? { period: `${String(period)}s` } : {}),
  };
}

describe('valid scenarios round-trip into plans', () => {
  it('durations add up and every phase keeps its kind and order', () => {
    fc.assert(
      fc.property(fc.array(validPhase, { minLength: 1, maxLength: 6 }), fc.integer({ min: 1, max: 100_000 }), (phases, vehicles) => {
        const text = stringify({ name: 'gen', fleet: { vehicles }, phases: phases.map(phaseYaml) });
        const plan = buildPlan({ scenario: parseScenarioText(text, 'gen.yaml'), overrides: {} });
        expect(plan.phases.map((p) => p.kind)).toEqual(phases.map((p) => p.kind));
        expect(plan.phases.reduce((s, p) => s + p.durationMs, 0)).toBe(phases.reduce((s, p) => s + (p.d as number) * 1000, 0));
        expect(plan.rateSource).toBe('phases');
        expect(plan.engine.maxInFlight).toBeGreaterThanOrEqual(100);
        expect(describePlan(plan).length).toBeGreaterThan(10);
      }),
      { numRuns: 300 },
    );
  });
});
