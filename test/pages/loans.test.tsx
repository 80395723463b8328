/**
 * The loan pages in jsdom — 确认借款, 审批结果, 我的借款, 借款详情, 电子凭证 — through Taro's H5
 * components, against a real in-process local cloud (the real handlers on SQLite; its clock is
 * moved with `cloud.ports.clock.advance`). Only the transport is swapped for a direct call.
 *
 * The device clock (Date) is pinned to the cloud's start time and only Date is faked: timers stay
 * real for Taro's components. So a countdown that reads 01:00:00 while the device clock still says
 * "disbursement time" proves it comes from the server's time, not the device's.
 */
import { act, configure, fireEvent, render, screen, waitFor, within } from '@testing-library/react'
import Taro from '@tarojs/taro'
import type { ApiResult, ApplyResult, LoanView, ReceiptView } from '../../src/api'
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../../src/domain/china-time'
import { REASONS } from '../../src/domain/reasons'
import { remainingMs } from '../../src/components/cooling-off'
import { markOverdue } from '../../server/app/loans/index'
import Confirm from '../../src/pages/products/confirm/index'
import Decision from '../../src/pages/products/decision/index'
import Loans from '../../src/pages/loans/index'
import LoanDetail from '../../src/pages/loan/detail/index'
import Receipts from '../../src/pages/loan/receipts/index'
import { apr, civilDate, yuan } from '../../src/ui/format'
import { runScheduledJobs } from '../../server/app/timer'
import { borrow, cancelAndPay, onboardBorrower, openLine } from '../support/borrower'
import { typeInto } from '../support/page-input'
import { makeTestCloud, type TestCloud } from '../support/cloud'
import { NOW } from '../support/factories'
import { openOfflineThenRetry } from '../support/offline'
import { pageCloud } from '../support/mock-platform'
import { showPage } from '../support/taro-h5'

jest.mock('../../src/services/platform', () => require('../support/mock-platform').platformModule)

// Taro's H5 components are slow to re-render in jsdom (a reload can take ~0.5 s), and this machine
// is shared: wait longer than Testing Library's 1 s default before calling a page broken.
configure({ asyncUtilTimeout: 5_000 })
jest.setTimeout(30_000)

let cloud: TestCloud
let navigateTo: jest.SpyInstance
let redirectTo: jest.SpyInstance
let switchTab: jest.SpyInstance

beforeEach(async () => {
  // Only Date is faked (pinned to the cloud's start): Taro's components keep their real timers.
  jest.useFakeTimers({
    now: NOW,
    doNotFake: [
      'hrtime',
      'nextTick',
      'performance',
      'queueMicrotask',
      'requestAnimationFrame',
      'cancelAnimationFrame',
      'requestIdleCallback',
      'cancelIdleCallback',
      'setImmediate',
      'clearImmediate',
      'setInterval',
      'clearInterval',
      'setTimeout',
      'clearTimeout',
    ],
  })
  cloud = await makeTestCloud()
  pageCloud.cloud = cloud
  pageCloud.reset()
  navigateTo = jest.spyOn(Taro, 'navigateTo').mockImplementation(async () => ({ errMsg: 'navigateTo:ok' }))
  redirectTo = jest.spyOn(Taro, 'redirectTo').mockImplementation(async () => ({ errMsg: 'redirectTo:ok' }))
  switchTab = jest.spyOn(Taro, 'switchTab').mockImplementation(async () => ({ errMsg: 'switchTab:ok' }))
})

afterEach(() => {
  navigateTo.mockRestore()
  redirectTo.mockRestore()
  switchTab.mockRestore()
  cloud.close()
  jest.useRealTimers()
})

/** The query the page is opened with, as Taro's router gives it to useRouter. */
function openWith(params: Record<string, string | number>) {
  const router = { params: Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)])), path: '' }
  ;(Taro.getCurrentInstance() as { router: unknown }).router = router
}

const isDisabled = (el: HTMLElement) => /disabled/.test(el.className)
const sent = (action: string) => pageCloud.sent.filter((s) => s.action === action)

async function getLoan(loanId: string): Promise<LoanView> {
  const r = await cloud.call<LoanView>('loans', 'get', { loanId })
  if (!r.ok) throw new Error(r.error.code)
  return r.data
}

/** A drawdown straight to the server on the product's line (opened first when it is not). */
async function applyDirect(over: Record<string, unknown>): Promise<ApplyResult> {
  const product = (over.product as string) ?? 'we2000'
  await openLine(cloud, 'alice', product)
  const r = await cloud.call<ApplyResult>('loans', 'apply', {
    product,
    purpose: 'consumption',
    amountFen: 100_000,
    termMonths: 6,
    mode: 'equal-principal',
    ...over,
  })
  if (!r.ok) throw new Error(r.error.code)
  return r.data
}

