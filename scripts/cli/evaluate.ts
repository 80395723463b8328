// `kaitong evaluate --profile <file.json>`: the rules engine's decision for every product, as
// JSON. The profile file's fields are documented in examples/profiles/README.md.
import fs from 'node:fs'
import * as v from 'valibot'
import { CreditProfileSchema } from '../../src/api/profile-schema'
import { evaluate } from '../../src/domain/rules'
import { DEFAULT_RULE_SET } from '../../src/domain/rule-set'
import { parseFlags } from './args'
import type { CliResult } from './quote'

export const EVALUATE_USAGE = 'kaitong evaluate --profile <file.json> [--at <ISO time>]'

const error = (code: string, message: string): CliResult => ({ exitCode: 1, output: { error: { code, message } } })

export function evaluateCommand(argv: string[], now: number): CliResult {
  const parsed = parseFlags(argv, ['profile', 'at'])
  if (!parsed.ok) return error('USAGE', `${parsed.message}\nusage: ${EVALUATE_USAGE}`)
  if (!parsed.flags.profile) return error('USAGE', `--profile is required\nusage: ${EVALUATE_USAGE}`)
  const at = parsed.flags.at !== undefined ? Date.parse(parsed.flags.at) : now
  if (Number.isNaN(at)) return error('INVALID_DATE', '--at must be an ISO time, e.g. 2026-11-28T10:00:00+08:00')
  let raw: unknown
  try {
    raw = JSON.parse(fs.readFileSync(parsed.flags.profile, 'utf8'))
  } catch (e) {
    return error('PROFILE_UNREADABLE', `cannot read ${parsed.flags.profile} as JSON: ${(e as Error).message}`)
  }
  const profile = v.safeParse(CreditProfileSchema, raw)
  if (!profile.success) {
    const issue = profile.issues[0]
    return error('PROFILE_INVALID', `${issue.path?.map((p) => p.key).join('.') || '(root)'}: ${issue.message}`)
  }
  const e = evaluate(profile.output, DEFAULT_RULE_SET, at)
  return {
    exitCode: 0,
    output: {
      ruleSetVersion: e.ruleSetVersion,
      catalogVersion: e.catalogVersion,
      products: e.products.map((d) => ({
        product: d.product,
        eligible: d.eligible,
        pendingSteps: d.pendingSteps,
        score: d.score,
        dimensions: Object.fromEntries(Object.entries(d.dimensions).map(([k, x]) => [k, x.score])),
        contributions: Object.fromEntries(Object.entries(d.dimensions).map(([k, x]) => [k, x.contribution])),
        limitFen: d.limitFen,
        limitIncreaseBlocked: d.limitIncreaseBlocked,
        dailyRatePercent: d.dailyRatePercent,
        stars: d.stars,
        reasons: d.reasons.map((r) => ({ code: r.code, fix: r.fix })),
        notices: d.notices.map((r) => ({ code: r.code, fix: r.fix })),
        rules: d.rules.map((r) => `${r.id}@${r.version}:${r.passed ? 'pass' : 'fail'}`),
        tips: d.tips.map((t) => ({ tip: t.text, effectPeriod: t.effectPeriod })),
        ...(d.inquiriesClearAt ? { inquiriesClearAt: new Date(d.inquiriesClearAt).toISOString() } : {}),
      })),
    },
  }
}
