/**
 * Opening a product: the line's own consent, one hard inquiry, the server's decision (a line with
 * its limit clipped to the ceiling, or a refusal with reasons), and the borrower's own lines.
 */
import type { LineView, LoanView } from '../../src/api'
import { DAY_MS } from '../../src/domain/china-time'
import { REVIEW_TTL_MS, requestedLine, transition, type LineChange } from '../../src/domain/line'
import { lineId, runLineJobs, type LineDoc } from '../../server/app/lines'
import { runScheduledJobs } from '../../server/app/timer'
import { borrow as borrowLoan, repayAndPay } from '../support/borrower'
import { makeCard } from '../support/cards'
import { ALL_AGREEMENTS, makeTestCloud, type TestCloud } from '../support/cloud'
import { makeApplicant, makeIdNumber } from '../support/factories'

let cloud: TestCloud
beforeEach(async () => {
  cloud = await makeTestCloud()
})
afterEach(() => cloud.close())

/** Agreements, real name, a bound debit card and the pay score for a demo persona. */
async function ready(user: string) {
  const person = makeApplicant({ idNumber: makeIdNumber({ seq: String(400 + user.charCodeAt(0)).slice(-3) }) })
  await cloud.call('onboarding', 'acceptAgreements', { accepted: ALL_AGREEMENTS }, { user })
  expect((await cloud.call('onboarding', 'verifyIdentity', person, { user })).ok).toBe(true)
  const card = {
    cardNumber: makeCard('622588', '123456789'),
    mobile: person.mobile,
    name: person.name,
    idNumber: person.idNumber,
  }
  expect((await cloud.call('onboarding', 'bindCard', card, { user })).ok).toBe(true)
  expect((await cloud.call('onboarding', 'authorizePayScore', {}, { user })).ok).toBe(true)
}
const inquiries = async (user: string) =>
  (await cloud.ports.bureau.softReport({ openid: `o_dev_${user}`, idHash: '' }, cloud.ports.clock.now()))
    .hardInquiryTimes.length
async function consent(user: string, product = 'we2000') {
  const r = await cloud.call<{ consentId: string }>('lines', 'consent', { product }, { user })
  if (!r.ok) throw new Error(r.error.code)
  return r.data.consentId
}
/** An answer's data; a refusal fails the test with its code. */
function dataOf<T>(r: { ok: true; data: T } | { ok: false; error: { code: string } }): T {
  if (!r.ok) throw new Error(r.error.code)
  return r.data
}
/** The error code an answer carries, or 'ok'. */
const codeOf = async (answer: Promise<{ ok: boolean; error?: { code: string } }>) => {
  const r = await answer
  return r.ok ? 'ok' : r.error!.code
}
const open = async (user: string, product = 'we2000', consentId?: string) =>
  cloud.call<LineView>('lines', 'open', { product, consentId: consentId ?? (await consent(user, product)) }, { user })

