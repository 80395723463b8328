// The credit line (额度) as a pure state machine, like the loan: transition(line, event, now) → the
// next line and its effects as data. A product is opened once; what opening gives is a line, and
// each drawdown reserves from it. Every change carries a reason code and is kept in the line's
// history (额度记录), which is what the borrower reads.
//
//   review → active ⇄ frozen → expired
//          ↘ refused   active → closed (by the borrower, with nothing in use)
import type { ProductId } from './catalog'
import { addChinaMonths } from './china-time'
import { formatYuanGrouped, type Fen, type Ppm } from './money'

export type LineState = 'review' | 'active' | 'refused' | 'frozen' | 'closed' | 'expired'

/** A line lasts this long from its decision; the yearly review renews it. */
export const LINE_MONTHS = 12
/** A review nobody decides within this is refused (REVIEW_EXPIRED): no case is a dead end. */
export const REVIEW_TTL_MS = 7 * 24 * 3600_000
/** How often the line job reviews an open line's limit on soft data (and renews it in its last stretch). */
export const LINE_REVIEW_MS = 90 * 24 * 3600_000
/** A lowered limit takes effect only after this notice. */
export const DECREASE_NOTICE_MS = 30 * 24 * 3600_000

/** Why a line changed: each is a line in its history, with its own words in the UI. */
export type LineReason =
  | 'OPENED'
  | 'SENT_TO_REVIEW'
  | 'REVIEW_APPROVED'
  | 'REVIEW_REFUSED'
  | 'REVIEW_EXPIRED'
  | 'REFUSED'
  | 'DRAWN'
  | 'RELEASED'
  | 'REPAID'
  | 'FROZEN_OVERDUE'
  | 'UNFROZEN'
  | 'INCREASED'
  | 'DECREASE_NOTIFIED'
  | 'DECREASED'
  | 'EXPIRED'
  | 'CLOSED_BY_BORROWER'
  | 'RECONCILED'
  | 'RENEWED'
  /** Opened by the schema migration for loans made before lines existed. */
  | 'MIGRATED'
  /** The borrower agreed to automatic debit (自动扣款) from the card named in `detail`. */
  | 'AUTO_DEBIT_ON'
  /** The borrower turned automatic debit off. */
  | 'AUTO_DEBIT_OFF'

export interface LineChange {
  at: number
  reason: LineReason
  state: LineState
  limitFen: Fen
  inUseFen: Fen
  /** The loan a drawdown, release or repayment belongs to. */
  loanId?: string
  /** How much it moved (a reservation, a release, principal repaid). */
  amountFen?: Fen
  /** Refusal reasons, a clipped limit, a drift: what the borrower or the operator reads beside the code. */
  detail?: string
}

export interface Line {
  product: ProductId
  state: LineState
  limitFen: Fen
  /** Principal reserved for drawdowns under way plus principal outstanding. */
  inUseFen: Fen
  /** The rate tier it was decided at. */
  dailyRatePpm: Ppm
  catalogVersion: string
  ruleSetVersion: string
  /** When it was asked for (the review's clock starts here). */
  requestedAt: number
  /** When a decision made it active (or refused it); null while in review. */
  decidedAt: number | null
  expiresAt: number | null
  /** A lower limit announced, and when it takes effect. */
  pendingDecrease: { limitFen: Fen; effectiveAt: number } | null
  /** The last periodic review of the limit (null: none since the decision). */
  reviewedAt: number | null
  /** Sent to a person when it was asked for: its decision is a review's (REVIEW_APPROVED / REVIEW_REFUSED). */
  viaReview: boolean
  /**
   * Automatic debit (自动扣款) of what falls due, from the bound card with these last four digits,
   * agreed at `since`; null (or absent, on a line from before it) when the borrower has not agreed
   * or turned it off.
   */
  autoDebit?: { last4: string; since: number; cardToken?: string } | null
  /**
   * The changes this value has been through since it was read. Stored, each is its own record (the
   * line's 额度记录 grows with every drawdown; the line itself stays small): see server/app/lines.ts.
   */
  history: LineChange[]
}

