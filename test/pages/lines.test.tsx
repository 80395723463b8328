/**
 * The credit line (额度) pages in jsdom — 开通 (the per-query consent, then the opening, and each
 * decision), 我的额度 with its history (额度记录) and a frozen line, and the line on the home tab —
 * through Taro's H5 components, against a real in-process local cloud (the real handlers on
 * SQLite; its clock moved with `cloud.ports.clock.advance`). Only the transport is swapped.
 */
import { act, configure, fireEvent, render, screen, waitFor, within } from '@testing-library/react'
import Taro from '@tarojs/taro'
import type { LineView, LoanView } from '../../src/api'
import { DAY_MS, MINUTE_MS } from '../../src/domain/china-time'
import { REASONS } from '../../src/domain/reasons'
import { runScheduledJobs } from '../../server/app/timer'
import Index from '../../src/pages/index/index'
import OpenLine from '../../src/pages/products/open/index'
import LinePage from '../../src/pages/products/line/index'
import { apr, dailyRate, dateTime, yuan } from '../../src/ui/format'
import { borrow, onboardBorrower, openLine, repayAndPay } from '../support/borrower'
import { makeTestCloud, type TestCloud } from '../support/cloud'
import { NOW, makeApplicant, makeIdNumber } from '../support/factories'
import { openOfflineThenRetry } from '../support/offline'
import { pageCloud } from '../support/mock-platform'
import { showPage } from '../support/taro-h5'

jest.mock('../../src/services/platform', () => require('../support/mock-platform').platformModule)

// Taro's H5 components are slow to re-render in jsdom on a shared machine: wait past the 1 s default.
configure({ asyncUtilTimeout: 5_000 })
jest.setTimeout(30_000)

let cloud: TestCloud
let navigateTo: jest.SpyInstance
let redirectTo: jest.SpyInstance
let switchTab: jest.SpyInstance

beforeEach(async () => {
  cloud = await makeTestCloud()
  pageCloud.cloud = cloud
  pageCloud.reset()
  navigateTo = jest.spyOn(Taro, 'navigateTo').mockImplementation(async () => ({ errMsg: 'navigateTo:ok' }))
  redirectTo = jest.spyOn(Taro, 'redirectTo').mockImplementation(async () => ({ errMsg: 'redirectTo:ok' }))
  switchTab = jest.spyOn(Taro, 'switchTab').mockImplementation(async () => ({ errMsg: 'switchTab:ok' }))
  openWith({})
})
afterEach(() => {
  jest.restoreAllMocks()
  cloud.close()
})

function openWith(params: Record<string, string>) {
  ;(Taro.getCurrentInstance() as { router: unknown }).router = { params, path: '' }
}

const isDisabled = (el: HTMLElement) => /disabled/.test(el.className)
const sent = (action: string) => pageCloud.sent.filter((s) => s.action === action)
const text = (el: HTMLElement) => el.textContent ?? ''

async function lineOf(product = 'we2000', user = 'alice'): Promise<LineView> {
  const r = await cloud.call<LineView>('lines', 'get', { product }, { user })
  if (!r.ok) throw new Error(r.error.code)
  return r.data
}

/** A persona onboarded (agreements, real name, a bound debit card) with its own ID number. */
async function onboard(user: string) {
  pageCloud.user = user
  const seq = String(100 + ([...user].reduce((s, c) => s + c.charCodeAt(0), 0) % 800))
  await onboardBorrower(cloud, user, makeApplicant({ idNumber: makeIdNumber({ seq }) }))
}

/** 开通 for `product`, once the form (or whatever the page decides to show) has loaded. */
async function openPage(product: string) {
  openWith({ product })
  render(<OpenLine />)
  // The page loads the pre-check and the line contract from the in-process cloud: on a busy machine
  // (the whole suite on two cores) that takes longer than waitFor's default second.
  await waitFor(() => expect(screen.queryByTestId('loading')).toBeNull(), { timeout: 10_000 })
}

const tickConsent = () => fireEvent.click(within(screen.getByTestId('line-consent')).getByLabelText('征信查询授权'))
/** 确认开通WE2000, 确认激活微粒贷: it says what it does and to which product. */
const openButton = () => screen.getByLabelText(/^确认(开通|激活)/)

