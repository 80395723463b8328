// Local clock (movable forward for demos and tests), ids, keyed hashing and the secrets kept under
// .data/: the hashing secret (secret.key) and the data keys (data-keys.json), both outside the database.
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { Keyring, NodeSecrets } from '../../keyring'
import { Ed25519Signer, retiredKeysFromEnv, signerFromEnv } from '../../signing'
import type { Clock, Ids, Logger } from '../../ports'

/** Real time plus an offset that only moves forward (POST /__dev/clock). */
export class LocalClock implements Clock {
  private offsetMs = 0
  constructor(private readonly base: () => number = Date.now) {}
  now(): number {
    return this.base() + this.offsetMs
  }
  advance(ms: number): number {
    if (!Number.isSafeInteger(ms) || ms < 0) throw new RangeError('advanceMs must be a non-negative integer')
    this.offsetMs += ms
    return this.now()
  }
}

export class LocalIds implements Ids {
  private seq = 0
  constructor(private readonly clock: Clock) {}
  next(prefix: string): string {
    this.seq = (this.seq + 1) % 0x100000
    const t = this.clock.now().toString(36).padStart(9, '0')
    return `${prefix}_${t}${this.seq.toString(36).padStart(4, '0')}${crypto.randomBytes(4).toString('hex')}`
  }
}

export class LocalSecrets extends NodeSecrets {
  constructor(
    private readonly key: Buffer,
    keyring: Keyring,
  ) {
    // The signing key: $KAITONG_SIGNING_KEY if set, else derived from the local master secret (so a
    // local cloud keeps one key across restarts, and tests with a fixed secret a fixed key).
    super(
      key,
      keyring,
      () =>
        process.env.KAITONG_SIGNING_KEY
          ? signerFromEnv(process.env.KAITONG_SIGNING_KEY)
          : new Ed25519Signer(deriveKey(key, 'ed25519-signing')),
      () => retiredKeysFromEnv(process.env.KAITONG_SIGNING_KEYS_RETIRED),
    )
  }
  /** A sub-key for another use (e.g. signing dev sessions), so one secret never serves two purposes. */
  derive(purpose: string): Buffer {
    return deriveKey(this.key, purpose)
  }
}

const deriveKey = (key: Buffer, purpose: string) =>
  crypto.createHmac('sha256', key).update(`derive\u0000${purpose}`).digest()

/** The local data keys, as data-keys.json holds them: the current key's id and every key by id (hex). */
interface KeyringFile {
  current: string
  keys: Record<string, string>
}

export const DATA_KEYS_FILE = 'data-keys.json'
/** The running local cloud's pid, beside its database (the keys CLI will not change keys under it). */
export const LOCAL_CLOUD_PID = 'local-cloud.pid'

/** Keys for one process only (an in-memory database): nothing to keep, nothing written. */
export function ephemeralKeyring(): Keyring {
  return new Keyring('ephemeral', { ephemeral: crypto.randomBytes(32) })
}

const readKeyring = (file: string): Keyring => {
  const j = JSON.parse(fs.readFileSync(file, 'utf8')) as KeyringFile
  return new Keyring(
    j.current,
    Object.fromEntries(Object.entries(j.keys).map(([k, hex]) => [k, Buffer.from(hex, 'hex')])),
  )
}

/** Written whole or not at all: a temporary file (owner-only), flushed, then renamed over the old one. */
function writeKeyring(file: string, ring: KeyringFile, flag: 'wx' | 'w'): void {
  if (flag === 'wx' && fs.existsSync(file)) throw new Error(`${file} exists`)
  const tmp = `${file}.${process.pid}.tmp`
  const fd = fs.openSync(tmp, 'w', 0o600)
  try {
    fs.writeSync(fd, `${JSON.stringify(ring, null, 2)}\n`)
    fs.fsyncSync(fd)
  } finally {
    fs.closeSync(fd)
  }
  if (flag === 'wx') {
    // Another process may have made it meanwhile: link fails if the name exists, rename would not.
    try {
      fs.linkSync(tmp, file)
    } finally {
      fs.rmSync(tmp, { force: true })
    }
  } else fs.renameSync(tmp, file)
}

/** A new key id for `now`: the date and a random suffix, so two keys made the same day differ. */
const newKeyId = (now: number) =>
  `local-${new Date(now).toISOString().slice(0, 10)}-${crypto.randomBytes(2).toString('hex')}`

/**
 * The local data keys, beside the database, readable by the owner only (tightened on every load).
 * Generated on first start — unless `mayCreate` is false (the database already holds identities
 * sealed with keys from somewhere): a missing key file is then an error naming it, never a fresh
 * key that would leave every sealed identity unreadable.
 */
export function loadOrCreateKeyring(dataDir: string, now: number = Date.now(), mayCreate = true): Keyring {
  const file = path.join(dataDir, DATA_KEYS_FILE)
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 })
  if (!fs.existsSync(file)) {
    if (!mayCreate)
      throw new Error(
        `${file} is missing, but the database holds identities sealed with data keys: restore the file (or point KAITONG_DB at the database it belongs to)`,
      )
    const kid = newKeyId(now)
    try {
      writeKeyring(file, { current: kid, keys: { [kid]: crypto.randomBytes(32).toString('hex') } }, 'wx')
    } catch {
      // Another process made it first: read theirs.
    }
  }
  fs.chmodSync(file, 0o600)
  return readKeyring(file)
}

/** Rotation, step one: a new key becomes the current one; the old ones stay to decrypt until re-sealed. */
export function addDataKey(dataDir: string, now: number = Date.now()): { current: string; keys: string[] } {
  const file = path.join(dataDir, DATA_KEYS_FILE)
  const j = JSON.parse(fs.readFileSync(file, 'utf8')) as KeyringFile
  const kid = newKeyId(now)
  const next = { current: kid, keys: { [kid]: crypto.randomBytes(32).toString('hex'), ...j.keys } }
  writeKeyring(file, next, 'w')
  return { current: kid, keys: Object.keys(next.keys) }
}

/** Rotation, last step: drop a key nothing is sealed with any more (the caller checks that first). */
export function removeDataKey(dataDir: string, kid: string): { current: string; keys: string[] } {
  const file = path.join(dataDir, DATA_KEYS_FILE)
  const j = JSON.parse(fs.readFileSync(file, 'utf8')) as KeyringFile
  if (kid === j.current) throw new Error(`${kid} is the current data key; add a new one first`)
  const { [kid]: _gone, ...keys } = j.keys
  writeKeyring(file, { current: j.current, keys }, 'w')
  return { current: j.current, keys: Object.keys(keys) }
}

/** The local master secret: generated on first start, kept beside the database, readable by the owner only. */
export function loadOrCreateSecret(dataDir: string): Buffer {
  const file = path.join(dataDir, 'secret.key')
  fs.mkdirSync(dataDir, { recursive: true })
  try {
    return Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'hex')
  } catch {
    const key = crypto.randomBytes(32)
    try {
      fs.writeFileSync(file, key.toString('hex'), { mode: 0o600, flag: 'wx' })
      return key
    } catch {
      return Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'hex')
    }
  }
}

export function consoleLogger(quiet = false): Logger {
  const line = (level: string, event: string, fields?: Record<string, unknown>) =>
    JSON.stringify({ level, event, ...fields, t: new Date().toISOString() })
  return {
    info: (e, f) => void (!quiet && console.log(line('info', e, f))),
    warn: (e, f) => void (!quiet && console.warn(line('warn', e, f))),
    error: (e, f) => console.error(line('error', e, f)),
  }
}
