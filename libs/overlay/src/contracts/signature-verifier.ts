import type { OverlayPublicKey } from './key-resolver.js';

/**
 * Checks a raw signature. The default uses node:crypto; a browser build can pass one backed by
 * WebCrypto (crypto.subtle), which is why the result may be a promise.
 */
export interface SignatureVerifier {
  verify(key: OverlayPublicKey, message: Uint8Array, signature: Uint8Array): boolean | Promise<boolean>;
}
