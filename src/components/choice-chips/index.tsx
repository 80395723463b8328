// A row of chips for one choice (amount, term, repayment mode, purpose): one tap, one value.
import { Button } from '@nutui/nutui-react-taro'
import { Text, View } from '@tarojs/components'
import './index.scss'

export interface Choice<V extends string | number> {
  value: V
  label: string
  /** Spoken label when the visible one is not enough on its own ('3期' → '期限 3期'). */
  ariaLabel?: string
  disabled?: boolean
}

export function ChoiceChips<V extends string | number>({
  title,
  choices,
  value,
  onChange,
  testId,
}: {
  title: string
  choices: Array<Choice<V>>
  value: V | null
  onChange: (value: V) => void
  testId?: string
}) {
  return (
    <View className="choice-chips" data-testid={testId}>
      <Text className="choice-chips-title">{title}</Text>
      <View className="choice-chips-row">
        {choices.map((c) => {
          const on = c.value === value
          return (
            <Button
              key={String(c.value)}
              className="choice-chip"
              size="small"
              type={on ? 'primary' : 'default'}
              fill={on ? 'solid' : 'outline'}
              disabled={c.disabled}
              aria-label={c.ariaLabel ?? `${title} ${c.label}`}
              aria-pressed={on}
              onClick={() => onChange(c.value)}
            >
              {c.label}
            </Button>
          )
        })}
      </View>
    </View>
  )
}
