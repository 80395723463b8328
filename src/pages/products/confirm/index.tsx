// 确认借款: the chosen offer priced on the device (a preview; the server's figures bind), the
// per-query credit consent (征信查询授权) unticked until the user ticks it, then consent → apply.
import { fixedByAgreements } from '../../../api'
import { useMemo, type ReactNode } from 'react'
import { Button, Checkbox } from '@nutui/nutui-react-taro'
import { Text, View } from '@tarojs/components'
import { useRouter } from '@tarojs/taro'
import { ErrorNotice } from '../../../components/error-notice'
import { ReasonList } from '../../../components/reason-list'
import { Loading } from '../../../components/states'
import { CREDIT_CONSENT_MINUTES } from '../../../domain/agreements'
import { DEFAULT_RULE_SET } from '../../../domain/rule-set'
import { readApplyRequest, useApply, type ApplyRequest } from '../../../hooks/use-apply'
import { Page } from '../../../components/page'
import { costFen, type Offer } from '../../../domain/pricing'
import { go } from '../../../services/nav'
import {
  MODE_NAMES,
  PRODUCT_NAMES,
  PURPOSE_NAMES,
  apr,
  civilDate,
  dailyRate,
  percent,
  termText,
  yuan,
} from '../../../ui/format'
import './index.scss'

function Row({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <View className="kt-row" data-testid={testId}>
      <Text className="kt-muted">{label}</Text>
      <View>{children}</View>
    </View>
  )
}

function Summary({ request, offer }: { request: ApplyRequest; offer: Offer }) {
  const first = offer.schedule[0]
  return (
    <View className="kt-card" data-testid="summary">
      <Row label="产品">
        <Text>{PRODUCT_NAMES[request.product]}</Text>
      </Row>
      <Row label="借款金额" testId="summary-amount">
        <Text className="confirm-amount">{yuan(offer.amountFen)}</Text>
      </Row>
      <Row label="期限">
        <Text>{termText(offer.term)}</Text>
      </Row>
      <Row label="还款方式">
        <Text>{MODE_NAMES[offer.mode]}</Text>
      </Row>
      <Row label="借款用途">
        <Text>{PURPOSE_NAMES[request.purpose]}</Text>
      </Row>
      <Row label={offer.aprMethod === 'irr' ? '年化利率(IRR)' : '年化利率'} testId="summary-apr">
        <Text className="kt-rate">{apr(offer.aprPercent)}</Text>
      </Row>
      {offer.mode === 'fee-installment' ? (
        <Row label="分期手续费">
          <Text className="kt-rate">每月 {percent(offer.monthlyFeePercent)}</Text>
        </Row>
      ) : (
        <Row label="日利率">
          <Text className="kt-rate">{dailyRate(offer.dailyRatePercent)}</Text>
        </Row>
      )}
      <Row label="利息">
        <Text>{yuan(offer.totalInterestFen)}</Text>
      </Row>
      <Row label="费用">
        <Text>{yuan(offer.totalFeesFen)}</Text>
      </Row>
      <Row label="总成本（利息+费用）" testId="summary-cost">
        <Text>{yuan(costFen(offer))}</Text>
      </Row>
      <Row label="应还总额">
        <Text>{yuan(offer.totalRepayFen)}</Text>
      </Row>
      {first ? (
        <Row label="首次还款" testId="summary-first">
          <Text>
            {civilDate(first.dueDate)} {yuan(first.totalFen)}
          </Text>
        </Row>
      ) : null}
      <View className="confirm-note">
        <Text className="kt-muted">
          以上按你当前的利率在本机试算，仅供确认。最终的利率、费用和还款计划以审批时服务器的计算为准，批准后可在借款详情中查看。
        </Text>
      </View>
    </View>
  )
}

