// For page tests that need no server at all: the transport of test/support/mock-platform answered
// by a table of answers per `fn.action` (each a function of the input), with factories for what
// the answers carry. The pages under test are the same; only what the cloud says is fixed here, so
// a test can make it say exactly what it is about (a contract changed between preview and signing,
// a consent withdrawn, a refusal explained) whatever state the server is in.
//
//   jest.mock('../../src/services/platform', () => require('../support/mock-platform').platformModule)
//   beforeEach(() => { fake = useFakeCloud({ 'contracts.list': () => ok([...]) }) })
import crypto from 'node:crypto'
import {
  apiError,
  type ApiResult,
  type ContractPreview,
  type ErrorCode,
  type LineView,
  type OnboardingStatus,
  type PrecheckResult,
} from '../../src/api'
import { AGREEMENT_VERSIONS } from '../../src/domain/agreements'
import { DAY_MS } from '../../src/domain/china-time'
import { DEFAULT_CATALOG } from '../../src/domain/catalog'
import { evaluate } from '../../src/domain/rules'
import { DEFAULT_RULE_SET } from '../../src/domain/rule-set'
import type { TestCloud } from '../support/cloud'
import { NOW } from '../support/factories'
import { pageCloud } from '../support/mock-platform'
import { makeProfile } from '../support/profiles'

export type Answer = (data: Record<string, unknown>) => ApiResult<unknown> | Promise<ApiResult<unknown>>

export interface FakeCloud {
  answers: Record<string, Answer>
  call(fn: string, action: string, data?: Record<string, unknown>): Promise<ApiResult<unknown>>
  close(): void
}

export const ok = <T>(data: T): ApiResult<T> => ({ ok: true, data })
export const refuse = (code: ErrorCode, extra: { detail?: string } = {}): ApiResult<never> => ({
  ok: false,
  error: apiError(code, extra),
})

/** The transport answers from `answers`; an action it does not name is UNKNOWN_ACTION (a test that forgot one sees it). */
export function useFakeCloud(answers: Record<string, Answer>): FakeCloud {
  const fake: FakeCloud = {
    // The catalog the server publishes unless the test says otherwise: the compiled one.
    answers: { 'credit.catalog': () => ok(DEFAULT_CATALOG), ...answers },
    async call(fn, action, data = {}) {
      const answer = fake.answers[`${fn}.${action}`]
      return answer ? answer(data) : refuse('UNKNOWN_ACTION', { detail: `${fn}.${action}` })
    },
    close: () => undefined,
  }
  pageCloud.cloud = fake as unknown as TestCloud
  pageCloud.reset()
  return fake
}

export const sha256Hex = (text: string) => crypto.createHash('sha256').update(text, 'utf8').digest('hex')

/** A contract as contracts.preview answers it: its hash is the text's. */
export function makePreview(over: Partial<Omit<ContractPreview, 'sha256'>> = {}): ContractPreview {
  const base = {
    kind: 'line' as const,
    product: 'we2000' as const,
    templateVersion: 'line-contract/2026-12-01.1',
    title: '个人授信合同（WE2000）',
    text: [
      '第一条 合同双方\n借款人：张三\n贷款人：示例银行股份有限公司',
      '第二条 授信额度\n授信额度为人民币 2,000.00 元，有效期 12 个月。',
      '第三条 利率\n日利率 0.05%，年化利率(IRR) 以每笔借款合同为准。',
    ].join('\n\n'),
    ...over,
  }
  return { ...base, sha256: sha256Hex(base.text) }
}

/** The pre-check for a good, complete profile (every product eligible but by invitation), as the server answers it. */
export function makePrecheck(): PrecheckResult {
  return {
    ...evaluate(makeProfile(), DEFAULT_RULE_SET, NOW, DEFAULT_CATALOG),
    capPercent: 24,
    lineCeilingFen: 5_000_000,
    serverTime: NOW,
  }
}

/** An open line (额度) on `product`. */
export function makeLineView(over: Partial<LineView> = {}): LineView {
  return {
    product: 'we2000',
    state: 'active',
    limitFen: 200_000,
    inUseFen: 0,
    catalogVersion: DEFAULT_CATALOG.version,
    ruleSetVersion: DEFAULT_RULE_SET.version,
    requestedAt: NOW,
    decidedAt: NOW,
    expiresAt: NOW + 365 * DAY_MS,
    pendingDecrease: null,
    availableFen: 200_000,
    dailyRatePercent: 0.05,
    annualRatePercent: 18.25,
    reasons: [],
    autoDebit: null,
    ...over,
  }
}

/** onboarding.status of a borrower who accepted everything and verified their name. */
export function makeStatus(over: Partial<OnboardingStatus> = {}): OnboardingStatus {
  const accepted = Object.fromEntries(
    Object.entries(AGREEMENT_VERSIONS).map(([kind, version]) => [kind, { version, acceptedAt: NOW - DAY_MS }]),
  )
  return {
    next: 'precheck',
    completed: ['agreements', 'realName'],
    agreements: accepted,
    currentVersions: { ...AGREEMENT_VERSIONS },
    identity: {
      name: '*三',
      idNumber: '1****************1',
      mobile: '138****5678',
      verifiedAt: NOW - DAY_MS,
      recheck: false,
    },
    cards: [{ bank: '招商银行', last4: '1234', boundAt: NOW - DAY_MS }],
    payScore: null,
    face: 'passed',
    serverTime: NOW,
    ...over,
  }
}
