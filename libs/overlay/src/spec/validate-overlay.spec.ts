import { overlaySpec } from '../testing/overlay-fixtures.js';
import { defineOverlay } from './define-overlay.js';
import { InvalidOverlayError } from './invalid-overlay.error.js';
import { validateOverlay } from './validate-overlay.js';

describe('validateOverlay', () => {
  it('accepts every operation type', () => {
    const result = validateOverlay(
      overlaySpec({
        scope: { role: 'clerk', userId: 'u1', device: 'mobile' },
        operations: [
          { type: 'hideField', field: 'a' },
          { type: 'showField', field: 'a' },
          { type: 'renameLabel', field: 'a', label: 'A' },
          { type: 'reorderFields', fields: ['b', 'a'] },
          { type: 'setDefault', field: 'a', value: { nested: [1, 'x', null] } },
          { type: 'setReadOnly', field: 'a', readOnly: true },
        ],
        metadata: { reason: 'suggested by analyzer' },
      }),
    );
    expect(result).toEqual({ valid: true, errors: [] });
  });

  it('names the path of every problem', () => {
    const result = validateOverlay({
      ...overlaySpec(),
      version: 0,
      extra: true,
      scope: { team: 'x' },
      operations: [
        { type: 'renameLabel', field: 'a' },
        { type: 'explode' },
        { type: 'setReadOnly', field: 'a', readOnly: 'yes' },
      ],
    });
    expect(result.valid).toBe(false);
    const paths = result.errors.map((e) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/version',
        '/extra',
        '/scope/team',
        '/operations/0/label',
        '/operations/1/type',
        '/operations/2/readOnly',
      ]),
    );
    expect(result.errors.find((e) => e.path === '/operations/1/type')?.message).toContain('hideField');
    expect(result.errors.find((e) => e.path === '/operations/0/label')?.code).toBe('required');
  });

  it('reports missing top-level properties at their own path', () => {
    const result = validateOverlay({ overlayId: 'x' });
    expect(result.errors.map((e) => e.path).sort()).toEqual(
      ['/capability', '/operations', '/scope', '/tenantId', '/version'].sort(),
    );
    expect(validateOverlay(null).errors[0]).toMatchObject({ path: '/', code: 'type' });
  });

  it('rejects duplicate names in reorderFields and empty operation lists', () => {
    expect(
      validateOverlay(overlaySpec({ operations: [{ type: 'reorderFields', fields: ['a', 'a'] }] })).errors[0]
        ?.path,
    ).toBe('/operations/0/fields');
    expect(validateOverlay(overlaySpec({ operations: [] })).errors[0]?.path).toBe('/operations');
  });
});

describe('defineOverlay', () => {
  it('returns a deep-frozen copy and leaves the draft mutable', () => {
    const draft = overlaySpec({ scope: { role: 'clerk' } });
    const defined = defineOverlay(draft);
    expect(defined).toEqual(draft);
    expect(defined).not.toBe(draft);
    expect(Object.isFrozen(defined)).toBe(true);
    expect(Object.isFrozen(defined.scope)).toBe(true);
    expect(Object.isFrozen(defined.operations[0])).toBe(true);
    expect(Object.isFrozen(draft)).toBe(false);
  });

  it('throws an error that lists each problem with its path', () => {
    let thrown: unknown;
    try {
      defineOverlay(overlaySpec({ tenantId: '', operations: [{ type: 'hideField' } as never] }));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidOverlayError);
    expect((thrown as Error).message).toMatch(/^Invalid overlay spec: .*\/tenantId .*\/operations\/0\/field/);
    expect((thrown as InvalidOverlayError).errors.length).toBeGreaterThanOrEqual(2);
  });
});
