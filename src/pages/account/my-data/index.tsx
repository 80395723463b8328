// 我的数据: what we hold (masked), the optional consents with 撤回 (what stops working said
// before, the server's word after), every consent given or withdrawn, export, and deletion with its
// consequences stated plainly, a second confirmation, and what is kept, why and until when.
import { Text, View } from '@tarojs/components'
import { AGREEMENT_KINDS, CREDIT_CONSENT_MINUTES, type AgreementKind } from '../../../domain/agreements'
import type { ConsentView, DeleteResult, OnboardingStatus, WithdrawResult } from '../../../api'
import { ErrorNotice } from '../../../components/error-notice'
import { Loading, QueryView } from '../../../components/states'
import { Page } from '../../../components/page'
import { Heading } from '../../../components/prose'
import type { ConsentStanding } from '../../../hooks/use-consents'
import { useMyData, type ExportSummaryItem } from '../../../hooks/use-my-data'
import { PRODUCT_NAMES, CONSENT_PURPOSE_NAMES, bytesText, dateOf, dateTime } from '../../../ui/format'
import { CONSENT_KIND_NAMES, RECORD_NAMES, WITHDRAW_TEXTS } from './labels'
import { WITHDRAWAL_EFFECTS } from '../../../domain/withdrawal'
import { payScoreText } from '../../../ui/product-text'
import { go } from '../../../services/nav'
import { Row } from '../../../components/row'
import { Action, Actions } from '../../../components/action'
import './index.scss'

function Identity({ status }: { status: OnboardingStatus }) {
  const id = status.identity
  return (
    <View className="kt-card" data-testid="mydata-identity">
      {id ? (
        <View>
          <Row label="姓名" value={id.name} plain />
          <Row label="身份证号" value={id.idNumber} plain />
          <Row label="手机号" value={id.mobile} plain />
          <Row label="实名认证时间" value={dateTime(id.verifiedAt)} plain />
        </View>
      ) : (
        <Text className="kt-muted">未实名认证，没有保存身份信息。</Text>
      )}
      {status.cards.map((c) => (
        <View className="kt-row" key={`${c.bank}-${c.last4}-${c.boundAt}`}>
          <Text>银行卡</Text>
          <Text>
            {c.bank} 尾号 {c.last4}
          </Text>
        </View>
      ))}
      {status.payScore ? <Row label="微信支付分" value={payScoreText(status.payScore)} plain /> : null}
      <View className="mydata-note">
        <Text className="kt-muted">
          姓名和身份证号加密保存，只在查询征信、人脸核身时解密使用，页面只显示脱敏形式；银行卡号只保存尾号和加密摘要；人脸图像从不保存。
        </Text>
      </View>
    </View>
  )
}

function Consent({ c }: { c: ConsentView }) {
  const name = CONSENT_KIND_NAMES[c.kind] ?? c.kind
  return (
    <View
      className="kt-card mydata-consent"
      data-testid="consent"
      data-kind={c.kind}
      data-withdrawn={c.withdrawn ? 'true' : 'false'}
    >
      <View className="kt-row">
        <Text className="mydata-strong">{name}</Text>
        <Text className="kt-muted">{dateTime(c.at)}</Text>
      </View>
      {c.withdrawn ? (
        <View>
          <Text className="kt-error">{`已撤回${c.product ? `（${PRODUCT_NAMES[c.product] ?? c.product}）` : ''}`}</Text>
        </View>
      ) : null}
      {c.version ? <Text className="kt-muted">版本 {c.version}</Text> : null}
      {c.kind === 'autoDebit' && !c.withdrawn ? (
        <Text className="kt-muted">
          {c.product ? (PRODUCT_NAMES[c.product] ?? c.product) : ''}：{c.on ? '开启' : '关闭'}
        </Text>
      ) : null}
      {c.kind === 'creditQuery' ? (
        <View>
          <View>
            <Text className="kt-muted">
              产品：{c.product ? (PRODUCT_NAMES[c.product] ?? c.product) : ''}　用途：
              {c.purpose ? (CONSENT_PURPOSE_NAMES[c.purpose] ?? c.purpose) : ''}
            </Text>
          </View>
          <Text className="kt-muted">
            {c.usedBy
              ? c.purpose === 'credit-line'
                ? '已用于开通额度'
                : `已用于借款申请 ${c.usedBy}`
              : `未使用（每次授权只能用于一次申请，${CREDIT_CONSENT_MINUTES}分钟内有效）`}
          </Text>
        </View>
      ) : null}
    </View>
  )
}

