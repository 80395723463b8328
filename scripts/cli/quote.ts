// `kaitong quote`: one priced offer as JSON — how operators check a price and how pricing is
// checked from outside. The output shape is a contract: add fields, never rename them.
import { parsePercentToPpm, parseYuan } from '../../src/domain/money'
import { priceOffer } from '../../src/domain/pricing'
import type { Term } from '../../src/domain/schedule'
import { parseFlags } from './args'

export const QUOTE_USAGE =
  'kaitong quote --product <weilidai|we2000|xiaoe> --amount <CNY> --term <months|Nd> --mode <flexible|equal-installment|equal-principal|fee-installment> [--daily-rate <percent>] [--cap <percent>] [--at <ISO time>]'

export interface CliResult {
  exitCode: number
  output: unknown
}

const error = (code: string, message: string, extra: Record<string, unknown> = {}): CliResult => ({
  exitCode: 1,
  output: { error: { code, message, ...extra } },
})

export function quote(argv: string[], now: number): CliResult {
  const parsed = parseFlags(argv, ['product', 'amount', 'term', 'mode', 'daily-rate', 'cap', 'at'])
  if (!parsed.ok) return error('USAGE', `${parsed.message}\nusage: ${QUOTE_USAGE}`)
  const f = parsed.flags
  for (const required of ['product', 'amount', 'term', 'mode']) {
    if (!f[required]) return error('USAGE', `--${required} is required\nusage: ${QUOTE_USAGE}`)
  }
  const amountFen = parseYuan(f.amount)
  if (amountFen === null) return error('INVALID_AMOUNT', '借款金额须为正数，单位元，至多两位小数（整数分）。')
  const termMatch = /^(\d{1,4})(d?)$/.exec(f.term.trim())
  if (!termMatch) return error('TERM_NOT_OFFERED', '期限写作月数（如 12）或天数（如 30d）。')
  const term: Term = termMatch[2] ? { days: Number(termMatch[1]) } : { months: Number(termMatch[1]) }
  let dailyRatePpm: number | undefined
  if (f['daily-rate'] !== undefined) {
    const ppm = parsePercentToPpm(f['daily-rate'])
    if (ppm === null) return error('RATE_OUT_OF_RANGE', '日利率写作百分数，至多四位小数（如 0.035 表示 0.035%）。')
    dailyRatePpm = ppm
  }
  let capPercent: number | undefined
  if (f.cap !== undefined) {
    capPercent = /^\d{1,3}(\.\d{1,2})?$/.test(f.cap) ? Number(f.cap) : Number.NaN
  }
  const disbursedAt = f.at !== undefined ? Date.parse(f.at) : now
  if (Number.isNaN(disbursedAt)) return error('INVALID_DATE', '--at 须为 ISO 时间，如 2026-11-28T10:00:00+08:00。')

  const r = priceOffer({ product: f.product, amountFen, term, mode: f.mode, dailyRatePpm, capPercent, disbursedAt })
  if (!r.ok) {
    const { code, message, ...extra } = r.error
    return error(code, message, extra)
  }
  const o = r.offer
  return {
    exitCode: 0,
    output: {
      product: o.product,
      amountFen: o.amountFen,
      mode: o.mode,
      ...('months' in o.term ? { termMonths: o.term.months } : { termDays: o.term.days }),
      dailyRatePercent: o.dailyRatePercent,
      monthlyFeePercent: o.monthlyFeePercent,
      aprPercent: o.aprPercent,
      aprMethod: o.aprMethod,
      totalInterestFen: o.totalInterestFen,
      totalFeesFen: o.totalFeesFen,
      totalRepayFen: o.totalRepayFen,
      catalogVersion: o.catalogVersion,
      schedule: o.schedule.map(({ n, dueDate, principalFen, interestFen, feeFen, totalFen }) => ({
        n,
        dueDate,
        principalFen,
        interestFen,
        feeFen,
        totalFen,
      })),
    },
  }
}
