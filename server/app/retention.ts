// What a deleted account leaves behind, and for how long (PIPL art. 19 and 47; the lender's duty to
// keep loan records): the contracts, receipts, loans and payments, credit-query consents, the
// consent log and the audit log stay for the retention period after the last loan closed (a
// setting, 5 years by default), pseudonymised — the openid replaced by a keyed pseudonym, the
// identity record gone — and then the purge job removes them. The journal names loans only and
// is the lender's books: it stays as it is.
import { addChinaMonths } from '../../src/domain/china-time'
import type { Ports } from '../ports'
import { COLLECTIONS } from '../schema'

/** The collections kept for the retention period, each named as the delete answer says it. */
export const RETAINED = [
  { collection: COLLECTIONS.contracts, what: '已签署的合同（授信合同、借款合同）及其签署记录' },
  { collection: COLLECTIONS.receipts, what: '电子凭证（借款、放款、还款、退款收据）' },
  { collection: COLLECTIONS.loans, what: '借款记录（金额、期限、还款计划和状态）' },
  { collection: COLLECTIONS.payments, what: '付款与扣款记录' },
  { collection: COLLECTIONS.creditConsents, what: '征信查询授权记录' },
  { collection: COLLECTIONS.consents, what: '协议同意与授权撤回记录' },
  { collection: COLLECTIONS.audit, what: '审计记录（每笔借款的每一步操作）' },
] as const

export interface RetentionDoc {
  /** `kept` until the purge job removes what it covers; then `purged` (this record stays: no person in it). */
  state: 'kept' | 'purged'
  /** When the account was deleted. */
  deletedAt: number
  /** When the kept records may go: the retention period after the last loan closed (or after deletion, with none). */
  until: number
  /** How many documents of each collection it covers. */
  counts: Record<string, number>
  purgedAt: number | null
}

/**
 * The keyed pseudonym that replaces a deleted account's openid on what is kept: one per deletion,
 * so that each deletion's records keep their own period (an account made again with the same
 * openid and deleted again is a second deletion, with its own records and its own date).
 */
export const pseudonymOf = (ports: Ports, openid: string, deletedAt: number) =>
  `gone_${ports.secrets.keyedHash('retention-pseudonym', `${openid}:${deletedAt}`).slice(0, 24)}`

export function retainUntil(ports: Ports, lastClosedAt: number | null, now: number): number {
  return addChinaMonths(lastClosedAt ?? now, 12 * ports.settings.retentionYears)
}

/**
 * Moves everything retention keeps from the openid to a new pseudonym, page by page until nothing
 * is left under the openid. The retention record is written first: a deletion cut short leaves
 * what it moved purgeable on its date, and running it again moves the rest under another.
 */
export async function pseudonymise(
  ports: Ports,
  openid: string,
  lastClosedAt: number | null,
): Promise<{ until: number; counts: Record<string, number> } | null> {
  const now = ports.clock.now()
  const first = await Promise.all(
    RETAINED.map(({ collection }) => ports.store.query(collection, { index: 'byOpenid', eq: openid, limit: 1 })),
  )
  if (first.every((docs) => docs.length === 0)) return null
  const pseudonym = pseudonymOf(ports, openid, now)
  const until = retainUntil(ports, lastClosedAt, now)
  const record: RetentionDoc = { state: 'kept', deletedAt: now, until, counts: {}, purgedAt: null }
  const made = await ports.store.insert(COLLECTIONS.retention, pseudonym, record)
  if (!made.ok) throw new Error('retention: this deletion was recorded already')
  const counts: Record<string, number> = {}
  for (const { collection } of RETAINED)
    for (;;) {
      const page = await ports.store.query<{ openid: string }>(collection, {
        index: 'byOpenid',
        eq: openid,
        limit: 500,
      })
      let moved = 0
      for (const d of page) if (await movePseudonymised(ports, collection, d.id, openid, pseudonym)) moved++
      counts[collection] = (counts[collection] ?? 0) + moved
      // A page none of which would move (each kept changing under us) is the next deletion's.
      if (page.length === 0 || moved === 0) break
    }
  for (const k of Object.keys(counts)) if (counts[k] === 0) delete counts[k]
  await ports.store.update(COLLECTIONS.retention, pseudonym, made.doc.version, { ...record, counts })
  return { until, counts }
}

/** What a kept document must not keep even under a pseudonym: a card debit's card token and identity hash. */
function scrub(collection: string, data: Record<string, unknown>): Record<string, unknown> {
  const debit = data.debit as Record<string, unknown> | undefined
  if (collection === COLLECTIONS.payments && debit)
    return { ...data, debit: { ...debit, cardToken: '', subjectHash: '' } }
  return data
}

/**
 * One kept document moved to the pseudonym: every mention of the openid in it (its owner, a line
 * id that embeds it, a consent's id) replaced — under a new id where its id named the openid, the
 * original removed only once its copy is written. Compare-and-set, read again on a conflict.
 */
async function movePseudonymised(
  ports: Ports,
  collection: string,
  id: string,
  openid: string,
  pseudonym: string,
): Promise<boolean> {
  const swap = <T>(x: T): T => JSON.parse(JSON.stringify(x).split(openid).join(pseudonym)) as T
  for (let attempt = 0; attempt < 5; attempt++) {
    const doc = await ports.store.get<{ openid: string }>(collection, id)
    if (!doc || doc.data.openid !== openid) return false
    const data = scrub(collection, swap(doc.data) as unknown as Record<string, unknown>)
    if (!id.includes(openid)) {
      if ((await ports.store.update(collection, id, doc.version, data)).ok) return true
      continue
    }
    // Written under its new id first: a crash between the two leaves a copy, never a loss.
    let copy = await ports.store.insert(collection, swap(id), data)
    if (!copy.ok) copy = await ports.store.insert(collection, `${swap(id)}~${ports.ids.next('r')}`, data)
    if (!copy.ok) continue
    if (await ports.store.remove(collection, id, doc.version)) return true
    await ports.store.remove(collection, copy.doc.id, copy.doc.version)
  }
  return false
}

/** The purge job (the timer runs it): what a deleted account left is removed once its retention period is over. */
export async function purgeRetained(ports: Ports, limit = 20): Promise<{ purged: number; documents: number }> {
  const now = ports.clock.now()
  const due = await ports.store.query<RetentionDoc>(COLLECTIONS.retention, {
    index: 'byUntil',
    eq: 'kept',
    lt: now + 1,
    limit,
  })
  let documents = 0
  for (const r of due) {
    if (now < r.data.until) continue
    for (const { collection } of RETAINED)
      for (;;) {
        const page = await ports.store.query<{ openid: string }>(collection, {
          index: 'byOpenid',
          eq: r.id,
          limit: 500,
        })
        if (page.length === 0) break
        for (const d of page) if (await ports.store.remove(collection, d.id, d.version)) documents++
      }
    await ports.store.update<RetentionDoc>(COLLECTIONS.retention, r.id, r.version, {
      ...r.data,
      state: 'purged',
      purgedAt: now,
    })
  }
  if (due.length > 0) ports.log.info('retention_purged', { accounts: due.length, documents })
  return { purged: due.length, documents }
}
