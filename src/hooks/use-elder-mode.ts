// 长辈模式: larger type, larger touch targets and higher contrast. Kept on the device, so it
// holds on every page and after the mini-program is closed.
import { useCallback, useEffect, useState } from 'react'
import Taro, { useDidShow } from '@tarojs/taro'

export const ELDER_KEY = 'kaitong.elderMode'
const listeners = new Set<(on: boolean) => void>()

export function readElderMode(): boolean {
  try {
    return Taro.getStorageSync(ELDER_KEY) === '1'
  } catch {
    return false
  }
}

export function useElderMode(): [boolean, (on: boolean) => void] {
  const [on, setOn] = useState(readElderMode)
  useEffect(() => {
    listeners.add(setOn)
    return () => {
      listeners.delete(setOn)
    }
  }, [])
  // Pages kept in the stack read it again when they show.
  useDidShow(() => setOn(readElderMode()))
  const set = useCallback((value: boolean) => {
    try {
      Taro.setStorageSync(ELDER_KEY, value ? '1' : '0')
    } catch {
      // Storage full or unavailable: the mode still applies for this session.
    }
    for (const l of listeners) l(value)
  }, [])
  return [on, set]
}

/** The page root's class: `kt-page`, plus `kt-elder` when 长辈模式 is on. */
export function usePageClass(extra = ''): string {
  const [elder] = useElderMode()
  return `kt-page${elder ? ' kt-elder' : ''}${extra ? ` ${extra}` : ''}`
}
