import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { durationFlag, positiveIntFlag } from '../../cli/flag-parsers.js';
import { checkUrl, parseGaps, parseHeaders, probeColdStart, readBody } from '../../run/cold-start-probe.js';
import { progressLine, resultLines } from '../../run/cold-start-probe-text.js';
import { parseDuration } from '../../util/units.js';

export default class ProbeColdStart extends BaseCommand {
  static override summary = 'Find the idle time after which a function goes cold: single requests after growing idle gaps.';

  static override description = `Providers reclaim an idle function environment after an undocumented while ("5–15 minutes"); the next request then pays a cold start. This probe sends one wake-up request and --warmup requests back to back (the warm latency), then for each gap (ascending) stays idle that long and sends one request (--repeats of them), and says from which gap cold starts appear and the largest gap still warm.

A request is cold when its response carries --cold-header with 1/true/yes (the sandbox sends x-sandbox-cold); without the header, when its latency is above max(3 × warm p90, warm p90 + 100ms) (p90, not p99: one slow warm request must not hide cold starts). Every request opens its own connection, so warm and after-gap requests pay the same connect and TLS time. Other traffic to the same function keeps environments warm: probe a function nothing else calls.

Bounded: the gaps (× --repeats) plus every request at --timeout must fit in --max-time, checked before anything is sent. Progress goes to stderr, the result to stdout (--json: one JSON object).`;

  static override examples = [
    { description: 'The provider\'s idle window, between 1 and 15 minutes (31 minutes idle in all)', command: '<%= config.bin %> probe cold-start --target https://fn.example.com/ingest --gaps 1m,5m,10m,15m' },
    { description: 'Against a local sandbox whose ingest reclaims after 1 s (rushhour sandbox --config FILE)', command: '<%= config.bin %> probe cold-start --target http://127.0.0.1:8787/ingest --gaps 200ms,2s' },
    { description: 'Twice per gap, a GET with a header, machine-readable', command: '<%= config.bin %> probe cold-start --target https://api.example.com/health --method GET --header "x-api-key: KEY" --gaps 5m,10m --repeats 2 --max-time 40m --json' },
  ];

  static override flags = {
    target: Flags.string({ char: 't', description: 'URL of the function to probe (http or https): loopback, or your own endpoint.', required: true }),
    gaps: Flags.string({ description: 'Idle gaps to try, comma-separated durations (sorted ascending).', default: '1m,5m,10m,15m' }),
    repeats: positiveIntFlag({ description: 'Requests per gap (each after its own full gap).', default: 1 }),
    'max-time': durationFlag({ description: 'Refuse a probe that could take longer (the gaps × repeats, plus every request at --timeout).', default: 45 * 60_000, defaultHelp: async () => '45m' }),
    warmup: positiveIntFlag({ description: 'Requests back to back for the warm latency (after one wake-up request that is not counted).', default: 10 }),
    method: Flags.string({ char: 'X', description: 'HTTP method.', default: 'POST', options: ['POST', 'PUT', 'GET', 'HEAD', 'PATCH', 'DELETE'] }),
    body: Flags.string({ char: 'd', description: 'Request body, or @FILE to read it from a file. Default: a telemetry message (schema v1) with a fresh messageId each time.' }),
    header: Flags.string({ char: 'H', description: 'A request header "Name: value" (repeatable).', multiple: true }),
    timeout: durationFlag({ description: 'Timeout of each request.', default: 10_000, defaultHelp: async () => '10s' }),
    'cold-header': Flags.string({ description: 'Response header that says the request was cold ("none": by latency only).', default: 'x-sandbox-cold' }),
    json: Flags.boolean({ description: 'Print the result as one JSON object.', default: false }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(ProbeColdStart);
    const coldHeader = flags['cold-header'].toLowerCase() === 'none' ? null : flags['cold-header'];
    const result = await probeColdStart({
      url: checkUrl(flags.target), gapsMs: parseGaps(flags.gaps, parseDuration), repeats: flags.repeats, maxTimeMs: flags['max-time'],
      warmRequests: flags.warmup, method: flags.method, ...(flags.body !== undefined ? { body: readBody(flags.body) } : {}),
      headers: parseHeaders(flags.header ?? []), timeoutMs: flags.timeout, coldHeader,
      onProgress: (p) => this.logToStderr(progressLine(p, coldHeader)),
    });
    if (flags.json) this.log(JSON.stringify(result, null, 2));
    else for (const line of resultLines(result)) this.log(line);
  }
}
