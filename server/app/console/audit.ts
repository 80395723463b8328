// 审计: the operator audit log (every console call, allowed or refused) and a borrower's loan audit.
import { fail, ok, type ApiResult } from '../../../src/api'
import type { AuditRow, ConsoleInput } from '../../../src/api/console'
import type { Ports } from '../../ports'
import { COLLECTIONS } from '../../schema'
import type { AuditDoc } from '../loans/docs'
import type { OperatorAuditDoc } from './main'
import { maskOpenid } from './mask'
import type { OperatorCaller } from './operators'

const LIMIT = 500

export async function searchAudit(
  ports: Ports,
  _caller: OperatorCaller,
  input: ConsoleInput<'audit.search'>,
): Promise<ApiResult<AuditRow[]>> {
  if (input.to <= input.from) return fail('INVALID_DATE', { field: 'to', message: 'to 须晚于 from。' })
  const range = { gte: input.from, lt: input.to, order: 'desc' as const, limit: LIMIT }
  if (input.source === 'borrower') {
    if (!input.actor)
      return fail('INVALID_INPUT', { field: 'actor', message: '查询借款人的审计记录须给出其 openid（actor）。' })
    const docs = await ports.store.query<AuditDoc>(COLLECTIONS.audit, { index: 'byOpenid', eq: input.actor, ...range })
    return ok(
      docs
        .filter((d) => !input.action || d.data.action === input.action)
        .map((d) => ({
          id: d.id,
          source: 'borrower' as const,
          at: d.data.at,
          actor: maskOpenid(d.data.openid),
          action: d.data.action,
          outcome: d.data.state,
          detail: `${d.data.loanId}：¥${(d.data.amountFen / 100).toFixed(2)}（规则 ${d.data.versions.ruleSet}）`,
        })),
    )
  }
  // Filtering by action reads further back than one page so a rare action is still found.
  const docs = input.actor
    ? await ports.store.query<OperatorAuditDoc>(COLLECTIONS.operatorAudit, {
        index: 'byActor',
        eq: input.actor,
        ...range,
      })
    : await ports.store.query<OperatorAuditDoc>(COLLECTIONS.operatorAudit, {
        index: 'byAt',
        eq: 1,
        ...range,
        limit: input.action ? 1000 : LIMIT,
      })
  return ok(
    docs
      .filter((d) => !input.action || d.data.action === input.action)
      .slice(0, LIMIT)
      .map((d) => ({
        id: d.id,
        source: 'operator' as const,
        at: d.data.at,
        actor: d.data.actor,
        action: d.data.action,
        outcome: d.data.outcome,
        detail: [d.data.role ?? '', d.data.subject, d.data.reason ? `理由：${d.data.reason}` : '']
          .filter(Boolean)
          .join(' · '),
      })),
  )
}
