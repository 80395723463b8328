// 决定原因 (PIPL art. 24): why the automated decision on a product is what it is — the composite
// score and each dimension's score, weight and contribution, every rule evaluated (✓ passed,
// ✗ failed with what to do), the rule-set and catalog versions it used — and 申请人工复核: a
// person reviews a refusal (an optional note), the case shown while it waits, with the latest
// time it will be handled, and its outcome once decided.
import { Text, View } from '@tarojs/components'
import { Textarea } from '../../../components/rare-components'
import { useRouter } from '@tarojs/taro'
import type { Explanation, ReviewCaseView } from '../../../api'
import { fixedByAgreements } from '../../../api/errors'
import { Action, Actions } from '../../../components/action'
import { ErrorNotice } from '../../../components/error-notice'
import { Page } from '../../../components/page'
import { Heading } from '../../../components/prose'
import { Row } from '../../../components/row'
import { Empty, QueryView } from '../../../components/states'
import { useExplanation } from '../../../hooks/use-explain'
import { productOf } from '../../../hooks/use-line'
import { go, replace } from '../../../services/nav'
import { REVIEW_NOTE_MAX, REVIEW_STATE_NAMES, points, weightText } from '../../../ui/explain-text'
import { PRODUCT_NAMES, chinaTime, versionText } from '../../../ui/format'
import './index.scss'

type Explaining = ReturnType<typeof useExplanation>

/** What was decided: refused today, refused when opening (today's data would pass), or eligible. */
function verdictOf(e: Explanation): string {
  if (e.refused?.by === 'evaluation') return '未通过自动审批'
  if (e.refused?.by === 'line') return '开通未通过'
  return '符合条件'
}

function Summary({ e }: { e: Explanation }) {
  return (
    <View className="kt-card" data-testid="explain-summary">
      <Text className="explain-verdict">{`${PRODUCT_NAMES[e.product] ?? e.product}：${verdictOf(e)}`}</Text>
      {e.refused?.by === 'line' ? (
        <View data-testid="line-refusal">
          <Text className="kt-muted">
            你的开通申请未通过（原因见下）；下面是按今天的资料重新评估的结果，可以申请人工复核那次决定。
          </Text>
          {e.refused.reasons.map((r) => (
            <Text key={r.code} className="kt-error">{`${r.title}：${r.fix}`}</Text>
          ))}
        </View>
      ) : null}
      <Row label="综合评分（满分100）" value={points(e.score)} className="explain-score" testId="explain-score" />
      <Row label="评估时间" value={chinaTime(e.evaluatedAt)} />
      <Row label="规则版本" value={versionText(e.ruleSetVersion)} testId="explain-rules-version" />
      <Row label="产品目录版本" value={versionText(e.catalogVersion)} testId="explain-catalog-version" />
      <Text className="kt-muted">
        这是系统按规则自动作出的决定。你有权了解原因，并可以要求工作人员人工复核（《个人信息保护法》第二十四条）。
      </Text>
    </View>
  )
}

function Dimensions({ e }: { e: Explanation }) {
  return (
    <View className="kt-card" data-testid="explain-dimensions">
      <Text className="kt-muted">综合评分 = 各维度得分 × 权重之和。</Text>
      {e.dimensions.map((d) => (
        <View className="explain-dimension" key={d.dimension} data-testid="dimension" data-dimension={d.dimension}>
          <Text className="explain-dimension-name">{d.name}</Text>
          <Row label="得分（满分100）" value={points(d.score)} />
          <Row label="权重" value={weightText(d.weight)} />
          <Row label="贡献" value={`${points(d.contribution)} 分`} testId="dimension-contribution" />
        </View>
      ))}
    </View>
  )
}

function Rule({ r }: { r: Explanation['rules'][number] }) {
  return (
    <View className="explain-rule" data-testid="rule" data-rule={r.id} data-passed={r.passed ? 'true' : 'false'}>
      <Text className={`explain-mark ${r.passed ? 'explain-mark-passed' : 'explain-mark-failed'}`}>
        {r.passed ? '✓' : '✗'}
      </Text>
      <View className="explain-rule-body">
        <View>
          <Text>{r.title}</Text>
        </View>
        <View>
          <Text className={r.passed ? 'kt-ok' : 'kt-error'}>{r.passed ? '通过' : '未通过'}</Text>
        </View>
        {r.message && r.message !== r.title ? (
          <View>
            <Text className="kt-muted">{r.message}</Text>
          </View>
        ) : null}
        {!r.passed && r.fix ? (
          <View>
            <Text className="kt-muted">{`怎么办：${r.fix}`}</Text>
          </View>
        ) : null}
        <Text className="kt-muted">{`规则 ${r.id} · 版本 ${versionText(r.version)}`}</Text>
      </View>
    </View>
  )
}

