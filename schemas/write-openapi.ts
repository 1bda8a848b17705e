/**
 * `npm run openapi`: writes openapi.json at the repository root from schemas/openapi.ts,
 * formatted by prettier so that `npm run lint` accepts the file as written.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { format } from 'prettier';
import { OPENAPI_FILE, renderOpenApi } from './openapi';

async function main(): Promise<void> {
  const path = join(__dirname, '..', OPENAPI_FILE);
  const text = await format(renderOpenApi(), {
    parser: 'json',
    printWidth: 100,
  });
  await writeFile(path, text);
  console.log(`wrote ${path}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
