// 审批结果: approved (with the 冷静期 and the reminder subscription), refused (each reason with
// its fix, and the way to the whole explanation and a person's review), sent to manual review,
// or approved but held until face verification is done again.
import { Text, View } from '@tarojs/components'
import type { LoanView } from '../../../api'
import { ErrorNotice } from '../../../components/error-notice'
import { ExplainLink } from '../../../components/explain-link'
import { LoanPage } from '../../../components/loan-page'
import { ReasonList } from '../../../components/reason-list'
import { COOLING_OFF_HOURS } from '../../../domain/agreements'
import { SubscribePrompt } from '../../../components/subscribe-prompt'
import { DEFAULT_RULE_SET } from '../../../domain/rule-set'
import { isOpen, reasonsOf, useDecision } from '../../../hooks/use-loan'
import { useSubscribe } from '../../../hooks/use-subscribe'
import { go, goTab } from '../../../services/nav'
import {
  LOAN_STATE_NAMES,
  PRODUCT_NAMES,
  apr,
  civilDate,
  dailyRate,
  dateTime,
  termText,
  yuan,
  yuanShort,
} from '../../../ui/format'
import { Row } from '../../../components/row'
import { Action, Actions } from '../../../components/action'
import './index.scss'

function Terms({ loan }: { loan: LoanView }) {
  const first = loan.schedule[0]
  return (
    <View className="kt-card" data-testid="decision-terms">
      <Row
        label={PRODUCT_NAMES[loan.product] ?? loan.product}
        value={yuan(loan.amountFen)}
        className="decision-amount"
      />
      <Row label="年化利率" value={apr(loan.aprPercent)} className="kt-rate" />
      <Row label="日利率" value={dailyRate(loan.dailyRatePercent)} className="kt-rate" />
      <Row label="期限" value={termText(loan)} />
      {first ? (
        <View className="kt-row" data-testid="first-due">
          <Text className="kt-muted">首次还款</Text>
          <Text>
            {civilDate(first.dueDate)} {yuan(first.totalFen)}
          </Text>
        </View>
      ) : null}
    </View>
  )
}

function Approved({ loan }: { loan: LoanView }) {
  const subscribe = useSubscribe()
  return (
    <View data-testid="decision-approved">
      <View className="kt-card">
        <Text className="decision-verdict decision-ok">
          {loan.state === 'disbursing' ? '借款已批准，正在打款到你的银行卡' : '借款已批准，款项已发放'}
        </Text>
      </View>
      <Terms loan={loan} />
      {loan.coolingOffEndsAt !== null && loan.state === 'disbursed' ? (
        <View className="kt-card" data-testid="cooling-off-end">
          <View>
            <Text>冷静期：{COOLING_OFF_HOURS}小时内可无理由取消</Text>
          </View>
          <Text className="kt-muted">
            {dateTime(loan.coolingOffEndsAt)}（北京时间）前可在借款详情中取消借款：退回本金，不收利息和任何费用。
          </Text>
        </View>
      ) : null}
      <Action primary label="查看借款" onTap={() => void go('loan', { loanId: loan.id })} />
      {subscribe.available ? (
        <Actions>
          <SubscribePrompt
            context="approved"
            busy={subscribe.busy}
            outcome={subscribe.outcome}
            onAsk={() => void subscribe.ask()}
          />
        </Actions>
      ) : null}
    </View>
  )
}

function Refused({ loan }: { loan: LoanView }) {
  return (
    <View data-testid="decision-refused">
      <View className="kt-card">
        <Text className="decision-verdict decision-no">很抱歉，本次借款未通过</Text>
        <View>
          <Text className="kt-muted">
            以下是原因和改进方法。本次借款没有查询征信，没有放款，不占用额度，也不收任何费用。
          </Text>
        </View>
      </View>
      <ReasonList reasons={reasonsOf(loan.reasons)} />
      <ExplainLink onTap={() => void go('explain', { product: loan.product })} />
      <Actions>
        <Action label="查看帮助：开通失败常见原因" onTap={() => void go('help')} />
      </Actions>
    </View>
  )
}

function Review() {
  return (
    <View className="kt-card" data-testid="decision-review">
      <Text className="decision-verdict">已转人工审核</Text>
      <View>
        <Text className="kt-muted">
          这笔借款需要人工审核（单笔超过{yuanShort(DEFAULT_RULE_SET.risk.manualReviewOverFen)}
          的借款都要人工审核），这不是拒绝。审核期间不放款、不计息；审核有结果后，「我的借款」中的状态会更新。
        </Text>
      </View>
      <Actions>
        <Action label="查看我的借款" onTap={() => void goTab('loans')} />
      </Actions>
    </View>
  )
}

function Held({ loan, drawing, onDrawdown }: { loan: LoanView; drawing: boolean; onDrawdown: () => void }) {
  return (
    <View data-testid="decision-held">
      <View className="kt-card">
        <Text className="decision-verdict decision-ok">借款已批准，待放款</Text>
        <View>
          <Text className="kt-muted">
            检测到新设备或异地登录。为保护你的资金安全，放款前请再次完成人脸核身；完成后回到本页申请放款。
          </Text>
        </View>
      </View>
      <Terms loan={loan} />
      <Action primary label="去人脸核身" onTap={() => void go('face', { loanId: loan.id })} />
      <Actions>
        <Action label="已完成人脸核身，申请放款" disabled={drawing} loading={drawing} onTap={onDrawdown} />
      </Actions>
    </View>
  )
}

export default function Decision() {
  const decision = useDecision()

  return (
    <LoanPage title="审批结果" of={decision} loadingText="正在查询审批结果…" notFoundText="没有找到这笔申请。">
      {(loan) =>
        loan.state === 'refused' ? (
          <Refused loan={loan} />
        ) : loan.state === 'review' || loan.state === 'applied' ? (
          <Review />
        ) : loan.state === 'approved' ? (
          <View>
            <Held loan={loan} drawing={decision.drawing} onDrawdown={() => void decision.drawdown()} />
            {decision.drawdownError ? (
              decision.drawdownError.code === 'FACE_REQUIRED' ? (
                <ErrorNotice
                  error={decision.drawdownError}
                  retryLabel="去人脸核身"
                  onRetry={() => void go('face', { loanId: loan.id })}
                />
              ) : (
                <ErrorNotice error={decision.drawdownError} onRetry={() => void decision.drawdown()} />
              )
            ) : null}
          </View>
        ) : isOpen(loan) || loan.state === 'disbursing' ? (
          <Approved loan={loan} />
        ) : (
          <View className="kt-card" data-testid="decision-closed">
            <Text>该借款{LOAN_STATE_NAMES[loan.state] ?? loan.state}。</Text>
            <Actions>
              <Action label="查看借款" onTap={() => void go('loan', { loanId: loan.id })} />
            </Actions>
          </View>
        )
      }
    </LoanPage>
  )
}