export type LineEvent =
  /** `detail`: what the borrower reads beside it (a limit clipped to the ceiling says so). */
  | { type: 'APPROVE'; limitFen: Fen; dailyRatePpm: Ppm; detail?: string }
  | { type: 'REFUSE'; reasons: string[] }
  | { type: 'EXPIRE_REVIEW' }
  | { type: 'RESERVE'; loanId: string; amountFen: Fen }
  | { type: 'RELEASE'; loanId: string; amountFen: Fen }
  | { type: 'REPAID'; loanId: string; principalFen: Fen }
  | { type: 'FREEZE' }
  | { type: 'UNFREEZE' }
  | { type: 'INCREASE'; limitFen: Fen }
  | { type: 'NOTIFY_DECREASE'; limitFen: Fen }
  | { type: 'APPLY_DECREASE' }
  | { type: 'EXPIRE' }
  | { type: 'CLOSE' }
  | { type: 'RECONCILE'; inUseFen: Fen }
  /**
   * The periodic review (every LINE_REVIEW_MS) on soft data: the limit the rules give now (0 when
   * no longer eligible) and whether an increase is allowed (growth rules met, debt within 3×
   * income). Higher and allowed → INCREASED; lower → DECREASE_NOTIFIED (after its notice);
   * still eligible in the line's last stretch → RENEWED for another 12 months.
   */
  | { type: 'REVIEW_LIMIT'; assessedFen: Fen; increaseAllowed: boolean }
  /** The borrower turns automatic debit on (from the card ending `last4`) or off: its own consent, kept in the history. */
  | { type: 'SET_AUTO_DEBIT'; on: true; last4: string; cardToken: string }
  | { type: 'SET_AUTO_DEBIT'; on: false }

export type LineEffect =
  /** Tell the borrower (message center, subscribe message where granted). */
  | { type: 'NOTIFY'; reason: LineReason }
  /** For the operators: something the books and the line disagreed on. */
  | { type: 'AUDIT'; reason: LineReason; detail: string }

export type LineErrorCode =
  | 'INVALID_TRANSITION'
  | 'NO_ACTIVE_LINE'
  | 'LINE_FROZEN'
  | 'LINE_EXCEEDED'
  | 'INVALID_AMOUNT'
  | 'LINE_IN_USE'
  | 'NOT_DUE'

export type LineResult =
  | { ok: true; line: Line; effects: LineEffect[] }
  | { ok: false; code: LineErrorCode; message: string; availableFen?: Fen }

/** What can still be drawn: the limit less what is in use, never negative. */
export function availableFen(line: Pick<Line, 'limitFen' | 'inUseFen' | 'state'>): Fen {
  return line.state === 'active' ? Math.max(0, line.limitFen - line.inUseFen) : 0
}

/** A line can be drawn on, or will be again (frozen): the product is open. */
export function isOpen(state: LineState): boolean {
  return state === 'active' || state === 'frozen'
}

/** A line that stands — open, or in review — so the product is not opened again; refused, expired or closed may be. */
export function isStanding(state: LineState): boolean {
  return isOpen(state) || state === 'review'
}

/** The lender's ceiling on one borrower's unsecured consumer line (Interim Measures, 2020), applied to a decided limit. */
export function clipToCeiling(limitFen: Fen, ceilingFen: Fen): { limitFen: Fen; clipped: boolean } {
  return limitFen > ceilingFen ? { limitFen: ceilingFen, clipped: true } : { limitFen, clipped: false }
}

