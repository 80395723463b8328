// Local clock (movable forward for demos and tests), ids, keyed hashing and the secret kept under .data/.
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import type { Clock, Ids, Logger, Secrets } from '../ports'

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

export class HmacSecrets implements Secrets {
  constructor(private readonly key: Buffer) {}
  keyedHash(purpose: string, value: string): string {
    return crypto.createHmac('sha256', this.key).update(`${purpose}\u0000${value}`).digest('hex')
  }
  /** A sub-key for another use (e.g. signing dev sessions), so one secret never serves two purposes. */
  derive(purpose: string): Buffer {
    return crypto.createHmac('sha256', this.key).update(`derive\u0000${purpose}`).digest()
  }
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
