// `kaitong keys <status|new|rotate|retire <id>>`: the local data keys (data-keys.json beside
// $KAITONG_DB) that seal legal names and ID numbers. Rotation is three steps: `new` (a new key
// becomes current), `rotate` (re-seal every record under the older keys), `retire <id>` (drop a key
// nothing is sealed with any more). In WeChat Cloud the same steps are done on KAITONG_DATA_KEYS
// with the `rotate` step run by the cloud function (README, deploying).
import { resealIdentities } from '../../server/app/identity'
import { addDataKey, removeDataKey } from '../../server/local/basics'
import type { LocalPorts } from '../../server/local/ports'
import { COLLECTIONS } from '../../server/schema'
import type { CliResult } from './quote'

export const KEYS_USAGE = 'kaitong keys status | new | rotate | retire <key id>   (the data keys beside $KAITONG_DB)'

const usage = (message: string): CliResult => ({
  exitCode: 1,
  output: { error: { code: 'USAGE', message: `${message}\nusage: ${KEYS_USAGE}` } },
})

/** How many people's identities each key seals. */
async function sealedBy(ports: LocalPorts): Promise<Record<string, number>> {
  const ids = ports.secrets.keyring.ids()
  const counts: Record<string, number> = {}
  for (const kid of ids)
    counts[kid] = (await ports.store.query(COLLECTIONS.users, { index: 'byDataKey', eq: kid, limit: 1000 })).length
  return counts
}

export async function keysCommand(argv: string[], open: () => LocalPorts, dataDir: string): Promise<CliResult> {
  const [verb, arg, ...extra] = argv
  if (extra.length > 0) return usage(`unexpected argument: ${extra[0]}`)
  if (verb === 'new') {
    if (arg !== undefined) return usage('new takes no argument')
    return { exitCode: 0, output: addDataKey(dataDir) }
  }
  const ports = open()
  try {
    if (verb === 'status' && arg === undefined)
      return { exitCode: 0, output: { current: ports.secrets.currentKeyId(), sealedBy: await sealedBy(ports) } }
    if (verb === 'rotate' && arg === undefined) {
      const retired = ports.secrets.keyring.ids().filter((k) => k !== ports.secrets.currentKeyId())
      let resealed = 0
      for (;;) {
        const step = await resealIdentities(ports, retired)
        resealed += step.resealed
        if (step.remaining === 0 || step.resealed === 0) {
          return {
            exitCode: step.remaining === 0 ? 0 : 1,
            output: { current: ports.secrets.currentKeyId(), resealed, remaining: step.remaining },
          }
        }
      }
    }
    if (verb === 'retire' && arg !== undefined) {
      const left = (await sealedBy(ports))[arg]
      if (left === undefined) return usage(`no data key ${arg}`)
      if (left > 0)
        return {
          exitCode: 1,
          output: {
            error: {
              code: 'KEY_IN_USE',
              message: `${left} records are still sealed with ${arg}: run keys rotate first`,
            },
          },
        }
      return { exitCode: 0, output: removeDataKey(dataDir, arg) }
    }
    return usage(verb === undefined ? 'which keys command?' : `unknown keys command: ${verb}`)
  } finally {
    ports.store.close()
  }
}
