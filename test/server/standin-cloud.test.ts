/**
 * `KAITONG_CLOUD=wechat-standin`: the local cloud with the WeChat adapters through the real
 * wx-server-sdk and the stand-in. The caller is named as WeChat's runtime names it (getWXContext
 * reads the environment), the subscribe sheet's 允许 becomes WeChat's grant, codes come from
 * wxacode.getUnlimited, and a kill -9 of the process loses nothing the stand-in acknowledged.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { cloudFromEnv, startLocalCloud } from '../../server/local/runtime/main'
import { standinPorts, type StandinPorts } from '../../server/local/standin-ports'
import { ALL_AGREEMENTS } from '../support/cloud'
import { postJson } from '../support/http'
import { borrowOverHttp, freshRequestId, onboardOverHttp, type ApiCall } from '../support/http-borrower'
import { makeCard } from '../support/cards'
import { makeApplicant, makeIdNumber } from '../support/factories'
import { verifyContractPdf, type Keys } from '../../server/contracts/verify'
import { startCloudProcess } from '../support/local-cloud-process'

jest.setTimeout(60_000)
// Payouts land at once here (the served cloud's 1.5 s is for people watching the page).
process.env.KAITONG_SIM_PAYOUT_MS = '0'

const tmp = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kt-standin-')), 'kaitong.db')

describe('KAITONG_CLOUD', () => {
  it('is local by default, wechat-standin on request, and a mistyped value stops the start', () => {
    expect(cloudFromEnv(undefined)).toBe('local')
    expect(cloudFromEnv('')).toBe('local')
    expect(cloudFromEnv('local')).toBe('local')
    expect(cloudFromEnv('wechat-standin')).toBe('wechat-standin')
    expect(() => cloudFromEnv('wechat')).toThrow('KAITONG_CLOUD=wechat: use local (the default) or wechat-standin')
  })
})

describe('the local cloud on the stand-in, in process', () => {
  let cloud: Awaited<ReturnType<typeof startLocalCloud>>
  let base: string
  const post = (p: string, body: unknown, token?: string) => postJson(base, p, body, token)
  const signIn = async (user: string) => (await post('/__dev/signin', { user })).json.data.token as string
  const call = (fn: string, action: string, data: unknown, token: string, requestId?: string) =>
    post(`/api/${fn}`, { action, data, ...(requestId ? { requestId } : {}) }, token)
  const standin = () => (cloud.ports as StandinPorts).standin

  beforeAll(async () => {
    cloud = await startLocalCloud({ port: 0, dbFile: tmp(), quiet: true, cloud: 'wechat-standin', staticDir: '/none' })
    base = cloud.url.replace(/\/$/, '')
  })
  afterAll(() => cloud.stop())

  it('names the caller as WeChat does: from the environment for one call, never from the context', async () => {
    const token = await signIn('bob')
    const res = await call('onboarding', 'status', {}, token)
    expect(res.json).toMatchObject({ ok: true, data: { next: 'agreements' } })
    expect(process.env.WX_OPENID).toBeUndefined()
    const read = standin()
      .calls.filter((c) => c.collectionName === 'users')
      .at(-1)
    expect(read).toMatchObject({ action: 'database.getDocument', request: { queryType: 'DOC' } })
    // The context's OPENID (what the local gateway passes) is not asked: outside runAs nobody is named.
    expect(await cloud.cloud.mains.onboarding({ action: 'status', data: {} }, { OPENID: 'o_dev_bob' })).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHENTICATED' },
    })
  })

  it('records a write through the SDK, and a retry with the same requestId changes nothing', async () => {
    const token = await signIn('henry')
    const accepted = { accepted: ALL_AGREEMENTS }
    const requestId = freshRequestId('t')
    const first = await call('onboarding', 'acceptAgreements', accepted, token, requestId)
    expect(first.json.ok).toBe(true)
    const writes = standin().calls.length
    const again = await call('onboarding', 'acceptAgreements', accepted, token, requestId)
    expect(again.json).toEqual(first.json)
    // The retry's claim is refused as a duplicate _id (E11000); nothing else is written.
    const wrote = standin()
      .calls.slice(writes)
      .filter((c) => /insertDocument|modifyDocument|removeDocument/.test(c.action) && c.code === undefined)
    expect(wrote).toEqual([])
    expect(standin().db.documents('consents').length).toBeGreaterThan(0)
  })

  it('the subscribe sheet’s 允许 is WeChat’s grant: one send per template; bad input is refused and grants nothing', async () => {
    const token = await signIn('dora')
    const openid = 'o_dev_dora'
    expect((await post('/__dev/subscribe', { templateIds: ['tpl_local_due'] })).status).toBe(401)
    for (const bad of [{}, { templateIds: [] }, { templateIds: [1] }, { templateIds: ['a', 'b', 'c', 'd'] }]) {
      const res = await post('/__dev/subscribe', bad, token)
      expect([bad, res.status, res.json.error.code]).toEqual([bad, 400, 'INVALID_INPUT'])
    }
    expect(standin().openapi.grantsLeft(openid, 'tpl_local_due')).toBe(0)
    const ok = await post('/__dev/subscribe', { templateIds: ['tpl_local_due', 'tpl_local_overdue'] }, token)
    expect(ok.json).toEqual({ ok: true, data: { templateIds: ['tpl_local_due', 'tpl_local_overdue'] } })
    expect(standin().openapi.grantsLeft(openid, 'tpl_local_due')).toBe(1)
    expect(standin().openapi.grantsLeft(openid, 'tpl_local_overdue')).toBe(1)
  })

  it('a merchant code is a PNG from wxacode.getUnlimited, sent by the SDK with the scene and page', async () => {
    const token = await signIn('operator')
    const res = await call(
      'merchants',
      'createCode',
      { merchantCode: 'tea88', name: '茶馆（测试）' },
      token,
      freshRequestId('t'),
    )
    expect(res.json).toMatchObject({ ok: true })
    expect(res.json.data.image.contentType).toBe('image/png')
    expect(Buffer.from(res.json.data.image.base64, 'base64').subarray(1, 4).toString()).toBe('PNG')
    const sent = standin()
      .calls.filter((c) => c.apiName === 'wxacode.getUnlimited')
      .at(-1)
    expect(sent?.request).toMatchObject({ scene: 'm=tea88', page: 'pages/index/index' })
  })

  it('a repayment through cloud pay: unifiedOrder by the SDK, the stand-in pays and calls payCallback, which asks queryOrder', async () => {
    const token = await signIn('alice')
    const api: ApiCall = async (fn, action, data) => (await call(fn, action, data, token, freshRequestId())).json
    await onboardOverHttp(api, makeApplicant(), makeCard('622588', '987654321'))
    const loan = await borrowOverHttp(api, { amountFen: 100_000, termMonths: 6, mode: 'equal-principal' })
    expect(loan).toMatchObject({ ok: true, data: { loan: { state: 'disbursed' } } })
    const loanId = loan.data.loan.id as string
    const since = standin().calls.at(-1)!.seq
    const opened = await api('loans', 'repay', { loanId, amountFen: 'due' })
    const payment = opened.data.payment
    // What wx.requestPayment takes, from WeChat Pay's own answer.
    expect(payment.request).toMatchObject({ provider: 'wechatPay', package: expect.stringMatching(/^prepay_id=wx/) })
    // A forged notification for it (any mini-program can call payCallback by name): nothing changes.
    const forged = await post(
      '/api/payCallback',
      { outTradeNo: payment.paymentId, totalFee: payment.amountFen, resultCode: 'SUCCESS' },
      token,
    )
    expect(forged.json).toEqual({ errcode: 0, errmsg: 'OK' })
    expect((await api('payments', 'get', { paymentId: payment.paymentId })).data.state).toBe('pending')
    // The payer pays; WeChat Pay calls back three times.
    const paid = await post(`/__dev/payments/${payment.paymentId}`, { outcome: 'success', duplicates: 2 }, token)
    expect(paid.json.data.answers).toEqual(Array.from({ length: 3 }, () => ({ errcode: 0, errmsg: 'OK' })))
    const apis = standin()
      .callsSince(since)
      .filter((c) => c.action === 'wx.wxPayApi')
      .map((c) => c.apiName)
    expect(apis).toEqual(expect.arrayContaining(['unifiedOrder', 'queryOrder']))
    expect((await api('payments', 'get', { paymentId: payment.paymentId })).data).toMatchObject({ state: 'paid' })
    const after = await api('loans', 'get', { loanId })
    expect(after.data.schedule[0].paid).toBe(true)
    const receipts = await api('loans', 'receipts', { loanId })
    expect(receipts.data.filter((r: { kind: string }) => r.kind === 'repay')).toHaveLength(1)
  })

  it('a contract’s PDF goes to cloud storage through the SDK (uploadFile, then a temporary URL), and verifies with the published key', async () => {
    const token = await signIn('henry')
    const api: ApiCall = async (fn, action, data) => (await call(fn, action, data, token, freshRequestId())).json
    await onboardOverHttp(
      api,
      makeApplicant({ idNumber: makeIdNumber({ seq: '613' }) }),
      makeCard('622588', '555555555'),
    )
    expect(await borrowOverHttp(api, { amountFen: 100_000, termMonths: 6, mode: 'equal-principal' })).toMatchObject({
      ok: true,
    })
    const note = (await api('contracts', 'list', {})).data.find((c: { kind: string }) => c.kind === 'drawdown')
    const since = standin().calls.at(-1)!.seq
    const pdf = await api('contracts', 'pdf', { contractId: note.contractId })
    expect(pdf.data.fileId).toMatch(/^cloud:\/\/.+\/contracts\/C_[0-9a-z]{24}\/dl_[0-9a-z]+\.pdf$/)
    expect(
      standin()
        .callsSince(since)
        .map((c) => c.action),
    ).toEqual(expect.arrayContaining(['storage.getUploadMetadata', 'storage.batchGetDownloadUrl']))
    const bytes = new Uint8Array(await (await fetch(pdf.data.url)).arrayBuffer())
    expect(bytes.length).toBe(pdf.data.bytes)
    const keys = ((await (await fetch(`${base}/.well-known/kaitong-signing-key`)).json()) as { keys: Keys }).keys
    expect(verifyContractPdf(bytes, keys)).toMatchObject({ valid: true, about: { pdfSha256: pdf.data.pdfSha256 } })
  })

  it('GET /__standin/calls lists what it served, from a sequence number on', async () => {
    const last = standin().calls.at(-1)!.seq
    const token = await signIn('erin')
    await call('onboarding', 'status', {}, token)
    const res = await fetch(`${base}/__standin/calls?since=${last}`)
    const { calls } = (await res.json()) as { calls: Array<{ seq: number; action: string }> }
    expect(calls.length).toBeGreaterThan(0)
    expect(calls.every((c) => c.seq > last)).toBe(true)
    expect(calls.map((c) => c.action)).toContain('database.getDocument')
  })

  it('one stand-in cloud per process: the SDK keeps its first cloud.init', async () => {
    await expect(standinPorts({ dataDir: path.dirname(tmp()) })).rejects.toThrow('one cloud.init per process')
  })
})

describe('refused combinations', () => {
  it('a shared demo never runs on the stand-in (its port checks no credentials)', async () => {
    await expect(
      startLocalCloud({ port: 0, dbFile: tmp(), quiet: true, cloud: 'wechat-standin', mode: 'shared' }),
    ).rejects.toThrow(/KAITONG_MODE=shared with KAITONG_CLOUD=wechat-standin/)
  })
})

describe('GET /__standin/calls in local mode', () => {
  it('answers NOT_FOUND, saying how to start the stand-in', async () => {
    const cloud = await startCloudProcess()
    try {
      const res = await fetch(`${cloud.url}__standin/calls`)
      expect(res.status).toBe(404)
      expect(await res.json()).toMatchObject({
        ok: false,
        error: { code: 'NOT_FOUND', message: expect.stringContaining('KAITONG_CLOUD=wechat-standin') },
      })
    } finally {
      await cloud.stop()
    }
  })
})

describe('kill -9 of the stand-in cloud', () => {
  it('loses nothing it acknowledged: agreements and a sealed identity read back after the restart', async () => {
    const dbFile = tmp()
    const env = { KAITONG_CLOUD: 'wechat-standin' }
    let cloud = await startCloudProcess({ dbFile, env })
    const api = async (url: string, fn: string, action: string, data: unknown, requestId?: string) => {
      const { token } = (await postJson(url, '__dev/signin', { user: 'frank' })).json.data
      return (await postJson(url, `api/${fn}`, { action, data, ...(requestId ? { requestId } : {}) }, token)).json
    }
    expect(
      await api(cloud.url, 'onboarding', 'acceptAgreements', { accepted: ALL_AGREEMENTS }, freshRequestId('t')),
    ).toMatchObject({
      ok: true,
    })
    const person = { name: '钱七', idNumber: '110101199003074514', mobile: '13812345678' }
    const verified = await api(cloud.url, 'onboarding', 'verifyIdentity', person, freshRequestId('t'))
    expect(verified).toMatchObject({ ok: true, data: { next: 'precheck' } })
    const exited = new Promise((r) => cloud.child.once('exit', r))
    cloud.child.kill('SIGKILL')
    await exited
    cloud = await startCloudProcess({ dbFile, env })
    try {
      const status = await api(cloud.url, 'onboarding', 'status', {})
      expect(status).toMatchObject({ ok: true, data: { next: 'precheck', identity: { name: '*七' } } })
    } finally {
      await cloud.stop()
    }
  })
})
