// A local cloud over real HTTP on a free port, in-process, with a borrower who has everything a
// fuzzer needs real ids for: agreements, identity, a card, a disbursed loan, a face session.
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createLocalCloud } from '../../server/local/runtime/gateway'
import { seedLocalCloud } from '../../server/local/runtime/main'
import { localPorts, type LocalPorts } from '../../server/local/ports'
import { NOW } from './factories'
import { listen, postJson } from './http'
import { freshRequestId, type ApiCall } from './http-borrower'

export interface HttpCloud {
  base: string
  ports: LocalPorts
  dbFile: string
  signIn(user: string): Promise<string>
  call(token: string, fn: string, body: unknown, raw?: string): Promise<{ status: number; json: any }>
  /** `(fn, action, data) => result` for `token`, each call with a fresh requestId. */
  api(token: string): ApiCall
  contentHash(): string
  /**
   * A cheap content fingerprint computed inside SQLite: row count, total of versions (every update
   * bumps one) and total data length. A claim inserted and released again leaves it unchanged.
   */
  fingerprint(): string
  close(): Promise<void>
}

export async function startHttpCloud(opts: { dbFile?: string; mode?: 'local' | 'shared' } = {}): Promise<HttpCloud> {
  const dbFile = opts.dbFile ?? path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kt-http-')), 'k.db')
  const ports = localPorts({
    dbFile,
    secretKey: Buffer.alloc(32, 9),
    settings: { aprCapPercent: 24 },
    now: () => NOW,
    log: { info() {}, warn() {}, error() {} },
  })
  await seedLocalCloud(ports.store, NOW)
  const cloud = createLocalCloud({ ports, mode: opts.mode ?? 'local' })
  const base = await listen(cloud)
  const post = (p: string, body: unknown, token?: string, raw?: string) =>
    postJson(base, p, body, token, raw, { lenient: true })
  return {
    base,
    ports,
    dbFile,
    signIn: async (user) => ((await post('/__dev/signin', { user })).json as { data: { token: string } }).data.token,
    call: (token, fn, body, raw) => post(`/api/${fn}`, body, token, raw),
    api: (token) => async (fn, action, data) =>
      (await post(`/api/${fn}`, { action, data, requestId: freshRequestId() }, token)).json as Awaited<
        ReturnType<ApiCall>
      >,
    contentHash() {
      const rows = ports.store.db
        .prepare('SELECT collection, id, version, data FROM docs ORDER BY collection, id')
        .all()
      return crypto.createHash('sha256').update(JSON.stringify(rows)).digest('hex')
    },
    fingerprint: () =>
      JSON.stringify(
        ports.store.db.prepare('SELECT count(*) AS n, total(version) AS v, total(length(data)) AS l FROM docs').get(),
      ),
    close: () => new Promise<void>((r) => cloud.server.close(() => (ports.store.close(), r()))),
  }
}
