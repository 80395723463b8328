/**
 * The setData audit on the compiled mini-program (dist/) in miniprogram-simulate: every setData
 * a page makes is counted and sized, per interaction. WeChat's audit limits (≤ 256 KB a call,
 * ≤ 20 calls a second) are asserted; the figures (goal ≤ 5 calls and ≤ 16 KB per interaction)
 * are written to artifacts/setdata.json for `npm run bench:setdata` to print.
 */
import { CURRENT_AGREEMENTS } from '../support/http-borrower'
import fs from 'node:fs'
import path from 'node:path'
import type { LoanView } from '../../src/api'
import { borrow, onboardBorrower, openLine } from '../support/borrower'
import { makeTestCloud, type TestCloud } from '../support/cloud'
import { byLabel, eventually, installHarness, textOf, type Harness, type InteractionCost } from './harness'

jest.setTimeout(60_000)

let cloud: TestCloud
let h: Harness
const figures: Record<string, InteractionCost[]> = {}

beforeAll(async () => {
  cloud = await makeTestCloud()
  h = installHarness(() => cloud)
})
afterAll(() => {
  cloud.close()
  ;(figures as Record<string, unknown>)['busiest second'] = busiestSecond()
  const out = path.resolve(__dirname, '..', '..', 'artifacts', 'setdata.json')
  fs.mkdirSync(path.dirname(out), { recursive: true })
  fs.writeFileSync(out, JSON.stringify(figures, null, 2))
})

/** WeChat's audit also counts calls per second: the busiest one-second window of the whole run. */
function busiestSecond(): number {
  const times = h.setData.map((r) => r.at)
  let busiest = 0
  for (let i = 0, j = 0; j < times.length; j++) {
    while (times[j] - times[i] >= 1000) i++
    busiest = Math.max(busiest, j - i + 1)
  }
  return busiest
}

/** The texts of the elements with this class (the simulator's DOM prefixes page classes with `main--`). */
const texts = (root: any, className: string): string[] =>
  Array.from((root.dom as HTMLElement).querySelectorAll(`.main--${className}`), (el) => el.textContent ?? '')

function record(name: string, cost: InteractionCost) {
  ;(figures[name] ??= []).push(cost)
  expect(cost.maxBytes).toBeLessThanOrEqual(256 * 1024)
}

/** Types `text` one character at a time, as a keyboard would, each keystroke one interaction. */
async function typeInto(input: any, text: string, name: string) {
  for (let i = 1; i <= text.length; i++) {
    record(
      name,
      await h.measure(() => input.dispatchEvent('input', { detail: { value: text.slice(0, i), cursor: i } })),
    )
  }
}

