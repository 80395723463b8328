// 借款详情: the loan as the server sees it — summary, next payment, the repayment plan, the
// 冷静期 countdown with 取消借款, repayment (what is due now, or everything to the day), overdue
// charges and how they are computed, what a closed loan paid, its receipts (电子凭证) and its
// contract (借款合同).
import { Text, View } from '@tarojs/components'
import type { LoanView, PaymentView } from '../../../api'
import type { PrepayChoice } from '../../../domain/prepay'
import { RepayAny } from './repay-any'
import { AutoDebitCard } from './auto-debit'
import { CoolingOff } from '../../../components/cooling-off'
import { ErrorNotice } from '../../../components/error-notice'
import { LoanPage } from '../../../components/loan-page'
import { ReasonList } from '../../../components/reason-list'
import { RepaymentPlan } from '../../../components/repayment-plan'
import { SubscribePrompt } from '../../../components/subscribe-prompt'
import { endedAfterPayout } from '../../../domain/loan'
import { inCoolingOff, nextLine, overdueRuleText, reasonsOf, useLoan } from '../../../hooks/use-loan'
import { useSubscribe } from '../../../hooks/use-subscribe'
import { go } from '../../../services/nav'
import {
  LOAN_STATE_NAMES,
  MODE_NAMES,
  PRODUCT_NAMES,
  apr,
  civilDate,
  dailyRate,
  dateTime,
  termText,
  yuan,
} from '../../../ui/format'
import { Row } from '../../../components/row'
import { Action, Actions } from '../../../components/action'
import './index.scss'

function Summary({ loan }: { loan: LoanView }) {
  return (
    <View className="kt-card" data-testid="loan-summary">
      <View className="kt-row">
        <Text className="detail-product">{PRODUCT_NAMES[loan.product] ?? loan.product}</Text>
        <Text className={`detail-state detail-state-${loan.state}`} data-testid="loan-state">
          {LOAN_STATE_NAMES[loan.state] ?? loan.state}
        </Text>
      </View>
      <Row label="借款金额" value={yuan(loan.amountFen)} className="detail-amount" testId="loan-amount" />
      <Row label="还款方式" value={MODE_NAMES[loan.mode] ?? loan.mode} />
      <Row label="期限" value={termText(loan)} />
      <Row label="年化利率" value={apr(loan.aprPercent)} className="kt-rate" testId="loan-apr" />
      {loan.mode === 'fee-installment' ? null : (
        <Row label="日利率" value={dailyRate(loan.dailyRatePercent)} className="kt-rate" testId="loan-daily-rate" />
      )}
      {loan.disbursedAt !== null ? <Row label="放款时间" value={dateTime(loan.disbursedAt)} /> : null}
    </View>
  )
}

function NextPayment({ loan }: { loan: LoanView }) {
  const line = nextLine(loan)
  // Overdue: what is due now (with its charges) is in the overdue card; one figure, not two.
  if (!line || !loan.due || loan.state === 'overdue' || loan.due.overdueFen > 0) return null
  return (
    <View className="kt-card" data-testid="next-payment">
      <View>
        <Text>下期还款</Text>
      </View>
      <Row label="还款日" value={civilDate(line.dueDate)} />
      <Row label={`第${line.n}期应还`} value={yuan(line.totalFen)} className="detail-strong" />
    </View>
  )
}

function Overdue({ loan }: { loan: LoanView }) {
  if (!loan.due || (loan.state !== 'overdue' && loan.due.overdueFen === 0)) return null
  return (
    <View className="kt-card" data-testid="overdue">
      <Text className="kt-error">已逾期</Text>
      <Row label="逾期费用（截至今天）" value={yuan(loan.due.overdueFen)} className="kt-error" />
      <Row label="现应还（含逾期费用）" value={yuan(loan.due.dueNowFen)} className="detail-strong" />
      <Text className="kt-muted">{overdueRuleText(loan)}请尽快还款，逾期会影响征信记录。</Text>
    </View>
  )
}

