import fc from 'fast-check'
import {
  DECREASE_NOTICE_MS,
  LINE_REVIEW_MS,
  REVIEW_TTL_MS,
  availableFen,
  clipToCeiling,
  requestedLine,
  transition,
  type Line,
  type LineEvent,
} from '../../src/domain/line'
import { addChinaMonths } from '../../src/domain/china-time'
import { NOW } from '../support/factories'

const versions = { product: 'we2000' as const, catalogVersion: 'c/1', ruleSetVersion: 'r/1' }

/** Applies events in order; a refused one fails the test with its code. */
function run(line: Line, events: Array<[LineEvent, number?]>): Line {
  for (const [event, at] of events) {
    const r = transition(line, event, at ?? NOW)
    if (!r.ok) throw new Error(`${event.type}: ${r.code} ${r.message}`)
    line = r.line
  }
  return line
}

const opened = (limitFen = 200_000) =>
  run(requestedLine(versions, NOW), [[{ type: 'APPROVE', limitFen, dailyRatePpm: 500 }]])

describe('opening a line', () => {
  it('a decision at once opens it for 12 months with its limit and rate tier: one OPENED change', () => {
    const line = opened()
    expect(line).toMatchObject({ state: 'active', limitFen: 200_000, inUseFen: 0, dailyRatePpm: 500, decidedAt: NOW })
    expect(line.expiresAt).toBe(addChinaMonths(NOW, 12))
    expect(line.history.map((c) => c.reason)).toEqual(['OPENED'])
    expect(availableFen(line)).toBe(200_000)
  })

  it('a refusal keeps its reasons in the history; a refused line cannot be drawn on', () => {
    const r = transition(requestedLine(versions, NOW), { type: 'REFUSE', reasons: ['支付分不足', '负债过高'] }, NOW)
    if (!r.ok) throw new Error(r.code)
    expect(r.line.state).toBe('refused')
    expect(r.line.history).toEqual([expect.objectContaining({ reason: 'REFUSED', detail: '支付分不足；负债过高' })])
    expect(transition(r.line, { type: 'RESERVE', loanId: 'L1', amountFen: 100 }, NOW)).toMatchObject({
      ok: false,
      code: 'NO_ACTIVE_LINE',
    })
  })

  it('a review is decided by a person (the borrower is told), or expires as refused after exactly 7 days', () => {
    const inReview = requestedLine(versions, NOW, true)
    expect(inReview.history.map((c) => c.reason)).toEqual(['SENT_TO_REVIEW'])
    const approved = transition(inReview, { type: 'APPROVE', limitFen: 500_000, dailyRatePpm: 300 }, NOW + 1000)
    expect(approved).toMatchObject({ ok: true, effects: [{ type: 'NOTIFY', reason: 'REVIEW_APPROVED' }] })
    expect(transition(inReview, { type: 'EXPIRE_REVIEW' }, NOW + REVIEW_TTL_MS - 1)).toMatchObject({
      ok: false,
      code: 'NOT_DUE',
    })
    const expired = transition(inReview, { type: 'EXPIRE_REVIEW' }, NOW + REVIEW_TTL_MS)
    expect(expired).toMatchObject({
      ok: true,
      line: { state: 'refused' },
      effects: [{ type: 'NOTIFY', reason: 'REVIEW_EXPIRED' }],
    })
    // Once decided, the review's clock means nothing.
    if (approved.ok) expect(transition(approved.line, { type: 'EXPIRE_REVIEW' }, NOW + REVIEW_TTL_MS).ok).toBe(false)
  })

  it('the ceiling clips a decided limit (¥200,000 by default) and says it did', () => {
    expect(clipToCeiling(30_000_000, 20_000_000)).toEqual({ limitFen: 20_000_000, clipped: true })
    expect(clipToCeiling(20_000_000, 20_000_000)).toEqual({ limitFen: 20_000_000, clipped: false })
  })
})

