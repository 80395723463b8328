/**
 * The main interaction of sixteen compiled pages (dist/), in WeChat's component simulator against
 * an in-process local cloud, done as a borrower does it: the tap (or the typing) each page is for,
 * and what the borrower then sees — the page's own words, the page it opens (through the stubbed
 * wx.navigateTo / redirectTo), or what the server now holds. Each interaction's setData calls and
 * bytes are measured (goal: ≤ 5 calls an interaction and ≤ 16 KB a call; WeChat's audit: ≤ 256 KB) and written
 * to artifacts/weapp-interactions.json. A page with nothing to tap (其他平台参考, 帮助, 关于) is
 * reached as a borrower reaches it, from 我的, and its opening is its interaction.
 */
import fs from 'node:fs'
import path from 'node:path'
import type {
  ConsentView,
  ContractSummary,
  Explanation,
  InboxMessage,
  LineView,
  LoanView,
  OffersResult,
  OnboardingStatus,
  ReceiptView,
} from '../../src/api'
import { DEFAULT_CATALOG, PRODUCT_IDS } from '../../src/domain/catalog'
import { yuan, yuanShort } from '../../src/ui/format'
import { runReminders } from '../../server/app/reminders'
import { authorizePayScore, borrow, onboardBorrower } from '../support/borrower'
import { makeCard } from '../support/cards'
import { makeTestCloud, type TestCloud } from '../support/cloud'
import { makeApplicant, makeIdNumber } from '../support/factories'
import { DIST, byLabel, eventually, installHarness, textOf, type Harness, type InteractionCost } from './harness'

jest.setTimeout(60_000)

let cloud: TestCloud
let h: Harness
let loan: LoanView
let applicant: ReturnType<typeof makeApplicant>
/**
 * Whose phone the pages run on. The harness signs in alice; 决定原因 needs a borrower WE2000
 * refused (dave, who pays too rarely with WeChat Pay), so his page's calls are made as dave.
 */
let actingAs = 'alice'

/** Where 长辈模式 is kept on the device (src/hooks/use-elder-mode.ts: not importable here, it pulls in Taro). */
const ELDER_KEY = 'kaitong.elderMode'

beforeAll(async () => {
  cloud = await makeTestCloud()
  const real = cloud.call.bind(cloud)
  const asActing = Object.assign(Object.create(cloud) as TestCloud, {
    call: ((fn, action, data, o) => real(fn, action, data, { ...o, user: actingAs })) as TestCloud['call'],
  })
  h = installHarness(() => asActing)
  applicant = await onboardBorrower(cloud, 'alice')
  await authorizePayScore(cloud, 'alice')
  loan = await borrow(cloud, 'alice')
  await onboardBorrower(cloud, 'dave', makeApplicant({ idNumber: makeIdNumber({ seq: '502' }) }))
})

/** Each interaction's setData cost, in the order the file ran them. */
const figures: Array<{ route: string; interaction: string } & InteractionCost> = []
afterAll(() => {
  cloud.close()
  const out = path.join(DIST, '..', 'artifacts', 'weapp-interactions.json')
  fs.mkdirSync(path.dirname(out), { recursive: true })
  fs.writeFileSync(out, JSON.stringify(figures, null, 1))
})

/**
 * One interaction, measured until `until` holds (what the borrower is waiting for is on screen, or
 * the navigation made): its setData calls within the goal and each call within WeChat's limit.
 */
async function interact(route: string, interaction: string, act: () => unknown, until?: () => boolean) {
  const cost = await h.measure(act, until)
  figures.push({ route, interaction, ...cost })
  // The goal (WeChat's own audit limit is 256 KB a call): ≤ 16 KB a call.
  expect({ interaction, bytes: Math.min(cost.maxBytes, 16 * 1024) }).toEqual({ interaction, bytes: cost.maxBytes })
  expect({ interaction, calls: Math.min(cost.calls, 5) }).toEqual({ interaction, calls: cost.calls })
  return cost
}

/** Opens a page and waits until it shows `words` (what it is for, from the cloud's answers). */
async function open(route: string, words: string[], query: Record<string, string> = {}) {
  const opened = h.openPage(route, query)
  await eventually(() => {
    const text = textOf(opened.root)
    for (const w of words) expect(text).toContain(w)
  }, 10_000)
  // Settled: what was asked of the cloud on opening has arrived and been rendered.
  await h.measure(() => undefined)
  return opened
}

