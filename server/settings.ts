// The lender's settings, read once from the environment in both clouds (WeChat Cloud: the
// function's configuration; local: the shell). A malformed value stops the function at start-up
// with a message naming the variable, rather than pricing under a cap nobody chose.
import { LINE_CEILING_FEN } from '../src/domain/figures'
import { DEFAULT_APR_CAP_PERCENT, HISTORIC_APR_CAP_PERCENT, isAprCapSetting } from '../src/domain/pricing'
import type { Settings } from './ports'

export function settingsFromEnv(env: Record<string, string | undefined> = process.env): Settings {
  const raw = env.KAITONG_APR_CAP_PERCENT?.trim() ?? ''
  const aprCapPercent = raw === '' ? DEFAULT_APR_CAP_PERCENT : Number(raw)
  if ((raw !== '' && !/^\d{1,2}(\.\d{1,2})?$/.test(raw)) || !isAprCapSetting(aprCapPercent)) {
    throw new Error(
      `KAITONG_APR_CAP_PERCENT must be a percent above 0 and at most ${HISTORIC_APR_CAP_PERCENT} (default ${DEFAULT_APR_CAP_PERCENT}); got ${JSON.stringify(raw)}`,
    )
  }
  const ceiling = env.KAITONG_LINE_CEILING_CNY?.trim() ?? ''
  const ceilingCny = ceiling === '' ? LINE_CEILING_CNY : Number(ceiling)
  if (!/^\d*$/.test(ceiling) || !Number.isSafeInteger(ceilingCny) || ceilingCny < 1 || ceilingCny > LINE_CEILING_CNY)
    throw new Error(
      `KAITONG_LINE_CEILING_CNY must be whole yuan from 1 to ${LINE_CEILING_CNY} (the regulatory ceiling, and the default); got ${JSON.stringify(ceiling)}`,
    )
  const years = env.KAITONG_RETENTION_YEARS?.trim() ?? ''
  const retentionYears = years === '' ? DEFAULT_RETENTION_YEARS : Number(years)
  if (!/^\d*$/.test(years) || !Number.isSafeInteger(retentionYears) || retentionYears < 1 || retentionYears > 30)
    throw new Error(
      `KAITONG_RETENTION_YEARS must be whole years from 1 to 30 (default ${DEFAULT_RETENTION_YEARS}: how long contracts, receipts, the journal, credit-query consents and the audit log are kept after a deleted account's last loan closed); got ${JSON.stringify(years)}`,
    )
  return { aprCapPercent, lineCeilingFen: ceilingCny * 100, retentionYears }
}

/** How long a deleted account's loan records are kept after its last loan closed (years). */
export const DEFAULT_RETENTION_YEARS = 5

/** The ceiling on one borrower's unsecured consumer line from one lender, in yuan (Interim Measures, 2020). */
export const LINE_CEILING_CNY = LINE_CEILING_FEN / 100
/** The settings a test or the local cloud starts from when it names only some. */
export const DEFAULT_SETTINGS = {
  aprCapPercent: DEFAULT_APR_CAP_PERCENT,
  lineCeilingFen: LINE_CEILING_FEN,
  retentionYears: DEFAULT_RETENTION_YEARS,
}
