// The two protobuf messages `wx.openApi` carries, read and written with protobufjs's minimal
// Reader/Writer. Field numbers are those of the SDK's own schema (wx-server-sdk's
// src/protobuf/openapi.js): the request CommApiData { 1 apiType, 2 openapiData { 1 pairs:
// KeyValuePair { 1 key, 2 value, 3 contenttype, 4 filename } }, 6 appid } and the answer
// CommOpenApiResp { 1 respData, 2 contentType, 3 errorCode, 4 httpCode }.
import { Reader, Writer } from 'protobufjs/minimal'

export interface KeyValuePair {
  key: string
  value: Buffer
  contenttype?: string
  filename?: string
}

export function decodeCommApiData(buf: Uint8Array): { apiType: number; pairs: KeyValuePair[]; appid?: string } {
  const r = Reader.create(buf)
  const out: { apiType: number; pairs: KeyValuePair[]; appid?: string } = { apiType: 0, pairs: [] }
  while (r.pos < r.len) {
    const tag = r.uint32()
    const field = tag >>> 3
    if (field === 1) out.apiType = r.int32()
    else if (field === 2) out.pairs.push(...decodeOpenApiData(r.bytes()))
    else if (field === 6) out.appid = r.string()
    else r.skipType(tag & 7)
  }
  return out
}

function decodeOpenApiData(buf: Uint8Array): KeyValuePair[] {
  const r = Reader.create(buf)
  const pairs: KeyValuePair[] = []
  while (r.pos < r.len) {
    const tag = r.uint32()
    if (tag >>> 3 === 1) pairs.push(decodePair(r.bytes()))
    else r.skipType(tag & 7)
  }
  return pairs
}

function decodePair(buf: Uint8Array): KeyValuePair {
  const r = Reader.create(buf)
  const kv: KeyValuePair = { key: '', value: Buffer.alloc(0) }
  while (r.pos < r.len) {
    const tag = r.uint32()
    const field = tag >>> 3
    if (field === 1) kv.key = r.string()
    else if (field === 2) kv.value = Buffer.from(r.bytes())
    else if (field === 3) kv.contenttype = r.string()
    else if (field === 4) kv.filename = r.string()
    else r.skipType(tag & 7)
  }
  return kv
}

/** The parameters the caller passed, snake_cased by the SDK; each value is JSON text (media parts stay bytes). */
export function pairsToParams(pairs: KeyValuePair[]): Record<string, unknown> {
  return Object.fromEntries(
    pairs.map((p) => [
      p.key,
      p.contenttype ? { contentType: p.contenttype, bytes: p.value } : JSON.parse(p.value.toString('utf8')),
    ]),
  )
}

export function encodeCommOpenApiResp(resp: {
  respData?: Uint8Array
  contentType?: string
  errorCode?: number
  httpCode?: number
}): Buffer {
  const w = Writer.create()
  if (resp.respData !== undefined) w.uint32(10).bytes(resp.respData)
  if (resp.contentType !== undefined) w.uint32(18).string(resp.contentType)
  if (resp.errorCode !== undefined) w.uint32(24).int32(resp.errorCode)
  if (resp.httpCode !== undefined) w.uint32(32).uint32(resp.httpCode)
  return Buffer.from(w.finish())
}
