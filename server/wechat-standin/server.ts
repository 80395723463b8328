// A local stand-in for WeChat Cloud's own protocol: the HTTP endpoint the real wx-server-sdk talks
// to when `cloud.init({ serviceUrl })` points it here. Every call is `POST /admin` naming its
// operation in `action` — JSON for `database.*` and `storage.*`, multipart for `wx.openApi`
// (protobuf inside) and `wx.wxPayApi` — and is answered as WeChat Cloud answers it (HTTP 200,
// `{ data }` or `{ code, message }`). Every call is recorded (`GET /__standin/calls`), and a test
// can make the next calls fail, wait or answer twice (`faults`).
import { EJSON } from 'bson'
import http from 'node:http'
import path from 'node:path'
import type { AddressInfo } from 'node:net'
import { StandinDatabase, type DbRequest } from './database'
import { StandinOpenApi } from './openapi'
import { StandinPay, type Invoke } from './pay'
import { decodeCommApiData, encodeCommOpenApiResp, pairsToParams } from './protobuf'
import { StandinStorage } from './storage'

export interface StandinCall {
  seq: number
  at: number
  action: string
  /** wx.openApi / wx.wxPayApi: which API. */
  apiName?: string
  collectionName?: string
  transactionId?: string
  /** The request as the SDK sent it, decoded (EJSON strings parsed, protobuf pairs read). */
  request: Record<string, unknown>
  /** The error code answered, if the call failed. */
  code?: string
}

/** What the next matching calls do instead of their usual answer. */
export interface Fault {
  /** `database.modifyDocument`, `wx.openApi`…, or `*`. */
  action: string
  apiName?: string
  kind: 'error' | 'delay' | 'http500'
  /** For `error`: the code answered (default SYS_ERR). */
  code?: string
  /** For `delay`: how long to wait before answering normally. */
  ms?: number
  /** How many calls it applies to. */
  times: number
}

export interface StandinOptions {
  /** The environment id the SDK names (`env` in cloud.init). */
  env?: string
  /** Where the database and files are kept between runs; none: in memory. */
  dataDir?: string | null
  now?: () => number
  /** How WeChat reaches a cloud function (payment callbacks). */
  invoke?: Invoke
  appid?: string
  mchId?: string
}

export interface Standin {
  url: string
  /** What cloud.init's serviceUrl is. */
  serviceUrl: string
  db: StandinDatabase
  openapi: StandinOpenApi
  pay: StandinPay
  storage: StandinStorage
  calls: StandinCall[]
  /** The calls after sequence number `since` (what GET /__standin/calls?since= answers). */
  callsSince(since: number): StandinCall[]
  faults: Fault[]
  /** Creates the collections a deployment creates in the console. */
  deploy(collections: string[]): void
  /** A fresh environment: no collections, documents, orders, grants, files, calls or faults. */
  reset(): void
  close(): Promise<void>
}

const MAX_CALLS = 20_000

