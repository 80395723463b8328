// What a deleted account leaves behind, and for how long (PIPL art. 19 and 47; the lender's duty to
// keep loan records): the contracts, receipts, loans and payments, credit-query consents, the
// consent log and the audit log stay for the retention period after the last loan closed (a
// setting, 5 years by default), pseudonymised — the openid replaced by a keyed pseudonym, the
// identity record gone — and then the purge job removes them. The journal names loans only and
// is the lender's books: it stays as it is.
import { addChinaMonths } from '../../src/domain/china-time'
import type { Ports } from '../ports'
import { COLLECTIONS } from '../schema'
import type { ContractDoc } from './contracts'

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

/** The keyed pseudonym that replaces a deleted account's openid on what is kept. */
export const pseudonymOf = (ports: Ports, openid: string) =>
  `gone_${ports.secrets.keyedHash('retention-pseudonym', openid).slice(0, 24)}`

export function retainUntil(ports: Ports, lastClosedAt: number | null, now: number): number {
  return addChinaMonths(lastClosedAt ?? now, 12 * ports.settings.retentionYears)
}

/**
 * Moves everything retention keeps from the openid to its pseudonym. The retention record is
 * written first, so a deletion cut short is finished by running it again (what is left under the
 * openid moves then).
 */
export async function pseudonymise(
  ports: Ports,
  openid: string,
  lastClosedAt: number | null,
): Promise<{ until: number; counts: Record<string, number> } | null> {
  const now = ports.clock.now()
  const pseudonym = pseudonymOf(ports, openid)
  const found = await Promise.all(
    RETAINED.map(({ collection }) =>
      ports.store.query<{ openid: string }>(collection, { index: 'byOpenid', eq: openid, limit: 1000 }),
    ),
  )
  const earlier = await ports.store.get<RetentionDoc>(COLLECTIONS.retention, pseudonym)
  if (found.every((docs) => docs.length === 0) && !earlier) return null
  const counts: Record<string, number> = { ...(earlier?.data.counts ?? {}) }
  RETAINED.forEach(({ collection }, i) => {
    if (found[i].length > 0) counts[collection] = (counts[collection] ?? 0) + found[i].length
  })
  const until = Math.max(earlier?.data.until ?? 0, retainUntil(ports, lastClosedAt, now))
  const record: RetentionDoc = { state: 'kept', deletedAt: now, until, counts, purgedAt: null }
  if (earlier) await ports.store.update(COLLECTIONS.retention, pseudonym, earlier.version, record)
  else await ports.store.insert(COLLECTIONS.retention, pseudonym, record)
  for (const [i, { collection }] of RETAINED.entries())
    for (const d of found[i]) await movePseudonymised(ports, collection, d.id, openid, pseudonym)
  return { until, counts }
}

/**
 * One kept document moved to the pseudonym: every mention of the openid in it (its owner, a line
 * id that embeds it, a consent's id) replaced — under a new id where its id named the openid.
 * Compare-and-set, read again on a conflict (nothing writes a deleted account's records but a late job).
 */
async function movePseudonymised(ports: Ports, collection: string, id: string, openid: string, pseudonym: string) {
  const swap = <T>(x: T): T => JSON.parse(JSON.stringify(x).split(openid).join(pseudonym)) as T
  for (let attempt = 0; attempt < 5; attempt++) {
    const doc = await ports.store.get<{ openid: string }>(collection, id)
    if (!doc || doc.data.openid !== openid) return
    if (!id.includes(openid)) {
      if ((await ports.store.update(collection, id, doc.version, swap(doc.data))).ok) return
      continue
    }
    // Written under its new id first: a crash between the two leaves a copy, never a loss.
    await ports.store.insert(collection, swap(id), swap(doc.data))
    if (await ports.store.remove(collection, id, doc.version)) return
  }
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
        for (const d of page) {
          // A contract's PDF goes with it.
          const pdf = collection === COLLECTIONS.contracts ? (d.data as unknown as ContractDoc).pdf : undefined
          if (pdf) await ports.files.remove(pdf.fileId)
          if (await ports.store.remove(collection, d.id, d.version)) documents++
        }
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
