// The reminder subscription: WeChat's subscribe dialog (only from a tap), then one grant per
// accepted template recorded on the server.
import { useCallback, useRef, useState } from 'react'
import { call, newRequestId } from '../services/cloud'
import { platform } from '../services/platform'

export type SubscribeOutcome =
  { kind: 'granted'; count: number } | { kind: 'declined' } | { kind: 'error'; message: string }

export function useSubscribe() {
  const [busy, setBusy] = useState(false)
  const [outcome, setOutcome] = useState<SubscribeOutcome | null>(null)
  const inFlight = useRef(false)
  const [templates] = useState(() => platform.reminderTemplateIds())
  const ask = useCallback(async () => {
    if (inFlight.current) return
    inFlight.current = true
    setBusy(true)
    const accepted = await platform.requestSubscribe(templates.slice(0, 3))
    if (accepted.length === 0) setOutcome({ kind: 'declined' })
    else {
      const result = await call('reminders', 'grant', { templateIds: accepted }, newRequestId())
      setOutcome(
        result.ok ? { kind: 'granted', count: accepted.length } : { kind: 'error', message: result.error.message },
      )
    }
    inFlight.current = false
    setBusy(false)
  }, [templates])
  return { available: templates.length > 0, busy, outcome, ask }
}
