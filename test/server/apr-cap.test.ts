/**
 * The cap on the all-in annualized cost. Regression: it was 36% by default, out of date since
 * NFRA 2025 No. 9 (in force 1 October 2025) read the all-in cost of an internet loan as capped at
 * 24% — and `loans.apply` priced with the domain's default instead of the server's cap.
 */
import type { ApplyResult, PrecheckResult } from '../../src/api'
import { settingsFromEnv } from '../../server/settings'
import { onboardBorrower, openLine } from '../support/borrower'
import { makeTestCloud, type TestCloud } from '../support/cloud'

async function applyOneMonth(cloud: TestCloud) {
  await openLine(cloud, 'alice', 'we2000')
  return cloud.call<ApplyResult>('loans', 'apply', {
    product: 'we2000',
    amountFen: 100_000,
    termMonths: 1,
    mode: 'equal-principal',
    purpose: 'consumption',
  })
}

describe('the APR cap setting', () => {
  it('defaults to 24%; 36% and anything above 0 up to 36 are settings; other values stop the start', () => {
    const cap = (env: Record<string, string>) => settingsFromEnv(env).aprCapPercent
    expect(cap({})).toBe(24)
    expect(cap({ KAITONG_APR_CAP_PERCENT: '' })).toBe(24)
    expect(cap({ KAITONG_APR_CAP_PERCENT: '36' })).toBe(36)
    expect(cap({ KAITONG_APR_CAP_PERCENT: '18.5' })).toBe(18.5)
    for (const bad of ['36.01', '0', '-1', 'abc', '24%', '1e1', '100'])
      expect(() => settingsFromEnv({ KAITONG_APR_CAP_PERCENT: bad })).toThrow(/KAITONG_APR_CAP_PERCENT/)
  })
})

describe('the line ceiling setting', () => {
  it('defaults to the regulatory ¥200,000; a lender may set it lower, never higher; other values stop the start', () => {
    const ceiling = (env: Record<string, string>) => settingsFromEnv(env).lineCeilingFen
    expect(ceiling({})).toBe(200_000_00)
    expect(ceiling({ KAITONG_LINE_CEILING_CNY: '' })).toBe(200_000_00)
    expect(ceiling({ KAITONG_LINE_CEILING_CNY: '50000' })).toBe(50_000_00)
    expect(ceiling({ KAITONG_LINE_CEILING_CNY: '200000' })).toBe(200_000_00)
    for (const bad of ['200001', '0', '-1', '1.5', 'abc', '1e5', '300000'])
      expect(() => settingsFromEnv({ KAITONG_LINE_CEILING_CNY: bad })).toThrow(/KAITONG_LINE_CEILING_CNY/)
  })

  it('at the default, the server refuses WE2000 over one month (30.25% all-in) with its APR, and nothing is borrowed', async () => {
    const cloud = await makeTestCloud()
    try {
      await onboardBorrower(cloud)
      const pre = await cloud.call<PrecheckResult>('credit', 'precheck', {})
      expect(pre.ok && pre.data.capPercent).toBe(24)
      const before = cloud.counts()
      expect(await applyOneMonth(cloud)).toMatchObject({
        ok: false,
        error: { code: 'APR_OVER_CAP', detail: '30.25', message: expect.stringContaining('超过上限 24%') },
      })
      expect(cloud.counts().loans ?? 0).toBe(before.loans ?? 0)
    } finally {
      cloud.close()
    }
  })

  it('a lender outside the notice sets 36%: the same loan is priced and approved, and the pre-check says so', async () => {
    const cloud = await makeTestCloud({ settings: { aprCapPercent: 36 } })
    try {
      await onboardBorrower(cloud)
      const pre = await cloud.call<PrecheckResult>('credit', 'precheck', {})
      expect(pre.ok && pre.data.capPercent).toBe(36)
      expect(await applyOneMonth(cloud)).toMatchObject({
        ok: true,
        data: { outcome: 'approved', loan: { aprPercent: 30.25 } },
      })
    } finally {
      cloud.close()
    }
  })
})
