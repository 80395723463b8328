// The server's signature on what a borrower keeps — contract signing records, receipts, the seal in
// a contract's PDF — with Ed25519, so that anyone holding the published public key can check a
// copy offline (`kaitong verify`, GET /.well-known/kaitong-signing-key). The private key lives
// outside the database: KAITONG_SIGNING_KEY (a 32-byte seed, hex) in WeChat Cloud; locally it is
// derived from the local master secret unless that variable is set.
import crypto from 'node:crypto'

/** A public key as published: its id (from the key itself), the algorithm, and the key (SPKI PEM and raw base64url). */
export interface PublicSigningKey {
  kid: string
  alg: 'Ed25519'
  publicKeyPem: string
  /** The 32-byte public key, base64url (as a JWK's `x`). */
  x: string
}

/** What a signature string says: `ed25519:<kid>:<base64 signature>`. */
const SIGNATURE = /^ed25519:([0-9a-f]{16}):([A-Za-z0-9+/]{86}==)$/

// An Ed25519 private key as PKCS#8 DER is this fixed prefix followed by its 32-byte seed (RFC 8410).
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex')

export class Ed25519Signer {
  private readonly privateKey: crypto.KeyObject
  readonly publicKey: PublicSigningKey

  constructor(seed: Buffer) {
    if (seed.length !== 32) throw new Error('an Ed25519 signing key is a 32-byte seed (64 hex characters)')
    this.privateKey = crypto.createPrivateKey({
      key: Buffer.concat([PKCS8_PREFIX, seed]),
      format: 'der',
      type: 'pkcs8',
    })
    this.publicKey = publishedKey(crypto.createPublicKey(this.privateKey))
  }

  /** The signature of `message` (UTF-8), with the key's id: `ed25519:<kid>:<base64>`. */
  sign(message: string): string {
    const sig = crypto.sign(null, Buffer.from(message, 'utf8'), this.privateKey).toString('base64')
    return `ed25519:${this.publicKey.kid}:${sig}`
  }
}

/** A public key as it is published, its id the first 16 hex digits of the SHA-256 of its raw bytes. */
export function publishedKey(key: crypto.KeyObject): PublicSigningKey {
  const jwk = key.export({ format: 'jwk' }) as { x: string }
  const raw = Buffer.from(jwk.x, 'base64url')
  return {
    kid: crypto.createHash('sha256').update(raw).digest('hex').slice(0, 16),
    alg: 'Ed25519',
    publicKeyPem: key.export({ format: 'pem', type: 'spki' }).toString(),
    x: jwk.x,
  }
}

/**
 * Whether `signature` is a good Ed25519 signature of `message` by one of `keys` (the public keys
 * only: this is what a verifier without the server's secrets runs). A malformed signature, or one
 * by a key not in the list, is simply not good.
 */
export function verifySignature(
  keys: Array<Pick<PublicSigningKey, 'kid' | 'x'>>,
  message: string,
  signature: string,
): boolean {
  const m = SIGNATURE.exec(signature)
  if (!m) return false
  const key = keys.find((k) => k.kid === m[1])
  if (!key) return false
  try {
    const publicKey = crypto.createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: key.x }, format: 'jwk' })
    return crypto.verify(null, Buffer.from(message, 'utf8'), publicKey, Buffer.from(m[2], 'base64'))
  } catch {
    return false
  }
}

/** Whether a signature string is an Ed25519 one (receipts from before it carry an HMAC). */
export const isEd25519Signature = (signature: string) => signature.startsWith('ed25519:')

/** `KAITONG_SIGNING_KEY`: the 32-byte seed as 64 hex characters. */
export function signerFromEnv(value: string | undefined, name = 'KAITONG_SIGNING_KEY'): Ed25519Signer {
  if (!value) throw new Error(`missing environment variable ${name} (set it in the cloud function's configuration)`)
  if (!/^[0-9a-fA-F]{64}$/.test(value.trim()))
    throw new Error(`${name}: expected 64 hex characters (a 32-byte Ed25519 seed)`)
  return new Ed25519Signer(Buffer.from(value.trim(), 'hex'))
}

/**
 * `KAITONG_SIGNING_KEYS_RETIRED`: the public keys of signing keys rotated out, comma-separated, each
 * the 32-byte Ed25519 public key in base64url (a JWK's `x`, as /.well-known/kaitong-signing-key
 * printed it). They are published beside the current key so that copies signed before a rotation
 * still verify; the server never signs with them (what it hands out again is signed anew).
 */
export function retiredKeysFromEnv(
  value: string | undefined,
  name = 'KAITONG_SIGNING_KEYS_RETIRED',
): PublicSigningKey[] {
  if (!value || value.trim() === '') return []
  return value.split(',').map((part) => {
    const x = part.trim()
    if (!/^[A-Za-z0-9_-]{43}$/.test(x))
      throw new Error(`${name}: expected base64url Ed25519 public keys (43 characters each), comma-separated`)
    try {
      return publishedKey(crypto.createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' }))
    } catch {
      throw new Error(`${name}: ${x.slice(0, 8)}… is not an Ed25519 public key`)
    }
  })
}