describe('我的借款 (tab)', () => {
  beforeEach(() => onboardBorrower(cloud))

  it('shows loading first, then the empty state with a way to the products', async () => {
    render(<Loans />)
    expect(screen.getByTestId('loading')).toBeTruthy()
    expect(await screen.findByText('还没有借款。')).toBeTruthy()
    fireEvent.click(screen.getByLabelText('去看看产品'))
    expect(navigateTo).toHaveBeenCalledWith({ url: '/pages/products/index/index' })
  })

  it('a failed load shows the error with a retry that loads the list', async () => {
    await borrow(cloud)
    await openOfflineThenRetry(<Loans />)
    expect(await screen.findByTestId('loan-item')).toBeTruthy()
  })

  it('each loan shows product, amount, state, APR and the cooling-off badge or the next payment; reloaded on every show; a tap opens it', async () => {
    const loan = await borrow(cloud)
    render(<Loans />)
    const item = await screen.findByTestId('loan-item')
    expect(item.textContent).toContain('WE2000')
    expect(item.textContent).toContain('¥1,000.00')
    expect(item.textContent).toContain('已放款')
    expect(within(item).getByText(apr(loan.aprPercent)).className).toContain('kt-rate')
    expect(within(item).getByTestId('cooling-off-badge').textContent).toBe('冷静期内可取消')
    const line = loan.schedule[0]
    expect(within(item).getByTestId('next-due').textContent).toBe(
      `下期 ${civilDate(line.dueDate)} 应还 ${yuan(line.totalFen)}`,
    )

    // The tab shows again a day later, with a second loan: both are listed, the first past its window.
    cloud.ports.clock.advance(DAY_MS)
    const second = await borrow(cloud, 'alice', { amountFen: 50_000 })
    const listsBefore = sent('list').length
    act(() => showPage())
    await waitFor(() => expect(screen.getAllByTestId('loan-item')).toHaveLength(2))
    expect(sent('list').length).toBe(listsBefore + 1)
    const first = screen.getAllByTestId('loan-item').find((el) => el.getAttribute('data-loan-id') === loan.id)!
    expect(within(first).queryByTestId('cooling-off-badge')).toBeNull()

    fireEvent.click(screen.getAllByTestId('loan-item').find((el) => el.getAttribute('data-loan-id') === second.id)!)
    expect(navigateTo).toHaveBeenCalledWith({ url: `/pages/loan/detail/index?loanId=${second.id}` })
  })
})

