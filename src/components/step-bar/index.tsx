// The onboarding step bar: where the user is among the steps of this flow.
import { Step, Steps } from '@nutui/nutui-react-taro'
import type { OnboardingStep } from '../../domain/onboarding'

const TITLES: Record<OnboardingStep, string> = {
  agreements: '协议授权',
  realName: '实名认证',
  precheck: '预审结果',
}
const ORDER: OnboardingStep[] = ['agreements', 'realName', 'precheck']

export function StepBar({ current }: { current: OnboardingStep }) {
  return (
    <Steps value={ORDER.indexOf(current) + 1} status="dynamic">
      {ORDER.map((step, i) => (
        <Step key={step} value={i + 1} title={TITLES[step]} />
      ))}
    </Steps>
  )
}
