import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/**
 * examples/ci/github-soak.yml is a workflow to copy, and README.md's "A scheduled CI soak" shows its
 * commands: this keeps the two the same, and the workflow's promises (a schedule, a duration
 * input, Node 20, the artifact always uploaded, the run's exit code deciding the job) kept.
 */

const root = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));

interface Step {
  name?: string;
  id?: string;
  if?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
  'continue-on-error'?: boolean;
}
interface Job {
  'runs-on': string;
  env?: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  on: {
    schedule?: { cron: string }[];
    workflow_dispatch?: { inputs?: Record<string, { default?: string; type?: string }> };
  };
  jobs: Record<string, Job>;
}

const workflow = parse(readFileSync(root('examples/ci/github-soak.yml'), 'utf8')) as Workflow;
const jobs = Object.values(workflow.jobs);
const steps = jobs.flatMap((j) => j.steps);
const runSteps = steps.filter((s): s is Step & { run: string } => typeof s.run === 'string');

/** The command lines that must read the same in the workflow and the README. */
const COMMAND = /^(npm ci\b|npx rushhour\b|gh run\b|\w+=\$\(gh run\b)/;
const commandLines = (script: string) => script.split('\n').map((l) => l.trim()).filter((l) => COMMAND.test(l));
const workflowCommands = runSteps.flatMap((s) => commandLines(s.run));

function readmeSection(): string {
  const readme = readFileSync(root('README.md'), 'utf8');
  const start = readme.indexOf('\n## A scheduled CI soak\n');
  expect(start, 'README.md has a "## A scheduled CI soak" section').toBeGreaterThanOrEqual(0);
  const next = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, next < 0 ? undefined : next);
}
const readmeCommands = () =>
  [...readmeSection().matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((m) => commandLines(m[1]!));

/** Splits a command line into words, keeping "quoted words" whole (quotes removed). */
const words = (line: string) => [...line.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]!);
const flagValue = (argv: string[], flag: string) => {
  const i = argv.indexOf(flag);
  return i < 0 ? undefined : argv[i + 1];
};

const runCommand = () => {
  const line = workflowCommands.find((c) => c.startsWith('npx rushhour run '));
  expect(line, 'the workflow runs `npx rushhour run`').toBeDefined();
  return { line: line!, argv: words(line!) };
};
const reportCommand = () => {
  const line = workflowCommands.find((c) => c.startsWith('npx rushhour report '));
  expect(line, 'the workflow runs `npx rushhour report`').toBeDefined();
  return { line: line!, argv: words(line!) };
};
const stepRunning = (line: string) => runSteps.find((s) => commandLines(s.run).includes(line))!;

