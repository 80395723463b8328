/**
 * The operator console in Chromium at 1280×800 against the local cloud started as `npm start`
 * starts it, with a screenshot of every page in artifacts/console/ (c<n>-<step>-<page>.png):
 * sign in with TOTP, a review decided by two reviewers (the borrower's loan paid out after it), a
 * rule change simulated then published by two admins, a merchant code and its funnel, the books
 * and the day's reconciliation.
 */
import fs from 'node:fs'
import path from 'node:path'
import { generate } from 'otplib'
import type { Browser, Page } from 'playwright-core'
import { DEMO_OPERATORS, DEMO_PASSWORD } from '../../server/app/console/operators'
import { encodeScene } from '../../src/domain/scene'
import { expectAccessible } from '../support/axe'
import { launchChromium } from '../support/browser'
import { makeCard } from '../support/cards'
import { makeApplicant, makeIdNumber } from '../support/factories'
import { borrowOverHttp, freshRequestId, onboardOverHttp, type ApiCall } from '../support/http-borrower'
import { ROOT, startCloudProcess, type CloudProcess } from '../support/local-cloud-process'
import { devPost } from '../support/phone'

jest.setTimeout(120_000)

const ARTIFACTS = path.join(ROOT, 'artifacts', 'console')
let cloud: CloudProcess
let browser: Browser

beforeAll(async () => {
  if (!fs.existsSync(path.join(ROOT, 'console', 'dist', 'index.html')))
    throw new Error('console/dist/ is missing: run `npm run build:console` first (npm test does it).')
  fs.mkdirSync(ARTIFACTS, { recursive: true })
  cloud = await startCloudProcess()
  browser = await launchChromium()
}, 60_000)

afterAll(async () => {
  await browser?.close()
  await cloud?.stop()
})

