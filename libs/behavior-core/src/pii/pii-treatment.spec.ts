import { randomBytes } from 'node:crypto';
import type { SignalSchemaDefinition } from '../contracts/signal-schema.js';
import { lintSchemaDefinitions } from '../schema/schema-doctor.js';
import { freeTextPiiFindings } from './free-text-pii.advisor.js';
import { MASKED_VALUE, PiiTreatmentService } from './pii-treatment.service.js';
import { PiiKeyError, PiiValueCipher, type PiiKeySettings } from './pii-value.cipher.js';

const KEY_A = randomBytes(32).toString('base64');
const KEY_B = randomBytes(32).toString('base64');
const SETTINGS: PiiKeySettings = {
  hashSecret: 'h'.repeat(40),
  encryption: { activeKeyId: 'a', keys: { a: KEY_A } },
};
const NO_KEYS: PiiKeySettings = { hashSecret: null, encryption: { activeKeyId: null, keys: {} } };

function definition(attributes: unknown[], pii = 'personal'): SignalSchemaDefinition {
  const result = lintSchemaDefinitions(
    [{ id: 'test.pii', domain: 'test', version: 1, summary: 's', retentionDays: 30, pii, attributes }],
    'spec',
  );
  expect(result.problems).toEqual([]);
  return result.definitions[0];
}

const SCHEMA = definition([
  { name: 'email', type: 'string', sensitive: 'hash' },
  { name: 'note', type: 'string', sensitive: 'drop' },
  { name: 'phone', type: 'string', sensitive: 'encrypt' },
  { name: 'plain', type: 'string', maxLength: 10 },
  {
    name: 'contact',
    type: 'object',
    attributes: [
      { name: 'name', type: 'string', sensitive: 'hash' },
      { name: 'city', type: 'string', maxLength: 20 },
    ],
  },
  {
    name: 'people',
    type: 'array',
    maxItems: 5,
    items: { type: 'object', attributes: [{ name: 'email', type: 'string', sensitive: 'drop' }] },
  },
]);

describe('schema sensitive markings', () => {
  it('normalizes `sensitive` onto the attribute and refuses an unknown treatment', () => {
    expect(SCHEMA.attributes[0]).toMatchObject({ name: 'email', sensitive: 'hash' });
    const result = lintSchemaDefinitions(
      [
        {
          id: 'test.pii',
          domain: 'test',
          version: 1,
          summary: 's',
          retentionDays: 30,
          pii: 'personal',
          attributes: [{ name: 'email', type: 'string', sensitive: 'mask' }],
        },
      ],
      'spec',
    );
    expect(result.problems).toContainEqual(
      expect.objectContaining({ code: 'invalid_value', field: 'attributes.email.sensitive' }),
    );
  });
});

describe('PiiTreatmentService.treat', () => {
  const service = new PiiTreatmentService(SETTINGS);
  const attributes = {
    email: 'ann@example.com',
    note: 'call me at home',
    phone: '+33 6 12 34 56 78',
    plain: 'kept',
    contact: { name: 'Ann', city: 'Lyon' },
    people: [{ email: 'bob@example.com' }, { email: 'eve@example.com' }],
  };

  it('drops, hashes and encrypts the marked attributes, nested ones too, and leaves the rest', () => {
    const treated = service.treat('tenant-1', SCHEMA, attributes);
    expect(treated).not.toHaveProperty('note');
    expect(treated.email).toMatch(/^[0-9a-f]{64}$/);
    expect(treated.phone).toMatch(/^enc:v1:a:/);
    expect(treated.plain).toBe('kept');
    expect(treated.contact).toEqual({ name: expect.stringMatching(/^[0-9a-f]{64}$/), city: 'Lyon' });
    expect(treated.people).toEqual([{}, {}]);
    expect(JSON.stringify(treated)).not.toMatch(/ann@|call me|12 34|"Ann"|bob@|eve@/);
    // The input is not modified.
    expect(attributes.email).toBe('ann@example.com');
    expect(attributes.people[0].email).toBe('bob@example.com');
  });

  it('hashes deterministically per tenant and differently across tenants', () => {
    const a1 = service.treat('tenant-1', SCHEMA, attributes).email;
    const a2 = service.treat('tenant-1', SCHEMA, attributes).email;
    const b = service.treat('tenant-2', SCHEMA, attributes).email;
    expect(a1).toBe(a2);
    expect(b).not.toBe(a1);
    // Another secret gives other hashes.
    const other = new PiiTreatmentService({ ...SETTINGS, hashSecret: 'x'.repeat(40) });
    expect(other.treat('tenant-1', SCHEMA, attributes).email).not.toBe(a1);
  });

  it('returns the very input for a schema without sensitive attributes', () => {
    const plain = definition([{ name: 'x', type: 'string', maxLength: 5 }]);
    const input = { x: 'a' };
    expect(service.treat('tenant-1', plain, input)).toBe(input);
  });

  it('masks sensitive values and recognizes sensitive error paths', () => {
    expect(service.mask(SCHEMA, attributes)).toMatchObject({
      email: MASKED_VALUE,
      note: MASKED_VALUE,
      phone: MASKED_VALUE,
      plain: 'kept',
      contact: { name: MASKED_VALUE, city: 'Lyon' },
      people: [{ email: MASKED_VALUE }, { email: MASKED_VALUE }],
    });
    expect(service.carriesMaskedValue(SCHEMA, service.mask(SCHEMA, attributes))).toBe(true);
    expect(service.carriesMaskedValue(SCHEMA, attributes)).toBe(false);
    expect(service.carriesMaskedValue(SCHEMA, { plain: MASKED_VALUE })).toBe(false);
    expect(service.isSensitive(SCHEMA, 'attributes.email')).toBe(true);
    expect(service.isSensitive(SCHEMA, 'attributes.contact.name')).toBe(true);
    expect(service.isSensitive(SCHEMA, 'attributes.people[1].email')).toBe(true);
    expect(service.isSensitive(SCHEMA, 'attributes.contact.city')).toBe(false);
    expect(service.isSensitive(SCHEMA, 'attributes.plain')).toBe(false);
    expect(service.isSensitive(SCHEMA, 'schemaId')).toBe(false);
  });

  it('lists the keys a schema needs and lacks', () => {
    const bare = new PiiTreatmentService(NO_KEYS);
    const gaps = bare.missingKeys([SCHEMA]);
    expect(gaps).toEqual([
      expect.stringContaining('"sensitive: hash" but ai.behavior.privacy.hashSecret is not set'),
      expect.stringContaining(
        '"sensitive: encrypt" but ai.behavior.privacy.encryption.activeKeyId is not set',
      ),
    ]);
    expect(service.missingKeys([SCHEMA])).toEqual([]);
  });
});

