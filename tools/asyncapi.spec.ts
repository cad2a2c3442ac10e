import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { Subjects } from '@idsync/contracts';
import { asyncApiDocument, asyncApiYaml } from './asyncapi';

describe('AsyncAPI document', () => {
  it('lists every subject of the registry with its message', () => {
    const doc = asyncApiDocument() as { channels: Record<string, { address: string }>; components: { messages: Record<string, unknown> } };
    expect(Object.values(doc.channels).map((c) => c.address).sort()).toEqual(Object.values(Subjects).map((d) => d.subject).sort());
    expect(doc.components.messages['idsync.workflow.v1.RunChanged']).toBeDefined();
  });

  it('is committed up to date (run `npm run generate`)', () => {
    const committed = readFileSync(join(__dirname, '..', 'docs', 'asyncapi.yaml'), 'utf8');
    expect(parse(committed)).toEqual(parse(asyncApiYaml()));
  });
});
