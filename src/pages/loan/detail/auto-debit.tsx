// 自动扣款 on the loan page: whether the due day's debit will run and from which card, what the
// last attempt did, and the way to the switch (the line page). Neutral either way: turning it on
// is the borrower's own choice, never pressed on them.
import { Text, View } from '@tarojs/components'
import type { LoanView } from '../../../api'
import { Action, Actions } from '../../../components/action'
import { Row } from '../../../components/row'
import { inRepayment } from '../../../domain/loan'
import { useCloudQuery, useReloadOnShow } from '../../../hooks/use-cloud'
import { useLine } from '../../../hooks/use-line'
import { go } from '../../../services/nav'
import { dateTime, yuan } from '../../../ui/format'
import { autoDebitWhen, debitOutcomeText } from '../../../ui/line-text'

export function AutoDebitCard({ loan }: { loan: LoanView }) {
  const open = inRepayment(loan.state)
  const line = useLine(open ? loan.product : null)
  // Read again whenever the loan's figures change (a debit taken moves them).
  const payments = useCloudQuery('payments', 'list', { loanId: loan.id }, open)
  useReloadOnShow(payments.reload)
  if (!open || !line.known) return null
  const mandate = line.line?.autoDebit ?? null
  const last = payments.data?.find((p) => p.channel === 'cardDebit') ?? null
  return (
    <View className="kt-card" data-testid="auto-debit" data-on={mandate ? 'on' : 'off'}>
      <Row label="自动扣款" value={mandate ? `已开启 · 尾号${mandate.last4}` : '未开启'} />
      <View>
        <Text className="kt-muted">
          {mandate ? autoDebitWhen : '还款日前请在这里自己还款；也可以在额度页开启自动扣款。'}
        </Text>
      </View>
      {last ? (
        <View data-testid="last-debit" data-state={last.state}>
          <Text className={last.state === 'failed' ? 'kt-error' : 'kt-muted'}>
            {`最近一次自动扣款：${dateTime(last.createdAt)}，${yuan(last.amountFen)}，${debitOutcomeText(last)}`}
          </Text>
        </View>
      ) : null}
      <Actions>
        <Action small label="管理自动扣款" onTap={() => void go('line', { product: loan.product })} />
      </Actions>
    </View>
  )
}
