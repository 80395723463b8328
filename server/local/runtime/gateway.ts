// The local cloud's HTTP face: serves the H5 build and POST /api/<function>, calling the same
// main(event, context) the WeChat runtime calls, with the caller named by a signed dev session.
import { LocalFiles } from '../adapters/files'
import fs from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import zlib from 'node:zlib'
import * as v from 'valibot'
import { ERRORS, FUNCTION_NAMES, type ApiResult, type ErrorCode, type FunctionName } from '../../../src/api'
import { createMain, type Main } from '../../app/handler'
import { markOverdue } from '../../app/loans/index'
import { runScheduledJobs } from '../../app/timer'
import { createPayCallback, runPaymentJobs } from '../../app/payments'
import { loanIdOfPayout, settlePayout } from '../../app/payouts'
import { PAY_CALLBACK_FUNCTION } from '../../ports'
import { CONSOLE_FUNCTION } from '../../../src/api/console'
import { createConsoleMain } from '../../app/console/main'
import { devOperatorSession, getOperator } from '../../app/console/operators'
import type { DevPorts } from '../ports'
import { DevSessions, DEV_USER, devOpenid } from './session'
import { DEV_PROFILE_PAGE, SimProfileSchema } from './dev-profile'
import { PERSONAS } from '../adapters/simulators'
import { SqliteStore } from '../adapters/sqlite-store'
import type { StandinPorts } from '../standin-ports'

const MAX_BODY = 64 * 1024
const DEV_GET_ROUTES = new Set([
  '/__dev/personas',
  '/__dev/profile',
  '/__dev/profile/data',
  '/__dev/outbox',
  '/__dev/store',
  '/__standin/calls',
])
/** Where the built console (console/dist) is served. */
export const CONSOLE_PATH = '/console/'

export interface LocalCloudOptions {
  ports: DevPorts
  /** The H5 build to serve (dist-h5/). */
  staticDir?: string
  /** The operator console's build (console/dist), served at /console/. */
  consoleDir?: string
  /** Dev endpoints (sign-in, clock) answer only in local mode. */
  mode: 'local' | 'shared'
}

export interface LocalCloud {
  server: http.Server
  mains: Record<FunctionName, Main>
  sessions: DevSessions
}

/** Local-cloud context: the gateway passes the verified session's openid as OPENID. */
export const whoIsLocal = (_event: unknown, context: unknown): string | null => {
  const openid = (context as { OPENID?: unknown } | null)?.OPENID
  return typeof openid === 'string' && openid !== '' ? openid : null
}

const STATUS: Partial<Record<ErrorCode, number>> = {
  BAD_ENVELOPE: 400,
  UNAUTHENTICATED: 401,
  DEV_DISABLED: 403,
  NOT_FOUND: 404,
  UNKNOWN_FUNCTION: 404,
  PAYLOAD_TOO_LARGE: 413,
  INTERNAL: 500,
}

