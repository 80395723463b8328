import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { evaluateCommand } from '../../scripts/cli/evaluate'

const EXAMPLES = path.resolve(__dirname, '..', '..', 'examples', 'profiles')
const AT = '2026-11-28T10:00:00+08:00'
type Out = {
  ruleSetVersion: string
  products: Array<{
    product: string
    eligible: boolean
    score: number
    dimensions: Record<string, number>
    limitFen: number
    dailyRatePercent: number
    reasons: Array<{ code: string; fix: string }>
    tips: unknown[]
  }>
}
const run = (file: string) => evaluateCommand(['--profile', path.join(EXAMPLES, file), '--at', AT], 0)
const products = (file: string) => Object.fromEntries((run(file).output as Out).products.map((p) => [p.product, p]))

describe('kaitong evaluate', () => {
  it('eligible-all: every product open, with score, dimensions, limit and rate', () => {
    const r = run('eligible-all.json')
    expect(r.exitCode).toBe(0)
    const out = r.output as Out
    expect(out.ruleSetVersion).toMatch(/^rules\//)
    for (const p of out.products) {
      expect(p.eligible).toBe(true)
      expect(Object.keys(p.dimensions).sort()).toEqual(['activity', 'assets', 'consumption', 'credit'])
      expect(p.limitFen).toBeGreaterThan(0)
      expect(p.reasons).toEqual([])
    }
    expect(products('eligible-all.json').weilidai.dailyRatePercent).toBe(0.02)
  })

  it('thin-file: not invited to 微粒贷 (with growth tips), WE2000 open with a small line', () => {
    const p = products('thin-file.json')
    expect(p.weilidai.reasons.map((r) => r.code)).toEqual(['NOT_INVITED'])
    expect(p.weilidai.tips.length).toBeGreaterThan(0)
    expect(p.we2000.eligible).toBe(true)
    expect(p.we2000.limitFen).toBeLessThan(200_000)
  })

  it('too-many-inquiries: refused everywhere with the fix', () => {
    for (const d of Object.values(products('too-many-inquiries.json'))) {
      expect(d.reasons).toEqual([{ code: 'TOO_MANY_HARD_INQUIRIES', fix: expect.stringContaining('6个月') }])
    }
  })

  it('a bad profile file is a typed error naming the field, exit 1', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-profile-'))
    const bad = JSON.parse(fs.readFileSync(path.join(EXAMPLES, 'eligible-all.json'), 'utf8'))
    bad.consumption.paymentsPerMonth = -3
    fs.writeFileSync(path.join(dir, 'bad.json'), JSON.stringify(bad))
    fs.writeFileSync(path.join(dir, 'broken.json'), '{ not json')
    expect(evaluateCommand(['--profile', path.join(dir, 'bad.json')], 0)).toEqual({
      exitCode: 1,
      output: { error: { code: 'PROFILE_INVALID', message: expect.stringMatching(/^consumption\.paymentsPerMonth:/) } },
    })
    expect(evaluateCommand(['--profile', path.join(dir, 'broken.json')], 0)).toMatchObject({
      exitCode: 1,
      output: { error: { code: 'PROFILE_UNREADABLE' } },
    })
    expect(evaluateCommand(['--profile', path.join(dir, 'missing.json')], 0)).toMatchObject({
      exitCode: 1,
      output: { error: { code: 'PROFILE_UNREADABLE' } },
    })
    expect(evaluateCommand([], 0)).toMatchObject({ exitCode: 1, output: { error: { code: 'USAGE' } } })
  })
})
