// 借款与用户: search by openid, the mobile's last four or a loan id (masked answers), and a loan's
// timeline — its steps, payments, journal entries, receipts, reminders and contracts.
import { useState } from 'react'
import { Alert, Drawer, Input, Table, Tag, Timeline, Typography } from 'antd'
import type { BorrowerHit, LoanTimeline } from '../../../src/api/console'
import { call } from '../api'
import { chinaTime, PRODUCT_NAMES, STATE_NAMES, yuan } from '../format'

const KIND_COLORS: Record<string, string> = {
  event: 'blue',
  payment: 'green',
  journal: 'purple',
  receipt: 'cyan',
  reminder: 'orange',
  contract: 'default',
}
const KIND_LABELS: Record<string, string> = {
  event: '步骤',
  payment: '付款',
  journal: '记账',
  receipt: '凭证',
  reminder: '提醒',
  contract: '合同',
}

export default function Borrowers() {
  const [hits, setHits] = useState<BorrowerHit[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [loading, setLoading] = useState(false)
  const [timeline, setTimeline] = useState<LoanTimeline | null>(null)
  const search = async (query: string) => {
    setLoading(true)
    const r = await call('borrowers.search', { query })
    setLoading(false)
    if (!r.ok) return setError(r.error.message)
    setError(null)
    setHits(r.data)
  }
  const openLoan = async (loanId: string) => {
    const r = await call('loans.timeline', { loanId })
    if (r.ok) setTimeline(r.data)
    else setError(r.error.message)
  }
  return (
    <section>
      <Typography.Title level={2} style={{ fontSize: 20 }}>
        借款与用户
      </Typography.Title>
      <Input.Search
        aria-label="搜索借款人"
        placeholder="openid、手机号后 4 位或借款编号"
        enterButton="搜索"
        loading={loading}
        onSearch={(q) => void search(q)}
        style={{ maxWidth: 480, marginBottom: 16 }}
      />
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      {hits && hits.length === 0 && <Alert type="info" title="没有找到匹配的借款人" />}
      {hits?.map((h) => (
        <div key={h.borrower} style={{ marginBottom: 24 }}>
          <Typography.Title level={3} style={{ fontSize: 16 }}>
            {h.name} · {h.mobile || '未留手机'} · {h.borrower}{' '}
            {h.verified ? <Tag color="green">已实名</Tag> : <Tag>未实名</Tag>}
          </Typography.Title>
          <Table
            size="small"
            rowKey="product"
            pagination={false}
            dataSource={h.lines}
            columns={[
              { title: '额度', dataIndex: 'product', render: (p: string) => PRODUCT_NAMES[p] },
              { title: '状态', dataIndex: 'state', render: (s: string) => STATE_NAMES[s] ?? s },
              { title: '总额度', dataIndex: 'limitFen', render: yuan },
              { title: '已用', dataIndex: 'inUseFen', render: yuan },
            ]}
          />
          <Table
            size="small"
            rowKey="loanId"
            style={{ marginTop: 8 }}
            pagination={false}
            dataSource={h.loans}
            onRow={(l) => ({ onClick: () => void openLoan(l.loanId), style: { cursor: 'pointer' } })}
            columns={[
              { title: '借款编号', dataIndex: 'loanId' },
              { title: '产品', dataIndex: 'product', render: (p: string) => PRODUCT_NAMES[p] },
              { title: '金额', dataIndex: 'amountFen', render: yuan },
              { title: '状态', dataIndex: 'state', render: (s: string) => STATE_NAMES[s] ?? s },
              { title: '申请时间', dataIndex: 'appliedAt', render: chinaTime },
            ]}
          />
        </div>
      ))}
      <Drawer
        width={720}
        open={timeline !== null}
        onClose={() => setTimeline(null)}
        title={timeline ? `借款 ${timeline.loanId}` : ''}
      >
        {timeline && (
          <>
            <Typography.Paragraph>
              {PRODUCT_NAMES[timeline.product]} · {yuan(timeline.amountFen)} ·{' '}
              {STATE_NAMES[timeline.state] ?? timeline.state} · {timeline.borrower}
            </Typography.Paragraph>
            <Timeline
              items={timeline.items.map((i) => ({
                color: KIND_COLORS[i.kind],
                content: (
                  <div>
                    <Tag color={KIND_COLORS[i.kind]}>{KIND_LABELS[i.kind]}</Tag>
                    <strong>{i.title}</strong> <Typography.Text type="secondary">{chinaTime(i.at)}</Typography.Text>
                    <div>{i.detail}</div>
                  </div>
                ),
              }))}
            />
          </>
        )}
      </Drawer>
    </section>
  )
}
