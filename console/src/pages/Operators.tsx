// 运营人员: the operators and their roles; an admin creates one (its TOTP secret shown once) or disables one.
import { useCallback, useEffect, useState } from 'react'
import { Alert, App, Button, Form, Input, Modal, Select, Switch, Table, Typography } from 'antd'
import { mayCall, ROLE_NAMES, ROLES, type CreatedOperator, type OperatorView } from '../../../src/api/console'
import { call } from '../api'
import { chinaTime } from '../format'

export default function Operators({ me }: { me: OperatorView }) {
  const { message } = App.useApp()
  const [rows, setRows] = useState<OperatorView[] | null>(null)
  const [creating, setCreating] = useState(false)
  const [created, setCreated] = useState<CreatedOperator | null>(null)
  const [form] = Form.useForm<{ username: string; role: OperatorView['role']; password: string }>()
  const canEdit = mayCall(me.role, 'operators.create')
  const load = useCallback(async () => {
    const r = await call('operators.list', {})
    if (r.ok) setRows(r.data)
    else message.error(r.error.message)
  }, [message])
  useEffect(() => void load(), [load])
  const create = async (v: { username: string; role: OperatorView['role']; password: string }) => {
    const r = await call('operators.create', v)
    if (!r.ok) return void message.error(r.error.message)
    setCreating(false)
    form.resetFields()
    setCreated(r.data)
    void load()
  }
  const toggle = async (o: OperatorView, enabled: boolean) => {
    const r = await call('operators.setEnabled', { username: o.username, enabled })
    if (!r.ok) return void message.error(r.error.message)
    void load()
  }
  return (
    <section>
      <Typography.Title level={2} style={{ fontSize: 20 }}>
        运营人员
      </Typography.Title>
      {canEdit && (
        <Button type="primary" onClick={() => setCreating(true)} style={{ marginBottom: 16 }}>
          新建运营人员
        </Button>
      )}
      <Table<OperatorView>
        rowKey="username"
        loading={rows === null}
        dataSource={rows ?? []}
        pagination={false}
        columns={[
          { title: '用户名', dataIndex: 'username' },
          { title: '角色', dataIndex: 'role', render: (r: OperatorView['role']) => ROLE_NAMES[r] },
          { title: '创建时间', dataIndex: 'createdAt', render: chinaTime },
          { title: '最近登录', dataIndex: 'lastSignInAt', render: chinaTime },
          {
            title: '启用',
            render: (_, o) => (
              <Switch
                aria-label={`启用 ${o.username}`}
                checked={o.enabled}
                disabled={!canEdit || o.username === me.username}
                onChange={(on) => void toggle(o, on)}
              />
            ),
          },
        ]}
      />
      <Modal
        title="新建运营人员"
        open={creating}
        onCancel={() => setCreating(false)}
        onOk={() => form.submit()}
        okText="创建"
      >
        <Form form={form} layout="vertical" onFinish={create} requiredMark={false}>
          <Form.Item
            label="用户名"
            name="username"
            rules={[
              { required: true, pattern: /^[a-z0-9][a-z0-9_-]{1,31}$/, message: '2–32 个小写字母、数字、_ 或 -' },
            ]}
          >
            <Input />
          </Form.Item>
          <Form.Item label="角色" name="role" rules={[{ required: true, message: '请选择角色' }]}>
            <Select options={ROLES.map((r) => ({ value: r, label: ROLE_NAMES[r] }))} />
          </Form.Item>
          <Form.Item label="初始密码" name="password" rules={[{ required: true, min: 12, message: '至少 12 个字符' }]}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        title="运营人员已创建"
        open={created !== null}
        onCancel={() => setCreated(null)}
        onOk={() => setCreated(null)}
        okText="我已保存"
      >
        {created && (
          <Alert
            type="warning"
            title="TOTP 密钥只显示这一次"
            description={
              <>
                <p>该账号须由另一位管理员启用后才能登录（四眼原则）。</p>
                <p>请把下面的密钥加入身份验证器 App（或用 otpauth 地址生成二维码）：</p>
                <Typography.Paragraph copyable code>
                  {created.totpSecret}
                </Typography.Paragraph>
                <Typography.Paragraph copyable style={{ wordBreak: 'break-all' }}>
                  {created.otpauth}
                </Typography.Paragraph>
              </>
            }
          />
        )}
      </Modal>
    </section>
  )
}