export async function startStandin(opts: StandinOptions = {}, port = 0, host = '127.0.0.1'): Promise<Standin> {
  const now = opts.now ?? (() => Date.now())
  const env = opts.env ?? 'kaitong-standin'
  const dataDir = opts.dataDir ?? null
  let base = ''
  const db = new StandinDatabase(dataDir ? path.join(dataDir, 'standin-db.jsonl') : null, now)
  const openapi = new StandinOpenApi(now)
  const pay = new StandinPay(now, opts.appid ?? 'wxstandin0000000', opts.mchId ?? '1900000109', opts.invoke ?? null)
  const storage = new StandinStorage(env, () => base, now, dataDir ? path.join(dataDir, 'standin-files') : null)
  const calls: StandinCall[] = []
  const faults: Fault[] = []
  let seq = 0

  const callsSince = (since: number) => calls.filter((c) => c.seq > since)
  const record = (call: Omit<StandinCall, 'seq' | 'at'>) => {
    const entry = { seq: ++seq, at: now(), ...call }
    calls.push(entry)
    if (calls.length > MAX_CALLS) calls.splice(0, calls.length - MAX_CALLS)
    return entry
  }

  /** The fault that applies to this call, used up by one. */
  const faultFor = (action: string, apiName?: string): Fault | null => {
    const f = faults.find(
      (x) => x.times > 0 && (x.action === '*' || x.action === action) && (!x.apiName || x.apiName === apiName),
    )
    if (!f) return null
    f.times--
    if (f.times <= 0) faults.splice(faults.indexOf(f), 1)
    return f
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      // The cause for whoever runs the stand-in, never a stack for the caller.
      process.stderr.write(`wechat-standin: ${error instanceof Error ? error.stack : String(error)}\n`)
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' })
      res.end('Internal Server Error')
    })
  })

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://standin')
    if (url.pathname.startsWith('/__standin/cos/'))
      return cos(decodeURIComponent(url.pathname.slice('/__standin/cos/'.length)), url, req, res)
    if (url.pathname === '/__standin/calls' && req.method === 'GET') {
      return json(res, { calls: callsSince(Number(url.searchParams.get('since') ?? 0)) })
    }
    if (req.method !== 'POST') return json(res, { code: 'INVALID_PARAM', message: 'POST only' }, 405)
    const body = await readBody(req)
    const type = req.headers['content-type'] ?? ''
    if (type.startsWith('multipart/form-data')) return multipart(body, type, res)
    let j: Record<string, unknown>
    try {
      j = JSON.parse(body.toString('utf8')) as Record<string, unknown>
    } catch {
      return json(res, { code: 'INVALID_PARAM', message: 'body is not JSON' })
    }
    const action = String(j.action ?? '')
    const fault = faultFor(action)
    if (fault?.kind === 'delay') await new Promise((r) => setTimeout(r, fault.ms ?? 1000))
    if (fault?.kind === 'http500') {
      record({ action, request: decodeRequest(j), code: 'HTTP_500' })
      res.writeHead(500, { 'content-type': 'text/plain' })
      return void res.end('Internal Server Error')
    }
    if (fault?.kind === 'error') {
      record({ action, request: decodeRequest(j), code: fault.code ?? 'SYS_ERR' })
      return json(res, { code: fault.code ?? 'SYS_ERR', message: 'injected by the stand-in', requestId: `r${seq}` })
    }
    let answer: Record<string, unknown>
    if (action.startsWith('database.')) answer = db.handle(j as unknown as DbRequest) as Record<string, unknown>
    else if (action.startsWith('storage.')) answer = storageAction(action, j)
    else answer = { code: 'INVALID_PARAM', message: `unsupported action ${action}` }
    record({
      action,
      ...(typeof j.collectionName === 'string' ? { collectionName: j.collectionName } : {}),
      ...(typeof j.transactionId === 'string' ? { transactionId: j.transactionId } : {}),
      request: decodeRequest(j),
      ...(typeof answer.code === 'string' ? { code: answer.code } : {}),
    })
    return json(res, { ...answer, requestId: `r${seq}` })
  }

  function storageAction(action: string, j: Record<string, unknown>): Record<string, unknown> {
    if (action === 'storage.getUploadMetadata') {
      const p = typeof j.path === 'string' ? j.path : ''
      if (!p || p.startsWith('/') || p.length > 850)
        return { code: 'STORAGE_INVALID_PARAM', message: 'invalid cloudPath' }
      return { data: storage.uploadMetadata(p) }
    }
    if (action === 'storage.batchGetDownloadUrl')
      return { data: storage.downloadUrls((j.file_list as Array<{ fileid?: unknown; max_age?: unknown }>) ?? []) }
    if (action === 'storage.batchDeleteFile') return { data: storage.remove((j.fileid_list as unknown[]) ?? []) }
    return { code: 'INVALID_PARAM', message: `unsupported action ${action}` }
  }

  async function multipart(body: Buffer, type: string, res: http.ServerResponse): Promise<void> {
    const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(type)
    const fields = boundary ? parseMultipart(body, boundary[1] ?? boundary[2]) : {}
    const action = fields.action?.toString('utf8') ?? ''
    const apiName = fields.apiName?.toString('utf8') ?? ''
    const fault = faultFor(action, apiName)
    if (fault?.kind === 'delay') await new Promise((r) => setTimeout(r, fault.ms ?? 1000))
    const unreadable = (what: string, error: unknown) => {
      record({ action, apiName, request: {}, code: 'INVALID_PARAM' })
      return json(res, {
        code: 'INVALID_PARAM',
        message: `${what}: ${error instanceof Error ? error.message : String(error)}`,
      })
    }
    if (action === 'wx.openApi') {
      let params: Record<string, unknown>
      try {
        params = fields.requestData ? pairsToParams(decodeCommApiData(fields.requestData).pairs) : {}
      } catch (error) {
        return unreadable('requestData is not a CommApiData message', error)
      }
      if (fault?.kind === 'error' || fault?.kind === 'http500') {
        record({ action, apiName, request: summarize(params), code: fault.code ?? 'SYS_ERR' })
        return binary(res, encodeCommOpenApiResp({ errorCode: -1 }))
      }
      const answer = await openapi.handle(apiName, params)
      const code =
        'errorCode' in answer
          ? String(answer.errorCode)
          : 'json' in answer && answer.json.errcode
            ? String(answer.json.errcode)
            : undefined
      record({ action, apiName, request: summarize(params), ...(code ? { code } : {}) })
      if ('errorCode' in answer) return binary(res, encodeCommOpenApiResp({ errorCode: answer.errorCode }))
      if ('image' in answer)
        return binary(
          res,
          encodeCommOpenApiResp({
            respData: answer.image,
            contentType: answer.contentType,
            errorCode: 0,
            httpCode: 200,
          }),
        )
      return binary(
        res,
        encodeCommOpenApiResp({
          respData: Buffer.from(JSON.stringify(answer.json)),
          contentType: 'application/json; charset=UTF-8',
          errorCode: 0,
          httpCode: 200,
        }),
      )
    }
    if (action === 'wx.wxPayApi') {
      let params: Record<string, unknown>
      try {
        params = fields.requestData ? (JSON.parse(fields.requestData.toString('utf8')) as Record<string, unknown>) : {}
      } catch (error) {
        return unreadable('requestData is not JSON', error)
      }
      if (fault?.kind === 'error' || fault?.kind === 'http500') {
        record({ action, apiName, request: params, code: fault.code ?? 'SYS_ERR' })
        return json(res, { code: fault.code ?? 'SYS_ERR', message: 'injected by the stand-in' })
      }
      const answer = pay.handle(apiName, params)
      record({
        action,
        apiName,
        request: params,
        ...(typeof answer !== 'string' && answer.result_code === 'FAIL' ? { code: String(answer.err_code) } : {}),
        ...(typeof answer !== 'string' && answer.return_code === 'FAIL' ? { code: String(answer.return_msg) } : {}),
      })
      // A bill is its CSV text, which the SDK hands over as it is (`{ data }`).
      if (typeof answer === 'string') {
        res.writeHead(200, { 'content-type': 'application/octet-stream' })
        return void res.end(Buffer.from(answer, 'utf8'))
      }
      // Raw JSON bytes (not served as `application/json; charset=utf-8`, which the SDK would parse and then refuse).
      res.writeHead(200, { 'content-type': 'application/octet-stream' })
      return void res.end(Buffer.from(JSON.stringify(answer)))
    }
    record({ action, request: {}, code: 'INVALID_PARAM' })
    return json(res, { code: 'INVALID_PARAM', message: `unsupported action ${action}` })
  }

  async function cos(cloudPath: string, url: URL, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (req.method === 'PUT') {
      const refused = storage.put(
        cloudPath,
        req.headers['x-cos-security-token'] as string | undefined,
        await readBody(req),
      )
      record({ action: 'cos.put', request: { path: cloudPath }, ...(refused ? { code: 'AccessDenied' } : {}) })
      res.writeHead(refused ? 403 : 200, { 'content-type': 'application/xml' })
      return void res.end(refused ?? '')
    }
    const file = storage.get(cloudPath, url.searchParams.get('sign'), Number(url.searchParams.get('t') ?? 0))
    record({
      action: 'cos.get',
      request: { path: cloudPath },
      ...(Buffer.isBuffer(file) ? {} : { code: String(file ?? 'NOT_FOUND') }),
    })
    if (!Buffer.isBuffer(file)) {
      res.writeHead(file === 'EXPIRED' ? 403 : 404, { 'content-type': 'application/xml' })
      return void res.end(`<Error><Code>${file === 'EXPIRED' ? 'AccessDenied' : 'NoSuchKey'}</Code></Error>`)
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': file.length })
    res.end(file)
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => resolve())
  })
  base = `http://${host}:${(server.address() as AddressInfo).port}`
  return {
    url: base,
    serviceUrl: `${base}/admin`,
    db,
    openapi,
    pay,
    storage,
    calls,
    callsSince,
    faults,
    reset() {
      db.reset()
      pay.reset()
      openapi.reset()
      storage.reset()
      calls.length = 0
      faults.length = 0
    },
    deploy(collections) {
      for (const name of collections)
        if (!db.collectionNames().includes(name)) db.handle({ action: 'database.addCollection', collectionName: name })
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

/** The request with its EJSON strings parsed: what a test reads to see what the SDK sent. */
function decodeRequest(j: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(j)) {
    if (
      [
        'envName',
        'wxCloudApiToken',
        'wxCloudbaseAccesstoken',
        'tcb_sessionToken',
        'crossAuthorizationToken',
        'action',
      ].includes(k)
    )
      continue
    if ((k === 'query' || k === 'data' || k === 'order' || k === 'projection') && typeof v === 'string')
      out[k] = parse(v)
    else if (k === 'data' && Array.isArray(v)) out[k] = v.map((x) => (typeof x === 'string' ? parse(x) : x))
    else out[k] = v
  }
  return out
}

function parse(text: string): unknown {
  try {
    return EJSON.parse(text, { relaxed: true })
  } catch {
    return text
  }
}

/** An open-API call's parameters with media parts reduced to their size. */
function summarize(params: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(params).map(([k, v]) =>
      v && typeof v === 'object' && Buffer.isBuffer((v as { bytes?: unknown }).bytes)
        ? [k, { contentType: (v as { contentType: string }).contentType, bytes: (v as { bytes: Buffer }).bytes.length }]
        : [k, v],
    ),
  )
}

