/**
 * `kaitong verify`: a borrower's copy checked offline with the lender's public key alone — the key
 * as GET /.well-known/kaitong-signing-key serves it, the PDF as the signed download address serves
 * it, the receipts as the account export gives them. The verifier is never given the private key.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { verifyCommand } from '../../scripts/cli/verify'
import { borrowOverHttp, onboardOverHttp } from '../support/http-borrower'
import { startHttpCloud, type HttpCloud } from '../support/http-cloud'
import { makeCard } from '../support/cards'
import { makeApplicant } from '../support/factories'

let cloud: HttpCloud
beforeAll(async () => {
  cloud = await startHttpCloud()
})
afterAll(() => cloud.close())

const noLocalKey = () => {
  throw new Error('the verifier asked for the local key: it must use the published one')
}

describe('kaitong verify', () => {
  it('accepts the downloaded PDF and the exported receipts with the published key, and refuses one changed byte', async () => {
    const call = cloud.api(await cloud.signIn('alice'))
    await onboardOverHttp(call, makeApplicant(), makeCard('622588', '123456789'))
    const loan = await borrowOverHttp(call, { amountFen: 100_000, termMonths: 6, mode: 'equal-installment' })
    expect(loan).toMatchObject({ ok: true, data: { outcome: 'approved' } })
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-verify-'))

    // The public key, as anyone reads it.
    const wellKnown = await fetch(`${cloud.base}/.well-known/kaitong-signing-key`)
    expect(wellKnown.status).toBe(200)
    const published = (await wellKnown.json()) as { keys: Array<Record<string, string>> }
    expect(published.keys).toEqual([
      {
        kid: expect.stringMatching(/^[0-9a-f]{16}$/),
        alg: 'Ed25519',
        publicKeyPem: expect.any(String),
        x: expect.any(String),
      },
    ])
    expect(JSON.stringify(published)).not.toMatch(/PRIVATE/)
    const keys = path.join(dir, 'keys.json')
    fs.writeFileSync(keys, JSON.stringify(published))

    // The drawdown note's PDF, downloaded by its signed address.
    const list = await call('contracts', 'list', {})
    const note = (list.data as Array<{ kind: string; contractId: string }>).find((c) => c.kind === 'drawdown')!
    const pdf = await call('contracts', 'pdf', { contractId: note.contractId })
    expect(pdf.ok).toBe(true)
    const url = (pdf.data.url as string).startsWith('http') ? pdf.data.url : `${cloud.base}${pdf.data.url}`
    const got = await fetch(url)
    expect(got.status).toBe(200)
    expect(got.headers.get('content-type')).toBe('application/pdf')
    const file = path.join(dir, 'contract.pdf')
    fs.writeFileSync(file, Buffer.from(await got.arrayBuffer()))
    // A changed address is refused.
    expect((await fetch(url.replace(/sig=./, 'sig=A'))).status).toBe(403)

    const ok = await verifyCommand([file, '--key', keys], noLocalKey)
    expect(ok).toMatchObject({
      exitCode: 0,
      output: { valid: true, about: { contractId: note.contractId, pdfSha256: pdf.data.pdfSha256 } },
    })
    // The key straight from its address works the same.
    const byUrl = await verifyCommand([file, '--key', `${cloud.base}/.well-known/kaitong-signing-key`], noLocalKey)
    expect(byUrl).toMatchObject({ exitCode: 0, output: { valid: true } })

    const bytes = fs.readFileSync(file)
    for (const at of [200, Math.floor(bytes.length / 2), bytes.length - 40]) {
      const changed = Buffer.from(bytes)
      changed[at] ^= 0x20
      const bad = path.join(dir, `changed-${at}.pdf`)
      fs.writeFileSync(bad, changed)
      const r = await verifyCommand([bad, '--key', keys], noLocalKey)
      expect(r).toMatchObject({ exitCode: 1, output: { valid: false } })
    }

    // The receipts, as the account export gives them.
    const exported = await call('account', 'export', {})
    const receipts = path.join(dir, 'export.json')
    fs.writeFileSync(receipts, JSON.stringify(exported.data))
    const r = await verifyCommand([receipts, '--key', keys], noLocalKey)
    expect(r).toMatchObject({ exitCode: 0, output: { valid: true } })
    expect((r.output as { verdicts: unknown[] }).verdicts.length).toBeGreaterThanOrEqual(3)
    const one = (exported.data.receipts as Array<Record<string, unknown>>)[0]
    const forged = path.join(dir, 'forged.json')
    fs.writeFileSync(forged, JSON.stringify({ ...one, amountFen: (one.amountFen as number) + 100 }))
    expect(await verifyCommand([forged, '--key', keys], noLocalKey)).toMatchObject({
      exitCode: 1,
      output: { valid: false },
    })
    // The export carries the contracts in full.
    expect(exported.data.contracts).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          contractId: note.contractId,
          text: expect.stringContaining('借款金额：人民币 ¥1,000.00'),
        }),
      ]),
    )
  }, 60_000)

  it('says what is wrong with its arguments', async () => {
    expect(await verifyCommand([], noLocalKey)).toMatchObject({ exitCode: 2, output: { error: { code: 'USAGE' } } })
    // A key from anywhere but https (or this machine) could be anyone's.
    const pdf = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kt-verify-')), 'x.pdf')
    fs.writeFileSync(pdf, '%PDF-1.3\n')
    expect(
      await verifyCommand([pdf, '--key', 'http://keys.example.com/.well-known/kaitong-signing-key'], noLocalKey),
    ).toMatchObject({
      exitCode: 1,
      output: { error: { code: 'KEY_UNAVAILABLE', message: expect.stringContaining('https') } },
    })
    expect(await verifyCommand(['/nonexistent.pdf'], noLocalKey)).toMatchObject({
      exitCode: 1,
      output: { error: { code: 'NOT_FOUND' } },
    })
  })
})
