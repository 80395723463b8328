// The two contracts a borrower signs — the line contract (授信合同) when a product opens and the
// drawdown note (借款合同/借据) at each drawdown — rendered from versioned templates and the line's
// or loan's own figures. Templates are data: a change of wording is a new version, and a signed
// contract names the version it was rendered from. Rendering is pure: the same template and
// figures give the same text, so the server can render again at signing and compare hashes.
import { COOLING_OFF_HOURS } from './agreements'
import { PRODUCT_NAMES, type FeeTerms, type OverdueRule, type ProductId, type RepaymentMode } from './catalog'
import { chinaDateString } from './china-time'
import { formatYuanGrouped, ppmToPercent, type Fen, type Ppm } from './money'
import type { Offer } from './pricing'
import type { ScheduleLine, Term } from './schedule'

import type { ContractKind } from './contract-kinds'
export { CONTRACT_KINDS, type ContractKind } from './contract-kinds'

/** A template: its version, its title, and its clauses, each a paragraph with `{figure}` holes. */
export interface ContractTemplate {
  kind: ContractKind
  version: string
  title: string
  clauses: string[]
}

/** The parties and terms every contract names, whatever its kind. */
export interface Parties {
  /** The borrower's legal name (from the sealed identity). */
  borrowerName: string
  /** The ID number as shown (masked: the full number is bound by the signing record's hash, never printed). */
  borrowerIdMasked: string
  mobileMasked: string
}

/** 出借人: the lender, as the templates name it (a demo lender here; a lender deploying this sets its own). */
export const LENDER = {
  name: '开通消费金融有限公司（演示）',
  address: '上海市浦东新区（演示地址）',
  court: '出借人住所地有管辖权的人民法院',
} as const

const MODE_NAMES: Record<RepaymentMode, string> = {
  flexible: '随借随还（到期一次还本付息，按日计息）',
  'equal-installment': '等额本息',
  'equal-principal': '等额本金',
  'fee-installment': '分期手续费（每月本金加手续费，不计利息）',
}

const PURPOSE_NAMES: Record<string, string> = {
  consumption: '日常消费',
  education: '教育',
  medical: '医疗',
  travel: '旅游',
  home: '家居装修',
  other: '其他个人消费',
}

const common = {
  coolingOff: `冷静期：放款后 ${COOLING_OFF_HOURS} 小时内，借款人可在小程序中无理由取消本笔借款，退回已收到的本金即可，不收取任何利息和费用。`,
  early: '提前还款：借款人可随时提前归还部分或全部借款，利息按实际占用天数计算，不收取提前还款违约金或手续费。',
  dispute: `争议解决：因本合同产生的争议，双方协商解决；协商不成的，任何一方可向${LENDER.court}提起诉讼。`,
  privacy:
    '个人信息：出借人仅为审批、放款、还款、催收提醒及依法报送征信之目的处理借款人的个人信息；借款人可随时查阅、导出其信息，撤回单独授权，或在结清后注销账户（依法须保存的合同与交易记录按《个人信息保护法》保留并去标识化）。',
  electronic:
    '电子签署：借款人在小程序中阅读本合同全文后点击“同意并签署”，即以电子方式签署本合同；系统记录合同全文的 SHA-256 摘要、模板版本、签署时间和签署账户，并由出借人以 Ed25519 电子签名，借款人可随时下载合同 PDF 并自行验证。',
}