describe('opening a line', () => {
  it('one hard inquiry opens it: the limit, the rate tier and a 12-month expiry; history says OPENED', async () => {
    await ready('alice')
    const before = await inquiries('alice')
    const r = await open('alice')
    if (!r.ok) throw new Error(r.error.code)
    expect(r.data).toMatchObject({ product: 'we2000', state: 'active', inUseFen: 0, reasons: [] })
    expect(r.data.availableFen).toBe(r.data.limitFen)
    expect(r.data.limitFen).toBeGreaterThan(0)
    expect(r.data.annualRatePercent).toBeCloseTo(r.data.dailyRatePercent * 365, 2)
    expect(r.data.expiresAt).toBeGreaterThan(cloud.ports.clock.now() + 364 * 24 * 3600_000)
    expect(await inquiries('alice')).toBe(before + 1)
    const h = await cloud.call<LineChange[]>('lines', 'history', { product: 'we2000' }, { user: 'alice' })
    expect(h.ok && h.data.map((c) => c.reason)).toEqual(['OPENED'])
  })

  it('a limit above the ceiling is clipped to it, and the history says so', async () => {
    await cloud.close()
    cloud = await makeTestCloud({ settings: { lineCeilingFen: 1_000_00 } })
    await ready('alice')
    const r = await open('alice', 'weilidai')
    if (!r.ok) throw new Error(r.error.code)
    expect(r.data.limitFen).toBe(1_000_00)
    const h = await cloud.call<LineChange[]>('lines', 'history', { product: 'weilidai' }, { user: 'alice' })
    expect(h.ok && h.data[0].detail).toMatch(/按单户上限调整为 1000\.00 元/)
  })

  it('a refusal keeps its reasons and fixes; the refused line cannot be opened twice with one consent', async () => {
    await ready('dave')
    const consentId = await consent('dave')
    const r = await open('dave', 'we2000', consentId)
    if (!r.ok) throw new Error(r.error.code)
    expect(r.data.state).toBe('refused')
    expect(r.data.reasons.map((x) => x.code)).toContain('LOW_ACTIVITY')
    expect(r.data.reasons[0].fix).not.toBe('')
    expect(await codeOf(open('dave', 'we2000', consentId))).toBe('CONSENT_INVALID')
  })

  it('an open product is not opened again (no second inquiry)', async () => {
    await ready('alice')
    expect((await open('alice')).ok).toBe(true)
    const before = await inquiries('alice')
    const again = await open('alice')
    expect(again).toMatchObject({ ok: false, error: { code: 'LINE_ALREADY_OPEN' } })
    expect(await inquiries('alice')).toBe(before)
  })

  it('the consent is the line’s, for this product, this caller, once, within 15 minutes; a loan’s consent (from before lines) is not one', async () => {
    await ready('alice')
    await ready('erin')
    const wrongProduct = await consent('alice', 'xiaoe')
    expect(await codeOf(open('alice', 'we2000', wrongProduct))).toBe('CONSENT_INVALID')
    const someoneElses = await consent('erin')
    expect(await codeOf(open('alice', 'we2000', someoneElses))).toBe('CONSENT_INVALID')
    const now = cloud.ports.clock.now()
    await cloud.ports.store.insert('creditConsents', 'cq_old', {
      openid: 'o_dev_alice',
      product: 'we2000',
      purpose: 'consumption',
      at: now,
      expiresAt: now + 15 * 60_000,
      usedBy: null,
    })
    expect(await codeOf(open('alice', 'we2000', 'cq_old'))).toBe('CONSENT_INVALID')
    const late = await consent('alice')
    cloud.ports.clock.advance(15 * 60_000)
    expect(await codeOf(open('alice', 'we2000', late))).toBe('CONSENT_INVALID')
    expect(await cloud.call('lines', 'list', {}, { user: 'alice' })).toEqual({ ok: true, data: [] })
  })

  it('a step still to do (face for 小鹅花钱) is asked for first: no inquiry, no line', async () => {
    await ready('alice')
    const before = await inquiries('alice')
    expect(await open('alice', 'xiaoe')).toMatchObject({ ok: false, error: { code: 'STEP_REQUIRED', detail: 'face' } })
    expect(await inquiries('alice')).toBe(before)
    expect(await codeOf(cloud.call('lines', 'get', { product: 'xiaoe' }, { user: 'alice' }))).toBe('NOT_FOUND')
  })

  it('needs the agreements, the financial-data consent and a verified identity', async () => {
    expect((await cloud.call('lines', 'consent', { product: 'we2000' }, { user: 'nobody' })).ok).toBe(false)
    await cloud.call('onboarding', 'acceptAgreements', { accepted: ALL_AGREEMENTS }, { user: 'nobody' })
    const c = await consent('nobody')
    expect(await codeOf(open('nobody', 'we2000', c))).toBe('STEP_REQUIRED')
    expect(await cloud.call('lines', 'list', {}, { user: 'nobody' })).toEqual({ ok: true, data: [] })
  })
})

describe('the borrower’s own lines', () => {
  it('get, list and history answer the caller’s lines only: another person’s is NOT_FOUND', async () => {
    await ready('alice')
    await ready('erin')
    expect((await open('alice')).ok).toBe(true)
    const list = await cloud.call<LineView[]>('lines', 'list', {}, { user: 'alice' })
    expect(list.ok && list.data.map((l) => [l.product, l.state])).toEqual([['we2000', 'active']])
    for (const action of ['get', 'history'])
      expect(await codeOf(cloud.call('lines', action, { product: 'we2000' }, { user: 'erin' }))).toBe('NOT_FOUND')
    expect(await cloud.call('lines', 'list', {}, { user: 'erin' })).toEqual({ ok: true, data: [] })
  })

  it('bad input is refused with its field, and nothing is written', async () => {
    await ready('alice')
    for (const data of [{ product: 'nope' }, {}, { product: 'we2000', consentId: 5 }]) {
      expect([data, await codeOf(cloud.call('lines', 'open', data, { user: 'alice' }))]).toEqual([
        data,
        'INVALID_INPUT',
      ])
    }
    expect(await cloud.call('lines', 'list', {}, { user: 'alice' })).toEqual({ ok: true, data: [] })
  })

  it('the export carries the lines and their history; deleting the account with nothing open removes them', async () => {
    await ready('alice')
    expect((await open('alice')).ok).toBe(true)
    const exported = await cloud.call<{ lines: Array<{ product: string; history: LineChange[] }> }>(
      'account',
      'export',
      {},
      { user: 'alice' },
    )
    expect(exported.ok && exported.data.lines.map((l) => [l.product, l.history.length])).toEqual([['we2000', 1]])
    const deleted = await cloud.call<{ deleted: Record<string, number> }>(
      'account',
      'delete',
      { confirm: true },
      { user: 'alice' },
    )
    expect(deleted.ok && deleted.data.deleted.lines).toBe(1)
  })
})

