import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { canonicalize } from '../canonical/jcs-canonicalize.js';
import type { OverlayPublicKey } from '../contracts/key-resolver.js';
import { InvalidOverlayError } from '../spec/invalid-overlay.error.js';
import { keyMap, overlaySpec, testKeyPair } from '../testing/overlay-fixtures.js';
import type { SignedOverlay } from './overlay-signature.types.js';
import { signOverlay } from './sign-overlay.js';
import { OVERLAY_SIGNATURE_CONTEXT, signingPayload } from './signing-payload.js';
import { verifyOverlay } from './verify-overlay.js';

const ed = testKeyPair('ed25519');
const rsa = testKeyPair('rsa-pss-sha256');
const keys = keyMap(ed, rsa);
const resolveKey = (keyId: string) => keys.get(keyId);
const fixedNow = () => new Date('2025-03-01T12:00:00.000Z');

function tamperedCopy(
  signed: SignedOverlay,
  mutate: (copy: { spec: any; signature: any }) => void,
): SignedOverlay {
  const copy = structuredClone(signed) as { spec: any; signature: any };
  mutate(copy);
  return copy as SignedOverlay;
}

describe.each([ed, rsa])('signOverlay / verifyOverlay with $algorithm', (pair) => {
  it('round-trips with a KeyObject and with PEM keys', async () => {
    const signed = signOverlay(overlaySpec(), {
      privateKey: pair.privateKey,
      keyId: pair.keyId,
      algorithm: pair.algorithm,
      now: fixedNow,
    });
    expect(signed.signature).toMatchObject({
      keyId: pair.keyId,
      algorithm: pair.algorithm,
      signedAt: '2025-03-01T12:00:00.000Z',
    });
    expect(signed.signature.value).toMatch(/^[A-Za-z0-9_-]+$/);
    await expect(verifyOverlay(signed, resolveKey)).resolves.toEqual({ valid: true });

    const pemSigned = signOverlay(overlaySpec(), {
      privateKey: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      keyId: pair.keyId,
      algorithm: pair.algorithm,
    });
    const pemKey: OverlayPublicKey = {
      publicKey: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      algorithm: pair.algorithm,
    };
    await expect(verifyOverlay(pemSigned, async () => pemKey)).resolves.toEqual({ valid: true });
  });

  it('detects a changed spec, a changed signedAt and a swapped key id', async () => {
    const signed = signOverlay(overlaySpec(), {
      privateKey: pair.privateKey,
      keyId: pair.keyId,
      algorithm: pair.algorithm,
    });
    const specChanged = tamperedCopy(signed, (c) => (c.spec.operations[0].field = 'total'));
    const backdated = tamperedCopy(signed, (c) => (c.signature.signedAt = '2000-01-01T00:00:00.000Z'));
    await expect(verifyOverlay(specChanged, resolveKey)).resolves.toEqual({
      valid: false,
      reason: 'tampered',
    });
    await expect(verifyOverlay(backdated, resolveKey)).resolves.toEqual({ valid: false, reason: 'tampered' });

    const twin = { keyId: 'twin', publicKey: pair.publicKey, algorithm: pair.algorithm };
    const swapped = tamperedCopy(signed, (c) => (c.signature.keyId = 'twin'));
    // Same public key under another id: still rejected because the key id is part of what is signed.
    await expect(verifyOverlay(swapped, () => twin)).resolves.toEqual({ valid: false, reason: 'tampered' });
  });
});

