// What stands before an onboarding step after the pre-check — an earlier step, or a consent the
// user did not give — and the button that goes there.
import { Text, View } from '@tarojs/components'
import type { StepBlocker } from '../../hooks/use-onboarding-step'
import { STEP_TITLES } from '../../domain/journey'
import type { PageName } from '../../routes'
import { Action, Actions } from '../action'

export function StepGate({
  blocker,
  doing,
  consent,
  consentNote = '你之前没有同意这项授权，可以在协议页开启。',
  onGo,
}: {
  blocker: StepBlocker
  /** What this step does, as in "请先完成实名认证，再绑定银行卡。". */
  doing: string
  /** Why this step needs the consent. */
  consent: string
  consentNote?: string
  onGo: (page: PageName) => void
}) {
  if (blocker.kind === 'step') {
    const page = blocker.page
    return (
      <View className="kt-card" data-testid="blocker">
        <Text>{`请先完成${STEP_TITLES[page]}，再${doing}。`}</Text>
        <Actions>
          <Action primary label="去完成前面的步骤" onTap={() => onGo(page)}>
            去完成
          </Action>
        </Actions>
      </View>
    )
  }
  return (
    <View className="kt-card" data-testid="blocker">
      <Text>{consent}</Text>
      <View>
        <Text className="kt-muted">{consentNote}</Text>
      </View>
      <Actions>
        <Action primary label="去授权" onTap={() => onGo('agreements')} />
      </Actions>
    </View>
  )
}
