/**
 * The compiled weapp pages a borrower moves through once onboarded (dist/, built by `npm run
 * build:weapp`) in WeChat's own component simulator, against an in-process local cloud: 选择产品,
 * 开通 (the consent, then the line), the offer builder on the line, the loan detail with its 冷静期
 * cancel, 我的额度 with its history, and the home page's line and products at a glance. The
 * figures shown are checked against the domain's own pricing.
 */
import type { LineView, LoanView, OffersResult } from '../../src/api'
import { DEFAULT_CATALOG, PRODUCT_IDS } from '../../src/domain/catalog'
import { priceOffer, type Offer, type OfferRequest } from '../../src/domain/pricing'
import type { Evaluation, ProductDecision } from '../../src/domain/rules'
import { apr, civilDate, dailyRate, percent, yuan, yuanShort } from '../../src/ui/format'
import { authorizePayScore, borrow, onboardBorrower } from '../support/borrower'
import { makeTestCloud, type TestCloud } from '../support/cloud'
import { NOW } from '../support/factories'
import { byLabel, eventually, installHarness, textOf, type Harness } from './harness'

jest.setTimeout(30_000)

let cloud: TestCloud
let h: Harness
let decisions: ProductDecision[]
let capPercent: number

beforeAll(async () => {
  cloud = await makeTestCloud()
  h = installHarness(() => cloud)
  await onboardBorrower(cloud, 'alice')
  await authorizePayScore(cloud, 'alice')
  const offers = await cloud.call<OffersResult>('credit', 'offers', {}, { user: 'alice' })
  if (!offers.ok) throw new Error(offers.error.code)
  decisions = offers.data.products.map((p) => p.decision)
  capPercent = offers.data.capPercent
})
afterAll(() => cloud.close())

const decisionOf = (product: string) => decisions.find((d) => d.product === product)!

/** What the device must show for this offer: the domain's priceOffer at alice's rate, server time NOW. */
function priced(req: Omit<OfferRequest, 'disbursedAt' | 'dailyRatePpm' | 'capPercent'>): Offer {
  const r = priceOffer({
    ...req,
    dailyRatePpm: decisionOf(req.product).dailyRatePpm,
    capPercent,
    disbursedAt: NOW,
  })
  if (!r.ok) throw new Error(`${r.error.code} ${r.error.message}`)
  return r.offer
}

/** Inside an element the simulator's DOM carries the page's classes with the `main--` prefix. */
const all = (node: any, className: string): HTMLElement[] =>
  Array.from((node.dom as HTMLElement).querySelectorAll<HTMLElement>(`.main--${className}`))
const texts = (node: any, className: string) => all(node, className).map((el) => el.textContent ?? '')
const lastUrl = (mock: unknown) => ((mock as jest.Mock).mock.calls.at(-1)?.[0] as { url: string }).url

describe('weapp 选择产品 (dist/pages/products/index/index)', () => {
  let opened: ReturnType<Harness['openPage']>

  it('renders every product with its name, verdict, 日利率 beside 年化利率, and the cost of the chosen amount', async () => {
    opened = h.openPage('pages/products/index/index')
    const { root } = opened
    await eventually(() => expect(root.querySelectorAll('.product-card').length).toBe(PRODUCT_IDS.length))
    const cards = root.querySelectorAll('.product-card')
    expect(cards.map((c: any) => texts(c, 'product-name')[0])).toEqual(
      PRODUCT_IDS.map((id) => DEFAULT_CATALOG.products[id].name),
    )
    // Pay score authorized: no banner asking for it.
    expect(textOf(root)).not.toContain('去授权微信支付分')

    const card = (id: string) => cards[PRODUCT_IDS.indexOf(id as never)]
    // WE2000 (no 随借随还): ¥1,000 over 6 期 at 0.05% a day, annualized by IRR, fees included.
    const we = priced({ product: 'we2000', amountFen: 100_000, term: { months: 6 }, mode: 'equal-installment' })
    const weCard = card('we2000')
    expect(texts(weCard, 'product-verdict')).toEqual(['可以开通'])
    expect(texts(weCard, 'rate-pair-label')).toEqual(['日利率', '年化利率（IRR）'])
    expect(texts(weCard, 'kt-rate')).toEqual(['0.05%', apr(we.aprPercent)])
    expect(textOf(weCard)).toContain(yuan(we.totalRepayFen))

    // 微粒贷 and 小鹅花钱 show their 随借随还 rate annualized as 日利率×365 first.
    for (const id of ['weilidai', 'xiaoe']) {
      const d = decisionOf(id)
      const c = card(id)
      expect(texts(c, 'rate-pair-label')[0]).toBe('日利率（随借随还）')
      expect(texts(c, 'rate-pair-label')[1]).toBe('年化利率（日利率×365）')
      expect(texts(c, 'kt-rate').slice(0, 2)).toEqual([dailyRate(d.dailyRatePercent), apr(d.dailyRatePercent * 365)])
    }
    expect(texts(card('weilidai'), 'product-verdict')).toEqual(['可以开通'])
    expect(texts(card('xiaoe'), 'product-verdict')).toEqual(['需先完成：人脸核身'])
    // Every rate on the page has its annualized rate beside it.
    for (const c of cards) expect(texts(c, 'kt-rate').length % 2).toBe(0)
  })

  it('tapping 开通 WE2000 navigates to opening WE2000', async () => {
    const { root, page } = opened
    byLabel(root, page, '开通 WE2000').dispatchEvent('tap')
    await eventually(() =>
      expect(h.wx.navigateTo).toHaveBeenCalledWith(
        expect.objectContaining({ url: '/pages/products/open/index?product=we2000' }),
      ),
    )
    opened.close()
  })
})

