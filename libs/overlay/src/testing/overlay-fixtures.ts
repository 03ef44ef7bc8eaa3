/* Test helpers shared by the spec files (not exported from the package). */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { OverlayPublicKey } from '../contracts/key-resolver.js';
import type { OverlaySpec } from '../spec/overlay.types.js';
import type { OverlaySigningAlgorithm } from '../signing/overlay-signature.types.js';

export interface TestKeyPair {
  readonly keyId: string;
  readonly algorithm: OverlaySigningAlgorithm;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

export function testKeyPair(algorithm: OverlaySigningAlgorithm, keyId = `${algorithm}-key`): TestKeyPair {
  const pair =
    algorithm === 'ed25519'
      ? generateKeyPairSync('ed25519')
      : generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { keyId, algorithm, privateKey: pair.privateKey, publicKey: pair.publicKey };
}

export function keyMap(...pairs: TestKeyPair[]): Map<string, OverlayPublicKey> {
  return new Map(pairs.map((p) => [p.keyId, { publicKey: p.publicKey, algorithm: p.algorithm }]));
}

export function overlaySpec(overrides: Partial<OverlaySpec> = {}): OverlaySpec {
  return {
    overlayId: 'acme-order-form',
    version: 1,
    tenantId: 'acme',
    capability: 'billing.createOrder',
    scope: {},
    operations: [{ type: 'hideField', field: 'notes' }],
    ...overrides,
  };
}
