// The contract to sign before a request that binds (开通 lines.open, 借款 loans.apply): read from
// the server as it would be signed now, each time the borrower comes to sign; read again when the
// server says it changed meanwhile; its SHA-256 is what the request then carries as the signature.
// A refusal to show it that a retry does not mend (a consent withdrawn, the line gone) goes back to
// the page, which says what to do.
import { useCallback, useEffect, useRef, useState } from 'react'
import type { ActionRequest, ApiError, ContractPreview } from '../api'
import { call } from '../services/cloud'
import { adviceFor, type AdviceContext } from './advice'

export type PreviewRequest = ActionRequest<'contracts', 'preview'>

/** The server's answers that mean "read the contract (again) before signing". */
export const CONTRACT_AGAIN: ReadonlySet<string> = new Set(['CONTRACT_CHANGED', 'CONTRACT_REQUIRED'])

/** What trying again can mend (the connection, the server busy or briefly without an answer). */
const RETRYABLE: ReadonlySet<string> = new Set([
  'NETWORK_ERROR',
  'INTERNAL',
  'REQUEST_IN_PROGRESS',
  'CONFLICT',
  'PAY_SCORE_UNAVAILABLE',
])

/** Would trying again mend it? Else the page's advice does (another page, another choice). */
export const mendedByRetry = (error: ApiError, context: AdviceContext) =>
  RETRYABLE.has(error.code) && adviceFor(error, context).action?.kind === 'retry'

interface Shown {
  preview: ContractPreview | null
  loading: boolean
  error: ApiError | null
}

export function useContractToSign(
  request: PreviewRequest | null,
  context: AdviceContext | null,
  /** The contract could not be shown for a reason the page mends: reading ends, the page shows why. */
  onRefused: (error: ApiError) => void,
) {
  const [reading, setReading] = useState(false)
  const [shown, setShown] = useState<Shown>({ preview: null, loading: false, error: null })
  // Why the borrower reads it again (the server's word that it changed), said above the new text.
  const [notice, setNotice] = useState<string | null>(null)
  const key = request ? JSON.stringify(request) : null
  const latest = useRef(0)
  const alive = useRef(true)
  useEffect(
    () => () => {
      alive.current = false
    },
    [],
  )

  const load = useCallback(async () => {
    if (key === null || !context) return
    const n = ++latest.current
    // Never the earlier text while the current one loads: what is on screen is what can be signed.
    setShown({ preview: null, loading: true, error: null })
    const r = await call('contracts', 'preview', JSON.parse(key) as PreviewRequest)
    if (!alive.current || n !== latest.current) return
    if (r.ok) return setShown({ preview: r.data, loading: false, error: null })
    if (mendedByRetry(r.error, context)) return setShown({ preview: null, loading: false, error: r.error })
    setShown({ preview: null, loading: false, error: null })
    setReading(false)
    setNotice(null)
    onRefused(r.error)
  }, [key, context, onRefused])

  /** To the contract: read now (again, when it was read before: what is signed is today's text). */
  const start = useCallback(() => {
    setNotice(null)
    setReading(true)
    void load()
  }, [load])

  /** Back to the form: nothing was signed. */
  const stop = useCallback(() => {
    latest.current++
    setReading(false)
    setNotice(null)
    setShown({ preview: null, loading: false, error: null })
  }, [])

  /** The server refused the signature because the contract changed: the new text, to sign again. */
  const readAgain = useCallback(
    (error: ApiError) => {
      setNotice(error.message)
      setReading(true)
      void load()
    },
    [load],
  )

  return {
    reading,
    preview: reading ? shown.preview : null,
    loading: reading && shown.loading,
    error: reading ? shown.error : null,
    reload: load,
    notice,
    start,
    stop,
    readAgain,
  }
}

export type ContractToSign = ReturnType<typeof useContractToSign>