describe('weapp 开通 (dist/pages/products/open/index?product=we2000)', () => {
  it('says what opening does; the consent ticked, 确认开通 asks for it, opens the line and shows 总额度 and both rates', async () => {
    const { root, page, close } = h.openPage('pages/products/open/index', { product: 'we2000' })
    await eventually(() => expect(textOf(root)).toContain('查询一次征信（授信审批）'))
    expect(textOf(root)).toContain('15分钟内有效，只能用一次')
    byLabel(root, page, '确认开通WE2000').dispatchEvent('tap')
    // Not ticked: nothing asked of the server.
    expect(h.calls).not.toContainEqual({ name: 'lines', action: 'consent' })
    byLabel(root, page, '征信查询授权').dispatchEvent('tap')
    await eventually(() => expect(byLabel(root, page, '确认开通WE2000').dom.className).not.toMatch(/disabled/))
    byLabel(root, page, '确认开通WE2000').dispatchEvent('tap')
    // The line contract, shown before anything is asked; signed with its own tap.
    await eventually(() => expect(h.calls).toContainEqual({ name: 'contracts', action: 'preview' }))
    expect(h.calls).not.toContainEqual({ name: 'lines', action: 'open' })
    await eventually(() => expect(byLabel(root, page, '同意并签署').dom.className).not.toMatch(/disabled/))
    byLabel(root, page, '同意并签署').dispatchEvent('tap')
    await eventually(() => expect(textOf(root)).toContain('开通成功：WE2000额度已生效'))
    expect(h.calls).toContainEqual({ name: 'lines', action: 'consent' })
    expect(h.calls).toContainEqual({ name: 'lines', action: 'open' })
    const line = await cloud.call<LineView>('lines', 'get', { product: 'we2000' }, { user: 'alice' })
    if (!line.ok) throw new Error(line.error.code)
    expect(texts(root, 'line-amount-value')).toEqual([yuan(line.data.availableFen), yuan(line.data.limitFen)])
    expect(texts(root, 'kt-rate')).toEqual([dailyRate(line.data.dailyRatePercent), apr(line.data.annualRatePercent)])
    close()
  })
})