/** After 确认开通: the line contract (授信合同) on screen, then 同意并签署 — which sends the opening. */
async function signContract() {
  const sign = () => within(screen.getByTestId('contract-reader')).getByLabelText('同意并签署')
  await waitFor(() => expect(isDisabled(sign())).toBe(false))
  fireEvent.click(sign())
}

describe('开通', () => {
  it('says what opening does, waits for the explicit consent, then consent → open → the line with its limit and both rates', async () => {
    await onboard('alice')
    await openPage('we2000')
    const facts = text(screen.getByTestId('open-facts'))
    expect(facts).toContain('硬查询')
    expect(facts).toContain('开通只查询这一次')
    expect(facts).toContain('15分钟内有效，只能用一次')
    expect(facts).toContain('额度有效12个月，借款不再硬查询征信')
    expect(facts).toContain('总额度、可用额度、日利率和年化利率')
    const consent = text(screen.getByTestId('line-consent'))
    expect(consent).toContain('授信审批')
    expect(consent).toContain('只能用于这一次查询')
    // The pre-check's estimate is labelled as such: the decision binds.
    const estimate = screen.getByTestId('open-estimate')
    expect(text(estimate)).toContain('以开通审批结果为准')
    // Its rate has the annualized one beside it, in the same type, and the fees are said up front.
    expect(text(within(estimate).getByTestId('rate'))).toBe('0.05%')
    expect(text(within(estimate).getByTestId('apr'))).toBe('18.25%')
    expect(within(estimate).getByTestId('apr').className).toContain('kt-rate')
    expect(text(await within(estimate).findByTestId('open-fees'))).toContain('取现手续费 1%')

    // Not ticked: nothing is asked of the server.
    expect(isDisabled(openButton())).toBe(true)
    fireEvent.click(openButton())
    expect(sent('consent')).toEqual([])

    tickConsent()
    await waitFor(() => expect(isDisabled(openButton())).toBe(false))
    fireEvent.click(openButton())
    // 确认开通 shows the line contract first: nothing but its text is asked of the server yet.
    await screen.findByTestId('open-signing')
    expect(sent('preview').map((s) => s.data)).toEqual([{ kind: 'line', product: 'we2000' }])
    expect(sent('consent')).toEqual([])
    expect(sent('open')).toEqual([])
    await signContract()
    const active = await screen.findByTestId('open-active')
    expect(text(active)).toContain('开通成功：WE2000额度已生效')

    const line = await lineOf()
    expect(line.state).toBe('active')
    expect(sent('consent')).toHaveLength(1)
    expect(sent('open')).toHaveLength(1)
    // The signature is the hash of the very contract the page showed.
    const shown = await cloud.call<{ sha256: string }>('contracts', 'preview', { kind: 'line', product: 'we2000' })
    expect(sent('open')[0].data).toEqual({
      product: 'we2000',
      consentId: expect.any(String),
      contractSha256: shown.ok ? shown.data.sha256 : 'none',
    })
    const figures = within(active).getByTestId('line-figures')
    expect(text(within(figures).getByTestId('line-limit'))).toBe(yuan(line.limitFen))
    expect(text(within(figures).getByTestId('line-available'))).toBe(yuan(line.limitFen))
    // The daily rate and the annualized rate side by side, in the same type.
    const pair = within(figures).getByTestId('rate-pair')
    expect(text(within(pair).getByTestId('rate'))).toBe(dailyRate(line.dailyRatePercent))
    expect(text(within(pair).getByTestId('apr'))).toBe(apr(line.annualRatePercent))
    expect(within(pair).getByTestId('rate').className).toContain('kt-rate')
    expect(within(pair).getByTestId('apr').className).toContain('kt-rate')
    // WE2000's withdrawal fee is said where the line is shown: no cost appears only later.
    expect(text(within(figures).getByTestId('line-fees'))).toContain('取现手续费 1%')
    expect(text(figures)).toContain(`有效期至${dateTime(line.expiresAt!)}（北京时间）`)

    fireEvent.click(screen.getByLabelText('去借款 WE2000'))
    expect(redirectTo).toHaveBeenCalledWith({ url: '/pages/products/offer/index?product=we2000' })
  })

  it('a lost answer is retried with the same consent and requestId: one consent, one inquiry, one line', async () => {
    await onboard('alice')
    await openPage('we2000')
    const realCall = cloud.call.bind(cloud)
    let dropped = false
    cloud.call = (async (fn, action, data, opts) => {
      const result = await realCall(fn, action, data, opts)
      if (action === 'open' && !dropped) {
        dropped = true
        return { ok: false, error: { code: 'NETWORK_ERROR', message: '网络连接失败，请检查网络后重试。' } }
      }
      return result
    }) as TestCloud['call']
    tickConsent()
    await waitFor(() => expect(isDisabled(openButton())).toBe(false))
    fireEvent.click(openButton())
    await signContract()
    const error = await screen.findByTestId('open-error')
    expect(text(error)).toContain('网络连接失败')
    expect(text(error)).toContain('同一次开通不会重复查询征信')
    fireEvent.click(within(error).getByLabelText('重试'))
    await screen.findByTestId('open-active')

    expect(sent('consent')).toHaveLength(1)
    const opens = sent('open')
    expect(opens).toHaveLength(2)
    expect(opens[1].requestId).toBe(opens[0].requestId)
    expect(opens[1].data.consentId).toBe(opens[0].data.consentId)
    expect(opens[1].data.contractSha256).toBe(opens[0].data.contractSha256)
    // One opening in the line's history: the retry was the same request.
    const history = await cloud.call<Array<{ reason: string }>>('lines', 'history', { product: 'we2000' })
    expect(history.ok && history.data.map((c) => c.reason)).toEqual(['OPENED'])
  })

  it('a consent that expired before the opening is asked for again, explicitly, and a new one opens the line', async () => {
    await onboard('alice')
    await openPage('we2000')
    // The consent is given, but the opening's answer never arrives (the connection drops)…
    pageCloud.offline = false
    const realCall = cloud.call.bind(cloud)
    let lost = true
    cloud.call = (async (fn, action, data, opts) => {
      if (action === 'open' && lost) {
        lost = false
        return { ok: false, error: { code: 'NETWORK_ERROR', message: '网络连接失败，请检查网络后重试。' } }
      }
      return realCall(fn, action, data, opts)
    }) as TestCloud['call']
    tickConsent()
    await waitFor(() => expect(isDisabled(openButton())).toBe(false))
    fireEvent.click(openButton())
    await signContract()
    const error = await screen.findByTestId('open-error')
    // …and the retry comes 16 minutes later: the consent's 15 minutes are over.
    cloud.ports.clock.advance(16 * MINUTE_MS)
    fireEvent.click(within(error).getByLabelText('重试'))
    await waitFor(() => expect(text(screen.getByTestId('open-error'))).toContain('请重新勾选上面的征信查询授权'))
    expect(text(screen.getByTestId('open-error'))).toContain('超过15分钟或已经用过')
    // Back on the form, the tick withdrawn: the next inquiry needs its own authorization.
    expect(screen.queryByTestId('open-signing')).toBeNull()
    await waitFor(() => expect(isDisabled(openButton())).toBe(true))
    tickConsent()
    await waitFor(() => expect(isDisabled(openButton())).toBe(false))
    fireEvent.click(openButton())
    await signContract()
    await screen.findByTestId('open-active')
    const consents = sent('consent')
    expect(consents).toHaveLength(2)
    const opens = sent('open')
    expect(opens.at(-1)!.data.consentId).not.toBe(opens[0].data.consentId)
    expect((await lineOf()).state).toBe('active')
  })

  it('refused: each reason with its fix, the inquiry said, and the way to help', async () => {
    await onboard('alice')
    await openPage('we2000')
    // Between the page's pre-check and the tap, her payments fall to eight a month.
    const p = cloud.ports.world.defaultProfile('o_dev_alice')
    await cloud.ports.world.edit('o_dev_alice', { ...p, consumption: { ...p.consumption, paymentsPerMonth: 8 } })
    tickConsent()
    await waitFor(() => expect(isDisabled(openButton())).toBe(false))
    fireEvent.click(openButton())
    await signContract()
    const refused = await screen.findByTestId('line-refused')
    expect(text(refused)).toContain('很抱歉，本次开通未通过')
    expect(text(refused)).toContain('审批时查询过一次征信')
    expect(text(refused)).toContain('不收任何费用')
    const reason = refused.querySelector('[data-code="LOW_ACTIVITY"]') as HTMLElement
    expect(text(reason)).toContain(REASONS.LOW_ACTIVITY.title)
    expect(text(reason)).toContain(`怎么办：${REASONS.LOW_ACTIVITY.fix}`)
    expect((await lineOf()).state).toBe('refused')
    fireEvent.click(screen.getByLabelText('查看帮助：开通失败常见原因'))
    expect(navigateTo).toHaveBeenCalledWith({ url: '/pages/account/help/index' })
    // Why, dimension by dimension and rule by rule, and a person's review: one tap away.
    fireEvent.click(within(refused).getByLabelText('查看决定原因 / 申请人工复核'))
    expect(navigateTo).toHaveBeenLastCalledWith({ url: '/pages/products/explain/index?product=we2000' })
  })

  it('manual review (a thin credit file): who decides and by when, and that after 7 days it ends as refused and can be asked again', async () => {
    // frank has no credit history: the rules send his opening to a person.
    await onboard('frank')
    await openPage('we2000')
    tickConsent()
    await waitFor(() => expect(isDisabled(openButton())).toBe(false))
    fireEvent.click(openButton())
    await signContract()
    const review = await screen.findByTestId('line-review')
    const line = await lineOf('we2000', 'frank')
    expect(line.state).toBe('review')
    expect(text(review)).toContain('已转人工审核')
    expect(text(review)).toContain(`7天内（${dateTime(line.requestedAt + 7 * DAY_MS)} 北京时间前）决定`)
    expect(text(review)).toContain('会自动结束为未通过，之后可以重新申请开通')
    expect(text(review)).toContain('审核期间不能借款')
    fireEvent.click(screen.getByLabelText('查看额度'))
    expect(redirectTo).toHaveBeenCalledWith({ url: '/pages/products/line/index?product=we2000' })
  })

  it('微粒贷 is activated (激活): the same opening, named as the invitation names it', async () => {
    await onboard('alice')
    await openPage('weilidai')
    expect(screen.getByText('激活微粒贷')).toBeTruthy()
    tickConsent()
    await waitFor(() => expect(isDisabled(openButton())).toBe(false))
    expect(text(openButton())).toBe('确认激活微粒贷')
    fireEvent.click(openButton())
    await signContract()
    expect(text(await screen.findByTestId('open-active'))).toContain('激活成功：微粒贷额度已生效')
  })

  it('a product already open shows its line instead of asking again; nothing is sent', async () => {
    await onboard('alice')
    await openLine(cloud, 'alice', 'we2000')
    await openPage('we2000')
    expect(text(screen.getByTestId('open-active'))).toContain('你已开通WE2000')
    expect(screen.queryByTestId('line-consent')).toBeNull()
    expect(sent('consent')).toEqual([])
    expect(sent('open')).toEqual([])
  })

  it('a product the pre-check refuses is not offered for opening: it would only spend an inquiry', async () => {
    await onboard('bob')
    await openPage('we2000')
    const blocked = screen.getByTestId('open-blocked')
    expect(text(blocked)).toContain('WE2000：暂不能开通')
    expect(text(blocked)).toContain(REASONS.SCORE_BELOW_THRESHOLD.fix)
    expect(screen.queryByLabelText(/^确认开通/)).toBeNull()
    expect(sent('consent')).toEqual([])
  })

  it('小鹅花钱 before face verification: the step first (it queries nothing), and opening waits', async () => {
    await onboard('alice')
    await openPage('xiaoe')
    expect(text(screen.getByTestId('open-pending'))).toContain('需先完成：人脸核身')
    tickConsent()
    expect(isDisabled(openButton())).toBe(true)
    fireEvent.click(within(screen.getByTestId('open-pending')).getByLabelText('去人脸核身'))
    expect(navigateTo).toHaveBeenLastCalledWith({ url: '/pages/onboarding/face/index?product=xiaoe' })
  })

  it('offline: the error with a retry that loads the page', async () => {
    await onboard('alice')
    openWith({ product: 'we2000' })
    await openOfflineThenRetry(<OpenLine />)
    expect(await screen.findByTestId('open-form')).toBeTruthy()
  })
})

