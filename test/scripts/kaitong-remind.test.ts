import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { LoanView } from '../../src/api'
import { luhnCheckDigit } from '../../src/domain/bank-card'
import { fromChinaDateTime } from '../../src/domain/china-time'
import { localPorts } from '../../server/local/ports'
import { remindCommand } from '../../scripts/cli/remind'
import { ALL_AGREEMENTS, makeTestCloud } from '../support/cloud'
import { makeApplicant } from '../support/factories'

describe('kaitong remind --dry-run', () => {
  it('lists what would be sent at a time, masked, with the channel, and sends nothing', async () => {
    const dbFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kt-remind-')), 'k.db')
    const cloud = await makeTestCloud({ dbFile })
    const a = makeApplicant()
    await cloud.call('onboarding', 'acceptAgreements', { accepted: ALL_AGREEMENTS })
    await cloud.call('onboarding', 'verifyIdentity', a)
    await cloud.call('onboarding', 'bindCard', {
      cardNumber: '6225881234567890' + luhnCheckDigit('6225881234567890'),
      mobile: a.mobile,
      name: a.name,
      idNumber: a.idNumber,
    })
    await cloud.call('reminders', 'grant', { templateIds: ['tpl_local_due'] })
    const c = await cloud.call<{ consentId: string }>('loans', 'consent', { product: 'we2000', purpose: 'consumption' })
    const r = await cloud.call<{ loan: LoanView }>('loans', 'apply', {
      product: 'we2000',
      amountFen: 100_000,
      termMonths: 1,
      mode: 'equal-principal',
      purpose: 'consumption',
      consentId: c.ok ? c.data.consentId : '',
    })
    if (!r.ok) throw new Error(r.error.code)
    cloud.close()

    const quiet = { info() {}, warn() {}, error() {} }
    const portsAt = (at: number) => localPorts({ dbFile, secretKey: Buffer.alloc(32, 7), now: () => at, log: quiet })
    const at = new Date(fromChinaDateTime({ year: 2026, month: 12, day: 27, hour: 10 })).toISOString()
    const out = await remindCommand(['--dry-run', '--at', at], 0, portsAt)
    expect(out).toMatchObject({
      exitCode: 0,
      output: {
        quietHours: false,
        wouldSend: [
          {
            to: 'o_d***ice',
            loan: r.data.loan.id,
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
