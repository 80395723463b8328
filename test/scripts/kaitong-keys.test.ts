import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { openIdentity } from '../../server/app/identity'
import type { UserDoc } from '../../server/app/users'
import { DATA_KEYS_FILE, LOCAL_CLOUD_PID, loadOrCreateKeyring } from '../../server/local/adapters/basics'
import { localPorts } from '../../server/local/ports'
import { keysCommand } from '../../scripts/cli/keys'
import { onboardBorrower } from '../support/borrower'
import { makeTestCloud } from '../support/cloud'
import { makeApplicant } from '../support/factories'

describe('kaitong keys: rotating the local data keys', () => {
  it('new → rotate → retire: every identity ends under the new key, the old one is gone, and all still open', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-keys-'))
    const dbFile = path.join(dir, 'k.db')
    const first = loadOrCreateKeyring(dir)
    expect(fs.statSync(path.join(dir, DATA_KEYS_FILE)).mode & 0o777).toBe(0o600)
    const cloud = await makeTestCloud({ dbFile, dataKeys: first })
    const person = makeApplicant()
    await onboardBorrower(cloud, 'alice', person)
    cloud.close()

    const quiet = { info() {}, warn() {}, error() {} }
    const open = () => localPorts({ dbFile, secretKey: Buffer.alloc(32, 7), log: quiet })
    const keys = (...argv: string[]) => keysCommand(argv, open, dir)
    expect(await keys('status')).toEqual({
      exitCode: 0,
      output: { current: first.current, sealedBy: { [first.current]: 1 }, unknownKeys: [] },
    })

    const added = await keys('new')
    const next = (added.output as { current: string }).current
    expect(next).not.toBe(first.current)
    expect(await keys('retire', first.current)).toMatchObject({
      exitCode: 1,
      output: { error: { code: 'KEY_IN_USE' } },
    })
    expect(await keys('rotate')).toEqual({
      exitCode: 0,
      output: { current: next, resealed: 1, remaining: 0, failed: 0 },
    })
    expect(await keys('retire', first.current)).toEqual({ exitCode: 0, output: { current: next, keys: [next] } })
    expect(await keys('retire', next)).toMatchObject({ exitCode: 1 })

    // The local cloud running on this database holds the keys: changing them under it is refused.
    fs.writeFileSync(path.join(dir, LOCAL_CLOUD_PID), String(process.pid))
    expect(await keys('new')).toMatchObject({ exitCode: 1, output: { error: { code: 'CLOUD_RUNNING' } } })
    fs.rmSync(path.join(dir, LOCAL_CLOUD_PID))

    const ports = open()
    const user = await ports.store.get<UserDoc>('users', 'o_dev_alice')
    expect(user!.data.identity!.legal!.name.kid).toBe(next)
    expect(openIdentity(ports.secrets, user!.data)).toEqual({ name: person.name, idNumber: person.idNumber })
    ports.store.close()
  })

  it('a missing key file is not replaced by a fresh key when identities are sealed; status names keys the file lacks', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-keys-'))
    const dbFile = path.join(dir, 'k.db')
    const cloud = await makeTestCloud({ dbFile, dataKeys: loadOrCreateKeyring(dir) })
    await onboardBorrower(cloud, 'alice', makeApplicant())
    cloud.close()
    const kept = fs.readFileSync(path.join(dir, DATA_KEYS_FILE), 'utf8')
    fs.rmSync(path.join(dir, DATA_KEYS_FILE))
    const quiet = { info() {}, warn() {}, error() {} }
    expect(() => localPorts({ dbFile, secretKey: Buffer.alloc(32, 7), log: quiet })).toThrow(
      /data-keys.json is missing/,
    )
    expect(fs.existsSync(path.join(dir, DATA_KEYS_FILE))).toBe(false)
    // A file with other keys: the status says which stored key id it lacks.
    const other = JSON.parse(kept) as { current: string; keys: Record<string, string> }
    fs.writeFileSync(
      path.join(dir, DATA_KEYS_FILE),
      JSON.stringify({ current: 'other', keys: { other: Object.values(other.keys)[0] } }),
    )
    const status = await keysCommand(
      ['status'],
      () => localPorts({ dbFile, secretKey: Buffer.alloc(32, 7), log: quiet }),
      dir,
    )
    expect(status).toMatchObject({ exitCode: 0, output: { unknownKeys: [other.current] } })
  })

  it('says how to use it when asked wrongly', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-keys-'))
    const open = () =>
      localPorts({
        dbFile: path.join(dir, 'k.db'),
        secretKey: Buffer.alloc(32, 7),
        log: { info() {}, warn() {}, error() {} },
      })
    for (const argv of [[], ['spin'], ['status', 'x'], ['retire']])
      expect(await keysCommand(argv, open, dir)).toMatchObject({ exitCode: 1, output: { error: { code: 'USAGE' } } })
  })
})
