// The local cloud's scheduled work: the same jobs the WeChat timer runs, on an interval.
import { runScheduledJobs } from '../../app/timer'
import type { Ports } from '../../ports'

/**
 * Runs the jobs every `everyMs` until stopped; a run never overlaps the previous one. `andThen`
 * is the local cloud's own work after them (closing the books on its database file).
 */
export function scheduleJobs(
  ports: Ports,
  everyMs = 60_000,
  andThen: () => Promise<unknown> = async () => undefined,
): () => void {
  let running = false
  const timer = setInterval(() => {
    if (running) return
    running = true
    runScheduledJobs(ports)
      .then(andThen)
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
