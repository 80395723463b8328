/**
 * The states every page shows around its content — loading, the error with a retry, the way to
 * an earlier step, and resuming from the server's onboarding status — for the pages whose own
 * tests cover only the content: 协议授权, 实名认证, 预审, 审批结果, 电子凭证 and 确认借款. In jsdom
 * through Taro's H5 components, against a real in-process local cloud (the real handlers on
 * SQLite); only the transport is swapped, and `pageCloud.offline` drops the connection.
 */
import { configure, fireEvent, render, screen, waitFor, within } from '@testing-library/react'
import Taro from '@tarojs/taro'
import { ERRORS } from '../../src/api'
import Agreements from '../../src/pages/onboarding/agreements/index'
import Precheck from '../../src/pages/onboarding/precheck/index'
import RealName from '../../src/pages/onboarding/real-name/index'
import Confirm from '../../src/pages/products/confirm/index'
import Decision from '../../src/pages/products/decision/index'
import Receipts from '../../src/pages/loan/receipts/index'
import { borrow, onboardBorrower, openLine } from '../support/borrower'
import { ALL_AGREEMENTS, makeTestCloud, type TestCloud } from '../support/cloud'
import { makeApplicant } from '../support/factories'
import { openOfflineThenRetry } from '../support/offline'
import { pageCloud } from '../support/mock-platform'
import { typeInto } from '../support/page-input'

jest.mock('../../src/services/platform', () => require('../support/mock-platform').platformModule)

// Taro's H5 components are slow to re-render in jsdom on a shared machine: wait past the 1 s default.
configure({ asyncUtilTimeout: 5_000 })
jest.setTimeout(30_000)

let cloud: TestCloud
let redirectTo: jest.SpyInstance
beforeEach(async () => {
  cloud = await makeTestCloud()
  pageCloud.cloud = cloud
  pageCloud.reset()
  openWith({})
  jest.spyOn(Taro, 'navigateTo').mockImplementation(async () => ({ errMsg: 'navigateTo:ok' }))
  redirectTo = jest.spyOn(Taro, 'redirectTo').mockImplementation(async () => ({ errMsg: 'redirectTo:ok' }))
})
afterEach(() => {
  jest.restoreAllMocks()
  cloud.close()
})

/** The query the page is opened with, as Taro's router hands it to useRouter (set before rendering). */
function openWith(params: Record<string, string | number>) {
  const router = { params: Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)])), path: '' }
  ;(Taro.getCurrentInstance() as { router: unknown }).router = router
}

const REQUIRED = ALL_AGREEMENTS.filter((a) => a.kind === 'userAgreement' || a.kind === 'privacyPolicy')
const applicant = makeApplicant()
const sent = (action: string) => pageCloud.sent.filter((s) => s.action === action)
const retryIn = (notice: HTMLElement) => within(notice).getByLabelText('重试')
const ticked = (label: string) => screen.getByLabelText(label).getAttribute('aria-checked')

async function accept(accepted = ALL_AGREEMENTS) {
  const r = await cloud.call('onboarding', 'acceptAgreements', { accepted })
  if (!r.ok) throw new Error(r.error.code)
}

async function verify() {
  const r = await cloud.call('onboarding', 'verifyIdentity', applicant)
  if (!r.ok) throw new Error(r.error.code)
}

describe('协议授权', () => {
  it('while the status loads: a loading state, no boxes to tick and continuing off; then what was accepted is ticked', async () => {
    await accept(REQUIRED)
    render(<Agreements />)
    expect(screen.getByTestId('loading').textContent).toContain('正在读取已同意的协议')
    expect(screen.queryByLabelText('《用户协议》')).toBeNull()
    expect(screen.getByLabelText('同意并继续').className).toMatch(/disabled/)
    await waitFor(() => expect(ticked('《用户协议》')).toBe('true'))
    expect(screen.queryByTestId('loading')).toBeNull()
    expect(ticked('《隐私政策》')).toBe('true')
    expect(screen.getByLabelText('同意并继续').className).not.toMatch(/disabled/)
  })

  it('the status failing to load: the error with a retry, which ticks what was accepted', async () => {
    await accept(REQUIRED)
    pageCloud.offline = true
    render(<Agreements />)
    const notice = await screen.findByTestId('error-notice')
    expect(notice.textContent).toContain(ERRORS.NETWORK_ERROR)
    expect(ticked('《用户协议》')).toBe('false')
    pageCloud.offline = false
    fireEvent.click(retryIn(notice))
    await waitFor(() => expect(ticked('《用户协议》')).toBe('true'))
    expect(screen.queryByTestId('error-notice')).toBeNull()
  })

  it('an acceptance of an older version shows unticked; the current one stays ticked', async () => {
    await accept(REQUIRED)
    const user = await cloud.ports.store.get<{ agreements: Record<string, { version: string }> }>(
      'users',
      'o_dev_alice',
    )
    const agreements = {
      ...user!.data.agreements,
      userAgreement: { ...user!.data.agreements.userAgreement, version: '2025-01-01' },
    }
    expect(
      (await cloud.ports.store.update('users', 'o_dev_alice', user!.version, { ...user!.data, agreements })).ok,
    ).toBe(true)
    render(<Agreements />)
    await waitFor(() => expect(ticked('《隐私政策》')).toBe('true'))
    expect(ticked('《用户协议》')).toBe('false')
    expect(screen.getByLabelText('同意并继续').className).toMatch(/disabled/)
  })
})

