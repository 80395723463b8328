import { useState } from 'react'
import { Alert, Button, Card, Form, Input, Typography } from 'antd'
import type { OperatorView } from '../../../src/api/console'
import { call, session } from '../api'

export function SignIn({ onSignedIn }: { onSignedIn: (me: OperatorView) => void }) {
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const submit = async (v: { username: string; password: string; totp: string }) => {
    setBusy(true)
    const r = await call('console.signIn', { username: v.username.trim(), password: v.password, totp: v.totp.trim() })
    setBusy(false)
    if (!r.ok) return setError(r.error.message)
    session.set(r.data.token)
    onSignedIn(r.data.operator)
  }
  return (
    <main style={{ minHeight: '100vh', display: 'grid', placeItems: 'center', background: '#f5f7f6' }}>
      <Card style={{ width: 400 }}>
        <Typography.Title level={1} style={{ fontSize: 24 }}>
          开通 · 运营后台
        </Typography.Title>
        <Typography.Paragraph type="secondary">
          使用你的账号、密码和身份验证器上的 6 位动态码登录。
        </Typography.Paragraph>
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
        <Form layout="vertical" onFinish={submit} requiredMark={false}>
          <Form.Item label="用户名" name="username" rules={[{ required: true, message: '请输入用户名' }]}>
            <Input autoComplete="username" />
          </Form.Item>
          <Form.Item label="密码" name="password" rules={[{ required: true, message: '请输入密码' }]}>
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          <Form.Item
            label="动态验证码"
            name="totp"
            rules={[{ required: true, pattern: /^\d{6}$/, message: '请输入 6 位数字动态码' }]}
          >
            <Input inputMode="numeric" maxLength={6} autoComplete="one-time-code" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy}>
            登录
          </Button>
        </Form>
      </Card>
    </main>
  )
}
