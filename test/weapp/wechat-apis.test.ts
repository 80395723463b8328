/**
 * The WeChat-only calls, from the compiled pages (dist/) in miniprogram-simulate: each stub checks
 * its arguments against WeChat's documented parameters (test/weapp/wx-api.ts) and plays success,
 * failure and the user's cancel, and the page answers each as a borrower would need:
 * wx.openBusinessView (the pay-score page), wx.downloadFile + wx.openDocument (a signed contract's
 * PDF), wx.requestPayment (paying a loan off: the sheet closed, declined, paid),
 * wx.requestFacialVerify (the face page filled in: a cancel, a failed match, a pass) and
 * wx.requestSubscribeMessage (after a drawdown: refused, failing, allowed; npm test builds dist/
 * with the local cloud's reminder templates). wx.cloud.callFunction is checked the same way in
 * every weapp test.
 */
import type { ContractPdf, ContractSummary, LoanView } from '../../src/api'
import { checkDocumented } from './wx-api'
import { REASONS } from '../../src/domain/reasons'
import { makeApplicant } from '../support/factories'
import { authorizePayScore, borrow, onboardBorrower } from '../support/borrower'
import { makeTestCloud, type TestCloud } from '../support/cloud'
import { byLabel, eventually, installHarness, textOf, type Harness } from './harness'

jest.setTimeout(60_000)

let cloud: TestCloud
let h: Harness
/**
 * The PDF itself is rendered (and tested) in the node project: pdfkit's builds cannot load under
 * the simulator's jsdom. Here contracts.pdf answers as the local cloud does — a short-lived path on
 * its gateway — so what is checked is the page and WeChat's two calls.
 */
let pdfAnswer: ContractPdf | null = null
beforeAll(async () => {
  cloud = await makeTestCloud()
  const real = cloud.call.bind(cloud)
  const withPdf = Object.assign(Object.create(cloud) as TestCloud, {
    call: (async (fn, action, data, o) =>
      fn === 'contracts' && action === 'pdf' && pdfAnswer
        ? { ok: true, data: pdfAnswer }
        : real(fn, action, data, o)) as TestCloud['call'],
  })
  h = installHarness(() => withPdf)
  await onboardBorrower(cloud, 'alice')
})
afterAll(() => cloud.close())

const lastUrl = (mock: unknown) =>
  ((mock as jest.Mock).mock.calls.at(-1)?.[0] as { url: string } | undefined)?.url ?? ''
const lastArgs = (fn: unknown) => (fn as jest.Mock).mock.calls.at(-1)?.[0] as Record<string, unknown>

describe('the checker knows what WeChat documents', () => {
  it('refuses a missing, mistyped or unknown parameter, naming it', () => {
    expect(() => checkDocumented('requestSubscribeMessage', { tmplIds: ['t1'], entityIds: [] })).toThrow(
      'entityIds is not a parameter WeChat documents',
    )
    expect(() => checkDocumented('requestFacialVerify', {})).toThrow('verifyId is required')
    expect(() => checkDocumented('openDocument', { filePath: 'a', fileType: 'PDF' })).toThrow('fileType must be one of')
    expect(() =>
      checkDocumented('requestPayment', {
        timeStamp: 1,
        nonceStr: 'n',
        package: 'prepay_id=x',
        signType: 'RSA',
        paySign: 's',
      }),
    ).toThrow('timeStamp is required (string)')
    expect(() => checkDocumented('downloadFile', { url: 'https://x/y.pdf', success: () => undefined })).not.toThrow()
  })
})

describe('wx.openBusinessView: the WeChat Pay score page', () => {
  it('closed without authorizing: the page says so and offers it again; authorized: 达到要求', async () => {
    // Alice has not enabled WeChat Pay score yet (WeChat Pay answers 404 ORDER_NOT_EXIST until she does).
    const world = cloud.ports.world
    const profile = await world.profile('o_dev_alice')
    await world.edit('o_dev_alice', { ...profile, payScore: 0 })
    const { root, page, close } = h.openPage('pages/onboarding/pay-score/index')
    try {
      await eventually(() => expect(textOf(root)).toContain('去授权'))
      h.wechat.businessView = 'cancel'
      byLabel(root, page, '去授权').dispatchEvent('tap')
      await eventually(() => expect(h.wx.openBusinessView).toHaveBeenCalledTimes(1))
      const args = lastArgs(h.wx.openBusinessView)
      expect(args.businessType).toBe('wxpayScoreEnable')
      await eventually(() => expect(textOf(root)).toContain('你取消了授权，微信支付分尚未授权'))
      // She enables it on WeChat Pay's page this time.
      await world.edit('o_dev_alice', profile)
      h.wechat.businessView = 'success'
      byLabel(root, page, '去授权').dispatchEvent('tap')
      await eventually(() => expect(textOf(root)).toContain('达到要求'))
      expect(h.wx.openBusinessView).toHaveBeenCalledTimes(2)
      expect(textOf(root)).not.toContain('你取消了授权')
    } finally {
      close()
      await world.edit('o_dev_alice', profile)
    }
  })
})

