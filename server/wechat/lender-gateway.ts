// The lender's own data gateway (licensed credit bureau, consented aggregate signals, the pay-score
// assessment): a signed JSON POST to the URL the lender configures. No public WeChat API carries
// these. Answers are checked against their signature and against the shapes the rules need before
// anything trusts them.
import crypto from 'node:crypto'
import * as v from 'valibot'
import { BureauReportSchema, ProfileSignalsSchema } from '../../src/api/profile-schema'
import type { CreditProfile } from '../../src/domain/credit-profile'
import type { StatementLine } from '../../src/domain/reconcile'
import type { CreditBureau, CardDebits, Payouts, ProfileSignals, ProfileSource, Subject } from '../ports'
import { httpsJson, type HttpsSend } from './https'
import type { PayScoreAssessor } from './pay-score'

export interface LenderGatewayConfig {
  baseUrl: string
  /** Shared secret for the X-Kaitong-Signature HMAC. */
  signingKey: string
}

/** The bureau finds the person by legal name and ID number; the keyed hash lets the lender correlate calls. */
function subjectFields(subject: Subject): Record<string, string> {
  return {
    subjectHash: subject.idHash,
    ...(subject.name !== undefined ? { name: subject.name } : {}),
    ...(subject.idNumber !== undefined ? { idNumber: subject.idNumber } : {}),
  }
}

/**
 * The gateway protocol's signature: HMAC-SHA256 (hex) with the shared key over
 * `<timestamp>\n<nonce>\n<body>`. Requests carry it over their own body; answers over theirs, with
 * the request's timestamp and nonce, so an answer belongs to one request and cannot be replayed.
 */
export function gatewaySignature(key: string, timestamp: string, nonce: string, body: string): string {
  return crypto.createHmac('sha256', key).update(`${timestamp}\n${nonce}\n${body}`).digest('hex')
}

export class LenderGateway implements CreditBureau, ProfileSource, PayScoreAssessor {
  constructor(
    private readonly config: LenderGatewayConfig,
    private readonly now: () => number,
    private readonly send: HttpsSend = httpsJson,
  ) {}

  /** A request the gateway accepts or refuses (a payout, a debit, a refund): `{ accepted, detail? }`. */
  async ask(path: string, body: Record<string, unknown>): Promise<{ ok: true } | { ok: false; detail: string }> {
    const a = await this.call(path, v.object({ accepted: v.boolean(), detail: v.optional(v.string()) }), body)
    return a.accepted ? { ok: true } : { ok: false, detail: a.detail ?? 'refused' }
  }

  /** One signed request to the gateway, its signed answer checked against `schema`. */
  async call<S extends v.GenericSchema>(
    path: string,
    schema: S,
    payload: Record<string, unknown>,
  ): Promise<v.InferOutput<S>> {
    const body = JSON.stringify(payload)
    const timestamp = String(Math.floor(this.now() / 1000))
    const nonce = crypto.randomBytes(16).toString('hex')
    const res = await this.send({
      method: 'POST',
      url: new URL(path, this.config.baseUrl).toString(),
      headers: {
        'content-type': 'application/json',
        'x-kaitong-timestamp': timestamp,
        'x-kaitong-nonce': nonce,
        'x-kaitong-signature': gatewaySignature(this.config.signingKey, timestamp, nonce, body),
      },
      body,
    })
    if (res.status !== 200) throw new Error(`lender gateway ${path}: HTTP ${res.status}`)
    // The answer is signed over this request's timestamp and nonce: a forged or replayed answer fails here.
    const headers = Object.fromEntries(Object.entries(res.headers ?? {}).map(([k, value]) => [k.toLowerCase(), value]))
    const expected = gatewaySignature(this.config.signingKey, timestamp, nonce, res.text ?? '')
    const given = headers['x-kaitong-signature'] ?? ''
    if (given.length !== expected.length || !crypto.timingSafeEqual(Buffer.from(given), Buffer.from(expected)))
      throw new Error(`lender gateway ${path}: answer signature missing or wrong`)
    const parsed = v.safeParse(schema, res.json)
    if (!parsed.success)
      throw new Error(`lender gateway ${path}: bad answer at ${parsed.issues[0].path?.map((p) => p.key).join('.')}`)
    return parsed.output
  }

  softReport(subject: Subject, now: number): Promise<CreditProfile['bureau']> {
    return this.call('bureau/soft-report', BureauReportSchema, { ...subjectFields(subject), at: now })
  }

  async hardInquiry(subject: Subject, query: { consentId: string; purpose: string }, now: number): Promise<void> {
    await this.call('bureau/hard-inquiry', v.object({ recorded: v.literal(true) }), {
      ...subjectFields(subject),
      ...query,
      at: now,
    })
  }

