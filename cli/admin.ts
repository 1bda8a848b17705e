/**
 * The operator's admin CLI: `npm run admin -- <command> [options]` (cli/README.md).
 * Works on the running local stack by default and on a deployed stage with `--stage <name>`
 * (cli/target.ts). Exit codes: 0 done, 1 the target failed or refused, 2 a usage error.
 */
import { parseArgs } from 'node:util';
import { createAwsClients } from '../handlers/aws-clients';
import { silenceSdkNodeWarning } from '../handlers/node-support';
import type { Command, OptionSpec, OptionValues } from './command';
import {
  badRowsListCommand,
  badRowsReplayCommand,
  badRowsShowCommand,
} from './commands/bad-rows-commands';
import { copyBackCommand } from './commands/copy-back-command';
import { keysAddCommand, keysRevokeCommand } from './commands/keys-commands';
import { readTokensIssueCommand, readTokensRevokeCommand } from './commands/read-tokens-commands';
import { rebuildCommand } from './commands/rebuild-command';
import { redriveCommand } from './commands/redrive-command';
import {
  sitesAddCommand,
  sitesDisableCommand,
  sitesListCommand,
  sitesSetOriginsCommand,
  sitesSetTierCommand,
} from './commands/sites-commands';
import { targetCommand } from './commands/target-command';
import { CliUsageError } from './errors';
import { type Target, resolveTarget } from './target';

/** Every command, in the order `--help` lists them. */
export const COMMANDS: readonly Command[] = [
  targetCommand,
  redriveCommand,
  badRowsListCommand,
  badRowsShowCommand,
  badRowsReplayCommand,
  rebuildCommand,
  copyBackCommand,
  sitesAddCommand,
  sitesListCommand,
  sitesSetOriginsCommand,
  sitesSetTierCommand,
  sitesDisableCommand,
  keysAddCommand,
  keysRevokeCommand,
  readTokensIssueCommand,
  readTokensRevokeCommand,
];

const GLOBAL_OPTIONS: OptionSpec = {
  stage: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
};

export function usage(commands: readonly Command[] = COMMANDS): string {
  return [
    'usage: npm run admin -- <command> [options] [--stage <name>]',
    '',
    'commands:',
    // Usage on one line, the summary indented below: long option lists stay readable.
    ...commands.flatMap((c) => [`  ${`${c.name} ${c.usage}`.trim()}`, `      ${c.summary}`]),
    '',
    'target: the running local stack (npm start; LIVEINSIGHT_STATE_DIR/demo.json names its endpoint)',
    '        or --stage <name>: a deployed stage (CloudFormation outputs; AWS_REGION/AWS_PROFILE)',
  ].join('\n');
}

/** The command named by the leading words of `argv` (longest match), and the rest. */
export function findCommand(
  argv: readonly string[],
  commands: readonly Command[] = COMMANDS,
): { command: Command; rest: string[] } | undefined {
  const words: string[] = [];
  for (const token of argv) {
    if (token.startsWith('-')) break;
    words.push(token);
  }
  for (let n = Math.min(words.length, 2); n >= 1; n -= 1) {
    const name = words.slice(0, n).join(' ');
    const command = commands.find((c) => c.name === name);
    if (command !== undefined) return { command, rest: argv.slice(n) };
  }
  return undefined;
}

export interface RunOptions {
  readonly print?: (line: string) => void;
  /** Tests pass the target of their own stack; otherwise it is resolved from --stage / demo.json. */
  readonly target?: Target;
  readonly commands?: readonly Command[];
}

export async function runAdmin(argv: readonly string[], options: RunOptions = {}): Promise<void> {
  const print = options.print ?? ((line: string) => console.log(line));
  const commands = options.commands ?? COMMANDS;
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    print(usage(commands));
    return;
  }
  const found = findCommand(argv, commands);
  if (found === undefined) {
    throw new CliUsageError(
      `unknown command ${JSON.stringify(argv.join(' '))}\n\n${usage(commands)}`,
    );
  }
  const { command, rest } = found;
  let values: OptionValues;
  try {
    ({ values } = parseArgs({
      args: rest,
      options: { ...GLOBAL_OPTIONS, ...command.options },
      allowPositionals: false,
      strict: true,
    }) as { values: OptionValues });
  } catch (error) {
    throw new CliUsageError(
      `${command.name}: ${error instanceof Error ? error.message : String(error)}\n` +
        `usage: npm run admin -- ${command.name} ${command.usage} [--stage <name>]`,
      { cause: error },
    );
  }
  if (values['help'] === true) {
    print(`usage: npm run admin -- ${command.name} ${command.usage} [--stage <name>]`);
    print(command.summary);
    return;
  }
  const stage = values['stage'];
  const target =
    options.target ??
    (await resolveTarget({ stage: typeof stage === 'string' ? stage : undefined }));
  // One attempt more than the SDK's default: an admin run should ride out a throttled call.
  const clients = createAwsClients(target.aws, { maxAttempts: 4, maxSockets: 16 });
  try {
    await command.run({ target, clients, print }, values);
  } finally {
    clients.destroy();
  }
}

if (require.main === module) {
  // One line per outcome: the SDK's nine-line Node warning is npm start's to say.
  silenceSdkNodeWarning();
  runAdmin(process.argv.slice(2)).then(
    () => undefined,
    (error: unknown) => {
      const usageError = error instanceof CliUsageError;
      const message = error instanceof Error ? error.message : String(error);
      console.error(usageError ? message : `admin: ${message}`);
      process.exitCode = usageError ? 2 : 1;
    },
  );
}
