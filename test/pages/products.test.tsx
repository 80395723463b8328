/**
 * The product pages (选择产品, 产品对比, 其他平台参考, 借款方案) in jsdom, against a real in-process
 * local cloud (the real handlers on SQLite, clock fixed at NOW); only the transport is swapped.
 * Device-side prices are checked fen for fen against the domain's priceOffer.
 */
import { Profiler } from 'react'
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react'
import Taro from '@tarojs/taro'
import type { LineView } from '../../src/api'
import { DEFAULT_APR_CAP_PERCENT, priceOffer, type Offer } from '../../src/domain/pricing'
import { REASONS } from '../../src/domain/reasons'
import type { Evaluation, ProductDecision } from '../../src/domain/rules'
import type { Term } from '../../src/domain/schedule'
import Products from '../../src/pages/products/index/index'
import Compare from '../../src/pages/products/compare/index'
import Competitors from '../../src/pages/products/competitors/index'
import OfferPage from '../../src/pages/products/offer/index'
import { pageUrl } from '../../src/routes'
import { apr, civilDate, termText, yuan } from '../../src/ui/format'
import { runScheduledJobs } from '../../server/app/timer'
import { borrow, onboardBorrower, openLine } from '../support/borrower'
import { ALL_AGREEMENTS, makeTestCloud } from '../support/cloud'
import { DAY_MS } from '../../src/domain/china-time'
import { NOW, makeApplicant, makeIdNumber } from '../support/factories'
import { openOfflineThenRetry } from '../support/offline'
import { pageCloud } from '../support/mock-platform'
import { typeInto } from '../support/page-input'

jest.mock('../../src/services/platform', () => require('../support/mock-platform').platformModule)

const cloud = () => pageCloud.cloud!

let navigateTo: jest.SpyInstance
let redirectTo: jest.SpyInstance
beforeEach(async () => {
  pageCloud.cloud = await makeTestCloud()
  pageCloud.reset()
  navigateTo = jest.spyOn(Taro, 'navigateTo').mockImplementation(async () => ({ errMsg: 'navigateTo:ok' }))
  redirectTo = jest.spyOn(Taro, 'redirectTo').mockImplementation(async () => ({ errMsg: 'redirectTo:ok' }))
  setRouter({})
})
afterEach(() => {
  navigateTo.mockRestore()
  redirectTo.mockRestore()
  pageCloud.cloud?.close()
})

function setRouter(params: Record<string, string>) {
  Taro.getCurrentInstance().router = { params, path: '/pages/products/offer/index' } as never
}

/** A persona (alice, bob, frank…) signed in and onboarded: agreements, real name, a bound debit card. */
async function onboard(user: string) {
  pageCloud.user = user
  // Each persona its own ID number (one identity per person).
  const seq = String(100 + ([...user].reduce((s, c) => s + c.charCodeAt(0), 0) % 800))
  await onboardBorrower(cloud(), user, makeApplicant({ idNumber: makeIdNumber({ seq }) }))
}

async function decisionOf(product: string): Promise<ProductDecision> {
  const r = await cloud().call<Evaluation>('credit', 'precheck', {}, { user: pageCloud.user })
  if (!r.ok) throw new Error(r.error.code)
  return r.data.products.find((p) => p.product === product)!
}

/** What the builder prices a drawdown with: the product's line and the rate it was opened at (not today's pre-check). */
async function lineRateOf(
  product: string,
): Promise<Pick<ProductDecision, 'product' | 'dailyRatePpm' | 'dailyRatePercent'>> {
  const r = await cloud().call<LineView>('lines', 'get', { product }, { user: pageCloud.user })
  if (!r.ok) throw new Error(r.error.code)
  return {
    product: r.data.product,
    dailyRatePpm: Math.round(r.data.dailyRatePercent * 10_000),
    dailyRatePercent: r.data.dailyRatePercent,
  }
}

/** priceOffer's figures for the decision's product at the user's rate, disbursed at NOW. */
function priced(
  decision: Pick<ProductDecision, 'product' | 'dailyRatePpm'>,
  amountFen: number,
  term: Term,
  mode = 'equal-installment',
): Offer {
  const r = priceOffer({
    product: decision.product,
    amountFen,
    term,
    mode,
    dailyRatePpm: decision.dailyRatePpm,
    disbursedAt: NOW,
  })
  if (!r.ok) throw new Error(`${r.error.code} ${r.error.message}`)
  return r.offer
}

