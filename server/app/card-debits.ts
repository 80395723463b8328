// Automatic debit (自动扣款): the borrower's own consent for a line (given when it opens, or
// later), a switch that turns it off at any time, and the job that debits what falls due on the
// due day — 09:00 China time, again at 13:00 and 18:00 if it fails (src/domain/auto-debit.ts).
// Each attempt is a payment through the lender's gateway with an id fixed by the loan, the day and
// its number, so a second run, or two at once, asks for nothing twice; the money is recorded only
// when the gateway says it was taken, through the same confirmation as a WeChat Pay payment
// (payments.ts: the loan, its line, receipt, journal entry and audit entry in one transaction).
import { fail, ok } from '../../src/api'
import { nextDebit, DEBIT_HOURS, type DebitAttempt } from '../../src/domain/auto-debit'
import { DAY_MS, chinaDateString, fromChinaDateTime, toChinaDateTime } from '../../src/domain/china-time'
import { transition as lineTransition } from '../../src/domain/line'
import { formatYuanGrouped } from '../../src/domain/money'
import { channelOf, newPayment } from '../../src/domain/payment'
import type { Doc, Ports } from '../ports'
import { COLLECTIONS } from '../schema'
import { lineId, lineView, writeLine, type LineDoc } from './lines'
import { dueKeyBound, type LoanDoc } from './loans/docs'
import { changePayment, pendingFor, sendDebit, settle, watchOf, type PaymentDoc } from './payments'
import type { MessageDoc } from './reminders'
import type { UseCase } from './use-case'
import { loadUser } from './users'

/** Attempt `n` of a loan's debit on a due day: the same id on every run (≤ 32 characters, as order numbers are). */
export function debitIdOf(ports: Ports, loanId: string, dueDate: string, n: number): string {
  return `ad_${ports.secrets.keyedHash('card-debit', `${loanId}:${dueDate}:${n}`).slice(0, 24)}`
}

/** lines.autoDebit: on (from the bound card, the borrower's agreement recorded in the line's history) or off. */
export const setAutoDebit: UseCase<'lines', 'autoDebit'> = async (ports, openid, input) => {
  const now = ports.clock.now()
  const card = input.on ? (await loadUser(ports.store, openid))?.data.cards?.[0] : undefined
  if (input.on && !card)
    return fail('STEP_REQUIRED', { detail: 'bankCard', message: '请先绑定本人的借记卡，再开启自动扣款。' })
  const id = lineId(openid, input.product)
  const r = await ports.store.transact(async (tx) => {
    const d = await tx.get<LineDoc>(COLLECTIONS.lines, id)
    if (!d || d.data.openid !== openid) return null
    const t = lineTransition(
      d.data.line,
      card
        ? { type: 'SET_AUTO_DEBIT', on: true, last4: card.last4, cardToken: card.token }
        : { type: 'SET_AUTO_DEBIT', on: false },
      now,
    )
    if (!t.ok) return t
    return {
      ok: true as const,
      doc: t.line === d.data.line ? d.data : await writeLine(tx, id, d, { ...d.data, line: t.line }),
    }
  })
  if (!r) return fail('NOT_FOUND', { field: 'product' })
  if (!r.ok) return fail(r.code === 'INVALID_TRANSITION' ? 'INVALID_TRANSITION' : 'CONFLICT', { message: r.message })
  ports.log.info('auto_debit_changed', { line: id, on: input.on })
  return ok(lineView(r.doc))
}

export interface DebitRun {
  /** Loans looked at (their next unpaid installment falls due by today's end). */
  scanned: number
  /** Attempts asked for this run. */
  asked: number
  taken: number
  refused: number
  /** Attempts the gateway has not decided yet. */
  waiting: number
}

/**
 * The debit job (the timer; the local cloud's interval): for every loan due today whose line has
 * automatic debit on, the attempt whose time has come is asked for and, if the gateway answers at
 * once, recorded; an attempt still waiting is asked about. A loan the borrower is paying in the
 * WeChat Pay sheet right now is left to that payment (the next attempt's time tries again).
 */
export async function runDebitJobs(ports: Ports, limit = 200): Promise<DebitRun> {
  const now = ports.clock.now()
  const t = toChinaDateTime(now)
  const startOfToday = fromChinaDateTime({ year: t.year, month: t.month, day: t.day })
  const run: DebitRun = { scanned: 0, asked: 0, taken: 0, refused: 0, waiting: 0 }
  // Nothing is debited before the day's first attempt.
  if (now < startOfToday + DEBIT_HOURS[0] * 3_600_000) return run
  // Loans whose next unpaid installment fell due within the last month or falls due by today's end
  // (one overdue since then has today's installment among its lines too), a page at a time.
  let cursor = dueKeyBound(startOfToday - 31 * DAY_MS)
  const end = dueKeyBound(startOfToday + DAY_MS)
  for (let pages = 0; pages < 50; pages++) {
    const page = await ports.store.query<LoanDoc>(COLLECTIONS.loans, {
      index: 'byRemind',
      eq: 1,
      gte: cursor,
      lt: end,
      limit,
    })
    const fresh = page.filter((d) => d.data.track.dueKey !== cursor)
    for (const d of fresh) {
      run.scanned++
      await debitLoan(ports, d, now, run).catch((error: unknown) => {
        // One loan's trouble never stops the others.
        ports.log.error('debit_job_failed', {
          loanId: d.id,
          error: error instanceof Error ? error.message : String(error),
        })
      })
    }
    if (page.length < limit || fresh.length === 0) break
    cursor = page[page.length - 1].data.track.dueKey
  }
  return run
}

