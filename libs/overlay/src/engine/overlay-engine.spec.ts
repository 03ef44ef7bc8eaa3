import { InMemoryAuditSink } from '../audit/in-memory-audit-sink.js';
import { OverlayRegistry } from '../registry/overlay-registry.js';
import { signOverlay } from '../signing/sign-overlay.js';
import type { OverlayOperation, OverlaySpec } from '../spec/overlay.types.js';
import { keyMap, overlaySpec, testKeyPair } from '../testing/overlay-fixtures.js';
import { OverlayEngine } from './overlay-engine.js';
import type { BaseSpec } from './overlay-engine.types.js';

const base: BaseSpec = Object.freeze({
  capability: 'billing.createOrder',
  fields: Object.freeze([
    { name: 'customer', label: 'Customer', type: 'string' },
    { name: 'amount', label: 'Amount', type: 'number', readOnly: false, defaultValue: 0 },
    { name: 'currency', label: 'Currency', type: 'string', placeholder: 'EUR' },
    { name: 'notes', label: 'Notes', hidden: true },
  ]),
});

const ctx = { tenantId: 'acme', role: 'clerk', userId: 'u1', device: 'mobile' };

function layer(
  overlayId: string,
  scope: OverlaySpec['scope'],
  operations: OverlayOperation[],
  version = 1,
): OverlaySpec {
  return overlaySpec({ overlayId, scope, operations, version });
}

async function engineWith(specs: OverlaySpec[], audit = new InMemoryAuditSink()) {
  const registry = new OverlayRegistry({ requireSignature: false });
  for (const spec of specs) await registry.register({ spec });
  return {
    engine: new OverlayEngine({ registry, audit, now: () => new Date('2025-01-01T00:00:00Z') }),
    audit,
    registry,
  };
}

