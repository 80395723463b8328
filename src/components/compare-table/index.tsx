// The three products side by side, one attribute per row: the attribute's name across the top,
// then one narrow cell per product, so the whole table fits 375 px without scrolling sideways.
import { Text, View } from '@tarojs/components'
import { costFen } from '../../domain/pricing'
import type { ProductView } from '../../hooks/use-products'
import { MODE_NAMES, PRODUCT_NAMES, apr, dailyRate, percent, termText, yuan, yuanShort } from '../../ui/format'
import { dailyRateRangeText, feeLines, modeLines, opensText, overdueText, verdictText } from '../../ui/product-text'
import { APR_METHOD_LABEL } from '../rate-pair'
import './index.scss'
import { LINE_CEILING_FEN } from '../../domain/figures'

interface Row {
  id: string
  label: string
  cell: (v: ProductView) => JSX.Element
}

const lines = (texts: string[], className = 'cmp-text') =>
  texts.map((t) => (
    <Text key={t} className={className}>
      {t}
    </Text>
  ))

const ROWS: Row[] = [
  { id: 'opens', label: '开通方式', cell: (v) => <>{lines([opensText(v.spec, v.rules)])}</> },
  {
    id: 'limit',
    label: '额度范围',
    cell: (v) => (
      <>
        {lines([
          v.spec.limitFen.max > LINE_CEILING_FEN
            ? `${yuanShort(v.spec.limitFen.min)}–${yuanShort(LINE_CEILING_FEN)}（单户上限）`
            : `${yuanShort(v.spec.limitFen.min)}–${yuanShort(v.spec.limitFen.max)}`,
        ])}
        {lines([v.limitRange.own ? `你的额度 ${yuanShort(v.limitRange.maxFen)}` : '尚未开通'], 'cmp-muted')}
      </>
    ),
  },
  {
    id: 'daily',
    label: '日利率',
    cell: (v) => (
      <>
        <Text className="kt-rate cmp-figure">{dailyRate(v.decision.dailyRatePercent)}</Text>
        {lines([`你的预审利率；目录 ${dailyRateRangeText(v.spec)}`], 'cmp-muted')}
        {v.spec.monthlyFeePpm ? lines(['分期方式不计利息，收分期手续费'], 'cmp-muted') : null}
      </>
    ),
  },
  {
    id: 'apr',
    label: '年化利率（按所选金额和期限）',
    cell: (v) => {
      const r = v.cost.result
      const flex = v.flexible?.ok && v.cost.mode !== 'flexible' ? v.flexible.offer : null
      return (
        <>
          {r.ok ? (
            <>
              <Text className="kt-rate cmp-figure">{apr(r.offer.aprPercent)}</Text>
              {lines([`${MODE_NAMES[r.offer.mode]}（${APR_METHOD_LABEL[r.offer.aprMethod]}）`], 'cmp-muted')}
            </>
          ) : r.error.code === 'APR_OVER_CAP' && r.error.aprPercent !== undefined ? (
            <>
              <Text className="kt-rate cmp-figure">{apr(r.error.aprPercent)}</Text>
              {lines([`超过 ${percent(r.error.capPercent ?? 0)} 上限，不提供`], 'kt-error cmp-text')}
            </>
          ) : (
            lines([r.error.message], 'kt-error cmp-text')
          )}
          {flex ? (
            <>
              <Text className="kt-rate cmp-figure">{apr(flex.aprPercent)}</Text>
              {lines([`随借随还（${APR_METHOD_LABEL[flex.aprMethod]}）`], 'cmp-muted')}
            </>
          ) : null}
        </>
      )
    },
  },
  { id: 'fees', label: '手续费', cell: (v) => <>{lines(feeLines(v.spec, true))}</> },
  { id: 'overdue', label: '逾期费用', cell: (v) => <>{lines([overdueText(v.spec)])}</> },
  { id: 'modes', label: '还款方式与期限', cell: (v) => <>{lines(modeLines(v.spec))}</> },
  {
    id: 'cost',
    label: '所选方案的总成本',
    cell: (v) => {
      const c = v.cost
      return (
        <>
          {lines([`借 ${yuanShort(c.amountFen)} · ${termText(c.term)}`], 'cmp-muted')}
          {c.result.ok ? (
            <>
              {lines([`利息和费用 ${yuan(costFen(c.result.offer))}`])}
              {lines([`还款总额 ${yuan(c.result.offer.totalRepayFen)}`])}
            </>
          ) : (
            lines(['不提供'], 'kt-error cmp-text')
          )}
        </>
      )
    },
  },
  {
    id: 'eligibility',
    label: '你的资格',
    cell: (v) => (
      <>
        <Text className={`cmp-text cmp-verdict-${v.verdict}`}>{verdictText(v.verdict, v.pending)}</Text>
        {v.decision.reasons.length > 0
          ? lines(
              v.decision.reasons.map((r) => r.title),
              'cmp-muted',
            )
          : null}
      </>
    ),
  },
]

export function CompareTable({ views }: { views: ProductView[] }) {
  return (
    <View className="cmp" data-testid="compare-table">
      <View className="cmp-cells cmp-head">
        {views.map((v) => (
          <View key={v.spec.id} className="cmp-cell">
            <Text className="cmp-name">{PRODUCT_NAMES[v.spec.id] ?? v.spec.name}</Text>
          </View>
        ))}
      </View>
      {ROWS.map((row) => (
        <View key={row.id} className="cmp-attr" data-testid={`cmp-${row.id}`}>
          <Text className="cmp-label">{row.label}</Text>
          <View className="cmp-cells">
            {views.map((v) => (
              <View key={v.spec.id} className="cmp-cell" data-product={v.spec.id}>
                {row.cell(v)}
              </View>
            ))}
          </View>
        </View>
      ))}
    </View>
  )
}
