// 确认借款: the chosen offer priced on the device (a preview; the server's figures bind), the
// per-query credit consent (征信查询授权) unticked until the user ticks it, then consent → apply.
import { fixedByAgreements } from '../../../api'
import { useMemo } from 'react'
import { Checkbox } from '@nutui/nutui-react-taro'
import { Text, View } from '@tarojs/components'
import { useRouter } from '@tarojs/taro'
import { ErrorNotice } from '../../../components/error-notice'
import { ReasonList } from '../../../components/reason-list'
import { Loading } from '../../../components/states'
import { CREDIT_CONSENT_MINUTES } from '../../../domain/agreements'
import { DEFAULT_RULE_SET } from '../../../domain/rule-set'
import { readApplyRequest, useApply, type ApplyRequest } from '../../../hooks/use-apply'
import { Page } from '../../../components/page'
import { Row } from '../../../components/row'
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
import { Action, Actions } from '../../../components/action'
import './index.scss'

function Summary({ request, offer }: { request: ApplyRequest; offer: Offer }) {
  const first = offer.schedule[0]
  return (
    <View className="kt-card" data-testid="summary">
      <Row label="产品" value={PRODUCT_NAMES[request.product]} />
      <Row label="借款金额" value={yuan(offer.amountFen)} className="confirm-amount" testId="summary-amount" />
      <Row label="期限" value={termText(offer.term)} />
      <Row label="还款方式" value={MODE_NAMES[offer.mode]} />
      <Row label="借款用途" value={PURPOSE_NAMES[request.purpose]} />
      <Row
        label={offer.aprMethod === 'irr' ? '年化利率(IRR)' : '年化利率'}
        value={apr(offer.aprPercent)}
        className="kt-rate"
        testId="summary-apr"
      />
      {offer.mode === 'fee-installment' ? (
        <Row label="分期手续费" value={`每月 ${percent(offer.monthlyFeePercent)}`} className="kt-rate" />
      ) : (
        <Row label="日利率" value={dailyRate(offer.dailyRatePercent)} className="kt-rate" />
      )}
      <Row label="利息" value={yuan(offer.totalInterestFen)} />
      <Row label="费用" value={yuan(offer.totalFeesFen)} />
      <Row label="总成本（利息+费用）" value={yuan(costFen(offer))} testId="summary-cost" />
      <Row label="应还总额" value={yuan(offer.totalRepayFen)} />
      {first ? (
        <Row label="首次还款" value={`${civilDate(first.dueDate)} ${yuan(first.totalFen)}`} testId="summary-first" />
      ) : null}
      <View className="confirm-note">
        <Text className="kt-muted">
          以上按你当前的利率在本机试算，仅供确认。最终的利率、费用和还款计划以审批时服务器的计算为准，批准后可在借款详情中查看。
        </Text>
      </View>
    </View>
  )
}

function BadRequest() {
  return (
    <Page title="确认借款">
      <View className="kt-card" role="alert" data-testid="bad-request">
        <Text className="kt-error">借款方案不完整（缺少金额、期限、还款方式或用途），请重新选择。</Text>
        <Actions>
          <Action small label="重新选择产品" onTap={() => void go('products')} />
        </Actions>
      </View>
    </Page>
  )
}

/** Why applying now would only cost an inquiry: a refused purpose (blocks), or a pre-check that says no. */
function Warnings({ apply, request }: { apply: Apply; request: ApplyRequest }) {
  const decision = apply.decision
  return (
    <>
      {refusedPurpose(request) ? (
        <View className="kt-card" data-testid="purpose-warning">
          <Text className="kt-error">
            借款不得用于投资（股票、虚拟币等）或购房。以「{PURPOSE_NAMES[request.purpose]}
            」为用途不能申请；提交只会白白产生一次征信查询，所以这里不能提交。请返回修改用途。
          </Text>
        </View>
      ) : null}
      {decision && !decision.eligible ? (
        <View data-testid="precheck-warning">
          <View className="kt-card">
            <Text className="kt-error">
              预审显示你暂不符合{PRODUCT_NAMES[request.product]}
              的开通条件。提交申请会产生一次征信查询，按目前情况很可能不能通过。
            </Text>
          </View>
          <ReasonList reasons={decision.reasons} />
        </View>
      ) : null}
    </>
  )
}

/** The per-query credit consent: its own tick, unticked until the person ticks it. */
function CreditConsent({ apply, request }: { apply: Apply; request: ApplyRequest }) {
  return (
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
          本人授权放贷机构为审批本次{PRODUCT_NAMES[request.product]}借款申请（用途：{PURPOSE_NAMES[request.purpose]}
          ），向金融信用信息基础数据库查询本人的征信报告。
          本次查询会在征信报告中留下一条贷款审批查询记录（硬查询）。授权自确认起{CREDIT_CONSENT_MINUTES}
          分钟内有效，只能用于这一次查询。
        </Text>
      </View>
    </View>
  )
}

function ApplyError({ apply }: { apply: Apply }) {
  if (!apply.error) return null
  return (
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
  )
}

type Apply = ReturnType<typeof useApply>
const refusedPurpose = (request: ApplyRequest) => DEFAULT_RULE_SET.risk.refusedPurposes.includes(request.purpose)

export default function Confirm() {
  const router = useRouter()
  const request = useMemo(() => readApplyRequest(router.params), [router.params])
  const apply = useApply(request)
  if (!request) return <BadRequest />
  const { precheck, preview } = apply
  const ready = preview?.ok === true
  return (
    <Page title="确认借款" subtitle="请核对借款方案，并单独授权本次征信查询。">
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
      <Warnings apply={apply} request={request} />
      <CreditConsent apply={apply} request={request} />
      <ApplyError apply={apply} />
      <Action
        primary
        label="确认借款"
        disabled={!ready || !apply.consented || apply.busy || refusedPurpose(request)}
        loading={apply.busy}
        onTap={() => void apply.submit()}
      />
    </Page>
  )
}
