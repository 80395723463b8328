// 账务: the trial balance over every journal entry, one account's postings in a period, and a
// day's reconciliation (对账) of each channel's statement against the books, with its exceptions.
import { useEffect, useState } from 'react'
import { Alert, Button, Select, Space, Table, Tag, Typography } from 'antd'
import type { AccountView, ReconciliationView, TrialBalanceView } from '../../../src/api/console'
import { call } from '../api'
import { DayRange } from '../DayRange'
import { CHANNEL_NAMES, DIFFERENCE_NAMES, chinaTime, dayStart, today, yuan } from '../format'

export default function Books() {
  const [tb, setTb] = useState<TrialBalanceView | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [account, setAccount] = useState('principalReceivable')
  const [range, setRange] = useState({ from: today(-29), to: today() })
  const [postings, setPostings] = useState<AccountView | null>(null)
  useEffect(() => {
    void call('books.trialBalance', {}).then((r) => (r.ok ? setTb(r.data) : setError(r.error.message)))
  }, [])
  // Yesterday: a day's bill is complete (WeChat Pay makes it the next morning).
  const [recDay, setRecDay] = useState(today(-1))
  const [rec, setRec] = useState<ReconciliationView | null>(null)
  const loadReconciliation = async () => {
    const r = await call('books.reconciliation', { date: recDay })
    if (r.ok) setRec(r.data)
    else setError(r.error.message)
  }
  const loadAccount = async () => {
    const r = await call('books.account', { account, from: dayStart(range.from), to: dayStart(range.to) + 86_400_000 })
    if (r.ok) setPostings(r.data)
    else setError(r.error.message)
  }
  return (
    <section>
      <Typography.Title level={2} style={{ fontSize: 20 }}>
        账务
      </Typography.Title>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Typography.Title level={3} style={{ fontSize: 16 }}>
        试算平衡 {tb && (tb.balanced ? <Tag color="green">借贷平衡</Tag> : <Tag color="red">不平衡：请核查</Tag>)}
        {tb && <Typography.Text type="secondary">（{tb.entries} 笔分录）</Typography.Text>}
      </Typography.Title>
      <Table
        size="small"
        rowKey="account"
        loading={tb === null && !error}
        pagination={false}
        dataSource={tb?.accounts ?? []}
        columns={[
          { title: '科目', dataIndex: 'name' },
          { title: '借方', dataIndex: 'debitFen', render: yuan, align: 'right' },
          { title: '贷方', dataIndex: 'creditFen', render: yuan, align: 'right' },
          { title: '余额', dataIndex: 'balanceFen', render: yuan, align: 'right' },
        ]}
        summary={() =>
          tb ? (
            <Table.Summary.Row>
              <Table.Summary.Cell index={0}>合计</Table.Summary.Cell>
              <Table.Summary.Cell index={1} align="right">
                {yuan(tb.debitFen)}
              </Table.Summary.Cell>
              <Table.Summary.Cell index={2} align="right">
                {yuan(tb.creditFen)}
              </Table.Summary.Cell>
              <Table.Summary.Cell index={3} />
            </Table.Summary.Row>
          ) : null
        }
      />
      <Typography.Title level={3} style={{ fontSize: 16, marginTop: 24 }}>
        科目明细
      </Typography.Title>
      <Space style={{ marginBottom: 16 }}>
        <Select
          aria-label="科目"
          value={account}
          onChange={setAccount}
          style={{ width: 280 }}
          options={(tb?.accounts ?? []).map((a) => ({ value: a.account, label: a.name }))}
        />
        <DayRange value={range} onChange={setRange} />
        <Button onClick={() => void loadAccount()}>查询</Button>
      </Space>
      {postings && (
        <Table
          size="small"
          rowKey={(p) => `${p.entryId}:${p.side}:${p.amountFen}`}
          dataSource={postings.postings}
          columns={[
            { title: '时间', dataIndex: 'at', render: chinaTime },
            { title: '分录', dataIndex: 'entryId' },
            { title: '类型', dataIndex: 'type' },
            { title: '借款', dataIndex: 'loanId' },
            { title: '借/贷', dataIndex: 'side', render: (s: string) => (s === 'debit' ? '借' : '贷') },
            { title: '金额', dataIndex: 'amountFen', render: yuan, align: 'right' },
          ]}
          footer={() => `借方合计 ${yuan(postings.debitFen)}，贷方合计 ${yuan(postings.creditFen)}`}
        />
      )}
      <Typography.Title level={3} style={{ fontSize: 16, marginTop: 24 }}>
        对账{' '}
        {rec && (rec.clean ? <Tag color="green">{rec.date} 全部相符</Tag> : <Tag color="red">{rec.date} 有差异</Tag>)}
      </Typography.Title>
      <Space style={{ marginBottom: 16 }}>
        <label>
          日期 <input type="date" value={recDay} onChange={(e) => setRecDay(e.target.value)} />
        </label>
        <Button onClick={() => void loadReconciliation()}>对账</Button>
      </Space>
      {rec && (
        <>
          <Table
            size="small"
            rowKey="channel"
            pagination={false}
            dataSource={rec.channels}
            columns={[
              { title: '渠道', dataIndex: 'channel', render: (c: string) => CHANNEL_NAMES[c] ?? c },
              { title: '账单上的支付单', dataIndex: 'statementLines', align: 'right' },
              { title: '相符的支付单', dataIndex: 'matched', align: 'right' },
              {
                title: '差异条目',
                key: 'exceptions',
                align: 'right',
                render: (_: unknown, c) => exceptionsOf(c).length,
              },
            ]}
          />
          <Table
            size="small"
            style={{ marginTop: 16 }}
            rowKey="key"
            locale={{ emptyText: '没有差异' }}
            dataSource={rec.channels.flatMap(exceptionsOf)}
            columns={[
              { title: '渠道', dataIndex: 'channel', render: (c: string) => CHANNEL_NAMES[c] ?? c },
              { title: '差异', dataIndex: 'kind' },
              { title: '支付单', dataIndex: 'paymentId' },
              { title: '渠道收款', dataIndex: 'providerInFen', render: yuan, align: 'right' },
              { title: '渠道退款', dataIndex: 'providerOutFen', render: yuan, align: 'right' },
              { title: '账上收款', dataIndex: 'booksInFen', render: yuan, align: 'right' },
              { title: '账上退款', dataIndex: 'booksOutFen', render: yuan, align: 'right' },
              { title: '订单金额', dataIndex: 'orderedFen', render: yuan, align: 'right' },
            ]}
          />
        </>
      )}
    </section>
  )
}