/** A line asked for: in review until the server's decision (which may come at once) is applied. */
export function requestedLine(
  p: Pick<Line, 'product' | 'catalogVersion' | 'ruleSetVersion'>,
  now: number,
  sentToReview = false,
): Line {
  const line: Line = {
    ...p,
    state: 'review',
    limitFen: 0,
    inUseFen: 0,
    dailyRatePpm: 0,
    requestedAt: now,
    decidedAt: null,
    expiresAt: null,
    pendingDecrease: null,
    reviewedAt: null,
    viaReview: sentToReview,
    history: [],
  }
  return sentToReview ? record(line, now, 'SENT_TO_REVIEW') : line
}

const fail = (code: LineErrorCode, message: string, availableFen?: Fen): LineResult => ({
  ok: false,
  code,
  message,
  ...(availableFen === undefined ? {} : { availableFen }),
})

function record(line: Line, at: number, reason: LineReason, extra: Partial<LineChange> = {}): Line {
  const change: LineChange = {
    at,
    reason,
    state: line.state,
    limitFen: line.limitFen,
    inUseFen: line.inUseFen,
    ...extra,
  }
  return { ...line, history: [...line.history, change] }
}

const ok = (line: Line, ...effects: LineEffect[]): LineResult => ({ ok: true, line, effects })
const notify = (reason: LineReason): LineEffect => ({ type: 'NOTIFY', reason })

function isAmount(x: number): boolean {
  return Number.isSafeInteger(x) && x > 0
}