describe('weapp offer builder (dist/pages/products/offer/index?product=we2000)', () => {
  let opened: ReturnType<Harness['openPage']>
  const preview = (root: any) => all(root, 'kt-card').find((c) => c.textContent?.startsWith('方案预览'))!
  const planLines = (root: any) => all(root, 'plan-line').map((l) => l.textContent ?? '')

  it('renders the preview and the schedule of the default offer (¥1,000, 6 期, 等额本息)', async () => {
    opened = h.openPage('pages/products/offer/index', { product: 'we2000' })
    const { root } = opened
    await eventually(() => expect(planLines(root).length).toBe(6))
    const offer = priced({ product: 'we2000', amountFen: 100_000, term: { months: 6 }, mode: 'equal-installment' })
    expect(textOf(root)).toContain('WE2000 借款方案')
    // Within what the line has available (all of it: nothing is drawn yet).
    expect(textOf(root)).toContain('可借 ¥100 – ¥2,000（可用额度 ¥2,000.00）')
    const shown = preview(root).textContent ?? ''
    expect(shown).toContain(apr(offer.aprPercent))
    expect(shown).toContain(`利息合计${yuan(offer.totalInterestFen)}`)
    expect(shown).toContain(`还款总额（本金+利息+费用）${yuan(offer.totalRepayFen)}`)
    expect(planLines(root)).toEqual(
      offer.schedule.map(
        (l) =>
          `第${l.n}期　${civilDate(l.dueDate)}合计 ${yuan(l.totalFen)}` +
          `本金 ${yuan(l.principalFen)}　利息 ${yuan(l.interestFen)}　费用 ${yuan(l.feeFen)}`,
      ),
    )
  })

  it('tapping + raises the amount by ¥100, and the preview and schedule follow', async () => {
    const { root, page } = opened
    byLabel(root, page, '增加金额').dispatchEvent('tap')
    const offer = priced({ product: 'we2000', amountFen: 110_000, term: { months: 6 }, mode: 'equal-installment' })
    await eventually(() => expect(preview(root).textContent).toContain(yuan(offer.totalRepayFen)))
    expect(preview(root).textContent).toContain(`利息合计${yuan(offer.totalInterestFen)}`)
    expect(planLines(root)[0]).toContain(`本金 ${yuan(offer.schedule[0].principalFen)}`)
  })

  it('tapping the 12 期 chip makes the schedule twelve lines long', async () => {
    const { root, page } = opened
    byLabel(root, page, '期限 12期').dispatchEvent('tap')
    await eventually(() => expect(planLines(root).length).toBe(12))
    const offer = priced({ product: 'we2000', amountFen: 110_000, term: { months: 12 }, mode: 'equal-installment' })
    expect(preview(root).textContent).toContain(yuan(offer.totalRepayFen))
    expect(planLines(root)[11]).toContain(civilDate(offer.schedule[11].dueDate))
  })

  it('a typed amount and the 等额本金 chip reprice it; continue goes to the confirmation with every choice', async () => {
    const { root, page } = opened
    root.querySelector('.nut-input-native').dispatchEvent('input', { detail: { value: '1500', cursor: 4 } })
    byLabel(root, page, '还款方式 等额本金').dispatchEvent('tap')
    const offer = priced({ product: 'we2000', amountFen: 150_000, term: { months: 12 }, mode: 'equal-principal' })
    await eventually(() => expect(preview(root).textContent).toContain(yuan(offer.totalRepayFen)))
    expect(planLines(root).length).toBe(12)

    byLabel(root, page, '下一步：确认借款').dispatchEvent('tap')
    await eventually(() => expect(lastUrl(h.wx.navigateTo)).toMatch(/^\/pages\/products\/confirm\/index\?/))
    const query = Object.fromEntries(new URLSearchParams(lastUrl(h.wx.navigateTo).split('?')[1]))
    expect(query).toEqual({
      product: 'we2000',
      amountFen: '150000',
      termMonths: '12',
      mode: 'equal-principal',
      purpose: 'consumption',
    })
    opened.close()
  })
})

describe('weapp loan detail (dist/pages/loan/detail/index?loanId=)', () => {
  let loan: LoanView
  let opened: ReturnType<Harness['openPage']>
  const getLoan = async (loanId: string) => {
    const r = await cloud.call<LoanView>('loans', 'get', { loanId }, { user: 'alice' })
    if (!r.ok) throw new Error(r.error.code)
    return r.data
  }

  it('renders the summary, the schedule and the 冷静期 countdown of a loan just disbursed', async () => {
    loan = await borrow(cloud, 'alice')
    opened = h.openPage('pages/loan/detail/index', { loanId: loan.id })
    const { root } = opened
    await eventually(() => expect(texts(root, 'cooling-off-clock')).toHaveLength(1))
    expect(texts(root, 'detail-state')).toEqual(['已放款'])
    expect(texts(root, 'detail-amount')).toEqual([yuan(100_000)])
    // The window is the server's (24 h from disbursement; the server clock stands still here),
    // less the seconds this test has run since the page fetched it.
    expect(texts(root, 'cooling-off-clock')[0]).toMatch(/^(24:00:00|23:59:[0-5]\d)$/)
    // The schedule: one entry per line, each with its date, total and whether it is repaid.
    const rows = all(root, 'plan-line')
    expect(rows).toHaveLength(loan.schedule.length)
    loan.schedule.forEach((l, i) => {
      expect(rows[i].textContent).toContain(yuan(l.totalFen))
      expect(rows[i].textContent).toContain(civilDate(l.dueDate))
      expect(rows[i].textContent).toContain('未还')
    })
    expect(texts(root, 'detail-strong')[0]).toBe(yuan(loan.schedule[0].totalFen))
  })

  it('the countdown ticks: its text changes', async () => {
    const { root } = opened
    const before = texts(root, 'cooling-off-clock')[0]
    await eventually(() => expect(texts(root, 'cooling-off-clock')[0]).not.toBe(before), 5000)
  })

  it('取消借款 asks first; confirming cancels the loan on the server and the page shows it cancelled', async () => {
    const { root, page } = opened
    byLabel(root, page, '取消借款').dispatchEvent('tap')
    await eventually(() => expect(textOf(root)).toContain('确定取消这笔借款吗？'))
    // Asking is not cancelling.
    expect((await getLoan(loan.id)).state).toBe('disbursed')

    byLabel(root, page, '确认取消借款').dispatchEvent('tap')
    await eventually(() => expect(texts(root, 'detail-state')).toEqual(['已取消']))
    expect(h.calls).toContainEqual({ name: 'loans', action: 'cancel' })
    // The principal went back through WeChat Pay's sheet, with what the server's order answered.
    expect(h.wx.requestPayment).toHaveBeenCalledWith(
      expect.objectContaining({ package: expect.stringMatching(/^prepay_id=pay_/), signType: 'RSA' }),
    )
    expect(h.calls).toContainEqual({ name: 'payments', action: 'get' })
    const onServer = await getLoan(loan.id)
    expect(onServer.state).toBe('cancelled')
    expect(textOf(root)).toContain('已在冷静期内取消：已退回本金，未收利息和任何费用。')
    expect(texts(root, 'cooling-off-clock')).toEqual([])
    expect(textOf(root)).not.toContain('全部还清')
    expect(textOf(root)).toContain(`共支付${yuan(onServer.paid.principalFen)}`)
    opened.close()
  })
})

