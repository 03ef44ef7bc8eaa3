import { createPrivateKey, KeyObject, sign } from 'node:crypto';
import { cloneJson } from '../spec/clone-json.js';
import { deepFreeze } from '../spec/deep-freeze.js';
import { InvalidOverlayError } from '../spec/invalid-overlay.error.js';
import type { OverlaySpec } from '../spec/overlay.types.js';
import { validateOverlay } from '../spec/validate-overlay.js';
import { encodeBase64Url } from './base64url.js';
import { keyFitsAlgorithm, nodeSignParams } from './node-crypto-params.js';
import {
  OVERLAY_SIGNING_ALGORITHMS,
  type OverlaySignature,
  type OverlaySigningAlgorithm,
  type SignedOverlay,
} from './overlay-signature.types.js';
import { signingPayloadBytes } from './signing-payload.js';

export interface SignOverlayOptions {
  /** PEM (PKCS#8 or PKCS#1 for RSA) or a private KeyObject. */
  readonly privateKey: string | KeyObject;
  readonly keyId: string;
  readonly algorithm: OverlaySigningAlgorithm;
  /** Injected for reproducible tests; defaults to the current time. */
  readonly now?: () => Date;
}

/**
 * Signs a validated copy of the spec (Node only: uses node:crypto). The returned object is
 * deep-frozen so what was signed is what gets registered.
 */
export function signOverlay(spec: OverlaySpec, options: SignOverlayOptions): SignedOverlay {
  if (!OVERLAY_SIGNING_ALGORITHMS.includes(options.algorithm)) {
    throw new TypeError(`unsupported overlay signing algorithm "${String(options.algorithm)}"`);
  }
  if (typeof options.keyId !== 'string' || options.keyId.length === 0)
    throw new TypeError('keyId is required');
  const validation = validateOverlay(spec);
  if (!validation.valid) throw new InvalidOverlayError(validation.errors);

  const key =
    options.privateKey instanceof KeyObject ? options.privateKey : createPrivateKey(options.privateKey);
  if (key.type !== 'private') throw new TypeError('signOverlay needs a private key');
  if (!keyFitsAlgorithm(options.algorithm, key)) {
    throw new TypeError(`a ${key.asymmetricKeyType} key cannot sign ${options.algorithm}`);
  }

  const copy = cloneJson(spec);
  const meta: Omit<OverlaySignature, 'value'> = {
    keyId: options.keyId,
    algorithm: options.algorithm,
    signedAt: (options.now?.() ?? new Date()).toISOString(),
  };
  const params = nodeSignParams(options.algorithm, key);
  const value = encodeBase64Url(sign(params.digest, signingPayloadBytes(copy, meta), params.key));
  return deepFreeze({ spec: copy, signature: { ...meta, value } });
}
