// The Files port on the local machine: a folder beside the database (in memory for an in-memory
// one), and download addresses signed with a key derived from the local secret that expire —
// what cloud storage's temporary URLs are in WeChat Cloud. The local cloud serves them at /files/.
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import type { Files } from '../../ports'

/** A file id: `local:<path>`, the path made of [0-9A-Za-z_./-] with no `..`. */
const SAFE_PATH = /^(?!.*\.\.)[0-9A-Za-z_./-]{1,200}$/

export class LocalFiles implements Files {
  private readonly memory = new Map<string, Uint8Array>()
  /** Where /files/ is served from once the local cloud listens (an address without it is a path). */
  baseUrl = ''

  constructor(
    private readonly dir: string | null,
    private readonly key: Buffer,
    private readonly now: () => number,
  ) {}

  private fileOf(p: string): string | null {
    return this.dir ? path.join(this.dir, ...p.split('/')) : null
  }

  async put(p: string, bytes: Uint8Array): Promise<{ fileId: string }> {
    if (!SAFE_PATH.test(p)) throw new Error(`files: a path of [0-9A-Za-z_./-] without "..": ${JSON.stringify(p)}`)
    const file = this.fileOf(p)
    if (file) {
      fs.mkdirSync(path.dirname(file), { recursive: true })
      // Whole or not at all: written beside it, then renamed over it.
      fs.writeFileSync(`${file}.tmp`, bytes)
      fs.renameSync(`${file}.tmp`, file)
    } else this.memory.set(p, bytes)
    return { fileId: `local:${p}` }
  }

  private pathOf(fileId: string): string | null {
    const p = fileId.startsWith('local:') ? fileId.slice('local:'.length) : ''
    return SAFE_PATH.test(p) ? p : null
  }

  async get(fileId: string): Promise<Uint8Array | null> {
    const p = this.pathOf(fileId)
    if (!p) return null
    const file = this.fileOf(p)
    if (!file) return this.memory.get(p) ?? null
    return fs.existsSync(file) ? new Uint8Array(fs.readFileSync(file)) : null
  }

  async remove(fileId: string): Promise<void> {
    const p = this.pathOf(fileId)
    if (!p) return
    const file = this.fileOf(p)
    if (file) fs.rmSync(file, { force: true })
    else this.memory.delete(p)
  }

  private signature(p: string, exp: number): string {
    return crypto.createHmac('sha256', this.key).update(`${p}\u0000${exp}`).digest('base64url')
  }

  async url(fileId: string, ttlMs: number): Promise<{ url: string; expiresAt: number }> {
    const p = this.pathOf(fileId)
    if (!p) throw new Error(`files: not a local file id: ${fileId}`)
    const expiresAt = this.now() + ttlMs
    return {
      url: `${this.baseUrl.replace(/\/+$/, '')}/files/${p}?exp=${expiresAt}&sig=${this.signature(p, expiresAt)}`,
      expiresAt,
    }
  }

  /** The GET of a download address: the bytes while its signature holds and it has not expired, else why not. */
  async open(
    p: string,
    exp: string | null,
    sig: string | null,
  ): Promise<Uint8Array | 'EXPIRED' | 'FORBIDDEN' | 'NOT_FOUND'> {
    const expiresAt = Number(exp)
    if (!SAFE_PATH.test(p) || !sig || !Number.isSafeInteger(expiresAt)) return 'FORBIDDEN'
    const want = Buffer.from(this.signature(p, expiresAt))
    const given = Buffer.from(sig)
    if (want.length !== given.length || !crypto.timingSafeEqual(want, given)) return 'FORBIDDEN'
    if (this.now() >= expiresAt) return 'EXPIRED'
    return (await this.get(`local:${p}`)) ?? 'NOT_FOUND'
  }
}
