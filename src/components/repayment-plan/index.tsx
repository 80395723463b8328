// The repayment plan (还款计划): every period with its date, principal, interest, fee and total.
// Two short lines per period instead of six columns, so it fits 375 px without scrolling sideways.
import { memo } from 'react'
import { Text, View } from '@tarojs/components'
import type { ScheduleLine } from '../../domain/schedule'
import { civilDate, yuan } from '../../ui/format'
import './index.scss'

type PlanLine = Pick<ScheduleLine, 'n' | 'dueDate' | 'principalFen' | 'interestFen' | 'feeFen' | 'totalFen'> & {
  /** A loan's plan marks the periods already repaid; an offer's has none. */
  paid?: boolean
}

export const RepaymentPlan = memo(function RepaymentPlan({ lines }: { lines: PlanLine[] }) {
  return (
    <View className="plan" data-testid="repayment-plan">
      <Text className="kt-muted plan-legend">期数　还款日　合计；下一行为本金、利息、费用</Text>
      {lines.map((l) => (
        <View key={l.n} className={`plan-line${l.paid ? ' plan-paid' : ''}`} data-testid={`plan-line-${l.n}`}>
          <View className="plan-head">
            <Text className="plan-when">{`第${l.n}期　${civilDate(l.dueDate)}`}</Text>
            {l.paid === undefined ? null : (
              <Text className="plan-mark" aria-label={l.paid ? '已还' : '未还'}>
                {l.paid ? '✓ 已还' : '未还'}
              </Text>
            )}
            <Text className="plan-total">{`合计 ${yuan(l.totalFen)}`}</Text>
          </View>
          <Text className="kt-muted plan-parts">
            {`本金 ${yuan(l.principalFen)}　利息 ${yuan(l.interestFen)}　费用 ${yuan(l.feeFen)}`}
          </Text>
        </View>
      ))}
    </View>
  )
})