/** multipart/form-data: each part's name and its bytes. */
export function parseMultipart(body: Buffer, boundary: string): Record<string, Buffer> {
  const fields: Record<string, Buffer> = {}
  const delimiter = Buffer.from(`--${boundary}`)
  let start = body.indexOf(delimiter)
  while (start !== -1) {
    const partStart = start + delimiter.length
    if (body.subarray(partStart, partStart + 2).toString() === '--') break
    const next = body.indexOf(delimiter, partStart)
    if (next === -1) break
    const part = body.subarray(partStart + 2, next - 2) // after CRLF, before CRLF
    const headerEnd = part.indexOf('\r\n\r\n')
    if (headerEnd !== -1) {
      const headers = part.subarray(0, headerEnd).toString('utf8')
      const name = /name="([^"]*)"/i.exec(headers)?.[1]
      if (name) fields[name] = part.subarray(headerEnd + 4)
    }
    start = next
  }
  return fields
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

function json(res: http.ServerResponse, body: unknown, status = 200): void {
  res.writeHead(status, { 'content-type': 'application/json' })
  res.end(JSON.stringify(body))
}

function binary(res: http.ServerResponse, body: Buffer): void {
  res.writeHead(200, { 'content-type': 'application/octet-stream' })
  res.end(body)
}
