import type { OverlayPublicKey } from '../contracts/key-resolver.js';
import type { SignedOverlay } from '../signing/overlay-signature.types.js';
import { signOverlay } from '../signing/sign-overlay.js';
import type { OverlaySpec } from '../spec/overlay.types.js';
import { keyMap, overlaySpec, testKeyPair } from '../testing/overlay-fixtures.js';
import { OverlayRegistry } from './overlay-registry.js';
import { OverlayRejectedError } from './overlay-rejected.error.js';

const ed = testKeyPair('ed25519');
const rsa = testKeyPair('rsa-pss-sha256');

function sign(spec: OverlaySpec, pair = ed): SignedOverlay {
  return signOverlay(spec, { privateKey: pair.privateKey, keyId: pair.keyId, algorithm: pair.algorithm });
}

async function rejection(promise: Promise<unknown>): Promise<OverlayRejectedError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof OverlayRejectedError) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

function countingResolver(keys: Map<string, OverlayPublicKey>) {
  const calls: string[] = [];
  const resolveKey = async (keyId: string) => {
    calls.push(keyId);
    return keys.get(keyId);
  };
  return { calls, resolveKey };
}

describe('OverlayRegistry.register', () => {
  it('accepts overlays signed with either algorithm and rejects each verification failure with its reason', async () => {
    const keys = keyMap(ed, rsa);
    const registry = new OverlayRegistry({ resolveKey: (id) => keys.get(id) });
    await expect(registry.register(sign(overlaySpec({ overlayId: 'a' }), ed))).resolves.toMatchObject({
      keyId: ed.keyId,
    });
    await expect(registry.register(sign(overlaySpec({ overlayId: 'b' }), rsa))).resolves.toMatchObject({
      keyId: rsa.keyId,
    });

    const tampered = structuredClone(sign(overlaySpec({ overlayId: 'c' }))) as any;
    tampered.spec.operations[0].field = 'other';
    expect((await rejection(registry.register(tampered))).reason).toBe('tampered');

    const stranger = testKeyPair('ed25519', 'stranger');
    expect((await rejection(registry.register(sign(overlaySpec({ overlayId: 'd' }), stranger)))).reason).toBe(
      'unknown_key',
    );

    keys.set('revoked', {
      publicKey: ed.publicKey,
      algorithm: 'ed25519',
      revokedAt: new Date(Date.now() - 1000),
    });
    const revoked = signOverlay(overlaySpec({ overlayId: 'e' }), {
      privateKey: ed.privateKey,
      keyId: 'revoked',
      algorithm: 'ed25519',
    });
    expect((await rejection(registry.register(revoked))).reason).toBe('key_revoked');

    keys.set('mismatch', { publicKey: ed.publicKey, algorithm: 'rsa-pss-sha256' });
    const mismatch = signOverlay(overlaySpec({ overlayId: 'f' }), {
      privateKey: ed.privateKey,
      keyId: 'mismatch',
      algorithm: 'ed25519',
    });
    expect((await rejection(registry.register(mismatch))).reason).toBe('algorithm_mismatch');

    expect(registry.list('acme').map((o) => o.overlayId)).toEqual(['a', 'b']);
  });

  it('rejects unsigned overlays when signatures are required, accepts them when not', async () => {
    const strict = new OverlayRegistry({ resolveKey: () => undefined });
    const error = await rejection(strict.register({ spec: overlaySpec() }));
    expect(error.reason).toBe('unsigned');
    expect(error.message).toContain('acme-order-form@1 rejected: unsigned');

    const lenient = new OverlayRegistry({ requireSignature: false });
    const unsigned = await lenient.register({ spec: overlaySpec() });
    expect(unsigned.overlayId).toBe('acme-order-form');
    expect('keyId' in unsigned).toBe(false);
    // A signature that is present is still checked even when not required.
    expect((await rejection(lenient.register(sign(overlaySpec({ overlayId: 'signed' }))))).reason).toBe(
      'unknown_key',
    );
    expect(() => new OverlayRegistry({})).toThrow(/resolveKey/);
  });

  it('rejects invalid specs with the validation errors', async () => {
    const registry = new OverlayRegistry({ requireSignature: false });
    const error = await rejection(registry.register({ spec: { ...overlaySpec(), version: 1.5 } }));
    expect(error.reason).toBe('invalid_spec');
    expect(error.errors[0]?.path).toBe('/version');
  });

  it('keeps the highest version, rejects older versions and conflicting content for the same version', async () => {
    const registry = new OverlayRegistry({ resolveKey: (id) => keyMap(ed).get(id) });
    await registry.register(sign(overlaySpec({ version: 2 })));
    expect((await rejection(registry.register(sign(overlaySpec({ version: 1 }))))).reason).toBe('superseded');
    const conflicting = sign(
      overlaySpec({ version: 2, operations: [{ type: 'hideField', field: 'other' }] }),
    );
    expect((await rejection(registry.register(conflicting))).reason).toBe('version_conflict');
    await registry.register(sign(overlaySpec({ version: 3, capability: 'billing.refund' })));
    expect(registry.resolve({ tenantId: 'acme', capability: 'billing.createOrder' })).toEqual([]);
    expect(
      registry.resolve({ tenantId: 'acme', capability: 'billing.refund' }).map((o) => o.version),
    ).toEqual([3]);
  });

  it('caches verification per overlay version and signature, without trusting a changed spec', async () => {
    const { calls, resolveKey } = countingResolver(keyMap(ed));
    const registry = new OverlayRegistry({ resolveKey });
    const signed = sign(overlaySpec());
    await registry.register(signed);
    await registry.register(structuredClone(signed));
    await registry.register(signed);
    expect(calls).toHaveLength(1);
    // A reload of the same signed overlay is not a change.
    expect(registry.revision).toBe(1);

    const changed = structuredClone(signed) as any;
    changed.spec.scope = { role: 'admin' };
    expect((await rejection(registry.register(changed))).reason).toBe('tampered');
    expect(calls).toHaveLength(2);
    // Failures are not cached: the next attempt asks again.
    await rejection(registry.register(changed));
    expect(calls).toHaveLength(3);
  });

  it('re-verifies after invalidateKey and drops overlays whose key was revoked before signing', async () => {
    const keys = keyMap(ed);
    const registry = new OverlayRegistry({ resolveKey: (id) => keys.get(id) });
    const signed = sign(overlaySpec());
    await registry.register(signed);
    keys.set(ed.keyId, {
      publicKey: ed.publicKey,
      algorithm: 'ed25519',
      revokedAt: Date.parse('2100-01-01T00:00:00Z'),
    });
    await expect(registry.invalidateKey(ed.keyId)).resolves.toEqual([]);
    keys.set(ed.keyId, { publicKey: ed.publicKey, algorithm: 'ed25519', revokedAt: '2000-01-01T00:00:00Z' });
    const removed = await registry.invalidateKey(ed.keyId);
    expect(removed.map((o) => o.overlayId)).toEqual(['acme-order-form']);
    expect(registry.resolve({ tenantId: 'acme', capability: 'billing.createOrder' })).toEqual([]);
    expect((await rejection(registry.register(signed))).reason).toBe('key_revoked');
  });

  it('stores a frozen private copy so later mutation of the input changes nothing', async () => {
    const registry = new OverlayRegistry({ requireSignature: false });
    const spec = overlaySpec() as any;
    await registry.register({ spec });
    spec.operations[0].field = 'mutated';
    const [resolved] = registry.resolve({ tenantId: 'acme', capability: 'billing.createOrder' });
    expect(resolved!.spec.operations[0]).toEqual({ type: 'hideField', field: 'notes' });
    expect(Object.isFrozen(resolved!.spec.operations[0])).toBe(true);
  });

  it('notifies subscribers and bumps the revision on changes', async () => {
    const registry = new OverlayRegistry({ requireSignature: false });
    let notified = 0;
    const unsubscribe = registry.subscribe(() => notified++);
    await registry.register({ spec: overlaySpec() });
    expect(registry.unregister('acme', 'acme-order-form')).toBe(true);
    expect(registry.unregister('acme', 'acme-order-form')).toBe(false);
    unsubscribe();
    await registry.register({ spec: overlaySpec() });
    expect(notified).toBe(2);
    expect(registry.revision).toBe(3);
  });
});

