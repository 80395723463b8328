// Accessibility in the Chromium journeys: axe-core (WCAG 2.0/2.1 A and AA) run over what the page
// shows, at every screenshot. A serious or critical violation fails the journey, named by rule,
// element and the screen it was found on; A11Y_REPORT=1 records them instead (to survey a change).
import fs from 'node:fs'
import path from 'node:path'
import type { Page } from 'playwright-core'
import { ROOT } from './local-cloud-process'

const AXE_SOURCE = fs.readFileSync(path.join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8')
export const A11Y_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']

export interface Violation {
  screen: string
  rule: string
  impact: string
  help: string
  /** Up to five of the elements, as CSS selectors, with the check's own words for the first. */
  nodes: string[]
  summary: string
}

/** The tallest a page is made to show all of itself (a screenshot's limit, and more than any screen here). */
const TALLEST = 6000

/**
 * Runs `fn` with the viewport as tall as what the page shows — the document, or the tallest shown
 * element that scrolls on its own (Taro's H5 pages scroll inside their own container) — up to 6000
 * px, then puts the viewport back. axe-core judges colour contrast only where it can see the text:
 * below the fold of a container that scrolls, a fault would go unfound.
 */
export async function atFullHeight<T>(page: Page, fn: () => Promise<T>): Promise<T> {
  const viewport = page.viewportSize()
  const height = await page.evaluate(() => {
    const scrolling = Array.from(document.querySelectorAll<HTMLElement>('body *')).filter((el) => {
      if (el.scrollHeight <= el.clientHeight) return false
      const style = getComputedStyle(el)
      return /(auto|scroll)/.test(style.overflowY) && style.display !== 'none' && el.getClientRects().length > 0
    })
    // An element that scrolls shows its content in its own height: the page grows by what is hidden.
    const grown = scrolling.map((el) => window.innerHeight + el.scrollHeight - el.clientHeight)
    return Math.max(document.documentElement.scrollHeight, ...grown)
  })
  if (!viewport || height <= viewport.height) return fn()
  await page.setViewportSize({ width: viewport.width, height: Math.min(height, TALLEST) })
  try {
    return await fn()
  } finally {
    await page.setViewportSize(viewport)
  }
}

/**
 * The serious and critical violations on `page` now: the whole document (its head, the tab bar, a
 * sheet over the page), less `hidden` — a selector whose matches that are not shown are left out
 * (Taro's H5 keeps the pages further back in the DOM, hidden). Run at the page's full height
 * (atFullHeight), so what is below the fold is judged too.
 */
export async function violations(page: Page, screen: string, hidden?: string): Promise<Violation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: AXE_SOURCE })
  const found = await atFullHeight(page, () =>
    page.evaluate(
      async ({ tags, hidden }) => {
        const away = hidden
          ? Array.from(document.querySelectorAll<HTMLElement>(hidden)).filter(
              (el) => getComputedStyle(el).display === 'none',
            )
          : []
        const context = { include: [document], exclude: away }
        type Result = {
          violations: Array<{
            id: string
            impact: string | null
            help: string
            nodes: Array<{ target: string[]; failureSummary?: string }>
          }>
        }
        const axe = (window as unknown as { axe: { run: (c: unknown, o: unknown) => Promise<Result> } }).axe
        const r = await axe.run(context, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] })
        return r.violations.map((v) => ({
          rule: v.id,
          impact: v.impact ?? 'minor',
          help: v.help,
          nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
          summary: (v.nodes[0]?.failureSummary ?? '').split('\n').slice(0, 3).join(' '),
        }))
      },
      { tags: A11Y_TAGS, hidden },
    ),
  )
  return found.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => ({ screen, ...v }))
}

/**
 * Fails on any serious or critical violation; with A11Y_REPORT=1 (never under CI) appends them to
 * `<dir>/a11y.jsonl` instead, to survey a change.
 */
export async function expectAccessible(page: Page, screen: string, dir: string, hidden?: string): Promise<void> {
  const found = await violations(page, screen, hidden)
  if (process.env.A11Y_REPORT === '1' && !process.env.CI) {
    fs.mkdirSync(dir, { recursive: true })
    for (const v of found) fs.appendFileSync(path.join(dir, 'a11y.jsonl'), JSON.stringify(v) + '\n')
    return
  }
  if (found.length > 0)
    throw new Error(
      `accessibility (axe-core, ${A11Y_TAGS.join(', ')}) on ${screen}:\n` +
        found
          .map((v) => `  ${v.impact} ${v.rule}: ${v.help}\n    ${v.nodes.join('\n    ')}\n    ${v.summary}`)
          .join('\n'),
    )
}
