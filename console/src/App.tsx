// The console's shell: sign-in, then a side menu of the pages the operator's role may use (the
// server checks every action again), each page loaded when it is first opened.
import { Suspense, lazy, useEffect, useState, type ComponentType } from 'react'
import { Button, Layout, Menu, Result, Space, Spin, Tag, Typography } from 'antd'
import { mayCall, ROLE_NAMES, type ConsoleAction, type OperatorView } from '../../src/api/console'
import { call, session, whenSignedOut } from './api'
import { SignIn } from './pages/SignIn'

interface PageSpec {
  key: string
  label: string
  /** The action the page is built on: shown only to roles that may call it. */
  needs: ConsoleAction
  page: React.LazyExoticComponent<ComponentType<{ me: OperatorView }>>
}

const PAGES: PageSpec[] = [
  { key: 'reviews', label: '人工审核', needs: 'reviews.list', page: lazy(() => import('./pages/Reviews')) },
  { key: 'borrowers', label: '借款与用户', needs: 'borrowers.search', page: lazy(() => import('./pages/Borrowers')) },
  { key: 'versions', label: '规则与产品版本', needs: 'versions.list', page: lazy(() => import('./pages/Versions')) },
  { key: 'merchants', label: '商户', needs: 'merchants.list', page: lazy(() => import('./pages/Merchants')) },
  { key: 'whitelist', label: '白名单', needs: 'whitelist.list', page: lazy(() => import('./pages/Whitelist')) },
  { key: 'books', label: '账务', needs: 'books.trialBalance', page: lazy(() => import('./pages/Books')) },
  { key: 'reminders', label: '提醒', needs: 'reminders.stats', page: lazy(() => import('./pages/Reminders')) },
  { key: 'audit', label: '审计', needs: 'audit.search', page: lazy(() => import('./pages/Audit')) },
  { key: 'operators', label: '运营人员', needs: 'operators.list', page: lazy(() => import('./pages/Operators')) },
]

const pageFromHash = () => window.location.hash.replace(/^#\/?/, '')

export function App() {
  const [me, setMe] = useState<OperatorView | null>(null)
  const [checking, setChecking] = useState(Boolean(session.get()))
  const [current, setCurrent] = useState(pageFromHash())

  useEffect(() => {
    whenSignedOut(() => setMe(null))
    const onHash = () => setCurrent(pageFromHash())
    window.addEventListener('hashchange', onHash)
    if (session.get())
      void call('console.me', {}).then((r) => {
        if (r.ok) setMe(r.data)
        setChecking(false)
      })
    return () => window.removeEventListener('hashchange', onHash)
  }, [])

  if (checking) return <Spin fullscreen tip="正在载入…" />
  if (!me) return <SignIn onSignedIn={setMe} />

  const pages = PAGES.filter((p) => mayCall(me.role, p.needs))
  const active = pages.find((p) => p.key === current) ?? pages[0]
  const signOut = async () => {
    await call('console.signOut', {})
    session.clear()
    setMe(null)
  }
  return (
    <Layout style={{ minHeight: '100vh', minWidth: 1280 }}>
      <Layout.Sider width={208} theme="light" style={{ borderRight: '1px solid #f0f0f0' }}>
        <div style={{ padding: '20px 24px', fontWeight: 600, fontSize: 18 }}>开通 · 运营后台</div>
        <Menu
          mode="inline"
          selectedKeys={active ? [active.key] : []}
          items={pages.map((p) => ({ key: p.key, label: p.label }))}
          onClick={({ key }) => {
            window.location.hash = `#/${key}`
          }}
        />
      </Layout.Sider>
      <Layout>
        <Layout.Header
          style={{ background: '#fff', display: 'flex', justifyContent: 'flex-end', borderBottom: '1px solid #f0f0f0' }}
        >
          <Space>
            <Typography.Text>{me.username}</Typography.Text>
            <Tag color="green">{ROLE_NAMES[me.role]}</Tag>
            <Button onClick={signOut}>退出登录</Button>
          </Space>
        </Layout.Header>
        <Layout.Content style={{ padding: 24 }}>
          {active ? (
            <Suspense fallback={<Spin />}>
              <active.page me={me} />
            </Suspense>
          ) : (
            <Result status="403" title="你的角色没有可用的页面" />
          )}
        </Layout.Content>
      </Layout>
    </Layout>
  )
}