describe('examples/ci/github-soak.yml', () => {
  it('runs on a schedule and on demand, with a duration input', () => {
    expect(workflow.on.schedule?.length).toBeGreaterThan(0);
    for (const { cron } of workflow.on.schedule!) expect(cron.trim().split(/\s+/)).toHaveLength(5);
    const duration = workflow.on.workflow_dispatch?.inputs?.duration;
    expect(duration).toBeDefined();
    expect(duration!.default).toBe('30m');
  });

  it('installs on ubuntu-latest with Node 20 and the npm cache', () => {
    expect(jobs.length).toBeGreaterThan(0);
    for (const job of jobs) expect(job['runs-on']).toBe('ubuntu-latest');
    const node = steps.find((s) => s.uses?.startsWith('actions/setup-node@'));
    expect(node).toBeDefined();
    expect(String(node!.with?.['node-version'])).toBe('20');
    expect(node!.with?.cache).toBe('npm');
    expect(workflowCommands).toContain('npm ci');
  });

  it('pins every action by its major tag', () => {
    const uses = steps.flatMap((s) => (s.uses ? [s.uses] : []));
    expect(uses.length).toBeGreaterThan(0);
    for (const u of uses) expect(u).toMatch(/^[\w.-]+\/[\w.-]+@v\d+$/);
  });

  it('runs the soak scenario, which exists, for the duration asked (a scheduled run gets the default)', () => {
    const { argv } = runCommand();
    expect(argv.slice(0, 3)).toEqual(['npx', 'rushhour', 'run']);
    const scenario = argv[3]!;
    expect(scenario).toBe('scenarios/soak.yaml');
    expect(existsSync(root(scenario)), `${scenario} exists`).toBe(true);
    expect(flagValue(argv, '--duration')).toBe('$DURATION');
    expect(flagValue(argv, '--out')).toBe('runs/soak');
    const env = { ...jobs[0]!.env, ...stepRunning(runCommand().line).env };
    expect(env.DURATION).toMatch(/inputs\.duration\s*\|\|\s*'30m'/);
  });

  it('uses only flags that `rushhour run` has', () => {
    const source = readFileSync(root('src/commands/run.ts'), 'utf8');
    const flags = runCommand().argv.filter((w) => w.startsWith('--')).map((w) => w.slice(2));
    expect(flags.length).toBeGreaterThan(0);
    for (const flag of flags) {
      expect(new RegExp(`(^|[\\s{,])(${flag}|'${flag}'): *(Flags\\.|\\w+Flag\\()`, 'm').test(source), `run has --${flag}`).toBe(true);
    }
  });

  it('keeps the run\'s exit code and fails the job with it at the end', () => {
    const soak = stepRunning(runCommand().line);
    expect(soak.id).toBeDefined();
    const script = soak.run.split('\n').map((l) => l.trim());
    const at = script.indexOf(runCommand().line);
    expect(script.slice(0, at)).toContain('set +e');
    expect(script[at + 1]).toMatch(/^echo "exit-code=\$\?" >> "\$GITHUB_OUTPUT"$/);
    const last = steps.at(-1)!;
    expect(last.if).toMatch(/^always\(\)/);
    expect(Object.values(last.env ?? {})).toContain(`\${{ steps.${soak.id}.outputs.exit-code }}`);
    expect(last.run?.trim()).toBe('exit "$EXIT_CODE"');
    expect(last.env?.EXIT_CODE).toBeDefined();
  });

  it('uploads the results directory always, even when the run failed', () => {
    const upload = steps.filter((s) => s.uses?.startsWith('actions/upload-artifact@'));
    expect(upload).toHaveLength(1);
    expect(upload[0]!.if).toBe('always()');
    expect(upload[0]!.with?.path).toBe(flagValue(runCommand().argv, '--out'));
    // after the comparison, so baseline.md is in it, and before the verdict
    const at = steps.indexOf(upload[0]!);
    expect(at).toBeGreaterThan(steps.indexOf(stepRunning(reportCommand().line)));
    expect(at).toBe(steps.length - 2);
  });

  it('compares with the last successful run\'s artifact, when one was downloaded', () => {
    const download = workflowCommands.find((c) => c.startsWith('gh run download '));
    expect(download).toBeDefined();
    const argv = words(download!);
    const upload = steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'))!;
    expect(flagValue(argv, '--name')).toBe(upload.with?.name);
    expect(workflowCommands.some((c) => /gh run list .*--status success\b/.test(c))).toBe(true);

    const report = reportCommand();
    expect(report.argv[3]).toBe(flagValue(runCommand().argv, '--out'));
    expect(flagValue(report.argv, '--baseline')).toBe(flagValue(argv, '--dir'));
    const compare = stepRunning(report.line);
    expect(compare.if).toMatch(/^always\(\) && steps\.\w+\.outputs\.found == 'true'/);
    expect(steps.indexOf(compare)).toBeGreaterThan(steps.indexOf(stepRunning(download!)));
  });
});

describe('README.md, "A scheduled CI soak"', () => {
  it('points to the workflow', () => {
    expect(readmeSection()).toContain('examples/ci/github-soak.yml');
  });

  it('shows the workflow\'s commands, and only those', () => {
    const readme = readmeCommands();
    expect(readme.length).toBeGreaterThan(0);
    for (const c of workflowCommands) expect(readme, `README shows: ${c}`).toContain(c);
    for (const c of readme) expect(workflowCommands, `the workflow runs: ${c}`).toContain(c);
    expect(readme.filter((c) => c.startsWith('npx rushhour ')).sort()).toEqual(workflowCommands.filter((c) => c.startsWith('npx rushhour ')).sort());
  });
});