async function debitLoan(ports: Ports, d: Doc<LoanDoc>, now: number, run: DebitRun): Promise<void> {
  const loan = d.data.loan
  const today = chinaDateString(now)
  if (!loan.schedule.some((l) => l.dueDate === today)) return
  const line = d.data.lineId ? await ports.store.get<LineDoc>(COLLECTIONS.lines, d.data.lineId) : null
  const mandate = line?.data.line.autoDebit ?? null
  // Today's attempts so far, in order.
  const attempts: Array<Doc<PaymentDoc>> = []
  for (let n = 1; n <= DEBIT_HOURS.length; n++) {
    const a = await ports.store.get<PaymentDoc>(COLLECTIONS.payments, debitIdOf(ports, d.id, today, n))
    if (!a) break
    attempts.push(a)
  }
  const states: DebitAttempt[] = []
  for (const a of attempts) {
    let p = a.data.payment
    if (p.state === 'pending') {
      // Asked for earlier and not decided then: what does the gateway say now?
      await settle(ports, a.id)
      p = (await ports.store.get<PaymentDoc>(COLLECTIONS.payments, a.id))?.data.payment ?? p
      if (p.state === 'paid') run.taken++
      else if (p.state === 'failed') run.refused++
      else run.waiting++
    }
    states.push({ state: p.state, createdAt: p.createdAt })
    if (p.state === 'failed') await tellFailed(ports, d.data.openid, d.id, today, p.amountFen, p.failure, states.length)
  }
  // Turned off (or never on): no new attempt; one already asked for is the gateway's to finish.
  if (!mandate) return
  const plan = nextDebit(loan, now, states)
  if (!plan) return
  // The borrower is paying in the WeChat Pay sheet right now: that payment decides; the next time tries again.
  if (
    (await pendingFor(ports, d.id)).some(
      (p) => channelOf(p.data.payment) === 'wechatPay' && now < p.data.payment.expiresAt,
    )
  )
    return
  const user = (await loadUser(ports.store, d.data.openid))?.data
  // The very card agreed to (its binding's token); a mandate from before tokens were kept, by its last four.
  const card = user?.cards?.find((c) => (mandate.cardToken ? c.token === mandate.cardToken : c.last4 === mandate.last4))
  const id = debitIdOf(ports, d.id, plan.dueDate, plan.attempt)
  const payment = newPayment(
    id,
    { loanId: d.id, purpose: 'repay', amountFen: plan.amountFen, prepay: null, channel: 'cardDebit' },
    now,
  )
  const debit = card
    ? { cardToken: card.token, last4: card.last4, subjectHash: user?.identity?.idHash ?? '', dueDate: plan.dueDate }
    : undefined
  const attempt: PaymentDoc = {
    openid: d.data.openid,
    payment,
    request: null,
    ...watchOf(payment),
    ...(debit ? { debit } : {}),
  }
  const inserted = await ports.store.insert<PaymentDoc>(COLLECTIONS.payments, id, attempt)
  // Another run made this attempt: it is that run's.
  if (!inserted.ok) return
  run.asked++
  if (!debit) {
    // The card the borrower agreed to be debited is no longer bound: nothing is asked of any other.
    await changePayment(ports, id, { type: 'FAIL', reason: 'CARD_NOT_BOUND' })
    run.refused++
    await tellFailed(ports, d.data.openid, d.id, today, plan.amountFen, 'CARD_NOT_BOUND', plan.attempt)
    return
  }
  try {
    const sent = await sendDebit(ports, attempt)
    if (!sent.ok) {
      run.refused++
      await tellFailed(ports, d.data.openid, d.id, today, plan.amountFen, sent.detail, plan.attempt)
      return
    }
  } catch (error) {
    // Not known to have reached the gateway: the next run asks about it (and asks for it again under the same id).
    ports.log.warn('debit_send_failed', {
      paymentId: id,
      error: error instanceof Error ? error.message : String(error),
    })
    run.waiting++
    return
  }
  await settle(ports, id)
  const state = (await ports.store.get<PaymentDoc>(COLLECTIONS.payments, id))?.data.payment
  if (state?.state === 'paid') run.taken++
  else if (state?.state === 'failed') {
    run.refused++
    await tellFailed(ports, d.data.openid, d.id, today, plan.amountFen, state.failure, plan.attempt)
  } else run.waiting++
}

const FAILURE_TEXT: Record<string, string> = {
  INSUFFICIENT_FUNDS: '银行卡余额不足',
  CARD_NOT_BOUND: '授权扣款的银行卡已解绑',
}

/** One message a day when a debit fails: what happened, what is tried next, and what the borrower can do. */
async function tellFailed(
  ports: Ports,
  openid: string,
  loanId: string,
  dueDate: string,
  amountFen: number,
  failure: string | null,
  attempt: number,
) {
  const why = FAILURE_TEXT[failure ?? ''] ?? '银行未能完成扣款'
  const left = DEBIT_HOURS.slice(attempt).map((h) => `${String(h).padStart(2, '0')}:00`)
  const next = left.length > 0 ? `今天 ${left.join('、')} 会再试。` : '今天不再尝试，未还部分按逾期规则处理。'
  await ports.store.insert<MessageDoc>(COLLECTIONS.messages, `${loanId}:debit-failed:${dueDate}:${attempt}`, {
    openid,
    loanId,
    kind: 'debit-failed',
    title: '自动扣款未成功',
    body: `${dueDate} 自动扣款 ${formatYuanGrouped(amountFen)} 未成功（${why}），没有扣到钱。${next}你也可以现在在借款页用微信支付还款。`,
    at: ports.clock.now(),
    read: false,
  })
}
