/**
 * The onboarding steps after the pre-check — bank card, pay score, face — and the pre-check's
 * continue button, in jsdom through Taro's H5 components, against a real in-process local cloud.
 * WeChat's own pages (pay-score authorization, face) answer as `pageCloud` sets them.
 */
import { makeCard } from '../support/cards'
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react'
import Taro from '@tarojs/taro'
import { ERRORS } from '../../src/api'
import { REASONS } from '../../src/domain/reasons'
import BankCard from '../../src/pages/onboarding/bank-card/index'
import Face from '../../src/pages/onboarding/face/index'
import PayScore from '../../src/pages/onboarding/pay-score/index'
import Precheck from '../../src/pages/onboarding/precheck/index'
import { borrow, CARD_NUMBER, onboardBorrower } from '../support/borrower'
import { ALL_AGREEMENTS, makeTestCloud, type TestCloud } from '../support/cloud'
import { makeApplicant } from '../support/factories'
import { openOfflineThenRetry } from '../support/offline'
import { pageCloud, platformModule } from '../support/mock-platform'
import { typeInto } from '../support/page-input'

jest.mock('../../src/services/platform', () => require('../support/mock-platform').platformModule)

/** The page's query string, as Taro's router hands it to useRouter() (set before rendering). */
function route(params: Record<string, string> = {}) {
  Taro.getCurrentInstance().router = { params, path: '' } as ReturnType<typeof Taro.getCurrentInstance>['router']
}

let cloud: TestCloud
let redirectTo: jest.SpyInstance
beforeEach(async () => {
  cloud = await makeTestCloud()
  pageCloud.cloud = cloud
  pageCloud.reset()
  route()
  redirectTo = jest.spyOn(Taro, 'redirectTo').mockImplementation(async () => ({ errMsg: 'redirectTo:ok' }))
})
afterEach(() => {
  jest.restoreAllMocks()
  cloud.close()
})

const applicant = makeApplicant()
const card = (bin: string, fill = '123456789') => makeCard(bin, fill)
const sentActions = () => pageCloud.sent.map((s) => s.action)

/** Agreements (all, or the ones given) and the real-name check, for `user`. */
async function verified(user = 'alice', accepted = ALL_AGREEMENTS) {
  await cloud.call('onboarding', 'acceptAgreements', { accepted }, { user })
  const r = await cloud.call('onboarding', 'verifyIdentity', applicant, { user })
  if (!r.ok) throw new Error(r.error.code)
}

const enabled = (label: string) => waitFor(() => expect(screen.getByLabelText(label).className).not.toMatch(/disabled/))

async function fillCardForm(over: Partial<Record<'name' | 'idNumber' | 'cardNumber' | 'mobile', string>> = {}) {
  await typeInto('持卡人姓名', over.name ?? applicant.name)
  await typeInto('持卡人身份证号', over.idNumber ?? applicant.idNumber)
  await typeInto('银行卡号', over.cardNumber ?? CARD_NUMBER)
  await typeInto('银行预留手机号', over.mobile ?? applicant.mobile)
}

describe('step bar', () => {
  it('shows the whole journey on each step page, with 人脸核身 only on the face page', async () => {
    await verified()
    const { unmount } = render(<BankCard />)
    const bar = screen.getByTestId('step-bar')
    expect(bar.getAttribute('aria-label')).toBe('开通进度：第4步，共5步，绑定银行卡')
    expect(bar.textContent).toBe('✓协议授权✓实名认证✓预审结果4绑定银行卡5微信支付分')
    await screen.findByLabelText('确认绑定')
    unmount()
    route({ product: 'xiaoe' })
    render(<Face />)
    const faceBar = screen.getByTestId('step-bar')
    expect(faceBar.getAttribute('aria-label')).toBe('开通进度：第6步，共6步，人脸核身')
    expect(faceBar.textContent).toBe('✓协议授权✓实名认证✓预审结果✓绑定银行卡✓微信支付分6人脸核身')
    await screen.findByLabelText('开始人脸核身')
  })
})

