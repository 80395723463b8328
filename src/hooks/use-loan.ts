// A borrower's loans on screen: the list (我的借款), one loan with its 冷静期 cancel and repayment,
// and its signed receipts (电子凭证) with their verification. The server's view is reloaded each
// time a page shows again, and every figure shown is the server's.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { useRouter } from '@tarojs/taro'
import type { ApiError, LoanView, PaymentView, ReceiptView } from '../api'
import type { PrepayChoice } from '../domain/prepay'
import { platform } from '../services/platform'
import { inRepayment } from '../domain/loan'
import { ppmToPercent } from '../domain/money'
import { REASONS, reason, type Reason, type ReasonCode } from '../domain/reasons'
import { call } from '../services/cloud'
import { dailyRate } from '../ui/format'
import { useCloudMutation, useCloudQuery, useReloadOnShow } from './use-cloud'
import type { ReceiptKind } from '../domain/loan'

/** The loan the page's link names (`?loanId=`); '' when it names none. */
function useLinkedLoanId(): string {
  return useRouter().params.loanId ?? ''
}

export function isOpen(loan: Pick<LoanView, 'state'>): boolean {
  return inRepayment(loan.state)
}

/** Cancel is offered only on a disbursed loan with nothing repaid, while the server's time is inside the window. */
export function inCoolingOff(loan: Pick<LoanView, 'state' | 'coolingOffEndsAt' | 'serverTime'>): boolean {
  return loan.state === 'disbursed' && loan.coolingOffEndsAt !== null && loan.serverTime < loan.coolingOffEndsAt
}

/** The first line not yet paid: the next payment. */
export function nextLine(loan: Pick<LoanView, 'schedule'>): LoanView['schedule'][number] | null {
  return loan.schedule.find((l) => !l.paid) ?? null
}

/** How the overdue charge is computed on this loan: its own contract's rule (docs/product-rules.md §1). */
export function overdueRuleText(loan: Pick<LoanView, 'overdue' | 'dailyRatePercent'>): string {
  const rule = loan.overdue
  // A rule this build does not know (a newer server's): the general one.
  if (!rule) return '逾期费用按合同约定按日计算。'
  if (rule.on === 'principal') {
    const times = rule.contractRateMultiplierPermille / 1000
    return `罚息 = 逾期本金 × 合同日利率 ${dailyRate(loan.dailyRatePercent)} × ${times} × 逾期天数（按中国时间的自然日计）。`
  }
  return `逾期费用 = 逾期金额 × 每日 ${dailyRate(ppmToPercent(rule.dailyPpm))} × 逾期天数（按中国时间的自然日计）。`
}

/** A refused loan's reason codes, each with what the user sees and how to fix it (docs/product-rules.md §3). */
export function reasonsOf(codes: string[]): Reason[] {
  return codes.map((code) =>
    Object.prototype.hasOwnProperty.call(REASONS, code)
      ? reason(code as ReasonCode)
      : { code: code as ReasonCode, title: '未通过审批', fix: '请查看帮助或联系客服了解原因。' },
  )
}

/** 我的借款: every loan of the caller, newest first, reloaded whenever the tab shows. */
export function useLoanList() {
  const query = useCloudQuery('loans', 'list', {})
  useReloadOnShow(query.reload)
  return query
}

// Refusals after which the loan on screen is stale: show the server's current figures again.
const RELOAD_AFTER: ReadonlySet<string> = new Set([
  'COOLING_OFF_EXPIRED',
  'CANCEL_AFTER_REPAYMENT',
  'LOAN_CLOSED',
  'OVERPAYMENT',
  'PAYMENT_PENDING',
  'INVALID_TRANSITION',
  'CONFLICT',
])

/**
 * The decision on a new application. A loan approved but held (face verification again, after a
 * sign-in from a new device or a distant place) is disbursed by a drawdown once the face check
 * passed; the page reloads when the user comes back from the face page.
 */
export function useDecision() {
  const loanId = useLinkedLoanId()
  const query = useCloudQuery('loans', 'get', { loanId }, loanId !== '')
  useReloadOnShow(query.reload)
  const drawdownMutation = useCloudMutation('loans', 'drawdown')
  const runDrawdown = drawdownMutation.run
  const [drawn, setDrawn] = useState<LoanView | null>(null)
  const loan = drawn && drawn.id === query.data?.id && drawn.serverTime >= query.data.serverTime ? drawn : query.data

  const drawdown = useCallback(async () => {
    const result = await runDrawdown({ loanId })
    if (result?.ok) setDrawn(result.data)
  }, [loanId, runDrawdown])

  return {
    loanId,
    /** The loan as the server last showed it: loaded, or as the drawdown returned it. */
    query: { ...query, data: loan },
    drawdown,
    drawing: drawdownMutation.busy,
    drawdownError: drawdownMutation.error,
  }
}