describe('OverlayEngine.apply', () => {
  it('returns the base spec unchanged (normalized) when no overlay applies, and audits nothing', async () => {
    const { engine, audit } = await engineWith([]);
    const result = engine.apply(base, ctx);
    expect(result.spec.fields.map((f) => [f.name, f.label, f.hidden, f.readOnly])).toEqual([
      ['customer', 'Customer', false, false],
      ['amount', 'Amount', false, false],
      ['currency', 'Currency', false, false],
      ['notes', 'Notes', true, false],
    ]);
    expect(result.applied).toEqual([]);
    expect(result.provenance).toEqual({ customer: {}, amount: {}, currency: {}, notes: {} });
    expect(audit.records).toEqual([]);
  });

  it('applies every operation type and keeps every base field and extra property', async () => {
    const { engine } = await engineWith([
      layer('t', {}, [
        { type: 'hideField', field: 'customer' },
        { type: 'showField', field: 'notes' },
        { type: 'renameLabel', field: 'amount', label: 'Total' },
        { type: 'setDefault', field: 'currency', value: 'USD' },
        { type: 'setReadOnly', field: 'amount', readOnly: true },
        { type: 'reorderFields', fields: ['notes', 'amount'] },
      ]),
    ]);
    const { spec } = engine.apply(base, { tenantId: 'acme' });
    expect(spec.capability).toBe('billing.createOrder');
    expect(spec.fields).toEqual([
      { name: 'notes', label: 'Notes', hidden: false, readOnly: false },
      { name: 'amount', label: 'Total', type: 'number', hidden: false, readOnly: true, defaultValue: 0 },
      { name: 'customer', label: 'Customer', type: 'string', hidden: true, readOnly: false },
      {
        name: 'currency',
        label: 'Currency',
        type: 'string',
        placeholder: 'EUR',
        hidden: false,
        readOnly: false,
        defaultValue: 'USD',
      },
    ]);
    // The base spec is not touched.
    expect(base.fields[3]!.hidden).toBe(true);
  });

  it('lets the more specific overlay win conflicts and records the winner as provenance', async () => {
    const { engine } = await engineWith([
      layer('tenant', {}, [
        { type: 'hideField', field: 'notes' },
        { type: 'renameLabel', field: 'amount', label: 'Tenant amount' },
        { type: 'setReadOnly', field: 'currency', readOnly: true },
      ]),
      layer('role', { role: 'clerk' }, [{ type: 'renameLabel', field: 'amount', label: 'Role amount' }]),
      layer('user', { userId: 'u1' }, [{ type: 'showField', field: 'notes' }]),
      layer('device', { device: 'mobile' }, [{ type: 'renameLabel', field: 'amount', label: 'Amt' }]),
    ]);
    const result = engine.apply(base, ctx);
    const amount = result.spec.fields.find((f) => f.name === 'amount')!;
    const notes = result.spec.fields.find((f) => f.name === 'notes')!;
    expect(amount.label).toBe('Amt');
    expect(notes.hidden).toBe(false);
    expect(result.applied.map((a) => `${a.overlayId}:${a.level}`)).toEqual([
      'tenant:tenant',
      'role:role',
      'user:user',
      'device:device',
    ]);
    expect(result.provenance.amount).toEqual({
      label: { overlayId: 'device', version: 1, level: 'device', operationIndex: 0 },
    });
    expect(result.provenance.notes).toEqual({
      hidden: { overlayId: 'user', version: 1, level: 'user', operationIndex: 0 },
    });
    expect(result.provenance.currency).toEqual({
      readOnly: { overlayId: 'tenant', version: 1, level: 'tenant', operationIndex: 2 },
    });
    expect(result.provenance.customer).toEqual({});

    // Without the user scope the tenant's hideField stands.
    const clerkOnly = engine.apply(base, { tenantId: 'acme', role: 'clerk' });
    expect(clerkOnly.spec.fields.find((f) => f.name === 'notes')!.hidden).toBe(true);
    expect(clerkOnly.spec.fields.find((f) => f.name === 'amount')!.label).toBe('Role amount');
  });

  it('composes reorders: a later reorder moves its fields first and keeps the earlier arrangement for the rest', async () => {
    const { engine } = await engineWith([
      layer('tenant', {}, [{ type: 'reorderFields', fields: ['notes', 'currency'] }]),
      layer('user', { userId: 'u1' }, [{ type: 'reorderFields', fields: ['amount'] }]),
    ]);
    const result = engine.apply(base, ctx);
    expect(result.spec.fields.map((f) => f.name)).toEqual(['amount', 'notes', 'currency', 'customer']);
    expect(result.provenance.amount!.order).toMatchObject({ overlayId: 'user' });
    expect(result.provenance.notes!.order).toMatchObject({ overlayId: 'tenant' });
    expect(result.provenance.customer!.order).toBeUndefined();
  });

  it('reports operations on unknown fields as warnings and applies the rest', async () => {
    const { engine } = await engineWith([
      layer('t', {}, [
        { type: 'hideField', field: 'ghost' },
        { type: 'reorderFields', fields: ['phantom', 'notes'] },
        { type: 'renameLabel', field: 'customer', label: 'Client' },
      ]),
    ]);
    const result = engine.apply(base, { tenantId: 'acme' });
    expect(result.warnings).toEqual([
      {
        code: 'unknown_field',
        overlayId: 't',
        version: 1,
        operationIndex: 0,
        operation: 'hideField',
        field: 'ghost',
      },
      {
        code: 'unknown_field',
        overlayId: 't',
        version: 1,
        operationIndex: 1,
        operation: 'reorderFields',
        field: 'phantom',
      },
    ]);
    expect(result.spec.fields.map((f) => f.name)).toEqual(['notes', 'customer', 'amount', 'currency']);
    expect(result.spec.fields[1]!.label).toBe('Client');
  });

  it('audits one record per applied overlay with key id, context and time', async () => {
    const pair = testKeyPair('ed25519', 'acme-2025');
    const registry = new OverlayRegistry({ resolveKey: (id) => keyMap(pair).get(id) });
    await registry.register(
      signOverlay(layer('tenant', {}, [{ type: 'hideField', field: 'notes' }]), {
        privateKey: pair.privateKey,
        keyId: pair.keyId,
        algorithm: 'ed25519',
      }),
    );
    await registry.register(
      signOverlay(layer('user', { userId: 'u1' }, [{ type: 'showField', field: 'notes' }], 4), {
        privateKey: pair.privateKey,
        keyId: pair.keyId,
        algorithm: 'ed25519',
      }),
    );
    const audit = new InMemoryAuditSink();
    const engine = new OverlayEngine({ registry, audit, now: () => new Date('2025-01-01T00:00:00Z') });
    const result = engine.apply(base, { tenantId: 'acme', userId: 'u1' });
    expect(result.applied).toEqual([
      { overlayId: 'tenant', version: 1, keyId: 'acme-2025', level: 'tenant' },
      { overlayId: 'user', version: 4, keyId: 'acme-2025', level: 'user' },
    ]);
    expect(audit.writes).toBe(1);
    expect(audit.records).toEqual([
      {
        overlayId: 'tenant',
        version: 1,
        keyId: 'acme-2025',
        tenantId: 'acme',
        capability: 'billing.createOrder',
        context: { userId: 'u1' },
        appliedAt: new Date('2025-01-01T00:00:00Z'),
      },
      {
        overlayId: 'user',
        version: 4,
        keyId: 'acme-2025',
        tenantId: 'acme',
        capability: 'billing.createOrder',
        context: { userId: 'u1' },
        appliedAt: new Date('2025-01-01T00:00:00Z'),
      },
    ]);
  });

  it('keeps returning results when the audit sink fails, reporting the failure', async () => {
    const errors: unknown[] = [];
    const registry = new OverlayRegistry({ requireSignature: false });
    await registry.register({ spec: layer('t', {}, [{ type: 'hideField', field: 'notes' }]) });
    const syncFailing = new OverlayEngine({
      registry,
      audit: {
        write: () => {
          throw new Error('sync boom');
        },
      },
      onAuditError: (e) => errors.push(e),
    });
    expect(syncFailing.apply(base, { tenantId: 'acme' }).applied).toHaveLength(1);
    const asyncFailing = new OverlayEngine({
      registry,
      audit: {
        write: async () => {
          throw new Error('async boom');
        },
      },
      onAuditError: (e) => errors.push(e),
    });
    asyncFailing.apply(base, { tenantId: 'acme' });
    await new Promise((r) => setImmediate(r));
    expect(errors.map((e) => (e as Error).message)).toEqual(['sync boom', 'async boom']);
  });

  it('refuses overlays of another tenant passed to applyResolved', async () => {
    const { engine, registry } = await engineWith([layer('t', {}, [{ type: 'hideField', field: 'notes' }])]);
    const overlays = registry.resolve({ tenantId: 'acme', capability: 'billing.createOrder' });
    expect(() => engine.applyResolved(base, { tenantId: 'globex' }, overlays)).toThrow(/belongs to acme/);
  });

  it('rejects base specs with duplicate field names', async () => {
    const { engine } = await engineWith([]);
    const dup: BaseSpec = {
      capability: 'x',
      fields: [
        { name: 'a', label: 'A' },
        { name: 'a', label: 'B' },
      ],
    };
    expect(() => engine.apply(dup, { tenantId: 'acme' })).toThrow(/duplicate field "a"/);
  });
});

