// The local cloud's scheduled work: what the WeChat timer runs — overdue marking, then reminders.
import { markOverdue } from '../app/loans'
import { runReminders } from '../app/reminders'
import type { Ports } from '../ports'

const BUDGET_MS = 50_000

export async function runJobs(ports: Ports) {
  const started = performance.now()
  const overdue = await markOverdue(ports)
  const reminders = await runReminders(ports, { outOfTime: () => performance.now() - started > BUDGET_MS })
  return { overdue, reminders }
}

/** Runs the jobs every `everyMs` until stopped; a run never overlaps the previous one. */
export function scheduleJobs(ports: Ports, everyMs = 60_000): () => void {
  let running = false
  const timer = setInterval(() => {
    if (running) return
    running = true
    runJobs(ports)
      .catch((error: unknown) =>
        ports.log.error('jobs_failed', { error: error instanceof Error ? error.message : String(error) }),
      )
      .finally(() => {
        running = false
      })
  }, everyMs)
  timer.unref()
  return () => clearInterval(timer)
}
