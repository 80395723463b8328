// 确认借款: a drawdown against the product's open line — the chosen offer priced on the device at
// the line's rate (a preview; the server's figures bind), what is available on the line, and that
// borrowing queries no credit report (the opening had its one inquiry); then the drawdown's
// contract (借款合同) with the same figures, and 同意并签署 applies. A line not open, frozen or
// too small says so, with the way on.
import type { LineView } from '../../../api'
import { fixedByAgreements } from '../../../api/errors'
import { useMemo } from 'react'
import { Text, View } from '@tarojs/components'
import { useRouter } from '@tarojs/taro'
import { AdviceError } from '../../../components/advice-error'
import { ContractReader } from '../../../components/contract-reader'
import { ErrorNotice } from '../../../components/error-notice'
import { FrozenNotice, ReviewNotice } from '../../../components/line-status'
import { Loading } from '../../../components/states'
import { COOLING_OFF_HOURS } from '../../../domain/agreements'
import { DEFAULT_RULE_SET } from '../../../domain/rule-set'
import { readApplyRequest, useApply, type ApplyRequest } from '../../../hooks/use-apply'
import { Page } from '../../../components/page'
import { Row } from '../../../components/row'
import { costFen, type Offer } from '../../../domain/pricing'
import { go, goTab } from '../../../services/nav'
import { openVerb } from '../../../ui/line-text'
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
import { isStanding } from '../../../domain/line'

