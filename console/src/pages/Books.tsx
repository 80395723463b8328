// 账务: the trial balance over every journal entry, and one account's postings in a period.
import { useEffect, useState } from 'react'
import { Alert, Button, Select, Space, Table, Tag, Typography } from 'antd'
import type { AccountView, TrialBalanceView } from '../../../src/api/console'
import { call } from '../api'
import { DayRange } from '../DayRange'
import { chinaTime, dayStart, today, yuan } from '../format'

export default function Books() {
  const [tb, setTb] = useState<TrialBalanceView | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [account, setAccount] = useState('principalReceivable')
  const [range, setRange] = useState({ from: today(-29), to: today() })
  const [postings, setPostings] = useState<AccountView | null>(null)
  useEffect(() => {
    void call('books.trialBalance', {}).then((r) => (r.ok ? setTb(r.data) : setError(r.error.message)))
  }, [])
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
    </section>
  )
}
