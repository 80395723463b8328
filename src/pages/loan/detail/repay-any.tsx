// 其他金额: repay any amount, with a live preview of where it goes — overdue charges, fees,
// interest, principal — and, beyond what is due, the borrower's choice of a shorter plan or
// smaller installments. The preview is the server's own allocation, as of now.
import { useState } from 'react'
import { PlainInput } from '../../../components/plain-input'
import { Text, View } from '@tarojs/components'
import type { LoanView } from '../../../api'
import { parseYuan } from '../../../domain/money'
import type { PrepayChoice } from '../../../domain/prepay'
import { useRepaymentPreview } from '../../../hooks/use-loan'
import { yuan } from '../../../ui/format'
import { Action, Actions } from '../../../components/action'
import { ChoiceChips } from '../../../components/choice-chips'
import { Row } from '../../../components/row'
// The same look as every other labelled input.
import '../../../components/form-field/index.scss'

const PREPAY_CHOICES: Array<{ value: PrepayChoice; label: string; ariaLabel: string }> = [
  { value: 'reduce', label: '减少每期还款', ariaLabel: '多还的本金：期数不变，减少每期还款' },
  { value: 'shorten', label: '缩短期限', ariaLabel: '多还的本金：每期还款不变，缩短期限' },
]

export function RepayAny({
  loan,
  busy,
  onRepay,
}: {
  loan: LoanView
  busy: boolean
  onRepay: (amountFen: number, prepay?: PrepayChoice) => void
}) {
  const [text, setText] = useState('')
  const [prepay, setPrepay] = useState<PrepayChoice>('reduce')
  const due = loan.due
  const fen = parseYuan(text)
  const valid = fen !== null && fen > 0 && due !== null && fen <= due.payoffFen
  const beyond = valid && due !== null && fen > due.dueNowFen && fen < due.payoffFen
  const preview = useRepaymentPreview(loan.id, fen ?? 0, beyond ? prepay : undefined, valid)
  if (!due) return null
  const problem =
    text.trim() === ''
      ? null
      : fen === null || fen <= 0
        ? '请输入金额，如 100 或 100.50（元）。'
        : fen > due.payoffFen
          ? `最多需还 ${yuan(due.payoffFen)}（全部还清）。`
          : null
  const p = valid ? preview.data : null
  return (
    <View data-testid="repay-any">
      <View className="kt-field">
        <Text className="kt-field-label">其他金额（元）</Text>
        <View className="kt-field-input">
          <PlainInput
            name="repay-amount"
            type="digit"
            maxLength={12}
            value={text}
            placeholder="输入还款金额"
            onChange={setText}
            aria-label="其他金额（元）"
          />
        </View>
      </View>
      {problem ? (
        <View role="alert" data-testid="repay-any-problem">
          <Text className="kt-error">{problem}</Text>
        </View>
      ) : null}
      {beyond ? (
        <ChoiceChips
          title="超出本期应还的部分提前还本金（本期利息按天重算，省下的利息也还本金），之后："
          choices={PREPAY_CHOICES}
          value={prepay}
          onChange={setPrepay}
          testId="prepay-choice"
        />
      ) : null}
      {p ? (
        <View data-testid="repay-preview" aria-live="polite">
          <Text className="kt-muted">这笔还款将依次用于：</Text>
          {p.paid.overdueFen > 0 ? <Row label="逾期费用" value={yuan(p.paid.overdueFen)} /> : null}
          {p.paid.feeFen > 0 ? <Row label="费用" value={yuan(p.paid.feeFen)} /> : null}
          <Row label="利息" value={yuan(p.paid.interestFen)} />
          <Row label="本金" value={yuan(p.paid.principalFen)} />
          {p.prepaidFen > 0 ? (
            <Text className="kt-muted" data-testid="repay-preview-plan">
              其中提前还本金 {yuan(p.prepaidFen)}；之后共 {p.after.schedule.filter((l) => !l.paid).length} 期，下期应还{' '}
              {yuan(p.after.schedule.find((l) => !l.paid)?.totalFen ?? 0)}。
            </Text>
          ) : null}
          {p.settles ? <Text className="kt-ok">这笔还款将结清借款。</Text> : null}
        </View>
      ) : null}
      <Actions>
        <Action
          label={valid ? `还款 ${yuan(fen!)}` : '还其他金额'}
          disabled={busy || !valid}
          onTap={() => valid && onRepay(fen!, beyond ? prepay : undefined)}
        />
      </Actions>
    </View>
  )
}
