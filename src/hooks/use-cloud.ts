// React state over cloud calls: loading, data, error and retry; mutations that cannot double-submit.
import { useCallback, useEffect, useRef, useState } from 'react'
import { useDidShow } from '@tarojs/taro'
import type { ActionRequest, ActionName, ActionOutput, ApiError, ApiResult, FunctionName } from '../api'
import { call, newRequestId } from '../services/cloud'

export interface QueryState<T> {
  loading: boolean
  data: T | null
  error: ApiError | null
  reload: () => Promise<void>
}

export function useCloudQuery<F extends FunctionName, A extends ActionName<F>>(
  fn: F,
  action: A,
  input: ActionRequest<F, A>,
  enabled = true,
): QueryState<ActionOutput<F, A>> {
  const [state, setState] = useState<Omit<QueryState<ActionOutput<F, A>>, 'reload'>>({
    loading: enabled,
    data: null,
    error: null,
  })
  const key = JSON.stringify(input)
  const alive = useRef(true)
  useEffect(
    () => () => {
      alive.current = false
    },
    [],
  )
  const reload = useCallback(async () => {
    setState((s) => ({ ...s, loading: true, error: null }))
    const result = await call(fn, action, JSON.parse(key) as ActionRequest<F, A>)
    if (!alive.current) return
    setState(
      result.ok
        ? { loading: false, data: result.data, error: null }
        : { loading: false, data: null, error: result.error },
    )
  }, [fn, action, key])
  useEffect(() => {
    if (enabled) void reload()
  }, [enabled, reload])
  return { ...state, reload }
}

export interface MutationState<F extends FunctionName, A extends ActionName<F>> {
  busy: boolean
  error: ApiError | null
  run: (input: ActionRequest<F, A>) => Promise<ApiResult<ActionOutput<F, A>> | null>
}

export function useCloudMutation<F extends FunctionName, A extends ActionName<F>>(
  fn: F,
  action: A,
): MutationState<F, A> {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)
  const inFlight = useRef(false)
  const pending = useRef<{ key: string; requestId: string } | null>(null)
  const run = useCallback(
    async (input: ActionRequest<F, A>) => {
      if (inFlight.current) return null
      inFlight.current = true
      setBusy(true)
      setError(null)
      const key = JSON.stringify(input)
      // The same input sent again after a failure keeps its requestId: if the first one did land,
      // the server answers it again instead of acting twice.
      const requestId = pending.current?.key === key ? pending.current.requestId : newRequestId()
      pending.current = { key, requestId }
      const result = await call(fn, action, input, requestId)
      if (result.ok) pending.current = null
      else setError(result.error)
      inFlight.current = false
      setBusy(false)
      return result
    },
    [fn, action],
  )
  return { busy, error, run }
}

/**
 * Reloads when the page shows again. Tab pages stay alive between visits, so a count read on
 * mount goes stale; the first show is skipped because the query already loads on mount.
 */
export function useReloadOnShow(...reloads: Array<() => Promise<void>>) {
  const shown = useRef(false)
  useDidShow(() => {
    if (shown.current) for (const reload of reloads) void reload()
    shown.current = true
  })
}
