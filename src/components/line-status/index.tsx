// A credit line (额度) as its borrower reads it: the limit and what can be borrowed now (both in
// large type), the daily rate beside the annualized one (never smaller), the fees the product
// charges per drawdown, and the state it is in when it cannot be drawn on — frozen (why, and how it
// unfreezes), in manual review (by when), refused (the reasons with their fixes).
import { Text, View } from '@tarojs/components'
import type { LineView } from '../../api'
import { dailyRate, chinaTime, yuan } from '../../ui/format'
import { FROZEN_TEXT, LINE_STATE_NAMES, reviewText } from '../../ui/line-text'
import { Action, Actions } from '../action'
import { ExplainLink } from '../explain-link'
import { FeeLines } from '../fee-lines'
import type { ProductSpec } from '../../domain/catalog'
import { LineAmounts } from '../line-amounts'
import { RatePair } from '../rate-pair'
import { ReasonList } from '../reason-list'
import { Row } from '../row'
import './index.scss'

/** 总额度, 可用额度, in use, the rates, until when; a cut announced is said before it takes effect. */
/** `spec`: the product as the catalog the line was opened under states it (its fees), once it has arrived. */
export function LineFigures({ line, spec }: { line: LineView; spec: ProductSpec | null }) {
  return (
    <View className="kt-card" data-testid="line-figures">
      <LineAmounts line={line} testIdPrefix="line" large />
      <Row label="已借未还（占用额度）" value={yuan(line.inUseFen)} testId="line-in-use" />
      <RatePair
        rateLabel="日利率"
        rate={dailyRate(line.dailyRatePercent)}
        aprPercent={line.annualRatePercent}
        method="nominal"
        note="每笔借款确认前，会显示这笔借款含全部费用的年化利率（IRR）和完整还款计划。"
      />
      {/* The line's drawdowns are charged as the catalog it was opened under says (its contract). */}
      {spec ? (
        <FeeLines spec={spec} testId="line-fees" className="line-fees" lineClassName="kt-muted line-fee" />
      ) : null}
      {line.expiresAt !== null ? <Row label="有效期至" value={chinaTime(line.expiresAt)} /> : null}
      {line.pendingDecrease ? (
        <View data-testid="line-decrease">
          <Text className="kt-error">
            {`额度将于 ${chinaTime(line.pendingDecrease.effectiveAt)}调整为 ${yuan(line.pendingDecrease.limitFen)}；已借的部分不受影响。`}
          </Text>
        </View>
      ) : null}
    </View>
  )
}

/** The line's state in one word, coloured by whether it can be drawn on. */
export function LineStateBadge({ line }: { line: Pick<LineView, 'state'> }) {
  return (
    <Text className={`line-state line-state-${line.state}`} data-testid="line-state">
      {LINE_STATE_NAMES[line.state] ?? line.state}
    </Text>
  )
}

/** Frozen: an installment is overdue; repaying it unfreezes the line by itself. */
export function FrozenNotice({ onLoans }: { onLoans: () => void }) {
  return (
    <View className="kt-card" data-testid="line-frozen" role="alert">
      <View>
        <Text className="kt-error">额度已冻结</Text>
      </View>
      <View>
        <Text>{FROZEN_TEXT.why}</Text>
      </View>
      <Text className="kt-muted">{FROZEN_TEXT.how}</Text>
      <Actions>
        <Action primary small label="去还款" onTap={onLoans}>
          去还款（我的借款）
        </Action>
      </Actions>
    </View>
  )
}

/** In manual review: nobody is refused by silence for ever (7 days, then refused; apply again). */
export function ReviewNotice({ line }: { line: Pick<LineView, 'requestedAt'> }) {
  return (
    <View className="kt-card" data-testid="line-review">
      <View>
        <Text className="line-verdict">已转人工审核</Text>
      </View>
      <Text className="kt-muted">{reviewText(line)}</Text>
    </View>
  )
}

/**
 * Refused: the reasons with what to do, the way to the whole explanation and a person's review;
 * the inquiry was spent, nothing else was charged.
 */
export function RefusedNotice({
  line,
  onHelp,
  onExplain,
}: {
  line: Pick<LineView, 'reasons' | 'decidedAt'>
  onHelp: () => void
  onExplain: () => void
}) {
  return (
    <View data-testid="line-refused">
      <View className="kt-card">
        <View>
          <Text className="line-verdict line-verdict-no">很抱歉，本次开通未通过</Text>
        </View>
        <Text className="kt-muted">
          {`${line.decidedAt !== null ? `${chinaTime(line.decidedAt)}` : ''}审批时查询过一次征信；没有开通额度，也不收任何费用。以下是原因和改进方法，改进后可以重新开通（重新开通会再查询一次征信）。`}
        </Text>
      </View>
      <ReasonList reasons={line.reasons} />
      <ExplainLink onTap={onExplain} />
      <Actions>
        <Action label="查看帮助：开通失败常见原因" onTap={onHelp} />
      </Actions>
    </View>
  )
}

/** The way to the line's own page: its figures and 额度记录. */
export function SeeLine({ onTap }: { onTap: () => void }) {
  return (
    <Actions>
      <Action label="查看额度和额度记录" onTap={onTap} />
    </Actions>
  )
}
