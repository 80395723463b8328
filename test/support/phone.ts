// The H5 build in Chromium as a phone (375 × 812, zh-CN), with the steps many journeys share.
import fs from 'node:fs'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { fromChinaDateTime } from '../../src/domain/china-time'
import { atFullHeight, expectAccessible } from './axe'
import { launchChromium } from './browser'
import { ROOT, startCloudProcess, type CloudProcess } from './local-cloud-process'

export const ARTIFACTS = path.join(ROOT, 'artifacts', 'e2e')

/** For a suite's beforeAll: the H5 build (it must be there), the local cloud as `npm start` runs it, and Chromium. */
export async function startStage(): Promise<{ cloud: CloudProcess; browser: Browser }> {
  if (!fs.existsSync(path.join(ROOT, 'dist-h5', 'index.html'))) {
    throw new Error('dist-h5/ is missing: run `npm run build:h5` first (npm test does it).')
  }
  fs.mkdirSync(ARTIFACTS, { recursive: true })
  const cloud = await startCloudProcess()
  try {
    return { cloud, browser: await launchChromium() }
  } catch (e) {
    await cloud.stop()
    throw e
  }
}

export async function newPhone(browser: Browser): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 375, height: 812 }, deviceScaleFactor: 2, locale: 'zh-CN' })
  page.on('pageerror', (e) => {
    throw e
  })
  return page
}

/** A full-page screenshot in artifacts/e2e/, after checking nothing is wider than the phone. */
export async function shot(page: Page, name: string) {
  // Let Taro's page transition finish first.
  await page.waitForTimeout(400)
  const width = await page.evaluate(() => document.documentElement.scrollWidth)
  expect(width).toBeLessThanOrEqual(375)
  fs.mkdirSync(ARTIFACTS, { recursive: true })
  // Taro's H5 pages scroll inside their own container: the phone grows to the page's height, so
  // the screenshot shows all of it and the accessibility check judges all of it.
  await atFullHeight(page, async () => {
    await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true })
    // What was just shown, as a screen reader and a keyboard meet it.
    await expectAccessible(page, name, ARTIFACTS, '.taro_page')
  })
}

/** Types into the input labelled `label` (Taro's H5 input, or a plain one) and leaves it. */
export async function fill(page: Page, label: string, value: string) {
  const input = page.locator(`[aria-label="${label}"] input, input[aria-label="${label}"]`).first()
  await input.fill(value)
  await input.blur()
}

export async function signIn(page: Page, url: string, user: string, scene?: string) {
  await page.goto(`${url}${scene ? `?scene=${encodeURIComponent(scene)}` : ''}#/pages/index/index`)
  await page.getByLabel(`以 ${user} 登录`).click()
  // Home's start button, named for where it goes: 开始开通, 继续开通 or 查看产品.
  await page.getByLabel(/^(开始开通|继续开通|查看产品)$/).waitFor()
}

export async function acceptAll(page: Page) {
  await page.getByTestId('agreement-userAgreement').waitFor()
  for (const label of ['《用户协议》', '《隐私政策》', '生物识别信息单独授权', '金融信息单独授权']) {
    await page.getByLabel(label, { exact: true }).click()
  }
}

/** POSTs to the local cloud's dev endpoints (clock, reminders) as a test harness would. */
export async function devPost<T = unknown>(url: string, route: string, body: unknown = {}): Promise<T> {
  const res = await fetch(`${url}${route.replace(/^\//, '')}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  const json = (await res.json()) as { ok: boolean; data: T; error?: unknown }
  if (!json.ok) throw new Error(`${route}: ${JSON.stringify(json.error)}`)
  return json.data
}

/** Moves the local cloud's clock to 10:00 China time the day after `dueDate` (YYYY-MM-DD): overdue, and the D+1 reminder due. */
export async function clockToDayAfterDue(url: string, dueDate: string): Promise<void> {
  const [y, m, d] = dueDate.split('-').map(Number)
  const target = fromChinaDateTime({ year: y, month: m, day: d, hour: 10 }) + 24 * 3600_000
  const { now } = await devPost<{ now: number }>(url, '/__dev/clock', { advanceMs: 0 })
  await devPost(url, '/__dev/clock', { advanceMs: target - now })
}

/** The visible element labelled exactly `label` (pages further back in Taro's stack stay in the DOM, hidden). */
export function labelled(page: Page, label: string) {
  return page.locator(`[aria-label="${label.replace(/"/g, '\\"')}"]:visible`).first()
}