describe('verifyOverlay rejection reasons', () => {
  const signed = signOverlay(overlaySpec(), {
    privateKey: ed.privateKey,
    keyId: ed.keyId,
    algorithm: 'ed25519',
    now: fixedNow,
  });

  it('unknown_key when the resolver knows nothing (sync undefined, null or async undefined)', async () => {
    await expect(verifyOverlay(signed, () => undefined)).resolves.toEqual({
      valid: false,
      reason: 'unknown_key',
    });
    await expect(verifyOverlay(signed, () => null)).resolves.toEqual({ valid: false, reason: 'unknown_key' });
    await expect(verifyOverlay(signed, async () => undefined)).resolves.toEqual({
      valid: false,
      reason: 'unknown_key',
    });
  });

  it('passes the tenant and overlay to the resolver so key stores can scope keys by tenant', async () => {
    const calls: unknown[] = [];
    await verifyOverlay(signed, (keyId, context) => {
      calls.push([keyId, context]);
      return undefined;
    });
    expect(calls).toEqual([[ed.keyId, { tenantId: 'acme', overlayId: 'acme-order-form' }]]);
  });

  it('key_revoked when the key was revoked at or before signedAt, valid when revoked after', async () => {
    const at = (revokedAt: Date | string | number) => () => ({
      publicKey: ed.publicKey,
      algorithm: 'ed25519' as const,
      revokedAt,
    });
    await expect(verifyOverlay(signed, at('2025-03-01T11:00:00Z'))).resolves.toEqual({
      valid: false,
      reason: 'key_revoked',
    });
    await expect(verifyOverlay(signed, at(new Date('2025-03-01T12:00:00.000Z')))).resolves.toEqual({
      valid: false,
      reason: 'key_revoked',
    });
    await expect(verifyOverlay(signed, at('not a date'))).resolves.toEqual({
      valid: false,
      reason: 'key_revoked',
    });
    await expect(verifyOverlay(signed, at(Date.parse('2025-03-02T00:00:00Z')))).resolves.toEqual({
      valid: true,
    });
  });

  it('algorithm_mismatch when the registered key is for another algorithm', async () => {
    await expect(
      verifyOverlay(signed, () => ({ publicKey: ed.publicKey, algorithm: 'rsa-pss-sha256' })),
    ).resolves.toEqual({
      valid: false,
      reason: 'algorithm_mismatch',
    });
  });

  it('invalid_key when the key material cannot serve the declared algorithm', async () => {
    await expect(
      verifyOverlay(signed, () => ({ publicKey: rsa.publicKey, algorithm: 'ed25519' })),
    ).resolves.toEqual({
      valid: false,
      reason: 'invalid_key',
    });
    await expect(
      verifyOverlay(signed, () => ({ publicKey: 'not a pem', algorithm: 'ed25519' })),
    ).resolves.toEqual({
      valid: false,
      reason: 'invalid_key',
    });
  });

  it('unsupported_algorithm and malformed envelopes', async () => {
    const alg = tamperedCopy(signed, (c) => (c.signature.algorithm = 'hmac-sha256'));
    await expect(verifyOverlay(alg, resolveKey)).resolves.toEqual({
      valid: false,
      reason: 'unsupported_algorithm',
    });
    const cases = [
      null,
      { spec: signed.spec },
      tamperedCopy(signed, (c) => (c.signature.value = 'not+base64/url')),
      tamperedCopy(signed, (c) => (c.signature.signedAt = 'yesterday')),
      tamperedCopy(signed, (c) => (c.signature.extra = 1)),
      tamperedCopy(signed, (c) => (c.spec.metadata = { bad: Number.NaN })),
    ];
    for (const candidate of cases) {
      await expect(verifyOverlay(candidate as SignedOverlay, resolveKey)).resolves.toEqual({
        valid: false,
        reason: 'malformed',
      });
    }
  });

  it('propagates resolver failures instead of turning them into a verdict', async () => {
    await expect(
      verifyOverlay(signed, () => {
        throw new Error('database down');
      }),
    ).rejects.toThrow('database down');
  });

  it('accepts a pluggable verifier (e.g. WebCrypto in browsers)', async () => {
    const seen: number[] = [];
    const result = await verifyOverlay(signed, resolveKey, {
      verifier: {
        verify: async (_key, message, signature) => {
          seen.push(message.length, signature.length);
          return false;
        },
      },
    });
    expect(result).toEqual({ valid: false, reason: 'tampered' });
    expect(seen[1]).toBe(64);
  });
});

describe('what is signed', () => {
  it('is the canonical JSON of context, signature metadata and spec', () => {
    const signed = signOverlay(overlaySpec(), {
      privateKey: ed.privateKey,
      keyId: ed.keyId,
      algorithm: 'ed25519',
      now: fixedNow,
    });
    const { value, ...meta } = signed.signature;
    const expected = canonicalize({
      context: OVERLAY_SIGNATURE_CONTEXT,
      signature: meta,
      spec: overlaySpec(),
    });
    expect(signingPayload(signed.spec, signed.signature)).toBe(expected);
    expect(verify(null, Buffer.from(expected, 'utf8'), ed.publicKey, Buffer.from(value, 'base64url'))).toBe(
      true,
    );
  });

  it('returns a frozen copy and refuses invalid specs, wrong key types and public keys', () => {
    const draft = overlaySpec();
    const signed = signOverlay(draft, { privateKey: ed.privateKey, keyId: 'k', algorithm: 'ed25519' });
    expect(Object.isFrozen(signed.spec.operations)).toBe(true);
    expect(Object.isFrozen(signed.signature)).toBe(true);
    expect(Object.isFrozen(draft)).toBe(false);
    expect(() =>
      signOverlay(overlaySpec({ version: -1 }), {
        privateKey: ed.privateKey,
        keyId: 'k',
        algorithm: 'ed25519',
      }),
    ).toThrow(InvalidOverlayError);
    expect(() =>
      signOverlay(overlaySpec(), { privateKey: rsa.privateKey, keyId: 'k', algorithm: 'ed25519' }),
    ).toThrow(/cannot sign/);
    expect(() =>
      signOverlay(overlaySpec(), { privateKey: ed.publicKey, keyId: 'k', algorithm: 'ed25519' }),
    ).toThrow(/private key/);
    expect(() =>
      signOverlay(overlaySpec(), { privateKey: ed.privateKey, keyId: '', algorithm: 'ed25519' }),
    ).toThrow(/keyId/);
  });

  it('verifies RSA-PSS signatures made with a PKCS#1 PEM and an rsa-pss key type', async () => {
    const pss = generateKeyPairSync('rsa-pss', { modulusLength: 2048 });
    const signed = signOverlay(overlaySpec(), {
      privateKey: pss.privateKey,
      keyId: 'pss',
      algorithm: 'rsa-pss-sha256',
    });
    await expect(
      verifyOverlay(signed, () => ({
        publicKey: createPublicKey(pss.privateKey),
        algorithm: 'rsa-pss-sha256',
      })),
    ).resolves.toEqual({ valid: true });
    const pkcs1 = rsa.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    const signed1 = signOverlay(overlaySpec(), {
      privateKey: pkcs1,
      keyId: rsa.keyId,
      algorithm: 'rsa-pss-sha256',
    });
    await expect(verifyOverlay(signed1, resolveKey)).resolves.toEqual({ valid: true });
  });
});