type Action = { kind: 'cancel' } | { kind: 'repay'; amountFen: number; prepay?: PrepayChoice }

/** How often, and how many times, a payment the sheet called paid is asked of the server. */
export const PAYMENT_POLL = { everyMs: 1500, times: 8 }

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * The payment as the server knows it: asked again while still pending (the server asks WeChat
 * Pay), a few times, after a sheet that said paid — the sheet's word proves nothing.
 */
async function confirmedPayment(
  paymentId: string,
  sheet: 'paid' | 'failed' | 'cancelled',
): Promise<PaymentView | null> {
  let last: PaymentView | null = null
  for (let i = 0; i < (sheet === 'paid' ? PAYMENT_POLL.times : 1); i++) {
    if (i > 0) await wait(PAYMENT_POLL.everyMs)
    const r = await call('payments', 'get', { paymentId })
    if (r.ok) last = r.data
    if (last && last.state !== 'pending') return last
  }
  return last
}

/**
 * One loan: the server's view, the 冷静期 cancel and repayment (each safe to retry), and what
 * happened last. A repayment or a cooling-off return is a WeChat Pay payment: the server opens
 * it, the payment sheet takes it, and the loan changes when the server has WeChat Pay's word.
 */
export function useLoan() {
  const loanId = useLinkedLoanId()
  const query = useCloudQuery('loans', 'get', { loanId }, loanId !== '')
  useReloadOnShow(query.reload)
  const cancelMutation = useCloudMutation('loans', 'cancel')
  const repayMutation = useCloudMutation('loans', 'repay')
  const runCancel = cancelMutation.run
  const runRepay = repayMutation.run
  const reload = query.reload
  // The loan a cancel returned, until a newer load replaces it (saves a reload).
  const [latest, setLatest] = useState<{ view: LoanView; over: LoanView | null } | null>(null)
  const [last, setLast] = useState<Action | null>(null)
  const [repaid, setRepaid] = useState(false)
  /** The payment opened last, as the server last showed it; `paying` while the sheet and the confirmation run. */
  const [payment, setPayment] = useState<{ view: PaymentView; sheet: 'paid' | 'failed' | 'cancelled' | null } | null>(
    null,
  )
  const [confirming, setConfirming] = useState(false)
  const acting = useRef(false)

  const loaded = query.data
  const loan =
    latest && (latest.over === loaded || latest.view.serverTime > (loaded?.serverTime ?? -1)) ? latest.view : loaded

  // Waiting for its payout: read again until the lender's gateway has answered (the server asks it).
  const waitingForPayout = loan?.state === 'disbursing'
  useEffect(() => {
    if (!waitingForPayout) return
    const timer = setTimeout(() => void reload(), PAYMENT_POLL.everyMs)
    return () => clearTimeout(timer)
  }, [waitingForPayout, reload, loan?.serverTime])

  const pay = useCallback(
    async (opened: PaymentView) => {
      setPayment({ view: opened, sheet: null })
      if (!opened.request) return
      setConfirming(true)
      const sheet = await platform.requestPayment({ paymentId: opened.paymentId, request: opened.request })
      const known = await confirmedPayment(opened.paymentId, sheet)
      setConfirming(false)
      setPayment({ view: known ?? opened, sheet })
      if (known?.state === 'paid' && known.purpose === 'repay') setRepaid(true)
      await reload()
    },
    [reload],
  )

  const act = useCallback(
    async (action: Action) => {
      // One action at a time, across cancel and repay: the server decides races, the page avoids them.
      if (acting.current) return
      acting.current = true
      setLast(action)
      try {
        if (action.kind === 'cancel') {
          const result = await runCancel({ loanId })
          if (!result) return
          if (!result.ok) {
            if (RELOAD_AFTER.has(result.error.code)) void reload()
            return
          }
          if (result.data.payment) await pay(result.data.payment)
          else setLatest({ view: result.data.loan, over: loaded })
          return
        }
        const result = await runRepay({
          loanId,
          amountFen: action.amountFen,
          ...(action.prepay ? { prepay: action.prepay } : {}),
        })
        if (!result) return
        if (result.ok) await pay(result.data.payment)
        else if (RELOAD_AFTER.has(result.error.code)) void reload()
      } finally {
        acting.current = false
      }
    },
    [loanId, runCancel, runRepay, reload, loaded, pay],
  )

  const cancel = useCallback(() => act({ kind: 'cancel' }), [act])
  /** Repays the amount shown (what is due now, the payoff, or the borrower's own figure). */
  const repay = useCallback(
    (amountFen: number, prepay?: PrepayChoice) => act({ kind: 'repay', amountFen, prepay }),
    [act],
  )
  /** The last action again, with the same requestId (a lost answer is not paid twice). */
  const retry = useCallback(() => (last ? act(last) : Promise.resolve()), [act, last])
  /** Asks the server again about the payment shown (it asks WeChat Pay). */
  const refreshPayment = useCallback(async () => {
    if (!payment) return
    const known = await confirmedPayment(payment.view.paymentId, 'failed')
    if (known) setPayment({ view: known, sheet: payment.sheet })
    if (known && known.state !== 'pending') await reload()
  }, [payment, reload])

  const error: ApiError | null =
    last?.kind === 'cancel' ? cancelMutation.error : last?.kind === 'repay' ? repayMutation.error : null

  return {
    loanId,
    /** The loan as the server last showed it: loaded, or as a cancel returned it. */
    query: { ...query, data: loan },
    cancel,
    repay,
    retry,
    refreshPayment,
    busy: cancelMutation.busy || repayMutation.busy || confirming,
    error,
    /** The amount of the repayment in flight, if one is. */
    paying: (repayMutation.busy || confirming) && last?.kind === 'repay' ? last.amountFen : null,
    /** The payment opened last and what the server says of it. */
    payment,
    confirming,
    repaid,
  }
}