/** The templates in force, by kind. A new wording is a new entry with a new version, never an edit. */
export const CONTRACT_TEMPLATES: Record<ContractKind, ContractTemplate> = {
  line: {
    kind: 'line',
    version: 'line-contract/2026-12-02.1',
    title: '个人消费信用额度合同（授信合同）',
    clauses: [
      '合同日期：{date}',
      `出借人：${LENDER.name}，住所：${LENDER.address}`,
      '借款人：{borrowerName}，身份证号：{borrowerIdMasked}，手机号：{mobileMasked}',
      '第一条 授信额度：出借人向借款人提供产品“{productName}”的循环信用额度，额度以审批结果为准，最高为人民币 {limit}。额度有效期 {lineMonths} 个月，自开通之日起算；在有效期内，已借未还的本金占用额度，还款后相应恢复。',
      '第二条 利率与年化成本：日利率 {dailyRate}，折合年化利率（单利）{annualRate}。每一笔借款的综合年化成本（IRR，含利息和全部费用）在该笔借款的借款合同中列明，不超过 {aprCap}；超过的方案不予提供。{fees}',
      '第三条 借款：借款人在额度内申请借款时，每笔借款另行签署借款合同，列明金额、期限、还款方式、还款计划和综合年化成本；借款不再查询征信（仅做贷后检查）。借款不得用于购房、股票、债券、期货、金融衍生品、资产管理产品、固定资产和股本权益性投资。',
      '第四条 逾期：{overdue} 有一期逾期未还时，额度冻结，不能再借款；还清逾期款项后自动恢复。',
      '第五条 额度调整：出借人可定期复审额度；调低额度的，提前通知借款人，通知期满后生效，已借的款项不受影响。每次变化均记入额度记录，借款人可随时查看。',
      '第六条 自动扣款：须借款人单独同意（开通时或在额度页勾选，默认不开通）。同意后，在每期还款日从借款人本人绑定的借记卡扣收当期应还款项（每日最多三次，22:00 后不再扣款，扣款不超过应还金额）；借款人可随时关闭，关闭后到期需自行还款。每笔借款是否自动扣款，在其借款合同中列明。',
      `第七条 ${common.coolingOff}`,
      `第八条 ${common.early}`,
      `第九条 ${common.privacy}`,
      `第十条 ${common.dispute}`,
      `第十一条 ${common.electronic}`,
      '版本：产品目录 {catalogVersion}；审批规则 {ruleSetVersion}。',
    ],
  },
  drawdown: {
    kind: 'drawdown',
    version: 'drawdown-note/2026-12-02.1',
    title: '个人消费借款合同（借据）',
    clauses: [
      '合同日期：{date}',
      `出借人：${LENDER.name}，住所：${LENDER.address}`,
      '借款人：{borrowerName}，身份证号：{borrowerIdMasked}，手机号：{mobileMasked}',
      '本合同是借款人与出借人签署的“{productName}”授信合同项下的一笔借款，与授信合同一并适用。',
      '第一条 借款金额：人民币 {amount}，放款至借款人本人尾号 {cardLast4} 的借记卡。',
      '第二条 综合年化成本（IRR）：{apr}（含利息和全部费用，按实际现金流计算）。日利率 {dailyRate}。',
      '第三条 期限与还款方式：{term}，{mode}。借款用途：{purpose}。',
      '第四条 费用合计：利息 {totalInterest}，费用 {totalFees}，应还总额 {totalRepay}。{fees}',
      '第五条 还款计划：',
      '{schedule}',
      '第六条 逾期：{overdue}',
      '第七条 自动扣款：{autoDebit}',
      `第八条 ${common.coolingOff}`,
      `第九条 ${common.early}`,
      `第十条 ${common.dispute}`,
      `第十一条 ${common.electronic}`,
      '版本：产品目录 {catalogVersion}；审批规则 {ruleSetVersion}。',
    ],
  },
}

/** A rate in percent as the contract prints it: up to four decimals, no trailing zeros. */
const percent = (p: number) => `${Number(p.toFixed(4))}%`

function overdueText(rule: OverdueRule, dailyRatePpm: Ppm): string {
  if (rule.on === 'principal') {
    const ppm = Math.round((dailyRatePpm * rule.contractRateMultiplierPermille) / 1000)
    return `逾期本金按日利率 ${percent(ppmToPercent(ppm))}（合同日利率的 ${rule.contractRateMultiplierPermille / 1000} 倍）计收逾期利息，不计复利，不收其他违约金。`
  }
  return `逾期金额按日 ${percent(ppmToPercent(rule.dailyPpm))} 计收逾期费用，不计复利，不收其他违约金。`
}

function feeText(spec: FeeTerms): string {
  const parts: string[] = []
  if (spec.drawdownFeePpm)
    parts.push(`每笔借款收取借款金额 ${percent(ppmToPercent(spec.drawdownFeePpm))} 的手续费，随第一期还款支付`)
  if (spec.monthlyFeePpm) parts.push(`分期手续费方式每月收取借款本金的 ${percent(ppmToPercent(spec.monthlyFeePpm))}`)
  return parts.length > 0 ? `费用：${parts.join('；')}；除此之外不收取任何费用。` : '费用：除利息外不收取任何费用。'
}

function autoDebitText(autoDebit: { last4: string } | null): string {
  return autoDebit
    ? `借款人已单独同意在每期还款日从尾号 ${autoDebit.last4} 的借记卡自动扣收当期应还款项（每日最多三次，22:00 后不再扣款，扣款不超过应还金额）；可随时在小程序中关闭，关闭后到期需自行还款。`
    : '未开通。借款人需在每期还款日前自行还款；也可随时单独同意开通，开通前不会扣款。'
}

