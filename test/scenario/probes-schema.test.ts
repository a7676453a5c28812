import { describe, expect, it } from 'vitest';
import { parse, scenario, userErrorOf } from './helpers.js';
import { probesLine } from '../../src/scenario/describe-plan.js';
import { maskProbes } from '../../src/scenario/probes-schema.js';

describe('probes: SQS output consumer and queue depths', () => {
  it('resolves { sqs } forms: an output queue with its pollers, one DLQ or a list, with region, endpoint, profile', () => {
    const s = parse(scenario('probes:', '  output: { sqs: out, region: eu-west-1 }', '  dlq: { sqs: orders-dlq, endpoint: "http://127.0.0.1:4566", profile: dev }'));
    expect(s.probes).toEqual({
      drainMs: 30_000, window: 64,
      output: { kind: 'sqs', queue: 'out', region: 'eu-west-1', pollers: 4 },
      dlq: [{ kind: 'sqs', queue: 'orders-dlq', endpoint: 'http://127.0.0.1:4566', profile: 'dev' }],
    });
    const list = parse(scenario('probes:', '  output: { sqs: "https://sqs.us-east-1.amazonaws.com/123456789012/out", pollers: 32 }', '  dlq: [{ sqs: a-dlq }, { sqs: b-dlq.fifo }]'));
    expect(list.probes?.output).toMatchObject({ queue: 'https://sqs.us-east-1.amazonaws.com/123456789012/out', pollers: 32 });
    expect(list.probes?.dlq).toEqual([{ kind: 'sqs', queue: 'a-dlq' }, { kind: 'sqs', queue: 'b-dlq.fifo' }]);
    expect(parse(scenario('probes: { output: none, dlq: sandbox }')).probes).toMatchObject({ output: 'none', dlq: 'sandbox' });
  });

  it.each([
    ['pollers out of range', 'probes: { output: { sqs: out, pollers: 33 } }', 'probes.output.pollers'],
    ['a bad queue name', 'probes: { dlq: { sqs: "bad name!" } }', 'probes.dlq.sqs'],
    ['a bad queue in a list', 'probes: { dlq: [{ sqs: ok }, { sqs: "no/good" }] }', 'probes.dlq[1].sqs'],
    ['an unknown key', 'probes: { dlq: { sqs: ok, pollers: 2 } }', 'probes.dlq.pollers'],
    ['an empty list', 'probes: { dlq: [] }', 'probes.dlq'],
    ['a word that is no form', 'probes: { output: bogus }', 'probes.output'],
  ])('%s is pointed at', (_t, line, where) => {
    const e = userErrorOf(() => parse(scenario(line)));
    expect(e.message).toContain(` ${where}: `);
  });
});

describe('probes in validate and in the journal', () => {
  const plan = (line: string) => parse(scenario(line)).probes!;
  it.each([
    ['probes: { drain: 5s }', /^probes {6}output auto \(the sandbox's \/output when the target is the sandbox\); dlq auto .*; drain up to 5s; matcher window 64 messages a vehicle$/],
    ['probes: { output: { sqs: out, pollers: 2 }, dlq: { sqs: dead } }', /output sqs out \(2 pollers\); dlq sqs dead;/],
    ['probes: { output: { kinesis: { stream: s-out } }, window: 256 }', /output kinesis s-out; .* matcher window 256/],
    ['probes: { output: { http: { listen: "127.0.0.1:9911", path: /hook }, idField: detail.id }, dlq: none }', /output webhook http:\/\/127\.0\.0\.1:9911\/hook, id at detail\.id; dlq none;/],
  ])('%s', (line, expected) => {
    expect(probesLine(plan(line))).toMatch(expected);
  });
  it('queue URLs are masked wherever the plan is printed or recorded', () => {
    const p = plan('probes: { output: { sqs: "https://sqs.us-east-1.amazonaws.com/1/out?token=s3cret" }, dlq: [{ sqs: "https://u:pw@sqs.us-east-1.amazonaws.com/1/dlq" }] }');
    const text = JSON.stringify(maskProbes(p)) + probesLine(p);
    expect(text).not.toMatch(/s3cret|pw@/);
    expect(text).toMatch(/token=\*\*\*/);
  });
});
