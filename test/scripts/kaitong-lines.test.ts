import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { linesCommand } from '../../scripts/cli/lines'
import { localPorts } from '../../server/local/ports'
import { onboardBorrower } from '../support/borrower'
import { makeTestCloud, testKeyring } from '../support/cloud'

describe('kaitong lines --user', () => {
  it('prints the person’s lines with their history, from the database file; reads only', async () => {
    const dbFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kt-lines-')), 'k.db')
    const cloud = await makeTestCloud({ dbFile })
    await onboardBorrower(cloud)
    await cloud.call('onboarding', 'authorizePayScore', {})
    const c = await cloud.call<{ consentId: string }>('lines', 'consent', { product: 'we2000' })
    if (!c.ok) throw new Error(c.error.code)
    expect((await cloud.call('lines', 'open', { product: 'we2000', consentId: c.data.consentId })).ok).toBe(true)
    cloud.close()
    const quiet = { info() {}, warn() {}, error() {} }
    const open = () => localPorts({ dbFile, secretKey: Buffer.alloc(32, 7), dataKeys: testKeyring(), log: quiet })
    const before = fs.statSync(dbFile).mtimeMs
    const out = await linesCommand(['--user', 'o_dev_alice'], open)
    expect(out).toMatchObject({
      exitCode: 0,
      output: {
        user: 'o_dev_alice',
        lines: [
          { product: 'we2000', state: 'active', history: [{ reason: 'OPENED', at: expect.stringMatching(/Z$/) }] },
        ],
      },
    })
    expect(await linesCommand(['--user', 'o_nobody'], open)).toEqual({
      exitCode: 0,
      output: { user: 'o_nobody', lines: [] },
    })
    expect(fs.statSync(dbFile).mtimeMs).toBe(before)
    expect(await linesCommand([], open)).toMatchObject({ exitCode: 1, output: { error: { code: 'USAGE' } } })
  })
})