describe('the line job', () => {
  const borrow = (user: string, amountFen: number) => borrowLoan(cloud, user, { amountFen })
  const line = async (user = 'alice') => {
    const r = await cloud.call<LineView>('lines', 'get', { product: 'we2000' }, { user })
    if (!r.ok) throw new Error(r.error.code)
    return r.data
  }
  const reasons = async (user = 'alice') => {
    const h = await cloud.call<LineChange[]>('lines', 'history', { product: 'we2000' }, { user })
    if (!h.ok) throw new Error(h.error.code)
    return h.data.map((c) => c.reason)
  }

  it('"in use" follows the open loans; an overdue installment freezes the line, paying it unfreezes it — through the clock', async () => {
    await ready('alice')
    expect((await open('alice')).ok).toBe(true)
    const loan = await borrow('alice', 100_000)
    await runScheduledJobs(cloud.ports)
    expect(await line()).toMatchObject({ state: 'active', inUseFen: 100_000 })
    // Past the first due date: the overdue job marks the loan, and in the same run the line freezes.
    cloud.ports.clock.advance(40 * DAY_MS)
    const run = await runScheduledJobs(cloud.ports)
    expect(run.lines.notices).toEqual([{ openid: 'o_dev_alice', reason: 'FROZEN_OVERDUE' }])
    expect(await line()).toMatchObject({ state: 'frozen', availableFen: 0 })
    const due = await cloud.call<LoanView>('loans', 'get', { loanId: loan.id })
    if (!due.ok) throw new Error(due.error.code)
    expect((await repayAndPay(cloud, loan.id, due.data.due!.dueNowFen)).ok).toBe(true)
    await runScheduledJobs(cloud.ports)
    const after = await line()
    expect(after.state).toBe('active')
    expect(after.inUseFen).toBe(100_000 - due.data.schedule[0].principalFen)
    expect(await reasons()).toEqual(['OPENED', 'DRAWN', 'FROZEN_OVERDUE', 'REPAID', 'UNFROZEN'])
    // Nothing more to do: a run changes nothing.
    expect((await runScheduledJobs(cloud.ports)).lines).toMatchObject({ changed: 0, notices: [] })
  })

  it('a review nobody decides is refused after exactly 7 days, and the borrower is told', async () => {
    const asked = requestedLine(
      { product: 'we2000', catalogVersion: 'c', ruleSetVersion: 'r' },
      cloud.ports.clock.now(),
      true,
    )
    await cloud.ports.store.insert<LineDoc>('lines', lineId('o_dev_alice', 'we2000'), {
      openid: 'o_dev_alice',
      line: asked,
      watch: 1,
      reasons: [],
    })
    cloud.ports.clock.advance(REVIEW_TTL_MS - 1)
    expect((await runLineJobs(cloud.ports)).changed).toBe(0)
    cloud.ports.clock.advance(1)
    expect((await runLineJobs(cloud.ports)).notices).toEqual([{ openid: 'o_dev_alice', reason: 'REVIEW_EXPIRED' }])
    expect(await line()).toMatchObject({ state: 'refused' })
    expect(await reasons()).toEqual(['SENT_TO_REVIEW', 'REVIEW_EXPIRED'])
    // Decided: the job no longer looks after it.
    expect((await runLineJobs(cloud.ports)).lines).toBe(0)
  })

  it('an opening on a thin credit file goes to a person: in review with the rules’ proposal, nothing to draw, refused by itself after 7 days', async () => {
    await ready('alice')
    const p = cloud.ports.world.defaultProfile('o_dev_alice')
    await cloud.ports.world.edit('o_dev_alice', { ...p, bureau: { ...p.bureau, creditHistoryMonths: 5 } })
    expect(await open('alice')).toMatchObject({ ok: true, data: { state: 'review', limitFen: 0, availableFen: 0 } })
    const stored = (await cloud.ports.store.get<LineDoc>('lines', lineId('o_dev_alice', 'we2000')))!.data
    expect(stored.proposal).toEqual({ limitFen: 200_000, dailyRatePpm: 500 })
    expect(await reasons()).toEqual(['SENT_TO_REVIEW'])
    const drawdown = {
      product: 'we2000',
      amountFen: 10_000,
      termMonths: 6,
      mode: 'equal-installment',
      purpose: 'consumption',
    }
    expect(await codeOf(cloud.call('loans', 'apply', drawdown))).toBe('NO_ACTIVE_LINE')
    expect(await codeOf(open('alice'))).toBe('LINE_ALREADY_OPEN')
    cloud.ports.clock.advance(REVIEW_TTL_MS)
    expect((await runLineJobs(cloud.ports)).notices).toEqual([{ openid: 'o_dev_alice', reason: 'REVIEW_EXPIRED' }])
    expect(await line()).toMatchObject({ state: 'refused' })
  })

  /** Alice's 微粒贷 line, opened while she held no wealth products: a limit the rules can raise later. */
  async function openedPoorer() {
    await ready('alice')
    const p = cloud.ports.world.defaultProfile('o_dev_alice')
    const poorer = { ...p, assets: { ...p.assets, wealthBalanceFen: 0, insurancePremiumFen: 0, holdingMonths: 0 } }
    await cloud.ports.world.edit('o_dev_alice', poorer)
    const opened = dataOf(await open('alice', 'weilidai'))
    return { p, poorer, opened: { data: opened } }
  }

  it('the periodic review, every 90 days on soft data: raises when the rules give more, lowers only after 30 days’ notice', async () => {
    const { p, poorer, opened } = await openedPoorer()
    const limit = opened.data.limitFen
    const weilidai = async () => dataOf(await cloud.call<LineView>('lines', 'get', { product: 'weilidai' }))
    const history = async () =>
      dataOf(await cloud.call<LineChange[]>('lines', 'history', { product: 'weilidai' })).map((c) => c.reason)
    // Richer again: not before 90 days.
    await cloud.ports.world.edit('o_dev_alice', p)
    cloud.ports.clock.advance(90 * DAY_MS - 1)
    await runLineJobs(cloud.ports)
    expect((await weilidai()).limitFen).toBe(limit)
    cloud.ports.clock.advance(1)
    const raised = await runLineJobs(cloud.ports)
    expect(raised.notices).toEqual([{ openid: 'o_dev_alice', reason: 'INCREASED' }])
    const higher = (await weilidai()).limitFen
    expect(higher).toBeGreaterThan(limit)
    expect(higher).toBeLessThanOrEqual(200_000_00)
    // Poorer again: the cut is announced, and takes effect only after its notice.
    await cloud.ports.world.edit('o_dev_alice', poorer)
    cloud.ports.clock.advance(90 * DAY_MS)
    expect((await runLineJobs(cloud.ports)).notices).toEqual([{ openid: 'o_dev_alice', reason: 'DECREASE_NOTIFIED' }])
    expect(await weilidai()).toMatchObject({ limitFen: higher, pendingDecrease: { limitFen: limit } })
    cloud.ports.clock.advance(30 * DAY_MS)
    expect((await runLineJobs(cloud.ports)).notices).toEqual([{ openid: 'o_dev_alice', reason: 'DECREASED' }])
    expect(await weilidai()).toMatchObject({ limitFen: limit, pendingDecrease: null })
    expect(await history()).toEqual(['OPENED', 'INCREASED', 'DECREASE_NOTIFIED', 'DECREASED'])
  })

  it('no increase while credit elsewhere is over 3× income, however the rest grows', async () => {
    const { p, opened } = await openedPoorer()
    await cloud.ports.world.edit('o_dev_alice', {
      ...p,
      bureau: { ...p.bureau, debtFen: 4 * p.bureau.annualIncomeFen },
    })
    cloud.ports.clock.advance(90 * DAY_MS)
    await runLineJobs(cloud.ports)
    expect(dataOf(await cloud.call<LineView>('lines', 'get', { product: 'weilidai' }))).toMatchObject({
      limitFen: opened.data.limitFen,
      pendingDecrease: null,
    })
    // The review did run (and found the rest grown): only the debt held the increase back.
    const stored = (await cloud.ports.store.get<LineDoc>('lines', lineId('o_dev_alice', 'weilidai')))!.data.line
    expect(stored.reviewedAt).toBe(cloud.ports.clock.now())
    await cloud.ports.world.edit('o_dev_alice', p)
    cloud.ports.clock.advance(90 * DAY_MS)
    expect((await runLineJobs(cloud.ports)).notices).toEqual([{ openid: 'o_dev_alice', reason: 'INCREASED' }])
  })

  /**
   * Regression (review): the job read the loans, then wrote "in use" from them in a transaction
   * that re-read only the line, so a drawdown landing in between was wiped from the line and could
   * be drawn again.
   */
  it('a drawdown that lands while the job is reading the loans is never reconciled away', async () => {
    await ready('alice')
    await borrowLoan(cloud, 'alice', { amountFen: 50_000 })
    const store = cloud.ports.store
    const query = store.query.bind(store)
    let landed = false
    let reads = 0
    store.query = (async (collection: string, q: Parameters<typeof store.query>[1]) => {
      const docs = await query(collection, q)
      // Once the job has the loans in hand for "in use", a second drawdown commits.
      if (collection === 'loans' && !landed && ++reads === 1) {
        landed = true
        await borrowLoan(cloud, 'alice', { amountFen: 60_000 })
      }
      return docs
    }) as typeof store.query
    try {
      await runLineJobs(cloud.ports)
    } finally {
      store.query = query
    }
    expect(landed).toBe(true)
    expect(await line()).toMatchObject({ inUseFen: 110_000 })
    expect(await reasons()).not.toContain('RECONCILED')
    // The next run sees both loans, and agrees.
    await runLineJobs(cloud.ports)
    expect(await line()).toMatchObject({ inUseFen: 110_000 })
  })

  it('a reservation a crash left behind is given back by the reconciliation, with an audit log line', async () => {
    await ready('alice')
    expect((await open('alice')).ok).toBe(true)
    const id = lineId('o_dev_alice', 'we2000')
    const doc = (await cloud.ports.store.get<LineDoc>('lines', id))!
    await cloud.ports.store.update<LineDoc>('lines', id, doc.version, {
      ...doc.data,
      line: { ...doc.data.line, inUseFen: 70_000 },
    })
    await runLineJobs(cloud.ports)
    expect(await line()).toMatchObject({ inUseFen: 0 })
    expect(cloud.logs).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        event: 'line_reconciled',
        fields: expect.objectContaining({ line: id }),
      }),
    )
  })
})

