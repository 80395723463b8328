/**
 * 决定原因 in jsdom (PIPL art. 24): the score and each dimension (its score, weight as a
 * percentage, contribution), every rule passed (✓) or failed (✗, with what to do), the versions
 * used, and 申请人工复核 — the request with its note, the case while it waits (申请时间, 预计最晚
 * 处理时间) and its outcome. The cloud's answers are fixed per action (fake-cloud.ts).
 */
import { configure, fireEvent, render, screen, waitFor, within } from '@testing-library/react'
import Taro from '@tarojs/taro'
import { ERRORS, type Explanation, type ReviewCaseView } from '../../src/api'
import { DAY_MS } from '../../src/domain/china-time'
import Explain from '../../src/pages/products/explain/index'
import { dateTime } from '../../src/ui/format'
import { NOW } from '../support/factories'
import { pageCloud } from '../support/mock-platform'
import { ok, refuse, useFakeCloud } from './fake-cloud'

jest.mock('../../src/services/platform', () => require('../support/mock-platform').platformModule)

configure({ asyncUtilTimeout: 5_000 })
jest.setTimeout(30_000)

const text = (el: HTMLElement) => el.textContent ?? ''
const sent = (action: string) => pageCloud.sent.filter((s) => s.action === action)

beforeEach(() => {
  ;(Taro.getCurrentInstance() as { router: unknown }).router = { params: { product: 'we2000' }, path: '' }
})

function makeExplanation(over: Partial<Explanation> = {}): Explanation {
  return {
    product: 'we2000',
    ruleSetVersion: 'rules/2026-12-01.1',
    catalogVersion: 'demo-catalog/2026-11-28.1',
    eligible: false,
    score: 41.5,
    dimensions: [
      { dimension: 'credit', name: '信用记录', score: 30, weight: 40, contribution: 12 },
      { dimension: 'activity', name: '微信活跃度', score: 55, weight: 30, contribution: 16.5 },
      { dimension: 'consumption', name: '消费能力', score: 43.3, weight: 30, contribution: 13 },
    ],
    rules: [
      { id: 'AGE_RANGE', version: 'rules/2026-12-01.1', passed: true, title: '年龄在 18–55 岁之间' },
      {
        id: 'SCORE_BELOW_THRESHOLD',
        version: 'rules/2026-12-01.1',
        passed: false,
        title: '综合评分未达到 WE2000 的 45 分',
        message: '你的综合评分为 41.5 分。',
        fix: '保持按时还款，多使用微信支付，3 个月后再试。',
      },
      {
        id: 'OVERDUE_RECENT',
        version: 'rules/2026-12-01.1',
        passed: false,
        title: '近 24 个月有逾期记录',
        fix: '结清逾期欠款并保持按时还款。',
      },
    ],
    refused: {
      by: 'evaluation',
      reasons: [{ code: 'CREDIT_SCORE_LOW', title: '综合评分未达到要求', fix: '保持按时还款，多使用微信支付。' }],
    },
    review: null,
    evaluatedAt: NOW,
    ...over,
  }
}

const waiting = (over: Partial<ReviewCaseView> = {}): ReviewCaseView => ({
  caseId: 'RC_1',
  product: 'we2000',
  state: 'waiting',
  note: '上个月的逾期是银行卡换卡造成的，已经还清。',
  requestedAt: NOW,
  expiresAt: NOW + 7 * DAY_MS,
  decidedAt: null,
  outcome: null,
  ...over,
})

/** Types into Taro's textarea as the user would. */
async function typeNote(value: string) {
  const area = await waitFor(() => {
    const host = screen.getByLabelText('补充说明（可选，200字以内）')
    const el = host.tagName === 'TEXTAREA' ? host : host.querySelector('textarea')
    if (!el) throw new Error('no textarea yet')
    return el as HTMLTextAreaElement
  })
  area.value = value
  fireEvent.input(area, { target: { value } })
}

