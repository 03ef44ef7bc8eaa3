import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CLIENT_TYPES_FILE,
  clientDocumentConfig,
  generateClientTypes,
} from '../src/http/openapi-client-types';
import { previewOpenApiDocument } from '../src/http/openapi-preview';

const committedFile = join(__dirname, '../../..', CLIENT_TYPES_FILE);

/** The first line where two texts differ, to say where the client drifted. */
function firstDifference(a: string, b: string): string {
  const [left, right] = [a.split('\n'), b.split('\n')];
  const line = left.findIndex((text, i) => text !== right[i]);
  const at = line === -1 ? left.length : line;
  return `line ${at + 1}:\n  committed: ${right[at] ?? '(end)'}\n  generated: ${left[at] ?? '(end)'}`;
}

// @lssm/client's types are committed; an endpoint or DTO changed without `npm run
// client:generate` leaves them behind the service, which this test reports.
describe('@lssm/client generated types', () => {
  let document: Awaited<ReturnType<typeof previewOpenApiDocument>>;
  let generated: string;

  beforeAll(async () => {
    document = await previewOpenApiDocument(clientDocumentConfig());
    generated = await generateClientTypes(document);
  });

  it('are what the current OpenAPI document generates (else run npm run client:generate)', () => {
    const committed = readFileSync(committedFile, 'utf8');
    if (committed !== generated) {
      throw new Error(
        `${CLIENT_TYPES_FILE} is out of date: run \`npm run client:generate\` and commit it.\n` +
          firstDifference(generated, committed),
      );
    }
  });

  it('would notice a changed document: one operation less changes the output', async () => {
    const changed = structuredClone(document);
    delete changed.paths['/api/ai-behavior/signals/{id}'];
    const output = await generateClientTypes(changed);
    expect(output).not.toBe(generated);
    expect(output).not.toContain('getSignal');
    expect(generated).toContain('getSignal: {');
  });

  it('is generated from every operation of the document', () => {
    const ids = Object.values(document.paths).flatMap((item) =>
      Object.values(item).flatMap((op) =>
        op && typeof op === 'object' && 'operationId' in op ? [op.operationId as string] : [],
      ),
    );
    expect(ids.length).toBeGreaterThan(30);
    expect(ids.filter((id) => !generated.includes(`    ${id}: {`))).toEqual([]);
  });
});
