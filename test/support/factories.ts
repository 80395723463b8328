// Test factories: valid inputs built on demand, never shared mutable fixtures.
import { idCheckChar } from '../../src/domain/id-card'
import { fromChinaDateTime } from '../../src/domain/china-time'

export const NOW = fromChinaDateTime({ year: 2026, month: 11, day: 28, hour: 10 })

export function makeIdNumber(opts: { region?: string; birth?: string; seq?: string } = {}): string {
  const first17 = `${opts.region ?? '110101'}${opts.birth ?? '19900307'}${opts.seq ?? '451'}`
  return first17 + idCheckChar(first17)
}

export function makeApplicant(overrides: Partial<{ name: string; idNumber: string; mobile: string }> = {}) {
  return { name: '张三', idNumber: makeIdNumber(), mobile: '13812345678', ...overrides }
}