/** The texts of the elements with this class (the simulator's DOM prefixes page classes with `main--`). */
const texts = (node: any, className: string): string[] =>
  Array.from((node.dom as HTMLElement).querySelectorAll(`.main--${className}`), (el) => el.textContent ?? '')
const NAVIGATIONS = ['navigateTo', 'redirectTo', 'reLaunch', 'switchTab', 'navigateBack'] as const
/**
 * The navigations made from now on, each as `navigateTo /pages/…` (through the stubbed wx calls):
 * what a tap opened, and nothing else.
 */
function navigations() {
  const calls = (name: string) => (h.wx[name] as jest.Mock).mock.calls
  const from = Object.fromEntries(NAVIGATIONS.map((n) => [n, calls(n).length]))
  const made = () =>
    NAVIGATIONS.flatMap((n) =>
      calls(n)
        .slice(from[n])
        .map((c) => `${n} ${(c[0] as { url?: string }).url ?? ''}`),
    )
  return { made, any: () => made().length > 0 }
}
const enabled = (root: any, page: any, label: string) => () => {
  try {
    return !/disabled/.test(byLabel(root, page, label).dom.className)
  } catch {
    return false
  }
}

async function server<T>(fn: Parameters<TestCloud['call']>[0], action: string, data = {}, user = 'alice') {
  const r = await cloud.call<T>(fn, action, data, { user })
  if (!r.ok) throw new Error(`${fn}.${action}: ${r.error.code}`)
  return r.data
}

/** One tap on an opened page that makes exactly the navigations `made` (e.g. `navigateTo /pages/…`), and nothing else; the page closed after. */
async function tapGoes(
  opened: Awaited<ReturnType<typeof open>>,
  route: string,
  interaction: string,
  label: string | RegExp,
  made: string[],
) {
  const nav = navigations()
  await interact(route, interaction, () => byLabel(opened.root, opened.page, label).dispatchEvent('tap'), nav.any)
  expect(nav.made()).toEqual(made)
  opened.close()
}

/**
 * A page with nothing to tap, reached as a borrower reaches it: its row on 我的 tapped (that one
 * navigation, and no other), then its opening measured as its interaction, until `ready` shows.
 */
async function readFromMe(rowLabel: string, route: string, ready: string) {
  const me = await open('pages/me/index', ['已实名'])
  await tapGoes(me, 'pages/me/index', `tap ${rowLabel.split('：')[0]}`, rowLabel, [`navigateTo /${route}`])
  let opened!: ReturnType<Harness['openPage']>
  await interact(
    route,
    'open (nothing to tap: reading)',
    () => {
      opened = h.openPage(route)
    },
    () => textOf(opened.root).includes(ready),
  )
  return opened
}

describe('the tab pages', () => {
  it('我的借款: tapping the loan card opens that loan’s detail', async () => {
    const route = 'pages/loans/index'
    const opened = await open(route, ['WE2000', yuan(loan.amountFen)])
    await tapGoes(opened, route, 'tap the loan card', `查看借款 WE2000 ${yuan(loan.amountFen)}`, [
      `navigateTo /pages/loan/detail/index?loanId=${loan.id}`,
    ])
  })

  it('我的: tapping 消息中心 opens the message center', async () => {
    const route = 'pages/me/index'
    const opened = await open(route, ['已实名', '消息中心'])
    await tapGoes(opened, route, 'tap 消息中心', '消息中心', ['navigateTo /pages/account/messages/index'])
  })
})

