// The onboarding journey, said once: which steps exist, in which order, which product needs which,
// which page shows each, and when each is done. The server's `next`, the resume logic, the step bar,
// the rules' pending steps, the routes and the pages' "go on" all derive from this table; adding a
// step means one entry here, its page (listed in app.config.ts — a test checks they agree) and its
// use case.
import { agreementsCurrent, type AgreementRecord } from './agreements'
import type { CreditProfile } from './credit-profile'

/** What the journey looks at to say where a person is: the server's record of them, in short. */
export interface JourneyFacts {
  agreements: AgreementRecord
  /** Real-name verified, with the legal identity kept sealed. */
  identityVerified: boolean
  cardBound: boolean
  /** WeChat Pay has been asked (whatever it said). */
  payScoreAsked: boolean
  facePassed: boolean
}

/** Which products a step is needed for: every product, or those whose rules ask for it. */
export type StepNeed = 'all' | 'needsPayScore' | 'needsFace'

export interface JourneyStepSpec {
  id: string
  /** The step bar's title (and the button to it reads 去<title>). */
  title: string
  /** How the step reads in "还需要完成：…", when not its title. */
  task?: string
  /** The mini-program page that shows it (also in app.config.ts). */
  page: string
  /**
   * `server`: the server's `next` walks these in order (everything after the pre-check needs them).
   * `after-precheck`: the steps the person does once they have seen the pre-check.
   */
  gate: 'server' | 'after-precheck'
  need: StepNeed
  done: (f: JourneyFacts) => boolean
  /** Shown in the step bar always, or only on its own page (face: only some products need it). */
  bar: 'always' | 'own-page'
  /**
   * A step the rules list as still to do (not a refusal) for a product that needs it, with when
   * the profile says it is still to do.
   */
  pendingWhen?: (p: Pick<CreditProfile, 'card' | 'face'>) => boolean
  /** A returning person resumes this step from another's page (the card step from the pre-check's verdict). */
  resumesAt?: string
}

export const JOURNEY = [
  {
    id: 'agreements',
    title: '协议授权',
    task: '阅读协议并授权',
    page: '/pages/onboarding/agreements/index',
    gate: 'server',
    need: 'all',
    done: (f) => agreementsCurrent(f.agreements),
    bar: 'always',
  },
  {
    id: 'realName',
    title: '实名认证',
    page: '/pages/onboarding/real-name/index',
    gate: 'server',
    need: 'all',
    done: (f) => f.identityVerified,
    bar: 'always',
  },
  {
    // A view, not a task: it is where the server's steps end, so it is never "done".
    id: 'precheck',
    title: '预审结果',
    page: '/pages/onboarding/precheck/index',
    gate: 'server',
    need: 'all',
    done: () => false,
    bar: 'always',
  },
  {
    id: 'bankCard',
    title: '绑定银行卡',
    task: '绑定本人借记卡',
    page: '/pages/onboarding/bank-card/index',
    gate: 'after-precheck',
    need: 'all',
    done: (f) => f.cardBound,
    bar: 'always',
    pendingWhen: (p) => p.card === 'none',
    resumesAt: 'precheck',
  },
  {
    id: 'payScore',
    title: '微信支付分',
    page: '/pages/onboarding/pay-score/index',
    gate: 'after-precheck',
    need: 'needsPayScore',
    done: (f) => f.payScoreAsked,
    bar: 'always',
  },
  {
    id: 'face',
    title: '人脸核身',
    page: '/pages/onboarding/face/index',
    gate: 'after-precheck',
    need: 'needsFace',
    done: (f) => f.facePassed,
    bar: 'own-page',
    pendingWhen: (p) => p.face === 'none',
  },
] as const satisfies readonly JourneyStepSpec[]