export function createLocalCloud(opts: LocalCloudOptions): LocalCloud {
  const { ports } = opts
  const sessions = new DevSessions(ports.secrets.derive('dev-session'))
  const caller = ports.caller ?? { whoIs: whoIsLocal, runAs: <T>(_openid: string, call: () => T) => call() }
  const mains = Object.fromEntries(
    FUNCTION_NAMES.map((fn) => [fn, createMain(fn, () => ports, caller.whoIs)]),
  ) as Record<FunctionName, Main>
  // WeChat Pay's callback function: the simulated WeChat Pay calls it as WeChat does; a borrower
  // can call it too (POST /api/payCallback, as wx.cloud.callFunction can), and changes nothing.
  const payCallback = createPayCallback(() => ports)
  const consoleMain = createConsoleMain(() => ports)
  ports.setPayCallback((event) => payCallback(event))

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      ports.log.error('gateway_unhandled', { error: error instanceof Error ? error.stack : String(error) })
      if (!res.headersSent) send(res, errorBody('INTERNAL'))
      else res.end()
    })
  })

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://local')
    const route = url.pathname
    if (route === '/healthz') return send(res, { ok: true, data: { status: 'up', mode: opts.mode } }, 200)
    // The public key that checks the server's signatures (contracts, receipts): anyone may read it.
    if (route === '/.well-known/kaitong-signing-key' && (req.method === 'GET' || req.method === 'HEAD')) {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'max-age=300' })
      return void res.end(JSON.stringify({ keys: ports.secrets.signingKeys() }))
    }
    // A contract's PDF by its signed, expiring address (cloud storage's temporary URL in WeChat).
    if (route.startsWith('/files/') && req.method === 'GET' && ports.files instanceof LocalFiles)
      return serveFile(ports.files, route.slice('/files/'.length), url, res)
    if (route.startsWith('/api/') || route.startsWith('/__dev/') || route.startsWith('/__standin/')) {
      if (req.method !== 'POST' && !(req.method === 'GET' && DEV_GET_ROUTES.has(route))) {
        return send(res, errorBody('NOT_FOUND', '请使用 POST。'), 405)
      }
      if (!route.startsWith('/api/')) {
        if (opts.mode !== 'local') return send(res, errorBody('DEV_DISABLED'))
        return dev(route, req, res)
      }
      return api(route.slice('/api/'.length), req, res)
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, errorBody('NOT_FOUND'))
    if (route === '/console') {
      res.writeHead(301, { location: CONSOLE_PATH })
      return void res.end()
    }
    if (route.startsWith(CONSOLE_PATH))
      return serveStatic(route.slice(CONSOLE_PATH.length - 1), req, res, opts.consoleDir, 'npm run build:console')
    return serveStatic(route, req, res, opts.staticDir, 'npm run build:h5')
  }

  async function serveFile(files: LocalFiles, p: string, url: URL, res: http.ServerResponse): Promise<void> {
    const got = await files.open(decodeURIComponent(p), url.searchParams.get('exp'), url.searchParams.get('sig'))
    if (typeof got === 'string') {
      const status = got === 'NOT_FOUND' ? 404 : 403
      const message = got === 'EXPIRED' ? '下载链接已过期，请回到合同页重新下载。' : '下载链接无效。'
      return send(res, errorBody(got === 'NOT_FOUND' ? 'NOT_FOUND' : 'FORBIDDEN', message), status)
    }
    res.writeHead(200, {
      'content-type': p.endsWith('.pdf') ? 'application/pdf' : 'application/octet-stream',
      'content-length': got.length,
      'content-disposition': `attachment; filename="${p.split('/').pop()}"`,
      'cache-control': 'private, no-store',
    })
    res.end(Buffer.from(got))
  }

  async function api(fn: string, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (fn === PAY_CALLBACK_FUNCTION) return forgedCallback(req, res)
    // The operator console's function: an operator's bearer token, never a borrower's session.
    if (fn === CONSOLE_FUNCTION) {
      const body = await readJson(req)
      if (!body.ok) return send(res, body.error)
      const result = await consoleMain(body.value, { OPERATOR_TOKEN: bearer(req) })
      // A role without the action is refused as HTTP 403, as the HTTP access service answers it.
      return send(res, result, !result.ok && result.error.code === 'FORBIDDEN' ? 403 : undefined)
    }
    if (!(FUNCTION_NAMES as string[]).includes(fn)) return send(res, errorBody('UNKNOWN_FUNCTION'))
    const openid = sessions.verify(bearer(req))
    if (!openid)
      return send(res, errorBody('UNAUTHENTICATED', '缺少或无效的登录凭证（Authorization: Bearer <token>）。'))
    const body = await readJson(req)
    if (!body.ok) return send(res, body.error)
    const result = await caller.runAs(openid, () => mains[fn as FunctionName](body.value, { OPENID: openid }))
    send(res, result)
  }

  /**
   * A mini-program calling the payCallback function by name, with any event it likes: the function
   * answers as it answers WeChat Pay, and records only what the provider confirms.
   */
  async function forgedCallback(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const openid = sessions.verify(bearer(req))
    if (!openid) return send(res, errorBody('UNAUTHENTICATED'))
    const body = await readJson(req)
    if (!body.ok) return send(res, body.error)
    const answer = await caller.runAs(openid, () => payCallback(body.value))
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' })
    res.end(JSON.stringify(answer))
  }

  /** The simulated payment sheet: the signed-in payer pays (or the payment fails), and WeChat Pay calls back. */
  async function devPayment(paymentId: string, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const openid = sessions.verify(bearer(req))
    if (!openid) return send(res, errorBody('UNAUTHENTICATED', '请先选择测试用户登录。'))
    const body = await readJson(req)
    if (!body.ok) return send(res, body.error)
    const input = (body.value ?? {}) as {
      outcome?: unknown
      duplicates?: unknown
      amountFen?: unknown
      delayMs?: unknown
      deliver?: unknown
    }
    if (input.outcome !== 'success' && input.outcome !== 'fail')
      return send(res, errorBody('INVALID_INPUT', 'outcome：success 或 fail。'), 400)
    const count = (x: unknown, max: number) =>
      x === undefined || (typeof x === 'number' && Number.isSafeInteger(x) && x >= 0 && x <= max)
    if (!count(input.duplicates, 100)) return send(res, errorBody('INVALID_INPUT', 'duplicates：0–100 的整数。'), 400)
    if (!count(input.delayMs, 10_000))
      return send(res, errorBody('INVALID_INPUT', 'delayMs：0–10000 的整数（毫秒）。'), 400)
    if (input.amountFen !== undefined && !(count(input.amountFen, 1e12) && (input.amountFen as number) > 0))
      return send(res, errorBody('INVALID_INPUT', 'amountFen：正整数（分）。'), 400)
    if (input.deliver !== undefined && typeof input.deliver !== 'boolean')
      return send(res, errorBody('INVALID_INPUT', 'deliver：true 或 false（false：付款后暂不回调）。'), 400)
    const done = await ports.simulatePayment(openid, paymentId, {
      outcome: input.outcome,
      duplicates: input.duplicates as number | undefined,
      amountFen: input.amountFen as number | undefined,
      delayMs: input.delayMs as number | undefined,
      deliver: input.deliver as boolean | undefined,
    })
    if (!done) return send(res, errorBody('NOT_FOUND'))
    return send(res, { ok: true, data: { paymentId, outcome: input.outcome, answers: done.answers } })
  }

  /** The simulated payout rail: the signed-in borrower's payout fails (the card refused it) before it lands. */
  async function devPayout(payoutId: string, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const openid = sessions.verify(bearer(req))
    if (!openid) return send(res, errorBody('UNAUTHENTICATED', '请先选择测试用户登录。'))
    const body = await readJson(req)
    if (!body.ok) return send(res, body.error)
    if ((body.value as { outcome?: unknown } | null)?.outcome !== 'fail')
      return send(
        res,
        errorBody('INVALID_INPUT', 'outcome：fail（放款会在 2 秒内自动到账，除非在此之前让它失败）。'),
        400,
      )
    const loanId = loanIdOfPayout(payoutId)
    const loan = await ports.store.get<{ openid: string }>('loans', loanId)
    if (!loan || loan.data.openid !== openid) return send(res, errorBody('NOT_FOUND'))
    const outcome = await ports.payouts.fail(payoutId)
    if (outcome === 'missing') return send(res, errorBody('NOT_FOUND'))
    return send(res, { ok: true, data: { payoutId, outcome, loan: await settlePayout(ports, loanId) } })
  }

  async function dev(route: string, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (route === '/__dev/personas') {
      return send(res, { ok: true, data: Object.entries(PERSONAS).map(([user, p]) => ({ user, summary: p.summary })) })
    }
    if (route === '/__dev/profile') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
      res.end(DEV_PROFILE_PAGE)
      return
    }
    if (route === '/__dev/profile/data') return devProfile(req, res)
    if (route === '/__dev/loans/accrue') return send(res, { ok: true, data: await markOverdue(ports) })
    if (route === '/__dev/reminders/run') return send(res, { ok: true, data: await runScheduledJobs(ports) })
    if (route === '/__dev/outbox') return outboxPage(res)
    // The SQLite store's group-commit figures (bench:reliability reads them around a load).
    if (route === '/__dev/store')
      return ports.store instanceof SqliteStore
        ? send(res, { ok: true, data: ports.store.groupCommitFigures() })
        : send(res, errorBody('NOT_FOUND', '这个本地云的数据不在 SQLite 里（KAITONG_CLOUD=wechat-standin）。'), 404)
    if (route === '/__standin/calls') return standinCalls(req, res)
    if (route === '/__dev/subscribe') return devSubscribe(req, res)
    if (route === '/__dev/payments/run') return send(res, { ok: true, data: await runPaymentJobs(ports) })
    if (route.startsWith('/__dev/payouts/'))
      return devPayout(decodeURIComponentSafe(route.slice('/__dev/payouts/'.length)), req, res)
    if (route.startsWith('/__dev/payments/'))
      return devPayment(decodeURIComponentSafe(route.slice('/__dev/payments/'.length)), req, res)
    if (route.startsWith('/__dev/face/'))
      return devFace(decodeURIComponentSafe(route.slice('/__dev/face/'.length)), req, res)
    const body = await readJson(req)
    if (!body.ok) return send(res, body.error)
    const input = (body.value ?? {}) as Record<string, unknown>
    if (route === '/__dev/signin' && input.operator !== undefined) {
      // An operator's session without the password and TOTP (local only, like the borrower's).
      const name = typeof input.operator === 'string' ? input.operator : ''
      const op = await getOperator(ports, name)
      if (!op) return send(res, errorBody('NOT_FOUND', `没有这个运营人员：${name.slice(0, 32)}。`), 404)
      return send(res, { ok: true, data: await devOperatorSession(ports, op.id) })
    }
    if (route === '/__dev/signin') {
      const user = typeof input.user === 'string' ? input.user.trim().toLowerCase() : ''
      if (!DEV_USER.test(user))
        return send(res, errorBody('INVALID_INPUT', 'user：1–32 个小写字母、数字、_ 或 -。'), 400)
      const openid = devOpenid(user)
      return send(res, { ok: true, data: { token: sessions.issue(openid, ports.clock.now()), openid } })
    }
    if (route === '/__dev/clock') {
      const advanceMs = input.advanceMs
      if (typeof advanceMs !== 'number' || !Number.isSafeInteger(advanceMs) || advanceMs < 0) {
        return send(res, errorBody('INVALID_INPUT', 'advanceMs：非负整数（毫秒）。'), 400)
      }
      return send(res, { ok: true, data: { now: ports.clock.advance(advanceMs) } })
    }
    return send(res, errorBody('NOT_FOUND'))
  }

  /** The subscribe messages sent (by the outbox, or through the SDK to the stand-in), newest first. */
  async function outboxPage(res: http.ServerResponse): Promise<void> {
    const messages = await ports.sentMessages(200)
    const esc = (x: string) => x.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`)
    const items = messages.map((m) => {
      const fields = Object.entries(m.data)
        .map(([k, v]) => `${esc(k)}: ${esc(v.value)}`)
        .join('<br>')
      return `<tr><td>${new Date(m.at).toISOString()}</td><td>${esc(m.openid)}</td><td>${esc(m.templateId)}</td><td>${fields}</td></tr>`
    })
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
    res.end(
      `<!doctype html><meta charset="utf-8"><title>开通 · 订阅消息发件箱（仅本地）</title><body style="font:14px system-ui;padding:16px"><h1>订阅消息发件箱（仅本地云）</h1><p>${messages.length} 条</p><table border="1" cellpadding="6" style="border-collapse:collapse"><tr><th>时间 (UTC)</th><th>openid</th><th>模板</th><th>内容</th></tr>${items.join('')}</table></body>`,
    )
  }

  /** The calls the stand-in served (GET /__standin/calls?since=<seq>); there is none in local mode. */
  async function standinCalls(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const standin = (ports as Partial<StandinPorts>).standin
    if (!standin)
      return send(
        res,
        errorBody('NOT_FOUND', '本地云没有运行 WeChat 替身：用 KAITONG_CLOUD=wechat-standin npm start 启动。'),
      )
    // The stand-in runs in this process: its record is read directly, as its own endpoint reads it.
    const since = Number(new URL(req.url ?? '/', 'http://local').searchParams.get('since') ?? 0)
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' })
    res.end(JSON.stringify({ calls: standin.callsSince(since) }))
  }

  /** The simulated subscribe sheet's 允许: the templates the signed-in person allowed, once each. */
  async function devSubscribe(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const openid = sessions.verify(bearer(req))
    if (!openid) return send(res, errorBody('UNAUTHENTICATED', '请先选择测试用户登录。'))
    const body = await readJson(req)
    if (!body.ok) return send(res, body.error)
    const ids = (body.value as { templateIds?: unknown } | null)?.templateIds
    if (
      !Array.isArray(ids) ||
      ids.length === 0 ||
      ids.length > 3 ||
      !ids.every((t) => typeof t === 'string' && t !== '')
    )
      return send(res, errorBody('INVALID_INPUT', 'templateIds：1–3 个模板 ID（字符串）。'), 400)
    ports.grantSubscribe(openid, ids as string[])
    return send(res, { ok: true, data: { templateIds: ids } })
  }

  /** The simulated face sheet: what the signed-in user did with this verifyId (pass / fail / cancel / timeout). */
  async function devFace(verifyId: string, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const openid = sessions.verify(bearer(req))
    if (!openid) return send(res, errorBody('UNAUTHENTICATED', '请先选择测试用户登录。'))
    const body = await readJson(req)
    if (!body.ok) return send(res, body.error)
    const outcome = (body.value as { outcome?: unknown } | null)?.outcome
    if (outcome !== 'pass' && outcome !== 'fail' && outcome !== 'cancel' && outcome !== 'timeout') {
      return send(res, errorBody('INVALID_INPUT', 'outcome：pass、fail、cancel 或 timeout。'), 400)
    }
    if (!(await ports.face.setOutcome(verifyId, openid, outcome))) return send(res, errorBody('NOT_FOUND'))
    return send(res, { ok: true, data: { verifyId, outcome } })
  }

  /** The signed-in user's simulated profile: GET reads it, POST { profile } or { reset: true } replaces it. */
  async function devProfile(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const openid = sessions.verify(bearer(req))
    if (!openid) return send(res, errorBody('UNAUTHENTICATED', '请先选择测试用户登录。'))
    if (req.method === 'GET')
      return send(res, { ok: true, data: { openid, profile: await ports.world.profile(openid) } })
    const body = await readJson(req)
    if (!body.ok) return send(res, body.error)
    const input = (body.value ?? {}) as { profile?: unknown; reset?: unknown }
    if (input.reset === true)
      return send(res, { ok: true, data: { openid, profile: await ports.world.edit(openid, null) } })
    const parsed = v.safeParse(SimProfileSchema, input.profile)
    if (!parsed.success) {
      const issue = parsed.issues[0]
      const where = issue.path?.map((p) => String(p.key)).join('.') || 'profile'
      return send(res, errorBody('INVALID_INPUT', `${where}：${issue.message}`), 400)
    }
    return send(res, { ok: true, data: { openid, profile: await ports.world.edit(openid, parsed.output) } })
  }

  function serveStatic(
    route: string,
    req: http.IncomingMessage,
    res: http.ServerResponse,
    dir: string | undefined,
    build: string,
  ): void {
    const root = dir ? path.resolve(dir) : null
    const index = root ? path.join(root, 'index.html') : null
    if (!root || !index || !fs.existsSync(index)) {
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' })
      res.end(`Build not found: run \`${build}\` (npm start does it for you).\n`)
      return
    }
    let file = path.join(root, path.normalize(decodeURIComponentSafe(route)).replace(/^(\.\.[/\\])+/, ''))
    // One stat per request: whether it is a file, and (for its gzip) which version of it.
    let st = file.startsWith(root + path.sep) ? fs.statSync(file, { throwIfNoEntry: false }) : undefined
    if (!st || st.isDirectory()) {
      file = index
      st = fs.statSync(index)
    }
    const type = CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream'
    const cache = file === index ? 'no-cache' : 'public, max-age=31536000, immutable'
    // Text goes compressed to a browser that takes gzip, as a web host or CDN serves it.
    const gzipped = COMPRESSIBLE.test(file) && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))
    if (!gzipped) {
      res.writeHead(200, { 'content-type': type, 'cache-control': cache, vary: 'accept-encoding' })
      return void fs.createReadStream(file).pipe(res)
    }
    const body = gzippedFile(file, st)
    res.writeHead(200, {
      'content-type': type,
      'cache-control': cache,
      'content-encoding': 'gzip',
      'content-length': body.length,
      vary: 'accept-encoding',
    })
    res.end(req.method === 'HEAD' ? undefined : body)
  }

  return { server, mains, sessions }
}

