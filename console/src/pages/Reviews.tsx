// 人工审核: the queue (oldest first), a case's detail — its age, the rule evaluation, the masked
// profile and history, the borrower's note — and the decision: the first reviewer proposes, a
// second confirms (four eyes). The server refuses the same reviewer twice and a reviewer's own case.
import { useCallback, useEffect, useState } from 'react'
import {
  Alert,
  App,
  Button,
  Descriptions,
  Drawer,
  Form,
  Input,
  Radio,
  Segmented,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd'
import { mayCall, type OperatorView, type ReviewDetail, type ReviewSummary } from '../../../src/api/console'
import { call } from '../api'
import { age, chinaTime, KIND_NAMES, PRODUCT_NAMES, STATE_NAMES, yuan } from '../format'

export default function Reviews({ me }: { me: OperatorView }) {
  const { message } = App.useApp()
  const [state, setState] = useState<'waiting' | 'decided'>('waiting')
  const [rows, setRows] = useState<ReviewSummary[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [open, setOpen] = useState<ReviewDetail | null>(null)
  const [busy, setBusy] = useState(false)
  const [form] = Form.useForm<{ decision: 'approve' | 'refuse'; reason: string }>()

  const load = useCallback(async () => {
    setRows(null)
    const r = await call('reviews.list', { state })
    if (r.ok) {
      setRows(r.data)
      setError(null)
    } else setError(r.error.message)
  }, [state])
  useEffect(() => void load(), [load])

  const show = async (caseId: string) => {
    const r = await call('reviews.get', { caseId })
    if (r.ok) setOpen(r.data)
    else message.error(r.error.message)
  }
  const decide = async (v: { decision: 'approve' | 'refuse'; reason: string }) => {
    if (!open) return
    setBusy(true)
    const r = await call('reviews.decide', { caseId: open.caseId, decision: v.decision, reason: v.reason })
    setBusy(false)
    if (!r.ok) return void message.error(r.error.message)
    setOpen(r.data)
    form.resetFields()
    message.success(r.data.state === 'waiting' ? '已提交审核意见，等待另一位审核员确认' : '已确认，决定已生效')
    void load()
  }
  const canDecide = mayCall(me.role, 'reviews.decide')

  return (
    <section>
      <Typography.Title level={2} style={{ fontSize: 20 }}>
        人工审核
      </Typography.Title>
      <Space style={{ marginBottom: 16 }}>
        <Segmented
          value={state}
          onChange={(v) => setState(v as 'waiting' | 'decided')}
          options={[
            { label: '待审核', value: 'waiting' },
            { label: '已结束', value: 'decided' },
          ]}
        />
        <Button onClick={() => void load()}>刷新</Button>
      </Space>
      {error && <Alert type="error" showIcon title={error} />}
      <Table<ReviewSummary>
        rowKey="caseId"
        loading={rows === null}
        dataSource={rows ?? []}
        locale={{ emptyText: state === 'waiting' ? '没有待审核的案件' : '没有已结束的案件' }}
        onRow={(r) => ({ onClick: () => void show(r.caseId), style: { cursor: 'pointer' } })}
        pagination={{ pageSize: 20 }}
        columns={[
          { title: '类型', dataIndex: 'kind', render: (k: string) => KIND_NAMES[k] ?? k },
          { title: '产品', dataIndex: 'product', render: (p: string) => PRODUCT_NAMES[p] ?? p },
          { title: '借款人', dataIndex: 'borrower' },
          { title: '金额', dataIndex: 'amountFen', render: yuan },
          { title: '等待', dataIndex: 'ageMs', render: age },
          { title: '到期', dataIndex: 'expiresAt', render: chinaTime },
          {
            title: '状态',
            render: (_, r) =>
              r.proposal ? (
                <Tag color="gold">
                  {r.proposal.by} 提议{r.proposal.decision === 'approve' ? '通过' : '拒绝'}，待确认
                </Tag>
              ) : (
                <Tag>{STATE_NAMES[r.state] ?? r.state}</Tag>
              ),
          },
          {
            title: '',
            render: (_, r) => (
              <Button type="link" onClick={() => void show(r.caseId)}>
                查看
              </Button>
            ),
          },
        ]}
      />
      <Drawer width={640} open={open !== null} onClose={() => setOpen(null)} title={open ? `案件 ${open.caseId}` : ''}>
        {open && (
          <>
            <Descriptions column={2} size="small" bordered>
              <Descriptions.Item label="类型">{KIND_NAMES[open.kind]}</Descriptions.Item>
              <Descriptions.Item label="产品">{PRODUCT_NAMES[open.product]}</Descriptions.Item>
              <Descriptions.Item label="金额">{yuan(open.amountFen)}</Descriptions.Item>
              <Descriptions.Item label="等待">{age(open.ageMs)}</Descriptions.Item>
              <Descriptions.Item label="提交时间">{chinaTime(open.requestedAt)}</Descriptions.Item>
              <Descriptions.Item label="状态">{STATE_NAMES[open.state]}</Descriptions.Item>
              <Descriptions.Item label="姓名">{open.profile.name}</Descriptions.Item>
              <Descriptions.Item label="手机">{open.profile.mobile}</Descriptions.Item>
              <Descriptions.Item label="证件">{open.profile.idNumber}</Descriptions.Item>
              <Descriptions.Item label="来源商户">{open.profile.entryMerchant ?? '—'}</Descriptions.Item>
            </Descriptions>
            <Typography.Title level={3} style={{ fontSize: 16, marginTop: 16 }}>
              规则评估（{open.evaluation.ruleSetVersion}）
            </Typography.Title>
            <ul>
              {open.evaluation.reasons.map((r) => (
                <li key={r.code}>
                  {r.title} <Typography.Text type="secondary">（{r.code}）</Typography.Text>
                </li>
              ))}
            </ul>
            {open.note && (
              <Alert type="info" title="借款人的说明" description={open.note} style={{ marginBottom: 16 }} />
            )}
            <Typography.Title level={3} style={{ fontSize: 16 }}>
              额度与借款
            </Typography.Title>
            <Table
              size="small"
              rowKey="loanId"
              pagination={false}
              dataSource={open.history.loans}
              columns={[
                { title: '借款', dataIndex: 'loanId' },
                { title: '产品', dataIndex: 'product', render: (p: string) => PRODUCT_NAMES[p] },
                { title: '金额', dataIndex: 'amountFen', render: yuan },
                { title: '状态', dataIndex: 'state', render: (s: string) => STATE_NAMES[s] ?? s },
              ]}
            />
            {open.proposal && (
              <Alert
                style={{ marginTop: 16 }}
                type="warning"
                title={`${open.proposal.by} 提议${open.proposal.decision === 'approve' ? '通过' : '拒绝'}：${open.proposal.reason}`}
                description="须由另一位审核员确认后生效（四眼原则）。"
              />
            )}
            {open.outcome && <Alert style={{ marginTop: 16 }} type="success" title={open.outcome} />}
            {canDecide && open.state === 'waiting' && (
              <Form form={form} layout="vertical" onFinish={decide} style={{ marginTop: 16 }} requiredMark={false}>
                <Form.Item label="审核意见" name="decision" rules={[{ required: true, message: '请选择通过或拒绝' }]}>
                  <Radio.Group
                    options={[
                      { label: '通过', value: 'approve' },
                      { label: '拒绝', value: 'refuse' },
                    ]}
                  />
                </Form.Item>
                <Form.Item
                  label="理由"
                  name="reason"
                  rules={[{ required: true, min: 2, message: '请写明理由（2–200 字）' }]}
                >
                  <Input.TextArea rows={3} maxLength={200} />
                </Form.Item>
                <Button type="primary" htmlType="submit" loading={busy}>
                  {open.proposal ? '提交（与提议一致即确认）' : '提交审核意见'}
                </Button>
              </Form>
            )}
          </>
        )}
      </Drawer>
    </section>
  )
}
