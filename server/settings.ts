// The lender's settings, read once from the environment in both clouds (WeChat Cloud: the
// function's configuration; local: the shell). A malformed value stops the function at start-up
// with a message naming the variable, rather than pricing under a cap nobody chose.
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
  return { aprCapPercent }
}