describe('drawing against it', () => {
  it('reserves from what is available, refuses more with the available amount, and gives back what is released or repaid', () => {
    let line = run(opened(200_000), [[{ type: 'RESERVE', loanId: 'L1', amountFen: 150_000 }]])
    expect(availableFen(line)).toBe(50_000)
    const over = transition(line, { type: 'RESERVE', loanId: 'L2', amountFen: 50_001 }, NOW)
    expect(over).toMatchObject({ ok: false, code: 'LINE_EXCEEDED', availableFen: 50_000 })
    if (!over.ok) expect(over.message).toContain('¥500.00')
    line = run(line, [
      [{ type: 'RESERVE', loanId: 'L2', amountFen: 50_000 }],
      [{ type: 'RELEASE', loanId: 'L2', amountFen: 50_000 }],
      [{ type: 'REPAID', loanId: 'L1', principalFen: 100_000 }],
    ])
    expect(line.inUseFen).toBe(50_000)
    expect(availableFen(line)).toBe(150_000)
    expect(line.history.map((c) => [c.reason, c.loanId, c.amountFen, c.inUseFen])).toEqual([
      ['OPENED', undefined, undefined, 0],
      ['DRAWN', 'L1', 150_000, 150_000],
      ['DRAWN', 'L2', 50_000, 200_000],
      ['RELEASED', 'L2', 50_000, 150_000],
      ['REPAID', 'L1', 100_000, 50_000],
    ])
  })

  it('refuses an amount that is not a positive integer of fen', () => {
    for (const amountFen of [0, -1, 1.5, Number.NaN])
      expect(transition(opened(), { type: 'RESERVE', loanId: 'L', amountFen }, NOW)).toMatchObject({
        ok: false,
        code: 'INVALID_AMOUNT',
      })
  })

  it('whatever is reserved, released or repaid, in any order, available is never negative and a reservation never exceeds it', () => {
    const event = fc.oneof(
      fc.record({
        type: fc.constant('RESERVE' as const),
        loanId: fc.constant('L'),
        amountFen: fc.integer({ min: 1, max: 300_000 }),
      }),
      fc.record({
        type: fc.constant('RELEASE' as const),
        loanId: fc.constant('L'),
        amountFen: fc.integer({ min: 1, max: 300_000 }),
      }),
      fc.record({
        type: fc.constant('REPAID' as const),
        loanId: fc.constant('L'),
        principalFen: fc.integer({ min: 1, max: 300_000 }),
      }),
    )
    fc.assert(
      fc.property(fc.array(event, { maxLength: 40 }), (events) => {
        let line = opened(200_000)
        for (const e of events) {
          const before = availableFen(line)
          const r = transition(line, e, NOW)
          if (e.type === 'RESERVE') expect(r.ok).toBe(e.amountFen <= before)
          if (r.ok) line = r.line
          expect(availableFen(line)).toBeGreaterThanOrEqual(0)
          expect(line.inUseFen).toBeLessThanOrEqual(line.limitFen)
        }
      }),
    )
  })
})

describe('the line over time', () => {
  it('freezes while an installment is overdue (no drawdowns, with why and how), and unfreezes when cleared', () => {
    const frozen = run(opened(), [[{ type: 'FREEZE' }]])
    expect(availableFen(frozen)).toBe(0)
    const r = transition(frozen, { type: 'RESERVE', loanId: 'L', amountFen: 100 }, NOW)
    expect(r).toMatchObject({ ok: false, code: 'LINE_FROZEN' })
    if (!r.ok) expect(r.message).toContain('还清逾期后即可借款')
    const back = run(frozen, [[{ type: 'UNFREEZE' }]])
    expect(back.state).toBe('active')
    expect(back.history.map((c) => c.reason)).toEqual(['OPENED', 'FROZEN_OVERDUE', 'UNFROZEN'])
    expect(transition(back, { type: 'UNFREEZE' }, NOW).ok).toBe(false)
  })

  it('a raise applies at once; a cut only after its notice period, and never takes back what is drawn', () => {
    let line = run(opened(200_000), [
      [{ type: 'RESERVE', loanId: 'L1', amountFen: 150_000 }],
      [{ type: 'INCREASE', limitFen: 300_000 }],
    ])
    expect(availableFen(line)).toBe(150_000)
    expect(transition(line, { type: 'INCREASE', limitFen: 300_000 }, NOW).ok).toBe(false)
    line = run(line, [[{ type: 'NOTIFY_DECREASE', limitFen: 100_000 }]])
    expect(line.limitFen).toBe(300_000)
    expect(transition(line, { type: 'APPLY_DECREASE' }, NOW + DECREASE_NOTICE_MS - 1)).toMatchObject({
      ok: false,
      code: 'NOT_DUE',
    })
    line = run(line, [[{ type: 'APPLY_DECREASE' }, NOW + DECREASE_NOTICE_MS]])
    expect(line).toMatchObject({ limitFen: 100_000, inUseFen: 150_000, pendingDecrease: null })
    expect(availableFen(line)).toBe(0)
  })

  it('lends nothing once expired, and at most the cut limit once the cut’s notice is over, even before the job writes it', () => {
    const line = opened(200_000)
    expect(transition(line, { type: 'RESERVE', loanId: 'L', amountFen: 1 }, line.expiresAt!)).toMatchObject({
      ok: false,
      code: 'NO_ACTIVE_LINE',
    })
    const cut = run(line, [[{ type: 'NOTIFY_DECREASE', limitFen: 50_000 }]])
    expect(transition(cut, { type: 'RESERVE', loanId: 'L', amountFen: 60_000 }, NOW + DECREASE_NOTICE_MS - 1).ok).toBe(
      true,
    )
    expect(
      transition(cut, { type: 'RESERVE', loanId: 'L', amountFen: 60_000 }, NOW + DECREASE_NOTICE_MS),
    ).toMatchObject({
      ok: false,
      code: 'LINE_EXCEEDED',
      availableFen: 50_000,
    })
  })

  it('expires at its expiry, not a millisecond before; is closed by the borrower only with nothing in use', () => {
    const line = opened()
    expect(transition(line, { type: 'EXPIRE' }, line.expiresAt! - 1)).toMatchObject({ ok: false, code: 'NOT_DUE' })
    expect(transition(line, { type: 'EXPIRE' }, line.expiresAt!)).toMatchObject({
      ok: true,
      line: { state: 'expired' },
    })
    const drawn = run(line, [[{ type: 'RESERVE', loanId: 'L1', amountFen: 1 }]])
    expect(transition(drawn, { type: 'CLOSE' }, NOW)).toMatchObject({ ok: false, code: 'LINE_IN_USE' })
    expect(transition(line, { type: 'CLOSE' }, NOW)).toMatchObject({ ok: true, line: { state: 'closed' } })
  })

  it('reconciliation sets "in use" to what the open loans say, and reports the drift; no drift changes nothing', () => {
    const line = run(opened(), [[{ type: 'RESERVE', loanId: 'L1', amountFen: 80_000 }]])
    expect(transition(line, { type: 'RECONCILE', inUseFen: 80_000 }, NOW)).toEqual({ ok: true, line, effects: [] })
    const r = transition(line, { type: 'RECONCILE', inUseFen: 0 }, NOW)
    expect(r).toMatchObject({
      ok: true,
      line: { inUseFen: 0 },
      effects: [{ type: 'AUDIT', reason: 'RECONCILED', detail: expect.stringContaining('80000 → 0') }],
    })
  })
})

