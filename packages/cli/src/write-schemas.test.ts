import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { SCHEMA_DIR, generatedSchemas } from './write-schemas';

describe('schema/ in the repository', () => {
  test.each(Object.entries(generatedSchemas()))('%s equals what `npm run schema` generates now (run it after changing the zod schema)', (name, text) => {
    expect(readFileSync(join(SCHEMA_DIR, name), 'utf8')).toBe(text);
  });

  test('both schemas compile under ajv strict mode (draft 2020-12)', () => {
    for (const name of ['snapshot.schema.json', 'metrics-report.schema.json']) {
      const ajv = new Ajv2020({ strict: true });
      expect(() => ajv.compile(JSON.parse(readFileSync(join(SCHEMA_DIR, name), 'utf8')))).not.toThrow();
    }
  });

  test('fields with defaults are optional in a file (io: input), required ones are not', () => {
    const schema = JSON.parse(generatedSchemas()['snapshot.schema.json']!) as {
      required: string[];
      properties: { team: { required: string[] }; items: { items: { required: string[] } } };
    };
    expect(schema.required.sort()).toEqual(['asOf', 'items', 'schemaVersion', 'team']);
    expect(schema.properties.team.required.sort()).toEqual(['id', 'name', 'timeZone']);
    expect(schema.properties.items.items.required).not.toContain('estimate');
  });
});
