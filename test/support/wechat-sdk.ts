// The real wx-server-sdk pointed at the local stand-in of WeChat Cloud's protocol: what a WeChat
// adapter test runs on. One stand-in per test file (the SDK takes one cloud.init per process, and
// jest gives each file its own modules); `fresh()` empties it between tests.
import * as sdk from 'wx-server-sdk'
import { pointSdkAt } from '../../server/local/standin-ports'
import { startStandin, type Standin, type StandinOptions } from '../../server/wechat-standin/server'

export type Sdk = typeof sdk

export async function standinSdk(
  opts: StandinOptions = {},
): Promise<{ standin: Standin; cloud: Sdk; fresh(collections: string[]): void }> {
  const standin = await startStandin(opts)
  pointSdkAt(sdk, standin)
  return {
    standin,
    cloud: sdk,
    fresh(collections) {
      standin.reset()
      standin.deploy(collections)
    },
  }
}
