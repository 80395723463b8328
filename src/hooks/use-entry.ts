// The entry page's state: which merchant sent the user (if any) and where to resume.
import { useCallback, useEffect, useState } from 'react'
import Taro, { useRouter } from '@tarojs/taro'
import type { ApiError, MerchantView } from '../api'
import { readScene } from '../domain/scene'
import { STEP_PAGES } from '../routes'
import { call } from '../services/cloud'
import { platform } from '../services/platform'

export function useEntry(signedIn: boolean) {
  const router = useRouter()
  const [merchant, setMerchant] = useState<MerchantView | null>(null)
  const [starting, setStarting] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)
  const scene = readScene(platform.entryScene(router.params)) ?? ''

  useEffect(() => {
    if (!signedIn || scene === '') return
    let alive = true
    // A merchant code that cannot be resolved changes nothing for the user: the flow is the same.
    void call('merchants', 'resolve', { scene: scene.slice(0, 256) }).then((r) => {
      if (alive && r.ok) setMerchant(r.data.merchant)
    })
    return () => {
      alive = false
    }
  }, [signedIn, scene])

  const start = useCallback(async () => {
    setStarting(true)
    setError(null)
    const status = await call('onboarding', 'status', {})
    setStarting(false)
    if (!status.ok) return setError(status.error)
    await Taro.navigateTo({ url: STEP_PAGES[status.data.next] })
  }, [])

  return { merchant, start, starting, error }
}