export async function tap(page: Page, label: string) {
  await labelled(page, label).click()
}

/** Agreements → real name → pre-check → bank card → pay score, screenshots along the way. */
export async function onboardInBrowser(
  page: Page,
  who: { name: string; id: string; mobile: string; card: string },
  prefix: string | null,
) {
  const snap = (name: string) => (prefix ? shot(page, `${prefix}-${name}`) : Promise.resolve())
  await tap(page, '开始开通')
  await acceptAll(page)
  await snap('02-agreements')
  await tap(page, '同意并继续')
  await labelled(page, '提交实名认证').waitFor()
  await fill(page, '姓名', who.name)
  await fill(page, '身份证号', who.id)
  await fill(page, '手机号', who.mobile)
  await snap('03-real-name')
  await tap(page, '提交实名认证')
  await page.getByTestId('verdict').waitFor()
  await snap('04-precheck')
  await tap(page, '继续开通')
  await fill(page, '持卡人姓名', who.name)
  await fill(page, '持卡人身份证号', who.id)
  await fill(page, '银行卡号', who.card)
  await page.getByText('招商银行').first().waitFor()
  await fill(page, '银行预留手机号', who.mobile)
  await snap('05-bank-card')
  await tap(page, '确认绑定')
  await labelled(page, '去授权').waitFor()
  await snap('06-pay-score')
  await tap(page, '去授权')
  await page.getByTestId('sim-pay-score').waitFor()
  await snap('07-pay-score-sheet')
  await tap(page, '同意授权')
}

/**
 * The contract on screen — its title, its text, the first 16 hex of its hash — read, then signed
 * with the explicit tap (the only way on): the hash shown is what the server is sent.
 */
export async function signContract(page: Page, title: string, shotName: string) {
  const reader = page.getByTestId('contract-reader').locator('visible=true')
  await reader.getByText(title).first().waitFor()
  await reader.getByTestId('contract-text').getByText('借款人：', { exact: false }).first().waitFor()
  await reader.getByTestId('contract-sha').waitFor()
  await shot(page, shotName)
  await tap(page, '同意并签署')
}

/**
 * From a products card: 开通 (the facts, the explicit consent, 确认开通), then the line on screen.
 * Opening is the one credit inquiry: the consent is ticked here, once.
 */
export async function openLine(page: Page, product: string, prefix: string) {
  await tap(page, `开通 ${product}`)
  await page.getByTestId('open-facts').locator('visible=true').waitFor()
  await page.getByText('查询一次征信（授信审批）').locator('visible=true').first().waitFor()
  await shot(page, `${prefix}-open`)
  await tap(page, '征信查询授权')
  await tap(page, `确认开通${product}`)
  await signContract(page, '个人消费信用额度合同（授信合同）', `${prefix}-contract`)
  await page.getByTestId('open-active').locator('visible=true').waitFor()
  await page.getByText(`开通成功：${product}额度已生效`).locator('visible=true').waitFor()
  await shot(page, `${prefix}-opened`)
}

/**
 * On an offer builder for an open line: `amount` (a preset chip), then 确认借款 — with no consent
 * to tick, because a drawdown queries no credit report — and approved.
 */
export async function borrowOnLine(
  page: Page,
  amountLabel: string,
  prefix: string,
  extra?: (p: Page) => Promise<void>,
) {
  await page.getByTestId('preview').locator('visible=true').waitFor()
  await page.getByTestId('amount').locator('visible=true').getByLabel(amountLabel).click()
  if (extra) await extra(page)
  await shot(page, `${prefix}-offer`)
  await tap(page, '下一步：确认借款')
  await page.getByTestId('no-inquiry').locator('visible=true').getByText('借款不再硬查询征信').waitFor()
  expect(await page.locator('[aria-label="征信查询授权"]:visible').count()).toBe(0)
  await shot(page, `${prefix}-confirm`)
  await tap(page, '确认借款')
  await signContract(page, '个人消费借款合同（借据）', `${prefix}-contract`)
  await page.getByTestId('decision-approved').locator('visible=true').waitFor()
  await shot(page, `${prefix}-decision`)
}

/** Opens the product's line, then 去借款 and one drawdown of `amountLabel` on it (screenshots `<prefix>-09…`, `<prefix>-10…`). */
export async function openAndBorrow(page: Page, product: string, amountLabel: string, prefix: string) {
  await openLine(page, product, `${prefix}-09`)
  await tap(page, `去借款 ${product}`)
  await borrowOnLine(page, amountLabel, `${prefix}-10`)
}
