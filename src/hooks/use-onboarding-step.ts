// Shared by the onboarding pages: the server's view of where the user is, and moving on from it.
import { useCallback } from 'react'
import Taro from '@tarojs/taro'
import type { OnboardingStatus } from '../api'
import { STEP_PAGES } from '../routes'
import { useCloudQuery } from './use-cloud'

export function useOnboardingStatus() {
  return useCloudQuery('onboarding', 'status', {})
}

/** Goes to the page of the step the server says comes next. */
export function useGoNext() {
  return useCallback((status: OnboardingStatus) => Taro.redirectTo({ url: STEP_PAGES[status.next] }), [])
}