  /**
   * The lender's assessment of an authorized person's pay score against `threshold` (for instance
   * from WeChat Pay's own 综合评估 on a pay-score service order): a yes or no, never a score.
   */
  async assessPayScore(subject: Subject, threshold: number): Promise<boolean> {
    // By openid and keyed hash only: an assessment needs no legal name and no ID number.
    const answer = await this.call('payscore/assessment', v.object({ meetsThreshold: v.boolean() }), {
      openid: subject.openid,
      subjectHash: subject.idHash,
      threshold,
    })
    return answer.meetsThreshold
  }

  signals(openid: string, now: number): Promise<ProfileSignals> {
    return this.call('profile/signals', ProfileSignalsSchema, { openid, at: now })
  }
}

/**
 * Payouts through the lender's gateway (`payouts/send`, `payouts/query`), the same signed protocol:
 * the gateway pays the bound card (identified by the binding's token and last four digits, never
 * the number) once per payout id, and answers its state.
 */
export class GatewayPayouts implements Payouts {
  constructor(private readonly gateway: LenderGateway) {}

  send(p: Parameters<Payouts['send']>[0]) {
    return this.gateway.ask('payouts/send', { ...p })
  }

  async query(payoutId: string) {
    const a = await this.gateway.call(
      'payouts/query',
      v.object({
        found: v.boolean(),
        state: v.optional(v.picklist(['PROCESSING', 'SUCCESS', 'FAILED'])),
        at: v.optional(v.nullable(v.number())),
        failure: v.optional(v.nullable(v.string())),
      }),
      { payoutId },
    )
    if (!a.found || !a.state) return { found: false as const }
    return { found: true as const, state: a.state, at: a.at ?? null, failure: a.failure ?? null }
  }
}

/** An amount the gateway answers: whole fen, never negative. */
const Fen = v.pipe(v.number(), v.safeInteger(), v.minValue(0))

/**
 * Automatic debit through the lender's gateway (`debits/send`, `debits/query`, `debits/refund`),
 * the same signed protocol: the gateway debits the bound card under the borrower's mandate once
 * per debit id, answers its state (a refusal with its reason), and sends money back once per
 * refund id.
 */
export class GatewayCardDebits implements CardDebits {
  constructor(private readonly gateway: LenderGateway) {}

  send(d: Parameters<CardDebits['send']>[0]) {
    return this.gateway.ask('debits/send', { ...d })
  }

  async query(debitId: string) {
    const a = await this.gateway.call(
      'debits/query',
      v.object({
        found: v.boolean(),
        state: v.optional(v.picklist(['PROCESSING', 'SUCCESS', 'FAILED'])),
        amountFen: v.optional(Fen),
        reference: v.optional(v.nullable(v.string())),
        at: v.optional(v.nullable(v.number())),
        failure: v.optional(v.nullable(v.string())),
      }),
      { debitId },
    )
    if (!a.found || !a.state || a.amountFen === undefined) return { found: false as const }
    return {
      found: true as const,
      state: a.state,
      amountFen: a.amountFen,
      reference: a.reference ?? null,
      at: a.at ?? null,
      failure: a.failure ?? null,
    }
  }

  async refund(r: Parameters<CardDebits['refund']>[0]) {
    const a = await this.gateway.ask('debits/refund', { ...r })
    return a.ok ? { ok: true as const, refundId: r.refundId } : a
  }

  /** The gateway's debit file for a China day (`debits/statement`): each debit taken or sent back that day. */
  async statement(date: string) {
    const a = await this.gateway.call(
      'debits/statement',
      v.object({
        date: v.literal(date),
        lines: v.array(
          v.object({
            debitId: v.string(),
            reference: v.nullable(v.string()),
            takenFen: Fen,
            refundedFen: Fen,
            at: v.pipe(v.number(), v.safeInteger()),
          }),
        ),
      }),
      { date },
    )
    // One line per debit, however many the file gives it (a take and a refund on one day).
    const lines = new Map<string, StatementLine>()
    for (const l of a.lines) {
      const line = lines.get(l.debitId) ?? {
        outTradeNo: l.debitId,
        transactionId: l.reference,
        receivedFen: 0,
        refundedFen: 0,
        paidAt: l.at,
      }
      if (l.takenFen > 0) line.paidAt = l.at
      line.receivedFen += l.takenFen
      line.refundedFen += l.refundedFen
      line.transactionId ??= l.reference
      lines.set(l.debitId, line)
    }
    return [...lines.values()]
  }
}