type Optional = MyData['optional']

function standingText(s: ConsentStanding): string {
  if (s.given) return s.since !== null ? `已授权（${dateTime(s.since)}）` : '已授权'
  if (s.withdrawnAt !== null) return `已撤回（${dateTime(s.withdrawnAt)}）`
  return '未授权'
}

/** Before a withdrawal: exactly what stops working, and the borrower's own confirmation. */
function WithdrawDialog({ s, w }: { s: ConsentStanding; w: Optional['withdrawal'] }) {
  const t = WITHDRAW_TEXTS[s.kind]
  return (
    <View
      className="mydata-confirm"
      data-testid="withdraw-dialog"
      role="alertdialog"
      aria-label={`确认撤回${t.name}授权`}
    >
      <View className="mydata-block">
        <Text className="mydata-strong">{`撤回${t.name}授权后：`}</Text>
      </View>
      <View className="mydata-block" data-testid="withdraw-stops">
        {WITHDRAWAL_EFFECTS[s.kind].stops.map((line) => (
          <Text key={line} className="mydata-line">{`· ${line}`}</Text>
        ))}
      </View>
      <View className="mydata-block">
        <Text className="kt-muted">撤回会被记录，原来的授权记录不会删除；之后需要时可以重新授权。</Text>
      </View>
      {w.error ? <ErrorNotice error={w.error} onRetry={() => void w.confirm()} /> : null}
      <Action danger label="确认撤回" disabled={w.busy} loading={w.busy} onTap={() => void w.confirm()} />
      <View className="mydata-gap" />
      <Action label="取消" disabled={w.busy} onTap={w.cancel} />
    </View>
  )
}

function OptionalConsent({ s, w }: { s: ConsentStanding; w: Optional['withdrawal'] }) {
  const t = WITHDRAW_TEXTS[s.kind]
  return (
    <View className="kt-card" data-testid="optional-consent" data-kind={s.kind} data-given={s.given ? 'true' : 'false'}>
      <View className="kt-row">
        <Text className="mydata-strong">{t.name}</Text>
        <Text className={s.given ? 'kt-ok' : 'kt-muted'} data-testid="optional-state">
          {standingText(s)}
        </Text>
      </View>
      <View>
        <Text className="kt-muted">{t.what}</Text>
      </View>
      {w.asking === s.kind ? (
        <WithdrawDialog s={s} w={w} />
      ) : s.given ? (
        <Actions>
          <Action small danger outline label={`撤回${t.name}授权`} disabled={w.busy} onTap={() => w.ask(s.kind)}>
            撤回
          </Action>
        </Actions>
      ) : (
        <View data-testid="optional-where">
          <Text className="kt-muted">{`如需使用：${t.where}`}</Text>
          {AGREEMENT_KINDS.includes(s.kind as AgreementKind) ? (
            <Actions>
              <Action small label={`去授权${t.name}`} onTap={() => void go('agreements')}>
                去授权
              </Action>
            </Actions>
          ) : null}
        </View>
      )}
    </View>
  )
}