describe('PiiValueCipher encryption', () => {
  const cipher = new PiiValueCipher(SETTINGS);

  it('round-trips with its key, with a fresh IV each time', () => {
    const first = cipher.encrypt('tenant-1', { n: 'Ann' });
    const second = cipher.encrypt('tenant-1', { n: 'Ann' });
    expect(first).not.toBe(second);
    expect(cipher.decrypt('tenant-1', first)).toEqual({ n: 'Ann' });
  });

  it('fails without the key, with an unknown key id, with another key under the same id and for another tenant', () => {
    const stored = cipher.encrypt('tenant-1', 'secret');
    expect(() => new PiiValueCipher(NO_KEYS).decrypt('tenant-1', stored)).toThrow(
      /unknown encryption key id "a"/,
    );
    expect(() => new PiiValueCipher(NO_KEYS).encrypt('tenant-1', 'x')).toThrow(PiiKeyError);
    const forged = stored.replace('enc:v1:a:', 'enc:v1:zz:');
    expect(() => cipher.decrypt('tenant-1', forged)).toThrow(/unknown encryption key id "zz"/);
    const otherKey = new PiiValueCipher({
      ...SETTINGS,
      encryption: { activeKeyId: 'a', keys: { a: KEY_B } },
    });
    expect(() => otherKey.decrypt('tenant-1', stored)).toThrow(/does not decrypt/);
    expect(() => cipher.decrypt('tenant-2', stored)).toThrow(/does not decrypt/);
  });

  it('rotates: a new active key encrypts, the retired one still decrypts', () => {
    const old = cipher.encrypt('tenant-1', 'v');
    const rotated = new PiiValueCipher({
      ...SETTINGS,
      encryption: { activeKeyId: 'b', keys: { a: KEY_A, b: KEY_B } },
    });
    expect(rotated.encrypt('tenant-1', 'v')).toMatch(/^enc:v1:b:/);
    expect(rotated.decrypt('tenant-1', old)).toBe('v');
  });

  it('refuses a key of the wrong size and an active id without a key', () => {
    expect(
      () => new PiiValueCipher({ ...SETTINGS, encryption: { activeKeyId: null, keys: { a: 'c2hvcnQ=' } } }),
    ).toThrow(/32 bytes/);
    expect(
      () => new PiiValueCipher({ ...SETTINGS, encryption: { activeKeyId: 'b', keys: { a: KEY_A } } }),
    ).toThrow(/activeKeyId "b"/);
  });
});

describe('freeTextPiiFindings', () => {
  it('reports unbounded or long strings without format or pattern in a pii: none schema', () => {
    const schema = definition(
      [
        { name: 'comment', type: 'string' },
        { name: 'title', type: 'string', maxLength: 500 },
        { name: 'code', type: 'string', maxLength: 12 },
        { name: 'url', type: 'string', format: 'uri' },
        { name: 'sku', type: 'string', pattern: '^[A-Z0-9]+$' },
        { name: 'secret', type: 'string', sensitive: 'hash' },
        { name: 'nested', type: 'object', attributes: [{ name: 'text', type: 'string' }] },
        { name: 'tags', type: 'array', maxItems: 3, items: { type: 'string' } },
      ],
      'none',
    );
    const findings = freeTextPiiFindings([schema], () => ({ file: 'a.yaml', line: 3 }));
    expect(findings.map((f) => f.field)).toEqual([
      'attributes.comment',
      'attributes.title',
      'attributes.nested.text',
      'attributes.tags.items',
    ]);
    expect(findings[0]).toMatchObject({
      file: 'a.yaml',
      line: 3,
      definitionId: 'test.pii',
      code: 'free_text_not_sensitive',
      message: expect.stringContaining('pii: none'),
    });
  });

  it('leaves schemas of another pii class alone', () => {
    const schema = definition([{ name: 'comment', type: 'string' }], 'personal');
    expect(freeTextPiiFindings([schema], () => ({ file: 'a.yaml' }))).toEqual([]);
  });
});
