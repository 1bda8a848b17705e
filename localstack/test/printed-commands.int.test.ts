/**
 * What a new user copies runs as shown: the README's shell examples ("Send an event, read it
 * back"), read from README.md itself so they cannot drift, and the commands `npm start` prints.
 * Each runs in bash against a running `npm start` (demo traffic off, as the README says), and
 * its output must match the `# …` lines written under it in the README (`…` stands for anything).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { runStartCli, type CliProcess } from '../testing/cli-process';
import { describeWithEmulators } from '../testing/use-test-stack';
import { waitFor } from '../testing/wait-for';

const README = join(__dirname, '..', '..', 'README.md');
const SECTION = '### Send an event, read it back';
/** The edge the README's examples address: `npm start`'s default. */
const README_EDGE = 'http://localhost:3000';
const STEP_DEADLINE_MS = 30_000;

interface Step {
  /** The shell lines, as in the README. */
  readonly code: string;
  /** The `# ` lines under them, joined: what the output must match. */
  readonly expected: string | undefined;
}

/** The `sh` blocks of one README section, cut into steps: commands, then their `# ` output. */
function readmeSteps(markdown: string, heading: string): Step[] {
  const from = markdown.indexOf(`${heading}\n`);
  if (from < 0) throw new Error(`README.md has no section "${heading}"`);
  const rest = markdown.slice(from + heading.length);
  const next = rest.search(/\n#{2,3} /);
  const section = next < 0 ? rest : rest.slice(0, next);
  const steps: Step[] = [];
  for (const block of section.matchAll(/```sh\n([\s\S]*?)```/g)) {
    let code: string[] = [];
    let expected: string[] = [];
    const flush = (): void => {
      if (code.length > 0) {
        steps.push({
          code: code.join('\n'),
          expected: expected.length > 0 ? expected.join(' … ') : undefined,
        });
      }
      code = [];
      expected = [];
    };
    for (const line of (block[1] ?? '').split('\n')) {
      if (line.startsWith('# ')) expected.push(line.slice(2));
      else if (line.trim() === '') {
        if (expected.length > 0) flush();
      } else {
        if (expected.length > 0) flush();
        code.push(line);
      }
    }
    flush();
  }
  return steps;
}

/** `…` matches anything (also across lines); everything else literally. */
function outputPattern(expected: string): RegExp {
  const parts = expected
    .split('…')
    .map((part) => part.trim().replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(parts.join('[\\s\\S]*?'));
}

const bash = promisify(execFile);

async function runShell(code: string, cwd: string): Promise<string> {
  const { stdout } = await bash('bash', ['-c', code], { cwd, timeout: 20_000 });
  return stdout;
}

/**
 * Runs a step until its output matches. Only a step that sends nothing is run again: the figures
 * reach /realtime through the consumer and the rollup a moment after the POST's answer, as they
 * would for a user who reads them a second later.
 */
async function runStep(step: Step, cwd: string): Promise<string> {
  const { expected } = step;
  const matches = (output: string) =>
    expected === undefined || outputPattern(expected).test(output);
  const mismatch = (output: string) =>
    `README step\n${step.code}\nprinted\n${output}\nexpected (… = anything)\n${expected}`;
  if (/\s(-d|--data\S*)\s/.test(step.code)) {
    const output = await runShell(step.code, cwd);
    if (matches(output)) return output;
    throw new Error(mismatch(output));
  }
  let last = '';
  return waitFor(
    async () => {
      last = await runShell(step.code, cwd);
      return matches(last) && last;
    },
    () => mismatch(last),
    { timeoutMs: STEP_DEADLINE_MS, intervalMs: 250 },
  );
}

function printed(cli: CliProcess, label: string): string {
  const line = new RegExp(`^${label} +(curl .*)$`, 'm').exec(cli.output())?.[1];
  if (line === undefined)
    throw new Error(`npm start printed no "${label}" command:\n${cli.output()}`);
  return line;
}

describeWithEmulators()('commands a new user copies', () => {
  let workdir: string;
  let cli: CliProcess;
  let edgeUrl: string;

  beforeAll(async () => {
    // The README runs in the repository's folder, where npm start keeps .liveinsight/.
    workdir = mkdtempSync(join(tmpdir(), 'liveinsight-readme-'));
    cli = runStartCli({
      LIVEINSIGHT_AWS_PORT: '0',
      LIVEINSIGHT_DEMO: 'off',
      LIVEINSIGHT_STATE_DIR: join(workdir, '.liveinsight'),
    });
    await cli.waitFor(/Ctrl-C stops everything/, 90_000);
    const demo = JSON.parse(readFileSync(join(workdir, '.liveinsight', 'demo.json'), 'utf8')) as {
      edgeUrl: string;
    };
    edgeUrl = demo.edgeUrl;
  }, 120_000);

  afterAll(async () => {
    if (cli !== undefined) {
      if (cli.child.exitCode === null && cli.child.signalCode === null) cli.child.kill('SIGINT');
      await cli.exited;
    }
    if (workdir !== undefined) rmSync(workdir, { recursive: true, force: true });
  });

  it("runs the README's send-and-read-back examples as written, with the output they show", async () => {
    // Arrange: the examples address npm start's default edge; this one runs on a free port.
    const markdown = readFileSync(README, 'utf8');
    const steps = readmeSteps(markdown, SECTION);
    expect(steps.length).toBeGreaterThanOrEqual(3);
    expect(steps.every((step) => step.code.includes(README_EDGE))).toBe(true);

    // Act and assert: each step in order, its output as the README shows it.
    for (const step of steps) {
      await runStep({ ...step, code: step.code.split(README_EDGE).join(edgeUrl) }, workdir);
    }
  }, 90_000);

  it('runs the ingest and query commands npm start prints, exactly as printed', async () => {
    // Arrange
    const ingest = printed(cli, 'Ingest');
    const query = printed(cli, 'Query');
    const activeBefore = (JSON.parse(await runShell(query, workdir)) as { activeSessions: number })
      .activeSessions;

    // Act
    const answer = await runShell(ingest, workdir);

    // Assert: accepted, and counted as a visitor (not a bot) once the pipeline has it.
    expect(JSON.parse(answer)).toEqual({ accepted: 1 });
    await runStep({ code: query, expected: `"activeSessions":${activeBefore + 1},` }, workdir);
  }, 60_000);
});