describe('确认借款', () => {
  const offer = {
    product: 'we2000',
    amountFen: 100_000,
    termMonths: 6,
    mode: 'equal-principal',
    purpose: 'consumption',
  }
  beforeEach(() => onboardBorrower(cloud))

  /** After 确认借款: the drawdown's contract (借款合同) on screen, then 同意并签署 — which applies. */
  async function signContract() {
    const sign = () => within(screen.getByTestId('contract-reader')).getByLabelText('同意并签署')
    await waitFor(() => expect(isDisabled(sign())).toBe(false))
    fireEvent.click(sign())
  }

  /** 确认借款 for `params`, loaded: its 确认借款 button, once enabled. */
  async function readyToConfirm(params: Record<string, string | number>) {
    openWith(params)
    render(<Confirm />)
    await screen.findByTestId('summary')
    const button = screen.getByLabelText('确认借款')
    await waitFor(() => expect(isDisabled(button)).toBe(false))
    return button
  }

  it('a drawdown on the open line: the preview, the available amount, 借款不再硬查询征信, no consent to tick; apply → the decision', async () => {
    const line = await openLine(cloud)
    const button = await readyToConfirm(offer)
    const summary = screen.getByTestId('summary')
    expect(within(summary).getByTestId('summary-available').textContent).toContain(yuan(line.availableFen))
    expect(within(summary).getByTestId('summary-after').textContent).toContain(yuan(line.availableFen - 100_000))
    expect(summary.textContent).toContain('以服务器的计算为准')
    // Said plainly, and nothing to authorize: the opening had the one inquiry.
    const noInquiry = screen.getByTestId('no-inquiry')
    expect(noInquiry.textContent).toContain('借款不再硬查询征信')
    expect(noInquiry.textContent).toContain('开通WE2000时已经查询过一次征信')
    expect(screen.queryByTestId('credit-consent')).toBeNull()
    expect(screen.queryByLabelText('征信查询授权')).toBeNull()

    // 确认借款 shows the drawdown's contract, with the same figures; nothing is applied until it is signed.
    fireEvent.click(button)
    await screen.findByTestId('apply-signing')
    expect(sent('preview').map((s) => s.data)).toEqual([{ kind: 'drawdown', ...offer }])
    expect(sent('apply')).toEqual([])
    await signContract()
    await waitFor(() => expect(redirectTo).toHaveBeenCalledTimes(1))
    const loans = await cloud.call<LoanView[]>('loans', 'list')
    if (!loans.ok) throw new Error(loans.error.code)
    expect(loans.data).toHaveLength(1)
    const loan = loans.data[0]
    expect(redirectTo).toHaveBeenCalledWith({ url: `/pages/products/decision/index?loanId=${loan.id}` })
    expect(sent('consent')).toEqual([])
    expect(sent('apply')).toHaveLength(1)
    // Exactly the offer and the signature (the hash of the contract shown): no consent id, nothing else.
    const shown = await cloud.call<{ sha256: string }>('contracts', 'preview', { kind: 'drawdown', ...offer })
    expect(sent('apply')[0].data).toEqual({ ...offer, contractSha256: shown.ok ? shown.data.sha256 : 'none' })

    // The device's preview equals what the server then priced (same rules, same rate, same moment).
    expect(within(summary).getByTestId('summary-amount').textContent).toContain('¥1,000.00')
    expect(within(summary).getByTestId('summary-apr').textContent).toContain(apr(loan.aprPercent))
    const cost = loan.schedule.reduce((s, l) => s + l.interestFen + l.feeFen, 0)
    expect(within(summary).getByTestId('summary-cost').textContent).toContain(yuan(cost))
    expect(within(summary).getByTestId('summary-first').textContent).toBe(
      `首次还款${civilDate(loan.schedule[0].dueDate)} ${yuan(loan.schedule[0].totalFen)}`,
    )
    // The line holds it now.
    const after = await cloud.call<{ availableFen: number }>('lines', 'get', { product: 'we2000' })
    expect(after.ok && after.data.availableFen).toBe(line.availableFen - 100_000)
  })

  it('a dropped connection and a lost answer are retried with the same requestId: one loan', async () => {
    await openLine(cloud)
    const button = await readyToConfirm(offer)

    // 1. The connection is down when the contract is signed: the apply never reaches the server.
    fireEvent.click(button)
    await screen.findByTestId('contract-text')
    pageCloud.offline = true
    await signContract()
    expect((await screen.findByTestId('apply-error')).textContent).toContain('网络连接失败')
    pageCloud.offline = false

    // 2. The apply lands, but its answer is lost on the way back.
    const realCall = cloud.call.bind(cloud)
    let dropped = false
    cloud.call = (async (fn, action, data, opts) => {
      const result = await realCall(fn, action, data, opts)
      if (action === 'apply' && !dropped) {
        dropped = true
        return { ok: false, error: { code: 'NETWORK_ERROR', message: '网络连接失败，请检查网络后重试。' } }
      }
      return result
    }) as TestCloud['call']
    fireEvent.click(within(screen.getByTestId('apply-error')).getByText('重试'))
    await waitFor(() => expect(dropped).toBe(true))
    const notice = await screen.findByTestId('apply-error')
    await waitFor(() => expect(notice.textContent).toContain('同一次申请不会重复提交'))

    // 3. Retry: the server answers the stored result; nothing is applied twice.
    fireEvent.click(within(notice).getByText('重试'))
    await waitFor(() => expect(redirectTo).toHaveBeenCalledTimes(1))
    const applies = sent('apply')
    expect(applies).toHaveLength(3)
    expect(new Set(applies.map((a) => a.requestId)).size).toBe(1)
    expect(new Set(applies.map((a) => a.data.contractSha256)).size).toBe(1)
    const loans = await cloud.call<LoanView[]>('loans', 'list')
    expect(loans.ok && loans.data.map((l) => l.id)).toEqual([expect.any(String)])
    if (loans.ok)
      expect(redirectTo).toHaveBeenCalledWith({ url: `/pages/products/decision/index?loanId=${loans.data[0].id}` })
  })

  it('not opened yet: says so before anything is sent, and leads to opening (the one inquiry)', async () => {
    openWith(offer)
    render(<Confirm />)
    const needed = await screen.findByTestId('line-needed')
    expect(needed.textContent).toContain('尚未开通WE2000：开通后才能借款')
    expect(needed.textContent).toContain('开通时查询一次征信；之后在可用额度内借款不再硬查询')
    expect(isDisabled(screen.getByLabelText('确认借款'))).toBe(true)
    fireEvent.click(screen.getByLabelText('确认借款'))
    expect(sent('apply')).toEqual([])
    fireEvent.click(within(needed).getByLabelText('去开通 WE2000'))
    expect(navigateTo).toHaveBeenCalledWith({ url: '/pages/products/open/index?product=we2000' })
  })

  it('NO_ACTIVE_LINE from the server (the line expired while the page was open): the way to open it again', async () => {
    await openLine(cloud)
    const button = await readyToConfirm(offer)
    // Thirteen months later the line's twelve are over; the page still shows it open.
    cloud.ports.clock.advance(400 * DAY_MS)
    fireEvent.click(button)
    await signContract()
    const error = await screen.findByTestId('apply-error')
    expect(error.textContent).toContain('开通WE2000时查询一次征信；开通后在可用额度内借款不再硬查询征信。')
    fireEvent.click(within(error).getByText('去开通'))
    expect(navigateTo).toHaveBeenCalledWith({ url: '/pages/products/open/index?product=we2000' })
    expect(redirectTo).not.toHaveBeenCalled()
  })

  it('over what is available now: said on the device, nothing is sent', async () => {
    const line = await openLine(cloud)
    await borrow(cloud) // ¥1,000 of the line is in use
    openWith({ ...offer, amountFen: line.limitFen })
    render(<Confirm />)
    const over = await screen.findByTestId('over-available')
    expect(over.textContent).toContain(`超过可用额度 ${yuan(line.limitFen - 100_000)}`)
    expect(isDisabled(screen.getByLabelText('确认借款'))).toBe(true)
    expect(sent('apply')).toEqual([])
  })

  it('LINE_EXCEEDED (drawn elsewhere meanwhile): the amount available now, and the way back to change the amount', async () => {
    const line = await openLine(cloud)
    const button = await readyToConfirm({ ...offer, amountFen: 150_000 })
    // Another drawdown takes most of the line while this page is open.
    await borrow(cloud, 'alice', { amountFen: line.limitFen - 100_000 })
    fireEvent.click(button)
    await signContract()
    const error = await screen.findByTestId('apply-error')
    expect(error.textContent).toContain('超过可用额度')
    expect(error.textContent).toContain(`当前可用额度为 ${yuan(100_000)}`)
    const back = jest.spyOn(Taro, 'navigateBack').mockImplementation(async () => ({ errMsg: 'navigateBack:ok' }))
    fireEvent.click(within(error).getByText('返回修改金额'))
    await waitFor(() => expect(back).toHaveBeenCalled())
    back.mockRestore()
    expect(redirectTo).not.toHaveBeenCalled()
  })

  it('LINE_FROZEN (an installment fell overdue meanwhile): why, how it unfreezes, and the way to repay', async () => {
    const first = await borrow(cloud)
    cloud.ports.clock.advance(35 * DAY_MS)
    const button = await readyToConfirm(offer)
    // The timer runs while the page is open: the first loan's installment is overdue, the line frozen.
    await runScheduledJobs(cloud.ports)
    expect((await getLoan(first.id)).state).toBe('overdue')
    fireEvent.click(button)
    await signContract()
    const error = await screen.findByTestId('apply-error')
    expect(error.textContent).toContain('额度已冻结')
    expect(error.textContent).toContain('还清逾期的那一期（含逾期费用）后，额度会自动恢复')
    fireEvent.click(within(error).getByText('去还款'))
    await waitFor(() => expect(switchTab).toHaveBeenCalledWith({ url: '/pages/loans/index' }))
    // The page reads the line again: it shows it frozen, and borrowing stays off.
    expect(await screen.findByTestId('line-frozen')).toBeTruthy()
    await waitFor(() => expect(isDisabled(screen.getByLabelText('确认借款'))).toBe(true))
  })

  it('an investment purpose is flagged and cannot be submitted', async () => {
    await openLine(cloud)
    openWith({ ...offer, purpose: 'stocks' })
    render(<Confirm />)
    expect((await screen.findByTestId('purpose-warning')).textContent).toContain('借款不得用于投资')
    await screen.findByTestId('summary')
    const button = screen.getByLabelText('确认借款')
    await waitFor(() => expect(button.className).toMatch(/disabled/))
    fireEvent.click(button)
    expect(sent('apply')).toEqual([])
  })

  it('an incomplete link sends nothing and offers the products', async () => {
    openWith({ product: 'we2000', amountFen: 100_000 })
    render(<Confirm />)
    expect(screen.getByTestId('bad-request')).toBeTruthy()
    fireEvent.click(screen.getByLabelText('重新选择产品'))
    expect(navigateTo).toHaveBeenCalledWith({ url: '/pages/products/index/index' })
    expect(pageCloud.sent).toEqual([])
  })
})