describe('onboarding', () => {
  it('预审: 继续开通 goes on to choosing a product (card bound, pay score asked), replacing the step', async () => {
    const route = 'pages/onboarding/precheck/index'
    const opened = await open(route, ['预审通过', '继续开通'])
    await tapGoes(opened, route, 'tap 继续开通', '继续开通', ['redirectTo /pages/products/index/index'])
  })

  it('绑定银行卡: 添加另一张银行卡, the form typed, 确认绑定 binds it on the server and goes on', async () => {
    const route = 'pages/onboarding/bank-card/index'
    const { root, page, close } = await open(route, ['已绑定的银行卡', '尾号'])
    const before = (await server<OnboardingStatus>('onboarding', 'status')).cards.length
    await interact(
      route,
      'tap 添加另一张银行卡',
      () => byLabel(root, page, '添加另一张银行卡').dispatchEvent('tap'),
      () => root.querySelectorAll('.nut-input-native').length === 4,
    )
    const card = makeCard('622588', '987654321')
    const inputs = root.querySelectorAll('.nut-input-native')
    const values = [applicant.name, applicant.idNumber, card, applicant.mobile]
    for (const [i, value] of values.entries()) {
      await interact(route, 'type a field (whole value)', () =>
        inputs[i].dispatchEvent('input', { detail: { value, cursor: value.length } }),
      )
    }
    // The bank is shown from the number as it is typed: a debit card.
    expect(texts(root, 'kt-ok').filter((t) => t.endsWith(' · 借记卡'))).toHaveLength(1)
    await eventually(() => expect(enabled(root, page, '确认绑定')()).toBe(true))
    const nav = navigations()
    await interact(route, 'tap 确认绑定', () => byLabel(root, page, '确认绑定').dispatchEvent('tap'), nav.any)
    // On to the step after the card (the pay score), replacing this one.
    expect(nav.made()).toEqual(['redirectTo /pages/onboarding/pay-score/index'])
    const cards = (await server<OnboardingStatus>('onboarding', 'status')).cards
    expect(cards).toHaveLength(before + 1)
    expect(cards.map((c) => c.last4)).toContain(card.slice(-4))
    close()
  })
})

describe('products and borrowing', () => {
  it('产品对比: the ¥5,000 chip prices every product at it (within each limit) in the cost row', async () => {
    const route = 'pages/products/compare/index'
    const { root, page, close } = await open(route, ['产品对比', '开通方式', '所选方案的总成本'])
    const offers = await server<OffersResult>('credit', 'offers')
    const line = await server<LineView>('lines', 'get', { product: 'we2000' })
    const costRow = () => texts(root, 'cmp-cell').filter((t) => t.startsWith('借 '))
    expect(costRow().map((t) => t.split(' · ')[0])).toEqual(PRODUCT_IDS.map(() => `借 ${yuanShort(100_000)}`))
    await interact(
      route,
      'tap 借款金额 ¥5,000',
      () => byLabel(root, page, `借款金额 ${yuanShort(500_000)}`).dispatchEvent('tap'),
      () => !costRow()[0]?.startsWith(`借 ${yuanShort(100_000)}`),
    )
    // Each product at ¥5,000, or at what it lends up to: WE2000 its opened line's limit.
    const expected = PRODUCT_IDS.map((id) => {
      const d = offers.products.find((p) => p.decision.product === id)!.decision
      const spec = DEFAULT_CATALOG.products[id]
      const ceiling =
        id === 'we2000' ? line.limitFen : d.eligible ? Math.min(d.limitFen, spec.limitFen.max) : spec.limitFen.max
      return `借 ${yuanShort(Math.max(spec.limitFen.min, Math.min(500_000, ceiling)))}`
    })
    expect(costRow().map((t) => t.split(' · ')[0])).toEqual(expected)
    close()
  })

  it('确认借款: 确认借款 shows the 借款合同; 同意并签署 makes the loan and goes to its decision', async () => {
    const route = 'pages/products/confirm/index'
    const query = {
      product: 'we2000',
      amountFen: '50000',
      termMonths: '6',
      mode: 'equal-principal',
      purpose: 'consumption',
    }
    const { root, page, close } = await open(route, ['确认借款', yuan(50_000)], query)
    await eventually(() => expect(enabled(root, page, '确认借款')()).toBe(true))
    const before = (await server<LoanView[]>('loans', 'list')).map((l) => l.id)
    await interact(
      route,
      'tap 确认借款',
      () => byLabel(root, page, '确认借款').dispatchEvent('tap'),
      enabled(root, page, '同意并签署'),
    )
    expect(textOf(root)).toContain('借款合同')
    expect(textOf(root)).toContain('合同校验值')
    // Reading is not borrowing.
    expect((await server<LoanView[]>('loans', 'list')).map((l) => l.id)).toEqual(before)
    const nav = navigations()
    await interact(route, 'tap 同意并签署', () => byLabel(root, page, '同意并签署').dispatchEvent('tap'), nav.any)
    const made = (await server<LoanView[]>('loans', 'list')).filter((l) => !before.includes(l.id))
    expect(made).toHaveLength(1)
    expect(made[0]).toMatchObject({ amountFen: 50_000, product: 'we2000', state: 'disbursed' })
    expect(nav.made()).toEqual([`redirectTo /pages/products/decision/index?loanId=${made[0].id}`])
    close()
  })

  it('审批结果: 查看借款 opens the approved loan', async () => {
    const route = 'pages/products/decision/index'
    const opened = await open(route, ['借款已批准', yuan(loan.amountFen)], { loanId: loan.id })
    await tapGoes(opened, route, 'tap 查看借款', '查看借款', [`navigateTo /pages/loan/detail/index?loanId=${loan.id}`])
  })

  it('决定原因 (dave, refused): 申请人工复核 with a note shows the case waiting, and the server holds it', async () => {
    const route = 'pages/products/explain/index'
    actingAs = 'dave'
    try {
      const { root, page, close } = await open(route, ['WE2000 决定原因', '未通过自动审批', '申请人工复核'], {
        product: 'we2000',
      })
      const note = '我每月的支付多用银行卡'
      await interact(
        route,
        'type the note',
        () =>
          root.querySelector('.explain-note').dispatchEvent('input', { detail: { value: note, cursor: note.length } }),
        () => texts(root, 'kt-muted').includes(`${note.length}/200`),
      )
      await interact(
        route,
        'tap 申请人工复核',
        () => byLabel(root, page, '申请人工复核').dispatchEvent('tap'),
        () => textOf(root).includes('等待人工复核'),
      )
      expect(textOf(root)).toContain('预计最晚处理时间')
      expect(textOf(root)).toContain(note)
      const onServer = await server<Explanation>('credit', 'explain', { product: 'we2000' }, 'dave')
      expect(onServer.review).toMatchObject({ state: 'waiting', note })
      close()
    } finally {
      actingAs = 'alice'
    }
  })

  it('我的合同: tapping the newest contract opens it', async () => {
    const route = 'pages/products/contracts/index'
    const opened = await open(route, ['借款合同', '授信合同'], { product: 'we2000' })
    const newest = (await server<ContractSummary[]>('contracts', 'list')).sort((a, b) => b.signedAt - a.signedAt)[0]
    await tapGoes(opened, route, 'tap the newest contract', new RegExp(`^查看合同 ${newest.title} `), [
      `navigateTo /pages/products/contract/index?contractId=${newest.contractId}`,
    ])
  })

  it('电子凭证: 验证 has the server check the 放款 receipt’s signature, and says it is valid', async () => {
    const route = 'pages/loan/receipts/index'
    const { root, page, close } = await open(route, ['电子凭证', '放款', yuan(loan.amountFen)], { loanId: loan.id })
    const receipts = await server<ReceiptView[]>('loans', 'receipts', { loanId: loan.id })
    const disbursed = receipts.find((r) => r.kind === 'disburse')!
    await interact(
      route,
      'tap 验证',
      () => byLabel(root, page, `验证凭证 ${disbursed.id}`).dispatchEvent('tap'),
      () => textOf(root).includes('有效：签名与内容一致'),
    )
    // The server checked it (the page cannot: the key is the server's), and only that receipt says so.
    expect(h.calls).toContainEqual({ name: 'loans', action: 'verifyReceipt' })
    expect(texts(root, 'kt-ok')).toEqual(['有效：签名与内容一致'])
    close()
  })
})

