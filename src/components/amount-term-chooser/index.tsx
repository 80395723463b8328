// The amount and term the product pages price every product at: one row of chips each, in a card
// (with the page's own note below them, if it has one).
import { View } from '@tarojs/components'
import type { ReactNode } from 'react'
import { termText, yuanShort } from '../../ui/format'
import { ChoiceChips, type Choice } from '../choice-chips'

const amountChoice = (fen: number): Choice<number> => ({
  value: fen,
  label: yuanShort(fen),
})
const termChoice = (m: number): Choice<number> => ({
  value: m,
  label: termText({ months: m }),
})

export function AmountTermChooser({
  amountsFen,
  termsMonths,
  chosen,
  onAmount,
  onMonths,
  children,
}: {
  amountsFen: number[]
  termsMonths: number[]
  chosen: { amountFen: number; months: number }
  onAmount: (amountFen: number) => void
  onMonths: (months: number) => void
  children?: ReactNode
}) {
  return (
    <View className="kt-card" data-testid="chooser">
      <ChoiceChips
        title="借款金额"
        choices={amountsFen.map(amountChoice)}
        value={chosen.amountFen}
        onChange={onAmount}
      />
      <ChoiceChips title="期限" choices={termsMonths.map(termChoice)} value={chosen.months} onChange={onMonths} />
      {children}
    </View>
  )
}