/** Taro's H5 buttons are custom elements with no implicit role: count them by tag. */
const buttonsIn = (el: HTMLElement) => el.querySelectorAll('taro-button-core, button, a')
const card = (product: string) => screen.getByTestId(`product-${product}`)
const text = (el: HTMLElement) => el.textContent ?? ''

describe('选择产品', () => {
  it('shows loading, then every product with its verdict, limit, fees, and 日利率 beside 年化利率 in the same type', async () => {
    await onboard('alice')
    render(<Products />)
    expect(screen.getByTestId('loading')).toBeTruthy()
    await screen.findByTestId('product-we2000')

    // Every rate on the page has its annualized rate beside it, in the same (kt-rate) type.
    for (const product of ['weilidai', 'we2000', 'xiaoe']) {
      const pairs = within(card(product)).getAllByTestId('rate-pair')
      expect(pairs.length).toBeGreaterThan(0)
      for (const pair of pairs) {
        expect(within(pair).getByTestId('rate').className).toContain('kt-rate')
        expect(within(pair).getByTestId('apr').className).toContain('kt-rate')
        expect(text(pair)).toMatch(/年化利率（(IRR|日利率×365)）/)
      }
    }

    const we = await decisionOf('we2000')
    // The page opens on ¥1,000 over six months (WE2000's shorter terms are over the 24% cap).
    const offer = priced(we, 100_000, { months: 6 })
    const weCard = card('we2000')
    expect(text(within(weCard).getByTestId('verdict'))).toBe('可以开通')
    expect(text(within(weCard).getByTestId('limit'))).toBe('¥100 – ¥2,000（你的额度）')
    expect(text(within(weCard).getByTestId('fees'))).toContain('取现手续费 1%')
    expect(text(within(weCard).getByTestId('apr'))).toBe(apr(offer.aprPercent))
    expect(text(within(weCard).getByTestId('rate'))).toBe('0.05%')
    expect(text(within(weCard).getByTestId('total-cost'))).toBe(yuan(offer.totalInterestFen + offer.totalFeesFen))
    expect(text(within(weCard).getByTestId('total-repay'))).toBe(yuan(offer.totalRepayFen))

    // 微粒贷 (alice is invited): its flexible rate annualized as 日利率×365, and an activation button.
    const wl = await decisionOf('weilidai')
    const wlCard = card('weilidai')
    expect(text(wlCard)).toContain(`${wl.dailyRatePercent}%`)
    expect(text(wlCard)).toContain(apr(wl.dailyRatePercent * 365))
    expect(text(within(wlCard).getByTestId('fees'))).toContain('无手续费')

    // 小鹅花钱: the installment fee is shown, and face verification is still to do.
    const xCard = card('xiaoe')
    expect(text(within(xCard).getByTestId('fees'))).toContain('分期手续费 每月 1.5%')
    expect(text(within(xCard).getByTestId('verdict'))).toBe('需先完成：人脸核身')
    expect(within(xCard).queryByLabelText('开通 小鹅花钱')).toBeNull()

    expect(text(screen.getByTestId('demo-statement'))).toContain('演示数据')
    expect(text(screen.getByTestId('demo-statement'))).toContain('独立')

    // Not opened yet: each button leads to opening it (微粒贷's invitation is "activated").
    fireEvent.click(screen.getByLabelText('开通 WE2000'))
    expect(navigateTo).toHaveBeenLastCalledWith({ url: '/pages/products/open/index?product=we2000' })
    fireEvent.click(screen.getByLabelText('激活 微粒贷'))
    expect(navigateTo).toHaveBeenLastCalledWith({ url: '/pages/products/open/index?product=weilidai' })
    fireEvent.click(screen.getByLabelText('去人脸核身（小鹅花钱）'))
    expect(navigateTo).toHaveBeenLastCalledWith({ url: '/pages/onboarding/face/index?product=xiaoe' })
    fireEvent.click(screen.getByLabelText('查看产品对比'))
    expect(navigateTo).toHaveBeenLastCalledWith({ url: '/pages/products/compare/index' })
    fireEvent.click(screen.getByLabelText('查看其他平台参考'))
    expect(navigateTo).toHaveBeenLastCalledWith({ url: '/pages/products/competitors/index' })
  })

  it('the chosen amount and term reprice every card on the device, and say what was adjusted to fit', async () => {
    await onboard('alice')
    render(<Products />)
    await screen.findByTestId('product-we2000')
    const we = await decisionOf('we2000')
    const wl = await decisionOf('weilidai')

    fireEvent.click(screen.getByLabelText('借款金额 ¥5,000'))
    fireEvent.click(screen.getByLabelText('期限 12期'))
    // WE2000: ¥5,000 is over alice's ¥2,000 limit — priced at the limit, and said so.
    const weOffer = priced(we, 200_000, { months: 12 })
    await waitFor(() =>
      expect(text(within(card('we2000')).getByTestId('total-repay'))).toBe(yuan(weOffer.totalRepayFen)),
    )
    expect(text(card('we2000'))).toContain('所选 ¥5,000 超过你的额度，按额度 ¥2,000 计算。')
    expect(text(within(card('we2000')).getByTestId('apr'))).toBe(apr(weOffer.aprPercent))
    // 微粒贷 has no 12 installments: the nearest (10) is priced, and said so.
    const wlOffer = priced(wl, 500_000, { months: 10 })
    expect(text(within(card('weilidai')).getByTestId('total-repay'))).toBe(yuan(wlOffer.totalRepayFen))
    expect(text(card('weilidai'))).toContain('不提供 12期，按最接近的 10期 计算')
    // 小鹅花钱 at 12 installments of its monthly fee (¥900 of fees on ¥5,000): an all-in APR of
    // 31.72%, over the 24% cap — shown as not offered, with the figure, never adjusted.
    const xCost = within(card('xiaoe')).getByTestId('cost')
    expect(text(xCost)).toContain('借 ¥5,000 · 12期 · 分期手续费')
    expect(text(xCost)).toContain(`该方案年化利率 ${apr(31.72)}，超过 24% 的上限，不予提供。`)
    expect(within(xCost).queryByTestId('total-cost')).toBeNull()
  })

  it('an opened product shows its line (可用额度 / 总额度) with 去借款 and 查看额度; the others still offer 开通', async () => {
    await onboard('alice')
    const line = await openLine(cloud())
    await borrow(cloud(), 'alice', { amountFen: 50_000 })
    render(<Products />)
    await screen.findByTestId('product-we2000')
    const weCard = card('we2000')
    expect(text(within(weCard).getByTestId('verdict'))).toBe('已开通')
    expect(text(within(weCard).getByTestId('line-row'))).toContain(
      `${yuan(line.limitFen - 50_000)} / ${yuan(line.limitFen)}`,
    )
    expect(within(weCard).queryByLabelText('开通 WE2000')).toBeNull()
    fireEvent.click(within(weCard).getByLabelText('去借款 WE2000'))
    expect(navigateTo).toHaveBeenLastCalledWith({ url: '/pages/products/offer/index?product=we2000' })
    fireEvent.click(within(weCard).getByLabelText('查看额度 WE2000'))
    expect(navigateTo).toHaveBeenLastCalledWith({ url: '/pages/products/line/index?product=we2000' })
    expect(screen.getByLabelText('激活 微粒贷')).toBeTruthy()
  })

  it('offline: the error with a retry that loads the products', async () => {
    await onboard('alice')
    pageCloud.offline = true
    render(<Products />)
    const notice = await screen.findByTestId('error-notice')
    expect(text(notice)).toContain('网络连接失败')
    expect(screen.queryByTestId('product-we2000')).toBeNull()
    pageCloud.offline = false
    fireEvent.click(within(notice).getByText('重试'))
    expect(await screen.findByTestId('product-we2000')).toBeTruthy()
  })

  it('微粒贷 for a user who is not invited: 仅限受邀, the growth tips with their effect periods, and no button', async () => {
    await onboard('frank')
    render(<Products />)
    await screen.findByTestId('product-weilidai')
    const wl = await decisionOf('weilidai')
    expect(wl.tips.length).toBeGreaterThan(0)
    const wlCard = card('weilidai')
    expect(text(within(wlCard).getByTestId('verdict'))).toBe('仅限受邀')
    const tips = within(wlCard).getByTestId('tips')
    for (const tip of wl.tips) {
      expect(text(tips)).toContain(tip.text)
      expect(text(tips)).toContain(`见效时间：${tip.effectPeriod}`)
    }
    expect(buttonsIn(wlCard)).toHaveLength(0)
    expect(screen.queryByLabelText('激活 微粒贷')).toBeNull()
    expect(screen.queryByLabelText('开通 微粒贷')).toBeNull()
    // frank may still open WE2000.
    expect(screen.getByLabelText('开通 WE2000')).toBeTruthy()
  })

  it('a refused product shows each reason with its fix, and no apply button', async () => {
    await onboard('bob')
    render(<Products />)
    await screen.findByTestId('product-we2000')
    const weCard = card('we2000')
    expect(text(within(weCard).getByTestId('verdict'))).toBe('暂不能开通')
    const reason = within(weCard).getByTestId('reasons').querySelector('[data-code="SCORE_BELOW_THRESHOLD"]')!
    expect(text(reason as HTMLElement)).toContain(REASONS.SCORE_BELOW_THRESHOLD.title)
    expect(text(reason as HTMLElement)).toContain(`怎么办：${REASONS.SCORE_BELOW_THRESHOLD.fix}`)
    expect(text(weCard)).toContain('尚未开通：按目录额度范围和预审利率测算，仅供参考。')
    expect(text(within(weCard).getByTestId('limit'))).toBe('¥100 – ¥2,000（目录范围）')
    expect(screen.queryByLabelText('开通 WE2000')).toBeNull()
    expect(buttonsIn(weCard)).toHaveLength(0)
  })

  it('without a bound card: 需先完成：绑定银行卡, and the button goes to the card page and back here', async () => {
    await cloud().call('onboarding', 'acceptAgreements', { accepted: ALL_AGREEMENTS })
    await cloud().call('onboarding', 'verifyIdentity', makeApplicant())
    render(<Products />)
    await screen.findByTestId('product-we2000')
    expect(text(within(card('we2000')).getByTestId('verdict'))).toBe('需先完成：绑定银行卡')
    expect(text(within(card('xiaoe')).getByTestId('verdict'))).toBe('需先完成：绑定银行卡 / 人脸核身')
    fireEvent.click(screen.getByLabelText('去绑定银行卡（WE2000）'))
    expect(navigateTo).toHaveBeenLastCalledWith({ url: '/pages/onboarding/bank-card/index?next=products' })
  })

  it('before the agreements: the way back to them instead of a retry', async () => {
    render(<Products />)
    const notice = await screen.findByTestId('error-notice')
    fireEvent.click(within(notice).getByText('去授权'))
    expect(redirectTo).toHaveBeenCalledWith({ url: '/pages/onboarding/agreements/index' })
  })
})