describe('决定原因', () => {
  it('the score, each dimension with its weight as a percentage and its contribution, every rule ✓ or ✗, the versions', async () => {
    useFakeCloud({ 'credit.explain': () => ok(makeExplanation()) })
    render(<Explain />)
    const summary = await screen.findByTestId('explain-summary')
    expect(text(summary)).toContain('WE2000：未通过自动审批')
    expect(text(within(summary).getByTestId('explain-score'))).toContain('41.5')
    expect(text(within(summary).getByTestId('explain-rules-version'))).toContain('2026-12-01.1')
    expect(text(within(summary).getByTestId('explain-catalog-version'))).toContain('2026-11-28.1')
    expect(text(summary)).toContain('《个人信息保护法》第二十四条')

    const dims = screen.getAllByTestId('dimension')
    expect(dims.map((d) => d.getAttribute('data-dimension'))).toEqual(['credit', 'activity', 'consumption'])
    expect(text(dims[1])).toContain('微信活跃度')
    expect(text(dims[1])).toMatch(/得分（满分100）\s*55/)
    expect(text(dims[1])).toMatch(/权重\s*30%/)
    expect(text(within(dims[1]).getByTestId('dimension-contribution'))).toContain('16.5 分')

    const failed = screen.getByTestId('rules-failed')
    const rules = within(failed).getAllByTestId('rule')
    expect(rules.map((r) => r.getAttribute('data-rule'))).toEqual(['SCORE_BELOW_THRESHOLD', 'OVERDUE_RECENT'])
    expect(text(rules[0])).toContain('✗')
    expect(text(rules[0])).toContain('综合评分未达到 WE2000 的 45 分')
    expect(text(rules[0])).toContain('你的综合评分为 41.5 分。')
    expect(text(rules[0])).toContain('怎么办：保持按时还款，多使用微信支付，3 个月后再试。')
    const passed = within(screen.getByTestId('rules-passed')).getAllByTestId('rule')
    expect(passed).toHaveLength(1)
    expect(text(passed[0])).toContain('✓')
    expect(text(passed[0])).toContain('年龄在 18–55 岁之间')
    expect(text(passed[0])).not.toContain('怎么办')
  })

  it('申请人工复核 with a note: sent once, then the case waiting with when it was asked and the latest it will be handled', async () => {
    useFakeCloud({
      'credit.explain': () => ok(makeExplanation()),
      'credit.requestReview': (data) => ok(waiting({ note: String(data.note) })),
    })
    render(<Explain />)
    await screen.findByTestId('review-form')
    const note = '上个月的逾期是银行卡换卡造成的，已经还清。'
    await typeNote(`  ${note} `)
    await waitFor(() => expect(text(screen.getByTestId('note-count'))).toBe(`${note.length + 3}/200`))
    fireEvent.click(screen.getByLabelText('申请人工复核'))
    const review = await screen.findByTestId('review-case')
    expect(sent('requestReview').map((s) => s.data)).toEqual([{ product: 'we2000', note }])
    expect(review.getAttribute('data-state')).toBe('waiting')
    expect(text(review)).toContain('等待人工复核')
    expect(text(within(review).getByTestId('review-requested-at'))).toContain(`${dateTime(NOW)}（北京时间）`)
    expect(text(within(review).getByTestId('review-expires-at'))).toContain(`${dateTime(NOW + 7 * DAY_MS)}（北京时间）`)
    expect(text(review)).toContain(note)
    // One waiting case: no second request offered.
    expect(screen.queryByTestId('review-form')).toBeNull()
  })

  it('a note is at most 200 characters', async () => {
    useFakeCloud({ 'credit.explain': () => ok(makeExplanation()) })
    render(<Explain />)
    await screen.findByTestId('review-form')
    await typeNote('长'.repeat(230))
    await waitFor(() => expect(text(screen.getByTestId('note-count'))).toBe('200/200'))
  })

  it('REVIEW_ALREADY_REQUESTED: says so, and shows the case that is waiting', async () => {
    let asked = false
    useFakeCloud({
      'credit.explain': () => ok(makeExplanation({ review: asked ? waiting() : null })),
      'credit.requestReview': () => {
        asked = true
        return refuse('REVIEW_ALREADY_REQUESTED')
      },
    })
    render(<Explain />)
    fireEvent.click(await screen.findByLabelText('申请人工复核'))
    expect(text(await screen.findByTestId('error-notice'))).toContain(ERRORS.REVIEW_ALREADY_REQUESTED)
    const review = await screen.findByTestId('review-case')
    expect(review.getAttribute('data-state')).toBe('waiting')
    await waitFor(() => expect(screen.queryByTestId('review-form')).toBeNull())
    expect(sent('explain')).toHaveLength(2)
  })

  it('a case decided: its outcome and when', async () => {
    const decided = waiting({ state: 'refused', decidedAt: NOW + DAY_MS, outcome: '近期仍有逾期记录，维持原决定。' })
    useFakeCloud({ 'credit.explain': () => ok(makeExplanation({ review: decided })) })
    render(<Explain />)
    const review = await screen.findByTestId('review-case')
    expect(text(review)).toContain('人工复核：维持原决定')
    expect(text(within(review).getByTestId('review-decided-at'))).toContain(dateTime(NOW + DAY_MS))
    expect(text(within(review).getByTestId('review-outcome'))).toBe('处理结果：近期仍有逾期记录，维持原决定。')
    expect(screen.queryByTestId('review-expires-at')).toBeNull()
  })

  it('eligible: every rule passed, nothing to review', async () => {
    const rules = makeExplanation().rules.map((r) => ({ ...r, passed: true }))
    useFakeCloud({ 'credit.explain': () => ok(makeExplanation({ eligible: true, score: 72, rules, refused: null })) })
    render(<Explain />)
    expect(text(await screen.findByTestId('explain-summary'))).toContain('WE2000：符合条件')
    expect(text(screen.getByTestId('rules-failed'))).toContain('没有未通过的规则。')
    expect(screen.queryByTestId('review-form')).toBeNull()
    expect(screen.getByText('没有被拒绝的决定，不需要人工复核。')).toBeTruthy()
  })

  it('without the financial-data consent (withdrawn): the agreements page, never a retry that cannot work', async () => {
    useFakeCloud({ 'credit.explain': () => refuse('CONSENT_REQUIRED', { detail: 'financialDataConsent' }) })
    render(<Explain />)
    const navigateTo = jest.spyOn(Taro, 'navigateTo').mockImplementation(async () => ({ errMsg: 'navigateTo:ok' }))
    const go = await screen.findByLabelText('去授权')
    expect(screen.queryByLabelText('重试')).toBeNull()
    fireEvent.click(go)
    await waitFor(() =>
      expect(navigateTo).toHaveBeenCalledWith(expect.objectContaining({ url: expect.stringContaining('agreements') })),
    )
    navigateTo.mockRestore()
  })

  it('a line whose opening was refused, though today’s data would pass: says so, with its reasons, and offers a person’s review', async () => {
    const rules = makeExplanation().rules.map((r) => ({ ...r, passed: true }))
    const refused = {
      by: 'line' as const,
      reasons: [{ code: 'REVIEW_EXPIRED', title: '人工审核已结束', fix: '可以重新申请开通。' }],
    }
    useFakeCloud({ 'credit.explain': () => ok(makeExplanation({ eligible: true, score: 72, rules, refused })) })
    render(<Explain />)
    expect(text(await screen.findByTestId('explain-summary'))).toContain('WE2000：开通未通过')
    expect(text(screen.getByTestId('line-refusal'))).toContain('人工审核已结束：可以重新申请开通。')
    expect(screen.getByTestId('review-form')).toBeTruthy()
  })
})
