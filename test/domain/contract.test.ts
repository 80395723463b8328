import { DEFAULT_CATALOG, feeTermsOf } from '../../src/domain/catalog'
/**
 * The contract templates rendered against worked examples: every figure comes from the line or
 * the priced loan itself, and the same figures always give the same text (so its hash signs it).
 */
import { CONTRACT_TEMPLATES, renderDrawdownContract, renderLineContract } from '../../src/domain/contract'
import { fromChinaDateTime } from '../../src/domain/china-time'
import { twentyMonthOffer } from '../support/contract-example'

const AT = fromChinaDateTime({ year: 2026, month: 12, day: 2, hour: 10 })
const PARTIES = { borrowerName: '张三', borrowerIdMasked: '1****************X', mobileMasked: '138****5678' }

const offer = () => twentyMonthOffer(AT)

describe('the drawdown note, worked example: 微粒贷 ¥20,000 over 20 months, equal installments, 0.03%/day', () => {
  const o = offer()
  const figures = {
    ...PARTIES,
    offer: o,
    purpose: 'travel',
    cardLast4: '6789',
    autoDebit: { last4: '6789' },
    ruleSetVersion: 'rules/test',
    at: AT,
  }
  const text = renderDrawdownContract(figures)
  const lines = text.split('\n')

  it('names the parties, the amount and the card', () => {
    expect(lines).toContain('合同日期：2026-12-02')
    expect(lines).toContain('借款人：张三，身份证号：1****************X，手机号：138****5678')
    expect(lines).toContain('第一条 借款金额：人民币 ¥20,000.00，放款至借款人本人尾号 6789 的借记卡。')
  })

  it('puts the IRR first, then the daily rate, with the loan’s own figures', () => {
    // Interest by the day on what is still owed, and no fee: the IRR is exactly the daily rate × 365.
    expect(o.aprPercent).toBe(10.95)
    expect(lines).toContain(
      `第二条 综合年化成本（IRR）：${o.aprPercent}%（含利息和全部费用，按实际现金流计算）。日利率 0.03%。`,
    )
    expect(lines).toContain('第三条 期限与还款方式：20 个月，等额本息。借款用途：旅游。')
  })

  it('lists the whole plan, one row a period, every figure the schedule’s', () => {
    const rows = lines.filter((l) => l.startsWith('第 ') && l.includes('\t'))
    expect(rows).toHaveLength(20)
    expect(rows[0].split('\t')).toEqual([
      '第 1 期',
      o.schedule[0].dueDate,
      `¥${(o.schedule[0].principalFen / 100).toLocaleString('en', { minimumFractionDigits: 2 })}`,
      `¥${(o.schedule[0].interestFen / 100).toLocaleString('en', { minimumFractionDigits: 2 })}`,
      '¥0.00',
      `¥${(o.schedule[0].totalFen / 100).toLocaleString('en', { minimumFractionDigits: 2 })}`,
    ])
    const totalInterest = o.schedule.reduce((s, l) => s + l.interestFen, 0)
    expect(totalInterest).toBe(o.totalInterestFen)
    expect(text).toContain(`利息 ¥${(o.totalInterestFen / 100).toLocaleString('en', { minimumFractionDigits: 2 })}`)
  })

  it('states overdue charges from the catalog, automatic debit as agreed, and the cooling-off promise', () => {
    expect(text).toContain('逾期本金按日利率 0.045%（合同日利率的 1.5 倍）计收逾期利息')
    expect(text).toContain('第七条 自动扣款：借款人已单独同意在每期还款日从尾号 6789 的借记卡自动扣收')
    expect(text).toContain('放款后 24 小时内')
    expect(text).toContain(`版本：产品目录 ${o.catalogVersion}；审批规则 rules/test。`)
  })

  it('is the same text for the same figures, and another for any change', () => {
    const again = renderDrawdownContract({ ...figures })
    expect(again).toBe(text)
    const off = renderDrawdownContract({ ...figures, autoDebit: null })
    expect(off).not.toBe(text)
    expect(off).toContain('第七条 自动扣款：未开通。')
  })
})

describe('the line contract', () => {
  it('states the limit, the daily rate with its simple annual figure, the cap and the line’s term', () => {
    const text = renderLineContract({
      ...PARTIES,
      product: 'xiaoe',
      limitFen: 5_000_000,
      dailyRatePpm: 400,
      lineMonths: 12,
      aprCapPercent: 24,
      catalogVersion: 'cat/test',
      feeTerms: feeTermsOf(DEFAULT_CATALOG.products.xiaoe),
      ruleSetVersion: 'rules/test',
      at: AT,
    })
    expect(text).toContain('最高为人民币 ¥50,000.00。额度有效期 12 个月')
    expect(text).toContain('日利率 0.04%，折合年化利率（单利）14.6%')
    expect(text).toContain('不超过 24%')
    expect(text.startsWith('合同日期：2026-12-02')).toBe(true)
  })

  it('templates are versioned data, and a hole without a figure is an error, never a blank', () => {
    expect(CONTRACT_TEMPLATES.line.version).toMatch(/^line-contract\/\d{4}-\d{2}-\d{2}\.\d+$/)
    expect(CONTRACT_TEMPLATES.drawdown.version).toMatch(/^drawdown-note\/\d{4}-\d{2}-\d{2}\.\d+$/)
    const broken = { ...CONTRACT_TEMPLATES.line, clauses: ['{nothing}'] }
    expect(() =>
      renderLineContract(
        {
          ...PARTIES,
          product: 'we2000',
          limitFen: 1,
          dailyRatePpm: 500,
          lineMonths: 12,
          aprCapPercent: 24,
          catalogVersion: 'c',
          feeTerms: feeTermsOf(DEFAULT_CATALOG.products.we2000),
          ruleSetVersion: 'r',
          at: AT,
        },
        broken,
      ),
    ).toThrow('no figure for {nothing}')
  })
})
