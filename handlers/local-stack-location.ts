/**
 * Where the running local stack (`npm start`) is: the resource prefix it runs and the folder it
 * keeps its state in (`demo.json` names its endpoint). localstack/local-config.ts reads these for
 * the local stack and the admin CLI reads them to find it; they are defined here, once, because
 * cli/ may not import localstack/ (DESIGN.md section 2).
 */

export const LOCAL_STACK_ENV = {
  /** Resource name prefix for `npm start` (default `liveinsight-dev`). */
  stage: 'LIVEINSIGHT_STAGE',
  /** Where `npm start` keeps its local state: read tokens, metrics, demo.json (default .liveinsight). */
  stateDir: 'LIVEINSIGHT_STATE_DIR',
} as const;

const DEFAULT_LOCAL_STAGE = 'liveinsight-dev';
const DEFAULT_LOCAL_STATE_DIR = '.liveinsight';

export interface LocalStackLocation {
  readonly stage: string;
  readonly stateDir: string;
}

type Env = Readonly<Record<string, string | undefined>>;

function value(env: Env, name: string): string | undefined {
  const raw = env[name];
  return raw === undefined || raw.trim() === '' ? undefined : raw.trim();
}

export function readLocalStackLocation(env: Env = process.env): LocalStackLocation {
  return {
    stage: value(env, LOCAL_STACK_ENV.stage) ?? DEFAULT_LOCAL_STAGE,
    stateDir: value(env, LOCAL_STACK_ENV.stateDir) ?? DEFAULT_LOCAL_STATE_DIR,
  };
}
