// An in-process local cloud for tests: the real handlers and SQLite, a fixed clock, quiet logs.
import crypto from 'node:crypto'
import type { ApiResult, FunctionName } from '../../src/api'
import { createMain, type Main } from '../../server/app/handler'
import { createPayCallback } from '../../server/app/payments'
import { seedDemoMerchants } from '../../server/app/merchants'
import { whoIsLocal } from '../../server/local/runtime/gateway'
import { Keyring } from '../../server/keyring'
import { localPorts, type LocalPorts } from '../../server/local/ports'
import { devOpenid } from '../../server/local/runtime/session'
import type { Logger, Settings } from '../../server/ports'
import { NOW } from './factories'

export interface TestCloud {
  ports: LocalPorts
  logs: Array<{ level: string; event: string; fields?: Record<string, unknown> }>
  call<T = unknown>(
    fn: FunctionName,
    action: string,
    data?: Record<string, unknown>,
    /**
     * `sign: false`: lines.open and loans.apply go as sent. Otherwise, one without a contractSha256
     * is signed as the borrower signs it: the contract is previewed with the same figures and its
     * hash carried (the tests of signing itself send their own, or none with `sign: false`).
     */
    opts?: { user?: string; requestId?: string | null; sign?: boolean },
  ): Promise<ApiResult<T>>
  /** Every stored document, as one text, to check what never may be stored. */
  dump(): string
  counts(): Record<string, number>
  close(): void
}

/** Fixed data keys for tests: `test-1` (and any others named), each key derived from its id so it never changes. */
export function testKeyring(current = 'test-1', ...others: string[]): Keyring {
  const key = (kid: string) => crypto.createHash('sha256').update(`kaitong test data key ${kid}`).digest()
  return new Keyring(current, Object.fromEntries([current, ...others].map((kid) => [kid, key(kid)])))
}

const needsContract = (fn: FunctionName, action: string) =>
  (fn === 'lines' && action === 'open') || (fn === 'loans' && action === 'apply')

/** The contracts.preview input that shows the contract a lines.open or loans.apply signs. */
export function previewFor(action: string, data: Record<string, unknown>): Record<string, unknown> {
  if (action === 'open') return { kind: 'line', product: data.product }
  const { product, amountFen, termMonths, termDays, mode, purpose } = data
  return Object.fromEntries(
    Object.entries({ kind: 'drawdown', product, amountFen, termMonths, termDays, mode, purpose }).filter(
      ([, v]) => v !== undefined,
    ),
  )
}

/** The hash of the drawdown note these figures show (what a borrower signs), for a use case called directly. */
export async function noteHash(cloud: TestCloud, figures: Record<string, unknown>, user = 'alice'): Promise<string> {
  const shown = await cloud.call<{ sha256: string }>('contracts', 'preview', previewFor('apply', figures), { user })
  if (!shown.ok) throw new Error(`contracts.preview: ${shown.error.code}`)
  return shown.data.sha256
}

export async function makeTestCloud(
  opts: { dbFile?: string; now?: number; settings?: Partial<Settings>; dataKeys?: Keyring } = {},
): Promise<TestCloud> {
  const logs: TestCloud['logs'] = []
  const log: Logger = {
    info: (event, fields) => logs.push({ level: 'info', event, fields }),
    warn: (event, fields) => logs.push({ level: 'warn', event, fields }),
    error: (event, fields) => logs.push({ level: 'error', event, fields }),
  }
  const start = opts.now ?? NOW
  const ports = localPorts({
    dbFile: opts.dbFile ?? ':memory:',
    secretKey: Buffer.alloc(32, 7),
    dataKeys: opts.dataKeys ?? testKeyring(),
    now: () => start,
    log,
    // Fixed, never the developer's environment: the tests assert the default cap.
    settings: { aprCapPercent: 24, ...opts.settings },
  })
  await seedDemoMerchants(ports.store, start)
  // The simulated WeChat Pay calls the payCallback function, as WeChat Pay does.
  const payCallback = createPayCallback(() => ports)
  ports.setPayCallback((event) => payCallback(event))
  const mains = new Map<string, Main>()
  const mainFor = (fn: FunctionName) => {
    if (!mains.has(fn))
      mains.set(
        fn,
        createMain(fn, () => ports, whoIsLocal),
      )
    return mains.get(fn)!
  }
  return {
    ports,
    logs,
    async call<T>(
      fn: FunctionName,
      action: string,
      data: Record<string, unknown> = {},
      o: { user?: string; requestId?: string | null; sign?: boolean } = {},
    ) {
      if (o.sign !== false && needsContract(fn, action) && !('contractSha256' in data)) {
        const shown = (await mainFor('contracts')(
          { action: 'preview', data: previewFor(action, data) },
          { OPENID: devOpenid(o.user ?? 'alice') },
        )) as ApiResult<{ sha256: string }>
        if (shown.ok) data = { ...data, contractSha256: shown.data.sha256 }
      }
      const requestId =
        o.requestId === null ? undefined : (o.requestId ?? `req_${crypto.randomBytes(8).toString('hex')}`)
      const event = { action, data, ...(requestId ? { requestId } : {}) }
      return (await mainFor(fn)(event, { OPENID: devOpenid(o.user ?? 'alice') })) as ApiResult<T>
    },
    dump() {
      const rows = ports.store.db.prepare('SELECT collection, id, data FROM docs').all() as Array<
        Record<string, string>
      >
      return rows.map((r) => `${r.collection}/${r.id} ${r.data}`).join('\n')
    },
    counts() {
      const rows = ports.store.db
        .prepare('SELECT collection, COUNT(*) AS n FROM docs GROUP BY collection')
        .all() as Array<{ collection: string; n: number }>
      return Object.fromEntries(rows.map((r) => [r.collection, r.n]))
    },
    close: () => ports.store.close(),
  }
}

/** Every agreement and consent at its current version, in the domain's order (required ones first). */
export { CURRENT_AGREEMENTS as ALL_AGREEMENTS } from './http-borrower'
