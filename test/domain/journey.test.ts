/**
 * The journey table is the one place that says which onboarding steps exist, in which order, which
 * product needs which and which page shows each. Everything else derives from it; this checks that
 * what cannot derive from it (app.config.ts, which Taro reads as a literal) agrees with it.
 */
import path from 'node:path'
import { AGREEMENT_VERSIONS } from '../../src/domain/agreements'
import { DEFAULT_RULE_SET } from '../../src/domain/rule-set'
import {
  JOURNEY,
  ONBOARDING_STEPS,
  barSteps,
  completedSteps,
  nextStep,
  pendingSteps,
  resumeStep,
  stepAfter,
  stepAfterPrecheck,
  stepNeeded,
  type JourneyFacts,
} from '../../src/domain/journey'
import { PAGES } from '../../src/routes'

const facts = (over: Partial<JourneyFacts> = {}): JourneyFacts => ({
  agreements: {},
  identityVerified: false,
  cardBound: false,
  payScoreAsked: false,
  facePassed: false,
  ...over,
})
const agreed = {
  userAgreement: { version: AGREEMENT_VERSIONS.userAgreement, acceptedAt: 1 },
  privacyPolicy: { version: AGREEMENT_VERSIONS.privacyPolicy, acceptedAt: 1 },
}

/** Every page app.config.ts declares, as `/pages/…` paths. */
function appConfigPages(): string[] {
  const g = globalThis as unknown as { defineAppConfig?: (c: unknown) => unknown }
  g.defineAppConfig = (c) => c
  const config = require(path.resolve(__dirname, '../../src/app.config.ts')).default as {
    pages: string[]
    subPackages: Array<{ root: string; pages: string[] }>
  }
  return [...config.pages, ...config.subPackages.flatMap((p) => p.pages.map((x) => `${p.root}/${x}`))].map(
    (p) => `/${p}`,
  )
}

describe('the journey table', () => {
  it('app.config.ts, the routes and the table agree: every step’s page is declared and routed, and every route is a page', () => {
    const declared = appConfigPages()
    for (const step of JOURNEY) {
      expect(declared).toContain(step.page)
      expect(PAGES[step.id]).toBe(step.page)
    }
    for (const page of Object.values(PAGES)) expect(declared).toContain(page)
  })

  it('the server walks its steps in table order; the pre-check is where they end', () => {
    expect(ONBOARDING_STEPS).toEqual(['agreements', 'realName', 'precheck'])
    expect(nextStep(facts())).toBe('agreements')
    expect(nextStep(facts({ agreements: agreed }))).toBe('realName')
    expect(nextStep(facts({ agreements: agreed, identityVerified: true }))).toBe('precheck')
    expect(completedSteps(facts({ agreements: agreed, identityVerified: true }))).toEqual(['agreements', 'realName'])
  })

  it('after the pre-check: the card, then the pay score, then the products; a returning person starts the card from the pre-check', () => {
    const verified = { agreements: agreed, identityVerified: true }
    expect(stepAfterPrecheck(facts(verified))).toBe('bankCard')
    expect(resumeStep(facts(verified))).toBe('precheck')
    expect(stepAfterPrecheck(facts({ ...verified, cardBound: true }))).toBe('payScore')
    expect(resumeStep(facts({ ...verified, cardBound: true }))).toBe('payScore')
    expect(resumeStep(facts({ ...verified, cardBound: true, payScoreAsked: true }))).toBeNull()
  })

  it('from a step’s page the person goes on to the next step every product shows, whatever is done: the card, then the pay score, then the products', () => {
    expect(stepAfter('precheck')).toBe('bankCard')
    expect(stepAfter('bankCard')).toBe('payScore')
    expect(stepAfter('payScore')).toBeNull()
    expect(stepAfter('face')).toBeNull()
  })

  it('face verification is in the bar only on its own page; which product needs which step comes from the rules', () => {
    expect(barSteps('bankCard')).toEqual(['agreements', 'realName', 'precheck', 'bankCard', 'payScore'])
    expect(barSteps('face')).toEqual(['agreements', 'realName', 'precheck', 'bankCard', 'payScore', 'face'])
    const p = DEFAULT_RULE_SET.products
    expect(stepNeeded('face', p.xiaoe)).toBe(true)
    expect(stepNeeded('face', p.we2000)).toBe(false)
    expect(stepNeeded('payScore', p.weilidai)).toBe(false)
    expect(pendingSteps({ card: 'none', face: 'none' }, p.xiaoe)).toEqual(['bankCard', 'face'])
    expect(pendingSteps({ card: 'none', face: 'none' }, p.we2000)).toEqual(['bankCard'])
    expect(pendingSteps({ card: 'verified', face: 'passed' }, p.xiaoe)).toEqual([])
  })
})