describe('我的额度', () => {
  it('the line with 可用额度 of 总额度 and its history, newest first: when (China time), why, how much, the loan', async () => {
    await onboard('alice')
    const opened = await openLine(cloud)
    cloud.ports.clock.advance(2 * DAY_MS)
    const loan = await borrow(cloud)
    openWith({ product: 'we2000' })
    render(<LinePage />)
    const page = await screen.findByTestId('line-page')
    expect(text(within(page).getByTestId('line-state'))).toBe('可借款')
    expect(text(within(page).getByTestId('line-available'))).toBe(yuan(opened.limitFen - 100_000))
    expect(text(within(page).getByTestId('line-limit'))).toBe(yuan(opened.limitFen))
    expect(text(within(page).getByTestId('line-in-use'))).toContain(yuan(100_000))

    const history = await screen.findByTestId('line-history')
    const changes = within(history).getAllByTestId('line-change')
    expect(changes.map((c) => c.getAttribute('data-reason'))).toEqual(['DRAWN', 'OPENED'])
    expect(text(changes[0])).toContain('借款占用')
    expect(text(within(changes[0]).getByTestId('line-change-amount'))).toBe(`−${yuan(100_000)}`)
    expect(text(changes[0])).toContain(`${dateTime(NOW + 2 * DAY_MS)}（北京时间）`)
    expect(text(changes[0])).toContain(`之后：总额度 ${yuan(opened.limitFen)}，已借未还 ${yuan(100_000)}`)
    expect(text(changes[1])).toContain('已开通')
    expect(text(changes[1])).toContain(`${dateTime(NOW)}（北京时间）`)
    fireEvent.click(within(changes[0]).getByLabelText(`查看这笔借款 ${loan.id}`))
    expect(navigateTo).toHaveBeenCalledWith({ url: `/pages/loan/detail/index?loanId=${loan.id}` })

    fireEvent.click(screen.getByLabelText('借钱 WE2000'))
    expect(navigateTo).toHaveBeenCalledWith({ url: '/pages/products/offer/index?product=we2000' })
    // Its contracts (授信合同 and each 借款合同), one tap away.
    fireEvent.click(screen.getByLabelText('查看合同（授信合同、借款合同）：WE2000'))
    expect(navigateTo).toHaveBeenLastCalledWith({ url: '/pages/products/contracts/index?product=we2000' })
  })

  it('a frozen line says why (an installment overdue) and how it unfreezes (repay it; by itself), with the way to the loans', async () => {
    await onboard('alice')
    const loan = await borrow(cloud)
    // The day after the first due date: overdue, and the timer's line job freezes the line.
    cloud.ports.clock.advance(35 * DAY_MS)
    await runScheduledJobs(cloud.ports)
    expect((await lineOf()).state).toBe('frozen')
    openWith({ product: 'we2000' })
    render(<LinePage />)
    const frozen = await screen.findByTestId('line-frozen')
    expect(text(frozen)).toContain('额度已冻结')
    expect(text(frozen)).toContain('有一期还款已逾期')
    expect(text(frozen)).toContain('还清逾期的那一期（含逾期费用）后，额度会自动恢复，不需要重新申请')
    expect(text(screen.getByTestId('line-state'))).toBe('已冻结')
    // Nothing can be drawn while frozen: no 借钱 button.
    expect(screen.queryByLabelText('借钱 WE2000')).toBeNull()
    expect(text(screen.getByTestId('line-available'))).toBe(yuan(0))
    const history = await screen.findByTestId('line-history')
    expect(within(history).getAllByTestId('line-change')[0].getAttribute('data-reason')).toBe('FROZEN_OVERDUE')
    expect(text(history)).toContain('逾期冻结')
    fireEvent.click(within(frozen).getByLabelText('去还款'))
    expect(switchTab).toHaveBeenCalledWith({ url: '/pages/loans/index' })

    // Repaid: the next run unfreezes it, and the page says so when it shows again.
    const due = await cloud.call<LoanView>('loans', 'get', { loanId: loan.id })
    if (!due.ok) throw new Error(due.error.code)
    expect((await repayAndPay(cloud, loan.id, due.data.due!.dueNowFen)).ok).toBe(true)
    await runScheduledJobs(cloud.ports)
    act(() => showPage())
    await waitFor(() => expect(text(screen.getByTestId('line-state'))).toBe('可借款'))
    expect(screen.queryByTestId('line-frozen')).toBeNull()
    await waitFor(() =>
      expect(
        within(screen.getByTestId('line-history')).getAllByTestId('line-change')[0].getAttribute('data-reason'),
      ).toBe('UNFROZEN'),
    )
    expect(text(screen.getByTestId('line-history'))).toContain('解除冻结')
    expect(text(screen.getByTestId('line-history'))).toContain('还款恢复')
  })

  it('a product never opened: says so, and the way to open it', async () => {
    await onboard('alice')
    openWith({ product: 'we2000' })
    render(<LinePage />)
    const none = await screen.findByTestId('line-not-opened')
    expect(text(none)).toContain('尚未开通WE2000')
    fireEvent.click(screen.getByLabelText('去开通 WE2000'))
    expect(navigateTo).toHaveBeenCalledWith({ url: '/pages/products/open/index?product=we2000' })
  })

  it('fees that could not be read are never just left out: it says so, and a retry shows them', async () => {
    await onboard('alice')
    await openLine(cloud)
    pageCloud.down.add('credit.catalog')
    openWith({ product: 'we2000' })
    render(<LinePage />)
    expect(await screen.findByTestId('line-figures')).toBeTruthy()
    const notice = await screen.findByTestId('error-notice')
    expect(screen.queryByTestId('line-fees')).toBeNull()
    pageCloud.down.clear()
    fireEvent.click(within(notice).getByLabelText('重新加载费用说明'))
    expect(text(await screen.findByTestId('line-fees'))).toContain('取现手续费 1%')
    expect(screen.queryByTestId('error-notice')).toBeNull()
  })

  it('offline: the error with a retry that loads the line', async () => {
    await onboard('alice')
    await openLine(cloud)
    openWith({ product: 'we2000' })
    await openOfflineThenRetry(<LinePage />)
    expect(await screen.findByTestId('line-history')).toBeTruthy()
  })
})