describe('产品对比', () => {
  it('puts the three products side by side for one amount and term: every row has one cell per product', async () => {
    await onboard('bob')
    render(<Compare />)
    expect(screen.getByTestId('loading')).toBeTruthy()
    const table = await screen.findByTestId('compare-table')
    for (const row of ['opens', 'limit', 'daily', 'apr', 'fees', 'overdue', 'modes', 'cost', 'eligibility']) {
      const cells = within(table).getByTestId(`cmp-${row}`).querySelectorAll('[data-product]')
      expect(Array.from(cells).map((c) => c.getAttribute('data-product'))).toEqual(['weilidai', 'we2000', 'xiaoe'])
    }
    const cell = (row: string, product: string) =>
      text(within(table).getByTestId(`cmp-${row}`).querySelector(`[data-product="${product}"]`) as HTMLElement)

    expect(cell('opens', 'weilidai')).toContain('仅限受邀')
    expect(cell('opens', 'xiaoe')).toContain('人脸核身')
    expect(cell('overdue', 'weilidai')).toContain('合同日利率 ×1.5')
    expect(cell('overdue', 'we2000')).toContain('逾期金额每天 0.05%')
    expect(cell('fees', 'we2000')).toBe('取现手续费 1%')
    expect(cell('modes', 'we2000')).toBe('等额本息 1–12期等额本金 1–12期')
    expect(cell('modes', 'weilidai')).toContain('随借随还 1–365天')
    expect(cell('eligibility', 'we2000')).toContain('暂不能开通')
    expect(cell('eligibility', 'we2000')).toContain(REASONS.SCORE_BELOW_THRESHOLD.title)
    expect(cell('eligibility', 'weilidai')).toContain('可以开通')

    // The daily rate and the annualized rate both in the same type.
    const daily = within(table).getByTestId('cmp-daily').querySelectorAll('.kt-rate')
    const aprs = within(table).getByTestId('cmp-apr').querySelectorAll('.kt-rate')
    expect(daily).toHaveLength(3)
    expect(aprs.length).toBeGreaterThanOrEqual(3)

    // Changing the term reprices the table: WE2000 at ¥2,000 and 6 months.
    const we = await decisionOf('we2000')
    fireEvent.click(screen.getByLabelText('借款金额 ¥2,000'))
    fireEvent.click(screen.getByLabelText('期限 6期'))
    const offer = priced(we, 200_000, { months: 6 })
    await waitFor(() => expect(cell('apr', 'we2000')).toContain(apr(offer.aprPercent)))
    expect(cell('cost', 'we2000')).toContain(`还款总额 ${yuan(offer.totalRepayFen)}`)
  })

  it('offline: the error with a retry', async () => {
    await onboard('alice')
    await openOfflineThenRetry(<Compare />)
    expect(await screen.findByTestId('compare-table')).toBeTruthy()
  })
})