describe('实名认证', () => {
  it('loads the onboarding status first, then shows the form', async () => {
    await accept(REQUIRED)
    render(<RealName />)
    expect(screen.getByTestId('loading')).toBeTruthy()
    expect(screen.queryByLabelText('提交实名认证')).toBeNull()
    expect(await screen.findByLabelText('提交实名认证')).toBeTruthy()
    expect(screen.queryByTestId('loading')).toBeNull()
  })

  it('the status failing to load: the error with a retry that brings the form', async () => {
    await accept(REQUIRED)
    await openOfflineThenRetry(<RealName />)
    expect(await screen.findByLabelText('提交实名认证')).toBeTruthy()
    expect(screen.queryByTestId('error-notice')).toBeNull()
  })

  it('already verified: the masked identity, no form, and 继续 goes where the server says', async () => {
    await accept(REQUIRED)
    await verify()
    render(<RealName />)
    const verified = await screen.findByTestId('identity-verified')
    expect(verified.textContent).toContain('已完成实名认证')
    expect(verified.textContent).toContain('*三')
    expect(verified.textContent).toContain(`${applicant.idNumber[0]}${'*'.repeat(16)}${applicant.idNumber[17]}`)
    expect(verified.textContent).toContain('138****5678')
    expect(verified.textContent).not.toContain(applicant.idNumber)
    expect(screen.queryByLabelText('提交实名认证')).toBeNull()
    fireEvent.click(within(verified).getByLabelText('继续'))
    await waitFor(() => expect(redirectTo).toHaveBeenCalledWith({ url: '/pages/onboarding/precheck/index' }))
    expect(sent('verifyIdentity')).toEqual([])
  })

  it('the agreements not accepted: the way to them instead of the form', async () => {
    render(<RealName />)
    const blocker = await screen.findByTestId('blocker')
    expect(blocker.textContent).toContain('请先完成协议授权，再进行实名认证。')
    expect(screen.queryByLabelText('提交实名认证')).toBeNull()
    fireEvent.click(within(blocker).getByLabelText('去完成前面的步骤'))
    await waitFor(() => expect(redirectTo).toHaveBeenCalledWith({ url: '/pages/onboarding/agreements/index' }))
  })

  it('the identity service down: the message with a retry that sends the same request once it is back', async () => {
    await accept(REQUIRED)
    render(<RealName />)
    // The identity simulator answers UNAVAILABLE for a name containing 维护.
    await typeInto('姓名', '张维护')
    await typeInto('身份证号', applicant.idNumber)
    await typeInto('手机号', applicant.mobile)
    const submit = screen.getByLabelText('提交实名认证')
    await waitFor(() => expect(submit.className).not.toMatch(/disabled/))
    fireEvent.click(submit)
    const notice = await screen.findByTestId('error-notice')
    expect(notice.textContent).toContain(ERRORS.IDENTITY_SERVICE_UNAVAILABLE)
    expect(redirectTo).not.toHaveBeenCalled()

    // The provider is back.
    jest.spyOn(cloud.ports.identity, 'verify').mockResolvedValue({ result: 'MATCH' })
    fireEvent.click(retryIn(notice))
    await waitFor(() => expect(redirectTo).toHaveBeenCalledWith({ url: '/pages/onboarding/precheck/index' }))
    const calls = sent('verifyIdentity')
    expect(calls).toHaveLength(2)
    expect(calls[1].requestId).toBe(calls[0].requestId)
    expect(await cloud.call('onboarding', 'status')).toMatchObject({ data: { identity: { name: '**护' } } })
  })
})

describe('预审', () => {
  it('shows the pre-check running, then the verdict', async () => {
    await accept()
    await verify()
    render(<Precheck />)
    expect(screen.getByText('正在预审…')).toBeTruthy()
    expect(await screen.findByTestId('verdict')).toBeTruthy()
    expect(screen.queryByText('正在预审…')).toBeNull()
  })

  it('offline: the error with a retry that runs the pre-check', async () => {
    await accept()
    await verify()
    pageCloud.offline = true
    render(<Precheck />)
    const notice = await screen.findByTestId('error-notice')
    expect(notice.textContent).toContain(ERRORS.NETWORK_ERROR)
    expect(screen.queryByTestId('verdict')).toBeNull()
    pageCloud.offline = false
    fireEvent.click(retryIn(notice))
    expect(await screen.findByText('预审通过：符合 WE2000 的开通条件')).toBeTruthy()
    // One retry brought back the status too: no second notice, and the way on is there.
    await waitFor(() => expect(screen.queryByTestId('error-notice')).toBeNull())
    expect(await screen.findByLabelText('继续开通')).toBeTruthy()
  })

  it('without the financial-data consent: CONSENT_REQUIRED, and 去授权 instead of a retry', async () => {
    await accept(REQUIRED)
    await verify()
    render(<Precheck />)
    const notice = await screen.findByTestId('error-notice')
    expect(notice.textContent).toContain(ERRORS.CONSENT_REQUIRED)
    expect(within(notice).queryByLabelText('重试')).toBeNull()
    fireEvent.click(within(notice).getByLabelText('去授权'))
    await waitFor(() => expect(redirectTo).toHaveBeenCalledWith({ url: '/pages/onboarding/agreements/index' }))
  })
})