describe('审批结果', () => {
  beforeEach(() => onboardBorrower(cloud))

  it('approved: amount, APR, first due date, the cooling-off end; subscribing records the grants on the server', async () => {
    const loan = await borrow(cloud)
    openWith({ loanId: loan.id })
    render(<Decision />)
    const approved = await screen.findByTestId('decision-approved')
    const terms = within(approved).getByTestId('decision-terms')
    expect(terms.textContent).toContain('¥1,000.00')
    expect(within(terms).getByText(apr(loan.aprPercent)).className).toContain('kt-rate')
    expect(within(terms).getByText('0.05%').className).toContain('kt-rate')
    expect(within(terms).getByTestId('first-due').textContent).toContain(civilDate(loan.schedule[0].dueDate))
    const end = within(approved).getByTestId('cooling-off-end').textContent
    expect(end).toContain('24小时内可无理由取消')
    // Disbursed 2026-11-28 10:00 China time: the window closes 24 h later.
    expect(end).toContain('2026-11-29 10:00')

    fireEvent.click(screen.getByLabelText('订阅还款提醒'))
    expect((await screen.findByTestId('subscribe-result')).textContent).toContain('已订阅：可以收到 2 条提醒')
    const user = await cloud.ports.store.get<{ grants: Record<string, number> }>('users', 'o_dev_alice')
    expect(user!.data.grants).toEqual({ tpl_local_due: 1, tpl_local_overdue: 1 })

    fireEvent.click(screen.getByLabelText('查看借款'))
    expect(navigateTo).toHaveBeenCalledWith({ url: `/pages/loan/detail/index?loanId=${loan.id}` })
  })

  it('declining the subscription records nothing and says reminders stay in the message center', async () => {
    const loan = await borrow(cloud)
    pageCloud.subscribeAccepts = false
    openWith({ loanId: loan.id })
    render(<Decision />)
    fireEvent.click(await screen.findByLabelText('订阅还款提醒'))
    expect((await screen.findByTestId('subscribe-result')).textContent).toContain('消息中心')
    expect(sent('grant')).toEqual([])
  })

  it('refused (the post-loan check): each reason with its fix, no inquiry, and a way to help', async () => {
    await openLine(cloud)
    // After the line was opened, a debt elsewhere falls 90 days overdue: the soft post-loan check refuses.
    const p = cloud.ports.world.defaultProfile('o_dev_alice')
    await cloud.ports.world.edit('o_dev_alice', { ...p, bureau: { ...p.bureau, maxOverdueDays: 90 } })
    const r = await applyDirect({})
    expect(r.outcome).toBe('refused')
    openWith({ loanId: r.loan.id })
    render(<Decision />)
    const refused = await screen.findByTestId('decision-refused')
    expect(within(refused).getByText(REASONS.OVERDUE_ELSEWHERE.title)).toBeTruthy()
    expect(refused.textContent).toContain(`怎么办：${REASONS.OVERDUE_ELSEWHERE.fix}`)
    expect(refused.textContent).toContain('本次借款没有查询征信')
    fireEvent.click(screen.getByLabelText('查看帮助：开通失败常见原因'))
    expect(navigateTo).toHaveBeenCalledWith({ url: '/pages/account/help/index' })
    // Why, dimension by dimension and rule by rule, and asking a person to review it.
    fireEvent.click(within(refused).getByLabelText('查看决定原因 / 申请人工复核'))
    expect(navigateTo).toHaveBeenLastCalledWith({ url: '/pages/products/explain/index?product=we2000' })
  })

  it('manual review: says it is not a refusal and what happens next', async () => {
    const r = await applyDirect({
      product: 'weilidai',
      amountFen: 5_000_001,
      termMonths: 10,
      mode: 'equal-installment',
    })
    expect(r.outcome).toBe('manual-review')
    openWith({ loanId: r.loan.id })
    render(<Decision />)
    const review = await screen.findByTestId('decision-review')
    expect(review.textContent).toContain('这不是拒绝')
    expect(review.textContent).toContain('不放款、不计息')
  })

  it('approved but held for face verification again: a way to the face check with the loan; drawdown before it is refused', async () => {
    await openLine(cloud)
    const fresh = cloud.ports.world.defaultProfile('o_dev_alice')
    await cloud.ports.world.edit('o_dev_alice', { ...fresh, device: { newDevice: true, distantLocation: false } })
    const r = await applyDirect({})
    expect(r.loan.state).toBe('approved')
    openWith({ loanId: r.loan.id })
    render(<Decision />)
    expect((await screen.findByTestId('decision-held')).textContent).toContain('放款前请再次完成人脸核身')
    fireEvent.click(screen.getByLabelText('已完成人脸核身，申请放款'))
    expect(await screen.findByText('检测到新设备或异地登录：放款前请再次完成人脸核身。')).toBeTruthy()
    fireEvent.click(within(screen.getByTestId('decision-held')).getByLabelText('去人脸核身'))
    expect(navigateTo).toHaveBeenCalledWith({ url: `/pages/onboarding/face/index?loanId=${r.loan.id}` })
  })
})

