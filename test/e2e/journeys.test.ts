/**
 * The whole mini-program in the browser: the H5 build in Chromium at 375 px against the local
 * cloud started as `npm start` starts it (its own SQLite file). Each journey is its own test,
 * with a screenshot of every page it passes through in artifacts/e2e/ (j<n>-<step>-<page>.png).
 */
import { makeCard } from '../support/cards'
import type { Browser, Page } from 'playwright-core'
import { makeIdNumber } from '../support/factories'
import { fromChinaDateTime } from '../../src/domain/china-time'
import { verifyContractPdf, type Keys } from '../../server/contracts/verify'
import { borrowOverHttp, freshRequestId, onboardOverHttp, type ApiCall } from '../support/http-borrower'
import { databaseBytes, formsFound, type Person } from '../support/at-rest'
import { startCloudProcess, type CloudProcess } from '../support/local-cloud-process'
import {
  borrowOnLine,
  clockToDayAfterDue,
  devPost,
  fill,
  labelled,
  newPhone,
  onboardInBrowser,
  openAndBorrow,
  openLine,
  shot,
  signContract,
  signIn,
  startStage,
  tap,
} from '../support/phone'

jest.setTimeout(120_000)

let cloud: CloudProcess
let browser: Browser
const extraClouds: CloudProcess[] = []

