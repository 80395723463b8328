// One priced offer in figures: its rate beside its annualized rate, and what it costs in total.
import { memo } from 'react'
import { Text, View } from '@tarojs/components'
import type { Offer } from '../../domain/pricing'
import { dailyRate, percent, yuan } from '../../ui/format'
import { RatePair } from '../rate-pair'
import './index.scss'

const METHOD_NOTE = {
  irr: '年化利率按借到的金额与每期实际还款（本金、利息、手续费）的现金流，以内部收益率（IRR）折算，已含手续费。',
  nominal: '随借随还且无手续费：年化利率 = 日利率 × 365。',
} as const

export const OfferSummary = memo(function OfferSummary({ offer }: { offer: Offer }) {
  const feeMode = offer.mode === 'fee-installment'
  return (
    <View data-testid="offer-summary">
      <RatePair
        rateLabel={feeMode ? '月手续费' : '日利率'}
        rate={feeMode ? percent(offer.monthlyFeePercent) : dailyRate(offer.dailyRatePercent)}
        aprPercent={offer.aprPercent}
        method={offer.aprMethod}
        note={METHOD_NOTE[offer.aprMethod]}
      />
      <View className="kt-row">
        <Text>利息合计</Text>
        <Text data-testid="total-interest">{yuan(offer.totalInterestFen)}</Text>
      </View>
      <View className="kt-row">
        <Text>费用合计</Text>
        <Text data-testid="total-fees">{yuan(offer.totalFeesFen)}</Text>
      </View>
      <View className="kt-row">
        <Text>还款总额（本金+利息+费用）</Text>
        <Text className="offer-summary-total" data-testid="total-repay">
          {yuan(offer.totalRepayFen)}
        </Text>
      </View>
    </View>
  )
})
