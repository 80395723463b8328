import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { CLOUD_ROOT, NATIVE_LIBRARIES, PDF_LIBRARIES, buildCloud, cloudFunctionNames } from '../../scripts/build-cloud'

/**
 * Loads cloudfunctions/<fn>/index.js the way the WeChat runtime does (require, then
 * main(event, context)) in a fresh node, with a tripwire on every way out to the network.
 */
function runInWechatLikeRuntime(fn: string, event: unknown, env: Record<string, string> = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-cf-'))
  const script = path.join(dir, 'run.js')
  fs.writeFileSync(
    script,
    `
const net = require('net'), dns = require('dns'), http = require('http'), https = require('https')
const attempts = []
const trip = (what) => function () { attempts.push(what); throw new Error('network touched: ' + what) }
net.connect = net.createConnection = trip('net.connect')
dns.lookup = trip('dns.lookup')
http.request = http.get = trip('http.request')
https.request = https.get = trip('https.request')
const { main } = require(${JSON.stringify(path.join(CLOUD_ROOT, fn, 'index.js'))})
Promise.resolve(main(${JSON.stringify(event)}, {})).then(
  (result) => { process.stdout.write(JSON.stringify({ result, attempts })); process.exit(0) },
  (error) => { process.stdout.write(JSON.stringify({ thrown: String(error), attempts })); process.exit(0) },
)`,
  )
  const out = execFileSync(process.execPath, [script], {
    env: { PATH: process.env.PATH ?? '', ...env },
    timeout: 20_000,
    // The function logs its own errors (e.g. missing configuration) to stderr; the test reads the result.
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  return JSON.parse(out.toString()) as {
    result?: { ok: boolean; error?: { code: string } }
    thrown?: string
    attempts: string[]
  }
}

beforeAll(async () => {
  await buildCloud(() => undefined)
}, 60_000)

describe('bundled cloud functions, loaded as WeChat loads them', () => {
  it('every function folder has its bundle, a pinned wx-server-sdk and a config.json', () => {
    for (const fn of cloudFunctionNames()) {
      const pkg = JSON.parse(fs.readFileSync(path.join(CLOUD_ROOT, fn, 'package.json'), 'utf8'))
      expect(pkg.dependencies['wx-server-sdk']).toMatch(/^\d+\.\d+\.\d+$/)
      expect(fs.existsSync(path.join(CLOUD_ROOT, fn, 'index.js'))).toBe(true)
      expect(JSON.parse(fs.readFileSync(path.join(CLOUD_ROOT, fn, 'config.json'), 'utf8'))).toHaveProperty(
        'permissions.openapi',
      )
    }
    expect(cloudFunctionNames().sort()).toEqual([
      'account',
      'console',
      'contracts',
      'credit',
      'lines',
      'loans',
      'merchants',
      'onboarding',
      'payCallback',
      'payments',
      'reminders',
    ])
    // The merchants function calls wxacode.getUnlimited through cloud.openapi: it must declare it.
    expect(
      JSON.parse(fs.readFileSync(path.join(CLOUD_ROOT, 'merchants', 'config.json'), 'utf8')).permissions.openapi,
    ).toEqual(['wxacode.getUnlimited'])
    // The PDF libraries are left out of every bundle: the contracts function installs them, at the root lock's versions.
    const root = JSON.parse(fs.readFileSync(path.join(CLOUD_ROOT, '..', 'package.json'), 'utf8')).dependencies
    const contracts = JSON.parse(fs.readFileSync(path.join(CLOUD_ROOT, 'contracts', 'package.json'), 'utf8'))
    for (const lib of PDF_LIBRARIES) expect(contracts.dependencies[lib]).toBe(root[lib])
    // The console's argon2 is a native addon: installed by the function at the root lock's version.
    const consoleFn = JSON.parse(fs.readFileSync(path.join(CLOUD_ROOT, 'console', 'package.json'), 'utf8'))
    for (const lib of NATIVE_LIBRARIES) expect(consoleFn.dependencies[lib]).toBe(root[lib])
    for (const fn of cloudFunctionNames())
      expect(fs.readFileSync(path.join(CLOUD_ROOT, fn, 'index.js'), 'utf8')).not.toContain('PDFKit.PDFDocument')
  })

  it.each(cloudFunctionNames().filter((fn) => fn !== 'payCallback' && fn !== 'console'))(
    '%s: a malformed event gets BAD_ENVELOPE without touching the network',
    (fn) => {
      const out = runInWechatLikeRuntime(fn, { hello: 'world' })
      expect(out.result).toMatchObject({ ok: false, error: { code: 'BAD_ENVELOPE' } })
      expect(out.attempts).toEqual([])
    },
  )

  it('payCallback: an event without an order number is acknowledged and does nothing; one with a number but no configuration is retried', () => {
    const env = { WX_CONTEXT_KEYS: 'WX_OPENID', WX_OPENID: 'o_wechat_user' }
    expect(runInWechatLikeRuntime('payCallback', { hello: 'world' }, env)).toEqual({
      result: { errcode: 0, errmsg: 'OK' },
      attempts: [],
    })
    const out = runInWechatLikeRuntime('payCallback', { outTradeNo: 'pay_0000000000001', totalFee: 1 }, env)
    // WeChat Pay delivers it again until the function can record it: nothing is lost, nothing written.
    expect(out.result).toEqual({ errcode: -1, errmsg: 'RETRY' })
    expect(out.attempts).toEqual([])
  })

  it('console: over the HTTP access service, no bearer token is a 401 and a malformed body a BAD_ENVELOPE, without touching the network', () => {
    const out = runInWechatLikeRuntime('console', {
      httpMethod: 'POST',
      headers: {},
      body: '{"action":"reviews.list","data":{}}',
    }) as unknown as {
      result: { statusCode: number; body: string }
      attempts: string[]
    }
    expect(out.result.statusCode).toBe(401)
    expect(JSON.parse(out.result.body)).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } })
    const bad = runInWechatLikeRuntime('console', { httpMethod: 'POST', headers: {}, body: 'not json' }) as unknown as {
      result: { body: string }
      attempts: string[]
    }
    expect(JSON.parse(bad.result.body)).toMatchObject({ ok: false, error: { code: 'BAD_ENVELOPE' } })
    expect([...out.attempts, ...bad.attempts]).toEqual([])
  })

  it('an event with a user id in its body but no runtime identity is UNAUTHENTICATED', () => {
    const out = runInWechatLikeRuntime('onboarding', { action: 'status', data: { openid: 'o_someone' } })
    expect(out.result).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } })
    expect(out.attempts).toEqual([])
  })

  it('input that fails its schema is INVALID_INPUT, before any port is built', () => {
    const out = runInWechatLikeRuntime(
      'onboarding',
      { action: 'verifyIdentity', requestId: 'req_cf_00001', data: { name: 1 } },
      { WX_CONTEXT_KEYS: 'WX_OPENID', WX_OPENID: 'o_wechat_user' },
    )
    expect(out.result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
    expect(out.attempts).toEqual([])
  })

  it('the identity WeChat injects reaches the handler; missing configuration is a typed INTERNAL, not a crash', () => {
    const out = runInWechatLikeRuntime(
      'onboarding',
      { action: 'status', data: {} },
      { WX_CONTEXT_KEYS: 'WX_OPENID', WX_OPENID: 'o_wechat_user' },
    )
    expect(out.result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } })
    expect(out.attempts).toEqual([])
  })
})
