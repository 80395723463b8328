// Where each onboarding step lives in the mini-program.
import type { OnboardingStep } from './domain/onboarding'

export const ENTRY_PAGE = '/pages/index/index'

export const STEP_PAGES: Record<OnboardingStep, string> = {
  agreements: '/pages/onboarding/agreements/index',
  realName: '/pages/onboarding/real-name/index',
  precheck: '/pages/onboarding/precheck/index',
}