async function borrowerApi(user: string): Promise<ApiCall> {
  const { token } = await devPost<{ token: string }>(cloud.url, '/__dev/signin', { user })
  return async (fn, action, data) => {
    const res = await fetch(`${cloud.url}api/${fn}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ action, data, requestId: freshRequestId('e2e') }),
    })
    return (await res.json()) as Awaited<ReturnType<ApiCall>>
  }
}

async function desk(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' })
  return context.newPage()
}

async function shot(page: Page, name: string) {
  await page.waitForTimeout(300)
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true })
  await expectAccessible(page, name, ARTIFACTS)
}

/** Who signed in through the page already: a TOTP code is accepted once, so a second sign-in within its 30 s is a replay. */
const signedInOnce = new Set<string>()

/**
 * Signs in through the sign-in page: username, the demo password and the authenticator's code now
 * — or, for an operator who did so already in this run, with a session from the dev sign-in.
 */
async function signIn(page: Page, username: string, screenshot?: string) {
  if (signedInOnce.has(username)) {
    const { token } = await devPost<{ token: string }>(cloud.url, '/__dev/signin', { operator: username })
    await page.goto(`${cloud.url}console/`)
    await page.evaluate((t) => sessionStorage.setItem('kaitong.console.token', t), token)
    await page.reload()
    // Signed in, or why not: what the server says of this session (a timeout alone tells nothing).
    const signedIn = await page
      .getByRole('button', { name: '退出登录' })
      .waitFor({ timeout: 15_000 })
      .then(() => true)
      .catch(() => false)
    if (!signedIn) {
      const me = await fetch(`${cloud.url}api/console`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ action: 'console.me', data: {} }),
      })
      const stored = await page.evaluate(() => sessionStorage.getItem('kaitong.console.token'))
      throw new Error(
        `${username}: not signed in after a reload with a dev session (token kept: ${stored === token}); console.me answers ${await me.text()}`,
      )
    }
    return
  }
  signedInOnce.add(username)
  await page.goto(`${cloud.url}console/`)
  await page.getByLabel('用户名').fill(username)
  await page.getByLabel('密码').fill(DEMO_PASSWORD)
  const secret = DEMO_OPERATORS.find((o) => o.username === username)!.totpSecret
  await page.getByLabel('动态验证码').fill(await generate({ secret }))
  if (screenshot) await shot(page, screenshot)
  await page.getByRole('button', { name: '登录' }).click()
  await page.getByRole('button', { name: '退出登录' }).waitFor()
}

async function signOut(page: Page) {
  await page.getByRole('button', { name: '退出登录' }).click()
  await page.getByRole('button', { name: '登录' }).waitFor()
}

const menu = (page: Page, name: string) => page.getByRole('menuitem', { name }).click()

describe('the operator console in the browser', () => {
  it('1. sign in with TOTP; a wrong code is refused on the page', async () => {
    const page = await desk()
    await page.goto(`${cloud.url}console/`)
    await page.getByLabel('用户名').fill('auditor')
    await page.getByLabel('密码').fill(DEMO_PASSWORD)
    await page.getByLabel('动态验证码').fill('000000')
    await page.getByRole('button', { name: '登录' }).click()
    await page.getByText('用户名、密码或动态验证码不正确').waitFor()
    await shot(page, 'c1-01-signin-refused')
    await signIn(page, 'auditor', 'c1-02-signin')
    // The auditor sees only what an auditor may read.
    const items = await page.getByRole('menuitem').allTextContents()
    expect(items).toEqual([
      '人工审核',
      '借款与用户',
      '规则与产品版本',
      '商户',
      '白名单',
      '账务',
      '提醒',
      '审计',
      '运营人员',
    ])
    await menu(page, '审计')
    await page.getByRole('button', { name: '查询' }).click()
    await page.getByText('console.signIn').first().waitFor()
    await shot(page, 'c1-03-audit')
    await page.context().close()
  })

  it('2. a large drawdown decided by two reviewers: proposed by one, confirmed by the other, then paid out', async () => {
    const api = await borrowerApi('alice')
    // Invited to 微粒贷 through the console's whitelist (over its API, as the whitelist page does).
    const { token: risk } = await devPost<{ token: string }>(cloud.url, '/__dev/signin', { operator: 'risk' })
    const invited = await fetch(`${cloud.url}api/console`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${risk}` },
      body: JSON.stringify({
        action: 'whitelist.add',
        requestId: freshRequestId('e2e'),
        data: { product: 'weilidai', openids: ['o_dev_alice'], reason: '端到端测试邀请' },
      }),
    })
    expect(await invited.json()).toMatchObject({ ok: true, data: { added: 1 } })
    const person = makeApplicant({ idNumber: makeIdNumber({ seq: '721' }) })
    expect(await onboardOverHttp(api, person, makeCard('622588', '721000000'))).toEqual({ verified: true, bound: true })
    const applied = await borrowOverHttp(api, {
      product: 'weilidai',
      amountFen: 6_000_000,
      termMonths: 10,
      mode: 'equal-installment',
    })
    if (!applied.ok) throw new Error(JSON.stringify(applied))
    expect(applied).toMatchObject({ ok: true, data: { outcome: 'manual-review' } })
    const loanId = applied.data.loan.id as string

    const page = await desk()
    await signIn(page, 'reviewer-a')
    await page.getByText('大额借款').first().waitFor()
    await shot(page, 'c2-01-reviews')
    await page.getByRole('button', { name: '查看' }).first().click()
    await page.getByText('单笔借款超过人工审核金额').waitFor()
    await page.getByLabel('通过').check()
    await page.getByLabel('理由').fill('收入与用途核实无误')
    await shot(page, 'c2-02-review-detail')
    await page.getByRole('button', { name: '提交审核意见' }).click()
    await page.getByText('须由另一位审核员确认后生效').waitFor()
    await shot(page, 'c2-03-proposed')
    expect((await api('loans', 'get', { loanId })).data.state).toBe('review')
    await page.keyboard.press('Escape')
    await signOut(page)

    await signIn(page, 'reviewer-b')
    await page.getByText('reviewer-a 提议通过，待确认').waitFor()
    await page.getByRole('button', { name: '查看' }).first().click()
    await page.getByLabel('通过').check()
    await page.getByLabel('理由').fill('同意')
    await page.getByRole('button', { name: '提交（与提议一致即确认）' }).click()
    await page.getByText(/审核通过：收入与用途核实无误/).waitFor()
    await shot(page, 'c2-04-confirmed')
    // The borrower's loan is paid out (the simulated payout lands at once here).
    for (let i = 0; i < 50 && (await api('loans', 'get', { loanId })).data.state !== 'disbursed'; i++)
      await new Promise((r) => setTimeout(r, 100))
    expect((await api('loans', 'get', { loanId })).data.state).toBe('disbursed')

    // The loan's timeline on 借款与用户.
    await page.keyboard.press('Escape')
    await signOut(page)
    await signIn(page, 'auditor')
    await menu(page, '借款与用户')
    await page.getByLabel('搜索借款人').fill(loanId)
    await page.getByLabel('搜索借款人').press('Enter')
    await page.getByText(loanId).first().click()
    await page.getByText('PAYOUT_CONFIRMED').first().waitFor()
    await shot(page, 'c2-05-timeline')
    await page.context().close()
  })

  it('3. a rule change and a catalog change simulated on the stored profiles, each published by two admins', async () => {
    // A few stored profiles to simulate on.
    for (const [u, seq] of [
      ['erin', '731'],
      ['fay', '732'],
    ] as const) {
      const api = await borrowerApi(u)
      await onboardOverHttp(api, makeApplicant({ idNumber: makeIdNumber({ seq }) }), makeCard('622588', `${seq}000000`))
      await api('credit', 'precheck', {})
    }
    const page = await desk()
    await signIn(page, 'risk')
    await menu(page, '规则与产品版本')
    await page.getByRole('button', { name: '基于生效规则新建草稿' }).click()
    const editor = page.getByLabel('规则 JSON')
    const body = JSON.parse(await editor.inputValue())
    body.products.we2000.minScore = 101
    await editor.fill(JSON.stringify(body, null, 2))
    await page.getByLabel('草稿说明').fill('WE2000 暂停新开通')
    await shot(page, 'c3-01-draft')
    await page.getByRole('button', { name: '保存草稿' }).click()
    await page.getByText('WE2000 暂停新开通').waitFor()
    await page.getByRole('button', { name: '模拟' }).click()
    await page.getByText(/模拟结果/).waitFor()
    await page.getByRole('cell', { name: 'products.we2000.minScore' }).waitFor()
    await shot(page, 'c3-02-simulated')
    await signOut(page)

    await signIn(page, 'admin')
    await menu(page, '规则与产品版本')
    await page.getByRole('button', { name: '申请发布' }).click()
    await page.getByText('待第二位管理员批准').waitFor()
    await signOut(page)
    await signIn(page, 'admin-b')
    await menu(page, '规则与产品版本')
    await page.getByRole('button', { name: '批准发布' }).click()
    await page.getByText('已被替换').waitFor()
    await shot(page, 'c3-03-published')
    const check = await (await borrowerApi('erin'))('credit', 'precheck', {})
    expect(check.data.ruleSetVersion).toMatch(/^rules\/\d{4}-\d{2}-\d{2}\.\d+$/)
    expect(check.data.ruleSetVersion).not.toBe('rules/2026-11-28.1')

    // The catalog the same way: WE2000's drawdown fee halved, drafted and asked by one admin, approved by another.
    await page.getByRole('button', { name: '基于生效产品目录新建草稿' }).click()
    const catalogEditor = page.getByLabel('产品目录 JSON')
    const catalog = JSON.parse(await catalogEditor.inputValue())
    catalog.products.we2000.drawdownFeePpm = 5000
    await catalogEditor.fill(JSON.stringify(catalog, null, 2))
    await page.getByLabel('草稿说明').fill('WE2000 手续费减半')
    await page.getByRole('button', { name: '保存草稿' }).click()
    await page.getByText('WE2000 手续费减半').waitFor()
    await page.getByRole('button', { name: '模拟' }).click()
    await page.getByText(/模拟结果/).waitFor()
    // A fee changes no decision: the simulation says what it changes, field by field.
    await page.getByRole('cell', { name: 'products.we2000.drawdownFeePpm' }).waitFor()
    expect(await page.getByText('改动的字段（1）').count()).toBe(1)
    await page.getByRole('button', { name: '申请发布' }).click()
    await page.getByText('待第二位管理员批准').waitFor()
    await signOut(page)
    await signIn(page, 'admin')
    await menu(page, '规则与产品版本')
    await page.getByRole('button', { name: '批准发布' }).click()
    await page.getByText('已被替换').nth(1).waitFor()
    await shot(page, 'c3-04-catalog-published')
    const published = await (await borrowerApi('erin'))('credit', 'catalog', {})
    expect(published.data.version).toMatch(/^catalog\/\d{4}-\d{2}-\d{2}\.\d+$/)
    expect(published.data.products.we2000.drawdownFeePpm).toBe(5000)
    await page.context().close()
  })

  it('4. a merchant code created and its funnel read; the whitelist, reminders and operators pages', async () => {
    const page = await desk()
    await signIn(page, 'ops')
    await menu(page, '商户')
    await page.getByRole('button', { name: '新建商户' }).click()
    await page.getByLabel('商户编码').fill('e2eshop')
    await page.getByLabel('商户名称').fill('端到端测试店')
    await page.getByRole('button', { name: '创建' }).click()
    await page.getByAltText('e2eshop 的小程序码').waitFor()
    await shot(page, 'c4-01-merchant-code')
    await page.keyboard.press('Escape')
    // Two people scan it; one agrees to the agreements.
    for (const u of ['gus', 'hal'])
      await (
        await borrowerApi(u)
      )('merchants', 'resolve', { scene: encodeScene({ merchantCode: 'e2eshop' }) })
    const gus = await borrowerApi('gus')
    const agreements = (await gus('onboarding', 'status', {})).data
    expect(agreements).toBeTruthy()
    await onboardOverHttp(
      gus,
      makeApplicant({ idNumber: makeIdNumber({ seq: '741' }) }),
      makeCard('622588', '741000000'),
    )
    await page
      .getByRole('row', { name: /e2eshop/ })
      .getByRole('button', { name: '转化漏斗' })
      .click()
    await page.getByRole('img', { name: /转化漏斗：进入 2，同意协议 1，实名认证 1/ }).waitFor()
    await shot(page, 'c4-02-funnel')
    await menu(page, '白名单')
    // Masked: the page never has a full openid.
    await page.getByText('o_de…lice').waitFor()
    expect(await page.content()).not.toContain('o_dev_alice')
    await shot(page, 'c4-03-whitelist')
    await menu(page, '提醒')
    await page.getByRole('button', { name: '查询' }).click()
    await page.getByText('提醒总数').waitFor()
    await shot(page, 'c4-04-reminders')
    await signOut(page)
    await signIn(page, 'admin')
    await menu(page, '运营人员')
    await page.getByText('reviewer-b').waitFor()
    await shot(page, 'c4-05-operators')
    await page.context().close()
  })

  it('5. the books: the trial balance balances, an account’s postings are listed, and the day is reconciled', async () => {
    const page = await desk()
    await signIn(page, 'finance')
    // Finance sees no review queue: it is not theirs.
    expect(await page.getByRole('menuitem').allTextContents()).toEqual(['借款与用户', '账务'])
    await menu(page, '账务')
    await page.getByText('借贷平衡').waitFor()
    await page.getByRole('button', { name: '查询' }).click()
    await page.getByText('PAYOUT_CONFIRMED').first().waitFor()
    await shot(page, 'c5-01-books')
    // The day's WeChat Pay bill and card-debit file against the books: each channel's count, no exception.
    await page.getByRole('button', { name: '对账' }).click()
    await page.getByText(/全部相符/).waitFor()
    await page.getByRole('cell', { name: '银行卡代扣' }).waitFor()
    await page.getByText('没有差异').waitFor()
    await shot(page, 'c5-02-reconciliation')
    await page.context().close()
  })
})
