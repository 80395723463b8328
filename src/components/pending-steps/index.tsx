// The steps a product still needs (a card, face verification) before it can be opened or drawn on:
// what they are, what comes after them, and one button each to the step's page.

import { Text, View } from '@tarojs/components'
import type { PendingStep } from '../../domain/rules'
import { PENDING_STEP_NAMES, verdictText } from '../../ui/product-text'
import { Action, Actions } from '../action'

export function PendingSteps({
  steps,
  onStep,
  then,
  testId,
}: {
  steps: PendingStep[]
  /** Opens a step's page (the page knows where it leads back to). */
  onStep: (step: PendingStep) => void
  /** What the steps lead to, after "需先完成：…，". */
  then: string
  testId: string
}) {
  if (steps.length === 0) return null
  return (
    <View className="kt-card" data-testid={testId}>
      <Text>{`${verdictText('pending', steps)}，${then}`}</Text>
      <Actions>
        {steps.map((step) => (
          <Action key={step} primary small label={`去${PENDING_STEP_NAMES[step]}`} onTap={() => onStep(step)} />
        ))}
      </Actions>
    </View>
  )
}
