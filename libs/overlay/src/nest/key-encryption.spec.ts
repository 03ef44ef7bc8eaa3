import { randomBytes } from 'node:crypto';
import { KeyEncryption, KeyEncryptionUnavailableError } from './key-encryption.js';

describe('KeyEncryption', () => {
  const kek = randomBytes(32).toString('base64');
  const pem = '-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----\n';

  it('round-trips and never stores the plaintext', () => {
    const enc = new KeyEncryption(kek);
    const stored = enc.encrypt(pem, 'acme', 'k1');
    expect(stored).not.toContain('PRIVATE');
    expect(enc.decrypt(stored, 'acme', 'k1')).toBe(pem);
    expect(enc.encrypt(pem, 'acme', 'k1')).not.toBe(stored); // fresh IV each time
  });

  it('binds the ciphertext to tenant and key id', () => {
    const enc = new KeyEncryption(kek);
    const stored = enc.encrypt(pem, 'acme', 'k1');
    expect(() => enc.decrypt(stored, 'globex', 'k1')).toThrow();
    expect(() => enc.decrypt(stored, 'acme', 'k2')).toThrow();
  });

  it('names a wrong key-encryption key, rejects bad sizes and works without one only for nothing', () => {
    const stored = new KeyEncryption(kek).encrypt(pem, 'acme', 'k1');
    expect(() => new KeyEncryption(randomBytes(32)).decrypt(stored, 'acme', 'k1')).toThrow(
      /another key-encryption key/,
    );
    expect(() => new KeyEncryption(randomBytes(16))).toThrow(/32 bytes/);
    const none = new KeyEncryption(null);
    expect(none.available).toBe(false);
    expect(() => none.encrypt(pem, 'acme', 'k1')).toThrow(KeyEncryptionUnavailableError);
  });
});