describe('审批结果', () => {
  beforeEach(() => onboardBorrower(cloud))

  it('shows loading, then the decision', async () => {
    const loan = await borrow(cloud)
    openWith({ loanId: loan.id })
    render(<Decision />)
    expect(screen.getByTestId('loading').textContent).toBe('正在查询审批结果…')
    expect(await screen.findByTestId('decision-approved')).toBeTruthy()
    expect(screen.queryByTestId('loading')).toBeNull()
  })

  it('a failed load shows the error with a retry that loads the decision', async () => {
    const loan = await borrow(cloud)
    pageCloud.offline = true
    openWith({ loanId: loan.id })
    render(<Decision />)
    const notice = await screen.findByTestId('error-notice')
    expect(notice.textContent).toContain(ERRORS.NETWORK_ERROR)
    pageCloud.offline = false
    fireEvent.click(retryIn(notice))
    expect(await screen.findByTestId('decision-approved')).toBeTruthy()
    expect(screen.queryByTestId('error-notice')).toBeNull()
  })

  it('an unknown loanId: the server’s not-found, and no decision', async () => {
    openWith({ loanId: 'no-such-loan' })
    render(<Decision />)
    const notice = await screen.findByTestId('error-notice')
    expect(notice.textContent).toContain(ERRORS.NOT_FOUND)
    // Retrying cannot find it: no retry is offered.
    expect(notice.querySelector('[aria-label="重试"]')).toBeNull()
    expect(sent('get')).toHaveLength(1)
    expect(screen.queryByTestId('decision-terms')).toBeNull()
  })

  it('a link without a loanId says so and asks the server nothing', async () => {
    render(<Decision />)
    expect((await screen.findByTestId('error-notice')).textContent).toContain('没有找到这笔申请。')
    expect(sent('get')).toEqual([])
  })
})

describe('电子凭证', () => {
  beforeEach(() => onboardBorrower(cloud))

  it('a failed load shows the error with a retry that lists the receipts', async () => {
    const loan = await borrow(cloud)
    pageCloud.offline = true
    openWith({ loanId: loan.id })
    render(<Receipts />)
    const notice = await screen.findByTestId('error-notice')
    expect(notice.textContent).toContain(ERRORS.NETWORK_ERROR)
    pageCloud.offline = false
    fireEvent.click(retryIn(notice))
    expect(await screen.findAllByTestId('receipt')).toHaveLength(3)
    expect(screen.queryByTestId('error-notice')).toBeNull()
  })
})

describe('确认借款', () => {
  beforeEach(() => onboardBorrower(cloud))

  it('the pre-check and the line failing to load: the error with a retry that brings the preview', async () => {
    await openLine(cloud)
    pageCloud.offline = true
    openWith({ product: 'we2000', amountFen: 100_000, termMonths: 6, mode: 'equal-principal', purpose: 'consumption' })
    render(<Confirm />)
    const notice = await screen.findByTestId('error-notice')
    expect(notice.textContent).toContain(ERRORS.NETWORK_ERROR)
    expect(screen.queryByTestId('summary')).toBeNull()
    expect(screen.queryByTestId('loading')).toBeNull()
    expect(screen.getByLabelText('确认借款').className).toMatch(/disabled/)
    pageCloud.offline = false
    fireEvent.click(retryIn(notice))
    expect(await screen.findByTestId('summary')).toBeTruthy()
    expect(screen.queryByTestId('error-notice')).toBeNull()
  })

  it('the line’s catalog failing to load (the preview is priced by it): the error with a retry, never a blank page', async () => {
    await openLine(cloud)
    pageCloud.down.add('credit.catalog')
    openWith({ product: 'we2000', amountFen: 100_000, termMonths: 6, mode: 'equal-principal', purpose: 'consumption' })
    render(<Confirm />)
    const notice = await screen.findByTestId('error-notice')
    expect(notice.textContent).toContain(ERRORS.NETWORK_ERROR)
    expect(screen.queryByTestId('summary')).toBeNull()
    pageCloud.down.clear()
    fireEvent.click(retryIn(notice))
    expect(await screen.findByTestId('summary')).toBeTruthy()
    expect(screen.queryByTestId('error-notice')).toBeNull()
  })
})
