/*
 * Overlay hot path: resolve + apply for a 50-field spec with four signed overlays (tenant,
 * role, user, device), verification cached by the registry, audit batched. Compared in the
 * same run with one uncached ed25519 and one RSA-PSS-2048 verification, which is what every
 * apply would cost if verification were not cached.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import {
  BatchingAuditSink,
  mergeOverlays,
  OverlayEngine,
  OverlayRegistry,
  signOverlay,
  verifyOverlay,
  type BaseSpec,
  type OverlayAuditRecord,
  type OverlayPublicKey,
  type OverlaySpec,
  type SignedOverlay,
} from '@lssm/overlay';

const FIELDS = 50;
const ROUNDS = 5;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Median ns/op over ROUNDS rounds of `iterations` calls. */
async function measure(iterations: number, fn: () => unknown): Promise<number> {
  for (let i = 0; i < Math.min(iterations, 5000); i++) await fn();
  const rounds: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) await fn();
    rounds.push(Number(process.hrtime.bigint() - start) / iterations);
  }
  return median(rounds);
}

function measureSync(iterations: number, fn: () => unknown): number {
  for (let i = 0; i < Math.min(iterations, 20_000); i++) fn();
  const rounds: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) fn();
    rounds.push(Number(process.hrtime.bigint() - start) / iterations);
  }
  return median(rounds);
}

const name = (i: number) => `field_${String(i).padStart(2, '0')}`;

const base: BaseSpec = Object.freeze({
  capability: 'billing.createOrder',
  fields: Object.freeze(
    Array.from({ length: FIELDS }, (_, i) =>
      Object.freeze({ name: name(i), label: `Field ${i}`, type: i % 3 === 0 ? 'number' : 'string' }),
    ),
  ),
});

function spec(
  overlayId: string,
  scope: OverlaySpec['scope'],
  operations: OverlaySpec['operations'],
): OverlaySpec {
  return { overlayId, version: 1, tenantId: 'acme', capability: base.capability, scope, operations };
}

const overlays: OverlaySpec[] = [
  spec('acme-tenant', {}, [
    ...[1, 2, 3, 4, 5].map((i) => ({ type: 'hideField' as const, field: name(i) })),
    ...[10, 11, 12, 13, 14].map((i) => ({
      type: 'renameLabel' as const,
      field: name(i),
      label: `Tenant ${i}`,
    })),
    { type: 'reorderFields', fields: [20, 21, 22, 23, 24, 25, 26, 27, 28, 29].map(name) },
  ]),
  spec('acme-clerk', { role: 'clerk' }, [
    ...[10, 15, 16, 17, 18].map((i) => ({
      type: 'renameLabel' as const,
      field: name(i),
      label: `Clerk ${i}`,
    })),
    ...[30, 31, 32, 33, 34].map((i) => ({ type: 'setReadOnly' as const, field: name(i), readOnly: true })),
  ]),
  spec('acme-u42', { userId: 'u42' }, [
    { type: 'showField', field: name(1) },
    { type: 'showField', field: name(2) },
    ...[40, 41, 42].map((i) => ({ type: 'setDefault' as const, field: name(i), value: `default ${i}` })),
  ]),
  spec('acme-mobile', { device: 'mobile' }, [
    ...[45, 46, 47].map((i) => ({ type: 'hideField' as const, field: name(i) })),
    { type: 'reorderFields', fields: [0, 49, 48, 10, 11].map(name) },
  ]),
];

async function main(): Promise<void> {
  const ed = generateKeyPairSync('ed25519');
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keys = new Map<string, OverlayPublicKey>([
    ['acme-ed25519', { publicKey: ed.publicKey, algorithm: 'ed25519' }],
    ['acme-rsa', { publicKey: rsa.publicKey, algorithm: 'rsa-pss-sha256' }],
  ]);
  const resolveKey = (keyId: string) => keys.get(keyId);
  const signWith = (
    s: OverlaySpec,
    privateKey: KeyObject,
    keyId: string,
    algorithm: 'ed25519' | 'rsa-pss-sha256',
  ) => signOverlay(s, { privateKey, keyId, algorithm });
  const signed: SignedOverlay[] = overlays.map((s, i) =>
    i % 2 === 0
      ? signWith(s, ed.privateKey, 'acme-ed25519', 'ed25519')
      : signWith(s, rsa.privateKey, 'acme-rsa', 'rsa-pss-sha256'),
  );

  const registry = new OverlayRegistry({ resolveKey });
  for (const s of signed) await registry.register(s);

  let audited = 0;
  const audit = new BatchingAuditSink({
    target: { write: (records: readonly OverlayAuditRecord[]) => void (audited += records.length) },
    maxBatchSize: 1000,
    flushIntervalMs: 1000,
  });
  const engine = new OverlayEngine({ registry, audit });
  const coldEngine = new OverlayEngine({ registry, audit, memoize: false });
  const context = { tenantId: 'acme', role: 'clerk', userId: 'u42', device: 'mobile' };

  const check = engine.apply(base, context);
  if (check.applied.length !== 4 || check.spec.fields.length !== FIELDS)
    throw new Error('benchmark setup is wrong');

  const applyNs = measureSync(200_000, () => engine.apply(base, context));
  const coldApplyNs = measureSync(100_000, () => coldEngine.apply(base, context));
  const resolveNs = measureSync(1_000_000, () =>
    registry.resolve({ ...context, capability: base.capability }),
  );
  const resolved = registry.resolve({ ...context, capability: base.capability });
  const mergeNs = measureSync(200_000, () => mergeOverlays(base, resolved));
  const cachedRegisterNs = await measure(20_000, () => registry.register(signed[0]!));
  const edVerifyNs = await measure(2_000, () => verifyOverlay(signed[0]!, resolveKey));
  const rsaVerifyNs = await measure(1_000, () => verifyOverlay(signed[1]!, resolveKey));
  await audit.close();

  const us = (ns: number) => (ns / 1000).toFixed(2);
  const ops = (ns: number) => Math.round(1e9 / ns).toLocaleString('en-US');
  const rows: Array<[string, number]> = [
    ['resolve + apply (4 overlays, 50 fields, audited; merge memoized)', applyNs],
    ['resolve + apply, memoize off (merge on every call, audited)', coldApplyNs],
    ['  resolve alone', resolveNs],
    ['  mergeOverlays alone (no audit, no memo)', mergeNs],
    ['register, verification cached', cachedRegisterNs],
    ['verifyOverlay ed25519 (uncached)', edVerifyNs],
    ['verifyOverlay rsa-pss-sha256 2048 (uncached)', rsaVerifyNs],
  ];
  console.log(
    `node ${process.version}, ${FIELDS} fields, ${overlays.length} overlays, median of ${ROUNDS} rounds`,
  );
  console.log('| operation | µs/op | ops/s |');
  console.log('|---|---:|---:|');
  for (const [label, ns] of rows) console.log(`| ${label} | ${us(ns)} | ${ops(ns)} |`);
  for (const [label, ns] of [
    ['memoized', applyNs],
    ['memoize off', coldApplyNs],
  ] as const) {
    console.log(
      `ratio verify / resolve+apply (${label}): ed25519 ${(edVerifyNs / ns).toFixed(1)}x, rsa-pss ${(rsaVerifyNs / ns).toFixed(1)}x; ` +
        `target < 10 µs: ${ns < 10_000 ? 'met' : 'NOT met'}`,
    );
  }
  console.log(`audit records written: ${audited}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
