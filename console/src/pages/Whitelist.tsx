// 白名单: who is invited to an invitation-only product, added (a list or a CSV) and removed with a reason.
import { useCallback, useEffect, useState } from 'react'
import { App, Button, Form, Input, Modal, Table, Typography } from 'antd'
import { mayCall, type OperatorView, type WhitelistRow } from '../../../src/api/console'
import { call } from '../api'
import { chinaTime, PRODUCT_NAMES } from '../format'

export default function Whitelist({ me }: { me: OperatorView }) {
  const { message, modal } = App.useApp()
  const [rows, setRows] = useState<WhitelistRow[] | null>(null)
  const [adding, setAdding] = useState(false)
  const [form] = Form.useForm<{ csv: string; reason: string }>()
  const canEdit = mayCall(me.role, 'whitelist.add')
  const load = useCallback(async () => {
    const r = await call('whitelist.list', { product: 'weilidai' })
    if (r.ok) setRows(r.data)
    else message.error(r.error.message)
  }, [message])
  useEffect(() => void load(), [load])
  const add = async (v: { csv: string; reason: string }) => {
    const r = await call('whitelist.add', { product: 'weilidai', csv: v.csv, reason: v.reason })
    if (!r.ok) return void message.error(r.error.message)
    message.success(`新增 ${r.data.added} 人，已在名单中 ${r.data.already} 人`)
    setAdding(false)
    form.resetFields()
    void load()
  }
  const remove = (row: WhitelistRow) => {
    let reason = ''
    modal.confirm({
      title: `从白名单移除 ${row.openid}？`,
      content: <Input aria-label="移除理由" placeholder="移除理由" onChange={(e) => (reason = e.target.value)} />,
      okText: '移除',
      onOk: async () => {
        const r = await call('whitelist.remove', { product: row.product, entry: row.entry, reason })
        if (!r.ok) {
          message.error(r.error.message)
          throw new Error(r.error.code)
        }
        void load()
      },
    })
  }
  return (
    <section>
      <Typography.Title level={2} style={{ fontSize: 20 }}>
        白名单（{PRODUCT_NAMES.weilidai}）
      </Typography.Title>
      {canEdit && (
        <Button type="primary" onClick={() => setAdding(true)} style={{ marginBottom: 16 }}>
          添加 / 导入
        </Button>
      )}
      <Table<WhitelistRow>
        rowKey="entry"
        loading={rows === null}
        dataSource={rows ?? []}
        locale={{ emptyText: '白名单为空' }}
        columns={[
          { title: 'openid', dataIndex: 'openid' },
          { title: '理由', dataIndex: 'reason' },
          { title: '添加人', dataIndex: 'addedBy' },
          { title: '添加时间', dataIndex: 'addedAt', render: chinaTime },
          ...(canEdit
            ? [
                {
                  title: '',
                  render: (_: unknown, r: WhitelistRow) => (
                    <Button type="link" danger onClick={() => remove(r)}>
                      移除
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />
      <Modal
        title="添加到白名单"
        open={adding}
        onCancel={() => setAdding(false)}
        onOk={() => form.submit()}
        okText="添加"
      >
        <Form form={form} layout="vertical" onFinish={add} requiredMark={false}>
          <Form.Item
            label="openid（每行一个，可粘贴 CSV 第一列）"
            name="csv"
            rules={[{ required: true, message: '请至少填一个 openid' }]}
          >
            <Input.TextArea rows={6} />
          </Form.Item>
          <Form.Item label="理由" name="reason" rules={[{ required: true, min: 2, message: '请写明理由' }]}>
            <Input />
          </Form.Item>
        </Form>
      </Modal>
    </section>
  )
}
