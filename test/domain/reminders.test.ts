import fc from 'fast-check'
import { DAY_MS, HOUR_MS, fromChinaDateTime } from '../../src/domain/china-time'
import { transition } from '../../src/domain/loan'
import { FIELD_LIMITS, formatAmount, reminderMessage, withinLimits } from '../../src/domain/reminder-templates'
import {
  dueReminders,
  isQuietHour,
  latenessRisk,
  orderByRisk,
  planReminders,
  REMINDER_KINDS,
} from '../../src/domain/reminders'
import { makeDisbursedLoan } from '../support/loans'
import { PRODUCT_NAMES } from '../../src/domain/catalog'

const cn = (y: number, m: number, d: number, hour = 0, minute = 0) =>
  fromChinaDateTime({ year: y, month: m, day: d, hour, minute })

describe('reminder planning', () => {
  it('six reminders per unpaid line, at 09:00 China time on D-3, D-1, D0, D+1, D+3, D+7', () => {
    const loan = makeDisbursedLoan({ amountFen: 100_000, term: { months: 1 }, mode: 'equal-principal' })
    const planned = planReminders(loan)
    expect(planned.map((r) => [r.kind, r.sendAt])).toEqual([
      ['D-3', cn(2026, 12, 25, 9)],
      ['D-1', cn(2026, 12, 27, 9)],
      ['D0', cn(2026, 12, 28, 9)],
      ['D+1', cn(2026, 12, 29, 9)],
      ['D+3', cn(2026, 12, 31, 9)],
      ['D+7', cn(2027, 1, 4, 9)],
    ])
    expect(planned[0].key).toBe(`${loan.id}:1:D-3`)
  })

  it('month ends: a line due 28 Feb is reminded on 25 Feb and again on 3 Mar (D+3)', () => {
    const loan = makeDisbursedLoan({ amountFen: 200_000, term: { months: 3 }, mode: 'equal-installment' })
    const third = planReminders(loan).filter((r) => r.n === 3)
    expect(third.find((r) => r.kind === 'D-3')!.sendAt).toBe(cn(2027, 2, 25, 9))
    expect(third.find((r) => r.kind === 'D+3')!.sendAt).toBe(cn(2027, 3, 3, 9))
  })

  it('leap day: a line due 29 Feb 2028 is reminded on 26 Feb and on 1 Mar (D+1)', () => {
    const loan = {
      id: 'L',
      state: 'disbursed' as const,
      paidInstallments: 0,
      schedule: [
        {
          n: 1,
          dueDate: '2028-02-29',
          dueAt: cn(2028, 2, 29, 10),
          principalFen: 1,
          interestFen: 0,
          feeFen: 0,
          totalFen: 1,
        },
      ],
    }
    const p = planReminders(loan)
    expect(p.find((r) => r.kind === 'D-3')!.sendAt).toBe(cn(2028, 2, 26, 9))
    expect(p.find((r) => r.kind === 'D+1')!.sendAt).toBe(cn(2028, 3, 1, 9))
  })

  it('a repaid line gets none: early repayment moves the next reminders to the next line', () => {
    const loan = makeDisbursedLoan({ amountFen: 200_000, term: { months: 3 }, mode: 'equal-installment' })
    const t = transition(loan, { type: 'REPAY', amount: loan.schedule[0].totalFen }, loan.disbursedAt! + DAY_MS)
    if (!t.ok) throw new Error(t.code)
    expect(new Set(planReminders(t.loan).map((r) => r.n))).toEqual(new Set([2, 3]))
  })

  it('a loan cancelled in the cooling-off period, or settled, gets none', () => {
    const loan = makeDisbursedLoan()
    const cancelled = transition(loan, { type: 'CANCEL' }, loan.disbursedAt! + HOUR_MS)
    if (!cancelled.ok) throw new Error(cancelled.code)
    expect(planReminders(cancelled.loan)).toEqual([])
  })

  it('never in quiet hours (22:00–08:00 China time)', () => {
    expect(isQuietHour(cn(2026, 12, 25, 21, 59))).toBe(false)
    expect(isQuietHour(cn(2026, 12, 25, 22, 0))).toBe(true)
    expect(isQuietHour(cn(2026, 12, 26, 7, 59))).toBe(true)
    expect(isQuietHour(cn(2026, 12, 26, 8, 0))).toBe(false)
    const loan = makeDisbursedLoan({ amountFen: 100_000, term: { months: 1 }, mode: 'equal-principal' })
    expect(dueReminders(planReminders(loan), cn(2026, 12, 25, 23))).toEqual([])
    expect(dueReminders(planReminders(loan), cn(2026, 12, 26, 8)).map((r) => r.kind)).toEqual(['D-3'])
  })

  it('after downtime, one current reminder per line, not a burst of stale ones', () => {
    const loan = makeDisbursedLoan({ amountFen: 100_000, term: { months: 1 }, mode: 'equal-principal' })
    expect(dueReminders(planReminders(loan), cn(2026, 12, 31, 10)).map((r) => r.kind)).toEqual(['D+3'])
    expect(dueReminders(planReminders(loan), cn(2026, 12, 24, 10))).toEqual([])
  })
})