describe('bank-card page', () => {
  it('loads the onboarding status first, then shows the form', async () => {
    await verified()
    render(<BankCard />)
    expect(screen.getByTestId('loading')).toBeTruthy()
    expect(await screen.findByLabelText('确认绑定')).toBeTruthy()
    expect(screen.queryByTestId('loading')).toBeNull()
  })

  it('offline: the network error with a retry that works', async () => {
    await verified()
    await openOfflineThenRetry(<BankCard />)
    expect(await screen.findByLabelText('确认绑定')).toBeTruthy()
    expect(screen.queryByText(ERRORS.NETWORK_ERROR)).toBeNull()
  })

  it('names the bank as soon as the first six digits are typed', async () => {
    await verified()
    render(<BankCard />)
    await typeInto('银行卡号', '6225', false)
    expect(await screen.findByText('输入卡号前6位后显示发卡银行')).toBeTruthy()
    await typeInto('银行卡号', '622588', false)
    expect((await screen.findByTestId('card-bank')).textContent).toBe('招商银行 · 借记卡')
    await typeInto('银行卡号', '6228480', false)
    await waitFor(() => expect(screen.getByTestId('card-bank').textContent).toBe('中国农业银行 · 借记卡'))
  })

  it('refuses a credit card on the device: says why, the button stays off, nothing is sent', async () => {
    await verified()
    render(<BankCard />)
    await fillCardForm({ cardNumber: card('622575') })
    const problem = await screen.findByTestId('problem-cardNumber')
    expect(problem.textContent).toContain('这是招商银行的信用卡')
    expect(problem.textContent).toContain('怎么办：请换一张本人名下的借记卡（储蓄卡）。')
    expect(screen.getByLabelText('确认绑定').className).toMatch(/disabled/)
    fireEvent.click(screen.getByLabelText('确认绑定'))
    expect(sentActions()).not.toContain('bindCard')
  })

  it('binds the card and goes on to the pay score', async () => {
    await verified()
    render(<BankCard />)
    await fillCardForm()
    await enabled('确认绑定')
    fireEvent.click(screen.getByLabelText('确认绑定'))
    await waitFor(() => expect(redirectTo).toHaveBeenCalledWith({ url: '/pages/onboarding/pay-score/index' }))
    expect(await cloud.call('onboarding', 'status')).toMatchObject({
      data: { cards: [{ bank: '招商银行', last4: CARD_NUMBER.slice(-4) }] },
    })
    expect(cloud.dump()).not.toContain(CARD_NUMBER)
  })

  it('goes on to the pay score even when WeChat Pay was asked before (the journey’s next step, not the first undone)', async () => {
    await verified()
    await cloud.call('onboarding', 'authorizePayScore', {})
    render(<BankCard />)
    await fillCardForm()
    await enabled('确认绑定')
    fireEvent.click(screen.getByLabelText('确认绑定'))
    await waitFor(() => expect(redirectTo).toHaveBeenCalledWith({ url: '/pages/onboarding/pay-score/index' }))
  })

  it('?next=products: goes there instead', async () => {
    await verified()
    route({ next: 'products' })
    render(<BankCard />)
    await fillCardForm()
    await enabled('确认绑定')
    fireEvent.click(screen.getByLabelText('确认绑定'))
    await waitFor(() => expect(redirectTo).toHaveBeenCalledWith({ url: '/pages/products/index/index' }))
  })

  it('the bank refusing the card shows on the card field with IDENTITY_CARD_FAILED’s fix', async () => {
    await verified()
    render(<BankCard />)
    await fillCardForm({ mobile: '13800000000' })
    await enabled('确认绑定')
    fireEvent.click(screen.getByLabelText('确认绑定'))
    const problem = await screen.findByTestId('problem-cardNumber')
    expect(problem.textContent).toContain(REASONS.IDENTITY_CARD_FAILED.title)
    expect(problem.textContent).toContain(`怎么办：${REASONS.IDENTITY_CARD_FAILED.fix}`)
    expect(redirectTo).not.toHaveBeenCalled()
    // Changing the number clears the server's verdict from the field.
    await typeInto('银行卡号', card('621700'))
    await waitFor(() => expect(screen.queryByTestId('problem-cardNumber')).toBeNull())
  })

  it('a holder who is not the verified person: CARD_HOLDER_MISMATCH on the name, with the fix', async () => {
    await verified()
    render(<BankCard />)
    await fillCardForm({ name: '李四' })
    await enabled('确认绑定')
    fireEvent.click(screen.getByLabelText('确认绑定'))
    const problem = await screen.findByTestId('problem-name')
    expect(problem.textContent).toContain(ERRORS.CARD_HOLDER_MISMATCH)
    expect(problem.textContent).toContain('怎么办：请填写实名认证时使用的姓名和身份证号')
  })

  it('the card service down: the message with a retry that sends the same request again', async () => {
    await verified()
    render(<BankCard />)
    await fillCardForm()
    await enabled('确认绑定')
    pageCloud.offline = true
    fireEvent.click(screen.getByLabelText('确认绑定'))
    const notice = await screen.findByTestId('error-notice')
    expect(notice.textContent).toContain(ERRORS.NETWORK_ERROR)
    pageCloud.offline = false
    fireEvent.click(within(notice).getByText('重试'))
    await waitFor(() => expect(redirectTo).toHaveBeenCalledWith({ url: '/pages/onboarding/pay-score/index' }))
    const binds = pageCloud.sent.filter((s) => s.action === 'bindCard')
    expect(binds).toHaveLength(2)
    expect(binds[1].requestId).toBe(binds[0].requestId)
  })

  it('cards already bound: shown masked (bank + last 4) with a continue button', async () => {
    await onboardBorrower(cloud)
    render(<BankCard />)
    const bound = await screen.findByTestId('bound-cards')
    expect(bound.textContent).toContain(`招商银行　尾号 ${CARD_NUMBER.slice(-4)}`)
    expect(bound.textContent).not.toContain(CARD_NUMBER)
    expect(screen.queryByLabelText('确认绑定')).toBeNull()
    fireEvent.click(screen.getByLabelText('继续'))
    await waitFor(() => expect(redirectTo).toHaveBeenCalledWith({ url: '/pages/onboarding/pay-score/index' }))
  })

  it('without the financial-data consent: explains it and links to the agreements', async () => {
    await verified('alice', ALL_AGREEMENTS.slice(0, 3))
    render(<BankCard />)
    expect((await screen.findByTestId('blocker')).textContent).toContain('单独授权使用金融信息')
    fireEvent.click(screen.getByLabelText('去授权'))
    await waitFor(() => expect(redirectTo).toHaveBeenCalledWith({ url: '/pages/onboarding/agreements/index' }))
  })
})

