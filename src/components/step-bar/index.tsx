// The onboarding step bar: where the user is in the whole journey (the journey table's order and
// titles; a step only some products need, like face verification, shows only on its own page).
import { Text, View } from '@tarojs/components'
import { STEP_TITLES, barSteps, type JourneyStep } from '../../domain/journey'
import './index.scss'

export function StepBar({ current }: { current: JourneyStep }) {
  const order = barSteps(current)
  const at = order.indexOf(current) + 1
  return (
    <View
      className="kt-step-bar"
      data-testid="step-bar"
      data-current={current}
      aria-label={`开通进度：第${at}步，共${order.length}步，${STEP_TITLES[current]}`}
    >
      {order.map((step, i) => (
        <View
          key={step}
          className={`kt-step ${i + 1 < at ? 'kt-step-done' : i + 1 === at ? 'kt-step-current' : ''}`}
          aria-current={i + 1 === at ? 'step' : undefined}
        >
          <View className="kt-step-dot">{i + 1 < at ? '✓' : i + 1}</View>
          <Text className="kt-step-title">{STEP_TITLES[step]}</Text>
        </View>
      ))}
    </View>
  )
}
