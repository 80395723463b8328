// The real wx-server-sdk pointed at the local stand-in of WeChat Cloud's protocol: what a WeChat
// adapter test runs on. One stand-in per test file (the SDK takes one cloud.init per process, and
// jest gives each file its own modules); `fresh()` empties it between tests.
import * as sdk from 'wx-server-sdk'
import { startStandin, type Standin, type StandinOptions } from '../../server/wechat-standin/server'

export type Sdk = typeof sdk

/** Quiet and offline: no slow-request warnings, no metadata look-ups, dummy credentials (the stand-in checks none). */
export function quietSdkEnv(): void {
  process.env.SILENCE = 'true'
  process.env.TENCENTCLOUD = 'true'
}

export async function standinSdk(
  opts: StandinOptions = {},
): Promise<{ standin: Standin; cloud: Sdk; fresh(collections: string[]): void }> {
  quietSdkEnv()
  const standin = await startStandin(opts)
  sdk.init({
    env: 'kaitong-standin',
    secretId: 'standin',
    secretKey: 'standin',
    serviceUrl: standin.serviceUrl,
  } as never)
  return {
    standin,
    cloud: sdk,
    fresh(collections) {
      standin.db.reset()
      standin.calls.length = 0
      standin.faults.length = 0
      standin.deploy(collections)
    },
  }
}