describe('pay-score page', () => {
  it('loads, then says what is shared; 去授权 asks for a token, opens WeChat Pay, then asks the server: 达到要求', async () => {
    await onboardBorrower(cloud)
    render(<PayScore />)
    expect(screen.getByTestId('loading')).toBeTruthy()
    expect(screen.getByTestId('what-is-shared').textContent).toContain('是否达到本服务的要求')
    fireEvent.click(await screen.findByLabelText('去授权'))
    expect(await screen.findByText('微信支付分达到要求')).toBeTruthy()
    expect(sentActions().filter((a) => a !== 'status')).toEqual(['startPayScore', 'authorizePayScore'])
    fireEvent.click(screen.getByLabelText('继续'))
    await waitFor(() => expect(redirectTo).toHaveBeenCalledWith({ url: '/pages/products/index/index' }))
  })

  it('below the threshold (bob): 未达到, with SCORE_BELOW_THRESHOLD’s reason and fix — and never the score', async () => {
    pageCloud.user = 'bob'
    await onboardBorrower(cloud, 'bob')
    render(<PayScore />)
    fireEvent.click(await screen.findByLabelText('去授权'))
    const state = await screen.findByTestId('pay-score-state')
    // Authorized (AVAILABLE), but the lender's assessment says the score is under 600.
    expect(state.getAttribute('data-state')).toBe('not-met')
    expect(state.textContent).toContain('微信支付分未达到要求')
    expect(state.textContent).toContain(REASONS.SCORE_BELOW_THRESHOLD.title)
    expect(state.textContent).toContain(`怎么办：${REASONS.SCORE_BELOW_THRESHOLD.fix}`)
    expect(document.body.textContent).not.toContain(String(cloud.ports.world.defaultProfile('o_dev_bob').payScore))
  })

  it('pay score not enabled (erin, WeChat Pay’s 404): 尚未授权, and 去授权 stays on offer', async () => {
    pageCloud.user = 'erin'
    await onboardBorrower(cloud, 'erin')
    render(<PayScore />)
    fireEvent.click(await screen.findByLabelText('去授权'))
    const state = await screen.findByTestId('pay-score-state')
    expect(state.getAttribute('data-state')).toBe('none')
    expect(state.textContent).toContain('微信支付分尚未授权')
    await enabled('去授权')
  })

  it('the user cancels WeChat Pay’s page: says so, asks the server nothing, and 去授权 works again', async () => {
    await onboardBorrower(cloud)
    pageCloud.payScoreChoice = 'cancelled'
    render(<PayScore />)
    fireEvent.click(await screen.findByLabelText('去授权'))
    expect(await screen.findByText('你取消了授权，微信支付分尚未授权。')).toBeTruthy()
    expect(sentActions()).not.toContain('authorizePayScore')
    pageCloud.payScoreChoice = 'returned'
    await enabled('去授权')
    fireEvent.click(screen.getByLabelText('去授权'))
    expect(await screen.findByText('微信支付分达到要求')).toBeTruthy()
    expect(screen.queryByTestId('pay-score-cancelled')).toBeNull()
    // Each attempt gets its own token request.
    const starts = pageCloud.sent.filter((s) => s.action === 'startPayScore')
    expect(starts).toHaveLength(2)
    expect(starts[1].requestId).not.toBe(starts[0].requestId)
  })

  it('offline: the network error with a retry that works (loading the status, and authorizing)', async () => {
    await onboardBorrower(cloud)
    await openOfflineThenRetry(<PayScore />)
    fireEvent.click(await screen.findByLabelText('去授权'))
    await screen.findByText('微信支付分达到要求')

    // Already authorized when the page opens; the re-query fails once, then works.
    pageCloud.offline = true
    fireEvent.click(screen.getByLabelText('重新查询'))
    const notice = await screen.findByTestId('error-notice')
    expect(notice.textContent).toContain(ERRORS.NETWORK_ERROR)
    pageCloud.offline = false
    fireEvent.click(within(notice).getByText('重试'))
    await waitFor(() => expect(screen.queryByTestId('error-notice')).toBeNull())
    expect(screen.getByText('微信支付分达到要求')).toBeTruthy()
  })

  it('already authorized: shows the recorded state with 继续 and 重新查询, which asks WeChat Pay again', async () => {
    await onboardBorrower(cloud)
    await cloud.call('onboarding', 'authorizePayScore', {})
    render(<PayScore />)
    expect(await screen.findByText('微信支付分达到要求')).toBeTruthy()
    expect(screen.getByLabelText('继续')).toBeTruthy()
    fireEvent.click(screen.getByLabelText('重新查询'))
    await waitFor(() => expect(sentActions()).toContain('authorizePayScore'))
    expect(sentActions()).not.toContain('startPayScore')
  })

  it('继续 goes to the products, with or without a bound card (reached from the products’ banner)', async () => {
    await verified()
    await cloud.call('onboarding', 'authorizePayScore', {})
    render(<PayScore />)
    fireEvent.click(await screen.findByLabelText('继续'))
    await waitFor(() => expect(redirectTo).toHaveBeenCalledWith({ url: '/pages/products/index/index' }))
  })
})

