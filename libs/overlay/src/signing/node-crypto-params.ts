import { constants, type KeyObject } from 'node:crypto';
import type { OverlaySigningAlgorithm } from './overlay-signature.types.js';

/** node:crypto digest + padding options for each algorithm; shared by signer and verifier. */
export function nodeSignParams(
  algorithm: OverlaySigningAlgorithm,
  key: KeyObject,
): { digest: string | null; key: KeyObject | { key: KeyObject; padding: number; saltLength: number } } {
  if (algorithm === 'ed25519') return { digest: null, key };
  // Salt length = digest length is the common interoperable choice (WebCrypto, JOSE PS256).
  return {
    digest: 'sha256',
    key: { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST },
  };
}

/** Whether a key's type can be used with the algorithm; prevents e.g. verifying PSS with an Ed25519 key. */
export function keyFitsAlgorithm(algorithm: OverlaySigningAlgorithm, key: KeyObject): boolean {
  const type = key.asymmetricKeyType;
  return algorithm === 'ed25519' ? type === 'ed25519' : type === 'rsa' || type === 'rsa-pss';
}
