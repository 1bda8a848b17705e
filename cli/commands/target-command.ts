/** `admin target`: prints what the CLI resolved — a first check before any recovery command. */
import { TABLE_KEYS } from '../../infra/resources';
import type { Command } from '../command';
import { verifyTables } from '../target';

export const targetCommand: Command = {
  name: 'target',
  summary: 'print the resolved target (endpoint or stage, tables, bucket) and check the tables',
  usage: '',
  options: {},
  async run({ target, clients, print }) {
    print(`target         ${target.label}`);
    for (const key of TABLE_KEYS) print(`table ${key.padEnd(16)} ${target.tables[key]}`);
    print(`failures bucket ${target.failureBucket}`);
    await verifyTables(clients.dynamodb, target, TABLE_KEYS);
    print('tables         present, keys as infra/resources.ts defines them');
  },
};