describe('opening at the same time, or interrupted', () => {
  const spyInquiries = () => {
    const made: string[] = []
    const real = cloud.ports.bureau.hardInquiry.bind(cloud.ports.bureau)
    cloud.ports.bureau.hardInquiry = async (subject, query, now) => {
      made.push(query.consentId)
      return real(subject, query, now)
    }
    return made
  }

  it('two opens at once: one line, one hard inquiry; the other answers LINE_ALREADY_OPEN', async () => {
    await ready('alice')
    const [a, b] = [await consent('alice'), await consent('alice')]
    const made = spyInquiries()
    const answers = await Promise.all([open('alice', 'we2000', a), open('alice', 'we2000', b)])
    expect(answers.map((r) => (r.ok ? r.data.state : r.error.code)).sort()).toEqual(['LINE_ALREADY_OPEN', 'active'])
    expect(made).toHaveLength(1)
    const h = await cloud.call<LineChange[]>('lines', 'history', { product: 'we2000' }, { user: 'alice' })
    expect(h.ok && h.data.map((c) => c.reason)).toEqual(['OPENED'])
  })

  it('an opening that died after its claim: the same consent resumes it; once that consent has expired the job ends it and a new opening works', async () => {
    await ready('alice')
    const first = await consent('alice')
    const real = cloud.ports.bureau.hardInquiry.bind(cloud.ports.bureau)
    cloud.ports.bureau.hardInquiry = async () => {
      throw new Error('bureau down')
    }
    expect(await codeOf(open('alice', 'we2000', first))).toBe('INTERNAL')
    cloud.ports.bureau.hardInquiry = real
    // Claimed by the first consent: another is refused, the same one goes on.
    expect(await codeOf(open('alice', 'we2000', await consent('alice')))).toBe('LINE_ALREADY_OPEN')
    expect(await codeOf(open('alice', 'we2000', first))).toBe('ok')
    expect((await cloud.call<LineView>('lines', 'get', { product: 'we2000' }, { user: 'alice' })).ok).toBe(true)
  })

  it('an opening that failed after its inquiry was made is resumed without a second inquiry', async () => {
    await ready('alice')
    const first = await consent('alice')
    const before = await inquiries('alice')
    // The inquiry is made, then the bureau's answer is lost to a timeout.
    const real = cloud.ports.bureau.hardInquiry.bind(cloud.ports.bureau)
    cloud.ports.bureau.hardInquiry = async (...args) => {
      await real(...args)
      throw new Error('timeout after the inquiry was recorded')
    }
    expect(await codeOf(open('alice', 'we2000', first))).toBe('INTERNAL')
    expect(await inquiries('alice')).toBe(before + 1)
    cloud.ports.bureau.hardInquiry = async (...args) => {
      await real(...args)
    }
    // The decision's write fails once more, after the inquiry's mark: the next try still asks nothing.
    const store = cloud.ports.store
    const transact = store.transact.bind(store)
    let failures = 1
    store.transact = (async (work: Parameters<typeof store.transact>[0]) => {
      const r = await transact(work)
      if (failures-- > 0) throw new Error('the decision was not written')
      return r
    }) as typeof store.transact
    expect(await codeOf(open('alice', 'we2000', first))).toBe('INTERNAL')
    store.transact = transact
    expect(await open('alice', 'we2000', first)).toMatchObject({ ok: true, data: { state: 'active' } })
    expect(await inquiries('alice')).toBe(before + 1)
  })

  it('an interrupted opening nobody resumes is ended by the job after 15 minutes; then the product can be opened', async () => {
    await ready('alice')
    const first = await consent('alice')
    cloud.ports.bureau.hardInquiry = async () => {
      throw new Error('bureau down')
    }
    expect(await codeOf(open('alice', 'we2000', first))).toBe('INTERNAL')
    cloud.ports.clock.advance(15 * 60_000 - 1)
    expect((await runLineJobs(cloud.ports)).changed).toBe(0)
    cloud.ports.clock.advance(1)
    expect((await runLineJobs(cloud.ports)).changed).toBe(1)
    const h = await cloud.call<LineChange[]>('lines', 'history', { product: 'we2000' }, { user: 'alice' })
    expect(h.ok && h.data.map((c) => [c.reason, c.detail])).toEqual([['REFUSED', 'OPENING_INTERRUPTED']])
    delete (cloud.ports.bureau as { hardInquiry?: unknown }).hardInquiry
    expect(await codeOf(open('alice'))).toBe('ok')
  })
})

