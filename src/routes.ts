// Where every page lives. Tab pages (home, my loans, me) stay in the main package, as WeChat
// requires; everything else is in a subpackage so the first open downloads as little as possible.
import type { OnboardingStatus } from './api'
import type { ProductId } from './domain/catalog'
import {
  STEP_PAGES,
  resumeStep,
  stepAfter,
  stepAfterPrecheck,
  type JourneyFacts,
  type JourneyStep,
  type PendingStep,
} from './domain/journey'

export const ENTRY_PAGE = '/pages/index/index'
export const TAB_PAGES = { home: ENTRY_PAGE, loans: '/pages/loans/index', me: '/pages/me/index' } as const

export const PAGES = {
  // The journey's pages come from its table.
  ...STEP_PAGES,
  products: '/pages/products/index/index',
  compare: '/pages/products/compare/index',
  competitors: '/pages/products/competitors/index',
  offer: '/pages/products/offer/index',
  confirm: '/pages/products/confirm/index',
  decision: '/pages/products/decision/index',
  /** 开通: reading what opening does, the per-query consent, the decision (a product's line). */
  openLine: '/pages/products/open/index',
  /** 额度: one product's line, its state and its history (额度记录). */
  line: '/pages/products/line/index',
  /** 决定原因: why an automated decision was made, and asking a person to review it. */
  explain: '/pages/products/explain/index',
  // The contracts live beside opening and borrowing, where they are signed: one subpackage holds
  // the reader, so it never moves into the main package.
  /** 我的合同: every contract signed (授信合同, 借款合同), optionally of one product or one loan. */
  contracts: '/pages/products/contracts/index',
  /** One signed contract: its text, its signing record, and its PDF. */
  contract: '/pages/products/contract/index',
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
 * From a product's page, the way to a step it still needs and back: the card step returns to the
 * products, face verification to the product's offer.
 */
export function goToStep(step: PendingStep, product: ProductId | null): [PageName, Record<string, string | undefined>] {
  return step === 'bankCard' ? ['bankCard', { next: 'products' }] : [step, { product: product ?? undefined }]
}

/** The journey's facts from the server's onboarding status. */
export function journeyFacts(
  status: Pick<OnboardingStatus, 'agreements' | 'identity' | 'cards' | 'payScore' | 'face'>,
): JourneyFacts {
  return {
    agreements: status.agreements,
    identityVerified: status.identity !== null && !status.identity.recheck,
    cardBound: status.cards.length > 0,
    payScoreAsked: status.payScore !== null,
    facePassed: status.face === 'passed',
  }
}

type StatusFacts = Parameters<typeof journeyFacts>[0]

/**
 * Where a returning user resumes: the server's `next` until its steps are done (the server knows
 * the current agreement versions, a client bundle may not), then the journey's steps after the
 * pre-check.
 */
export function resumePage(status: StatusFacts & Pick<OnboardingStatus, 'next'>): PageName {
  if (status.next !== 'precheck') return status.next
  return resumeStep(journeyFacts(status)) ?? 'products'
}

/** From a step's page: the journey's step after it, then the products. */
export function pageAfter(step: JourneyStep): PageName {
  return stepAfter(step) ?? 'products'
}

/** After the pre-check: the journey's next step, then the products. */
export function afterPrecheck(status: StatusFacts): PageName {
  return stepAfterPrecheck(journeyFacts(status)) ?? 'products'
}
