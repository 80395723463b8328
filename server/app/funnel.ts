// A merchant's funnel: how many people its code brought in reached each step (entry → agreements →
// real-name → pre-check → line opened → first drawdown), per China day. A person counts once per
// step (an insert-unique mark under a keyed hash, never the openid), and the counts are plain
// numbers per merchant and day: deleting an account leaves them as they are.
import { FUNNEL_STEPS, type FunnelStep } from '../../src/api/console'
import { chinaDateString } from '../../src/domain/china-time'
import type { Ports } from '../ports'
import { COLLECTIONS } from '../schema'
import { loadUser } from './users'

export type FunnelDayDoc = { merchantCode: string; day: string } & Record<FunnelStep, number>

export const funnelDayId = (merchantCode: string, day: string) => `${merchantCode}:${day}`

export const emptyCounts = (): Record<FunnelStep, number> =>
  Object.fromEntries(FUNNEL_STEPS.map((s) => [s, 0])) as Record<FunnelStep, number>

/**
 * Counts `step` for the merchant the person came in through (or `merchantCode`, for the entry
 * itself), once per person and step. Never fails the borrower's action: a count lost to a crash is
 * a count, not money.
 */
export async function countFunnel(ports: Ports, openid: string, step: FunnelStep, merchantCode?: string) {
  try {
    const merchant = merchantCode ?? (await loadUser(ports.store, openid))?.data.entryMerchant
    if (!merchant) return
    const now = ports.clock.now()
    const mark = ports.secrets.keyedHash('funnel', `${merchant}:${openid}:${step}`)
    // Counted already (every drawdown and pre-check after the first): a read, not an insert that
    // fails in the group commit. The insert still decides between two that both found none.
    if (await ports.store.get(COLLECTIONS.funnelMarks, mark)) return
    if (!(await ports.store.insert(COLLECTIONS.funnelMarks, mark, { at: now })).ok) return
    const day = chinaDateString(now)
    const id = funnelDayId(merchant, day)
    for (let i = 0; i < 10; i++) {
      const doc = await ports.store.get<FunnelDayDoc>(COLLECTIONS.funnelDays, id)
      const base: FunnelDayDoc = doc?.data ?? { merchantCode: merchant, day, ...emptyCounts() }
      const next = { ...base, [step]: base[step] + 1 }
      const done = doc
        ? await ports.store.update(COLLECTIONS.funnelDays, id, doc.version, next)
        : await ports.store.insert(COLLECTIONS.funnelDays, id, next)
      if (done.ok) return
    }
    ports.log.warn('funnel_count_lost', { merchant, step })
  } catch (error) {
    ports.log.warn('funnel_count_failed', { step, error: error instanceof Error ? error.message : String(error) })
  }
}
