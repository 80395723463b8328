// 电子凭证: every signed receipt a loan operation left (apply, approve, disburse, cancel, repay…),
// with its breakdown, and a check of its signature on the server.
import { Text, View } from '@tarojs/components'
import { useRouter } from '@tarojs/taro'
import type { ReceiptView } from '../../../api'
import { QueryView } from '../../../components/states'
import { Page } from '../../../components/page'
import { RECEIPT_KIND_NAMES, useReceipts, type ReceiptCheck } from '../../../hooks/use-loan'
import { dateTime, yuan } from '../../../ui/format'
import { Action } from '../../../components/action'
import './index.scss'

const BREAKDOWN = [
  ['本金', 'principalFen'],
  ['利息', 'interestFen'],
  ['费用', 'feeFen'],
  ['罚息', 'overdueFen'],
] as const

function CheckResult({ check }: { check: ReceiptCheck | undefined }) {
  if (!check || check.state === 'checking') return null
  if (check.state === 'valid') return <Text className="kt-ok">有效：签名与内容一致</Text>
  if (check.state === 'invalid') return <Text className="kt-error">无效：内容与签名不符，请联系客服</Text>
  return <Text className="kt-error">{check.error.message}</Text>
}

function Receipt({
  receipt,
  check,
  onVerify,
}: {
  receipt: ReceiptView
  check: ReceiptCheck | undefined
  onVerify: () => void
}) {
  // Money by automatic debit (or back to the card) says so beside its kind.
  const kind = `${RECEIPT_KIND_NAMES[receipt.kind] ?? receipt.kind}${receipt.channel === 'cardDebit' ? '（自动扣款）' : ''}`
  const checking = check?.state === 'checking'
  return (
    <View className="kt-card" data-testid="receipt" data-receipt-id={receipt.id}>
      <View className="kt-row">
        <Text className="receipt-kind">{kind}</Text>
        <Text className="receipt-amount">{yuan(receipt.amountFen)}</Text>
      </View>
      <View className="receipt-breakdown">
        {BREAKDOWN.map(([label, key]) => (
          <Text key={key} className="kt-muted receipt-part">
            {label} {yuan(receipt.breakdown[key])}
          </Text>
        ))}
      </View>
      <View>
        <Text className="kt-muted">时间 {dateTime(receipt.at)}（北京时间）</Text>
      </View>
      <View>
        <Text className="kt-muted receipt-id">凭证编号 {receipt.id}</Text>
      </View>
      <View className="kt-row">
        <View data-testid="receipt-check" role="status">
          <CheckResult check={check} />
        </View>
        <Action small label={`验证凭证 ${receipt.id}`} disabled={checking} loading={checking} onTap={onVerify}>
          验证
        </Action>
      </View>
    </View>
  )
}

export default function Receipts() {
  const router = useRouter()
  const loanId = router.params.loanId || undefined
  const { query, checks, verify } = useReceipts(loanId)

  return (
    <Page
      title="电子凭证"
      subtitle="每一次申请、批准、放款、取消和还款都留有一张带签名的凭证；点「验证」由服务器核对签名。"
    >
      <QueryView
        query={query}
        loadingText="正在加载凭证…"
        empty={(receipts) => (receipts.length === 0 ? '还没有电子凭证。' : null)}
      >
        {(receipts) => (
          <View data-testid="receipts">
            {receipts.map((r) => (
              <Receipt key={r.id} receipt={r} check={checks[r.id]} onVerify={() => void verify(r)} />
            ))}
          </View>
        )}
      </QueryView>
    </Page>
  )
}
