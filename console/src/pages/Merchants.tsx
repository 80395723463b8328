// 商户: the merchants, a new merchant and its mini-program code, enable/disable, and its funnel.
import { Suspense, lazy, useCallback, useEffect, useState } from 'react'
import { Alert, App, Button, Form, Image, Input, Modal, Space, Switch, Table, Typography } from 'antd'
import {
  FUNNEL_STEPS,
  FUNNEL_STEP_NAMES,
  mayCall,
  type Funnel,
  type MerchantRow,
  type OperatorView,
} from '../../../src/api/console'
import { call } from '../api'
import { DayRange } from '../DayRange'
import { chinaTime, today } from '../format'

const FunnelChart = lazy(() => import('./FunnelChart'))

export default function Merchants({ me }: { me: OperatorView }) {
  const { message } = App.useApp()
  const [rows, setRows] = useState<MerchantRow[] | null>(null)
  const [creating, setCreating] = useState(false)
  const [png, setPng] = useState<{ code: string; src: string } | null>(null)
  const [funnel, setFunnel] = useState<Funnel | null>(null)
  const [range, setRange] = useState({ from: today(-29), to: today() })
  const [selected, setSelected] = useState<string | null>(null)
  const [form] = Form.useForm<{ merchantCode: string; name: string }>()
  const canEdit = mayCall(me.role, 'merchants.create')

  const load = useCallback(async () => {
    const r = await call('merchants.list', {})
    if (r.ok) setRows(r.data)
    else message.error(r.error.message)
  }, [message])
  useEffect(() => void load(), [load])

  const create = async (v: { merchantCode: string; name: string }) => {
    const r = await call('merchants.create', v)
    if (!r.ok) return void message.error(r.error.message)
    setCreating(false)
    form.resetFields()
    message.success(`已创建商户 ${r.data.name}`)
    void load()
    void showCode(r.data.code)
  }
  const showCode = async (merchantCode: string) => {
    const r = await call('merchants.code', { merchantCode })
    if (r.ok) setPng({ code: merchantCode, src: `data:${r.data.image.contentType};base64,${r.data.image.base64}` })
    else message.error(r.error.message)
  }
  const toggle = async (m: MerchantRow, enabled: boolean) => {
    const r = await call('merchants.setEnabled', { merchantCode: m.code, enabled })
    if (!r.ok) return void message.error(r.error.message)
    void load()
  }
  const loadFunnel = async (merchantCode: string, from = range.from, to = range.to) => {
    setSelected(merchantCode)
    const r = await call('merchants.funnel', { merchantCode, from, to })
    if (r.ok) setFunnel(r.data)
    else message.error(r.error.message)
  }

  return (
    <section>
      <Typography.Title level={2} style={{ fontSize: 20 }}>
        商户
      </Typography.Title>
      {canEdit && (
        <Button type="primary" onClick={() => setCreating(true)} style={{ marginBottom: 16 }}>
          新建商户
        </Button>
      )}
      <Table<MerchantRow>
        rowKey="code"
        loading={rows === null}
        dataSource={rows ?? []}
        pagination={{ pageSize: 20 }}
        columns={[
          { title: '编码', dataIndex: 'code' },
          { title: '名称', dataIndex: 'name' },
          { title: '创建时间', dataIndex: 'createdAt', render: chinaTime },
          {
            title: '启用',
            render: (_, m) => (
              <Switch
                aria-label={`启用 ${m.name}`}
                checked={m.enabled}
                disabled={!canEdit}
                onChange={(on) => void toggle(m, on)}
              />
            ),
          },
          {
            title: '',
            render: (_, m) => (
              <Space>
                {canEdit && (
                  <Button type="link" onClick={() => void showCode(m.code)}>
                    小程序码
                  </Button>
                )}
                <Button type="link" onClick={() => void loadFunnel(m.code)}>
                  转化漏斗
                </Button>
              </Space>
            ),
          },
        ]}
      />
      {selected && (
        <div style={{ marginTop: 24 }}>
          <Typography.Title level={3} style={{ fontSize: 16 }}>
            {selected} 的转化漏斗
          </Typography.Title>
          <Space style={{ marginBottom: 16 }}>
            <DayRange value={range} onChange={setRange} />
            <Button onClick={() => void loadFunnel(selected)}>查询</Button>
          </Space>
          {funnel && (
            <>
              <Suspense fallback={null}>
                <FunnelChart funnel={funnel} />
              </Suspense>
              <Table
                size="small"
                rowKey="step"
                pagination={false}
                dataSource={FUNNEL_STEPS.map((s) => ({
                  step: s,
                  count: funnel.totals[s],
                  conversion: funnel.conversion[s],
                }))}
                columns={[
                  {
                    title: '步骤',
                    dataIndex: 'step',
                    render: (s: (typeof FUNNEL_STEPS)[number]) => FUNNEL_STEP_NAMES[s],
                  },
                  { title: '人数', dataIndex: 'count' },
                  {
                    title: '较上一步转化',
                    dataIndex: 'conversion',
                    render: (c: number | null) => (c === null ? '—' : `${c}%`),
                  },
                ]}
              />
              {funnel.totals.entry === 0 && <Alert type="info" title="这段时间内没有人通过该商户的小程序码进入。" />}
            </>
          )}
        </div>
      )}
      <Modal
        title="新建商户"
        open={creating}
        onCancel={() => setCreating(false)}
        onOk={() => form.submit()}
        okText="创建"
      >
        <Form form={form} layout="vertical" onFinish={create} requiredMark={false}>
          <Form.Item
            label="商户编码"
            name="merchantCode"
            rules={[{ required: true, pattern: /^[0-9A-Za-z_-]{2,16}$/, message: '2–16 个字母、数字、_ 或 -' }]}
          >
            <Input />
          </Form.Item>
          <Form.Item label="商户名称" name="name" rules={[{ required: true, max: 40, message: '1–40 个字' }]}>
            <Input />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        title={png ? `${png.code} 的小程序码` : ''}
        open={png !== null}
        onCancel={() => setPng(null)}
        footer={null}
      >
        {png && (
          <Space direction="vertical" align="center" style={{ width: '100%' }}>
            <Image src={png.src} alt={`${png.code} 的小程序码`} width={240} preview={false} />
            <a href={png.src} download={`${png.code}.png`}>
              下载 PNG
            </a>
          </Space>
        )}
      </Modal>
    </section>
  )
}
