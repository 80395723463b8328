/**
 * Every page of the compiled mini-program (dist/app.json: the tab pages and each subpackage's),
 * rendered in WeChat's component simulator with the official wxml compiler against an in-process
 * local cloud, as a borrower with an opened line and a loan would open it: each shows what it is
 * for (its own words, from the cloud's answers), and none an error. A page added to app.json is
 * in this list or the test fails. Each page's main interaction is played too: sixteen in
 * main-interactions.test.ts, the others in pages.test.ts, entry.test.ts and wechat-apis.test.ts.
 */
import fs from 'node:fs'
import path from 'node:path'
import { ERRORS, type ContractSummary, type LoanView } from '../../src/api'
import { authorizePayScore, borrow, onboardBorrower } from '../support/borrower'
import { makeTestCloud, type TestCloud } from '../support/cloud'
import { DIST, eventually, installHarness, textOf, type Harness } from './harness'

jest.setTimeout(60_000)

let cloud: TestCloud
let h: Harness
let loan: LoanView
let contractId: string

beforeAll(async () => {
  cloud = await makeTestCloud()
  h = installHarness(() => cloud)
  await onboardBorrower(cloud, 'alice')
  await authorizePayScore(cloud, 'alice')
  loan = await borrow(cloud, 'alice')
  const contracts = await cloud.call<ContractSummary[]>('contracts', 'list', { loanId: loan.id }, { user: 'alice' })
  if (!contracts.ok || contracts.data.length === 0) throw new Error('no contract')
  contractId = contracts.data[0].contractId
})
afterAll(() => cloud.close())

interface AppJson {
  pages: string[]
  subPackages?: Array<{ root: string; pages: string[] }>
}
const app = JSON.parse(fs.readFileSync(path.join(DIST, 'app.json'), 'utf8')) as AppJson
const routes = [...app.pages, ...(app.subPackages ?? []).flatMap((s) => s.pages.map((p) => `${s.root}/${p}`))]

/** Each page: its query, and words it shows only when it has what it is for. */
const PAGES: Record<string, { query?: () => Record<string, string>; shows: string[] }> = {
  'pages/index/index': { shows: ['我的额度', 'WE2000额度记录', '可用额度'] },
  'pages/loans/index': { shows: ['WE2000', '¥1,000.00'] },
  'pages/me/index': { shows: ['已实名', '消息中心', '我的数据'] },
  'pages/onboarding/agreements/index': { shows: ['《用户协议》', '《隐私政策》'] },
  'pages/onboarding/real-name/index': { shows: ['已完成实名认证'] },
  'pages/onboarding/precheck/index': { shows: ['预审通过', 'WE2000'] },
  'pages/onboarding/bank-card/index': { shows: ['已绑定的银行卡', '尾号'] },
  'pages/onboarding/pay-score/index': { shows: ['微信支付分达到要求'] },
  // Opened with no product: it says so, with the way on.
  'pages/onboarding/face/index': { shows: ['没有指定要开通的产品', '去选择产品'] },
  'pages/products/index/index': { shows: ['微粒贷', 'WE2000', '小鹅花钱'] },
  'pages/products/compare/index': { shows: ['产品对比', '开通方式', '微粒贷'] },
  'pages/products/competitors/index': { shows: ['其他平台参考', '不构成推荐'] },
  'pages/products/offer/index': { query: () => ({ product: 'we2000' }), shows: ['借款方案', '年化利率（IRR）'] },
  'pages/products/confirm/index': {
    query: () => ({
      product: 'we2000',
      amountFen: '50000',
      termMonths: '6',
      mode: 'equal-principal',
      purpose: 'consumption',
    }),
    shows: ['确认借款', '¥500.00', '年化利率(IRR)'],
  },
  'pages/products/decision/index': { query: () => ({ loanId: loan.id }), shows: ['借款已批准', '¥1,000.00'] },
  'pages/products/open/index': { query: () => ({ product: 'we2000' }), shows: ['你已开通WE2000', '可用额度'] },
  'pages/products/line/index': { query: () => ({ product: 'we2000' }), shows: ['WE2000 额度', '额度记录', '借款占用'] },
  'pages/products/explain/index': { query: () => ({ product: 'we2000' }), shows: ['WE2000 决定原因', '综合评分'] },
  'pages/products/contracts/index': { query: () => ({ product: 'we2000' }), shows: ['借款合同', '授信合同'] },
  'pages/products/contract/index': { query: () => ({ contractId }), shows: ['合同详情', '合同校验值'] },
  'pages/loan/detail/index': { query: () => ({ loanId: loan.id }), shows: ['借款详情', '冷静期', '¥1,000.00'] },
  'pages/loan/receipts/index': { query: () => ({ loanId: loan.id }), shows: ['电子凭证', '放款', '¥1,000.00'] },
  // No reminder yet: the empty state.
  'pages/account/messages/index': { shows: ['消息中心', '暂无消息'] },
  'pages/account/help/index': { shows: ['开通失败常见原因'] },
  'pages/account/my-data/index': { shows: ['可以撤回的授权', '导出'] },
  'pages/account/settings/index': { shows: ['长辈模式', '未开启'] },
  'pages/account/about/index': { shows: ['产品目录（当前发布）', 'demo-catalog/'] },
}

const loads: Array<{ route: string; calls: number; maxBytes: number }> = []
afterAll(() => {
  // The goal of ≤ 5 calls and ≤ 16 KB a call for opening a page (WeChat audits 256 KB), asserted;
  // the figures recorded (artifacts/weapp-page-loads.json, BENCHMARKS.md).
  const worst = [...loads].sort((a, b) => b.calls - a.calls || b.maxBytes - a.maxBytes)
  fs.mkdirSync(path.join(DIST, '..', 'artifacts'), { recursive: true })
  fs.writeFileSync(path.join(DIST, '..', 'artifacts', 'weapp-page-loads.json'), JSON.stringify(worst, null, 1))
  for (const l of loads) {
    expect({ route: l.route, bytes: Math.min(l.maxBytes, 16 * 1024) }).toEqual({ route: l.route, bytes: l.maxBytes })
    expect({ route: l.route, calls: Math.min(l.calls, 5) }).toEqual({ route: l.route, calls: l.calls })
  }
})

it('names every page app.json declares', () => {
  expect(Object.keys(PAGES).sort()).toEqual([...routes].sort())
})

describe.each(routes)('weapp %s', (route) => {
  it('renders what it is for, and no error', async () => {
    const spec = PAGES[route]
    const from = h.setData.length
    const { root, close } = h.openPage(route, spec?.query?.() ?? {})
    try {
      await eventually(() => {
        const text = textOf(root)
        for (const words of spec.shows) expect(text).toContain(words)
      }, 10_000)
      // Settled (what the cloud answered has arrived: no request in flight), and no error: no error
      // text (.kt-error, which error notices and refusals use) and none of the messages for an error code.
      await h.measure(() => undefined)
      // Opening the page is its first interaction: its setData calls and sizes, for the audit below.
      const opened = h.setData.slice(from)
      loads.push({ route, calls: opened.length, maxBytes: Math.max(0, ...opened.map((r) => r.bytes)) })
      const text = textOf(root)
      expect(Object.values(ERRORS).filter((message) => text.includes(message))).toEqual([])
      expect(root.querySelectorAll('.main--kt-error').map((el: { dom: HTMLElement }) => el.dom.textContent)).toEqual([])
    } finally {
      close()
    }
  })
})