describe('wx.downloadFile + wx.openDocument: a signed contract as PDF', () => {
  let contractId: string
  beforeAll(async () => {
    await authorizePayScore(cloud, 'alice')
    const loan: LoanView = await borrow(cloud, 'alice')
    const list = await cloud.call<ContractSummary[]>('contracts', 'list', { loanId: loan.id }, { user: 'alice' })
    if (!list.ok) throw new Error(list.error.code)
    contractId = list.data[0].contractId
    pdfAnswer = {
      contractId,
      url: `/files/contracts/${contractId}/dl_1.pdf?exp=${Date.now() + 600_000}&sig=s`,
      expiresAt: Date.now() + 600_000,
      bytes: 115_000,
      pdfSha256: 'a'.repeat(64),
    }
  })

  it.each([
    ['the download fails', { download: 'fail' as const, openDocument: 'success' as const }, '没有打开'],
    ['the address answers 404', { download: 404 as const, openDocument: 'success' as const }, '没有打开'],
    ['the viewer cannot open it', { download: 200 as const, openDocument: 'fail' as const }, '没有打开'],
    ['downloaded and shown', { download: 200 as const, openDocument: 'success' as const }, '已下载并打开 PDF'],
  ])('%s: the page says which', async (_what, answers, says) => {
    Object.assign(h.wechat, answers)
    const { root, page, close } = h.openPage('pages/products/contract/index', { contractId })
    try {
      await eventually(() => expect(textOf(root)).toContain('下载 PDF'))
      const before = (h.wx.downloadFile as jest.Mock).mock.calls.length
      byLabel(root, page, '下载 PDF').dispatchEvent('tap')
      await eventually(() => expect(textOf(root)).toContain(says))
      expect((h.wx.downloadFile as jest.Mock).mock.calls.length).toBe(before + 1)
      if (answers.download === 200) {
        expect(lastArgs(h.wx.openDocument)).toMatchObject({
          filePath: 'wxfile://tmp/contract.pdf',
          fileType: 'pdf',
          showMenu: true,
        })
      }
    } finally {
      close()
    }
  })
})

describe('wx.requestFacialVerify: 人脸核身 before opening 小鹅花钱', () => {
  /** The face page's form filled as the borrower types it: the name and ID number of the real-name check. */
  async function fillFace(root: any) {
    const inputs = await eventually(() => {
      const found = root.querySelectorAll('.nut-input-native')
      expect(found.length).toBe(2)
      return found
    })
    const applicant = makeApplicant()
    inputs[0].dispatchEvent('input', { detail: { value: applicant.name, cursor: applicant.name.length } })
    inputs[1].dispatchEvent('input', { detail: { value: applicant.idNumber, cursor: applicant.idNumber.length } })
  }

  it('left the camera page, then not recognized, then passed: the page says each and goes on to opening', async () => {
    await authorizePayScore(cloud, 'alice')
    const { root, page, close } = h.openPage('pages/onboarding/face/index', { product: 'xiaoe' })
    try {
      await fillFace(root)
      await eventually(() => expect(textOf(root)).toContain('开始人脸核身'))

      h.wechat.face = 'cancel'
      byLabel(root, page, '开始人脸核身').dispatchEvent('tap')
      await eventually(() => expect(textOf(root)).toContain('重新核身'))
      const first = lastArgs(h.wx.requestFacialVerify)
      expect(typeof first.verifyId).toBe('string')
      expect(textOf(root)).toContain('怎么办')

      h.wechat.face = 'fail'
      byLabel(root, page, '重新核身').dispatchEvent('tap')
      await eventually(() => expect(h.wx.requestFacialVerify).toHaveBeenCalledTimes(2))
      await eventually(() => expect(textOf(root)).toContain(REASONS.IDENTITY_FACE_FAILED.title))
      // Each attempt is its own session: a new verifyId from the server.
      expect(lastArgs(h.wx.requestFacialVerify).verifyId).not.toBe(first.verifyId)

      h.wechat.face = 'pass'
      byLabel(root, page, '重新核身').dispatchEvent('tap')
      await eventually(() => expect(lastUrl(h.wx.redirectTo)).toMatch(/^\/pages\/products\/open\/index\?product=xiaoe/))
      expect(h.wx.requestFacialVerify).toHaveBeenCalledTimes(3)
    } finally {
      close()
      h.wechat.face = 'pass'
    }
  })
})

