/**
 * `npm run copy-table -- <restored table> <original table> [--segments N]`: the copy-back step of
 * a restore on AWS (docs/operations/restore.md). Uses the default AWS credentials and region
 * (AWS_REGION); AWS_ENDPOINT_URL points it at a local stack instead.
 */
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { copyTable } from './copy-table';

const USAGE =
  'usage: npm run copy-table -- <restored table> <original table> [--segments N] (default 4)';

async function main(argv: readonly string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: { segments: { type: 'string' } },
  });
  const [source, target] = positionals;
  if (source === undefined || target === undefined || positionals.length !== 2) {
    process.stderr.write(`${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  const segments = values.segments === undefined ? undefined : Number(values.segments);
  const dynamodb = new DynamoDBClient({});
  try {
    const totals = await copyTable(dynamodb, {
      source,
      target,
      ...(segments === undefined ? {} : { segments }),
      onProgress: ({ written }) => process.stdout.write(`\rcopied ${written} items`),
    });
    process.stdout.write(`\rcopied ${totals.written} items from ${source} into ${target}\n`);
  } finally {
    dynamodb.destroy();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`\n${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
