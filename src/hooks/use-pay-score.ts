// The pay-score step: the server gets a 商户预授权 token, WeChat Pay's own page asks the user,
// then the server asks WeChat Pay for the authorization state. What the page's callback says
// proves nothing; only the server's answer is shown.
import { useState } from 'react'
import type { ApiError } from '../api'
import type { PayScoreReading } from '../domain/pay-score'
import { pageAfter } from '../routes'
import { replace } from '../services/nav'
import { platform } from '../services/platform'
import { useCloudMutation } from './use-cloud'
import { errorFix } from './use-form'
import { useStepGate } from './use-onboarding-step'

export function usePayScore() {
  // The financial-data consent is what the server needs before it may ask WeChat Pay.
  const gate = useStepGate('financialDataConsent')
  const start = useCloudMutation('onboarding', 'startPayScore')
  const authorize = useCloudMutation('onboarding', 'authorizePayScore')
  const [state, setState] = useState<PayScoreReading | null>(null)
  const [cancelled, setCancelled] = useState(false)
  const [opening, setOpening] = useState(false)
  const [error, setError] = useState<{ error: ApiError; retry: 'authorize' | 'query' } | null>(null)

  /** Asks the server for the state WeChat Pay holds now. */
  const query = async () => {
    setError(null)
    const result = await authorize.run({})
    if (!result) return
    if (result.ok) setState(result.data.payScore)
    // The user may have authorized already: ask again rather than open WeChat Pay's page again.
    else setError({ error: result.error, retry: 'query' })
  }

  /** 去授权: token from the server, WeChat Pay's page, then the server's answer. */
  const authorizeNow = async () => {
    if (opening) return
    setOpening(true)
    setCancelled(false)
    setError(null)
    try {
      const token = await start.run({})
      if (!token) return
      if (!token.ok) return setError({ error: token.error, retry: 'authorize' })
      const choice = await platform.openPayScore(token.data.token)
      if (choice === 'cancelled') return setCancelled(true)
      await query()
    } finally {
      setOpening(false)
    }
  }

  return {
    ...gate,
    /** This visit's answer, else what the server recorded before. */
    state: state ?? gate.status.data?.payScore ?? null,
    cancelled,
    busy: opening || start.busy || authorize.busy,
    error: error?.error ?? null,
    errorFix: errorFix(error?.error ?? null, {
      retry: () => (error?.retry === 'query' ? query() : authorizeNow()),
      goTo: gate.goTo,
      // 去授权 is this page's own button (WeChat Pay's authorization).
      agreementsLabel: '去协议页',
    }),
    authorize: authorizeNow,
    requery: query,
    /** The journey's next step now that WeChat Pay has been asked (today: choosing a product). */
    continueOn: () => replace(pageAfter('payScore')),
  }
}