describe('OverlayRegistry.resolve', () => {
  const spec = (
    overlayId: string,
    scope: OverlaySpec['scope'],
    version = 1,
    tenantId = 'acme',
  ): OverlaySpec => overlaySpec({ overlayId, scope, version, tenantId });

  async function registryWith(...specs: OverlaySpec[]) {
    const registry = new OverlayRegistry({ requireSignature: false });
    // Registered in reverse so the order cannot come from insertion.
    for (const s of [...specs].reverse()) await registry.register({ spec: s });
    return registry;
  }

  it('orders tenant < role < user < device, then version, then overlayId', async () => {
    const registry = await registryWith(
      spec('device', { device: 'mobile' }),
      spec('user', { userId: 'u1' }),
      spec('role', { role: 'clerk' }),
      spec('tenant-b', {}, 1),
      spec('tenant-a', {}, 1),
      spec('tenant-old', {}, 2),
      spec('tenant-z', {}, 1),
    );
    const ids = registry
      .resolve({
        tenantId: 'acme',
        capability: 'billing.createOrder',
        role: 'clerk',
        userId: 'u1',
        device: 'mobile',
      })
      .map((o) => `${o.overlayId}:${o.level}`);
    expect(ids).toEqual([
      'tenant-a:tenant',
      'tenant-b:tenant',
      'tenant-z:tenant',
      'tenant-old:tenant',
      'role:role',
      'user:user',
      'device:device',
    ]);
  });

  it('returns only overlays whose every scope attribute matches', async () => {
    const registry = await registryWith(
      spec('all', {}),
      spec('clerk', { role: 'clerk' }),
      spec('admin', { role: 'admin' }),
      spec('clerk-mobile', { role: 'clerk', device: 'mobile' }),
      spec('u2', { userId: 'u2' }),
    );
    const resolve = (ctx: object) =>
      registry
        .resolve({ tenantId: 'acme', capability: 'billing.createOrder', ...ctx })
        .map((o) => o.overlayId);
    expect(resolve({})).toEqual(['all']);
    expect(resolve({ role: 'clerk' })).toEqual(['all', 'clerk']);
    expect(resolve({ role: 'clerk', device: 'mobile', userId: 'u1' })).toEqual([
      'all',
      'clerk',
      'clerk-mobile',
    ]);
    expect(resolve({ device: 'mobile' })).toEqual(['all']);
    expect(resolve({ userId: 'u2', role: 'admin' })).toEqual(['all', 'admin', 'u2']);
  });

  it('ranks a combined role+device scope above device alone', async () => {
    const registry = await registryWith(
      spec('device', { device: 'mobile' }),
      spec('role-device', { role: 'clerk', device: 'mobile' }),
    );
    expect(
      registry
        .resolve({ tenantId: 'acme', capability: 'billing.createOrder', role: 'clerk', device: 'mobile' })
        .map((o) => o.overlayId),
    ).toEqual(['device', 'role-device']);
  });

  it('isolates tenants, even for equal overlay ids', async () => {
    const registry = await registryWith(
      spec('same', {}, 1, 'acme'),
      spec('same', { role: 'x' }, 5, 'globex'),
    );
    expect(
      registry
        .resolve({ tenantId: 'acme', capability: 'billing.createOrder', role: 'x' })
        .map((o) => o.version),
    ).toEqual([1]);
    expect(
      registry
        .resolve({ tenantId: 'globex', capability: 'billing.createOrder', role: 'x' })
        .map((o) => o.version),
    ).toEqual([5]);
    expect(registry.resolve({ tenantId: 'initech', capability: 'billing.createOrder' })).toEqual([]);
  });
});