describe('wx.requestPayment: paying a whole loan off through WeChat Pay’s sheet', () => {
  it('closed, declined, then paid: the loan changes only once the money has moved', async () => {
    await authorizePayScore(cloud, 'alice')
    const loan: LoanView = await borrow(cloud, 'alice')
    const state = async () => {
      const got = await cloud.call<LoanView>('loans', 'get', { loanId: loan.id }, { user: 'alice' })
      if (!got.ok) throw new Error(got.error.code)
      return got.data.state
    }
    const { root, page, close } = h.openPage('pages/loan/detail/index', { loanId: loan.id })
    try {
      await eventually(() => expect(textOf(root)).toContain('全部还清'))
      const before = (h.wx.requestPayment as jest.Mock).mock.calls.length

      h.payment.outcome = 'cancel'
      byLabel(root, page, /^全部还清，/).dispatchEvent('tap')
      await eventually(() => expect(textOf(root)).toContain('已取消付款，借款没有变化；可以重新还款。'))
      expect(await state()).toBe('disbursed')
      // The sheet opened with what the server's order answered, and only what WeChat documents.
      expect(lastArgs(h.wx.requestPayment)).toMatchObject({
        package: expect.stringMatching(/^prepay_id=/),
        signType: 'RSA',
      })

      h.payment.outcome = 'fail'
      byLabel(root, page, /^全部还清，/).dispatchEvent('tap')
      await eventually(() => expect(textOf(root)).toContain('付款未成功，借款没有变化。'))
      expect(await state()).toBe('disbursed')

      h.payment.outcome = 'success'
      byLabel(root, page, /^全部还清，/).dispatchEvent('tap')
      await eventually(() => expect(textOf(root)).toContain('已到账，借款已更新。'))
      expect(await state()).toBe('settled')
      expect((h.wx.requestPayment as jest.Mock).mock.calls.length).toBe(before + 3)
    } finally {
      close()
      h.payment.outcome = 'success'
    }
  })
})

describe('wx.requestSubscribeMessage: reminders asked for after a drawdown', () => {
  it('refused, then failing, then allowed: the page says which, and only an allowed one is recorded', async () => {
    await authorizePayScore(cloud, 'alice')
    const loan: LoanView = await borrow(cloud, 'alice')
    const { root, page, close } = h.openPage('pages/products/decision/index', { loanId: loan.id })
    try {
      await eventually(() => expect(textOf(root)).toContain('借款已批准'))
      if (!textOf(root).includes('需要还款提醒吗？'))
        throw new Error(
          'dist/ was built without reminder templates: build with WX_TEMPLATE_DUE=tpl_local_due WX_TEMPLATE_OVERDUE=tpl_local_overdue (npm test does)',
        )
      const grants = () => h.calls.filter((c) => c.name === 'reminders' && c.action === 'grant').length
      const before = grants()

      h.wechat.subscribe = 'reject'
      byLabel(root, page, '订阅还款提醒').dispatchEvent('tap')
      await eventually(() => expect(textOf(root)).toContain('未订阅。提醒会放在消息中心。'))
      expect(lastArgs(h.wx.requestSubscribeMessage)).toMatchObject({ tmplIds: ['tpl_local_due', 'tpl_local_overdue'] })
      expect(grants()).toBe(before)

      h.wechat.subscribe = 'fail'
      byLabel(root, page, '订阅还款提醒').dispatchEvent('tap')
      await eventually(() => expect(h.wx.requestSubscribeMessage).toHaveBeenCalledTimes(2))
      await eventually(() => expect(textOf(root)).toContain('未订阅。提醒会放在消息中心。'))
      expect(grants()).toBe(before)

      h.wechat.subscribe = 'accept'
      byLabel(root, page, '订阅还款提醒').dispatchEvent('tap')
      await eventually(() => expect(textOf(root)).toContain('已订阅：可以收到 2 条提醒。'))
      expect(grants()).toBe(before + 1)
    } finally {
      close()
      h.wechat.subscribe = 'accept'
    }
  })
})
