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

/**
 * The serious and critical violations on `page` now: the whole document (its head, the tab bar, a
 * sheet over the page), less `hidden` — a selector whose matches that are not shown are left out
 * (Taro's H5 keeps the pages further back in the DOM, hidden).
 */
export async function violations(page: Page, screen: string, hidden?: string): Promise<Violation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: AXE_SOURCE })
  const found = await page.evaluate(
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