describe('lateness risk', () => {
  it('is made of visible parts and orders the work riskiest first', () => {
    expect(latenessRisk({ latePayments: 3, utilisationPermille: 1000, daysSinceLastRepayment: 60 })).toEqual({
      score: 100,
      parts: { late: 50, utilisation: 30, silence: 20 },
    })
    expect(latenessRisk({ latePayments: 0, utilisationPermille: 0, daysSinceLastRepayment: 0 }).score).toBe(0)
    const r = (key: string, sendAt: number) => ({
      key,
      loanId: key,
      n: 1,
      kind: 'D0' as const,
      sendAt,
      dueDate: '2026-12-28',
      amountFen: 1,
    })
    const ordered = orderByRisk([
      { risk: 10, reminder: r('a', 2) },
      { risk: 80, reminder: r('b', 3) },
      { risk: 10, reminder: r('c', 1) },
    ])
    expect(ordered.map((x) => x.reminder.key)).toEqual(['b', 'c', 'a'])
  })

  it('more lateness never lowers the score', () => {
    fc.assert(
      fc.property(fc.nat(10), fc.nat(2000), fc.nat(200), fc.nat(5), (late, u, d, k) => {
        expect(
          latenessRisk({ latePayments: late + k, utilisationPermille: u, daysSinceLastRepayment: d }).score,
        ).toBeGreaterThanOrEqual(
          latenessRisk({ latePayments: late, utilisationPermille: u, daysSinceLastRepayment: d }).score,
        )
      }),
    )
  })
})

describe('subscribe-message templates', () => {
  it.each(REMINDER_KINDS)('%s: every field within WeChat’s limits, for every product and amount', (kind) => {
    fc.assert(
      fc.property(
        fc.constantFrom(...Object.values(PRODUCT_NAMES), '一个名字特别特别特别长的产品'),
        fc.integer({ min: 1, max: 30_000_000 }),
        fc.integer({ min: 1, max: 20 }),
        (product, amountFen, n) => {
          const msg = reminderMessage(
            { key: 'k', loanId: 'L', n, kind, sendAt: 0, dueDate: '2026-12-28', amountFen },
            product,
          )
          expect(withinLimits(msg.data)).toBe(true)
        },
      ),
    )
  })

  it('the wording: due soon, due today, overdue', () => {
    const base = { key: 'k', loanId: 'L', n: 1, sendAt: 0, dueDate: '2026-12-28', amountFen: 70705 }
    expect(reminderMessage({ ...base, kind: 'D-3' }, PRODUCT_NAMES.we2000)).toEqual({
      template: 'due',
      data: {
        thing1: { value: 'WE2000第1期还款' },
        amount2: { value: '¥707.05' },
        date3: { value: '2026-12-28' },
        phrase4: { value: '即将到期' },
        thing5: { value: '可在小程序内随时提前还款' },
      },
    })
    expect(reminderMessage({ ...base, kind: 'D0' }, PRODUCT_NAMES.we2000).data.phrase4.value).toBe('今日到期')
    expect(reminderMessage({ ...base, kind: 'D+1' }, PRODUCT_NAMES.we2000)).toMatchObject({
      template: 'overdue',
      data: { phrase4: { value: '已逾期' } },
    })
  })

  it('the limit checker refuses what WeChat would refuse', () => {
    expect(withinLimits({ thing1: { value: '一'.repeat(FIELD_LIMITS.thing + 1) } })).toBe(false)
    expect(withinLimits({ phrase1: { value: '六个字的短语' } })).toBe(false)
    expect(withinLimits({ amount1: { value: formatAmount(123_456_789_012) } })).toBe(false)
    expect(withinLimits({ amount1: { value: '707.05' } })).toBe(false)
  })
})