describe('借款详情', () => {
  beforeEach(() => onboardBorrower(cloud))

  it('the countdown is the server’s: 23 h after disbursement it reads 01:00:00 while the device clock has not moved', async () => {
    const loan = await borrow(cloud)
    cloud.ports.clock.advance(23 * HOUR_MS)
    openWith({ loanId: loan.id })
    render(<LoanDetail />)
    expect((await screen.findByTestId('cooling-off-left')).textContent).toBe('01:00:00')

    const summary = screen.getByTestId('loan-summary')
    expect(summary.textContent).toContain('WE2000')
    expect(summary.textContent).toContain('已放款')
    expect(summary.textContent).toContain('等额本金')
    expect(summary.textContent).toContain('6期')
    expect(within(summary).getByTestId('loan-amount').textContent).toContain('¥1,000.00')
    expect(within(summary).getByTestId('loan-daily-rate').textContent).toContain('0.05%')
    expect(within(summary).getByText(apr(loan.aprPercent)).className).toContain('kt-rate')
    expect(within(summary).getByText('0.05%').className).toContain('kt-rate')

    const line = loan.schedule[0]
    expect(screen.getByTestId('next-payment').textContent).toContain(civilDate(line.dueDate))
    const rows = within(screen.getByTestId('schedule')).getAllByTestId(/^plan-line-/)
    expect(rows).toHaveLength(loan.schedule.length)
    loan.schedule.forEach((l, i) => {
      for (const v of [l.principalFen, l.interestFen, l.feeFen, l.totalFen])
        expect(rows[i].textContent).toContain(yuan(v))
      expect(within(rows[i]).getByLabelText('未还')).toBeTruthy()
    })
  })

  it('the time left is the server’s window less the time elapsed on the device since the fetch', () => {
    const serverTime = NOW + 23 * HOUR_MS
    const endsAt = NOW + DAY_MS
    expect(remainingMs(endsAt, serverTime, 1_000, 1_000)).toBe(HOUR_MS)
    expect(remainingMs(endsAt, serverTime, 1_000, 1_000 + 10 * MINUTE_MS)).toBe(50 * MINUTE_MS)
    // A device clock set backwards does not lengthen the window.
    expect(remainingMs(endsAt, serverTime, 1_000, 0)).toBe(HOUR_MS)
  })

  it('cancel inside the window: a confirmation, then cancelled with the principal back and nothing charged', async () => {
    const loan = await borrow(cloud)
    cloud.ports.clock.advance(2 * HOUR_MS)
    openWith({ loanId: loan.id })
    render(<LoanDetail />)
    // Inside the window, paying off costs more than cancelling: the page says so.
    expect((await screen.findByTestId('cancel-cheaper')).textContent).toContain('只需退回本金 ¥1,000.00')
    fireEvent.click(await screen.findByLabelText('取消借款'))
    expect(screen.getByTestId('cancel-confirm').textContent).toContain('通过微信支付退回本金，不收利息和任何费用')
    expect(sent('cancel')).toEqual([])
    // Confirmed: the principal is paid back in the payment sheet; the loan closes when the server has WeChat Pay's word.
    fireEvent.click(screen.getByLabelText('确认取消借款'))
    const closed = await screen.findByTestId('loan-closed')
    expect(screen.getByTestId('payment-status').getAttribute('data-state')).toBe('paid')
    expect(sent('get').some((x) => typeof x.data.paymentId === 'string')).toBe(true)
    expect(closed.textContent).toContain('已在冷静期内取消')
    expect(within(closed).getByTestId('paid-total').textContent).toContain('¥1,000.00')
    expect(screen.getByTestId('loan-state').textContent).toBe('已取消')
    expect(screen.queryByTestId('cooling-off')).toBeNull()
    expect(screen.queryByTestId('repay')).toBeNull()
    // A cancelled loan has no plan left to follow.
    expect(screen.queryByTestId('schedule')).toBeNull()
    expect((await getLoan(loan.id)).state).toBe('cancelled')
  })

  it('at exactly 24 h the cancel button is gone and the text says the window closed', async () => {
    const loan = await borrow(cloud)
    cloud.ports.clock.advance(DAY_MS)
    openWith({ loanId: loan.id })
    render(<LoanDetail />)
    const box = await screen.findByTestId('cooling-off')
    expect(box.getAttribute('data-open')).toBe('false')
    expect(box.textContent).toContain('冷静期已结束')
    expect(screen.queryByLabelText('取消借款')).toBeNull()
    expect(screen.getByTestId('repay')).toBeTruthy()
    expect(screen.queryByTestId('cancel-cheaper')).toBeNull()
  })

  it('the server is the judge: a window that closed between the fetch and the tap is refused with COOLING_OFF_EXPIRED', async () => {
    const loan = await borrow(cloud)
    cloud.ports.clock.advance(DAY_MS - MINUTE_MS)
    openWith({ loanId: loan.id })
    render(<LoanDetail />)
    expect((await screen.findByTestId('cooling-off-left')).textContent).toBe('00:01:00')
    fireEvent.click(screen.getByLabelText('取消借款'))
    cloud.ports.clock.advance(MINUTE_MS)
    fireEvent.click(screen.getByLabelText('确认取消借款'))
    expect((await screen.findByTestId('action-error')).textContent).toContain('已超过放款后24小时的冷静期')
    // The loan is read again: the server's time now says the window is closed.
    await waitFor(() => expect(screen.getByTestId('cooling-off').getAttribute('data-open')).toBe('false'))
    expect((await getLoan(loan.id)).state).toBe('disbursed')
  })

  it('全部还清 pays the early-repayment amount to the day and settles the loan: no reminder prompt, the plan kept unmarked for reference', async () => {
    const loan = await borrow(cloud)
    cloud.ports.clock.advance(10 * DAY_MS)
    const before = await getLoan(loan.id)
    openWith({ loanId: loan.id })
    render(<LoanDetail />)
    const payoff = await screen.findByLabelText(`全部还清，${yuan(before.due!.payoffFen)}`)
    expect(payoff.textContent).toContain(yuan(before.due!.payoffFen))
    // Ten days of interest, not the whole month's: ¥1,000 + ¥5.00 (10 × 0.05%) + the ¥10.00 withdrawal fee.
    expect(before.due!.payoffFen).toBe(101_500)
    expect(before.due!.payoffFen).toBeLessThan(loan.amountFen + loan.schedule[0].interestFen + loan.schedule[0].feeFen)
    fireEvent.click(payoff)
    const closed = await screen.findByTestId('loan-closed')
    expect(closed.textContent).toContain('已结清')
    expect(within(closed).getByTestId('paid-total').textContent).toContain(yuan(before.due!.payoffFen))
    // Nothing is left to remind about: asking would spend a subscribe grant for nothing.
    expect(screen.queryByTestId('subscribe-prompt')).toBeNull()
    expect(screen.getByTestId('schedule').textContent).toContain('原还款计划（已结清，仅供对照）')
    expect(within(screen.getByTestId('schedule')).queryByLabelText('已还')).toBeNull()
    expect(sent('repay')[0].data).toEqual({ loanId: loan.id, amountFen: before.due!.payoffFen })
    expect((await getLoan(loan.id)).state).toBe('settled')
  })

  it('还本期 pays the next line and marks it paid in the plan; a lost answer is retried as the same request', async () => {
    const loan = await borrow(cloud, 'alice', { termMonths: 6 })
    cloud.ports.clock.advance(2 * DAY_MS)
    openWith({ loanId: loan.id })
    render(<LoanDetail />)
    const dueNow = await screen.findByLabelText(`还本期，${yuan(loan.schedule[0].totalFen)}`)
    expect(dueNow.textContent).toContain(yuan(loan.schedule[0].totalFen))
    pageCloud.offline = true
    fireEvent.click(dueNow)
    const error = await screen.findByTestId('action-error')
    expect(error.textContent).toContain('网络连接失败')
    pageCloud.offline = false
    fireEvent.click(within(error).getByText('重试'))
    await waitFor(() => expect(screen.getByTestId('loan-state').textContent).toBe('还款中'))
    const repays = sent('repay')
    expect(repays).toHaveLength(2)
    expect(repays[1].requestId).toBe(repays[0].requestId)
    const rows = within(screen.getByTestId('schedule')).getAllByTestId(/^plan-line-/)
    expect(within(rows[0]).getByLabelText('已还').textContent).toBe('✓ 已还')
    expect(within(rows[1]).getByLabelText('未还')).toBeTruthy()
    expect(screen.getByTestId('subscribe-prompt')).toBeTruthy()
  })

  it('其他金额: any amount with a live preview of where it goes; paid through the sheet, the loan then shows what is left', async () => {
    const loan = await borrow(cloud, 'alice', { termMonths: 6 })
    cloud.ports.clock.advance(2 * DAY_MS)
    openWith({ loanId: loan.id })
    render(<LoanDetail />)
    await screen.findByTestId('repay-any')
    await typeInto('其他金额（元）', '0')
    expect((await screen.findByTestId('repay-any-problem')).textContent).toContain('请输入金额')
    await typeInto('其他金额（元）', '123.45')
    // The server's allocation: the fee billed at drawdown first, two days' interest, then principal.
    const preview = await screen.findByTestId('repay-preview')
    expect(preview.textContent).toContain('费用¥10.00')
    expect(preview.textContent).toContain('利息¥1.00')
    expect(preview.textContent).toContain('本金¥112.45')
    expect(screen.queryByTestId('prepay-choice')).toBeNull()
    fireEvent.click(screen.getByLabelText('还款 ¥123.45'))
    await waitFor(() => expect(screen.getByTestId('payment-status').getAttribute('data-state')).toBe('paid'))
    expect(sent('repay').at(-1)!.data).toEqual({ loanId: loan.id, amountFen: 12_345 })
    const after = await getLoan(loan.id)
    expect(after.due!.dueNowFen).toBe(loan.due!.dueNowFen - 12_345)
    await waitFor(() => expect(screen.getByLabelText(`还本期，${yuan(after.due!.dueNowFen)}`)).toBeTruthy())
  })

  it('more than this period: the borrower chooses a shorter plan or smaller installments, and the preview shows the plan after', async () => {
    const loan = await borrow(cloud, 'alice', { termMonths: 6 })
    openWith({ loanId: loan.id })
    render(<LoanDetail />)
    await screen.findByTestId('repay-any')
    await typeInto('其他金额（元）', String((loan.schedule[0].totalFen + 30_000) / 100))
    const choice = await screen.findByTestId('prepay-choice')
    fireEvent.click(within(choice).getByLabelText('多还的本金：每期还款不变，缩短期限'))
    // ¥300 beyond the installment, and what recalculating the period's interest saves of it: the server's own figure.
    const preview = await cloud.call<{ prepaidFen: number }>('loans', 'previewRepayment', {
      loanId: loan.id,
      amountFen: loan.schedule[0].totalFen + 30_000,
      prepay: 'shorten',
    })
    if (!preview.ok) throw new Error(preview.error.code)
    expect(preview.data.prepaidFen).toBeGreaterThan(30_000)
    await waitFor(() =>
      expect(screen.getByTestId('repay-preview-plan').textContent).toContain(
        `提前还本金 ${yuan(preview.data.prepaidFen)}`,
      ),
    )
    fireEvent.click(screen.getByLabelText(`还款 ${yuan(loan.schedule[0].totalFen + 30_000)}`))
    await waitFor(() => expect(screen.getByTestId('payment-status').getAttribute('data-state')).toBe('paid'))
    expect(sent('repay').at(-1)!.data).toMatchObject({ prepay: 'shorten' })
    expect((await getLoan(loan.id)).schedule.length).toBeLessThan(loan.schedule.length)
  })

  it('the payment sheet closed without paying: nothing changed, and the page says so; paid but unconfirmed stays pending', async () => {
    const loan = await borrow(cloud, 'alice', { termMonths: 6 })
    openWith({ loanId: loan.id })
    render(<LoanDetail />)
    pageCloud.paymentOutcome = 'cancel'
    fireEvent.click(await screen.findByLabelText(`还本期，${yuan(loan.schedule[0].totalFen)}`))
    const status = await screen.findByTestId('payment-status')
    await waitFor(() => expect(status.textContent).toContain('已取消付款，借款没有变化'))
    expect(status.getAttribute('data-state')).toBe('pending')
    expect((await getLoan(loan.id)).paid).toEqual(loan.paid)
    pageCloud.paymentOutcome = 'fail'
    fireEvent.click(screen.getByLabelText(`还本期，${yuan(loan.schedule[0].totalFen)}`))
    await waitFor(() => expect(screen.getByTestId('payment-status').getAttribute('data-state')).toBe('failed'))
    expect(screen.getByTestId('payment-status').textContent).toContain('付款未成功，借款没有变化')
    expect((await getLoan(loan.id)).paid).toEqual(loan.paid)
  })

  it('overdue: the overdue charge and how it is computed', async () => {
    const loan = await borrow(cloud)
    cloud.ports.clock.advance(40 * DAY_MS)
    await markOverdue(cloud.ports)
    const now = await getLoan(loan.id)
    expect(now.state).toBe('overdue')
    openWith({ loanId: loan.id })
    render(<LoanDetail />)
    const overdue = await screen.findByTestId('overdue')
    expect(overdue.textContent).toContain(yuan(now.due!.overdueFen))
    expect(overdue.textContent).toContain(yuan(now.due!.dueNowFen))
    expect(overdue.textContent).toContain('逾期费用 = 逾期金额 × 每日 0.05% × 逾期天数')
    expect(screen.getByTestId('loan-state').textContent).toBe('已逾期')
    expect(screen.getByTestId('loan-state').className).toContain('detail-state-overdue')
    // One figure for what is due now: the next-payment card (without the charges) is not shown.
    expect(screen.queryByTestId('next-payment')).toBeNull()
    expect(screen.getByTestId('repay').textContent).not.toContain('提前还款')
  })

  it('a failed load shows the error with a retry; the receipts and the contract are one tap away', async () => {
    const loan = await borrow(cloud)
    openWith({ loanId: loan.id })
    await openOfflineThenRetry(<LoanDetail />)
    fireEvent.click(await screen.findByLabelText('电子凭证'))
    expect(navigateTo).toHaveBeenCalledWith({ url: `/pages/loan/receipts/index?loanId=${loan.id}` })
    fireEvent.click(screen.getByLabelText('借款合同'))
    expect(navigateTo).toHaveBeenLastCalledWith({ url: `/pages/products/contracts/index?loanId=${loan.id}` })
  })
})