describe('the account pages', () => {
  it('消息中心: opening an unread reminder marks it read on the server and opens its loan', async () => {
    // 25 Dec (D-3 of the first due date), no subscription: the reminders land in the message center.
    cloud.ports.clock.advance(27 * 24 * 3600 * 1000)
    const report = await runReminders(cloud.ports, { outOfTime: () => false })
    expect(report.inbox).toBeGreaterThan(0)
    const inbox = await server<{ messages: InboxMessage[]; unread: number }>('reminders', 'inbox')
    const route = 'pages/account/messages/index'
    const { root, page, close } = await open(route, ['消息中心', `${inbox.unread} 条未读`, inbox.messages[0].title])
    const nav = navigations()
    await interact(
      route,
      'tap an unread message',
      () => byLabel(root, page, /，未读$/).dispatchEvent('tap'),
      () => nav.any() && textOf(root).includes(inbox.unread > 1 ? `${inbox.unread - 1} 条未读` : '全部已读'),
    )
    // Its loan opened; on the server that message is read, and only that one.
    const [opened] = nav.made()
    expect(opened).toMatch(/^navigateTo \/pages\/loan\/detail\/index\?loanId=/)
    expect(nav.made()).toHaveLength(1)
    const tapped = inbox.messages.find((m) => opened.endsWith(`?loanId=${m.loanId}`))!
    const after = await server<{ messages: InboxMessage[]; unread: number }>('reminders', 'inbox')
    expect(after.messages.filter((m) => m.read).map((m) => m.id)).toEqual([tapped.id])
    expect(after.unread).toBe(inbox.unread - 1)
    close()
  })

  it('帮助, reached from 我的: the common reasons for a refusal, each with its fix', async () => {
    const help = await readFromMe('帮助：开通失败原因、提额、冷静期', 'pages/account/help/index', '开通失败常见原因')
    expect(texts(help.root, 'reason-title').length).toBeGreaterThan(3)
    expect(textOf(help.root)).toContain('怎么办：')
    expect(textOf(help.root)).toContain('年化利率怎么算')
    help.close()
  })

  it('我的数据: 导出 lists what is held; 撤回 生物识别 asks first, then the server records the withdrawal', async () => {
    const route = 'pages/account/my-data/index'
    const { root, page, close } = await open(route, ['可以撤回的授权', '导出我的数据'])
    await interact(
      route,
      'tap 导出我的数据',
      () => byLabel(root, page, '导出我的数据').dispatchEvent('tap'),
      () => textOf(root).includes('文件大小'),
    )
    const loans = await server<LoanView[]>('loans', 'list')
    expect(textOf(root)).toContain(`借款及还款计划${loans.length} 笔`)

    await interact(
      route,
      'tap 撤回 (生物识别)',
      () => byLabel(root, page, '撤回生物识别（人脸核身）授权').dispatchEvent('tap'),
      () => textOf(root).includes('撤回生物识别（人脸核身）授权后：'),
    )
    // Asking is not withdrawing.
    const given = (list: ConsentView[]) => list.filter((c) => c.kind === 'biometricConsent' && c.withdrawn)
    expect(given(await server<ConsentView[]>('account', 'consents'))).toEqual([])
    await interact(
      route,
      'tap 确认撤回',
      () => byLabel(root, page, '确认撤回').dispatchEvent('tap'),
      () => textOf(root).includes('已撤回生物识别（人脸核身）授权（'),
    )
    expect(given(await server<ConsentView[]>('account', 'consents'))).toHaveLength(1)
    close()
  })

  it('设置: turning 长辈模式 on keeps it on this device, and every page (我的 too) shows it on', async () => {
    // The simulator's storage keeps nothing: this device's storage, for the setting to be kept in.
    const storage = new Map<string, unknown>()
    const wx = h.wx as Record<string, unknown>
    const saved = { set: wx.setStorageSync, get: wx.getStorageSync }
    wx.setStorageSync = jest.fn((key: string, value: unknown) => void storage.set(key, value))
    wx.getStorageSync = jest.fn((key: string) => storage.get(key) ?? '')
    try {
      const route = 'pages/account/settings/index'
      const { root, page, close } = await open(route, ['长辈模式', '未开启'])
      await interact(
        route,
        'tap the 长辈模式 switch',
        () => byLabel(root, page, '长辈模式').dispatchEvent('tap'),
        () => textOf(root).includes('已开启：所有页面都使用大字显示。'),
      )
      expect(storage.get(ELDER_KEY)).toBe('1')
      expect((root.dom as HTMLElement).querySelector('.main--kt-elder')).toBeTruthy()
      close()
      // Opened again, and 我的: read from the device.
      const again = await open(route, ['已开启'])
      expect((again.root.dom as HTMLElement).querySelector('.main--kt-elder')).toBeTruthy()
      again.close()
      const me = await open('pages/me/index', ['已实名'])
      expect(() => byLabel(me.root, me.page, '设置（长辈模式），已开启')).not.toThrow()
      me.close()
    } finally {
      wx.setStorageSync = saved.set
      wx.getStorageSync = saved.get
    }
  })

  it('其他平台参考, reached from 我的: three platforms for information, nothing to tap out to', async () => {
    const opened = await readFromMe('其他平台参考', 'pages/products/competitors/index', '不构成推荐')
    expect(texts(opened.root, 'competitor-name')).toEqual(['支付宝借呗', '京东金条', '抖音放心借'])
    expect(textOf(opened.root)).toContain('粉丝数条件仅见于原文，未能核实')
    // No links and no integrations: nothing on the page is a button.
    expect(opened.root.querySelectorAll('.nut-button')).toHaveLength(0)
    opened.close()
  })

  it('关于开通, reached from 我的: the independence statement and the catalog the server publishes', async () => {
    const opened = await readFromMe('关于开通', 'pages/account/about/index', 'demo-catalog/')
    expect(textOf(opened.root)).toContain('独立声明')
    expect(textOf(opened.root)).toContain('没有关联')
    opened.close()
  })
})
