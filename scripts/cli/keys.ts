// `kaitong keys <status|new|rotate|retire <id>>`: the local data keys (data-keys.json beside
// $KAITONG_DB) that seal legal names and ID numbers. Rotation is three steps: `new` (a new key
// becomes current), `rotate` (re-seal every record under the older keys), `retire <id>` (drop a key
// nothing is sealed with any more). In WeChat Cloud the same steps are done on KAITONG_DATA_KEYS
// with the `rotate` step run by the cloud function (README, deploying).
import { resealIdentities } from '../../server/app/identity'
import fs from 'node:fs'
import path from 'node:path'
import { LOCAL_CLOUD_PID, addDataKey, removeDataKey } from '../../server/local/adapters/basics'
import type { LocalPorts } from '../../server/local/ports'
import type { CliResult } from './quote'

export const KEYS_USAGE = 'kaitong keys status | new | rotate | retire <key id>   (the data keys beside $KAITONG_DB)'

const usage = (message: string): CliResult => ({
  exitCode: 1,
  output: { error: { code: 'USAGE', message: `${message}\nusage: ${KEYS_USAGE}` } },
})

/** How many people's identities each key id stored beside them names — configured keys and any that are not. */
function sealedBy(ports: LocalPorts): { sealedBy: Record<string, number>; unknownKeys: string[] } {
  const counts: Record<string, number> = Object.fromEntries(ports.secrets.keyIds().map((k) => [k, 0]))
  Object.assign(counts, ports.store.sealedByKey())
  return { sealedBy: counts, unknownKeys: Object.keys(counts).filter((k) => !ports.secrets.keyIds().includes(k)) }
}

/** A local cloud running on this database holds its keys in memory: changing them under it is refused. */
function runningCloud(dataDir: string): number | null {
  const pid = Number(
    fs.existsSync(path.join(dataDir, LOCAL_CLOUD_PID)) && fs.readFileSync(path.join(dataDir, LOCAL_CLOUD_PID), 'utf8'),
  )
  if (!Number.isSafeInteger(pid) || pid <= 0) return null
  try {
    process.kill(pid, 0)
    return pid
  } catch {
    return null
  }
}

export async function keysCommand(argv: string[], open: () => LocalPorts, dataDir: string): Promise<CliResult> {
  const [verb, arg, ...extra] = argv
  if (extra.length > 0) return usage(`unexpected argument: ${extra[0]}`)
  const pid = verb === 'new' || verb === 'retire' ? runningCloud(dataDir) : null
  if (pid !== null)
    return {
      exitCode: 1,
      output: {
        error: { code: 'CLOUD_RUNNING', message: `the local cloud (pid ${pid}) uses these keys: stop it first` },
      },
    }
  if (verb === 'new') {
    if (arg !== undefined) return usage('new takes no argument')
    return { exitCode: 0, output: addDataKey(dataDir) }
  }
  const ports = open()
  try {
    if (verb === 'status' && arg === undefined)
      return { exitCode: 0, output: { current: ports.secrets.currentKeyId(), ...sealedBy(ports) } }
    if (verb === 'rotate' && arg === undefined) {
      const retired = ports.secrets.keyIds().filter((k) => k !== ports.secrets.currentKeyId())
      let resealed = 0
      for (;;) {
        const step = await resealIdentities(ports, retired)
        resealed += step.resealed
        if (step.remaining === 0 || step.resealed === 0) {
          return {
            exitCode: step.remaining === 0 ? 0 : 1,
            output: { current: ports.secrets.currentKeyId(), resealed, remaining: step.remaining, failed: step.failed },
          }
        }
      }
    }
    if (verb === 'retire' && arg !== undefined) {
      const left = sealedBy(ports).sealedBy[arg]
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
