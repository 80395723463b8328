/**
 * The product in the browser on the code path a WeChat deployment runs: the local cloud started as
 * `KAITONG_CLOUD=wechat-standin npm start` starts it, so every read and write, every subscribe
 * message and every mini-program code goes through the WeChat adapters and the real wx-server-sdk
 * to the stand-in of WeChat Cloud's protocol; only what is outside WeChat Cloud is simulated.
 */
import fs from 'node:fs'
import path from 'node:path'
import type { Browser } from 'playwright-core'
import { launchChromium } from '../support/browser'
import { makeCard } from '../support/cards'
import { makeIdNumber } from '../support/factories'
import { formsFound } from '../support/at-rest'
import { freshRequestId } from '../support/http-borrower'
import { startCloudProcess, type CloudProcess } from '../support/local-cloud-process'
import {
  clockToDayAfterDue,
  devPost,
  newPhone,
  onboardInBrowser,
  openAndBorrow,
  shot,
  signIn,
  tap,
} from '../support/phone'

jest.setTimeout(150_000)

let cloud: CloudProcess
let browser: Browser
const person = {
  name: '赵六',
  id: makeIdNumber({ seq: '617' }),
  mobile: '13912345566',
  card: makeCard('622588', '000000000'),
}
const PEOPLE = [{ name: person.name, idNumber: person.id, mobile: person.mobile, card: person.card }]

interface Call {
  seq: number
  action: string
  apiName?: string
  collectionName?: string
  request: Record<string, unknown>
}

async function calls(since = 0): Promise<Call[]> {
  const res = await fetch(`${cloud.url}__standin/calls?since=${since}`)
  expect(res.status).toBe(200)
  return ((await res.json()) as { calls: Call[] }).calls
}

beforeAll(async () => {
  cloud = await startCloudProcess({ env: { KAITONG_CLOUD: 'wechat-standin' } })
  browser = await launchChromium()
}, 60_000)

/** What the stand-in keeps on disk (its database and files) holds no one's identity in any findable form. */
afterAll(async () => {
  await browser?.close()
  await cloud?.stop()
  const dir = path.join(path.dirname(cloud.dbFile), 'standin')
  const files = fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((f) => f.isFile())
  const bytes = Buffer.concat(files.map((f) => fs.readFileSync(path.join(f.parentPath, f.name))))
  expect(files.map((f) => f.name)).toContain('standin-db.jsonl')
  expect(formsFound(bytes, PEOPLE)).toEqual([])
})

it('starts on the stand-in: the SQLite file is never made, and the console says where the data is', async () => {
  expect(cloud.output()).toMatch(/WeChat stand-in, through wx-server-sdk/)
  expect(fs.existsSync(cloud.dbFile)).toBe(false)
})

it('a new user from a merchant code opens WE2000, borrows on the line, allows reminders, gets the overdue reminder as a WeChat subscribe message, and repays — all through wx-server-sdk', async () => {
  const page = await newPhone(browser)
  await signIn(page, cloud.url, 'alice', 'm=cafe01')
  await page.getByTestId('merchant').filter({ hasText: '街角咖啡（演示商户）' }).waitFor()
  await onboardInBrowser(page, person, 's1')
  await page.getByText('达到要求').first().waitFor()
  await tap(page, '继续')
  await openAndBorrow(page, 'WE2000', '借款金额 ¥1,000', 's1')
  // 允许 in the subscribe sheet is what WeChat records as a grant: the stand-in holds it.
  await tap(page, '订阅还款提醒')
  await page.getByTestId('sim-subscribe').waitFor()
  await tap(page, '允许')
  await page.getByTestId('subscribe-result').filter({ hasText: '已订阅' }).waitFor()

  // Every write the journey made reached the stand-in as the SDK's own actions, to the collections a deployment creates.
  const served = await calls()
  const actions = new Set(served.map((c) => c.action))
  for (const a of ['database.getDocument', 'database.insertDocument', 'database.modifyDocument'])
    expect([a, actions.has(a)]).toEqual([a, true])
  // Reads by id (queryType DOC) and by index (WHERE, ordered and paged) both went through the SDK.
  const reads = served.filter((c) => c.action === 'database.getDocument').map((c) => c.request.queryType)
  expect(new Set(reads)).toEqual(new Set(['DOC', 'WHERE']))
  // Inserted, or set inside a transaction (a loan with its line, receipts and audit entries is one).
  const written = new Set(
    served
      .filter((c) => c.action === 'database.insertDocument' || c.action === 'database.modifyDocument')
      .map((c) => c.collectionName),
  )
  for (const c of ['users', 'consents', 'lines', 'lineChanges', 'loans', 'receipts', 'audit', 'requests'])
    expect([c, written.has(c)]).toEqual([c, true])
  // What the SDK sent holds no identity in the clear (the adapter seals it before it leaves the function).
  expect(formsFound(Buffer.from(JSON.stringify(served)), PEOPLE)).toEqual([])

  // The day after the first due date, 10:00 China time: overdue, and the D+1 reminder is sent.
  const { token } = await devPost<{ token: string }>(cloud.url, '/__dev/signin', { user: 'alice' })
  const res = await fetch(`${cloud.url}api/loans`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ action: 'list', data: {}, requestId: freshRequestId('e2e') }),
  })
  const list = (await res.json()) as { ok: true; data: Array<{ schedule: Array<{ dueDate: string }> }> }
  await clockToDayAfterDue(cloud.url, list.data[0].schedule[0].dueDate)
  const before = served.at(-1)!.seq
  await devPost(cloud.url, '/__dev/reminders/run', {})
  const sent = (await calls(before)).filter((c) => c.action === 'wx.openApi' && c.apiName === 'subscribeMessage.send')
  expect(sent).toHaveLength(1)
  expect(sent[0].request).toMatchObject({ touser: 'o_dev_alice', template_id: 'tpl_local_overdue' })
  const outbox = await (await fetch(`${cloud.url}__dev/outbox`)).text()
  expect(outbox).toContain('tpl_local_overdue')

  // Back in the app: the loan is overdue; repaid in full, it is settled.
  await page.goto(`${cloud.url}#/pages/loans/index`)
  await page.locator('[data-testid="loan-item"]:visible').first().click()
  await page.getByTestId('overdue').waitFor()
  await shot(page, 's1-11-overdue')
  await page.locator('[aria-label^="全部还清，"]:visible').first().click()
  // Cloud pay through the SDK: the order is the stand-in's; the sheet pays it, and the stand-in calls payCallback.
  await page.getByTestId('sim-payment').waitFor()
  await tap(page, '模拟：确认支付')
  await page.getByTestId('loan-state').filter({ hasText: '已结清' }).waitFor()
  await shot(page, 's1-12-settled')
  await page.close()
})