describe('home: the lines opened', () => {
  it('each opened product with 可用额度 of 总额度 and one 借钱 button to its offer builder', async () => {
    await onboard('alice')
    const line = await openLine(cloud)
    await borrow(cloud, 'alice', { amountFen: 50_000 })
    render(<Index />)
    const card = await screen.findByTestId('line-glance-we2000')
    expect(text(within(card).getByTestId('line-glance-available'))).toBe(yuan(line.limitFen - 50_000))
    expect(text(within(card).getByTestId('line-glance-limit'))).toBe(yuan(line.limitFen))
    // One 借钱 button for the one line; the products not opened have none.
    expect(screen.getAllByText('借钱')).toHaveLength(1)
    expect(screen.queryByTestId('line-glance-weilidai')).toBeNull()
    expect(text(screen.getByTestId('glance-we2000'))).toContain('已开通')
    fireEvent.click(screen.getByLabelText('借钱 WE2000'))
    expect(navigateTo).toHaveBeenCalledWith({ url: '/pages/products/offer/index?product=we2000' })
    fireEvent.click(within(card).getByLabelText('WE2000，额度记录'))
    expect(navigateTo).toHaveBeenCalledWith({ url: '/pages/products/line/index?product=we2000' })
  })

  it('a frozen line says it is frozen and leads to the line page (why, and how it unfreezes), not to borrowing', async () => {
    await onboard('alice')
    await borrow(cloud)
    cloud.ports.clock.advance(35 * DAY_MS)
    await runScheduledJobs(cloud.ports)
    render(<Index />)
    const card = await screen.findByTestId('line-glance-we2000')
    expect(text(card)).toContain('已冻结：有一期还款逾期，还清后自动恢复')
    expect(within(card).queryByLabelText('借钱 WE2000')).toBeNull()
    fireEvent.click(within(card).getByLabelText('查看怎么恢复 WE2000'))
    expect(navigateTo).toHaveBeenCalledWith({ url: '/pages/products/line/index?product=we2000' })
  })

  it('no line yet: no 我的额度 section', async () => {
    await onboard('alice')
    render(<Index />)
    await screen.findByTestId('glance')
    await waitFor(() => expect(sent('list')).toHaveLength(1))
    expect(screen.queryByTestId('my-lines')).toBeNull()
  })
})
