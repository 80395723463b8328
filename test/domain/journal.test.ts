import {
  ACCOUNT_IDS,
  entryFor,
  isBalanced,
  reversal,
  toLedger,
  trialBalance,
  TYPES_POSTING_TO,
  type MoneyEvent,
} from '../../src/domain/journal'
import fc from 'fast-check'
import { fromChinaDateTime } from '../../src/domain/china-time'

const AT = fromChinaDateTime({ year: 2026, month: 12, day: 1, hour: 23, minute: 30 })

const payout: MoneyEvent = { type: 'PAYOUT_CONFIRMED', id: 'L1:0:4', loanId: 'L1', at: AT, amountFen: 100_000 }
const repayment: MoneyEvent = {
  type: 'REPAYMENT_RECEIVED',
  id: 'L1:1:2',
  loanId: 'L1',
  at: AT,
  channel: 'wechatPay',
  paid: { principalFen: 16_667, interestFen: 1_250, feeFen: 0, overdueFen: 33 },
}

describe('journal entries', () => {
  it('a payout moves principal from payout clearing into principal receivable', () => {
    expect(entryFor(payout).postings).toEqual([
      { account: 'principalReceivable', side: 'debit', amountFen: 100_000 },
      { account: 'payoutClearing', side: 'credit', amountFen: 100_000 },
    ])
  })

  it('a repayment brings the whole amount into its channel and splits it by what it paid; zero lines are left out', () => {
    const e = entryFor(repayment)
    expect(e.postings).toEqual([
      { account: 'wechatPayClearing', side: 'debit', amountFen: 17_950 },
      { account: 'principalReceivable', side: 'credit', amountFen: 16_667 },
      { account: 'interestIncome', side: 'credit', amountFen: 1_250 },
      { account: 'penaltyIncome', side: 'credit', amountFen: 33 },
    ])
    expect(isBalanced(e)).toBe(true)
    expect(entryFor({ ...repayment, channel: 'cardDebit' }).postings[0].account).toBe('cardDebitClearing')
  })

  it('a cooling-off return takes the principal off the receivable, with no income', () => {
    const e = entryFor({
      type: 'COOLING_OFF_RETURN',
      id: 'L1:1:2',
      loanId: 'L1',
      at: AT,
      channel: 'wechatPay',
      amountFen: 100_000,
    })
    expect(e.postings).toEqual([
      { account: 'wechatPayClearing', side: 'debit', amountFen: 100_000 },
      { account: 'principalReceivable', side: 'credit', amountFen: 100_000 },
    ])
  })

  it('an entry is named by its money event, and a reversal undoes it under its own name', () => {
    const e = entryFor(payout)
    expect(e.id).toBe('L1:0:4')
    const r = reversal(e, 'L1:0:4:reversed', AT + 1)
    expect(r.id).toBe('L1:0:4:reversed')
    expect(trialBalance([e, r]).accounts.principalReceivable).toEqual({
      debitFen: 100_000,
      creditFen: 100_000,
      balanceFen: 0,
    })
  })

  it('balanced means debits equal credits in positive whole fen, on two sides at least', () => {
    const p = (side: 'debit' | 'credit', amountFen: number) => ({ account: 'feeIncome' as const, side, amountFen })
    expect(isBalanced({ postings: [p('debit', 5), p('credit', 5)] })).toBe(true)
    expect(isBalanced({ postings: [p('debit', 5), p('credit', 4)] })).toBe(false)
    expect(isBalanced({ postings: [p('debit', 0.5), p('credit', 0.5)] })).toBe(false)
    expect(isBalanced({ postings: [p('debit', -5), p('credit', -5)] })).toBe(false)
    expect(isBalanced({ postings: [] })).toBe(false)
  })
})

describe('which kinds of entry post to an account (the console reads an account through these alone)', () => {
  const fen = fc.integer({ min: 0, max: 10_000_000 })
  const channel = fc.constantFrom('wechatPay' as const, 'cardDebit' as const)
  const event: fc.Arbitrary<MoneyEvent> = fc.oneof(
    fen.map((amountFen) => ({ type: 'PAYOUT_CONFIRMED' as const, id: 'e', loanId: 'L', at: AT, amountFen })),
    fc.tuple(channel, fen, fen, fen, fen).map(([c, principalFen, interestFen, feeFen, overdueFen]) => ({
      type: 'REPAYMENT_RECEIVED' as const,
      id: 'e',
      loanId: 'L',
      at: AT,
      channel: c,
      paid: { principalFen, interestFen, feeFen, overdueFen },
    })),
    fc
      .tuple(
        fc.constantFrom('COOLING_OFF_RETURN' as const, 'PAYMENT_UNAPPLIED' as const, 'REFUND_SENT' as const),
        channel,
        fen,
      )
      .map(([type, c, amountFen]) => ({ type, id: 'e', loanId: 'L', at: AT, channel: c, amountFen })),
  )

  it('every posting any event makes, and its reversal, is to an account that lists the event’s type', () => {
    fc.assert(
      fc.property(event, (e) => {
        const entry = entryFor(e)
        for (const p of [...entry.postings, ...reversal(entry, 'r', AT).postings])
          expect(TYPES_POSTING_TO[p.account]).toContain(e.type)
      }),
    )
  })

  it('accounts nothing posts to list no type; income accounts only repayments', () => {
    expect(TYPES_POSTING_TO.interestReceivable).toEqual([])
    expect(TYPES_POSTING_TO.interestIncome).toEqual(['REPAYMENT_RECEIVED'])
    expect(TYPES_POSTING_TO.payoutClearing).toEqual(['PAYOUT_CONFIRMED'])
  })
})

describe('trial balance', () => {
  it('adds every account up in its own direction; the books agree', () => {
    const tb = trialBalance([entryFor(payout), entryFor(repayment)])
    expect(tb).toMatchObject({ debitsFen: 117_950, creditsFen: 117_950, balanced: true })
    expect(tb.accounts.principalReceivable.balanceFen).toBe(100_000 - 16_667)
    expect(tb.accounts.payoutClearing.balanceFen).toBe(-100_000)
    expect(tb.accounts.interestIncome.balanceFen).toBe(1_250)
    expect(Object.keys(tb.accounts)).toEqual(ACCOUNT_IDS)
  })

  it('over no entries: every account at zero, balanced', () => {
    const tb = trialBalance([])
    expect(tb.balanced).toBe(true)
    expect(Object.values(tb.accounts).every((a) => a.balanceFen === 0)).toBe(true)
  })
})

describe('Ledger export', () => {
  it('one dated transaction per entry (China date), debits positive, credits negative, in CNY with two decimals', () => {
    const text = toLedger([entryFor(repayment)])
    // 23:30 on 1 December in China is 15:30 UTC: the China date it is.
    expect(text).toContain('2026-12-01 * Repayment L1  ; event:L1:1:2, loan:L1\n')
    expect(text).toContain('    Assets:Clearing:WeChat Pay  179.50 CNY\n')
    expect(text).toContain('    Assets:Loans:Principal receivable  -166.67 CNY\n')
    expect(text).toContain('    Income:Penalties  -0.33 CNY\n')
    expect(text).toMatch(/^account Liabilities:Refunds payable$/m)
  })
})
