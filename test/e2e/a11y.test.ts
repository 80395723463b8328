/**
 * The accessibility check the journeys run at every screenshot (test/support/axe.ts), shown to
 * catch what it is there for: the faults the audit found in the H5 build — NutUI's `aria-role`
 * (no ARIA attribute: a screen reader never hears the checkbox), grey text under 4.5:1, a scrolling
 * page a keyboard cannot reach, a button named other than it reads — and to pass their fixes.
 */
import type { Browser } from 'playwright-core'
import { violations } from '../support/axe'
import { launchChromium } from '../support/browser'

let browser: Browser
beforeAll(async () => {
  browser = await launchChromium()
})
afterAll(() => browser.close())

async function scan(html: string) {
  const page = await browser.newPage({ viewport: { width: 375, height: 400 } })
  await page.setContent(`<!doctype html><html lang="zh-CN"><head><title>t</title></head><body>${html}</body></html>`)
  const found = await violations(page, 'fixture')
  await page.close()
  return found.map((v) => v.rule).sort()
}

const long = '<p>' + '开通额度之后，可以随借随还。'.repeat(40) + '</p>'

it('finds each fault, serious or critical, by its rule', async () => {
  expect(await scan('<div aria-role="checkbox" aria-checked="true" aria-label="同意">同意</div>')).toEqual([
    'aria-allowed-attr',
    'aria-valid-attr',
  ])
  expect(await scan('<p style="color:#8a8a8a;font-size:10px">第 2 步</p>')).toEqual(['color-contrast'])
  expect(await scan(`<div style="height:100px;overflow:auto">${long}</div>`)).toEqual(['scrollable-region-focusable'])
  expect(await scan('<div role="button" tabindex="0" aria-label="查看额度 WE2000">WE2000 额度记录</div>')).toEqual([
    'label-content-name-mismatch',
  ]) // Below the fold of a page that scrolls inside its own container, as Taro's H5 pages do: found
  // all the same, and the phone is put back as it was.
  const page = await browser.newPage({ viewport: { width: 375, height: 400 } })
  await page.setContent(
    `<!doctype html><html lang="zh-CN"><head><title>t</title></head><body><div tabindex="0" style="position:fixed;inset:0;overflow:auto">${long}${long}<p style="color:#8a8a8a;font-size:10px">第 2 步</p></div></body></html>`,
  )
  expect((await violations(page, 'fixture')).map((v) => v.rule)).toEqual(['color-contrast'])
  expect(page.viewportSize()).toEqual({ width: 375, height: 400 })
  await page.close()
})

it('passes what the fixes render', async () => {
  expect(
    await scan(
      [
        '<div role="checkbox" aria-checked="true" aria-label="同意" tabindex="0">同意</div>',
        '<p style="color:#666666;font-size:10px">第 2 步</p>',
        `<div style="height:100px;overflow:auto" tabindex="0">${long}</div>`,
        '<div role="button" tabindex="0" aria-label="WE2000，额度记录">WE2000 额度记录 ›</div>',
        '<button style="background:#087a4c;color:#fff;border:0">确认借款</button>',
        // A disabled button's colours on an element axe does check (it skips a native disabled one).
        '<span style="background:#e6e6e6;color:#4d4d4d">确认借款</span>',
      ].join(''),
    ),
  ).toEqual([])
})
