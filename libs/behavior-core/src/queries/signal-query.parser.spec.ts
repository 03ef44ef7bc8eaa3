import { BehaviorQueryError } from './behavior-query.error';
import { decodeKeysetCursor, encodeKeysetCursor } from './keyset-cursor.codec';
import { parseSignalQuery } from './signal-query.parser';
import { buildSignalQuery } from '../storage/signal-query.builder';

const issues = (raw: Record<string, string | string[]>) => {
  try {
    parseSignalQuery(raw);
  } catch (error) {
    if (error instanceof BehaviorQueryError) return error.details.map((d) => `${d.path}:${d.code}`);
    throw error;
  }
  return [];
};

describe('parseSignalQuery', () => {
  it('reads flat bracket keys as attribute filters', () => {
    const cursor = encodeKeysetCursor({
      at: '2025-01-02T03:04:05.123456Z',
      id: '01890a5d-ac96-774b-bcce-b302099a8057',
    });
    expect(
      parseSignalQuery({
        schemaId: 'content.view',
        start: '2025-01-01',
        end: '2025-02-01T00:00:00+02:00',
        limit: '10',
        cursor,
        'attr.device': 'ios',
        'attr.durationSeconds[gte]': '5',
        'attr.durationSeconds[lt]': '60.5',
      }),
    ).toEqual({
      schemaId: 'content.view',
      start: new Date('2025-01-01T00:00:00Z'),
      end: new Date('2025-01-31T22:00:00Z'),
      limit: 10,
      cursor,
      attributes: [
        { name: 'device', operator: 'eq', value: 'ios' },
        { name: 'durationSeconds', operator: 'gte', value: '5' },
        { name: 'durationSeconds', operator: 'lt', value: '60.5' },
      ],
    });
    expect(parseSignalQuery({})).toEqual({});
  });

  it('reports every bad parameter at once', () => {
    expect(
      issues({
        start: 'yesterday',
        limit: '501',
        cursor: 'x',
        'attr.a[like]': '1',
        'attr.b[gt]': 'ten',
        'attr.c-d': '1',
        'attr.e': ['1', '2'],
        other: '1',
      }).sort(),
    ).toEqual(
      [
        'start:invalid_date',
        'limit:invalid_integer',
        'cursor:invalid_cursor',
        'attr.a[like]:unknown_operator',
        'attr.b[gt]:not_a_number',
        'attr.c-d:invalid_attribute_name',
        'attr.e:repeated_parameter',
        'other:unknown_parameter',
      ].sort(),
    );
  });
});

describe('keyset cursor', () => {
  it('round-trips and rejects anything it did not issue', () => {
    const position = { at: '2025-01-02T03:04:05.000001Z', id: '01890a5d-ac96-774b-bcce-b302099a8057' };
    expect(decodeKeysetCursor(encodeKeysetCursor(position))).toEqual(position);
    for (const bad of [
      '',
      '!!',
      Buffer.from('{"a":1}').toString('base64url'),
      Buffer.from('["2025","x"]').toString('base64url'),
    ]) {
      expect(() => decodeKeysetCursor(bad)).toThrow(BehaviorQueryError);
    }
  });
});

describe('buildSignalQuery', () => {
  it('always scopes by tenant and binds every value', () => {
    const { text, values } = buildSignalQuery(
      {
        tenantId: 'acme',
        userId: "u'1",
        attributes: [{ name: 'amount', operator: 'gte', value: '5' }],
      },
      51,
    );
    expect(text).toMatch(/where tenant_id = \$1\s+and user_id = \$2/);
    expect(text).not.toContain("u'1");
    expect(text).not.toContain('amount');
    expect(values).toEqual(['acme', "u'1", 'amount', '5', 51]);
  });
});
