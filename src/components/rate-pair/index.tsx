// A rate and its annualized rate side by side in the same type: the 年化利率 is never less
// prominent than the daily or monthly rate beside it (PBoC announcement 2021 No. 3).
import { Text, View } from '@tarojs/components'
import { apr } from '../../ui/format'
import './index.scss'

export const APR_METHOD_LABEL: Record<'irr' | 'nominal', string> = { irr: 'IRR', nominal: '日利率×365' }

export function RatePair({
  rateLabel,
  rate,
  aprPercent,
  method,
  note,
}: {
  /** '日利率', '月手续费', '日利率（随借随还）' … */
  rateLabel: string
  /** The rate, already formatted ('0.05%'). */
  rate: string
  aprPercent: number
  method: 'irr' | 'nominal'
  note?: string
}) {
  return (
    <View className="rate-pair" data-testid="rate-pair">
      <View className="rate-pair-row">
        <View className="rate-pair-cell">
          <Text className="rate-pair-label">{rateLabel}</Text>
          <Text className="kt-rate" data-testid="rate">
            {rate}
          </Text>
        </View>
        <View className="rate-pair-cell">
          <Text className="rate-pair-label">年化利率（{APR_METHOD_LABEL[method]}）</Text>
          <Text className="kt-rate" data-testid="apr">
            {apr(aprPercent)}
          </Text>
        </View>
      </View>
      {note ? <Text className="kt-muted rate-pair-note">{note}</Text> : null}
    </View>
  )
}
