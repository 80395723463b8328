// The onboarding step bar: where the user is in the whole journey, from the agreements to the
// pay score (and face verification, shown only on its own page: only some products need it).
import { Text, View } from '@tarojs/components'
import type { OnboardingStep } from '../../domain/onboarding'
import './index.scss'

/** The server's steps plus the ones the client walks after the pre-check. */
export type JourneyStep = OnboardingStep | 'bankCard' | 'payScore' | 'face'

const TITLES: Record<JourneyStep, string> = {
  agreements: '协议授权',
  realName: '实名认证',
  precheck: '预审结果',
  bankCard: '绑定银行卡',
  payScore: '微信支付分',
  face: '人脸核身',
}
const JOURNEY: JourneyStep[] = ['agreements', 'realName', 'precheck', 'bankCard', 'payScore']

/** The steps shown with `current`: the journey, with 人脸核身 at the end only on the face page. */
export function stepsFor(current: JourneyStep): JourneyStep[] {
  return current === 'face' ? [...JOURNEY, 'face'] : JOURNEY
}

export function StepBar({ current }: { current: JourneyStep }) {
  const order = stepsFor(current)
  const at = order.indexOf(current) + 1
  return (
    <View
      className="kt-step-bar"
      data-testid="step-bar"
      data-current={current}
      aria-label={`开通进度：第${at}步，共${order.length}步，${TITLES[current]}`}
    >
      {order.map((step, i) => (
        <View
          key={step}
          className={`kt-step ${i + 1 < at ? 'kt-step-done' : i + 1 === at ? 'kt-step-current' : ''}`}
          aria-current={i + 1 === at ? 'step' : undefined}
        >
          <View className="kt-step-dot">{i + 1 < at ? '✓' : i + 1}</View>
          <Text className="kt-step-title">{TITLES[step]}</Text>
        </View>
      ))}
    </View>
  )
}
