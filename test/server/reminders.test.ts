import type { LoanView } from '../../src/api'
import { DAY_MS, HOUR_MS } from '../../src/domain/china-time'
import { withinLimits } from '../../src/domain/reminder-templates'
import { runReminders } from '../../server/app/reminders'
import { OUTBOX } from '../../server/local/adapters/outbox'
import { makeTestCloud, type TestCloud } from '../support/cloud'
import { formatYuanGrouped } from '../../src/domain/money'
import { borrow, cancelAndPay, onboardBorrower } from '../support/borrower'

let cloud: TestCloud
beforeEach(async () => {
  cloud = await makeTestCloud()
})
afterEach(() => cloud.close())

const run = (opts: Partial<Parameters<typeof runReminders>[1]> = {}) =>
  runReminders(cloud.ports, { outOfTime: () => false, ...opts })
const outbox = () =>
  cloud.ports.store.db
    .prepare(`SELECT data FROM docs WHERE collection = ?`)
    .all(OUTBOX)
    .map((r) => JSON.parse((r as { data: string }).data))

/** Alice, onboarded, with a WE2000 loan disbursed at 28 Nov 10:00 (first line due 28 Dec). */
async function loan(over: Record<string, unknown> = {}): Promise<LoanView> {
  await onboardBorrower(cloud)
  return borrow(cloud, 'alice', over)
}
/** To 25 Dec 10:00 China time: D-3's 09:00 has passed. */
const toD3 = () => cloud.ports.clock.advance(27 * DAY_MS)

describe('reminders.grant', () => {
  it('counts one grant per accepted template; unknown templates and more than 3 are refused', async () => {
    expect(await cloud.call('reminders', 'grant', { templateIds: ['tpl_local_due', 'tpl_local_overdue'] })).toEqual({
      ok: true,
      data: { grants: { tpl_local_due: 1, tpl_local_overdue: 1 } },
    })
    expect(await cloud.call('reminders', 'grant', { templateIds: ['tpl_local_due'] })).toMatchObject({
      data: { grants: { tpl_local_due: 2 } },
    })
    expect(await cloud.call('reminders', 'grant', { templateIds: ['tpl_x'] })).toMatchObject({
      ok: false,
      error: { code: 'TEMPLATE_UNKNOWN' },
    })
    expect(await cloud.call('reminders', 'grant', { templateIds: ['a', 'b', 'c', 'd'] })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    })
  })
})

