// The optional consents (生物识别, 金融信息, 自动扣款, 还款提醒) as they stand — each given or
// withdrawn, from the records kept (a withdrawal is its own record, never a deletion) — and
// withdrawing one: first what stops working, then the borrower's own confirmation, then what the
// server says stopped and how to give it again.
import { useCallback, useState } from 'react'
import type { ApiError, ConsentView, WithdrawResult, WithdrawableConsent } from '../api'
import { WITHDRAWABLE } from '../domain/withdrawal'
import { useCloudMutation } from './use-cloud'

export interface ConsentStanding {
  kind: WithdrawableConsent
  given: boolean
  /** When it was (last) given, while it is. */
  since: number | null
  /** The last withdrawal, if any. */
  withdrawnAt: number | null
}

/**
 * Where a consent stands, from its records (oldest first or not): given when its newest record is a
 * grant. Automatic debit is given per line (each switch its own record): given while any line's
 * newest switch is on and came after the last withdrawal.
 */
export function consentStanding(list: ConsentView[], kind: WithdrawableConsent): ConsentStanding {
  const records = list.filter((c) => c.kind === kind).sort((a, b) => a.at - b.at)
  const withdrawals = records.filter((c) => c.withdrawn)
  const withdrawnAt = withdrawals.length > 0 ? withdrawals[withdrawals.length - 1].at : null
  if (kind === 'autoDebit') {
    const byLine = new Map<string, ConsentView>()
    for (const r of records) if (!r.withdrawn) byLine.set(r.product ?? '', r)
    const on = [...byLine.values()].filter((r) => r.on !== false && (withdrawnAt === null || r.at > withdrawnAt))
    return { kind, given: on.length > 0, since: on.length > 0 ? Math.min(...on.map((r) => r.at)) : null, withdrawnAt }
  }
  const last = records[records.length - 1]
  const given = last !== undefined && !last.withdrawn
  return { kind, given, since: given ? last.at : null, withdrawnAt }
}

export function consentStandings(list: ConsentView[]): ConsentStanding[] {
  return WITHDRAWABLE.map((kind) => consentStanding(list, kind))
}

/** `onDone` gets the server's answer: the consents as they are now among it. */
export function useWithdrawal(onDone: (result: WithdrawResult) => void) {
  const mutation = useCloudMutation('account', 'withdrawConsent')
  const runWithdraw = mutation.run
  /** The consent whose withdrawal is being confirmed (its dialog is open). */
  const [asking, setAsking] = useState<WithdrawableConsent | null>(null)
  const [result, setResult] = useState<WithdrawResult | null>(null)
  const [error, setError] = useState<ApiError | null>(null)

  const ask = useCallback((kind: WithdrawableConsent) => {
    setError(null)
    setAsking(kind)
  }, [])
  const cancel = useCallback(() => {
    setError(null)
    setAsking(null)
  }, [])
  const confirm = useCallback(async () => {
    if (!asking) return
    const r = await runWithdraw({ kind: asking })
    if (!r) return
    if (!r.ok) return setError(r.error)
    setResult(r.data)
    setAsking(null)
    onDone(r.data)
  }, [asking, runWithdraw, onDone])

  return { asking, busy: mutation.busy, error, result, ask, cancel, confirm }
}