function Rules({ e }: { e: Explanation }) {
  const failed = e.rules.filter((r) => !r.passed)
  const passed = e.rules.filter((r) => r.passed)
  return (
    <View>
      <Heading>{`未通过的规则（${failed.length}）`}</Heading>
      <View className="kt-card" data-testid="rules-failed">
        {failed.length === 0 ? <Text className="kt-muted">没有未通过的规则。</Text> : null}
        {failed.map((r) => (
          <Rule key={r.id} r={r} />
        ))}
      </View>
      <Heading>{`已通过的规则（${passed.length}）`}</Heading>
      <View className="kt-card" data-testid="rules-passed">
        {passed.map((r) => (
          <Rule key={r.id} r={r} />
        ))}
      </View>
    </View>
  )
}

function ReviewCase({ review }: { review: ReviewCaseView }) {
  return (
    <View className="kt-card" data-testid="review-case" data-state={review.state} role="status">
      <Text className="explain-verdict">{REVIEW_STATE_NAMES[review.state]}</Text>
      <Row label="申请时间" value={chinaTime(review.requestedAt)} testId="review-requested-at" />
      {review.state === 'waiting' ? (
        <View>
          <Row label="预计最晚处理时间" value={chinaTime(review.expiresAt)} testId="review-expires-at" />
          <Text className="kt-muted">
            工作人员会重新查看你的资料和这次的评估；有结果后会在消息中心通知你。到期仍未处理的，申请自动结束，可以再次申请。
          </Text>
        </View>
      ) : review.decidedAt !== null ? (
        <Row label="处理时间" value={chinaTime(review.decidedAt)} testId="review-decided-at" />
      ) : null}
      {review.note ? <Row label="你的说明" value={review.note} /> : null}
      {review.outcome ? (
        <View data-testid="review-outcome">
          <Text>{`处理结果：${review.outcome}`}</Text>
        </View>
      ) : null}
    </View>
  )
}

function RequestForm({ x }: { x: Explaining }) {
  return (
    <View className="kt-card" data-testid="review-form">
      <Text>申请人工复核</Text>
      <View>
        <Text className="kt-muted">
          由工作人员重新审查这次自动作出的决定。复核不会再次查询征信；可以补充说明你的情况（可选）。
        </Text>
      </View>
      <Textarea
        className="explain-note"
        value={x.note}
        maxlength={REVIEW_NOTE_MAX}
        placeholder="补充说明（可选）"
        disabled={x.busy}
        onInput={(event) => x.setNote(event.detail.value)}
        aria-label={`补充说明（可选，${REVIEW_NOTE_MAX}字以内）`}
      />
      <View className="explain-count">
        <Text className="kt-muted" data-testid="note-count">{`${x.note.length}/${REVIEW_NOTE_MAX}`}</Text>
      </View>
      <Actions>
        <Action primary label="申请人工复核" disabled={x.busy} loading={x.busy} onTap={() => void x.request()} />
      </Actions>
    </View>
  )
}

function Review({ x }: { x: Explaining }) {
  return (
    <View>
      <Heading>人工复核</Heading>
      {x.review ? <ReviewCase review={x.review} /> : null}
      {x.error ? <ErrorNotice error={x.error} /> : null}
      {x.canRequest ? <RequestForm x={x} /> : null}
      {!x.review && !x.canRequest ? (
        <View className="kt-card">
          <Text className="kt-muted">没有被拒绝的决定，不需要人工复核。</Text>
        </View>
      ) : null}
    </View>
  )
}

export default function Explain() {
  const { params } = useRouter()
  const product = productOf(params.product)
  const x = useExplanation(product)
  const needsConsent = x.query.error !== null && fixedByAgreements(x.query.error)
  if (!product)
    return (
      <Page title="决定原因">
        <Empty text="没有找到这个产品。" action="返回选择产品" onAction={() => void replace('products')} />
      </Page>
    )
  return (
    <Page title={`${PRODUCT_NAMES[product]} 决定原因`} subtitle="每个评分维度的贡献和每条规则的结果。">
      {needsConsent ? (
        // The explanation reads financial data: without the consent it is given on the agreements page, not by trying again.
        <ErrorNotice error={x.query.error!} onRetry={() => void go('agreements')} retryLabel="去授权" />
      ) : null}
      <QueryView query={needsConsent ? { ...x.query, error: null } : x.query} loadingText="正在读取决定原因…">
        {(e) => (
          <View data-testid="explanation">
            <Summary e={e} />
            <Heading>各维度得分</Heading>
            <Dimensions e={e} />
            <Rules e={e} />
            <Review x={x} />
          </View>
        )}
      </QueryView>
    </Page>
  )
}