/** After a withdrawal: what the server says stopped, and how to give it again. */
function Withdrawn({ r }: { r: WithdrawResult }) {
  const t = WITHDRAW_TEXTS[r.kind]
  return (
    <View className="kt-card" data-testid="withdraw-result" role="status">
      <Text className="mydata-strong">
        {r.wasGiven ? `已撤回${t.name}授权（${dateTime(r.withdrawnAt)}）` : `${t.name}授权此前未给出，已记录撤回。`}
      </Text>
      {r.stops.length > 0 ? (
        <View className="mydata-block" data-testid="withdraw-result-stops">
          <Text className="kt-muted">现在起：</Text>
          {r.stops.map((line) => (
            <View key={line}>
              <Text>{`· ${line}`}</Text>
            </View>
          ))}
        </View>
      ) : null}
      <View data-testid="withdraw-again">
        <Text className="kt-muted">{`如需恢复：${r.again}`}</Text>
      </View>
    </View>
  )
}

function OptionalConsents({ o }: { o: Optional }) {
  return (
    <View data-testid="optional-consents">
      {o.withdrawal.result ? <Withdrawn r={o.withdrawal.result} /> : null}
      {(o.standings ?? []).map((s) => (
        <OptionalConsent key={s.kind} s={s} w={o.withdrawal} />
      ))}
    </View>
  )
}

function ExportSummary({ summary, bytes }: { summary: ExportSummaryItem[]; bytes: number }) {
  return (
    <View data-testid="export-summary">
      <Text>导出内容（均为脱敏形式，不含加密摘要和密钥）：</Text>
      {summary.map((s) => (
        <Row key={s.key} label={s.label} value={s.value} />
      ))}
      <View className="kt-row">
        <Text className="kt-muted">文件大小</Text>
        <Text data-testid="export-bytes">{bytesText(bytes)}</Text>
      </View>
    </View>
  )
}

function DeleteOutcome({ result }: { result: DeleteResult }) {
  const deleted = Object.entries(result.deleted).filter(([, n]) => n > 0)
  return (
    <View className="kt-card" data-testid="delete-result" role="status">
      <Text className="mydata-strong">
        {result.kept.length === 0 ? '删除完成，没有需要依法保留的数据。' : '删除完成，部分数据依法保留（见下方）。'}
      </Text>
      {deleted.length > 0 ? (
        <View className="mydata-block">
          <Text className="kt-muted">已删除：</Text>
          {deleted.map(([k, n]) => (
            <View className="kt-row" key={k}>
              <Text>{RECORD_NAMES[k] ?? k}</Text>
              <Text>{n} 条</Text>
            </View>
          ))}
        </View>
      ) : null}
      {result.kept.length > 0 ? (
        <View className="mydata-block" data-testid="delete-kept">
          <Text className="kt-muted">保留：</Text>
          {result.kept.map((k) => (
            <View className="mydata-kept" key={k.what} data-testid="kept-item">
              <View>
                <Text>{k.what}</Text>
              </View>
              <View>
                <Text className="kt-muted">原因：{k.why}</Text>
              </View>
              {k.until === undefined ? null : (
                <Text className="kt-muted" data-testid="kept-until">
                  {k.until === null ? '保留至：借款结清后开始计算保留期限' : `保留至 ${dateOf(k.until)}`}
                </Text>
              )}
            </View>
          ))}
        </View>
      ) : null}
    </View>
  )
}

type MyData = ReturnType<typeof useMyData>

/** Export: what is in it, its size, and copying it. */
function ExportCard({ ex }: { ex: MyData['exportView'] }) {
  return (
    <View className="kt-card">
      {ex.error ? (
        <ErrorNotice error={ex.error} onRetry={ex.request} />
      ) : ex.loading ? (
        <Loading text="正在导出…" />
      ) : ex.data ? (
        <View>
          <ExportSummary summary={ex.data.summary} bytes={ex.data.bytes} />
          <Actions>
            <Action primary label="复制导出的JSON" onTap={() => void ex.copy()} />
          </Actions>
          {ex.copied === true ? (
            <View role="status">
              <Text className="kt-ok">已复制到剪贴板，可粘贴保存。</Text>
            </View>
          ) : ex.copied === false ? (
            <View role="alert">
              <Text className="kt-error">复制失败，请重试。</Text>
            </View>
          ) : null}
        </View>
      ) : (
        <Text className="kt-muted">导出你的全部数据（JSON 格式），可复制后自行保存。</Text>
      )}
      {!ex.loading ? (
        <Actions>
          <Action label={ex.data ? '重新导出' : '导出我的数据'} onTap={ex.request} />
        </Actions>
      ) : null}
    </View>
  )
}