describe('setData per interaction', () => {
  it('real-name form: typing name, ID number and mobile', async () => {
    await cloud.call('onboarding', 'acceptAgreements', {
      accepted: CURRENT_AGREEMENTS.slice(0, 2),
    })
    const { root } = h.openPage('pages/onboarding/real-name/index')
    // The page asks the server for the onboarding status first, then shows the form.
    const inputs = await eventually(() => {
      const found = root.querySelectorAll('.nut-input-native')
      expect(found.length).toBe(3)
      return found
    })
    await typeInto(inputs[0], '张三', 'real-name: typing')
    await typeInto(inputs[1], '110101199003074514', 'real-name: typing')
    await typeInto(inputs[2], '13812345678', 'real-name: typing')
    expect(figures['real-name: typing'].length).toBe(31)
  })

  it('offer builder: dragging the amount (+ ten times, then typed values), then term and mode chips', async () => {
    await onboardBorrower(cloud, 'alice')
    await cloud.call('onboarding', 'authorizePayScore', {})
    await openLine(cloud, 'alice')
    const { root, page, close } = h.openPage('pages/products/offer/index', { product: 'we2000' })
    await eventually(() => expect(texts(root, 'plan-line')).toHaveLength(6))
    const preview = () => texts(root, 'offer-summary-total')[0]

    // ¥1,000 → ¥2,000 (all of alice's WE2000 line is available) by ¥100 a tap.
    for (let i = 0; i < 10; i++) {
      const before = preview()
      record(
        'offer builder: amount',
        await h.measure(
          () => byLabel(root, page, '增加金额').dispatchEvent('tap'),
          () => preview() !== before,
        ),
      )
    }
    // A drag back down: one value per interaction, as a slider or a held key would send them.
    const input = root.querySelector('.nut-input-native')
    for (let yuan = 1950; yuan >= 1000; yuan -= 50) {
      const value = String(yuan)
      const before = preview()
      record(
        'offer builder: amount',
        await h.measure(
          () => input.dispatchEvent('input', { detail: { value, cursor: value.length } }),
          () => preview() !== before,
        ),
      )
    }
    expect(figures['offer builder: amount']).toHaveLength(30)

    // Each chip tap: until the tapped chip is the chosen one (choice-chip--on).
    const chosen = (label: string) => byLabel(root, page, label).dom.className.includes('choice-chip--on')
    // 1 and 3 期 are over the 24% cap for WE2000: the preview becomes the explanation.
    for (const label of ['期限 3期', '期限 12期', '期限 1期', '还款方式 等额本金', '期限 6期', '还款方式 等额本息']) {
      expect(chosen(label)).toBe(false)
      record(
        'offer builder: term/mode',
        await h.measure(
          () => byLabel(root, page, label).dispatchEvent('tap'),
          () => chosen(label),
        ),
      )
    }
    expect(texts(root, 'plan-line')).toHaveLength(6)
    close()
  })

  it('loan detail: open, one countdown tick, 取消借款 and its confirmation; 全部还清 on another loan', async () => {
    // 12 periods, WE2000's longest term: the schedule is most of the page, so a one-period loan
    // would hide what a long one costs.
    const cancelled = await borrow(cloud, 'alice', { termMonths: 12 })
    const repaid = await borrow(cloud, 'alice', { termMonths: 12 })
    let detail!: ReturnType<Harness['openPage']>
    const clock = () => texts(detail.root, 'cooling-off-clock')[0]
    record(
      'loan detail: open',
      await h.measure(
        () => {
          detail = h.openPage('pages/loan/detail/index', { loanId: cancelled.id })
        },
        () => clock() !== undefined,
      ),
    )

    // From just after one tick to just after the next: exactly one tick in the window.
    const shown = clock()
    await eventually(() => expect(clock()).not.toBe(shown))
    let from = 0
    record(
      'loan detail: countdown tick',
      await h.measure(
        () => {
          from = Date.now()
        },
        () => Date.now() - from >= 1100,
      ),
    )

    const { root, page } = detail
    record(
      'loan detail: cancel',
      await h.measure(
        () => byLabel(root, page, '取消借款').dispatchEvent('tap'),
        () => textOf(root).includes('确定取消这笔借款吗？'),
      ),
    )
    record(
      'loan detail: cancel',
      await h.measure(
        () => byLabel(root, page, '确认取消借款').dispatchEvent('tap'),
        () => texts(root, 'detail-state')[0] === '已取消',
      ),
    )
    detail.close()

    // Past its 冷静期 (the server's clock moves; nothing ticks on the page), everything repaid at once.
    cloud.ports.clock.advance(2 * 24 * 3600 * 1000)
    const other = h.openPage('pages/loan/detail/index', { loanId: repaid.id })
    await eventually(() => expect(textOf(other.root)).toContain('冷静期已结束'))
    record(
      'loan detail: repay',
      await h.measure(
        () => byLabel(other.root, other.page, /^全部还清，/).dispatchEvent('tap'),
        () => texts(other.root, 'detail-state')[0] === '已结清',
      ),
    )
    const after = await cloud.call<LoanView>('loans', 'get', { loanId: repaid.id })
    expect(after.ok && after.data.state).toBe('settled')
    other.close()
  })
})

describe("WeChat's rate limit", () => {
  it('no second of the whole run (typing faster than a person) has more than 20 setData calls', () => {
    expect(h.setData.length).toBeGreaterThan(50)
    expect(busiestSecond()).toBeLessThanOrEqual(20)
  })
})