const termText = (term: Term) => ('days' in term ? `${term.days} 天` : `${term.months} 个月`)

/** The plan as a table: one row a period, columns separated by tabs (the PDF lays them out as columns). */
function scheduleText(schedule: ScheduleLine[]): string {
  const rows = schedule.map((l) =>
    [
      `第 ${l.n} 期`,
      l.dueDate,
      formatYuanGrouped(l.principalFen),
      formatYuanGrouped(l.interestFen),
      formatYuanGrouped(l.feeFen),
      formatYuanGrouped(l.totalFen),
    ].join('\t'),
  )
  return ['期数\t还款日\t本金\t利息\t费用\t合计', ...rows].join('\n')
}

/** The line contract's figures: the line as decided (or as it would be), the parties, the versions. */
export interface LineContractFigures extends Parties {
  product: ProductId
  limitFen: Fen
  dailyRatePpm: Ppm
  lineMonths: number
  aprCapPercent: number
  catalogVersion: string
  /** The fees and overdue rule of that catalog version: what each drawdown on the line is charged. */
  feeTerms: FeeTerms
  ruleSetVersion: string
  at: number
}

/** The drawdown note's figures: the priced offer itself (every figure from the loan), the parties, the card. */
export interface DrawdownContractFigures extends Parties {
  offer: Offer
  purpose: string
  cardLast4: string
  autoDebit: { last4: string } | null
  ruleSetVersion: string
  at: number
}

/** A template's clauses split once into literal text and `{figure}` holes (odd indexes are the holes). */
const PARTS = new WeakMap<ContractTemplate, string[][]>()

function fill(template: ContractTemplate, figures: Record<string, string>): string {
  let parts = PARTS.get(template)
  if (!parts) PARTS.set(template, (parts = template.clauses.map((clause) => clause.split(/\{(\w+)\}/))))
  return parts
    .map((pieces) => {
      let out = ''
      for (let i = 0; i < pieces.length; i++) {
        if (i % 2 === 0) {
          out += pieces[i]
          continue
        }
        const value = figures[pieces[i]]
        if (value === undefined) throw new Error(`${template.version}: no figure for {${pieces[i]}}`)
        out += value
      }
      return out
    })
    .join('\n\n')
}

const partyFigures = (p: Parties) => ({
  borrowerName: p.borrowerName,
  borrowerIdMasked: p.borrowerIdMasked,
  mobileMasked: p.mobileMasked,
})

export function renderLineContract(f: LineContractFigures, template = CONTRACT_TEMPLATES.line): string {
  return fill(template, {
    ...partyFigures(f),
    date: chinaDateString(f.at),
    productName: PRODUCT_NAMES[f.product],
    limit: formatYuanGrouped(f.limitFen),
    lineMonths: String(f.lineMonths),
    dailyRate: percent(ppmToPercent(f.dailyRatePpm)),
    annualRate: percent(ppmToPercent(f.dailyRatePpm * 365)),
    aprCap: percent(f.aprCapPercent),
    fees: feeText(f.feeTerms),
    overdue: overdueText(f.feeTerms.overdue, f.dailyRatePpm),
    catalogVersion: f.catalogVersion,
    ruleSetVersion: f.ruleSetVersion,
  })
}

export function renderDrawdownContract(f: DrawdownContractFigures, template = CONTRACT_TEMPLATES.drawdown): string {
  const o = f.offer
  return fill(template, {
    ...partyFigures(f),
    date: chinaDateString(f.at),
    productName: PRODUCT_NAMES[o.product],
    amount: formatYuanGrouped(o.amountFen),
    cardLast4: f.cardLast4,
    apr: percent(o.aprPercent),
    dailyRate: percent(o.dailyRatePercent),
    term: termText(o.term),
    mode: MODE_NAMES[o.mode],
    purpose: PURPOSE_NAMES[f.purpose] ?? f.purpose,
    totalInterest: formatYuanGrouped(o.totalInterestFen),
    totalFees: formatYuanGrouped(o.totalFeesFen),
    totalRepay: formatYuanGrouped(o.totalRepayFen),
    fees: feeText(o.feeTerms),
    schedule: scheduleText(o.schedule),
    overdue: overdueText(o.feeTerms.overdue, o.dailyRatePpm),
    autoDebit: autoDebitText(f.autoDebit),
    catalogVersion: o.catalogVersion,
    ruleSetVersion: f.ruleSetVersion,
  })
}
