// 提醒: how the reminders of a period went out — by subscribe message, into the message center, or still sending.
import { useState } from 'react'
import { Alert, Button, Card, Col, Row, Space, Statistic, Typography } from 'antd'
import type { ReminderStats } from '../../../src/api/console'
import { call } from '../api'
import { DayRange } from '../DayRange'
import { dayStart, today } from '../format'

const STATE_LABELS: Record<string, string> = { sent: '订阅消息已发送', inbox: '放入消息中心', claimed: '发送中' }

export default function Reminders() {
  const [range, setRange] = useState({ from: today(-29), to: today() })
  const [stats, setStats] = useState<ReminderStats | null>(null)
  const [error, setError] = useState<string | null>(null)
  const load = async () => {
    const r = await call('reminders.stats', { from: dayStart(range.from), to: dayStart(range.to) + 86_400_000 })
    if (r.ok) {
      setStats(r.data)
      setError(null)
    } else setError(r.error.message)
  }
  return (
    <section>
      <Typography.Title level={2} style={{ fontSize: 20 }}>
        提醒发送情况
      </Typography.Title>
      <Space style={{ marginBottom: 16 }}>
        <DayRange value={range} onChange={setRange} />
        <Button type="primary" onClick={() => void load()}>
          查询
        </Button>
      </Space>
      {error && <Alert type="error" showIcon title={error} />}
      {stats && (
        <Row gutter={16}>
          <Col span={6}>
            <Card>
              <Statistic title="提醒总数" value={stats.total} />
            </Card>
          </Col>
          {Object.entries(STATE_LABELS).map(([k, label]) => (
            <Col span={6} key={k}>
              <Card>
                <Statistic title={label} value={stats.byState[k] ?? 0} />
              </Card>
            </Col>
          ))}
        </Row>
      )}
    </section>
  )
}