describe('其他平台参考', () => {
  it('states what the article says about each platform, marks the unverified condition, and links nowhere', () => {
    const { container } = render(<Competitors />)
    expect(text(screen.getByTestId('platform-jiebei'))).toContain('芝麻分 ≥ 600 + 实名认证')
    expect(text(screen.getByTestId('platform-jiebei'))).toContain('即时')
    expect(text(screen.getByTestId('platform-jintiao'))).toContain('小白信用 ≥ 80 + 绑定银行卡')
    expect(text(screen.getByTestId('platform-jintiao'))).toContain('1个工作日')
    const douyin = screen.getByTestId('platform-fangxinjie')
    expect(text(douyin)).toContain('粉丝数 ≥ 1000（未经核实）')
    expect(text(within(douyin).getByTestId('unverified'))).toContain('未能核实')
    expect(text(screen.getByTestId('competitors-note'))).toContain('请以该平台官方渠道的说明为准')
    expect(buttonsIn(container)).toHaveLength(0)
  })
})

describe('借款方案', () => {
  /** The preview on screen equals priceOffer's figures for the same inputs, to the fen, line by line. */
  async function expectPreview(offer: Offer) {
    await waitFor(() => expect(text(screen.getByTestId('total-repay'))).toBe(yuan(offer.totalRepayFen)))
    const preview = screen.getByTestId('preview')
    expect(text(within(preview).getByTestId('total-interest'))).toBe(yuan(offer.totalInterestFen))
    expect(text(within(preview).getByTestId('total-fees'))).toBe(yuan(offer.totalFeesFen))
    expect(text(within(preview).getByTestId('apr'))).toBe(apr(offer.aprPercent))
    const plan = screen.getByTestId('repayment-plan')
    expect(plan.querySelectorAll('[data-testid^="plan-line-"]')).toHaveLength(offer.schedule.length)
    for (const l of offer.schedule) {
      const line = text(within(plan).getByTestId(`plan-line-${l.n}`))
      expect(line).toContain(`第${l.n}期　${civilDate(l.dueDate)}`)
      expect(line).toContain(`合计 ${yuan(l.totalFen)}`)
      expect(line).toContain(`本金 ${yuan(l.principalFen)}　利息 ${yuan(l.interestFen)}　费用 ${yuan(l.feeFen)}`)
    }
  }

  const continueButton = () => screen.getByLabelText('下一步：确认借款')

  /** alice, onboarded with `product` opened, on the offer builder for it once it has loaded. */
  async function openBuilder(product: string) {
    await onboard('alice')
    await openLine(cloud(), 'alice', product)
    setRouter({ product })
    render(<OfferPage />)
    await screen.findByTestId('builder')
  }

  it('shows loading, then a preview equal to priceOffer, which follows every change of amount, term and mode', async () => {
    await onboard('alice')
    await openLine(cloud())
    const we = await lineRateOf('we2000')
    setRouter({ product: 'we2000' })
    render(<OfferPage />)
    expect(screen.getByTestId('loading')).toBeTruthy()
    await screen.findByTestId('builder')

    // Default: ¥1,000 over 6 installments, equal payments (the shorter terms are over the 24% cap).
    await expectPreview(priced(we, 100_000, { months: 6 }))
    expect(text(screen.getByTestId('preview'))).toContain('年化利率（IRR）')
    fireEvent.click(screen.getByLabelText('增加金额'))
    await expectPreview(priced(we, 110_000, { months: 6 }))
    fireEvent.click(screen.getByLabelText('减少金额'))
    fireEvent.click(screen.getByLabelText('减少金额'))
    await expectPreview(priced(we, 90_000, { months: 6 }))
    await typeInto('借款金额（元）', '1234.56')
    await expectPreview(priced(we, 123_456, { months: 6 }))
    fireEvent.click(screen.getByLabelText('借款金额 ¥1,500'))
    await expectPreview(priced(we, 150_000, { months: 6 }))
    fireEvent.click(screen.getByLabelText('期限 12期'))
    await expectPreview(priced(we, 150_000, { months: 12 }))
    // The chips are a radio group to assistive technology: the chosen one is checked.
    expect(screen.getByLabelText('期限 12期').getAttribute('role')).toBe('radio')
    expect(screen.getByLabelText('期限 12期').getAttribute('aria-checked')).toBe('true')
    expect(screen.getByLabelText('期限 6期').getAttribute('aria-checked')).toBe('false')
    fireEvent.click(screen.getByLabelText('还款方式 等额本金'))
    await expectPreview(priced(we, 150_000, { months: 12 }, 'equal-principal'))
  })

  it('money and dates read the house way: ¥1,000.00 of principal due 2026年12月28日', async () => {
    // 微粒贷 opens on 随借随还 for 30 days: one line.
    await openBuilder('weilidai')
    await waitFor(() =>
      expect(screen.getByTestId('repayment-plan').querySelectorAll('[data-testid^="plan-line-"]')).toHaveLength(1),
    )
    const line = text(screen.getByTestId('plan-line-1'))
    // NOW is 28 Nov 2026 10:00 China time; thirty days on is 28 Dec.
    expect(line).toContain('第1期　2026年12月28日')
    expect(line).toContain('本金 ¥1,000.00')
    // alice's seven stars: 0.02% a day, so ¥6.00 of interest (1,000 × 0.02% × 30) and no fee.
    expect(line).toContain('利息 ¥6.00　费用 ¥0.00')
    expect(line).toContain('合计 ¥1,006.00')
  })

  it('continues to the confirmation with the chosen offer', async () => {
    await openBuilder('we2000')
    fireEvent.click(screen.getByLabelText('借款金额 ¥2,000'))
    fireEvent.click(screen.getByLabelText('期限 12期'))
    fireEvent.click(screen.getByLabelText('借款用途 教育'))
    await waitFor(() => expect(continueButton().className).not.toMatch(/disabled/))
    fireEvent.click(continueButton())
    expect(navigateTo).toHaveBeenCalledWith({
      url: pageUrl('confirm', {
        product: 'we2000',
        amountFen: 200_000,
        termMonths: 12,
        mode: 'equal-installment',
        purpose: 'education',
      }),
    })
  })

  it('an investment purpose shows the refusal on the device and disables continuing', async () => {
    await openBuilder('we2000')
    await waitFor(() => expect(continueButton().className).not.toMatch(/disabled/))
    for (const purpose of ['股票', '虚拟币', '投资理财']) {
      fireEvent.click(screen.getByLabelText(`借款用途 ${purpose}`))
      const refused = await screen.findByText(REASONS.PURPOSE_REFUSED.title)
      expect(refused).toBeTruthy()
      expect(screen.getByText(`怎么办：${REASONS.PURPOSE_REFUSED.fix}`)).toBeTruthy()
      expect(continueButton().className).toMatch(/disabled/)
      fireEvent.click(continueButton())
      expect(navigateTo).not.toHaveBeenCalled()
    }
    fireEvent.click(screen.getByLabelText('借款用途 医疗'))
    await waitFor(() => expect(continueButton().className).not.toMatch(/disabled/))
    expect(screen.queryByText(REASONS.PURPOSE_REFUSED.title)).toBeNull()
  })

  it('an amount outside the limit is explained, nothing is priced, and continuing is disabled', async () => {
    await openBuilder('we2000')
    await typeInto('借款金额（元）', '5000')
    expect(text(await screen.findByTestId('amount-problem'))).toBe(
      '借款金额须在 ¥100 – ¥2,000 之间（可用额度为 ¥2,000）。',
    )
    expect(screen.queryByTestId('repayment-plan')).toBeNull()
    expect(continueButton().className).toMatch(/disabled/)
    await typeInto('借款金额（元）', '12.345')
    expect(text(await screen.findByTestId('amount-problem'))).toContain('最多两位小数')
    // − from an amount over the limit lands on the limit.
    await typeInto('借款金额（元）', '5000')
    fireEvent.click(screen.getByLabelText('减少金额'))
    await waitFor(() => expect(screen.queryByTestId('amount-problem')).toBeNull())
    expect(text(screen.getByTestId('plan-line-1'))).toContain('第1期')
  })

  it("over the lender's APR cap: the figure, the cap and the terms that stay within it, and no way on", async () => {
    await onboard('alice')
    await openLine(cloud())
    const rate = (await lineRateOf('we2000')).dailyRatePpm
    // The server's default cap, 24% of the all-in cost: WE2000's 1% fee over one month is above it.
    setRouter({ product: 'we2000' })
    render(<OfferPage />)
    await screen.findByTestId('builder')
    fireEvent.click(screen.getByLabelText('期限 1期'))

    const at24 = (term: Term) =>
      priceOffer({
        product: 'we2000',
        amountFen: 100_000,
        term,
        mode: 'equal-installment',
        dailyRatePpm: rate,
        capPercent: DEFAULT_APR_CAP_PERCENT,
        disbursedAt: NOW,
      })
    const over = at24({ months: 1 })
    expect(over.ok).toBe(false)
    if (over.ok) return
    expect(over.error.code).toBe('APR_OVER_CAP')
    const within24 = Array.from({ length: 12 }, (_, i) => ({ months: i + 1 })).filter((term) => at24(term).ok)
    expect(within24.length).toBeGreaterThan(0)
    const explained = text(await screen.findByTestId('pricing-error'))
    expect(explained).toBe(
      `该方案年化利率（IRR）为 ${apr(over.error.aprPercent!)}，超过 24% 的上限，不予提供。同样金额和还款方式下，可选期限：${within24.map(termText).join('、')}；也可调整金额或还款方式。`,
    )
    expect(screen.queryByTestId('repayment-plan')).toBeNull()
    expect(continueButton().className).toMatch(/disabled/)
    // A term within the cap is offered again.
    fireEvent.click(screen.getByLabelText(`期限 ${termText(within24[0])}`))
    await waitFor(() => expect(screen.queryByTestId('pricing-error')).toBeNull())
    expect(continueButton().className).not.toMatch(/disabled/)
  })

  it('随借随还 is priced in days at 日利率×365; switching to installments keeps the nearest term', async () => {
    await onboard('alice')
    await openLine(cloud(), 'alice', 'weilidai')
    const wl = await lineRateOf('weilidai')
    setRouter({ product: 'weilidai' })
    render(<OfferPage />)
    await screen.findByTestId('builder')
    await expectPreview(priced(wl, 100_000, { days: 30 }, 'flexible'))
    expect(text(screen.getByTestId('preview'))).toContain('年化利率（日利率×365）')
    expect(text(screen.getByTestId('apr'))).toBe(apr(wl.dailyRatePercent * 365))
    fireEvent.click(screen.getByLabelText('期限 90天'))
    await expectPreview(priced(wl, 100_000, { days: 90 }, 'flexible'))
    fireEvent.click(screen.getByLabelText('还款方式 等额本息'))
    await expectPreview(priced(wl, 100_000, { months: 5 }))
  })

  it('a tap is one state update: one React commit per tap on the builder', async () => {
    await onboard('alice')
    await openLine(cloud())
    setRouter({ product: 'we2000' })
    let commits = 0
    render(
      <Profiler id="offer" onRender={() => void commits++}>
        <OfferPage />
      </Profiler>,
    )
    await screen.findByTestId('builder')
    await screen.findByTestId('repayment-plan')
    for (const label of ['增加金额', '期限 6期', '还款方式 等额本金', '借款用途 旅游', '借款金额 ¥500']) {
      await waitFor(() => expect(screen.getByLabelText(label)).toBeTruthy())
      const before = commits
      fireEvent.click(screen.getByLabelText(label))
      // Let any follow-up render (an effect syncing state, a timer) happen before counting.
      await act(() => new Promise((resolve) => setTimeout(resolve, 30)))
      expect(commits - before).toBe(1)
    }
  })

  it('drawn within what the line has available: ¥1,000 in use of ¥2,000 caps the amount at ¥1,000', async () => {
    await onboard('alice')
    await openLine(cloud())
    await borrow(cloud()) // ¥1,000 of the ¥2,000 line is in use
    setRouter({ product: 'we2000' })
    render(<OfferPage />)
    await screen.findByTestId('builder')
    expect(text(screen.getByTestId('amount-range'))).toBe('可借 ¥100 – ¥1,000（可用额度 ¥1,000.00）')
    // The presets above what is available are not offered.
    expect(screen.queryByLabelText('借款金额 ¥1,500')).toBeNull()
    await typeInto('借款金额（元）', '1500')
    expect(text(await screen.findByTestId('amount-problem'))).toBe(
      '借款金额须在 ¥100 – ¥1,000 之间（可用额度为 ¥1,000）。',
    )
    expect(continueButton().className).toMatch(/disabled/)
    // + stops at what is available.
    await typeInto('借款金额（元）', '950')
    fireEvent.click(screen.getByLabelText('增加金额'))
    await waitFor(() => expect(screen.queryByTestId('amount-problem')).toBeNull())
    fireEvent.click(screen.getByLabelText('增加金额'))
    await waitFor(() => expect(screen.getByLabelText('增加金额').className).toMatch(/disabled/))
    const we = await lineRateOf('we2000')
    await expectPreview(priced(we, 100_000, { months: 6 }))
    await waitFor(() => expect(continueButton().className).not.toMatch(/disabled/))
  })

  it('not opened yet: no builder, and the way to opening it (the one inquiry)', async () => {
    await onboard('alice')
    setRouter({ product: 'we2000' })
    render(<OfferPage />)
    const none = await screen.findByTestId('not-opened')
    expect(text(none)).toContain('尚未开通WE2000')
    expect(text(none)).toContain('开通时查询一次征信（授信审批）')
    expect(text(none)).toContain('之后在可用额度内借款不再硬查询征信')
    expect(screen.queryByLabelText('下一步：确认借款')).toBeNull()
    fireEvent.click(within(none).getByLabelText('去开通 WE2000'))
    expect(navigateTo).toHaveBeenLastCalledWith({ url: '/pages/products/open/index?product=we2000' })
  })

  it('小鹅花钱 not opened, before face verification: the way to open it, and the face step first', async () => {
    await onboard('alice')
    setRouter({ product: 'xiaoe' })
    render(<OfferPage />)
    await screen.findByTestId('not-opened')
    expect(text(screen.getByTestId('pending'))).toContain('需先完成：人脸核身')
    fireEvent.click(screen.getByLabelText('去人脸核身'))
    expect(navigateTo).toHaveBeenLastCalledWith({ url: '/pages/onboarding/face/index?product=xiaoe' })
  })

  it('a frozen line: no builder; why it is frozen, how it unfreezes, the way to repay', async () => {
    await onboard('alice')
    await borrow(cloud())
    cloud().ports.clock.advance(35 * DAY_MS)
    await runScheduledJobs(cloud().ports)
    setRouter({ product: 'we2000' })
    render(<OfferPage />)
    const frozen = await screen.findByTestId('line-frozen')
    expect(text(frozen)).toContain('有一期还款已逾期')
    expect(text(frozen)).toContain('额度会自动恢复')
    expect(screen.queryByTestId('builder')).toBeNull()
    fireEvent.click(screen.getByLabelText('查看额度和额度记录'))
    expect(navigateTo).toHaveBeenLastCalledWith({ url: '/pages/products/line/index?product=we2000' })
  })

  it('a product the user cannot open shows the reasons instead of a builder', async () => {
    await onboard('bob')
    setRouter({ product: 'we2000' })
    render(<OfferPage />)
    const blocked = await screen.findByTestId('blocked')
    expect(text(blocked)).toContain('WE2000：暂不能开通')
    expect(text(blocked)).toContain(REASONS.SCORE_BELOW_THRESHOLD.fix)
    expect(screen.queryByLabelText('下一步：确认借款')).toBeNull()
  })

  it('offline: the error with a retry that loads the builder', async () => {
    await onboard('alice')
    await openLine(cloud())
    setRouter({ product: 'we2000' })
    await openOfflineThenRetry(<OfferPage />)
    expect(await screen.findByTestId('builder')).toBeTruthy()
  })

  it('an unknown product asks nothing of the server and offers the way back', async () => {
    setRouter({ product: 'nope' })
    render(<OfferPage />)
    expect(text(screen.getByTestId('empty'))).toContain('没有找到这个产品')
    expect(pageCloud.sent).toHaveLength(0)
    fireEvent.click(screen.getByLabelText('返回选择产品'))
    expect(redirectTo).toHaveBeenCalledWith({ url: '/pages/products/index/index' })
  })
})
