// Cloud storage as the SDK uses it: an upload is a metadata request (`storage.getUploadMetadata`)
// and then a PUT of the bytes to the URL it answered; a download asks for a temporary URL
// (`storage.batchGetDownloadUrl`, which expires) and GETs it. Files are kept in memory, or in a
// folder when the stand-in keeps its state between runs (each as <sha256 of its path>, with a
// <hash>.json naming the path, so any path fits a file name).
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'

export class StandinStorage {
  private readonly files = new Map<string, Buffer>()
  /** Upload tokens answered by getUploadMetadata, each good for one PUT of its path. */
  private readonly uploads = new Map<string, string>()
  /** Signs download URLs: without it nobody can make one, or stretch its expiry. */
  private readonly key = crypto.randomBytes(32)

  constructor(
    private readonly env: string,
    private readonly baseUrl: () => string,
    private readonly now: () => number,
    private readonly dir: string | null = null,
  ) {
    if (dir && fs.existsSync(dir))
      for (const name of fs.readdirSync(dir).filter((n) => n.endsWith('.json'))) {
        const { path: cloudPath } = JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as { path: string }
        const data = path.join(dir, name.slice(0, -'.json'.length))
        if (fs.existsSync(data)) this.files.set(cloudPath, fs.readFileSync(data))
      }
  }

  /** No files (and none on disk). */
  reset(): void {
    this.files.clear()
    this.uploads.clear()
    if (this.dir) fs.rmSync(this.dir, { recursive: true, force: true })
  }

  fileId(cloudPath: string): string {
    return `cloud://${this.env}.standin-bucket/${cloudPath}`
  }

  private pathOf(fileId: string): string | null {
    const prefix = `cloud://${this.env}.standin-bucket/`
    return fileId.startsWith(prefix) ? fileId.slice(prefix.length) : null
  }

  uploadMetadata(cloudPath: string): Record<string, unknown> {
    const token = crypto.randomBytes(12).toString('hex')
    this.uploads.set(token, cloudPath)
    return {
      url: `${this.baseUrl()}/__standin/cos/${encodeURIComponent(cloudPath)}`,
      token,
      authorization: `q-sign-algorithm=sha1&standin=${token}`,
      fileId: this.fileId(cloudPath),
      cosFileId: crypto.randomBytes(8).toString('hex'),
    }
  }

  /** The PUT to the upload URL: refused (as COS does, with XML) without the token it was given. */
  put(cloudPath: string, token: string | undefined, bytes: Buffer): string | null {
    if (!token || this.uploads.get(token) !== cloudPath)
      return '<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Access Denied.</Message><RequestId>standin</RequestId><TraceId>standin</TraceId></Error>'
    // On disk first (the data, then the name that makes it visible): an upload answered is kept.
    if (this.dir) {
      fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 })
      const file = this.diskName(cloudPath)
      fs.writeFileSync(file, bytes, { mode: 0o600 })
      fs.writeFileSync(`${file}.json`, JSON.stringify({ path: cloudPath }), { mode: 0o600 })
    }
    this.uploads.delete(token)
    this.files.set(cloudPath, bytes)
    return null
  }

  downloadUrls(list: Array<{ fileid?: unknown; max_age?: unknown }>): Record<string, unknown> {
    return {
      download_list: list.map((item) => {
        const fileID = String(item.fileid ?? '')
        const p = this.pathOf(fileID)
        if (p === null || !this.files.has(p))
          return { fileID, tempFileURL: '', code: 'STORAGE_FILE_NONEXIST', message: 'storage file not exists' }
        const maxAge = typeof item.max_age === 'number' ? item.max_age : 7200
        const expires = Math.floor(this.now() / 1000) + maxAge
        // Unencoded: the SDK encodeURIs the URL before it GETs it.
        return {
          fileID,
          tempFileURL: `${this.baseUrl()}/__standin/cos/${p}?sign=${this.sign(p, expires)}&t=${expires}`,
          code: 'SUCCESS',
          maxAge,
        }
      }),
    }
  }

  /** The GET of a temporary URL: the file, while its signature is good and it has not expired. */
  get(cloudPath: string, sign: string | null, expires: number): Buffer | 'EXPIRED' | null {
    if (sign !== this.sign(cloudPath, expires)) return null
    if (Math.floor(this.now() / 1000) > expires) return 'EXPIRED'
    return this.files.get(cloudPath) ?? null
  }

  remove(list: unknown[]): Record<string, unknown> {
    return {
      delete_list: list.map((id) => {
        const fileID = String(id)
        const p = this.pathOf(fileID)
        const existed = p !== null && this.files.delete(p)
        if (existed && this.dir) {
          fs.rmSync(`${this.diskName(p!)}.json`, { force: true })
          fs.rmSync(this.diskName(p!), { force: true })
        }
        return existed
          ? { fileID, code: 'SUCCESS' }
          : { fileID, code: 'STORAGE_FILE_NONEXIST', message: 'storage file not exists' }
      }),
    }
  }

  private diskName(cloudPath: string): string {
    return path.join(this.dir!, crypto.createHash('sha256').update(cloudPath).digest('hex'))
  }

  private sign(cloudPath: string, expires: number): string {
    return crypto
      .createHmac('sha256', this.key)
      .update(`${this.env}|${cloudPath}|${expires}`)
      .digest('hex')
      .slice(0, 32)
  }
}