function Repay({
  loan,
  busy,
  paying,
  onRepay,
}: {
  loan: LoanView
  busy: boolean
  /** Which amount is being paid, for its button's spinner. */
  paying: number | null
  onRepay: (amountFen: number, prepay?: PrepayChoice) => void
}) {
  const due = loan.due
  if (!due) return null
  const sameAmount = due.dueNowFen === due.payoffFen
  return (
    <View className="kt-card" data-testid="repay">
      <View>
        <Text>还款</Text>
      </View>
      {sameAmount ? null : (
        <Actions>
          <Action
            primary
            label={`还本期，${yuan(due.dueNowFen)}`}
            disabled={busy}
            loading={paying === due.dueNowFen}
            onTap={() => onRepay(due.dueNowFen)}
          >
            还本期 {yuan(due.dueNowFen)}
          </Action>
        </Actions>
      )}
      <Actions>
        <Action
          primary={sameAmount}
          label={`全部还清，${yuan(due.payoffFen)}`}
          disabled={busy}
          loading={paying === due.payoffFen}
          onTap={() => onRepay(due.payoffFen)}
        >
          全部还清 {yuan(due.payoffFen)}
        </Action>
      </Actions>
      {inCoolingOff(loan) ? (
        <Actions testId="cancel-cheaper">
          <Text className="kt-ok">
            冷静期内取消借款只需退回本金 {yuan(loan.amountFen)}
            ，不收利息和任何费用；全部还清则按上面的金额收取。
          </Text>
        </Actions>
      ) : null}
      <RepayAny loan={loan} busy={busy} onRepay={onRepay} />
      <Actions>
        <Text className="kt-muted">
          {loan.state === 'overdue' || due.overdueFen > 0
            ? '全部还清：利息按实际天数计算到今天（北京时间），逾期费用一并结清。'
            : '全部还清即提前还款：利息（或分期手续费）按实际天数计算到今天（北京时间），不收提前还款违约金；已产生的取现手续费（如有）一并结清。'}
          任意金额依次还逾期费用、费用、利息、本金（先还最早的一期）。通过微信支付付款，微信支付确认到账后借款才会更新。
        </Text>
      </Actions>
    </View>
  )
}

const PAYMENT_TEXT: Record<PaymentView['state'], string> = {
  pending: '等待付款确认：以微信支付的结果为准，到账后借款自动更新。',
  paid: '已到账，借款已更新。',
  failed: '付款未成功，借款没有变化。',
  expired: '付款已超时关闭，借款没有变化。',
  refunded: '这笔款项已原路退回。',
}

/** The payment opened last: what the server (asking WeChat Pay) says of it. */
function PaymentStatus({
  payment,
  sheet,
  confirming,
  onRefresh,
}: {
  payment: PaymentView
  sheet: 'paid' | 'failed' | 'cancelled' | null
  confirming: boolean
  onRefresh: () => void
}) {
  const what = payment.purpose === 'coolingOff' ? '冷静期退还本金' : '还款'
  const text =
    payment.state === 'pending' && sheet === 'cancelled'
      ? '已取消付款，借款没有变化；可以重新还款。'
      : PAYMENT_TEXT[payment.state]
  return (
    <View className="kt-card" data-testid="payment-status" data-state={payment.state} aria-live="polite">
      <Row label={what} value={yuan(payment.amountFen)} className="detail-strong" />
      <Text className={payment.state === 'paid' ? 'kt-ok' : 'kt-muted'}>
        {confirming ? '正在向微信支付确认…' : text}
      </Text>
      {payment.refundedFen > 0 && payment.state !== 'refunded' ? (
        <Text className="kt-muted">{`其中 ${yuan(payment.refundedFen)} 超出应还，已原路退回。`}</Text>
      ) : null}
      {payment.state === 'pending' && !confirming ? (
        <Actions>
          <Action label="刷新付款状态" onTap={onRefresh} />
        </Actions>
      ) : null}
    </View>
  )
}

function Closed({ loan }: { loan: LoanView }) {
  const p = loan.paid
  const total = p.principalFen + p.interestFen + p.feeFen + p.overdueFen
  return (
    <View className="kt-card" data-testid="loan-closed">
      <Text>
        {loan.state === 'cancelled' ? '已在冷静期内取消：已退回本金，未收利息和任何费用。' : '已结清，感谢按时还款。'}
      </Text>
      {loan.closedAt !== null ? <Row label="结束时间" value={dateTime(loan.closedAt)} /> : null}
      <Row label="本金" value={yuan(p.principalFen)} />
      <Row label="利息" value={yuan(p.interestFen)} />
      <Row label="费用" value={yuan(p.feeFen)} />
      <Row label="罚息" value={yuan(p.overdueFen)} />
      <Row label="共支付" value={yuan(total)} className="detail-strong" testId="paid-total" />
    </View>
  )
}

/**
 * The loan's plan, in the same two-line form as the offer builder's, with what is repaid marked.
 * A settled loan shows the original plan without marks: an early payoff paid less than its lines
 * (what was paid is in the closed card and the receipts).
 */
function Schedule({ loan }: { loan: LoanView }) {
  const settled = loan.state === 'settled'
  const lines = settled ? loan.schedule.map(({ paid: _paid, ...line }) => line) : loan.schedule
  return (
    <View className="kt-card" data-testid="schedule">
      <View>
        <Text>{settled ? '原还款计划（已结清，仅供对照）' : '还款计划'}</Text>
      </View>
      <RepaymentPlan lines={lines} />
      <Text className="kt-muted">
        {settled
          ? '实际支付见上方“共支付”和电子凭证；提前还清时利息按实际天数计算。'
          : '日期为北京时间的还款日。提前还清时，未到期的利息按实际天数重新计算。'}
      </Text>
    </View>
  )
}

