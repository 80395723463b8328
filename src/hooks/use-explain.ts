// 决定原因 (PIPL art. 24): why the automated decision on a product is what it is — the score,
// each dimension's contribution, every rule passed or failed — and asking a person to review a
// refusal, with an optional note; the case is shown as it stands (waiting, or its outcome).
import { useCallback, useState } from 'react'
import type { ApiError, ReviewCaseView } from '../api'
import type { ProductId } from '../domain/catalog'
import { REVIEW_NOTE_MAX } from '../ui/explain-text'
import { useCloudMutation, useCloudQuery } from './use-cloud'

/** Any product: the input a disabled query carries (it is never sent). */
const NONE: ProductId = 'we2000'

export function useExplanation(product: ProductId | null) {
  const q = useCloudQuery('credit', 'explain', { product: product ?? NONE }, product !== null)
  const mutation = useCloudMutation('credit', 'requestReview')
  const runRequest = mutation.run
  const reloadExplanation = q.reload
  const [note, setNoteState] = useState('')
  const [requested, setRequested] = useState<ReviewCaseView | null>(null)
  const [error, setError] = useState<ApiError | null>(null)

  const setNote = useCallback((text: string) => setNoteState(text.slice(0, REVIEW_NOTE_MAX)), [])

  /** 申请人工复核: one case per refusal; one already waiting is shown instead of a second. */
  const request = useCallback(async () => {
    if (!product) return
    setError(null)
    const r = await runRequest({ product, note: note.trim() })
    if (!r) return
    if (r.ok) {
      setRequested(r.data)
      setNoteState('')
      return
    }
    setError(r.error)
    if (r.error.code === 'REVIEW_ALREADY_REQUESTED') void reloadExplanation()
  }, [product, note, runRequest, reloadExplanation])

  const explanation = q.data
  // The case just asked for, unless the explanation read since shows a newer state of it.
  const fromServer = explanation?.review ?? null
  const newer = (a: ReviewCaseView, b: ReviewCaseView) => a.caseId !== b.caseId && a.requestedAt > b.requestedAt
  const review = requested && (!fromServer || newer(requested, fromServer)) ? requested : fromServer
  return {
    query: q,
    review,
    /** Asking is offered for a refusal with no case waiting; the server has the last word. */
    canRequest: explanation !== null && explanation.refused !== null && review?.state !== 'waiting',
    note,
    setNote,
    request,
    busy: mutation.busy,
    error,
  }
}