type Entry = (typeof JOURNEY)[number]
export type JourneyStep = Entry['id']
/** The steps the server's `next` names (the rest are done after the pre-check). */
export type OnboardingStep = Extract<Entry, { gate: 'server' }>['id']
/** Steps the rules can list as still to do for a product. */
export type PendingStep = Extract<Entry, { pendingWhen: unknown }>['id']

const spec = (id: JourneyStep): JourneyStepSpec => JOURNEY.find((s) => s.id === id)!

export const ONBOARDING_STEPS = JOURNEY.filter((s) => s.gate === 'server').map((s) => s.id) as OnboardingStep[]
export const PENDING_STEPS = JOURNEY.filter((s) => 'pendingWhen' in s).map((s) => s.id) as PendingStep[]
export const STEP_TITLES = Object.fromEntries(JOURNEY.map((s) => [s.id, s.title])) as Record<JourneyStep, string>
export const STEP_PAGES = Object.fromEntries(JOURNEY.map((s) => [s.id, s.page])) as Record<JourneyStep, string>
/** How each step reads as something still to do ("还需要完成：绑定本人借记卡"). */
export const STEP_TASKS = Object.fromEntries(JOURNEY.map((s: JourneyStepSpec) => [s.id, s.task ?? s.title])) as Record<
  JourneyStep,
  string
>

export function isJourneyStep(x: string): x is JourneyStep {
  return JOURNEY.some((s) => s.id === x)
}

/** The first server step not done: where the server says the person is. */
export function nextStep(f: JourneyFacts): OnboardingStep {
  return ONBOARDING_STEPS.find((id) => !spec(id).done(f)) ?? 'precheck'
}

/** The server steps done (the pre-check, a view, never is). */
export function completedSteps(f: JourneyFacts): OnboardingStep[] {
  return ONBOARDING_STEPS.filter((id) => spec(id).done(f))
}

/**
 * Where a person goes once the pre-check is behind them: the first step after it that every
 * product shows in the bar and that is not done — or null, when what is left is choosing a product.
 */
export function stepAfterPrecheck(f: JourneyFacts): JourneyStep | null {
  return JOURNEY.find((s) => s.gate === 'after-precheck' && s.bar === 'always' && !s.done(f))?.id ?? null
}

/**
 * The step a person goes on to from `id`'s page: the next step after it, of those done after the
 * pre-check, that every product shows in the bar — or null, when what is left is choosing a product.
 */
export function stepAfter(id: JourneyStep): JourneyStep | null {
  const at = JOURNEY.findIndex((s) => s.id === id)
  return JOURNEY.slice(at + 1).find((s) => s.gate === 'after-precheck' && s.bar === 'always')?.id ?? null
}

/**
 * Where a returning person resumes: the server's step until its steps are done; then the step
 * after the pre-check (from the page it resumes at), or null when what is left is choosing a product.
 */
export function resumeStep(f: JourneyFacts): JourneyStep | null {
  const next = nextStep(f)
  if (next !== 'precheck') return next
  const after = stepAfterPrecheck(f)
  return after === null ? null : ((spec(after).resumesAt as JourneyStep | undefined) ?? after)
}

/** The steps the bar shows on `current`'s page: every step shown always, and `current` if it is shown only on its own. */
export function barSteps(current: JourneyStep): JourneyStep[] {
  return JOURNEY.filter((s) => s.bar === 'always' || s.id === current).map((s) => s.id)
}

/** Whether a product with these rules needs the step. */
export function stepNeeded(id: JourneyStep, rules: { needsPayScore: boolean; needsFace: boolean }): boolean {
  const need = spec(id).need
  return need === 'all' || rules[need]
}

/** The steps still to do for a product, from the profile, in journey order (not refusals). */
export function pendingSteps(
  profile: Pick<CreditProfile, 'card' | 'face'>,
  rules: { needsPayScore: boolean; needsFace: boolean },
): PendingStep[] {
  return PENDING_STEPS.filter((id) => stepNeeded(id, rules) && spec(id).pendingWhen!(profile))
}