describe('OverlayEngine memoization', () => {
  const frozenBase: BaseSpec = Object.freeze({
    capability: 'billing.createOrder',
    fields: Object.freeze([
      Object.freeze({ name: 'notes', label: 'Notes' }),
      Object.freeze({ name: 'amount', label: 'Amount' }),
    ]),
  });

  it('reuses the frozen result for the same base and overlays, still auditing every apply', async () => {
    const { engine, audit, registry } = await engineWith([
      layer('t', {}, [{ type: 'hideField', field: 'notes' }]),
    ]);
    const first = engine.apply(frozenBase, { tenantId: 'acme' });
    const second = engine.apply(frozenBase, { tenantId: 'acme', device: 'desktop' });
    expect(second).toBe(first);
    expect(Object.isFrozen(first.spec.fields[0])).toBe(true);
    expect(audit.records).toHaveLength(2);

    // A new version is a new registry entry, hence a new result.
    await registry.register({
      spec: layer('t', {}, [{ type: 'renameLabel', field: 'notes', label: 'Remarks' }], 2),
    });
    const third = engine.apply(frozenBase, { tenantId: 'acme' });
    expect(third).not.toBe(first);
    expect(third.spec.fields[0]).toMatchObject({ label: 'Remarks', hidden: false });
  });

  it('does not memoize mutable base specs or when disabled', async () => {
    const { registry } = await engineWith([layer('t', {}, [{ type: 'hideField', field: 'notes' }])]);
    const engine = new OverlayEngine({ registry });
    const mutable: BaseSpec = {
      capability: 'billing.createOrder',
      fields: [{ name: 'notes', label: 'Notes' }],
    };
    expect(engine.apply(mutable, { tenantId: 'acme' })).not.toBe(engine.apply(mutable, { tenantId: 'acme' }));
    const plain = new OverlayEngine({ registry, memoize: false });
    expect(plain.apply(frozenBase, { tenantId: 'acme' })).not.toBe(
      plain.apply(frozenBase, { tenantId: 'acme' }),
    );
    expect(plain.apply(frozenBase, { tenantId: 'acme' })).toEqual(
      engine.apply(frozenBase, { tenantId: 'acme' }),
    );
  });

  it('serializes provenance (computed on demand) with JSON.stringify', async () => {
    const { engine } = await engineWith([layer('t', {}, [{ type: 'hideField', field: 'notes' }])]);
    const json = JSON.parse(JSON.stringify(engine.apply(frozenBase, { tenantId: 'acme' })));
    expect(json.provenance).toEqual({
      notes: { hidden: { overlayId: 't', version: 1, level: 'tenant', operationIndex: 0 } },
      amount: {},
    });
  });
});
