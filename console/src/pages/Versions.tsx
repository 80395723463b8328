// 规则与产品版本: the rule set's and the product catalog's versions; a draft (the published one,
// edited), its simulation on the stored profiles, and publishing — an admin asks, a second admin
// approves. Only new decisions use it: a line keeps lending by the catalog it was opened under.
import { useCallback, useEffect, useState } from 'react'
import { Alert, App, Button, Drawer, Input, Space, Table, Tag, Typography } from 'antd'
import { mayCall, type OperatorView, type Simulation, type VersionView } from '../../../src/api/console'
import { call } from '../api'
import { chinaTime, PRODUCT_NAMES, yuan } from '../format'

const KINDS: Record<VersionView['kind'], string> = { rules: '规则', catalog: '产品目录' }

const STATES: Record<VersionView['state'], { label: string; color: string }> = {
  draft: { label: '草稿', color: 'default' },
  pending: { label: '待第二位管理员批准', color: 'gold' },
  published: { label: '生效中', color: 'green' },
  superseded: { label: '已被替换', color: 'default' },
}

export default function Versions({ me }: { me: OperatorView }) {
  const { message } = App.useApp()
  const [rows, setRows] = useState<VersionView[] | null>(null)
  const [editing, setEditing] = useState<string | null>(null)
  const [kind, setKind] = useState<VersionView['kind']>('rules')
  const [note, setNote] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [sim, setSim] = useState<Simulation | null>(null)
  const [simulating, setSimulating] = useState<string | null>(null)
  const load = useCallback(async () => {
    const r = await call('versions.list', {})
    if (r.ok) setRows(r.data)
    else message.error(r.error.message)
  }, [message])
  useEffect(() => void load(), [load])
  const publishedOf = (k: VersionView['kind']) => rows?.find((v) => v.kind === k && v.state === 'published')
  const startDraft = (k: VersionView['kind']) => {
    const current = publishedOf(k)
    if (!current) return
    setKind(k)
    setError(null)
    setEditing(JSON.stringify(current.body, null, 2))
  }

  const saveDraft = async () => {
    let body: Record<string, unknown>
    try {
      body = JSON.parse(editing ?? '') as Record<string, unknown>
    } catch {
      return setError('草稿不是合法的 JSON。')
    }
    const r = await call('versions.draft', { kind, body, note })
    if (!r.ok) return setError(r.error.message)
    setEditing(null)
    setError(null)
    message.success(`已保存草稿 ${r.data.versionId}`)
    void load()
  }
  const simulate = async (versionId: string) => {
    setSimulating(versionId)
    const r = await call('versions.simulate', { versionId })
    setSimulating(null)
    if (r.ok) setSim(r.data)
    else message.error(r.error.message)
  }
  const publish = async (versionId: string) => {
    const r = await call('versions.publish', { versionId })
    if (!r.ok) return void message.error(r.error.message)
    message.success(
      r.data.state === 'published' ? `${versionId} 已发布：新的决定将使用它` : '已提交发布，等待另一位管理员批准',
    )
    void load()
  }
  return (
    <section>
      <Typography.Title level={2} style={{ fontSize: 20 }}>
        规则与产品版本
      </Typography.Title>
      <Typography.Paragraph type="secondary">
        发布的版本只用于之后的新决定；已开通的额度和已发放的借款保留各自当时的版本。
      </Typography.Paragraph>
      {mayCall(me.role, 'versions.draft') && rows && (
        <Space style={{ marginBottom: 16 }}>
          <Button type="primary" onClick={() => startDraft('rules')}>
            基于生效规则新建草稿
          </Button>
          <Button onClick={() => startDraft('catalog')}>基于生效产品目录新建草稿</Button>
        </Space>
      )}
      <Table<VersionView>
        rowKey="versionId"
        loading={rows === null}
        dataSource={rows ?? []}
        pagination={false}
        columns={[
          { title: '类型', dataIndex: 'kind', render: (k: VersionView['kind']) => KINDS[k] },
          { title: '版本', dataIndex: 'versionId' },
          { title: '说明', dataIndex: 'note' },
          {
            title: '状态',
            dataIndex: 'state',
            render: (s: VersionView['state']) => <Tag color={STATES[s].color}>{STATES[s].label}</Tag>,
          },
          { title: '创建', render: (_, v) => `${v.createdBy} · ${chinaTime(v.createdAt)}` },
          {
            title: '发布',
            render: (_, v) =>
              v.publishedBy
                ? `${v.publishedBy} · ${chinaTime(v.publishedAt)}`
                : v.publishRequestedBy
                  ? `${v.publishRequestedBy} 已申请`
                  : '—',
          },
          {
            title: '',
            render: (_, v) => (
              <Space>
                {mayCall(me.role, 'versions.simulate') && (v.state === 'draft' || v.state === 'pending') && (
                  <Button onClick={() => void simulate(v.versionId)} loading={simulating === v.versionId}>
                    模拟
                  </Button>
                )}
                {mayCall(me.role, 'versions.publish') && (v.state === 'draft' || v.state === 'pending') && (
                  <Button type="primary" onClick={() => void publish(v.versionId)}>
                    {v.state === 'draft' ? '申请发布' : '批准发布'}
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
      {sim && (
        <div style={{ marginTop: 24 }}>
          <Typography.Title level={3} style={{ fontSize: 16 }}>
            模拟结果：{sim.versionId} 对比 {sim.against}（{sim.profiles} 份已存画像，用时 {sim.tookMs} 毫秒）
          </Typography.Title>
          <Table
            size="small"
            rowKey="product"
            pagination={false}
            dataSource={Object.entries(sim.byProduct).map(([product, c]) => ({ product, ...c }))}
            columns={[
              { title: '产品', dataIndex: 'product', render: (p: string) => PRODUCT_NAMES[p] },
              { title: '决定变化', dataIndex: 'changed' },
              { title: '新增通过', dataIndex: 'nowEligible' },
              { title: '新增拒绝', dataIndex: 'nowRefused' },
              { title: '额度上调', dataIndex: 'limitUp' },
              { title: '额度下调', dataIndex: 'limitDown' },
              { title: '利率变化', dataIndex: 'rateChanged' },
            ]}
          />
          <Table
            size="small"
            style={{ marginTop: 12 }}
            rowKey="path"
            pagination={false}
            locale={{ emptyText: '与生效版本相同' }}
            title={() => `改动的字段（${sim.fields.length}）`}
            dataSource={sim.fields}
            columns={[
              { title: '字段', dataIndex: 'path' },
              { title: '生效版本', render: (_, f) => JSON.stringify(f.before) ?? '（无）' },
              { title: '草稿', render: (_, f) => JSON.stringify(f.after) ?? '（无）' },
            ]}
          />
          {sim.examples.length > 0 && (
            <Table
              size="small"
              style={{ marginTop: 12 }}
              rowKey={(e) => `${e.profile}:${e.product}`}
              pagination={false}
              dataSource={sim.examples}
              columns={[
                { title: '画像', dataIndex: 'profile' },
                { title: '产品', dataIndex: 'product', render: (p: string) => PRODUCT_NAMES[p] },
                { title: '之前', render: (_, e) => (e.before.eligible ? `通过 ${yuan(e.before.limitFen)}` : '拒绝') },
                { title: '之后', render: (_, e) => (e.after.eligible ? `通过 ${yuan(e.after.limitFen)}` : '拒绝') },
              ]}
            />
          )}
        </div>
      )}
      <Drawer
        width={720}
        title={`新建${KINDS[kind]}草稿`}
        open={editing !== null}
        onClose={() => setEditing(null)}
        extra={
          <Button type="primary" onClick={() => void saveDraft()}>
            保存草稿
          </Button>
        }
      >
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
        <Input
          aria-label="草稿说明"
          placeholder="说明（改了什么、为什么）"
          value={note}
          onChange={(e) => setNote(e.target.value)}
          style={{ marginBottom: 12 }}
        />
        <Input.TextArea
          aria-label={`${KINDS[kind]} JSON`}
          value={editing ?? ''}
          onChange={(e) => setEditing(e.target.value)}
          rows={28}
          style={{ fontFamily: 'monospace', fontSize: 12 }}
        />
      </Drawer>
    </section>
  )
}