describe('face page', () => {
  async function startFace() {
    await typeInto('姓名', applicant.name)
    await typeInto('身份证号', applicant.idNumber)
    await enabled('开始人脸核身')
    fireEvent.click(screen.getByLabelText('开始人脸核身'))
  }

  it('loads, then asks for the name and ID', async () => {
    await onboardBorrower(cloud)
    route({ product: 'xiaoe' })
    render(<Face />)
    expect(screen.getByTestId('loading')).toBeTruthy()
    expect(await screen.findByLabelText('开始人脸核身')).toBeTruthy()
    expect(screen.getByText('开通小鹅花钱需要人脸核身，确认是你本人在操作。')).toBeTruthy()
  })

  it('offline: the network error with a retry that works', async () => {
    await onboardBorrower(cloud)
    route({ product: 'xiaoe' })
    await openOfflineThenRetry(<Face />)
    expect(await screen.findByLabelText('开始人脸核身')).toBeTruthy()
  })

  it('fails once (IDENTITY_FACE_FAILED with its fix), passes on 重新核身 with a new verifyId, and goes back to opening the product', async () => {
    await onboardBorrower(cloud)
    route({ product: 'xiaoe' })
    pageCloud.faceOutcome = 'fail'
    render(<Face />)
    await startFace()
    const failure = await screen.findByTestId('face-failure')
    expect(failure.getAttribute('data-code')).toBe('IDENTITY_FACE_FAILED')
    expect(failure.textContent).toContain(REASONS.IDENTITY_FACE_FAILED.title)
    expect(failure.textContent).toContain(`怎么办：${REASONS.IDENTITY_FACE_FAILED.fix}`)
    expect(redirectTo).not.toHaveBeenCalled()

    pageCloud.faceOutcome = 'pass'
    fireEvent.click(within(failure).getByLabelText('重新核身'))
    await waitFor(() => expect(redirectTo).toHaveBeenCalledWith({ url: '/pages/products/open/index?product=xiaoe' }))
    const confirms = pageCloud.sent.filter((s) => s.action === 'confirmFace').map((s) => s.data.verifyId)
    expect(confirms).toHaveLength(2)
    expect(confirms[1]).not.toBe(confirms[0])
    expect(await cloud.call('onboarding', 'status')).toMatchObject({ data: { face: 'passed' } })
  })

  it.each([
    ['cancel', 'FACE_CANCELLED'],
    ['timeout', 'FACE_TIMEOUT'],
  ] as const)(
    '%s: the server still decides (confirmFace is asked) → %s with a fix and 重新核身',
    async (outcome, code) => {
      await onboardBorrower(cloud)
      route({ product: 'xiaoe' })
      pageCloud.faceOutcome = outcome
      render(<Face />)
      await startFace()
      const failure = await screen.findByTestId('face-failure')
      expect(failure.getAttribute('data-code')).toBe(code)
      expect(failure.textContent).toContain(ERRORS[code])
      expect(failure.textContent).toContain('怎么办：')
      expect(within(failure).getByLabelText('重新核身')).toBeTruthy()
      expect(sentActions()).toContain('confirmFace')
    },
  )

  it('the answer lost on the way (offline at confirmFace): 重试 asks about the same verifyId, no new face check', async () => {
    await onboardBorrower(cloud)
    route({ product: 'xiaoe' })
    const runFace = platformModule.platform.runFace
    jest.spyOn(platformModule.platform, 'runFace').mockImplementation(async (id: string) => {
      const outcome = await runFace(id)
      pageCloud.offline = true
      return outcome
    })
    render(<Face />)
    await startFace()
    const notice = await screen.findByTestId('error-notice')
    expect(notice.textContent).toContain(ERRORS.NETWORK_ERROR)
    pageCloud.offline = false
    fireEvent.click(within(notice).getByText('重试'))
    await waitFor(() => expect(redirectTo).toHaveBeenCalledWith({ url: '/pages/products/open/index?product=xiaoe' }))
    expect(sentActions().filter((a) => a === 'startFace')).toHaveLength(1)
    const confirms = pageCloud.sent.filter((s) => s.action === 'confirmFace')
    expect(confirms).toHaveLength(2)
    expect(confirms[1].data.verifyId).toBe(confirms[0].data.verifyId)
  })

  it('a held loan (?loanId=): after the pass the loan is paid out and its page opens', async () => {
    await onboardBorrower(cloud)
    const fresh = cloud.ports.world.defaultProfile('o_dev_alice')
    await cloud.ports.world.edit('o_dev_alice', { ...fresh, device: { newDevice: true, distantLocation: false } })
    const loan = await borrow(cloud)
    expect(loan.state).toBe('approved')
    // The person opens the face page a minute after applying: only a session started after the
    // application releases the hold.
    cloud.ports.clock.advance(60_000)
    route({ loanId: loan.id })
    render(<Face />)
    expect(await screen.findByText('检测到新设备或异地登录：放款前请再次完成人脸核身。')).toBeTruthy()
    await startFace()
    await waitFor(() =>
      expect(redirectTo).toHaveBeenCalledWith({
        url: `/pages/loan/detail/index?loanId=${encodeURIComponent(loan.id)}`,
      }),
    )
    expect(await cloud.call('loans', 'get', { loanId: loan.id })).toMatchObject({ data: { state: 'disbursed' } })
  })

  it('without the biometric consent: explains it, links to the agreements, and never starts a face check', async () => {
    await verified('alice', [ALL_AGREEMENTS[0], ALL_AGREEMENTS[1], ALL_AGREEMENTS[3]])
    route({ product: 'xiaoe' })
    render(<Face />)
    expect((await screen.findByTestId('blocker')).textContent).toContain('生物识别信息单独授权')
    expect(screen.queryByLabelText('开始人脸核身')).toBeNull()
    fireEvent.click(screen.getByLabelText('去授权'))
    await waitFor(() => expect(redirectTo).toHaveBeenCalledWith({ url: '/pages/onboarding/agreements/index' }))
    expect(sentActions()).not.toContain('startFace')
  })

  it('no product and no loan: an empty state that leads to the products', async () => {
    render(<Face />)
    expect(screen.getByTestId('empty').textContent).toContain('没有指定要开通的产品。')
    await act(async () => fireEvent.click(screen.getByLabelText('去选择产品')))
    expect(redirectTo).toHaveBeenCalledWith({ url: '/pages/products/index/index' })
  })
})

describe('pre-check page', () => {
  it('继续开通 goes to the first step not done: the card, then the pay score', async () => {
    await verified()
    const { unmount } = render(<Precheck />)
    expect(await screen.findByText('预审通过：符合 WE2000 的开通条件')).toBeTruthy()
    fireEvent.click(await screen.findByLabelText('继续开通'))
    await waitFor(() => expect(redirectTo).toHaveBeenCalledWith({ url: '/pages/onboarding/bank-card/index' }))
    unmount()
    await cloud.call('onboarding', 'bindCard', {
      cardNumber: CARD_NUMBER,
      mobile: applicant.mobile,
      name: applicant.name,
      idNumber: applicant.idNumber,
    })
    render(<Precheck />)
    fireEvent.click(await screen.findByLabelText('继续开通'))
    await waitFor(() => expect(redirectTo).toHaveBeenLastCalledWith({ url: '/pages/onboarding/pay-score/index' }))
  })
})