describe('电子凭证', () => {
  beforeEach(() => onboardBorrower(cloud))

  it('lists each receipt in order with its kind, amount, breakdown, time and id; 验证 says 有效', async () => {
    const loan = await borrow(cloud)
    cloud.ports.clock.advance(HOUR_MS)
    expect((await cancelAndPay(cloud, loan.id)).ok).toBe(true)
    openWith({ loanId: loan.id })
    render(<Receipts />)
    const items = await screen.findAllByTestId('receipt')
    expect(items.map((el) => el.querySelector('.receipt-kind')!.textContent)).toEqual(['申请', '批准', '放款', '取消'])
    const disburse = items[2]
    expect(disburse.textContent).toContain('本金 ¥1,000.00')
    expect(disburse.textContent).toContain('利息 ¥0.00')
    expect(disburse.textContent).toContain('罚息 ¥0.00')
    expect(disburse.textContent).toContain('时间 2026-11-28 10:00')
    expect(items[3].textContent).toContain('时间 2026-11-28 11:00')
    const id = disburse.getAttribute('data-receipt-id')!
    expect(disburse.textContent).toContain(`凭证编号 ${id}`)
    fireEvent.click(within(disburse).getByLabelText(`验证凭证 ${id}`))
    await waitFor(() => expect(within(disburse).getByTestId('receipt-check').textContent).toContain('有效'))
    expect(sent('verifyReceipt')).toHaveLength(1)
  })

  it('a receipt whose figures were changed after signing verifies as 无效', async () => {
    const loan = await borrow(cloud)
    const receipts = (await cloud.call<ReceiptView[]>('loans', 'receipts', { loanId: loan.id })) as ApiResult<
      ReceiptView[]
    >
    if (!receipts.ok) throw new Error(receipts.error.code)
    const target = receipts.data.find((r) => r.kind === 'disburse')!
    const doc = await cloud.ports.store.get<Record<string, unknown>>('receipts', target.id)
    expect(
      (await cloud.ports.store.update('receipts', target.id, doc!.version, { ...doc!.data, amountFen: 1 })).ok,
    ).toBe(true)
    openWith({ loanId: loan.id })
    render(<Receipts />)
    const item = (await screen.findAllByTestId('receipt')).find(
      (el) => el.getAttribute('data-receipt-id') === target.id,
    )!
    expect(item.textContent).toContain('¥0.01')
    fireEvent.click(within(item).getByLabelText(`验证凭证 ${target.id}`))
    await waitFor(() => expect(within(item).getByTestId('receipt-check').textContent).toContain('无效'))
  })

  it('no receipts: the empty state', async () => {
    openWith({})
    render(<Receipts />)
    expect(await screen.findByText('还没有电子凭证。')).toBeTruthy()
  })
})
