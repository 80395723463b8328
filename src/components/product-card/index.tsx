// One product on the selection page: can the user open it, why not and how to fix it, its limit,
// rates (年化利率 as prominent as the daily rate), fees, and what the chosen amount and term cost;
// once it is opened, its line (可用额度 of 总额度) and the way to borrow or to look at the line.
import { Text, View } from '@tarojs/components'
import { STEP_TITLES, type PendingStep } from '../../domain/journey'
import { ppmToPercent } from '../../domain/money'
import { costFen } from '../../domain/pricing'
import type { CostPreview, ProductView } from '../../hooks/use-products'
import { MODE_NAMES, PRODUCT_NAMES, apr, dailyRate, percent, termText, yuan, yuanShort } from '../../ui/format'
import { LINE_STATE_NAMES, openVerb } from '../../ui/line-text'
import { verdictText } from '../../ui/product-text'
import { FeeLines } from '../fee-lines'
import { RatePair } from '../rate-pair'
import { ReasonList } from '../reason-list'
import { Row } from '../row'
import { Action, Actions } from '../action'
import './index.scss'

/** 'open': to opening the product; 'borrow': the offer builder on its line; 'line': the line's page. */
export type ProductAction = 'open' | 'borrow' | 'line' | PendingStep

function costNotes(view: ProductView, chosen: { amountFen: number; months: number }): string[] {
  const c = view.cost
  const notes: string[] = []
  if (c.amountAdjusted === 'limit')
    notes.push(
      view.limitRange.own
        ? `所选 ${yuanShort(chosen.amountFen)} 超过你的额度，按额度 ${yuanShort(c.amountFen)} 计算。`
        : `所选 ${yuanShort(chosen.amountFen)} 超过该产品最高额度，按 ${yuanShort(c.amountFen)} 计算。`,
    )
  if (c.amountAdjusted === 'min') notes.push(`该产品最低借 ${yuanShort(c.amountFen)}，按此计算。`)
  if (c.termAdjusted)
    notes.push(`该产品的${MODE_NAMES[c.mode]}不提供 ${chosen.months}期，按最接近的 ${termText(c.term)} 计算。`)
  if (!view.limitRange.own) notes.push('尚未开通：按目录额度范围和预审利率测算，仅供参考。')
  return notes
}

function CostBlock({ cost, view }: { cost: CostPreview; view: ProductView }) {
  const r = cost.result
  const feeMode = cost.mode === 'fee-installment'
  const rateLabel = feeMode ? '月手续费' : '日利率'
  const rate = feeMode ? percent(ppmToPercent(view.spec.monthlyFeePpm ?? 0)) : dailyRate(view.decision.dailyRatePercent)
  return (
    <View className="product-cost" data-testid="cost">
      <Text className="product-cost-title">{`借 ${yuanShort(cost.amountFen)} · ${termText(cost.term)} · ${MODE_NAMES[cost.mode]}`}</Text>
      {r.ok ? (
        <View>
          <RatePair rateLabel={rateLabel} rate={rate} aprPercent={r.offer.aprPercent} method={r.offer.aprMethod} />
          <Row label="利息" value={yuan(r.offer.totalInterestFen)} />
          <Row label="手续费" value={yuan(r.offer.totalFeesFen)} />
          <View className="kt-row">
            <Text>利息和费用合计</Text>
            <Text className="product-strong" data-testid="total-cost">
              {yuan(costFen(r.offer))}
            </Text>
          </View>
          <View className="kt-row">
            <Text>还款总额</Text>
            <Text className="product-strong" data-testid="total-repay">
              {yuan(r.offer.totalRepayFen)}
            </Text>
          </View>
        </View>
      ) : r.error.code === 'APR_OVER_CAP' && r.error.aprPercent !== undefined ? (
        <View>
          <RatePair rateLabel={rateLabel} rate={rate} aprPercent={r.error.aprPercent} method="irr" />
          <View role="alert">
            <Text className="kt-error">
              {`该方案年化利率 ${apr(r.error.aprPercent)}，超过 ${percent(r.error.capPercent ?? 0)} 的上限，不予提供。`}
            </Text>
          </View>
        </View>
      ) : (
        <View role="alert">
          <Text className="kt-error">{r.error.message}</Text>
        </View>
      )}
    </View>
  )
}

