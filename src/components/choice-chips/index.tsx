// A row of chips for one choice (amount, term, repayment mode, purpose): one tap, one value.
import { Button, Text, View } from '@tarojs/components'
import { roleProps } from '../../ui/aria'
import './index.scss'

export interface Choice<V extends string | number> {
  value: V
  label: string
  /** Spoken label when the visible one is not enough on its own ('3期' → '期限 3期'). */
  ariaLabel?: string
  disabled?: boolean
}

// Taro's Button types omit `role`; it is passed through to the element like any other prop.
const RADIO = roleProps('radio')

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
      {/* One choice of several: a radio group, in the browser (role) and in WeChat (aria-role). */}
      <View className="choice-chips-row" {...roleProps('radiogroup')} aria-label={title}>
        {choices.map((c) => {
          const on = c.value === value
          return (
            // Taro's own button (WeChat's native one; taro-button-core in the browser, as under
            // NutUI's), not NutUI's: its two wrapper views and their class lists were 493 B a chip
            // in setData (172 now), and the offer builder has 34 chips (its opening grew past 16 KB
            // a call when they came at once).
            <Button
              key={String(c.value)}
              className={on ? 'choice-chip choice-chip--on' : 'choice-chip'}
              disabled={c.disabled}
              aria-label={c.ariaLabel ?? `${title} ${c.label}`}
              {...RADIO}
              aria-checked={on}
              onClick={() => {
                if (!c.disabled) onChange(c.value)
              }}
            >
              {c.label}
            </Button>
          )
        })}
      </View>
    </View>
  )
}
