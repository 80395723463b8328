// Deterministic stand-ins for services that exist only inside WeChat or at licensed providers:
// the identity record, the pay-score state, the bureau's soft report and payment activity.
import crypto from 'node:crypto'
import { DAY_MS } from '../../src/domain/china-time'
import type { PayScoreState } from '../../src/domain/precheck'
import type { ActivitySource, CreditBureau, IdentityCheck, IdentityVerifier, PayScore, Subject } from '../ports'

/** What the simulated world knows about one person. */
export interface SimProfile {
  /** WeChat Pay score; 0 means the user has not enabled pay score (UNBINDUSER). */
  payScore: number
  /** Days ago of each hard credit inquiry. */
  hardInquiryDaysAgo: number[]
  paymentsLast30Days: number
}

/**
 * Demo personas for the dev sign-in names (openid `o_dev_<name>`); any other user gets a
 * profile derived from a hash of the openid, so demo users differ but never change.
 */
export const PERSONAS: Record<string, SimProfile & { summary: string }> = {
  alice: { payScore: 720, hardInquiryDaysAgo: [40], paymentsLast30Days: 42, summary: '信用良好，WE2000 预审通过' },
  bob: { payScore: 560, hardInquiryDaysAgo: [], paymentsLast30Days: 30, summary: '支付分低于 600' },
  carol: {
    payScore: 660,
    hardInquiryDaysAgo: [5, 20, 33, 61, 90, 120, 150],
    paymentsLast30Days: 25,
    summary: '近6个月征信查询7次',
  },
  dave: { payScore: 640, hardInquiryDaysAgo: [200], paymentsLast30Days: 8, summary: '每月支付不足15笔' },
  erin: { payScore: 0, hardInquiryDaysAgo: [], paymentsLast30Days: 20, summary: '未开通微信支付分' },
}

export const DEV_OPENID_PREFIX = 'o_dev_'

export function simProfile(openid: string): SimProfile {
  const persona = openid.startsWith(DEV_OPENID_PREFIX) ? PERSONAS[openid.slice(DEV_OPENID_PREFIX.length)] : undefined
  if (persona) return persona
  const h = crypto.createHash('sha256').update(openid).digest()
  const inquiries = h[2] % 8
  return {
    payScore: 480 + (h.readUInt16BE(0) % 340),
    hardInquiryDaysAgo: Array.from({ length: inquiries }, (_, i) => 3 + ((h[3 + i] * 7) % 300)),
    paymentsLast30Days: h[12] % 70,
  }
}

/**
 * Identity record simulator. Deterministic: every well-formed name + ID matches, except
 * - a name containing 不符 → MISMATCH (the record holds another name for that ID);
 * - a name containing 维护 → UNAVAILABLE (the provider is down; the user may retry).
 */
export class SimIdentityVerifier implements IdentityVerifier {
  async verify(name: string): Promise<IdentityCheck> {
    if (name.includes('维护')) return { result: 'UNAVAILABLE', detail: 'simulated maintenance' }
    if (name.includes('不符')) return { result: 'MISMATCH' }
    return { result: 'MATCH' }
  }
}

export class SimPayScore implements PayScore {
  async state(openid: string, threshold: number): Promise<PayScoreState> {
    const { payScore } = simProfile(openid)
    if (payScore === 0) return 'UNBINDUSER'
    return payScore >= threshold ? 'AVAILABLE' : 'UNAVAILABLE'
  }
}

export class SimBureau implements CreditBureau {
  async softReport(subject: Subject, now: number): Promise<{ hardInquiryTimes: number[] }> {
    return { hardInquiryTimes: simProfile(subject.openid).hardInquiryDaysAgo.map((d) => now - d * DAY_MS) }
  }
}

export class SimActivity implements ActivitySource {
  async paymentsLast30Days(openid: string): Promise<number> {
    return simProfile(openid).paymentsLast30Days
  }
}