function bearer(req: http.IncomingMessage): string | undefined {
  const h = req.headers.authorization
  return h && h.startsWith('Bearer ') ? h.slice('Bearer '.length).trim() : undefined
}

function readJson(
  req: http.IncomingMessage,
): Promise<{ ok: true; value: unknown } | { ok: false; error: ApiResult<never> }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    let size = 0
    let done = false
    req.on('data', (chunk: Buffer) => {
      if (done) return
      size += chunk.length
      if (size > MAX_BODY) {
        done = true
        resolve({ ok: false, error: errorBody('PAYLOAD_TOO_LARGE') })
        req.resume()
        return
      }
      chunks.push(chunk)
    })
    req.on('end', () => {
      if (done) return
      done = true
      const text = Buffer.concat(chunks).toString('utf8')
      try {
        resolve({ ok: true, value: text === '' ? {} : (JSON.parse(text) as unknown) })
      } catch {
        resolve({ ok: false, error: errorBody('BAD_ENVELOPE', '请求体不是合法的 JSON。') })
      }
    })
    req.on('error', () => {
      if (done) return
      done = true
      resolve({ ok: false, error: errorBody('BAD_ENVELOPE') })
    })
  })
}

function errorBody(code: ErrorCode, message?: string): ApiResult<never> {
  return { ok: false, error: { code, message: message ?? ERRORS[code] } }
}

function send(res: http.ServerResponse, body: ApiResult<unknown>, status?: number): void {
  const code = body.ok ? 200 : (status ?? STATUS[body.error.code] ?? 200)
  const text = JSON.stringify(body)
  res.writeHead(code, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' })
  res.end(text)
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s)
  } catch {
    return s
  }
}

/** The built files served compressed: text. */
const COMPRESSIBLE = /\.(html|js|css|json|svg)$/

/** Each built file's gzip, made once per version of the file (a rebuild changes its size or time). */
const gzipCache = new Map<string, { stamp: string; body: Buffer }>()

function gzippedFile(file: string, st: fs.Stats): Buffer {
  const stamp = `${st.size}:${st.mtimeMs}`
  const hit = gzipCache.get(file)
  if (hit && hit.stamp === stamp) return hit.body
  const body = zlib.gzipSync(fs.readFileSync(file), { level: 9 })
  gzipCache.set(file, { stamp, body })
  return body
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
}