/** The server's allocation of a repayment of `amountFen` as of now (the live preview), while `enabled`. */
export function useRepaymentPreview(
  loanId: string,
  amountFen: number,
  prepay: PrepayChoice | undefined,
  enabled: boolean,
) {
  return useCloudQuery('loans', 'previewRepayment', { loanId, amountFen, ...(prepay ? { prepay } : {}) }, enabled)
}

export const RECEIPT_KIND_NAMES: Record<ReceiptKind, string> = {
  apply: '申请',
  approve: '批准',
  refuse: '拒绝',
  review: '转人工审核',
  disburse: '放款',
  cancel: '取消',
  repay: '还款',
  refund: '退款',
}

export type ReceiptCheck =
  { state: 'checking' } | { state: 'valid' } | { state: 'invalid' } | { state: 'error'; error: ApiError }

/** Receipt ids are `<loan>:<version>:<effect>`: the order they were written in, for receipts of the same moment. */
function receiptOrder(a: ReceiptView, b: ReceiptView): number {
  if (a.at !== b.at) return a.at - b.at
  // A receipt named by a payment (no version in its id) sorts by id among those of its moment.
  const parts = (r: ReceiptView) =>
    r.id
      .split(':')
      .slice(-2)
      .map((x) => Number(x) || 0)
  const [va = 0, na = 0] = parts(a)
  const [vb = 0, nb = 0] = parts(b)
  return va - vb || na - nb || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
}

/** 电子凭证: the loan's receipts in the order they happened, and a check of each signature on the server. */
export function useReceipts(loanId: string | undefined) {
  const query = useCloudQuery('loans', 'receipts', loanId ? { loanId } : {})
  const receipts = useMemo(() => (query.data ? [...query.data].sort(receiptOrder) : null), [query.data])
  const [checks, setChecks] = useState<Record<string, ReceiptCheck>>({})
  const checking = useRef(new Set<string>())

  const verify = useCallback(async (receipt: ReceiptView) => {
    if (checking.current.has(receipt.id)) return
    checking.current.add(receipt.id)
    setChecks((c) => ({ ...c, [receipt.id]: { state: 'checking' } }))
    const result = await call('loans', 'verifyReceipt', { receipt: { ...receipt } })
    checking.current.delete(receipt.id)
    setChecks((c) => ({
      ...c,
      [receipt.id]: result.ok
        ? { state: result.data.valid ? 'valid' : 'invalid' }
        : { state: 'error', error: result.error },
    }))
  }, [])

  return { query: { ...query, data: receipts }, checks, verify }
}