/** A journey that needs a fresh database (the same demo user starting over) gets its own cloud. */
/** Calls over the API as `user` (set-up a journey does not need to click through). */
async function apiAs(url: string, user: string): Promise<{ token: string; api: ApiCall }> {
  const { token } = await devPost<{ token: string }>(url, '/__dev/signin', { user })
  const api: ApiCall = async (fn, action, data) => {
    const res = await fetch(`${url}api/${fn}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ action, data, requestId: freshRequestId('e2e') }),
    })
    return (await res.json()) as Awaited<ReturnType<ApiCall>>
  }
  return { token, api }
}

async function freshCloud(): Promise<CloudProcess> {
  const c = await startCloudProcess()
  extraClouds.push(c)
  return c
}

beforeAll(async () => {
  ;({ cloud, browser } = await startStage())
}, 60_000)

/**
 * What the journeys left on disk, checked after all of them (whichever ran): no database, WAL or
 * shm holds anyone's identity in the clear or as an unkeyed hash.
 */
afterAll(async () => {
  await browser?.close()
  const found = [cloud, ...extraClouds]
    .filter((c) => c !== undefined)
    .flatMap((c) => formsFound(databaseBytes(c.dbFile), PEOPLE).map((f) => `${c.dbFile}: ${f}`))
  await cloud?.stop()
  for (const c of extraClouds) await c.stop()
  expect(found).toEqual([])
})

const CARD = makeCard('622588', '000000000')
/** Everyone the journeys onboard, to look for on disk afterwards. */
const PEOPLE: Person[] = []

/** Agreements → real name → pre-check → bank card → pay score, screenshots along the way. */
async function onboard(page: Page, who: { name: string; id: string; mobile: string }, prefix: string | null) {
  PEOPLE.push({ name: who.name, idNumber: who.id, mobile: who.mobile, card: CARD })
  await onboardInBrowser(page, { ...who, card: CARD }, prefix)
}

describe('journeys in the browser', () => {
  it('1. a new user from a merchant code opens WE2000 once, draws ¥1,000, cancels within the cooling-off window, borrows again with no consent, and reads the line history', async () => {
    const page = await newPhone(browser)
    await signIn(page, cloud.url, 'alice', 'm=cafe01')
    await page.getByTestId('merchant').filter({ hasText: '街角咖啡（演示商户）' }).waitFor()
    // Signed in on the page that was showing: it reads the published catalog then, and shows each product.
    await page.locator('[data-testid="glance-weilidai"]:visible').waitFor()
    await shot(page, 'j1-01-home')
    await onboard(page, { name: '张三', id: makeIdNumber({ seq: '611' }), mobile: '13812345678' }, 'j1')
    await page.getByText('达到要求').first().waitFor()
    await tap(page, '继续')

    await labelled(page, '开通 WE2000').waitFor()
    await shot(page, 'j1-08-products')
    // Opening: the one credit inquiry, after its own consent.
    await openLine(page, 'WE2000', 'j1-09')
    const figures = page.getByTestId('line-figures').locator('visible=true')
    await figures.getByTestId('line-limit').getByText('¥2,000.00').waitFor()
    await figures.getByText('年化利率（日利率×365）').waitFor()
    await tap(page, '去借款 WE2000')
    await page
      .getByTestId('amount-range')
      .locator('visible=true')
      .getByText('可用额度 ¥2,000.00', { exact: false })
      .waitFor()
    await borrowOnLine(page, '借款金额 ¥1,000', 'j1-10')
    await tap(page, '订阅还款提醒')
    await page.getByTestId('sim-subscribe').waitFor()
    await tap(page, '允许')
    await page.getByTestId('subscribe-result').filter({ hasText: '已订阅' }).waitFor()
    await shot(page, 'j1-11-decision')

    await tap(page, '查看借款')
    await page.getByTestId('loan-summary').waitFor()
    await page
      .getByText(/23:59:\d\d|24:00:00/)
      .first()
      .waitFor()
    await shot(page, 'j1-12-loan-detail')
    await tap(page, '取消借款')
    await tap(page, '确认取消借款')
    // The principal goes back through (simulated) WeChat Pay; the loan closes when the server has its word.
    await page.getByTestId('sim-payment').waitFor()
    await shot(page, 'j1-12b-payment-sheet')
    await tap(page, '模拟：确认支付')
    await page.getByTestId('loan-closed').waitFor()
    await page.getByTestId('loan-state').filter({ hasText: '已取消' }).waitFor()
    await shot(page, 'j1-13-cancelled')
    await tap(page, '电子凭证')
    await page.getByTestId('receipt').first().waitFor()
    await page.getByTestId('receipts').getByText('取消').first().waitFor()
    await shot(page, 'j1-14-receipts')
    // The 我的借款 tab lists it, cancelled.
    await page.goto(`${cloud.url}#/pages/loans/index`)
    const item = page.locator('[data-testid="loan-item"]:visible').first()
    await item.getByText('已取消').waitFor()
    await shot(page, 'j1-15-my-loans')

    // Home: the line, the cancelled loan given back — all ¥2,000 available — and its one 借钱 button.
    await page.locator('.weui-tabbar__label', { hasText: /^首页$/ }).click()
    const card = page.getByTestId('line-glance-we2000').locator('visible=true')
    await card.getByTestId('line-glance-available').getByText('¥2,000.00').waitFor()
    await card.getByTestId('line-glance-limit').getByText('¥2,000.00').waitFor()
    await shot(page, 'j1-16-home-line')
    // The second borrow: straight to the offer builder, and no consent on the way.
    await tap(page, '借钱 WE2000')
    await borrowOnLine(page, '借款金额 ¥500', 'j1-17')

    // The line page: its history, newest first — drawn again, given back, drawn, opened.
    await page.goto(`${cloud.url}#/pages/index/index`)
    await card.getByTestId('line-glance-available').getByText('¥1,500.00').waitFor()
    await tap(page, 'WE2000，额度记录')
    const history = page.getByTestId('line-history').locator('visible=true')
    await history.getByText('已开通').waitFor()
    const reasons = await history
      .getByTestId('line-change')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-reason')))
    expect(reasons).toEqual(['DRAWN', 'RELEASED', 'DRAWN', 'OPENED'])
    await history.getByText(`−¥500.00`).waitFor()
    await history.getByText(`+¥1,000.00`).waitFor()
    await history.getByText('（北京时间）', { exact: false }).first().waitFor()
    await page
      .getByTestId('line-page')
      .locator('visible=true')
      .getByTestId('line-available')
      .getByText('¥1,500.00')
      .waitFor()
    await shot(page, 'j1-18-line-history')
    await page.close()
  })

  it('2. a thin-file user is refused, sees the reasons and fixes, edits the simulated profile, and passes', async () => {
    const c = await freshCloud()
    const page = await newPhone(browser)
    // dave: eight WeChat Pay payments a month — too thin a payment history for every product.
    await signIn(page, c.url, 'dave')
    await onboard(page, { name: '李四', id: makeIdNumber({ seq: '612' }), mobile: '13700001111' }, null)
    await page.getByText('达到要求').first().waitFor()
    await tap(page, '继续')
    const we2000 = page.getByTestId('product-we2000')
    await we2000.getByText('暂不能开通').waitFor()
    await we2000.getByText('每月支付笔数少于15笔').waitFor()
    await we2000.getByText('怎么办：在真实场景中日常使用微信支付（缴费、餐饮、购物），约每天3笔。').waitFor()
    expect(await we2000.locator('[aria-label="开通 WE2000"]').count()).toBe(0)
    await shot(page, 'j2-01-products-refused')

    await page.goto(`${c.url}__dev/profile`)
    await page.locator('#result').getByText('综合评分').waitFor()
    const text = await page.locator('#profile').inputValue()
    expect(text).toMatch(/"paymentsPerMonth": 8\b/)
    await page.locator('#profile').fill(text.replace(/"paymentsPerMonth": 8\b/, '"paymentsPerMonth": 90'))
    await page.getByText('保存并重新预审').click()
    await page.locator('#result').getByText('每月支付笔数少于15笔').first().waitFor({ state: 'detached' })
    await shot(page, 'j2-02-dev-profile-edited')

    await page.goto(`${c.url}#/pages/products/index/index`)
    await page.getByTestId('product-we2000').getByText('可以开通').waitFor()
    await shot(page, 'j2-03-products-open')
    await openLine(page, 'WE2000', 'j2-04')
    await tap(page, '去借款 WE2000')
    await borrowOnLine(page, '借款金额 ¥500', 'j2-05')
    await page.close()
  })

  it('3. 小鹅花钱: face verification fails once then passes, fee installments over the 24% cap not offered, 随借随还 repaid early', async () => {
    const c = await freshCloud()
    const page = await newPhone(browser)
    // alice: 小鹅花钱 is open to her after face verification, at 0.05% a day.
    await signIn(page, c.url, 'alice')
    const person = { name: '王五', id: makeIdNumber({ seq: '613' }), mobile: '13600002222' }
    await onboard(page, person, null)
    await page.getByText('达到要求').first().waitFor()
    await tap(page, '继续')
    await page.getByTestId('product-xiaoe').getByText('需先完成：人脸核身').waitFor()
    await tap(page, '去人脸核身（小鹅花钱）')
    await fill(page, '姓名', person.name)
    await fill(page, '身份证号', person.id)
    await shot(page, 'j3-01-face')
    await tap(page, '开始人脸核身')
    await page.getByTestId('sim-face').waitFor()
    await shot(page, 'j3-02-face-sheet')
    await tap(page, '模拟：核身不通过')
    await page.getByText('人脸核身未通过').first().waitFor()
    await page.getByText('请在光线充足处重试，正对镜头，摘下帽子和眼镜。', { exact: false }).first().waitFor()
    await shot(page, 'j3-03-face-failed')
    await tap(page, '重新核身')
    await page.getByTestId('sim-face').waitFor()
    await tap(page, '模拟：核身通过')

    // Back to opening 小鹅花钱, the face step done: the consent, then the line.
    await page.getByTestId('open-form').locator('visible=true').waitFor()
    await shot(page, 'j3-03b-open')
    await tap(page, '征信查询授权')
    await tap(page, '确认开通小鹅花钱')
    await signContract(page, '个人消费信用额度合同（授信合同）', 'j3-02b-contract')
    await page.getByText('开通成功：小鹅花钱额度已生效').locator('visible=true').waitFor()
    await tap(page, '去借款 小鹅花钱')

    // The offer builder: fee installments (1.5% a month) are over the 24% cap at every term —
    // shown as not offered, with the APR — so 随借随还 for 30 days.
    await page.getByTestId('preview').locator('visible=true').waitFor()
    await tap(page, '还款方式 分期手续费')
    await tap(page, '期限 6期')
    await page.getByTestId('amount').getByLabel('借款金额 ¥5,000').click()
    await page.getByTestId('pricing-error').getByText('超过 24% 的上限，不予提供', { exact: false }).waitFor()
    await page.getByTestId('pricing-error').getByText('30.23%', { exact: false }).waitFor()
    await shot(page, 'j3-04-offer-fee-installments-over-cap')
    await tap(page, '还款方式 随借随还')
    await tap(page, '期限 30天')
    await page.getByTestId('preview').getByText('日利率×365', { exact: false }).first().waitFor()
    await shot(page, 'j3-04b-offer-flexible')
    await tap(page, '下一步：确认借款')
    await page.getByTestId('no-inquiry').locator('visible=true').waitFor()
    await tap(page, '确认借款')
    await signContract(page, '个人消费借款合同（借据）', 'j3-04c-contract')
    await page.getByTestId('decision-approved').waitFor()
    await shot(page, 'j3-05-decision')

    // Two days later (outside the cooling-off window) the loan is repaid in full, early.
    await devPost(c.url, '/__dev/clock', { advanceMs: 2 * 24 * 3600_000 })
    await tap(page, '查看借款')
    await page.getByTestId('repay').waitFor()
    expect(await labelled(page, '取消借款').count()).toBe(0)
    await shot(page, 'j3-06-loan-detail')
    // First a part: ¥100.00 with the live preview of where it goes, paid in the sheet — the sheet
    // closed once without paying changes nothing.
    await fill(page, '其他金额（元）', '100')
    await page.getByTestId('repay-preview').getByText('本金').first().waitFor()
    await shot(page, 'j3-06b-repay-preview')
    await tap(page, '还款 ¥100.00')
    await page.getByTestId('sim-payment').waitFor()
    await tap(page, '模拟：取消支付')
    await page.getByTestId('payment-status').getByText('已取消付款，借款没有变化').waitFor()
    await tap(page, '还款 ¥100.00')
    await page.getByTestId('sim-payment').waitFor()
    await tap(page, '模拟：确认支付')
    await page.locator('[data-testid="payment-status"][data-state="paid"]').waitFor()
    await shot(page, 'j3-06c-partly-repaid')
    const payoffButton = page.locator('[aria-label^="全部还清，"]:visible').first()
    const payoff = (await payoffButton.textContent()) ?? ''
    expect(payoff).toMatch(/全部还清 ¥[\d,]+\.\d\d/)
    await payoffButton.click()
    await page.getByTestId('sim-payment').waitFor()
    await tap(page, '模拟：确认支付')
    await page.getByTestId('loan-state').filter({ hasText: '已结清' }).waitFor()
    // Settled: nothing left to remind about, so no subscribe prompt.
    expect(await page.getByText('还款成功。下次还款也提醒你吗？').count()).toBe(0)
    await shot(page, 'j3-07-settled')
    await tap(page, '电子凭证')
    await page.getByTestId('receipts').getByText('还款').first().waitFor()
    await shot(page, 'j3-08-receipts')
    await page.close()
  })

  it('4. 长辈模式 on: larger type everywhere, and the journey still works', async () => {
    const c = await freshCloud()
    const page = await newPhone(browser)
    await signIn(page, c.url, 'alice')
    const normalSize = await page
      .locator('.kt-title:visible')
      .first()
      .evaluate((e) => parseFloat(getComputedStyle(e).fontSize))
    await page.locator('.weui-tabbar__label', { hasText: /^我的$/ }).click()
    await tap(page, '设置（长辈模式），未开启')
    await labelled(page, '长辈模式').click()
    await page.getByTestId('elder-state').getByText('已开启').waitFor()
    await shot(page, 'j4-01-settings-elder-on')
    // It persists: a reload keeps it.
    await page.goto(`${c.url}#/pages/index/index`)
    await page.reload()
    await labelled(page, '开始开通').waitFor()
    const elderSize = await page
      .locator('.kt-title:visible')
      .first()
      .evaluate((e) => parseFloat(getComputedStyle(e).fontSize))
    expect(elderSize).toBeGreaterThan(normalSize)
    expect(await page.locator('.kt-page.kt-elder:visible').count()).toBeGreaterThan(0)
    await shot(page, 'j4-02-home-elder')
    await onboard(page, { name: '赵六', id: makeIdNumber({ seq: '614' }), mobile: '13500003333' }, 'j4')
    await page.getByText('达到要求').first().waitFor()
    await tap(page, '继续')
    await labelled(page, '开通 WE2000').waitFor()
    await shot(page, 'j4-08-products-elder')
    await openAndBorrow(page, 'WE2000', '借款金额 ¥1,000', 'j4')
    await tap(page, '查看借款')
    await page.getByTestId('loan-summary').waitFor()
    expect(await page.locator('.kt-page.kt-elder:visible').count()).toBeGreaterThan(0)
    await shot(page, 'j4-11-loan-detail-elder')
    await page.close()
  })

  it('5. the clock past a due date: the reminder is in the message center, with the unread badge', async () => {
    const c = await freshCloud()
    // Set up over the API: alice onboarded with a six-month ¥1,000 WE2000 loan.
    const { api } = await apiAs(c.url, 'alice')
    const alice = { name: '张三', idNumber: makeIdNumber({ seq: '615' }), mobile: '13812345678' }
    PEOPLE.push({ ...alice, card: CARD })
    expect(await onboardOverHttp(api, alice, CARD)).toEqual({ verified: true, bound: true })
    expect((await api('onboarding', 'authorizePayScore', {})).ok).toBe(true)
    const applied = await borrowOverHttp(api, { amountFen: 100_000, termMonths: 6, mode: 'equal-principal' })
    if (!applied.ok) throw new Error(JSON.stringify(applied.error))
    await clockToDayAfterDue(c.url, applied.data.loan.schedule[0].dueDate)
    await devPost(c.url, '/__dev/reminders/run', {})

    const page = await newPhone(browser)
    await signIn(page, c.url, 'alice')
    await page.locator('.weui-tabbar__label', { hasText: /^我的$/ }).click()
    const badge = page.getByTestId('unread-badge').locator('visible=true')
    await badge.waitFor()
    expect(Number(await badge.textContent())).toBeGreaterThan(0)
    await shot(page, 'j5-01-me-unread')
    await page.locator('[aria-label^="消息中心"]:visible').click()
    await page.getByTestId('messages').waitFor()
    await page.getByTestId('messages').getByText('逾期').first().waitFor()
    await shot(page, 'j5-02-message-center')
    await page.getByTestId('messages').locator('[data-read="false"]').first().click()
    await page.getByTestId('overdue').waitFor()
    await shot(page, 'j5-03-loan-overdue')
    await page.close()
  })

  it('7. a payout that fails: the loan waits as 放款中, then says the payout failed, nothing is owed, the line is back', async () => {
    // Payouts take 20 s here: time to fail one before it lands.
    const c = await startCloudProcess({ env: { KAITONG_SIM_PAYOUT_MS: '20000' } })
    extraClouds.push(c)
    const { token, api } = await apiAs(c.url, 'alice')
    const alice = { name: '张三', idNumber: makeIdNumber({ seq: '617' }), mobile: '13812345678' }
    PEOPLE.push({ ...alice, card: CARD })
    expect(await onboardOverHttp(api, alice, CARD)).toEqual({ verified: true, bound: true })
    const applied = await borrowOverHttp(api, { amountFen: 100_000, termMonths: 6, mode: 'equal-principal' })
    if (!applied.ok) throw new Error(JSON.stringify(applied.error))
    expect(applied.data.loan.state).toBe('disbursing')
    const loanId = applied.data.loan.id as string

    const page = await newPhone(browser)
    await signIn(page, c.url, 'alice')
    await page.goto(`${c.url}#/pages/loan/detail/index?loanId=${loanId}`)
    await page.getByTestId('disbursing').locator('visible=true').waitFor()
    await page.getByTestId('loan-state').filter({ hasText: '放款中' }).first().waitFor()
    expect(await labelled(page, '取消借款').count()).toBe(0)
    await shot(page, 'j7-01-disbursing')
    // The card refuses the payout: the page, reading again by itself, shows it.
    const failed = await fetch(`${c.url}__dev/payouts/po_${loanId.replace(/^L_/, '')}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ outcome: 'fail' }),
    })
    expect(((await failed.json()) as { data: { loan: string } }).data.loan).toBe('cancelled')
    await page.getByTestId('payout-failed').locator('visible=true').waitFor()
    await page.getByTestId('loan-state').filter({ hasText: '已取消' }).first().waitFor()
    expect(await page.getByTestId('loan-closed').count()).toBe(0)
    await shot(page, 'j7-02-payout-failed')
    expect((await api('lines', 'get', { product: 'we2000' })).data.inUseFen).toBe(0)
    await page.close()
  })

  it('8. automatic debit on the due date: ticked when the line opens, noticed the day before, taken at 09:00, then turned off', async () => {
    const c = await freshCloud()
    const { api } = await apiAs(c.url, 'alice')
    const alice = { name: '张三', idNumber: makeIdNumber({ seq: '618' }), mobile: '13812345678' }
    PEOPLE.push({ ...alice, card: CARD })
    expect(await onboardOverHttp(api, alice, CARD)).toEqual({ verified: true, bound: true })
    expect((await api('onboarding', 'authorizePayScore', {})).ok).toBe(true)

    const page = await newPhone(browser)
    await signIn(page, c.url, 'alice')
    await page.goto(`${c.url}#/pages/products/open/index?product=we2000`)
    await page.getByTestId('open-form').locator('visible=true').waitFor()
    // Its own consent, not ticked for the borrower, saying what it does and how to stop it.
    const consent = page.getByTestId('auto-debit-consent').locator('visible=true')
    await consent.getByText('前一天会提醒你', { exact: false }).waitFor()
    expect(await labelled(page, '自动扣款授权（可选）').getAttribute('class')).not.toContain('checked')
    await tap(page, '征信查询授权')
    await tap(page, '自动扣款授权（可选）')
    await shot(page, 'j8-01-open-with-auto-debit')
    await tap(page, '确认开通WE2000')
    await signContract(page, '个人消费信用额度合同（授信合同）', 'j8-02-contract')
    await page.getByTestId('open-active').locator('visible=true').waitFor()
    const applied = await borrowOverHttp(api, { amountFen: 100_000, termMonths: 6, mode: 'equal-principal' })
    if (!applied.ok) throw new Error(JSON.stringify(applied.error))
    const loanId = applied.data.loan.id as string
    const first = applied.data.loan.schedule[0] as { dueDate: string; totalFen: number }

    // The day before at 09:00: the notice in the message center.
    const [y, m, d] = first.dueDate.split('-').map(Number)
    const nineOnDueDay = fromChinaDateTime({ year: y, month: m, day: d, hour: 9 })
    const { now } = await devPost<{ now: number }>(c.url, '/__dev/clock', { advanceMs: 0 })
    await devPost(c.url, '/__dev/clock', { advanceMs: nineOnDueDay - 24 * 3600_000 - now })
    await devPost(c.url, '/__dev/reminders/run', {})
    const inbox = await api('reminders', 'inbox', {})
    expect(JSON.stringify(inbox.data.messages)).toContain(`明天 09:00 将从尾号${CARD.slice(-4)}的银行卡自动扣款`)

    // 09:00 on the due day: the debit is taken, and the loan page says so.
    await devPost(c.url, '/__dev/clock', { advanceMs: 24 * 3600_000 + 60_000 })
    await devPost(c.url, '/__dev/reminders/run', {})
    await page.goto(`${c.url}#/pages/loan/detail/index?loanId=${loanId}`)
    const card = page.locator('[data-testid="auto-debit"][data-on="on"]:visible')
    await card.getByText(`已开启 · 尾号${CARD.slice(-4)}`).waitFor()
    await card.locator('[data-testid="last-debit"][data-state="paid"]').getByText('已扣款', { exact: false }).waitFor()
    await shot(page, 'j8-02-loan-debited')
    await tap(page, '电子凭证')
    await page.getByTestId('receipts').getByText('还款（自动扣款）').first().waitFor()
    await shot(page, 'j8-03-receipt')

    // Off at any time, on the line page: the switch, and the line's history keeps both.
    await page.goto(`${c.url}#/pages/products/line/index?product=we2000`)
    await page.locator('[data-testid="auto-debit-switch"][data-on="on"]:visible').waitFor()
    await labelled(page, '自动扣款').click()
    await page.locator('[data-testid="auto-debit-switch"][data-on="off"]:visible').waitFor()
    await page.getByText('关闭自动扣款').locator('visible=true').first().waitFor()
    await page.getByText('开启自动扣款').locator('visible=true').first().waitFor()
    await shot(page, 'j8-04-line-auto-debit-off')
    expect((await api('lines', 'get', { product: 'we2000' })).data.autoDebit).toBeNull()
    await page.close()
  })

  it('9. contracts, consent and explanations: the line contract and the note read and signed, the note’s PDF downloaded and verified, biometric consent withdrawn, a refusal explained and sent to a person', async () => {
    const c = await freshCloud()
    const page = await newPhone(browser)
    await signIn(page, c.url, 'alice')
    await onboard(page, { name: '周八', id: makeIdNumber({ seq: '619' }), mobile: '13300005555' }, null)
    await page.getByText('达到要求').first().waitFor()
    await tap(page, '继续')
    // Both contracts on screen before anything is asked, each signed with its own tap (screenshots j9-09-contract, j9-10-contract).
    await openAndBorrow(page, 'WE2000', '借款金额 ¥1,000', 'j9')
    await tap(page, '查看借款')
    await page.getByTestId('loan-summary').waitFor()
    await tap(page, '借款合同')
    await page.getByTestId('contract-item').locator('visible=true').first().click()
    const record = page.getByTestId('signing-record').locator('visible=true')
    await record.getByTestId('record-version').getByText('drawdown-note/2026-12-02.1').waitFor()
    await page.getByTestId('contract-signed').locator('visible=true').getByText('借款金额：人民币 ¥1,000.00').waitFor()
    await shot(page, 'j9-11-contract-detail')
    // 下载 PDF: the signed address opens the PDF; its bytes verify with the published key alone.
    const downloaded = page.context().waitForEvent('response', (r) => r.url().includes('/files/contracts/'))
    await tap(page, '下载 PDF')
    const response = await downloaded
    expect(response.status()).toBe(200)
    expect(response.headers()['content-type']).toBe('application/pdf')
    // The tab the browser opened is gone once it has saved the file: the same signed address, fetched again.
    const bytes = new Uint8Array(await (await fetch(response.url())).arrayBuffer())
    const keys = ((await (await fetch(`${c.url}.well-known/kaitong-signing-key`)).json()) as { keys: Keys }).keys
    const verdict = verifyContractPdf(bytes, keys)
    expect(verdict.valid).toBe(true)
    const shown = page.getByTestId('pdf-result').locator('visible=true')
    await shown.getByText(String(verdict.about?.pdfSha256).slice(0, 16)).waitFor()
    await shot(page, 'j9-12-pdf-downloaded')

    // Withdrawing biometric consent: what stops is said before, and after; face verification then asks again.
    await page.goto(`${c.url}#/pages/me/index`)
    await tap(page, '我的数据，查看、导出、撤回授权、删除')
    await tap(page, '撤回生物识别（人脸核身）授权')
    const dialog = page.getByTestId('withdraw-dialog').locator('visible=true')
    await dialog.getByText('不再进行人脸核身', { exact: false }).waitFor()
    await shot(page, 'j9-13-withdraw-confirm')
    await tap(page, '确认撤回')
    const result = page.getByTestId('withdraw-result').locator('visible=true')
    await result.getByText('已撤回生物识别（人脸核身）授权', { exact: false }).waitFor()
    await result.getByText('小鹅花钱', { exact: false }).first().waitFor()
    await shot(page, 'j9-14-withdrawn')
    const { api } = await apiAs(c.url, 'alice')
    expect(
      await api('onboarding', 'startFace', { name: '周八', idNumber: makeIdNumber({ seq: '619' }) }),
    ).toMatchObject({
      ok: false,
      error: { code: 'CONSENT_REQUIRED', detail: 'biometricConsent' },
    })

    // dave is refused: the decision explained, each dimension and rule, and a person's review asked for.
    const other = await newPhone(browser)
    await signIn(other, c.url, 'dave')
    await onboard(other, { name: '吴九', id: makeIdNumber({ seq: '620' }), mobile: '13300006666' }, null)
    await other.goto(`${c.url}#/pages/products/open/index?product=we2000`)
    await tap(other, '查看决定原因 / 申请人工复核')
    const dims = other.getByTestId('explain-dimensions').locator('visible=true')
    await dims.getByTestId('dimension').first().waitFor()
    expect(await dims.getByTestId('dimension').count()).toBe(4)
    await other.locator('[data-testid="rule"][data-rule="activity.payments"][data-passed="false"]:visible').waitFor()
    await shot(other, 'j9-15-explanation')
    await other
      .getByLabel('补充说明（可选，200字以内）')
      .locator('visible=true')
      .locator('textarea')
      .fill('我每月的支付多用银行卡')
    await tap(other, '申请人工复核')
    const waiting = other.locator('[data-testid="review-case"][data-state="waiting"]:visible')
    await waiting.getByText('我每月的支付多用银行卡').waitFor()
    await other.getByTestId('review-expires-at').locator('visible=true').waitFor()
    await shot(other, 'j9-16-review-waiting')
    await other.close()
    await page.close()
  })

  it('6. the rest of the pages: my data (export, then delete with its warning), help, about, settings, compare, competitors', async () => {
    const c = await freshCloud()
    const page = await newPhone(browser)
    await signIn(page, c.url, 'alice')
    await onboard(page, { name: '孙七', id: makeIdNumber({ seq: '616' }), mobile: '13400004444' }, null)
    await page.getByText('达到要求').first().waitFor()
    await tap(page, '继续')
    await tap(page, '查看产品对比')
    await page.getByTestId('compare-table').waitFor()
    await shot(page, 'j6-01-compare')
    await page.goBack()
    await tap(page, '查看其他平台参考')
    await page.getByText('支付宝借呗').waitFor()
    await shot(page, 'j6-02-competitors')

    await page.goto(`${c.url}#/pages/me/index`)
    await page.getByTestId('me-identity').locator('visible=true').first().waitFor()
    await shot(page, 'j6-03-me')
    await tap(page, '我的数据，查看、导出、撤回授权、删除')
    await page.getByTestId('consents').waitFor()
    await tap(page, '导出我的数据')
    await page.getByTestId('export-bytes').waitFor()
    await shot(page, 'j6-04-my-data-exported')
    await tap(page, '删除我的数据')
    await page.getByTestId('delete-confirm').waitFor()
    await shot(page, 'j6-05-delete-confirm')
    await tap(page, '确认删除')
    await page.getByTestId('delete-result').waitFor()
    await shot(page, 'j6-06-deleted')

    for (const [route, name, text] of [
      ['account/help/index', 'j6-07-help', '每月支付笔数少于15笔'],
      ['account/about/index', 'j6-08-about', '演示数据'],
      ['account/settings/index', 'j6-09-settings', '长辈模式'],
    ] as const) {
      await page.goto(`${c.url}#/pages/${route}`)
      await page.getByText(text).locator('visible=true').first().waitFor()
      await shot(page, name)
    }
    await page.close()
  })

  it('10. with the keyboard alone: Tab reaches each button (not a disabled one), Enter and Space press it; Space ticks the agreements, and a switch turns', async () => {
    const c = await freshCloud()
    const page = await newPhone(browser)
    await page.goto(`${c.url}#/pages/index/index`)
    await page.getByLabel('以 alice 登录').waitFor()
    /** Presses Tab until the button labelled `label` has the focus; what the focus passed on the way. */
    const tabTo = async (label: string) => {
      const passed: string[] = []
      for (let i = 0; i < 40; i++) {
        await page.keyboard.press('Tab')
        const focused = await page.evaluate(() => {
          const e = document.activeElement
          if (!e) return ''
          const name = e.getAttribute('aria-label') ?? (e.textContent ?? '').trim().slice(0, 20)
          return `${name}|${e.tagName.toLowerCase()}|${e.getAttribute('role') ?? ''}`
        })
        passed.push(focused)
        if (focused.startsWith(`${label}|`)) return passed
      }
      throw new Error(`Tab never reached ${label}: ${passed.join(', ')}`)
    }
    const toSignIn = await tabTo('以 alice 登录')
    expect(toSignIn.at(-1)).toBe('以 alice 登录|taro-button-core|button')
    // The sign-in with a typed name is disabled while its field is empty: Tab passes it by, and a
    // screen reader hears it as disabled.
    const typedSignIn = page.locator('taro-button-core', { hasText: '以该用户进入' })
    expect(await typedSignIn.getAttribute('tabindex')).toBe('-1')
    expect(await typedSignIn.getAttribute('aria-disabled')).toBe('true')
    expect(toSignIn.filter((f) => f.startsWith('以该用户进入|'))).toEqual([])
    await page.keyboard.press('Enter')
    await page.getByLabel('开始开通').waitFor()
    await tabTo('开始开通')
    await page.keyboard.press('Space')
    await page.getByTestId('agreement-userAgreement').waitFor()
    await shot(page, 'j10-01-agreements-by-keyboard')
    // The agreements by keyboard too: Space ticks a box (Enter does not: a checkbox is Space's),
    // and once all are ticked Tab reaches 同意并继续 and Enter goes on to the real name.
    const checked = () => page.evaluate(() => document.activeElement?.getAttribute('aria-checked'))
    const tickedNow = () => page.locator('[role="checkbox"][aria-checked="true"]:focus').waitFor()
    await tabTo('《用户协议》')
    await page.keyboard.press('Enter')
    expect(await checked()).toBe('false')
    await page.keyboard.press('Space')
    await tickedNow()
    for (const label of ['《隐私政策》', '生物识别信息单独授权', '金融信息单独授权']) {
      await tabTo(label)
      await page.keyboard.press('Space')
      await tickedNow()
    }
    await tabTo('同意并继续')
    await page.keyboard.press('Enter')
    await labelled(page, '提交实名认证').waitFor()
    // A switch: 长辈模式 by Space, and off again by Enter.
    await page.goto(`${c.url}#/pages/account/settings/index`)
    await page.getByTestId('elder-state').locator('visible=true').waitFor()
    await tabTo('长辈模式')
    await page.keyboard.press('Space')
    await page.getByTestId('elder-state').getByText('已开启').waitFor()
    await page.keyboard.press('Enter')
    await page.getByTestId('elder-state').getByText('未开启').waitFor()
    await page.close()
  })
})
