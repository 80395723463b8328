// Shared by the onboarding pages: the server's view of where the user is, and moving on from it.
import { useCallback } from 'react'
import Taro from '@tarojs/taro'
import type { OnboardingStatus } from '../api'
import { hasCurrent, type AgreementKind } from '../domain/agreements'
import type { OnboardingStep } from '../domain/journey'
import { PAGES, type PageName } from '../routes'
import { replace } from '../services/nav'
import { useCloudQuery } from './use-cloud'

export function useOnboardingStatus() {
  return useCloudQuery('onboarding', 'status', {})
}

/** Goes to the page of the step the server says comes next. */
export function useGoNext() {
  return useCallback((status: OnboardingStatus) => Taro.redirectTo({ url: PAGES[status.next] }), [])
}

/** What must happen before a step after the pre-check: an earlier step, or the separate consent it needs. */
export type StepBlocker = { kind: 'step'; page: OnboardingStep } | { kind: 'consent' }

/**
 * A step after the pre-check (bank card, pay score, face): the server's view of where the user
 * is, what must happen first (the earlier steps, then `consent`), and the way to another page.
 */
export function useStepGate(consent: AgreementKind) {
  const status = useOnboardingStatus()
  const data = status.data
  const blocker: StepBlocker | null = !data
    ? null
    : data.next !== 'precheck'
      ? { kind: 'step', page: data.next }
      : !hasCurrent(data.agreements, consent)
        ? { kind: 'consent' }
        : null
  return { status, blocker, goTo: (page: PageName) => replace(page) }
}
