// 审计: the operator audit log (every console call, allowed or refused) and a borrower's loan audit.
import { useState } from 'react'
import { Alert, Button, Input, Segmented, Space, Table, Tag, Typography } from 'antd'
import type { AuditRow } from '../../../src/api/console'
import { call } from '../api'
import { DayRange } from '../DayRange'
import { chinaTime, dayStart, today } from '../format'

export default function Audit() {
  const [source, setSource] = useState<'operator' | 'borrower'>('operator')
  const [actor, setActor] = useState('')
  const [action, setAction] = useState('')
  const [range, setRange] = useState({ from: today(-6), to: today() })
  const [rows, setRows] = useState<AuditRow[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  const load = async () => {
    const r = await call('audit.search', {
      source,
      ...(actor.trim() ? { actor: actor.trim() } : {}),
      ...(action.trim() ? { action: action.trim() } : {}),
      from: dayStart(range.from),
      to: dayStart(range.to) + 86_400_000,
    })
    if (r.ok) {
      setRows(r.data)
      setError(null)
    } else setError(r.error.message)
  }
  return (
    <section>
      <Typography.Title level={2} style={{ fontSize: 20 }}>
        审计日志
      </Typography.Title>
      <Space wrap style={{ marginBottom: 16 }}>
        <Segmented
          value={source}
          onChange={(v) => setSource(v as 'operator' | 'borrower')}
          options={[
            { label: '运营操作', value: 'operator' },
            { label: '借款人', value: 'borrower' },
          ]}
        />
        <Input
          aria-label="操作人"
          placeholder={source === 'operator' ? '操作人用户名' : '借款人 openid（必填）'}
          value={actor}
          onChange={(e) => setActor(e.target.value)}
          style={{ width: 220 }}
        />
        <Input
          aria-label="操作"
          placeholder="操作，如 reviews.decide"
          value={action}
          onChange={(e) => setAction(e.target.value)}
          style={{ width: 220 }}
        />
        <DayRange value={range} onChange={setRange} />
        <Button type="primary" onClick={() => void load()}>
          查询
        </Button>
      </Space>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      {rows && (
        <Table<AuditRow>
          rowKey="id"
          size="small"
          dataSource={rows}
          pagination={{ pageSize: 50 }}
          columns={[
            { title: '时间', dataIndex: 'at', render: chinaTime },
            { title: '操作人', dataIndex: 'actor' },
            { title: '操作', dataIndex: 'action' },
            {
              title: '结果',
              dataIndex: 'outcome',
              render: (o: string) => (
                <Tag color={o === 'ok' ? 'green' : o === 'FORBIDDEN' ? 'red' : 'default'}>{o}</Tag>
              ),
            },
            { title: '详情', dataIndex: 'detail' },
          ]}
        />
      )}
    </section>
  )
}
