import { createPublicKey, KeyObject, verify } from 'node:crypto';
import type { OverlayPublicKey } from '../contracts/key-resolver.js';
import type { SignatureVerifier } from '../contracts/signature-verifier.js';
import { keyFitsAlgorithm, nodeSignParams } from './node-crypto-params.js';

export class InvalidPublicKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidPublicKeyError';
  }
}

function toKeyObject(publicKey: OverlayPublicKey['publicKey']): KeyObject {
  if (publicKey instanceof KeyObject)
    return publicKey.type === 'private' ? createPublicKey(publicKey) : publicKey;
  if (typeof publicKey === 'string') return createPublicKey(publicKey);
  throw new InvalidPublicKeyError('the node verifier needs a PEM string or a KeyObject');
}

/** Default verifier (Node). Throws InvalidPublicKeyError when the key cannot serve the algorithm. */
export const nodeSignatureVerifier: SignatureVerifier = {
  verify(key, message, signature) {
    let keyObject: KeyObject;
    try {
      keyObject = toKeyObject(key.publicKey);
    } catch (error) {
      if (error instanceof InvalidPublicKeyError) throw error;
      throw new InvalidPublicKeyError(`unreadable public key: ${(error as Error).message}`);
    }
    if (!keyFitsAlgorithm(key.algorithm, keyObject)) {
      throw new InvalidPublicKeyError(`a ${keyObject.asymmetricKeyType} key cannot verify ${key.algorithm}`);
    }
    const params = nodeSignParams(key.algorithm, keyObject);
    return verify(params.digest, message, params.key, signature);
  },
};