describe('weapp 我的额度 (dist/pages/products/line/index?product=we2000)', () => {
  it('shows the line and its history newest first: the cancelled loan given back, its drawing, the opening', async () => {
    const { root, close } = h.openPage('pages/products/line/index', { product: 'we2000' })
    await eventually(() => expect(all(root, 'line-change')).toHaveLength(3))
    expect(texts(root, 'line-change-reason')).toEqual(['额度退回（借款取消或未放款）', '借款占用', '已开通'])
    expect(texts(root, 'line-change-amount')).toEqual([`+${yuan(100_000)}`, `−${yuan(100_000)}`])
    expect(texts(root, 'line-state')).toEqual(['可借款'])
    expect(textOf(root)).toContain('（北京时间）')
    close()
  })
})

describe('weapp home page for an onboarded user (dist/pages/index/index)', () => {
  it('shows the opened line (可用额度 of 总额度, one 借钱) and the products at a glance: verdict, limit, 日利率 and 年化利率; 查看产品 opens the products', async () => {
    const evaluation = await cloud.call<Evaluation>('credit', 'precheck', {}, { user: 'alice' })
    if (!evaluation.ok) throw new Error(evaluation.error.code)
    const { root, page, close } = h.openPage('pages/index/index')
    // The line (lines.list) and the pre-check answer separately: wait for both to be on the page.
    const expected = PRODUCT_IDS.map((id) => {
      const d = evaluation.data.products.find((p) => p.product === id)!
      return id === 'xiaoe'
        ? '需先完成：人脸核身'
        : id === 'we2000'
          ? '已开通'
          : `可以开通 · 额度 ${yuanShort(d.limitFen)}`
    })
    await eventually(() => expect(texts(root, 'glance-verdict')).toEqual(expected))
    await eventually(() => expect(textOf(root)).toContain('查看产品'))

    const glances = all({ dom: root.dom }, 'glance')
    expect(glances).toHaveLength(3)
    PRODUCT_IDS.forEach((id, i) => {
      const spec = DEFAULT_CATALOG.products[id]
      const g = { dom: glances[i] }
      expect(texts(g, 'glance-name')).toEqual([spec.name])
      const d = evaluation.data.products.find((p) => p.product === id)!
      expect(texts(g, 'glance-verdict')).toEqual([
        id === 'xiaoe' ? '需先完成：人脸核身' : id === 'we2000' ? '已开通' : `可以开通 · 额度 ${yuanShort(d.limitFen)}`,
      ])
      const [min, max] = [spec.dailyRatePpm.min / 10_000, spec.dailyRatePpm.max / 10_000]
      const [daily, annual] = texts(g, 'glance-rate')
      expect(daily).toBe(`日利率 ${min === max ? percent(min, 4) : `${percent(min, 4)}–${percent(max, 4)}`}`)
      expect(annual).toMatch(/^年化利率 \d+\.\d\d%(–\d+\.\d\d%)?$/)
    })

    // WE2000 is open: its line, with one 借钱 button to its offer builder.
    const line = await cloud.call<LineView>('lines', 'get', { product: 'we2000' }, { user: 'alice' })
    if (!line.ok) throw new Error(line.error.code)
    expect(texts(root, 'line-glance-name')).toEqual(['WE2000'])
    expect(texts(root, 'line-amount-value')).toEqual([yuan(line.data.availableFen), yuan(line.data.limitFen)])
    byLabel(root, page, '借钱 WE2000').dispatchEvent('tap')
    await eventually(() => expect(lastUrl(h.wx.navigateTo)).toBe('/pages/products/offer/index?product=we2000'))

    byLabel(root, page, '查看产品').dispatchEvent('tap')
    await eventually(() => expect(lastUrl(h.wx.navigateTo)).toBe('/pages/products/index/index'))
    close()
  })
})