function LoanDetail({
  loan,
  busy,
  paying,
  error,
  repaid,
  payment,
  confirming,
  onCancel,
  onRepay,
  onRetry,
  onRefreshPayment,
}: {
  loan: LoanView
  busy: boolean
  paying: number | null
  error: ReturnType<typeof useLoan>['error']
  repaid: boolean
  payment: ReturnType<typeof useLoan>['payment']
  confirming: boolean
  onCancel: () => void
  onRepay: (amountFen: number, prepay?: PrepayChoice) => void
  onRetry: () => void
  onRefreshPayment: () => void
}) {
  const subscribe = useSubscribe()
  // Ended after money went out (a payout that never landed moved none).
  const closed = endedAfterPayout(loan.state) && loan.disbursedAt !== null
  return (
    <View>
      {/* Every section that comes and goes (a cancel, a repayment) sits in a slot of its own, always
          there: Taro re-sends every child of a node whose children change, so a parent's list of
          children never changes here — only what a slot holds. */}
      <View>
        <Summary loan={loan} />
        <View>
          {loan.state === 'disbursed' && loan.coolingOffEndsAt !== null ? (
            <CoolingOff endsAt={loan.coolingOffEndsAt} serverTime={loan.serverTime} busy={busy} onCancel={onCancel} />
          ) : null}
        </View>
        <View>
          {payment ? (
            <PaymentStatus
              payment={payment.view}
              sheet={payment.sheet}
              confirming={confirming}
              onRefresh={onRefreshPayment}
            />
          ) : null}
        </View>
        <View>
          {error ? (
            <View data-testid="action-error">
              <ErrorNotice
                error={error}
                onRetry={error.code === 'NETWORK_ERROR' || error.code === 'INTERNAL' ? onRetry : undefined}
              />
            </View>
          ) : null}
        </View>
        <View>
          {repaid && !closed && subscribe.available ? (
            <SubscribePrompt
              context="repaid"
              busy={subscribe.busy}
              outcome={subscribe.outcome}
              onAsk={() => void subscribe.ask()}
            />
          ) : null}
        </View>
        <View>
          {loan.state === 'disbursing' ? (
            <View className="kt-card" data-testid="disbursing" aria-live="polite">
              <Text>放款中：正在打款到你绑定的银行卡。</Text>
              <View>
                <Text className="kt-muted">
                  到账后借款才开始计息，24 小时冷静期从到账时开始计算；如果放款未成功，借款会自动取消，不产生任何费用。
                </Text>
              </View>
            </View>
          ) : null}
          {loan.state === 'cancelled' && loan.reasons.includes('PAYOUT_FAILED') ? (
            <View className="kt-card" data-testid="payout-failed">
              <Text className="kt-error">放款未成功，借款已取消。</Text>
              <View>
                <Text className="kt-muted">
                  银行卡未能收到这笔借款；没有产生任何利息和费用，额度已恢复。请检查银行卡后重新借款。
                </Text>
              </View>
            </View>
          ) : null}
        </View>
        <View>
          <Overdue loan={loan} />
        </View>
        <View>
          <NextPayment loan={loan} />
        </View>
        <View>
          <AutoDebitCard key={`${loan.paid.principalFen}:${loan.paid.interestFen}`} loan={loan} />
        </View>
        <View>
          <Repay loan={loan} busy={busy} paying={paying} onRepay={onRepay} />
        </View>
        <View>
          {closed ? <Closed loan={loan} /> : null}
          {loan.state === 'refused' ? <ReasonList reasons={reasonsOf(loan.reasons)} /> : null}
          {loan.state === 'review' ? (
            <View className="kt-card">
              <Text className="kt-muted">人工审核中：审核期间不放款、不计息。</Text>
            </View>
          ) : null}
        </View>
      </View>
      <View>{loan.state === 'refused' || loan.state === 'cancelled' ? null : <Schedule loan={loan} />}</View>
      <Actions>
        <Action label="电子凭证" onTap={() => void go('receipts', { loanId: loan.id })} />
      </Actions>
      <Actions>
        <Action label="借款合同" onTap={() => void go('contracts', { loanId: loan.id })}>
          借款合同（查看、下载 PDF）
        </Action>
      </Actions>
    </View>
  )
}

export default function LoanDetailPage() {
  const state = useLoan()

  return (
    <LoanPage title="借款详情" of={state} loadingText="正在加载借款…" notFoundText="没有找到这笔借款。">
      {(loan) => (
        <LoanDetail
          loan={loan}
          busy={state.busy}
          paying={state.paying}
          error={state.error}
          repaid={state.repaid}
          payment={state.payment}
          confirming={state.confirming}
          onCancel={() => void state.cancel()}
          onRepay={(amountFen, prepay) => void state.repay(amountFen, prepay)}
          onRetry={() => void state.retry()}
          onRefreshPayment={() => void state.refreshPayment()}
        />
      )}
    </LoanPage>
  )
}
