// The data keys that encrypt what the lender must be able to read back (legal name, ID number):
// AES-256-GCM, a key id beside each ciphertext so keys can rotate, and the field's context bound
// as associated data so a ciphertext cannot be moved to another person or field. The keys live
// outside the database: an environment secret in WeChat Cloud, a generated file locally.
import crypto from 'node:crypto'
import { SealedDataError, type PublicSigningKey, type Sealed, type Secrets } from './ports'
import type { Ed25519Signer } from './signing'

/** A key id: what a ciphertext names its key by (1–32 of [0-9A-Za-z_.-]). */
const KEY_ID = /^[0-9A-Za-z_.-]{1,32}$/

export class Keyring {
  private readonly keys: Map<string, Buffer>

  /** `keys` in any order; `current` encrypts, every key decrypts what it encrypted. */
  constructor(
    readonly current: string,
    keys: Record<string, Buffer>,
  ) {
    this.keys = new Map(Object.entries(keys))
    for (const [kid, key] of this.keys) {
      if (!KEY_ID.test(kid)) throw new Error(`data key id ${JSON.stringify(kid)}: use 1–32 of [0-9A-Za-z_.-]`)
      if (key.length !== 32) throw new Error(`data key ${kid}: must be 32 bytes (64 hex characters)`)
    }
    if (!this.keys.has(current)) throw new Error(`the current data key ${current} is not in the keyring`)
  }

  ids(): string[] {
    return [...this.keys.keys()]
  }

  seal(context: string, plaintext: string): Sealed {
    const iv = crypto.randomBytes(12)
    const cipher = crypto.createCipheriv('aes-256-gcm', this.keys.get(this.current)!, iv)
    cipher.setAAD(Buffer.from(context, 'utf8'))
    const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
    return {
      v: 1,
      kid: this.current,
      iv: iv.toString('base64'),
      ct: ct.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
    }
  }

  open(context: string, sealed: Sealed): string {
    const key = this.keys.get(sealed.kid)
    if (!key) throw new SealedDataError(sealed.kid, 'KEY_MISSING')
    try {
      const decipher = crypto.createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'))
      decipher.setAAD(Buffer.from(context, 'utf8'))
      decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'))
      return Buffer.concat([decipher.update(Buffer.from(sealed.ct, 'base64')), decipher.final()]).toString('utf8')
    } catch {
      throw new SealedDataError(sealed.kid, 'AUTH_FAILED')
    }
  }
}

/**
 * `KAITONG_DATA_KEYS`: comma-separated `<id>:<64 hex>`; the first encrypts, the rest only
 * decrypt (the keys being rotated out). Example: `2026-12:…,2026-01:…`.
 */
export function keyringFromEnv(value: string | undefined, name = 'KAITONG_DATA_KEYS'): Keyring {
  if (!value) throw new Error(`missing environment variable ${name} (set it in the cloud function's configuration)`)
  const entries = value.split(',').map((part) => part.trim().split(':'))
  if (entries.some((e) => e.length !== 2 || !/^[0-9a-fA-F]{64}$/.test(e[1])))
    throw new Error(`${name}: expected <id>:<64 hex>[,<id>:<64 hex>…]`)
  if (new Set(entries.map((e) => e[0])).size !== entries.length) throw new Error(`${name}: a key id appears twice`)
  try {
    return new Keyring(entries[0][0], Object.fromEntries(entries.map(([kid, hex]) => [kid, Buffer.from(hex, 'hex')])))
  } catch (error) {
    throw new Error(`${name}: ${error instanceof Error ? error.message : String(error)}`)
  }
}

/**
 * The Secrets port on node's crypto: HMAC-SHA256 for look-ups, the keyring for what must be read
 * back. The keyring may be given lazily: a cloud function that never opens an identity (merchant
 * codes) then needs no data keys in its configuration.
 */
export class NodeSecrets implements Secrets {
  private ring: Keyring | null = null

  constructor(
    private readonly hashKey: Buffer,
    keyring: Keyring | (() => Keyring),
    /** The signing key, or how to read it when something is first signed (functions that never sign need none). */
    private readonly signerOf: () => Ed25519Signer,
    /** The public keys of signing keys rotated out: published, so that older copies still verify. */
    private readonly retired: () => PublicSigningKey[] = () => [],
  ) {
    if (keyring instanceof Keyring) this.ring = keyring
    else this.load = keyring
  }

  private signer: Ed25519Signer | null = null

  private get signing(): Ed25519Signer {
    if (!this.signer) this.signer = this.signerOf()
    return this.signer
  }

  sign(message: string): string {
    return this.signing.sign(message)
  }

  signingKeys(): PublicSigningKey[] {
    const current = this.signing.publicKey
    return [current, ...this.retired().filter((k) => k.kid !== current.kid)]
  }

  private load: (() => Keyring) | null = null

  get keyring(): Keyring {
    if (!this.ring) this.ring = this.load!()
    return this.ring
  }

  keyedHash(purpose: string, value: string): string {
    return crypto.createHmac('sha256', this.hashKey).update(`${purpose}\u0000${value}`).digest('hex')
  }

  seal(context: string, plaintext: string): Sealed {
    return this.keyring.seal(context, plaintext)
  }

  open(context: string, sealed: Sealed): string {
    return this.keyring.open(context, sealed)
  }

  currentKeyId(): string {
    return this.keyring.current
  }

  keyIds(): string[] {
    return this.keyring.ids()
  }
}
