/**
 * The compiled weapp entry page (dist/, built by `npm run build:weapp`) in WeChat's own
 * component simulator: the merchant code resolves through the cloud, and tapping start goes
 * to the step the server names.
 */
import { makeTestCloud, type TestCloud } from '../support/cloud'
import fs from 'node:fs'
import path from 'node:path'
import { DIST, byLabel, eventually, installHarness, type Harness } from './harness'

let cloud: TestCloud
let h: Harness
beforeAll(async () => {
  cloud = await makeTestCloud()
  h = installHarness(() => cloud)
})
afterAll(() => cloud.close())

const textOf = (root: any): string => (root.dom as HTMLElement).textContent ?? ''

describe('weapp entry page (dist/pages/index/index)', () => {
  let root: any

  it('renders from a merchant code: the scene arrives URL-encoded, the merchant name shows', async () => {
    ;({ root } = h.openPage('pages/index/index', { scene: encodeURIComponent('m=cafe01') }))
    await eventually(() => expect(textOf(root)).toContain('来自商户：街角咖啡（演示商户）'))
    expect(textOf(root)).toContain('开通 · 消费信贷')
    expect(h.calls).toContainEqual({ name: 'merchants', action: 'resolve' })
  })

  it('tapping 开始 asks the server for the next step and navigates to the agreements page', async () => {
    const button = root.querySelector('.nut-button')
    expect(button).toBeTruthy()
    button.dispatchEvent('tap')
    await eventually(() =>
      expect(h.wx.navigateTo).toHaveBeenCalledWith(
        expect.objectContaining({ url: '/pages/onboarding/agreements/index' }),
      ),
    )
    expect(h.calls).toContainEqual({ name: 'onboarding', action: 'status' })
  })

  it('the agreements page in its subpackage renders from dist/', async () => {
    const { root: agreements } = h.openPage('pages/onboarding/agreements/index')
    await eventually(() => expect(textOf(agreements)).toContain('《用户协议》'))
    expect(textOf(agreements)).toContain('金融信息单独授权')
  })

  it('accessible labels reach WeChat: the template binds aria-label, and the start button carries its label', () => {
    const wxml = fs.readFileSync(path.join(DIST, 'base.wxml'), 'utf8')
    // Choice chips are buttons checked or not (aria-role="radio").
    expect(wxml).toMatch(/<button [^>]*aria-checked="\{\{i\.p\d+\|\|''\}\}"/)
    for (const tag of ['view', 'text', 'button', 'input'])
      expect(wxml).toMatch(new RegExp(`<${tag} [^>]*aria-label="\\{\\{i\\.p\\d+\\|\\|''\\}\\}"`))
    const { root: home, page } = h.openPage('pages/index/index')
    return eventually(() => expect(byLabel(home, page, '开始开通')).toBeTruthy())
  })

  it("stays within WeChat's setData audit limits (≤ 256 KB a call)", () => {
    expect(h.setData.length).toBeGreaterThan(0)
    expect(Math.max(...h.setData.map((s) => s.bytes))).toBeLessThan(256 * 1024)
  })
})