describe('the reminder job', () => {
  it('with no grant, the reminder goes to the message center, with an unread count', async () => {
    // ¥10,000 over five months: a line of more than ¥1,000, to see how the amount reads.
    const l = await loan({ product: 'weilidai', amountFen: 1_000_000, termMonths: 5, mode: 'equal-installment' })
    toD3()
    expect(await run()).toMatchObject({ due: 1, sent: 0, inbox: 1 })
    const box = await cloud.call<{ messages: Array<{ id: string; title: string; body: string }>; unread: number }>(
      'reminders',
      'inbox',
      {},
    )
    if (!box.ok) throw new Error(box.error.code)
    expect(box.data.unread).toBe(1)
    expect(box.data.messages[0].title).toBe('微粒贷第1期还款即将到期')
    // No field limits in the app: the amount reads as people read it (¥1,025.00, not ¥1025.00).
    expect(box.data.messages[0].body).toContain(`应还 ${formatYuanGrouped(l.schedule[0].totalFen)}，`)
    expect(formatYuanGrouped(l.schedule[0].totalFen)).toMatch(/^¥\d{1,3}(,\d{3})+\.\d\d$/)
    expect(await cloud.call('reminders', 'read', { ids: [box.data.messages[0].id] })).toEqual({
      ok: true,
      data: { unread: 0 },
    })
  })

  it('with a grant, it is sent as a subscribe message within the field limits, and the grant is spent', async () => {
    await loan()
    await cloud.call('reminders', 'grant', { templateIds: ['tpl_local_due'] })
    toD3()
    expect(await run()).toMatchObject({ sent: 1, inbox: 0 })
    const [msg] = outbox()
    expect(msg).toMatchObject({ openid: 'o_dev_alice', templateId: 'tpl_local_due' })
    expect(withinLimits(msg.data)).toBe(true)
    expect(await cloud.call('reminders', 'grant', { templateIds: ['tpl_local_overdue'] })).toMatchObject({
      data: { grants: { tpl_local_due: 0 } },
    })
  })

  it('never twice: a second run, or two runs at once, send it once', async () => {
    await loan()
    toD3()
    const [a, b] = await Promise.all([run(), run()])
    expect(a.inbox + b.inbox + a.sent + b.sent).toBe(1)
    expect((await run()).alreadyClaimed).toBe(1)
    const box = await cloud.call<{ unread: number }>('reminders', 'inbox', {})
    expect(box.ok && box.data.unread).toBe(1)
  })

  it('a claim left by a run that died is not resent, and is reported', async () => {
    const l = await loan()
    toD3()
    const key = `${l.id}:1:D-3`
    await cloud.ports.store.insert('reminders', key, {
      openid: 'o_dev_alice',
      loanId: l.id,
      n: 1,
      kind: 'D-3',
      state: 'claimed',
      claimedAt: cloud.ports.clock.now() - 11 * 60_000,
      doneAt: null,
    })
    const report = await run()
    expect(report).toMatchObject({ sent: 0, inbox: 0, alreadyClaimed: 1, deadClaims: [key] })
  })

  it('43101 (refused / none left): the message center instead, and the grant count is corrected', async () => {
    await loan()
    await cloud.call('reminders', 'grant', { templateIds: ['tpl_local_due'] })
    await cloud.call('reminders', 'grant', { templateIds: ['tpl_local_due'] })
    cloud.ports.notifier = { send: async () => ({ ok: false, reason: 'NO_GRANT', detail: '43101' }) }
    toD3()
    expect(await run()).toMatchObject({ sent: 0, inbox: 1 })
    const user = await cloud.ports.store.get<{ grants: Record<string, number> }>('users', 'o_dev_alice')
    expect(user?.data.grants.tpl_local_due).toBe(0)
  })

  it('quiet hours: nothing between 22:00 and 08:00 China time', async () => {
    await loan()
    cloud.ports.clock.advance(27 * DAY_MS + 13 * HOUR_MS)
    expect(await run()).toMatchObject({ quiet: true, due: 0 })
  })

  it('out of time: stops and leaves the rest, unclaimed, for the next run', async () => {
    await loan()
    toD3()
    expect(await run({ outOfTime: () => true })).toMatchObject({ due: 1, sent: 0, inbox: 0, stoppedEarly: true })
    expect(await run()).toMatchObject({ inbox: 1, alreadyClaimed: 0 })
  })

  it('a loan cancelled in the cooling-off period gets no reminders', async () => {
    const l = await loan()
    expect((await cancelAndPay(cloud, l.id)).ok).toBe(true)
    toD3()
    expect(await run()).toMatchObject({ loansScanned: 0, due: 0 })
  })
})

describe('the reminders function entry', () => {
  it('a timer event (no OPENID) runs the jobs; a client sending Type: Timer is just a client', async () => {
    const { createRemindersMain } = await import('../../server/app/timer')
    const { whoIsLocal } = await import('../../server/local/runtime/gateway')
    const main = createRemindersMain(() => cloud.ports, whoIsLocal)
    await loan()
    toD3()
    expect(await main({ Type: 'Timer', TriggerName: 'remind' }, {})).toMatchObject({
      ok: true,
      data: { reminders: { inbox: 1 } },
    })
    expect(await main({ Type: 'Timer' }, { OPENID: 'o_dev_alice' })).toMatchObject({
      ok: false,
      error: { code: 'BAD_ENVELOPE' },
    })
    expect(await main({ action: 'inbox', data: {} }, { OPENID: 'o_dev_alice' })).toMatchObject({
      ok: true,
      data: { unread: 1 },
    })
  })
})