export default function Confirm() {
  const router = useRouter()
  const request = useMemo(() => readApplyRequest(router.params), [router.params])
  const apply = useApply(request)

  if (!request) {
    return (
      <Page>
        <View className="kt-title">确认借款</View>
        <View className="kt-card" role="alert" data-testid="bad-request">
          <Text className="kt-error">借款方案不完整（缺少金额、期限、还款方式或用途），请重新选择。</Text>
          <View className="kt-actions">
            <Button size="small" onClick={() => void go('products')} aria-label="重新选择产品">
              重新选择产品
            </Button>
          </View>
        </View>
      </Page>
    )
  }

  const { precheck, decision, preview } = apply
  const productName = PRODUCT_NAMES[request.product]
  const purposeName = PURPOSE_NAMES[request.purpose]
  const purposeRefused = DEFAULT_RULE_SET.risk.refusedPurposes.includes(request.purpose)
  const ready = preview?.ok === true

  return (
    <Page>
      <View className="kt-title">确认借款</View>
      <View className="kt-subtitle">请核对借款方案，并单独授权本次征信查询。</View>

      {precheck.error ? (
        fixedByAgreements(precheck.error) ? (
          <ErrorNotice error={precheck.error} retryLabel="去授权" onRetry={() => void go('agreements')} />
        ) : (
          <ErrorNotice error={precheck.error} onRetry={() => void precheck.reload()} />
        )
      ) : null}
      {!precheck.error && !preview ? <Loading text="正在计算借款方案…" /> : null}

      {preview && !preview.ok ? (
        <ErrorNotice
          error={{ code: preview.error.code, message: preview.error.message }}
          retryLabel="返回选择其他方案"
          onRetry={() => void go('products')}
        />
      ) : null}
      {preview?.ok ? <Summary request={request} offer={preview.offer} /> : null}

      {purposeRefused ? (
        <View className="kt-card" data-testid="purpose-warning">
          <Text className="kt-error">
            借款不得用于投资（股票、虚拟币等）。以「{purposeName}
            」为用途不能申请；提交只会白白产生一次征信查询，所以这里不能提交。请返回修改用途。
          </Text>
        </View>
      ) : null}

      {decision && !decision.eligible ? (
        <View data-testid="precheck-warning">
          <View className="kt-card">
            <Text className="kt-error">
              预审显示你暂不符合{productName}的开通条件。提交申请会产生一次征信查询，按目前情况很可能不能通过。
            </Text>
          </View>
          <ReasonList reasons={decision.reasons} />
        </View>
      ) : null}

      <View className="kt-card confirm-consent" data-testid="credit-consent">
        <Checkbox
          checked={apply.consented}
          disabled={apply.busy}
          onChange={(value: boolean) => apply.setConsented(value)}
          aria-label="征信查询授权"
        />
        <View className="confirm-consent-body">
          <View>
            <Text>征信查询授权（本次申请单独授权）</Text>
          </View>
          <Text className="kt-muted">
            本人授权放贷机构为审批本次{productName}借款申请（用途：{purposeName}
            ），向金融信用信息基础数据库查询本人的征信报告。
            本次查询会在征信报告中留下一条贷款审批查询记录（硬查询）。授权自确认起{CREDIT_CONSENT_MINUTES}
            分钟内有效，只能用于这一次查询。
          </Text>
        </View>
      </View>

      {apply.error ? (
        <View data-testid="apply-error">
          <ErrorNotice
            error={apply.error}
            retryLabel={apply.advice?.action?.label}
            onRetry={apply.advice?.action ? () => void apply.follow() : undefined}
          />
          {apply.advice?.hint ? (
            <View className="confirm-hint">
              <Text className="kt-muted">{apply.advice.hint}</Text>
            </View>
          ) : null}
        </View>
      ) : null}

      <Button
        type="primary"
        block
        disabled={!ready || !apply.consented || apply.busy || purposeRefused}
        loading={apply.busy}
        onClick={() => void apply.submit()}
        aria-label="确认借款"
      >
        确认借款
      </Button>
    </Page>
  )
}