function Summary({ request, offer, line }: { request: ApplyRequest; offer: Offer; line: LineView }) {
  const first = offer.schedule[0]
  return (
    <View className="kt-card" data-testid="summary">
      <Row label="产品" value={PRODUCT_NAMES[request.product]} />
      <Row label="借款金额" value={yuan(offer.amountFen)} className="confirm-amount" testId="summary-amount" />
      <Row label="可用额度" value={yuan(line.availableFen)} testId="summary-available" />
      {offer.amountFen <= line.availableFen ? (
        <Row label="借款后可用额度" value={yuan(line.availableFen - offer.amountFen)} testId="summary-after" />
      ) : null}
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
          以上按你的额度利率在本机试算，仅供确认。最终的利率、费用和还款计划以服务器的计算为准，批准后可在借款详情中查看。
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

/** A refused purpose blocks: the borrower changes it on the offer page. */
function PurposeWarning({ request }: { request: ApplyRequest }) {
  if (!refusedPurpose(request)) return null
  return (
    <View className="kt-card" data-testid="purpose-warning">
      <Text className="kt-error">
        借款不得用于投资（股票、虚拟币等）或购房。以「{PURPOSE_NAMES[request.purpose]}
        」为用途不能借款，所以这里不能提交。请返回修改用途。
      </Text>
    </View>
  )
}

/** Borrowing within an open line queries no credit report: said plainly, where the decision is made. */
function NoInquiry({ request }: { request: ApplyRequest }) {
  return (
    <View className="kt-card" data-testid="no-inquiry">
      <View>
        <Text className="confirm-strong">借款不再硬查询征信</Text>
      </View>
      <Text className="kt-muted">
        {`${openVerb(request.product)}${PRODUCT_NAMES[request.product]}时已经查询过一次征信；在可用额度内借款不再硬查询，也不需要再次授权（按借款合同的授权做贷后管理，只看信用报告，不计入贷款审批查询次数）。借款金额会占用额度，还款后恢复。`}
      </Text>
    </View>
  )
}

/** The line cannot be drawn on: not opened (or expired), frozen, or in review — and the way on. */
function LineBlock({ apply, request }: { apply: Apply; request: ApplyRequest }) {
  const { line } = apply
  const name = PRODUCT_NAMES[request.product]
  const verb = openVerb(request.product)
  if (line.notOpened || (line.line && !isStanding(line.line.state)))
    return (
      <View className="kt-card" data-testid="line-needed">
        <Text>
          {line.line?.state === 'expired'
            ? `你的${name}额度已到期：重新${verb}后才能借款。`
            : `尚未${verb}${name}：${verb}后才能借款。`}
        </Text>
        <View>
          <Text className="kt-muted">{`${verb}时查询一次征信；之后在可用额度内借款不再硬查询。`}</Text>
        </View>
        <Actions>
          <Action
            primary
            small
            label={`去${verb} ${name}`}
            onTap={() => void go('openLine', { product: request.product })}
          />
        </Actions>
      </View>
    )
  if (line.line?.state === 'frozen') return <FrozenNotice onLoans={() => void goTab('loans')} />
  if (line.line?.state === 'review') return <ReviewNotice line={line.line} />
  return null
}

/** Over what the line has available now: said before anything is sent. */
function OverAvailable({ request, line }: { request: ApplyRequest; line: LineView }) {
  if (line.state !== 'active' || request.amountFen <= line.availableFen) return null
  return (
    <View className="kt-card" role="alert" data-testid="over-available">
      <Text className="kt-error">
        {`借款金额 ${yuan(request.amountFen)} 超过可用额度 ${yuan(line.availableFen)}（已借未还的本金占用额度，还款后恢复）。请返回减少金额。`}
      </Text>
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
  const { query, preview } = apply
  const line = apply.line.line
  const drawable = line?.state === 'active' && request.amountFen <= line.availableFen
  const ready = preview?.ok === true && drawable
  return (
    <Page title="确认借款" subtitle="请核对借款方案。借款不再硬查询征信。">
      {query.error ? (
        fixedByAgreements(query.error) ? (
          <ErrorNotice error={query.error} retryLabel="去授权" onRetry={() => void go('agreements')} />
        ) : (
          <ErrorNotice error={query.error} onRetry={() => void query.reload()} />
        )
      ) : null}
      {!query.error && query.loading ? <Loading text="正在计算借款方案…" /> : null}
      {!query.loading ? <LineBlock apply={apply} request={request} /> : null}
      {preview && !preview.ok ? (
        <ErrorNotice
          error={{ code: preview.error.code, message: preview.error.message }}
          retryLabel="返回选择其他方案"
          onRetry={() => void go('products')}
        />
      ) : null}
      {preview?.ok && line?.state === 'active' ? (
        <>
          <Summary request={request} offer={preview.offer} line={line} />
          <OverAvailable request={request} line={line} />
          <NoInquiry request={request} />
        </>
      ) : null}
      <PurposeWarning request={request} />
      {apply.contract.reading ? (
        <Signing apply={apply} />
      ) : (
        <>
          <AdviceError
            error={apply.error}
            advice={apply.advice}
            onFollow={() => void apply.follow()}
            testId="apply-error"
          />
          <View className="confirm-next">
            <Text className="kt-muted">点“确认借款”后先阅读借款合同；点合同下方的“同意并签署”才会提交借款申请。</Text>
          </View>
          <Action
            primary
            label="确认借款"
            disabled={!ready || apply.busy || refusedPurpose(request)}
            loading={apply.busy}
            onTap={() => void apply.submit()}
          />
        </>
      )}
    </Page>
  )
}

/** After 确认借款: the drawdown's contract with these figures, and 同意并签署 — which applies. */
function Signing({ apply }: { apply: Apply }) {
  const c = apply.contract
  return (
    <View data-testid="apply-signing">
      {/* Only what a retry mends stays here (the rest goes back to the page, with its way). */}
      {c.error ? <ErrorNotice error={c.error} onRetry={() => void c.reload()} /> : null}
      {c.error && !c.preview ? null : (
        <ContractReader
          contract={c.preview}
          loading={c.loading}
          busy={apply.busy}
          notice={c.notice}
          onSign={(sha256) => void apply.sign(sha256)}
          signNote={`签署后立即提交借款申请（不查询征信）；放款后${COOLING_OFF_HOURS}小时冷静期内仍可无理由取消借款。`}
        />
      )}
      <AdviceError
        error={apply.error}
        advice={apply.advice}
        onFollow={() => void apply.follow()}
        testId="apply-error"
      />
      <Actions>
        <Action label="返回修改" disabled={apply.busy} onTap={apply.back} />
      </Actions>
    </View>
  )
}
