// @tarojs/taro in jest: the H5 implementation, as the browser build gets it, plus the page hooks
// the build's loader adds from the React framework runtime (which needs a mounted Taro app).
// useRouter returns the current instance's router, as Taro's does: a test sets it with
// `Taro.getCurrentInstance().router = { params: {...}, path: '...' }` before rendering.
// useDidShow runs when the page mounts (its first show) and again on `showPage()`.
import { useEffect, useMemo, useRef } from 'react'
import Taro from '@tarojs/taro-h5'
import * as H5 from '@tarojs/taro-h5'

const shown = new Set<() => void>()

export function useDidShow(fn: () => void): void {
  const latest = useRef(fn)
  latest.current = fn
  useEffect(() => {
    const callback = () => latest.current()
    shown.add(callback)
    callback()
    return () => {
      shown.delete(callback)
    }
  }, [])
}

export function useRouter(): { params: Record<string, string | undefined>; path: string } {
  return useMemo(() => {
    const router = Taro.getCurrentInstance().router as { params?: Record<string, string>; path?: string } | null
    return { params: { ...router?.params }, path: router?.path ?? '' }
  }, [])
}

/** The mounted pages are shown again (back from another page, or their tab tapped). Wrap in act(). */
export function showPage(): void {
  for (const callback of [...shown]) callback()
}

Object.assign(Taro, { useDidShow, useRouter })
// The H5 build turns Taro.getStorageSync(…) into named imports; jest keeps the default export,
// which lacks a few of them. Put them where the pages look.
for (const name of ['getStorageSync', 'setStorageSync', 'removeStorageSync', 'setClipboardData'] as const) {
  const api = (H5 as Record<string, unknown>)[name]
  if (!(name in Taro) && api) Object.assign(Taro, { [name]: api })
}

export * from '@tarojs/taro-h5'
export default Taro
