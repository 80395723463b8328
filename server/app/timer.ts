// The reminders function's entry: the timer trigger (no OPENID) runs the overdue job and the
// reminder job within a time budget; anything else is an ordinary action call.
import type { ApiResult } from '../../src/api'
import type { Ports } from '../ports'
import { createMain, type Main, type WhoIs } from './handler'
import { runLineJobs } from './lines'
import { migrate } from './migrations'
import { markOverdue } from './loans/index'
import { runPaymentJobs } from './payments'
import { runPayoutJobs } from './payouts'
import { runDebitJobs } from './card-debits'
import { resealIdentities } from './identity'
import { runReminders } from './reminders'
import { expireReviewCases } from './explain'
import { purgeRetained } from './retention'
import { removeExpiredDownloads } from './contract-files'

/** Default budget: 50 s of the 60 s a cloud function may run. */
export const TIMER_BUDGET_MS = 50_000

/**
 * What the timer runs: overdue marking, the line job, then reminders, within the budget — and, while a data key
 * is being rotated out (it is configured but not current), a batch of identities re-sealed under
 * the current key, so rotation finishes by itself; its log line says how many remain.
 */
export async function runScheduledJobs(ports: Ports, wallClock: () => number = () => performance.now()) {
  const started = wallClock()
  // A deploy with a newer schema: its migration runs first (once; a later run finds nothing to do).
  await migrate(ports)
  // Payments first: one paid but never called back is settled before its loan is marked overdue.
  // Either job failing (its provider down) leaves the others to run.
  const safely = async <T>(name: string, job: () => Promise<T>): Promise<T | null> =>
    job().catch((error: unknown) => {
      ports.log.error('job_failed', { job: name, error: error instanceof Error ? error.message : String(error) })
      return null
    })
  const payments = await safely('payments', () => runPaymentJobs(ports))
  // Payouts the gateway has confirmed (or failed) since: the loans land, or end.
  const payouts = await safely('payouts', () => runPayoutJobs(ports))
  // Automatic debits whose time has come, before the overdue marking: a debit taken today is never overdue.
  const debits = await safely('debits', () => runDebitJobs(ports))
  const overdue = await markOverdue(ports)
  // After the overdue marking, so that a line freezes in the same run its installment fell overdue.
  const lines = await runLineJobs(ports)
  if (lines.notices.length > 0) ports.log.info('line_notices', { notices: lines.notices.length })
  // Review cases nobody decided in 7 days end; what deleted accounts left goes once its period is over.
  const reviews = await safely('reviews', () => expireReviewCases(ports))
  const retention = await safely('retention', () => purgeRetained(ports))
  const downloads = await safely('downloads', () => removeExpiredDownloads(ports))
  const reminders = await runReminders(ports, { outOfTime: () => wallClock() - started > TIMER_BUDGET_MS })
  const outOfTime = () => wallClock() - started > TIMER_BUDGET_MS
  const retired = ports.secrets.keyIds().filter((k) => k !== ports.secrets.currentKeyId())
  let resealed: Awaited<ReturnType<typeof resealIdentities>> | null = null
  // Batches until none is left that can be opened, or the budget is spent (the next run goes on).
  while (retired.length > 0 && !outOfTime()) {
    const batch: Awaited<ReturnType<typeof resealIdentities>> = await resealIdentities(ports, retired)
    const before: number = resealed === null ? 0 : resealed.resealed
    resealed = { resealed: before + batch.resealed, remaining: batch.remaining, failed: batch.failed }
    if (batch.resealed === 0) break
  }
  if (resealed) ports.log.info('identities_resealed', { retired, ...resealed })
  return { payments, payouts, debits, overdue, lines, reviews, retention, downloads, reminders, resealed }
}

export function createRemindersMain(
  getPorts: () => Ports,
  whoIs: WhoIs,
  wallClock: () => number = () => performance.now(),
): Main {
  const actions = createMain('reminders', getPorts, whoIs)
  return async (event, context): Promise<ApiResult<unknown>> => {
    const timer = (event as { Type?: unknown } | null)?.Type === 'Timer'
    // A caller with an identity is a client, whatever its event says: only the timer runs the jobs.
    if (!timer || whoIs(event, context) !== null) return actions(event, context)
    const ports = getPorts()
    const { overdue, reminders: report } = await runScheduledJobs(ports, wallClock)
    if (report.deadClaims.length > 0)
      ports.log.warn('reminder_dead_claims', { keys: report.deadClaims.slice(0, 20), count: report.deadClaims.length })
    ports.log.info('reminders_run', { ...report, deadClaims: report.deadClaims.length, overdue })
    return { ok: true, data: { overdue, reminders: report } }
  }
}