/** Deletion: what goes, what the law keeps while a loan is open, and a second confirmation. */
function DeleteCard({ deletion }: { deletion: MyData['deletion'] }) {
  return (
    <>
      {deletion.result ? <DeleteOutcome result={deletion.result} /> : null}
      <View className="kt-card" data-testid="delete-warning">
        <View className="mydata-block">
          <Text className="mydata-strong">删除后不能恢复。</Text>
        </View>
        <View className="mydata-block">
          <Text>
            将删除：协议同意和单独授权记录、预审与人脸核身会话记录、请求记录，以及已结束（已结清、已取消、未通过）的借款。
          </Text>
        </View>
        <View className="mydata-block">
          <Text>没有未结清的借款时：实名信息、银行卡、全部借款、电子凭证、审计记录和征信查询授权记录也一并删除。</Text>
        </View>
        <View className="mydata-block">
          <Text>
            有未结清的借款（含审核中、待放款）时：借款存续期间依法须保留该借款的合同与交易记录、电子凭证和审计记录、实名信息（姓名和身份证号加密保存，另有脱敏形式与加密摘要）、还款银行卡（尾号）和征信查询授权记录。结清后可以再次删除。
          </Text>
        </View>
        <View className="mydata-block">
          <Text>
            删除数据不会取消或结清借款，未结清的借款仍需按期还款。删除后如需再次使用，需要重新同意协议并完成实名认证。
          </Text>
        </View>
        {deletion.step === 'confirming' ? (
          <View className="mydata-confirm" data-testid="delete-confirm" role="alertdialog" aria-label="确认删除数据">
            <View className="mydata-block">
              <Text className="mydata-strong">确定删除你的数据吗？此操作不能撤销。</Text>
            </View>
            {deletion.error ? <ErrorNotice error={deletion.error} onRetry={() => void deletion.confirm()} /> : null}
            <Action
              danger
              label="确认删除"
              disabled={deletion.busy}
              loading={deletion.busy}
              onTap={() => void deletion.confirm()}
            />
            <View className="mydata-gap" />
            <Action label="取消" disabled={deletion.busy} onTap={deletion.cancel} />
          </View>
        ) : (
          <Actions>
            <Action danger outline label="删除我的数据" onTap={deletion.ask} />
          </Actions>
        )}
      </View>
    </>
  )
}

export default function MyData() {
  const { status, consents, optional, exportView: ex, deletion } = useMyData()

  return (
    <Page title="我的数据" subtitle="你可以查看、导出和删除我们保存的关于你的数据。">
      <Heading>实名信息与银行卡</Heading>
      <QueryView query={status}>{(s) => <Identity status={s} />}</QueryView>

      <Heading>可以撤回的授权</Heading>
      {optional.standings ? (
        <OptionalConsents o={optional} />
      ) : consents.error ? null : (
        <Loading text="正在读取授权…" />
      )}

      <Heading>授权记录</Heading>
      <QueryView query={consents} empty={(list) => (list.length === 0 ? '暂无授权记录' : null)}>
        {(list) => (
          <View data-testid="consents">
            {list.map((c, i) => (
              <Consent key={`${c.kind}-${c.at}-${i}`} c={c} />
            ))}
          </View>
        )}
      </QueryView>

      <Heading>导出数据</Heading>
      <ExportCard ex={ex} />

      <Heading>删除数据</Heading>
      <DeleteCard deletion={deletion} />
    </Page>
  )
}
