// Where every page lives. Tab pages (home, my loans, me) stay in the main package, as WeChat
// requires; everything else is in a subpackage so the first open downloads as little as possible.
import type { OnboardingStatus } from './api'
import type { OnboardingStep } from './domain/onboarding'

export const ENTRY_PAGE = '/pages/index/index'
export const TAB_PAGES = { home: ENTRY_PAGE, loans: '/pages/loans/index', me: '/pages/me/index' } as const

export const STEP_PAGES: Record<OnboardingStep, string> = {
  agreements: '/pages/onboarding/agreements/index',
  realName: '/pages/onboarding/real-name/index',
  precheck: '/pages/onboarding/precheck/index',
}

export const PAGES = {
  ...STEP_PAGES,
  bankCard: '/pages/onboarding/bank-card/index',
  payScore: '/pages/onboarding/pay-score/index',
  face: '/pages/onboarding/face/index',
  products: '/pages/products/index/index',
  compare: '/pages/products/compare/index',
  competitors: '/pages/products/competitors/index',
  offer: '/pages/products/offer/index',
  confirm: '/pages/products/confirm/index',
  decision: '/pages/products/decision/index',
  loan: '/pages/loan/detail/index',
  receipts: '/pages/loan/receipts/index',
  messages: '/pages/account/messages/index',
  help: '/pages/account/help/index',
  myData: '/pages/account/my-data/index',
  settings: '/pages/account/settings/index',
  about: '/pages/account/about/index',
} as const

export type PageName = keyof typeof PAGES

/** A page URL with its query (values URL-encoded). */
export function pageUrl(page: PageName, query: Record<string, string | number | undefined> = {}): string {
  const parts = Object.entries(query)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`)
  return parts.length ? `${PAGES[page]}?${parts.join('&')}` : PAGES[page]
}

/**
 * Where a returning user resumes, from the server's onboarding status: the server's own next
 * step until the real-name check is done; then the pre-check (which leads on to the card),
 * the pay-score authorization, and finally the products.
 */
export function resumePage(status: Pick<OnboardingStatus, 'next' | 'cards' | 'payScore'>): PageName {
  if (status.next !== 'precheck') return status.next
  if (status.cards.length === 0) return 'precheck'
  if (status.payScore === null) return 'payScore'
  return 'products'
}

/** After the pre-check: the card, then the pay score, then the products. */
export function afterPrecheck(status: Pick<OnboardingStatus, 'cards' | 'payScore'>): PageName {
  if (status.cards.length === 0) return 'bankCard'
  if (status.payScore === null) return 'payScore'
  return 'products'
}