export function transition(line: Line, event: LineEvent, now: number): LineResult {
  const s = line.state
  switch (event.type) {
    case 'APPROVE': {
      if (s !== 'review') return fail('INVALID_TRANSITION', `额度不在审核中（${s}），不能批准。`)
      if (!isAmount(event.limitFen)) return fail('INVALID_AMOUNT', '额度须为正整数（分）。')
      const decided = { ...line, state: 'active' as const, limitFen: event.limitFen, dailyRatePpm: event.dailyRatePpm }
      const next = { ...decided, decidedAt: now, expiresAt: addChinaMonths(now, LINE_MONTHS) }
      const reviewed = line.viaReview
      return ok(
        record(next, now, reviewed ? 'REVIEW_APPROVED' : 'OPENED', event.detail ? { detail: event.detail } : {}),
        ...(reviewed ? [notify('REVIEW_APPROVED')] : []),
      )
    }
    case 'REFUSE': {
      if (s !== 'review') return fail('INVALID_TRANSITION', `额度不在审核中（${s}），不能拒绝。`)
      const reviewed = line.viaReview
      const next = record({ ...line, state: 'refused', decidedAt: now }, now, reviewed ? 'REVIEW_REFUSED' : 'REFUSED', {
        detail: event.reasons.join('；'),
      })
      return ok(next, ...(reviewed ? [notify('REVIEW_REFUSED')] : []))
    }
    case 'EXPIRE_REVIEW': {
      if (s !== 'review') return fail('INVALID_TRANSITION', `额度不在审核中（${s}）。`)
      if (now < line.requestedAt + REVIEW_TTL_MS) return fail('NOT_DUE', '审核未满 7 天，仍在等待人工审核。')
      const next = record({ ...line, state: 'refused', decidedAt: now }, now, 'REVIEW_EXPIRED', {
        detail: '7 天内未完成人工审核，视为未通过；可以重新申请开通。',
      })
      return ok(next, notify('REVIEW_EXPIRED'))
    }
    case 'RESERVE': {
      if (!isAmount(event.amountFen)) return fail('INVALID_AMOUNT', '借款金额须为正整数（分）。')
      if (s === 'frozen') return fail('LINE_FROZEN', '有逾期未还的款项，额度已冻结：还清逾期后即可借款。')
      if (s !== 'active') return fail('NO_ACTIVE_LINE', '尚未开通该产品的额度：请先开通。')
      // What time has already decided counts before the job writes it down: an expired line lends
      // nothing, and a cut past its notice caps what can be drawn.
      if (line.expiresAt !== null && now >= line.expiresAt)
        return fail('NO_ACTIVE_LINE', '额度已到期：请重新开通后再借款。')
      const cut = line.pendingDecrease && now >= line.pendingDecrease.effectiveAt ? line.pendingDecrease.limitFen : null
      const available = availableFen(cut === null ? line : { ...line, limitFen: cut })
      if (event.amountFen > available)
        return fail('LINE_EXCEEDED', `超过可用额度：当前最多可借 ${formatYuanGrouped(available)}。`, available)
      const next = { ...line, inUseFen: line.inUseFen + event.amountFen }
      return ok(record(next, now, 'DRAWN', { loanId: event.loanId, amountFen: event.amountFen }))
    }
    case 'RELEASE':
    case 'REPAID': {
      const amount = event.type === 'RELEASE' ? event.amountFen : event.principalFen
      if (!isAmount(amount)) return fail('INVALID_AMOUNT', '金额须为正整数（分）。')
      // Never below zero: a release the books did not expect is the reconciliation's to report.
      const next = { ...line, inUseFen: Math.max(0, line.inUseFen - amount) }
      return ok(
        record(next, now, event.type === 'RELEASE' ? 'RELEASED' : 'REPAID', {
          loanId: event.loanId,
          amountFen: amount,
        }),
      )
    }
    case 'FREEZE':
      if (s !== 'active') return fail('INVALID_TRANSITION', `只有可用的额度能冻结（现为 ${s}）。`)
      return ok(record({ ...line, state: 'frozen' }, now, 'FROZEN_OVERDUE'), notify('FROZEN_OVERDUE'))
    case 'UNFREEZE':
      if (s !== 'frozen') return fail('INVALID_TRANSITION', `额度未冻结（现为 ${s}）。`)
      return ok(record({ ...line, state: 'active' }, now, 'UNFROZEN'), notify('UNFROZEN'))
    case 'INCREASE':
      if (!isOpen(s)) return fail('INVALID_TRANSITION', `额度未开通（现为 ${s}），不能提额。`)
      if (!isAmount(event.limitFen) || event.limitFen <= line.limitFen)
        return fail('INVALID_AMOUNT', '提额后的额度须高于当前额度。')
      return ok(
        record({ ...line, limitFen: event.limitFen, pendingDecrease: null }, now, 'INCREASED', {
          amountFen: event.limitFen - line.limitFen,
        }),
        notify('INCREASED'),
      )
    case 'NOTIFY_DECREASE': {
      if (!isOpen(s)) return fail('INVALID_TRANSITION', `额度未开通（现为 ${s}），不能降额。`)
      if (!Number.isSafeInteger(event.limitFen) || event.limitFen < 0 || event.limitFen >= line.limitFen)
        return fail('INVALID_AMOUNT', '降额后的额度须低于当前额度。')
      const pendingDecrease = { limitFen: event.limitFen, effectiveAt: now + DECREASE_NOTICE_MS }
      return ok(
        record({ ...line, pendingDecrease }, now, 'DECREASE_NOTIFIED', {
          amountFen: line.limitFen - event.limitFen,
          detail: `自 ${new Date(pendingDecrease.effectiveAt).toISOString()} 起生效`,
        }),
        notify('DECREASE_NOTIFIED'),
      )
    }
    case 'APPLY_DECREASE': {
      const d = line.pendingDecrease
      if (!d) return fail('INVALID_TRANSITION', '没有待生效的降额。')
      if (now < d.effectiveAt) return fail('NOT_DUE', '降额的通知期未满。')
      // What is already drawn stays drawn: only what can be drawn next shrinks.
      const next = { ...line, limitFen: d.limitFen, pendingDecrease: null }
      return ok(record(next, now, 'DECREASED', { amountFen: line.limitFen - d.limitFen }), notify('DECREASED'))
    }
    case 'EXPIRE':
      if (!isOpen(s)) return fail('INVALID_TRANSITION', `额度未开通（现为 ${s}）。`)
      if (line.expiresAt === null || now < line.expiresAt) return fail('NOT_DUE', '额度尚未到期。')
      return ok(record({ ...line, state: 'expired' }, now, 'EXPIRED'), notify('EXPIRED'))
    case 'CLOSE':
      if (!isOpen(s)) return fail('INVALID_TRANSITION', `额度未开通（现为 ${s}），无需关闭。`)
      if (line.inUseFen > 0) return fail('LINE_IN_USE', '还有未还清的借款：还清后才能关闭额度。')
      return ok(record({ ...line, state: 'closed' }, now, 'CLOSED_BY_BORROWER'))
    case 'REVIEW_LIMIT': {
      if (!isOpen(s)) return fail('INVALID_TRANSITION', `额度未开通（现为 ${s}），不需要复审。`)
      if (!Number.isSafeInteger(event.assessedFen) || event.assessedFen < 0)
        return fail('INVALID_AMOUNT', '复审额度须为非负整数（分）。')
      const last = line.reviewedAt ?? line.decidedAt ?? line.requestedAt
      if (now < last + LINE_REVIEW_MS) return fail('NOT_DUE', '距上次复审不足 90 天。')
      let next: Line = { ...line, reviewedAt: now }
      const effects: LineEffect[] = []
      const step = (e: LineEvent) => {
        const r = transition(next, e, now)
        if (r.ok) [next, effects.length] = [r.line, effects.push(...r.effects)]
      }
      const pendingSame = line.pendingDecrease?.limitFen === event.assessedFen
      if (event.assessedFen > line.limitFen && event.increaseAllowed && s === 'active')
        step({ type: 'INCREASE', limitFen: event.assessedFen })
      else if (event.assessedFen < line.limitFen && !pendingSame)
        step({ type: 'NOTIFY_DECREASE', limitFen: event.assessedFen })
      if (event.assessedFen > 0 && next.expiresAt !== null && next.expiresAt - now <= LINE_REVIEW_MS) {
        next = record({ ...next, expiresAt: addChinaMonths(now, LINE_MONTHS) }, now, 'RENEWED')
        effects.push(notify('RENEWED'))
      }
      return { ok: true, line: next, effects }
    }
    case 'SET_AUTO_DEBIT': {
      const current = line.autoDebit ?? null
      if (!event.on) {
        // Off at any time, in any state; off again changes nothing.
        if (current === null) return ok(line)
        return ok(record({ ...line, autoDebit: null }, now, 'AUTO_DEBIT_OFF', { detail: `尾号${current.last4}` }))
      }
      if (s !== 'active' && s !== 'frozen' && s !== 'review')
        return fail('INVALID_TRANSITION', `额度未开通（现为 ${s}），不能开启自动扣款。`)
      if (!/^\d{4}$/.test(event.last4)) return fail('INVALID_TRANSITION', '自动扣款须指定一张已绑定的银行卡。')
      if (current?.cardToken === event.cardToken) return ok(line)
      return ok(
        record(
          { ...line, autoDebit: { last4: event.last4, since: now, cardToken: event.cardToken } },
          now,
          'AUTO_DEBIT_ON',
          {
            detail: `尾号${event.last4}`,
          },
        ),
      )
    }
    case 'RECONCILE': {
      if (!Number.isSafeInteger(event.inUseFen) || event.inUseFen < 0)
        return fail('INVALID_AMOUNT', '占用额度须为非负整数（分）。')
      if (event.inUseFen === line.inUseFen) return ok(line)
      const detail = `占用额度 ${line.inUseFen} → ${event.inUseFen} 分（按未结清借款的本金重算）`
      return ok(record({ ...line, inUseFen: event.inUseFen }, now, 'RECONCILED', { detail }), {
        type: 'AUDIT',
        reason: 'RECONCILED',
        detail,
      })
    }
  }
}