describe('the line job at scale, and what the borrower reads', () => {
  it('looks after every watched line, page after page, even lines all asked for at the same moment', async () => {
    const now = cloud.ports.clock.now()
    const asked = requestedLine({ product: 'we2000', catalogVersion: 'c', ruleSetVersion: 'r' }, now)
    const approved = transition(asked, { type: 'APPROVE', limitFen: 100_000, dailyRatePpm: 500 }, now)
    if (!approved.ok) throw new Error(approved.code)
    // Five active lines, each with a reservation no loan explains: each one's reconciliation shows it was reached.
    for (let i = 0; i < 5; i++)
      await cloud.ports.store.insert<LineDoc>('lines', lineId(`o_p${i}`, 'we2000'), {
        openid: `o_p${i}`,
        line: { ...approved.line, inUseFen: 1 },
        watch: 1,
        reasons: [],
      })
    expect(await runLineJobs(cloud.ports, 2)).toMatchObject({ lines: 5, changed: 5 })
  })

  it('a freeze is in the message center, and opening that message stays on it (no loan to open)', async () => {
    await ready('alice')
    expect(await codeOf(open('alice'))).toBe('ok')
    const id = lineId('o_dev_alice', 'we2000')
    const doc = (await cloud.ports.store.get<LineDoc>('lines', id))!
    await cloud.ports.store.update<LineDoc>('lines', id, doc.version, {
      ...doc.data,
      line: { ...doc.data.line, state: 'frozen' },
    })
    await runLineJobs(cloud.ports)
    const inbox = await cloud.call<{ messages: Array<{ kind: string; title: string; loanId: string }> }>(
      'reminders',
      'inbox',
      {},
      { user: 'alice' },
    )
    expect(inbox.ok && inbox.data.messages).toEqual([
      expect.objectContaining({ kind: 'line:UNFROZEN', title: 'WE2000：额度已恢复', loanId: '' }),
    ])
  })
})
