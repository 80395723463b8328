/**
 * The setData audit on the compiled mini-program (dist/) in miniprogram-simulate: every setData
 * a page makes is counted and sized, per interaction. WeChat's audit limits (≤ 256 KB a call,
 * ≤ 20 calls a second) are asserted; the figures (goal ≤ 5 calls and ≤ 16 KB per interaction)
 * are written to artifacts/setdata.json for `npm run bench:setdata` to print.
 */
import fs from 'node:fs'
import path from 'node:path'
import { makeTestCloud, type TestCloud } from '../support/cloud'
import { eventually, installHarness, type Harness, type InteractionCost } from './harness'

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
  // WeChat's audit also counts calls per second: the busiest one-second window of the whole run.
  const times = h.setData.map((r) => r.at)
  let busiest = 0
  for (let i = 0, j = 0; j < times.length; j++) {
    while (times[j] - times[i] >= 1000) i++
    busiest = Math.max(busiest, j - i + 1)
  }
  ;(figures as Record<string, unknown>)['busiest second'] = busiest
  const out = path.resolve(__dirname, '..', '..', 'artifacts', 'setdata.json')
  fs.mkdirSync(path.dirname(out), { recursive: true })
  fs.writeFileSync(out, JSON.stringify(figures, null, 2))
})

const textOf = (root: any): string => (root.dom as HTMLElement).textContent ?? ''

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
      accepted: [
        { kind: 'userAgreement', version: '2026-11-01' },
        { kind: 'privacyPolicy', version: '2026-11-01' },
      ],
    })
    const { root } = h.openPage('pages/onboarding/real-name/index')
    await eventually(() => expect(textOf(root)).toContain('实名认证'))
    const inputs = root.querySelectorAll('.nut-input-native')
    expect(inputs.length).toBe(3)
    await typeInto(inputs[0], '张三', 'real-name: typing')
    await typeInto(inputs[1], '110101199003074514', 'real-name: typing')
    await typeInto(inputs[2], '13812345678', 'real-name: typing')
    expect(figures['real-name: typing'].length).toBe(31)
  })
})
