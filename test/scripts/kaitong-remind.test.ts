import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fromChinaDateTime } from '../../src/domain/china-time'
import { localPorts } from '../../server/local/ports'
import { remindCommand } from '../../scripts/cli/remind'
import { makeTestCloud, testKeyring } from '../support/cloud'
import { borrow, onboardBorrower } from '../support/borrower'

describe('kaitong remind --dry-run', () => {
  it('lists what would be sent at a time, masked, with the channel, and sends nothing', async () => {
    const dbFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kt-remind-')), 'k.db')
    const cloud = await makeTestCloud({ dbFile })
    await onboardBorrower(cloud)
    await cloud.call('reminders', 'grant', { templateIds: ['tpl_local_due'] })
    const loan = await borrow(cloud, 'alice', { termMonths: 6 })
    cloud.close()

    const quiet = { info() {}, warn() {}, error() {} }
    const portsAt = (at: number) =>
      localPorts({ dbFile, secretKey: Buffer.alloc(32, 7), dataKeys: testKeyring(), now: () => at, log: quiet })
    const at = new Date(fromChinaDateTime({ year: 2026, month: 12, day: 27, hour: 10 })).toISOString()
    const out = await remindCommand(['--dry-run', '--at', at], 0, portsAt)
    expect(out).toMatchObject({
      exitCode: 0,
      output: {
        quietHours: false,
        wouldSend: [
          {
            to: 'o_d***ice',
            loan: loan.id,
            installment: 1,
            kind: 'D-1',
            channel: 'subscribe',
            amountFen: expect.any(Number),
          },
        ],
      },
    })
    const night = new Date(fromChinaDateTime({ year: 2026, month: 12, day: 27, hour: 23 })).toISOString()
    expect(await remindCommand(['--dry-run', '--at', night], 0, portsAt)).toMatchObject({
      output: { quietHours: true, wouldSend: [] },
    })
    const ports = portsAt(Date.now())
    expect(await ports.store.query('reminders', { index: 'byState', eq: 'claimed', limit: 10 })).toEqual([])
    ports.store.close()
    expect(await remindCommand([], 0, portsAt)).toMatchObject({ exitCode: 1, output: { error: { code: 'USAGE' } } })
  })
})
