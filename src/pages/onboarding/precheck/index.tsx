// The WE2000 pre-check: eligible or not, every reason with its fix; no hard credit inquiry.
import { fixedByAgreements } from '../../../api/errors'
import Taro from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { ErrorNotice } from '../../../components/error-notice'
import { ReasonList } from '../../../components/reason-list'
import { StepBar } from '../../../components/step-bar'
import { Page } from '../../../components/page'
import { useCloudQuery } from '../../../hooks/use-cloud'
import { useOnboardingStatus } from '../../../hooks/use-onboarding-step'
import { PAGES, afterPrecheck } from '../../../routes'
import { dateOf, versionText } from '../../../ui/format'
import { replace } from '../../../services/nav'
import { Action, Actions } from '../../../components/action'
import './index.scss'

export default function Precheck() {
  const status = useOnboardingStatus()
  const decision = useCloudQuery('credit', 'precheck', {})
  const we2000 = decision.data?.products.find((p) => p.product === 'we2000')
  const identity = status.data?.identity
  // The card, then the pay score, then the products: whichever is not done yet.
  const next = status.data ? afterPrecheck(status.data) : null

  return (
    <Page>
      <StepBar current="precheck" />
      <View className="kt-title">WE2000 预审</View>
      <View className="kt-subtitle">预审只使用软数据，不产生征信查询记录。</View>
      {identity ? (
        <View className="kt-card" data-testid="identity">
          <Text>
            已实名：{identity.name}　{identity.idNumber}　{identity.mobile}
          </Text>
        </View>
      ) : null}
      {decision.loading ? <View className="kt-card">正在预审…</View> : null}
      {decision.error ? (
        fixedByAgreements(decision.error) ? (
          <ErrorNotice
            error={decision.error}
            retryLabel="去授权"
            onRetry={() => void Taro.redirectTo({ url: PAGES.agreements })}
          />
        ) : (
          <ErrorNotice
            error={decision.error}
            onRetry={() => {
              // One retry brings back everything the page needs.
              void decision.reload()
              if (status.error) void status.reload()
            }}
          />
        )
      ) : null}
      {we2000 && decision.data ? (
        <View data-testid="verdict">
          <View className="kt-card">
            {we2000.eligible ? (
              <Text className="precheck-verdict precheck-ok">预审通过：符合 WE2000 的开通条件</Text>
            ) : (
              <Text className="precheck-verdict precheck-no">暂不符合 WE2000 的开通条件</Text>
            )}
            <View>
              <Text className="kt-muted">
                {we2000.eligible
                  ? '接下来绑定本人借记卡并授权微信支付分，即可开通（开通时单独授权查询一次征信，之后借款不再硬查询）。'
                  : '以下是原因和改进方法：'}
              </Text>
            </View>
          </View>
          <ReasonList reasons={we2000.reasons} />
          {we2000.inquiriesClearAt ? (
            <View className="kt-card">
              <Text className="kt-muted">征信查询次数预计在 {dateOf(we2000.inquiriesClearAt)} 后回到正常范围。</Text>
            </View>
          ) : null}
          <Text className="kt-muted">
            综合评分 {decision.data.score}　规则版本 {versionText(decision.data.ruleSetVersion)}
          </Text>
        </View>
      ) : null}
      <Actions>
        {status.error && !decision.error ? <ErrorNotice error={status.error} onRetry={status.reload} /> : null}
        {next ? (
          <View className="precheck-continue">
            <Action primary label="继续开通" onTap={() => void replace(next)} />
          </View>
        ) : null}
        <Action label="重新预审" disabled={decision.loading} onTap={() => void decision.reload()} />
      </Actions>
    </Page>
  )
}
