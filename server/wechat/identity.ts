// IdentityVerifier through Tencent Cloud FaceID's ID-card verification (name + ID number against
// the public-security record), signed with TC3-HMAC-SHA256. WeChat opens no real-name API to lenders.
import crypto from 'node:crypto'
import type { CardCheckResult, CardVerifier, IdentityCheck, IdentityVerifier } from '../ports'
import { httpsJson, type HttpsSend } from './https'

export interface TencentCloudCredentials {
  secretId: string
  secretKey: string
  region?: string
}

const HOST = 'faceid.tencentcloudapi.com'
const SERVICE = 'faceid'

/** Result codes of IdCardVerification: 0 match; -1 mismatch; -2 bad ID; -3 bad name; -5 no record; others: service trouble. */
const MISMATCH = new Set(['-1', '-2', '-3', '-5'])

/**
 * One FaceID check: a signed JSON POST whose answer has a Result code. "0" is a match, the
 * `mismatch` codes mean "not this person", anything else (or an error) is the service's trouble.
 */
async function faceIdCheck(
  creds: TencentCloudCredentials,
  send: HttpsSend,
  now: () => number,
  action: string,
  payload: Record<string, string>,
  mismatch: ReadonlySet<string>,
): Promise<IdentityCheck> {
  const body = JSON.stringify(payload)
  const headers = tc3Headers(creds, action, '2018-03-01', body, Math.floor(now() / 1000))
  try {
    const res = await send({ method: 'POST', url: `https://${HOST}/`, headers, body })
    const answer = (res.json as { Response?: { Result?: string; Error?: { Code: string } } } | null)?.Response
    if (!answer || answer.Error) return { result: 'UNAVAILABLE', detail: answer?.Error?.Code ?? `HTTP ${res.status}` }
    if (answer.Result === '0') return { result: 'MATCH' }
    if (answer.Result && mismatch.has(answer.Result)) return { result: 'MISMATCH' }
    return { result: 'UNAVAILABLE', detail: `Result ${answer.Result}` }
  } catch (error) {
    return { result: 'UNAVAILABLE', detail: error instanceof Error ? error.message : String(error) }
  }
}

export class TencentIdentityVerifier implements IdentityVerifier {
  constructor(
    private readonly creds: TencentCloudCredentials,
    private readonly now: () => number,
    private readonly send: HttpsSend = httpsJson,
  ) {}

  verify(name: string, idNumber: string): Promise<IdentityCheck> {
    return faceIdCheck(
      this.creds,
      this.send,
      this.now,
      'IdCardVerification',
      { IdCard: idNumber, Name: name },
      MISMATCH,
    )
  }
}

/** BankCard4EVerification: -1 mismatch; -2…-5 invalid inputs or no record — all "this card is not this person's". */
const CARD_MISMATCH = new Set(['-1', '-2', '-3', '-4', '-5'])

/** CardVerifier through Tencent Cloud FaceID's four-element bank-card check (BankCard4EVerification). */
export class TencentCardVerifier implements CardVerifier {
  constructor(
    private readonly creds: TencentCloudCredentials,
    private readonly now: () => number,
    private readonly send: HttpsSend = httpsJson,
  ) {}

  verify(card: { name: string; idNumber: string; cardNumber: string; mobile: string }): Promise<CardCheckResult> {
    const payload = { Name: card.name, BankCard: card.cardNumber, Phone: card.mobile, IdCard: card.idNumber }
    return faceIdCheck(this.creds, this.send, this.now, 'BankCard4EVerification', payload, CARD_MISMATCH)
  }
}

/** TC3-HMAC-SHA256 request headers for a JSON POST to a Tencent Cloud API. */
export function tc3Headers(
  creds: TencentCloudCredentials,
  action: string,
  version: string,
  body: string,
  timestamp: number,
): Record<string, string> {
  const date = new Date(timestamp * 1000).toISOString().slice(0, 10)
  const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex')
  const hmac = (key: crypto.BinaryLike, s: string) => crypto.createHmac('sha256', key).update(s).digest()
  const canonical = [
    'POST',
    '/',
    '',
    `content-type:application/json; charset=utf-8\nhost:${HOST}\n`,
    'content-type;host',
    sha256(body),
  ].join('\n')
  const scope = `${date}/${SERVICE}/tc3_request`
  const toSign = ['TC3-HMAC-SHA256', String(timestamp), scope, sha256(canonical)].join('\n')
  const key = hmac(hmac(hmac(`TC3${creds.secretKey}`, date), SERVICE), 'tc3_request')
  const signature = crypto.createHmac('sha256', key).update(toSign).digest('hex')
  return {
    authorization: `TC3-HMAC-SHA256 Credential=${creds.secretId}/${scope}, SignedHeaders=content-type;host, Signature=${signature}`,
    'content-type': 'application/json; charset=utf-8',
    host: HOST,
    'x-tc-action': action,
    'x-tc-version': version,
    'x-tc-timestamp': String(timestamp),
    ...(creds.region ? { 'x-tc-region': creds.region } : {}),
  }
}
