import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { OPENAPI_FILE, openApiDocument } from './openapi';

describe('openapi.json', () => {
  it('is what the schemas generate (run `npm run openapi` after changing a schema)', () => {
    const onDisk: unknown = JSON.parse(readFileSync(join(__dirname, '..', OPENAPI_FILE), 'utf8'));

    expect(onDisk).toEqual(openApiDocument());
  });

  it('has component schemas that compile as JSON Schema 2020-12 and resolve every $ref', () => {
    const document = openApiDocument();
    const ajv = new Ajv2020({ strict: false, discriminator: true });
    ajv.addSchema(document, 'openapi');

    const refs = JSON.stringify(document.paths).match(/#\/components\/schemas\/\w+/g) ?? [];

    expect(refs.length).toBeGreaterThan(5);
    for (const ref of new Set(refs)) {
      expect(() => ajv.getSchema(`openapi${ref}`)).not.toThrow();
      expect(ajv.getSchema(`openapi${ref}`)).toBeDefined();
    }
  });
});
