// 白名单: who is invited to an invitation-only product (微粒贷), each added or removed with a reason.
// The credit profile counts a person as invited when the lender's own list says so or this one does.
import { fail, ok, type ApiResult } from '../../../src/api'
import type { ConsoleInput, WhitelistRow } from '../../../src/api/console'
import type { ProductId } from '../../../src/domain/catalog'
import type { Ports } from '../../ports'
import { COLLECTIONS } from '../../schema'
import { maskOpenid } from './mask'
import type { OperatorCaller } from './operators'

export interface WhitelistDoc {
  openid: string
  product: ProductId
  reason: string
  addedBy: string
  addedAt: number
}

export const whitelistId = (product: ProductId, openid: string) => `${product}:${openid}`

const ENTRY_CONTEXT = (product: ProductId) => `whitelist-entry/${product}`

/**
 * A row as operators see it: the openid masked, and a reference to the entry (the openid sealed
 * by the server, bound to the product) that whitelist.remove takes — so no full openid reaches a
 * list, and a row can still be removed from it.
 */
const row = (ports: Pick<Ports, 'secrets'>, d: WhitelistDoc): WhitelistRow => ({
  ...d,
  openid: maskOpenid(d.openid),
  entry: Buffer.from(JSON.stringify(ports.secrets.seal(ENTRY_CONTEXT(d.product), d.openid))).toString('base64url'),
})

/** The openid an entry reference names, or null if it is not one this server made for `product`. */
function openidOfEntry(ports: Pick<Ports, 'secrets'>, product: ProductId, entry: string): string | null {
  try {
    return ports.secrets.open(ENTRY_CONTEXT(product), JSON.parse(Buffer.from(entry, 'base64url').toString('utf8')))
  } catch {
    return null
  }
}

/** Whether the console's whitelist invites `openid` to `product`. */
export async function isWhitelisted(ports: Pick<Ports, 'store'>, product: ProductId, openid: string) {
  return (await ports.store.get(COLLECTIONS.whitelist, whitelistId(product, openid))) !== null
}

export async function list(
  ports: Ports,
  _caller: OperatorCaller,
  input: ConsoleInput<'whitelist.list'>,
): Promise<ApiResult<WhitelistRow[]>> {
  const products: ProductId[] = input.product ? [input.product] : ['weilidai', 'we2000', 'xiaoe']
  const docs = await Promise.all(
    products.map((p) =>
      ports.store.query<WhitelistDoc>(COLLECTIONS.whitelist, { index: 'byProduct', eq: p, order: 'desc', limit: 1000 }),
    ),
  )
  return ok(docs.flat().map((d) => row(ports, d.data)))
}

/** Openids from a CSV: the first column of each line; a header `openid` and blank lines are skipped. */
export function openidsOfCsv(csv: string): string[] {
  return csv
    .split(/\r?\n/)
    .map((l) => l.split(',')[0].trim().replace(/^"|"$/g, ''))
    .filter((x) => x !== '' && x.toLowerCase() !== 'openid')
}

const OPENID = /^[0-9A-Za-z_-]{6,64}$/

export async function add(
  ports: Ports,
  caller: OperatorCaller,
  input: ConsoleInput<'whitelist.add'>,
): Promise<ApiResult<{ added: number; already: number; rows: WhitelistRow[] }>> {
  const given = [...(input.openids ?? []), ...(input.csv ? openidsOfCsv(input.csv) : [])]
  if (given.length === 0)
    return fail('INVALID_INPUT', { field: 'openids', message: '请至少给出一个 openid（openids 或 csv）。' })
  if (given.length > 1000) return fail('INVALID_INPUT', { field: 'csv', message: '一次最多导入 1000 个 openid。' })
  const bad = given.find((o) => !OPENID.test(o))
  // Nothing is written when any line is wrong: the operator fixes the file and imports it again.
  if (bad !== undefined)
    return fail('INVALID_INPUT', {
      field: 'openids',
      message: `openid 格式不正确：${bad.slice(0, 64)}（6–64 个字母、数字、_ 或 -）。`,
    })
  const now = ports.clock.now()
  const rows: WhitelistRow[] = []
  let already = 0
  for (const openid of new Set(given)) {
    const doc: WhitelistDoc = {
      openid,
      product: input.product,
      reason: input.reason,
      addedBy: caller.username,
      addedAt: now,
    }
    if ((await ports.store.insert(COLLECTIONS.whitelist, whitelistId(input.product, openid), doc)).ok)
      rows.push(row(ports, doc))
    else already++
  }
  return ok({ added: rows.length, already, rows })
}

export async function remove(
  ports: Ports,
  _caller: OperatorCaller,
  input: ConsoleInput<'whitelist.remove'>,
): Promise<ApiResult<{ removed: boolean }>> {
  const openid = input.entry !== undefined ? openidOfEntry(ports, input.product, input.entry) : input.openid
  if (input.entry !== undefined && openid === null)
    return fail('INVALID_INPUT', { field: 'entry', message: '这条白名单记录的引用无效：请刷新名单后再移除。' })
  if (!openid)
    return fail('INVALID_INPUT', { field: 'openid', message: '请给出要移除的 openid，或名单中那一行的 entry。' })
  const id = whitelistId(input.product, openid)
  const doc = await ports.store.get(COLLECTIONS.whitelist, id)
  if (!doc) return fail('NOT_FOUND', { field: input.entry !== undefined ? 'entry' : 'openid' })
  return ok({ removed: await ports.store.remove(COLLECTIONS.whitelist, id, doc.version) })
}