describe('the periodic review', () => {
  const due = NOW + LINE_REVIEW_MS
  const review = (line: Line, assessedFen: number, increaseAllowed: boolean, at = due) =>
    transition(line, { type: 'REVIEW_LIMIT', assessedFen, increaseAllowed }, at)

  it('is due 90 days after the decision or the last review, not a millisecond before', () => {
    expect(review(opened(), 300_000, true, due - 1)).toMatchObject({ ok: false, code: 'NOT_DUE' })
    const r = review(opened(), 200_000, true)
    expect(r).toMatchObject({ ok: true, line: { reviewedAt: due, limitFen: 200_000 }, effects: [] })
    if (r.ok) expect(review(r.line, 300_000, true, due + LINE_REVIEW_MS - 1)).toMatchObject({ code: 'NOT_DUE' })
  })

  it('raises when the rules give more and growth allows it; never while frozen or when growth does not', () => {
    expect(review(opened(), 300_000, true)).toMatchObject({
      ok: true,
      line: { limitFen: 300_000 },
      effects: [{ type: 'NOTIFY', reason: 'INCREASED' }],
    })
    expect(review(opened(), 300_000, false)).toMatchObject({ ok: true, line: { limitFen: 200_000 }, effects: [] })
    const frozen = run(opened(), [[{ type: 'FREEZE' }]])
    expect(review(frozen, 300_000, true)).toMatchObject({ ok: true, line: { limitFen: 200_000 }, effects: [] })
  })

  it('lowers only with notice (nothing drawn is taken back), once; a person no longer eligible is cut to 0', () => {
    const r = review(opened(), 150_000, true)
    expect(r).toMatchObject({
      ok: true,
      line: { limitFen: 200_000, pendingDecrease: { limitFen: 150_000, effectiveAt: due + DECREASE_NOTICE_MS } },
      effects: [{ type: 'NOTIFY', reason: 'DECREASE_NOTIFIED' }],
    })
    if (!r.ok) return
    // The same figure at the next review announces nothing again.
    expect(review(r.line, 150_000, true, due + LINE_REVIEW_MS)).toMatchObject({ ok: true, effects: [] })
    expect(review(opened(), 0, false)).toMatchObject({ ok: true, line: { pendingDecrease: { limitFen: 0 } } })
  })

  it('renews a line still eligible in its last 90 days for another 12 months; an ineligible one runs out', () => {
    const late = addChinaMonths(NOW, 12) - LINE_REVIEW_MS
    const renewed = review(opened(), 200_000, true, late)
    expect(renewed).toMatchObject({ ok: true, line: { expiresAt: addChinaMonths(late, 12) } })
    if (renewed.ok) expect(renewed.line.history.at(-1)!.reason).toBe('RENEWED')
    expect(review(opened(), 200_000, true, late - 1)).toMatchObject({
      ok: true,
      line: { expiresAt: addChinaMonths(NOW, 12) },
    })
    expect(review(opened(), 0, false, late)).toMatchObject({ ok: true, line: { expiresAt: addChinaMonths(NOW, 12) } })
  })
})
