/**
 * The whole mini-program in the browser: the H5 build in Chromium at 375 px against the local
 * cloud started as `npm start` starts it (its own SQLite file). Each journey is its own test,
 * with a screenshot of every page it passes through in artifacts/e2e/ (j<n>-<step>-<page>.png).
 */
import fs from 'node:fs'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { luhnCheckDigit } from '../../src/domain/bank-card'
import { launchChromium } from '../support/browser'
import { makeIdNumber } from '../support/factories'
import { ROOT, startCloudProcess, type CloudProcess } from '../support/local-cloud-process'
import { acceptAll, devPost, fill, labelled, newPhone, shot, signIn, tap } from '../support/phone'

jest.setTimeout(120_000)

let cloud: CloudProcess
let browser: Browser

beforeAll(async () => {
  if (!fs.existsSync(path.join(ROOT, 'dist-h5', 'index.html'))) {
    throw new Error('dist-h5/ is missing: run `npm run build:h5` first (npm test does it).')
  }
  cloud = await startCloudProcess()
  browser = await launchChromium()
}, 60_000)

afterAll(async () => {
  await browser?.close()
  await cloud?.stop()
})

const CARD = '622588000000000' + luhnCheckDigit('622588000000000')

/** Agreements → real name → pre-check → bank card → pay score, screenshots along the way. */
async function onboard(page: Page, who: { name: string; id: string; mobile: string }, prefix: string | null) {
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
  await fill(page, '银行卡号', CARD)
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

describe('journeys in the browser', () => {
  it('1. a new user from a merchant code opens WE2000, draws ¥1,000, cancels within the cooling-off window, sees the receipt', async () => {
    const page = await newPhone(browser)
    await signIn(page, cloud.url, 'alice', 'm=cafe01')
    await page.getByTestId('merchant').filter({ hasText: '街角咖啡（演示商户）' }).waitFor()
    await shot(page, 'j1-01-home')
    await onboard(page, { name: '张三', id: makeIdNumber({ seq: '611' }), mobile: '13812345678' }, 'j1')
    await page.getByText('达到要求').first().waitFor()
    await tap(page, '继续')

    await labelled(page, '申请 WE2000').waitFor()
    await shot(page, 'j1-08-products')
    await tap(page, '申请 WE2000')
    await page.getByTestId('preview').waitFor()
    await page.getByTestId('amount').getByLabel('借款金额 ¥1,000').click()
    await shot(page, 'j1-09-offer')
    await tap(page, '下一步：确认借款')
    await tap(page, '征信查询授权')
    await shot(page, 'j1-10-confirm')
    await tap(page, '确认借款')
    await page.getByTestId('decision-approved').waitFor()
    await tap(page, '订阅还款提醒')
    await page.getByTestId('sim-subscribe').waitFor()
    await tap(page, '允许')
    await page.getByTestId('subscribe-result').filter({ hasText: '已订阅' }).waitFor()
    await shot(page, 'j1-11-decision')

    await tap(page, '查看借款')
    await page.getByTestId('loan-summary').waitFor()
    await page.getByText(/23:59:\d\d|24:00:00/).first().waitFor()
    await shot(page, 'j1-12-loan-detail')
    await tap(page, '取消借款')
    await tap(page, '确认取消借款')
    await page.getByTestId('loan-closed').waitFor()
    await page.getByTestId('loan-state').filter({ hasText: '已取消' }).waitFor()
    await shot(page, 'j1-13-cancelled')
    await tap(page, '电子凭证')
    await page.getByTestId('receipt').first().waitFor()
    await page.getByTestId('receipts').getByText('取消').first().waitFor()
    await shot(page, 'j1-14-receipts')
    await page.close()
  })
})