export function ProductCard({
  view,
  chosen,
  onAction,
}: {
  view: ProductView
  chosen: { amountFen: number; months: number }
  onAction: (action: ProductAction) => void
}) {
  const { spec, decision, verdict } = view
  const name = PRODUCT_NAMES[spec.id] ?? spec.name
  const flexible = view.flexible?.ok && view.cost.mode !== 'flexible' ? view.flexible.offer : null
  const notes = costNotes(view, chosen)
  const line = view.line
  return (
    <View className="kt-card product-card" data-testid={`product-${spec.id}`}>
      <View className="kt-row">
        <Text className="product-name">{name}</Text>
        {line ? (
          <Text className={`product-verdict product-line-${line.state}`} data-testid="verdict">
            {line.state === 'active' ? '已开通' : LINE_STATE_NAMES[line.state]}
          </Text>
        ) : (
          <Text className={`product-verdict product-verdict-${verdict}`} data-testid="verdict">
            {verdictText(verdict, view.pending)}
          </Text>
        )}
      </View>
      {line && line.state !== 'review' ? (
        <View className="kt-row" data-testid="line-row">
          <Text className="kt-muted">可用额度 / 总额度</Text>
          <Text className="product-strong">{`${yuan(line.availableFen)} / ${yuan(line.limitFen)}`}</Text>
        </View>
      ) : null}
      <View className="kt-row">
        <Text className="kt-muted">额度</Text>
        <Text data-testid="limit">
          {`${yuanShort(view.limitRange.minFen)} – ${yuanShort(view.limitRange.maxFen)}${
            view.limitRange.own ? '（你的额度）' : '（目录范围）'
          }`}
        </Text>
      </View>
      {flexible ? (
        <RatePair
          rateLabel="日利率（随借随还）"
          rate={dailyRate(decision.dailyRatePercent)}
          aprPercent={flexible.aprPercent}
          method={flexible.aprMethod}
        />
      ) : null}
      <FeeLines spec={spec} testId="fees" className="product-fees" lineClassName="product-fee" />
      <CostBlock cost={view.cost} view={view} />
      {notes.map((n) => (
        <Text key={n} className="kt-muted product-note">
          {n}
        </Text>
      ))}
      {/* Why it cannot be opened: moot once it is. */}
      {!line && decision.reasons.length > 0 ? <ReasonList reasons={decision.reasons} /> : null}
      {decision.notices.length > 0 ? (
        <View data-testid="notices">
          <Text className="product-section">提示</Text>
          <ReasonList reasons={decision.notices} />
        </View>
      ) : null}
      {verdict === 'invitation' ? (
        <View className="product-tips" data-testid="tips">
          <Text className="product-section">提高受邀机会（是否邀请由放贷机构决定）</Text>
          {decision.tips.map((t) => (
            <View key={t.id} className="product-tip">
              <Text>{t.text}</Text>
              <Text className="kt-muted">{`见效时间：${t.effectPeriod}`}</Text>
            </View>
          ))}
        </View>
      ) : null}
      <ProductButton view={view} name={name} onAction={onAction} />
    </View>
  )
}

function ProductButton({
  view,
  name,
  onAction,
}: {
  view: ProductView
  name: string
  onAction: (action: ProductAction) => void
}) {
  const line = view.line
  if (line) {
    const seeLine = line.state === 'frozen' ? '查看额度（已冻结：为什么、怎么恢复）' : '查看额度'
    return (
      <Actions>
        {line.state === 'active' ? (
          <Action primary label={`去借款 ${name}`} onTap={() => onAction('borrow')}>
            去借款
          </Action>
        ) : null}
        {/* What it shows is the start of what it is called (WCAG 2.5.3: a voice command of what is seen). */}
        <Action label={`${seeLine} ${name}`} onTap={() => onAction('line')}>
          {seeLine}
        </Action>
      </Actions>
    )
  }
  if (view.verdict === 'open') {
    const verb = openVerb(view.spec.id)
    return (
      <Actions>
        <Action primary label={`${verb} ${name}`} onTap={() => onAction('open')}>{`${verb}${name}`}</Action>
      </Actions>
    )
  }
  if (view.verdict === 'pending') {
    // The first step still to do, in journey order.
    const step = view.pending[0]
    const label = `去${STEP_TITLES[step]}`
    return (
      <Actions>
        <Action primary label={`${label}（${name}）`} onTap={() => onAction(step)}>
          {label}
        </Action>
      </Actions>
    )
  }
  return null
}
