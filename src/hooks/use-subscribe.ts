// The reminder subscription: WeChat's subscribe dialog (only from a tap), then one grant per
// accepted template recorded on the server.
import { useCallback, useRef, useState } from 'react'
import { platform } from '../services/platform'
import { useCloudMutation } from './use-cloud'

export type SubscribeOutcome =
  { kind: 'granted'; count: number } | { kind: 'declined' } | { kind: 'error'; message: string }

export function useSubscribe() {
  const grant = useCloudMutation('reminders', 'grant')
  const runGrant = grant.run
  const [asking, setAsking] = useState(false)
  const [outcome, setOutcome] = useState<SubscribeOutcome | null>(null)
  const inFlight = useRef(false)
  const [templates] = useState(() => platform.reminderTemplateIds())
  const ask = useCallback(async () => {
    if (inFlight.current) return
    inFlight.current = true
    setAsking(true)
    const accepted = await platform.requestSubscribe(templates.slice(0, 3))
    if (accepted.length === 0) setOutcome({ kind: 'declined' })
    else {
      // Recording the grants is a mutation like any other: a retry after a lost answer is the same request.
      const result = await runGrant({ templateIds: accepted })
      if (result)
        setOutcome(
          result.ok ? { kind: 'granted', count: accepted.length } : { kind: 'error', message: result.error.message },
        )
    }
    inFlight.current = false
    setAsking(false)
  }, [templates, runGrant])
  return { available: templates.length > 0, busy: asking || grant.busy, outcome, ask }
}
