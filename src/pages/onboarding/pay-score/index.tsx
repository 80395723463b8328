// 微信支付分: authorized in WeChat Pay's own page; the server then asks WeChat Pay whether the
// user authorized, and the lender's assessment whether the threshold is met. Only "达到 / 未达到"
// is ever shared, never the score.
import { Text, View } from '@tarojs/components'
import { ReasonList } from '../../../components/reason-list'
import { StepError, StepPage } from '../../../components/step-page'
import { reason } from '../../../domain/reasons'
import { PAY_SCORE_AUTHORIZATION_NAMES } from '../../../ui/product-text'
import type { PayScoreReading } from '../../../domain/pay-score'
import { usePayScore } from '../../../hooks/use-pay-score'
import { Action, Actions } from '../../../components/action'
import { STEP_TEXTS } from '../step-texts'
import './index.scss'

/** What the server recorded: WeChat Pay's authorization, and the lender's assessment if authorized. */
function StateCard({ state }: { state: PayScoreReading }) {
  const kind =
    state.authorization !== 'AVAILABLE'
      ? state.authorization.toLowerCase()
      : state.meetsThreshold === null
        ? 'unconfirmed'
        : state.meetsThreshold
          ? 'met'
          : 'not-met'
  if (kind === 'met')
    return (
      <View className="kt-card" data-testid="pay-score-state" data-state={kind}>
        <Text className="pay-score-verdict kt-ok">微信支付分达到要求</Text>
        <View>
          <Text className="kt-muted">已授权。需要微信支付分的产品可以继续申请。</Text>
        </View>
      </View>
    )
  if (kind === 'not-met' || kind === 'unconfirmed')
    return (
      <View data-testid="pay-score-state" data-state={kind}>
        <View className="kt-card">
          <Text className="pay-score-verdict pay-score-no">
            {kind === 'not-met' ? '微信支付分未达到要求' : '已授权，暂未取得评估结果'}
          </Text>
          <View>
            <Text className="kt-muted">
              {kind === 'not-met'
                ? '已授权，但放贷机构的评估暂未达到本服务的要求。不需要支付分的产品不受影响。'
                : '授权已完成；放贷机构的评估暂时没有答复，请稍后点“重新查询”。'}
            </Text>
          </View>
        </View>
        <ReasonList reasons={[reason(kind === 'not-met' ? 'SCORE_BELOW_THRESHOLD' : 'PAY_SCORE_UNCONFIRMED')]} />
      </View>
    )
  return (
    <View className="kt-card" data-testid="pay-score-state" data-state={kind}>
      <Text className="pay-score-verdict pay-score-no">
        微信支付分{PAY_SCORE_AUTHORIZATION_NAMES[state.authorization]}
      </Text>
      <View>
        <Text className="kt-muted">
          点“去授权”，在微信支付的页面完成授权（还没有开通支付分的，可在微信“我 › 服务 › 钱包 ›
          支付分”开通）。不需要支付分的产品不受影响。
        </Text>
      </View>
    </View>
  )
}

function PayScoreActions({ ps }: { ps: ReturnType<typeof usePayScore> }) {
  if (!ps.state)
    return (
      <Actions>
        <Action primary label="去授权" disabled={ps.busy} loading={ps.busy} onTap={() => void ps.authorize()} />
      </Actions>
    )
  return (
    <Actions>
      <View>
        <Action primary label="继续" disabled={ps.busy} onTap={() => void ps.continueOn()} />
        <View className="pay-score-gap" />
        {ps.state.authorization !== 'AVAILABLE' ? (
          <View>
            <Action label="去授权" disabled={ps.busy} onTap={() => void ps.authorize()} />
            <View className="pay-score-gap" />
          </View>
        ) : null}
        <Action label="重新查询" disabled={ps.busy} loading={ps.busy} onTap={() => void ps.requery()} />
      </View>
    </Actions>
  )
}

/** What authorizing shares: met or not met, never the score. */
function WhatIsShared() {
  return (
    <View className="kt-card" data-testid="what-is-shared">
      <Text className="pay-score-heading">授权后共享什么</Text>
      <View>
        <Text>我们只知道：你的微信支付分是否达到本服务的要求（达到 / 未达到）。</Text>
      </View>
      <View>
        <Text className="kt-muted">
          不会知道：支付分的具体分数、交易明细。授权在微信支付的官方页面完成，可以随时在微信支付分中取消。
        </Text>
      </View>
    </View>
  )
}

export default function PayScore() {
  const ps = usePayScore()
  return (
    <StepPage step="payScore" intro={<WhatIsShared />} {...STEP_TEXTS.payScore} gate={ps}>
      {() => (
        <View>
          {ps.state ? <StateCard state={ps.state} /> : null}
          {ps.cancelled ? (
            <View className="kt-card" data-testid="pay-score-cancelled">
              <Text>你取消了授权，微信支付分尚未授权。</Text>
              <View>
                <Text className="kt-muted">准备好后可以再点“去授权”。</Text>
              </View>
            </View>
          ) : null}
          <StepError error={ps.error} fix={ps.errorFix} />
          <PayScoreActions ps={ps} />
        </View>
      )}
    </StepPage>
  )
}
