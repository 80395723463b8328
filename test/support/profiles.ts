// A factory for credit profiles: a good, complete profile, changed field by field in each test.
import { DAY_MS } from '../../src/domain/china-time'
import type { CreditProfile } from '../../src/domain/credit-profile'
import { NOW } from './factories'

type DeepPartial<T> = {
  [K in keyof T]?: T[K] extends object ? (T[K] extends unknown[] ? T[K] : DeepPartial<T[K]>) : T[K]
}

export function makeProfile(over: DeepPartial<CreditProfile> = {}): CreditProfile {
  const base: CreditProfile = {
    identity: { verified: true, age: 30 },
    card: 'verified',
    payScore: 'MEETS_THRESHOLD',
    face: 'passed',
    invited: true,
    bureau: {
      hardInquiryTimes: [NOW - 40 * DAY_MS],
      overdueCount24m: 0,
      maxOverdueDays: 0,
      creditHistoryMonths: 48,
      debtFen: 3_000_000,
      annualIncomeFen: 18_000_000,
      fullRepaymentMonths: 12,
    },
    activity: { accountAgeMonths: 72, redPacketsPerMonth: 8, miniProgramDaysPerMonth: 18, charityMonths: 6 },
    consumption: {
      paymentsPerMonth: 60,
      medicalPaymentsPerMonth: 1,
      educationPaymentsPerMonth: 0,
      offlineSharePercent: 45,
      merchantCategories: 11,
    },
    assets: {
      wealthBalanceFen: 6_000_000,
      holdingMonths: 14,
      insurancePremiumFen: 1_000_000,
      walletFundEarningsFen: 200_000,
      housingFundMonths: 36,
    },
    device: { newDevice: false, distantLocation: false },
  }
  const merged = { ...base } as Record<string, unknown>
  for (const [k, v] of Object.entries(over)) {
    merged[k] =
      v && typeof v === 'object' && !Array.isArray(v) ? { ...(base as unknown as Record<string, object>)[k], ...v } : v
  }
  return merged as unknown as CreditProfile
}