/** A channel's exceptions as rows: each with what the provider has, what the books have and what was ordered (— where not known). */
function exceptionsOf(c: ReconciliationView['channels'][number]) {
  const none = { providerInFen: null, providerOutFen: null, booksInFen: null, booksOutFen: null, orderedFen: null }
  return [
    ...c.missingInBooks.map((l) => ({
      ...none,
      key: `${c.channel}:in:${l.outTradeNo}`,
      channel: c.channel,
      kind: '渠道有、账上无',
      paymentId: l.outTradeNo,
      providerInFen: l.receivedFen,
      providerOutFen: l.refundedFen,
    })),
    ...c.missingAtProvider.map((b) => ({
      ...none,
      key: `${c.channel}:at:${b.paymentId}`,
      channel: c.channel,
      kind: '账上有、渠道无',
      paymentId: b.paymentId,
      booksInFen: b.inFen,
      booksOutFen: b.outFen,
      orderedFen: b.orderedFen,
    })),
    ...c.differing.map((d) => ({
      ...none,
      key: `${c.channel}:${d.kind}:${d.paymentId}`,
      channel: c.channel,
      kind: DIFFERENCE_NAMES[d.kind] ?? d.kind,
      paymentId: d.paymentId,
      ...(d.kind === 'REFUNDED_DIFFERS'
        ? { providerOutFen: d.providerFen, booksOutFen: d.booksFen }
        : d.kind === 'RECEIVED_DIFFERS'
          ? { providerInFen: d.providerFen, booksInFen: d.booksFen }
          : { providerInFen: d.providerFen, orderedFen: d.orderedFen }),
    })),
  ]
}
