/**
 * What every admin command is: a name (one or two words), a one-line summary for `--help`, its
 * own options (node's util.parseArgs), and a run function that receives the resolved target and
 * one SDK client per service. Commands print progress through `print`, never to stdout directly,
 * so tests read their lines.
 */
import type { ParseArgsConfig } from 'node:util';
import type { AwsClients } from '../handlers/aws-clients';
import type { Target } from './target';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;
/** Values as util.parseArgs gives them; read an option declared `multiple: true` with listOption. */
export type OptionValues = Readonly<Record<string, string | boolean | undefined>>;

/** The values of an option declared `multiple: true` (parseArgs gives them as a list). */
export function listOption(values: OptionValues, name: string): string[] {
  const value: unknown = values[name];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return typeof value === 'string' ? [value] : [];
}

export interface CommandContext {
  readonly target: Target;
  readonly clients: AwsClients;
  readonly print: (line: string) => void;
}

export interface Command {
  /** e.g. `redrive` or `bad-rows list`. */
  readonly name: string;
  readonly summary: string;
  /** Options after the command name, e.g. `--day D --reason R [--limit N]`. */
  readonly usage: string;
  readonly options: OptionSpec;
  run(context: CommandContext, values: OptionValues): Promise<void>;
}
