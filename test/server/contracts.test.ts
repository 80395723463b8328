/**
 * The contracts a borrower signs: the line contract at opening and the drawdown note at each
 * drawdown, rendered from the line's and the loan's own figures, signed by the hash of exactly
 * what was shown, recorded with a server-signed record, and downloadable as a PDF anyone can check
 * with the public key alone.
 */
import crypto from 'node:crypto'
import type { ContractPdf, ContractPreview, ContractSummary, ContractView, LineView, ReceiptView } from '../../src/api'
import { DAY_MS } from '../../src/domain/china-time'
import { formatYuanGrouped } from '../../src/domain/money'
import { canonicalJson } from '../../server/app/canonical-json'
import { verifyContractPdf, verifyReceiptJson } from '../../server/contracts/verify'
import { verifySignature } from '../../server/signing'
import { borrow, onboardBorrower } from '../support/borrower'
import { apply as applyUseCase } from '../../server/app/loans/apply'
import { makeTestCloud, testKeyring, type TestCloud } from '../support/cloud'
import { LocalSecrets } from '../../server/local/adapters/basics'
import { makeApplicant, makeIdNumber } from '../support/factories'

let cloud: TestCloud
beforeEach(async () => {
  cloud = await makeTestCloud()
})
afterEach(() => cloud.close())

const DRAWDOWN = {
  product: 'we2000',
  amountFen: 100_000,
  termMonths: 6,
  mode: 'equal-installment',
  purpose: 'consumption',
} as const

/** What anyone may read: the public keys, as /.well-known/kaitong-signing-key serves them (no private part). */
const publicKeys = () =>
  JSON.parse(JSON.stringify(cloud.ports.secrets.signingKeys())) as Array<{ kid: string; x: string }>

/** Onboarded, the line opened and one loan drawn (each contract signed as the borrower signs it). */
async function borrowed() {
  await onboardBorrower(cloud)
  return borrow(cloud)
}

async function preview(data: Record<string, unknown>, user = 'alice') {
  const r = await cloud.call<ContractPreview>('contracts', 'preview', data, { user })
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`)
  return r.data
}

async function consentFor(product = 'we2000', user = 'alice') {
  const c = await cloud.call<{ consentId: string }>('lines', 'consent', { product }, { user })
  if (!c.ok) throw new Error(c.error.code)
  return c.data.consentId
}

describe('the line contract (授信合同)', () => {
  it('is rendered from the decision the opening makes: the legal name, the masked ID, the limit, the rate and the cap', async () => {
    const person = await onboardBorrower(cloud, 'alice', makeApplicant({ name: '李四', idNumber: makeIdNumber() }))
    const shown = await preview({ kind: 'line', product: 'we2000' })
    expect(shown.templateVersion).toBe('line-contract/2026-12-02.1')
    expect(shown.sha256).toBe(crypto.createHash('sha256').update(shown.text, 'utf8').digest('hex'))
    expect(shown.text).toContain('借款人：李四，身份证号：')
    // The ID number is never printed whole (the signing record binds it by hash).
    expect(shown.text).not.toContain(person.idNumber)
    expect(shown.text).toContain(`身份证号：${person.idNumber[0]}${'*'.repeat(16)}${person.idNumber.slice(-1)}`)
    expect(shown.text).toContain('最高为人民币 ¥2,000.00')
    expect(shown.text).toContain('日利率 0.05%，折合年化利率（单利）18.25%')
    expect(shown.text).toContain('不超过 24%')
    expect(shown.text).toContain('24 小时内')
  })

  it('must be signed: no hash is CONTRACT_REQUIRED, another text is CONTRACT_CHANGED, and neither spends the consent or opens anything', async () => {
    await onboardBorrower(cloud)
    const consentId = await consentFor()
    const shown = await preview({ kind: 'line', product: 'we2000' })
    const missing = await cloud.call('lines', 'open', { product: 'we2000', consentId }, { sign: false })
    expect(missing).toMatchObject({ ok: false, error: { code: 'CONTRACT_REQUIRED', field: 'contractSha256' } })
    const other = crypto.createHash('sha256').update(`${shown.text} `).digest('hex')
    const changed = await cloud.call('lines', 'open', { product: 'we2000', consentId, contractSha256: other })
    expect(changed).toMatchObject({ ok: false, error: { code: 'CONTRACT_CHANGED' } })
    expect(cloud.counts().lines ?? 0).toBe(0)
    expect(cloud.counts().contracts ?? 0).toBe(0)
    // The same consent still opens the line once the contract is signed.
    const opened = await cloud.call<LineView>('lines', 'open', {
      product: 'we2000',
      consentId,
      contractSha256: shown.sha256,
    })
    expect(opened).toMatchObject({ ok: true, data: { state: 'active' } })
    const list = await cloud.call<ContractSummary[]>('contracts', 'list', {})
    expect(list.ok && list.data).toEqual([
      expect.objectContaining({ kind: 'line', product: 'we2000', sha256: shown.sha256, subject: 'line:we2000' }),
    ])
  })

  it('changes when what it says changes: a preview from yesterday no longer signs today', async () => {
    await onboardBorrower(cloud)
    const shown = await preview({ kind: 'line', product: 'we2000' })
    cloud.ports.clock.advance(DAY_MS)
    const consentId = await consentFor()
    const r = await cloud.call('lines', 'open', { product: 'we2000', consentId, contractSha256: shown.sha256 })
    expect(r).toMatchObject({ ok: false, error: { code: 'CONTRACT_CHANGED' } })
  })
})

describe('the drawdown note (借款合同)', () => {
  it('carries every figure of the loan it makes: the amount, the IRR as prominent as the daily rate, the plan, the fees', async () => {
    await borrowed() // opens the line, draws once
    const shown = await preview({ kind: 'drawdown', ...DRAWDOWN })
    const r = await cloud.call<{
      loan: { id: string; aprPercent: number; schedule: Array<Record<string, number | string>> }
    }>('loans', 'apply', { ...DRAWDOWN, contractSha256: shown.sha256 })
    if (!r.ok) throw new Error(r.error.code)
    const loan = r.data.loan
    expect(shown.text).toContain('借款金额：人民币 ¥1,000.00')
    expect(shown.text).toContain(`综合年化成本（IRR）：${loan.aprPercent}%`)
    expect(shown.text).toContain('日利率 0.05%')
    expect(shown.text).toContain('6 个月，等额本息')
    for (const line of loan.schedule)
      expect(shown.text).toContain(
        [
          `第 ${line.n} 期`,
          line.dueDate,
          formatYuanGrouped(line.principalFen as number),
          formatYuanGrouped(line.interestFen as number),
          formatYuanGrouped(line.feeFen as number),
          formatYuanGrouped(line.totalFen as number),
        ].join('\t'),
      )
    expect(shown.text).toContain('每笔借款收取借款金额 1% 的手续费')
    expect(shown.text).toContain('自动扣款：未开通')
    // The loan's note is recorded with it, under the loan's id.
    const notes = await cloud.call<ContractSummary[]>('contracts', 'list', {})
    expect(notes.ok && notes.data.filter((c) => c.subject === loan.id)).toEqual([
      expect.objectContaining({
        kind: 'drawdown',
        sha256: shown.sha256,
        templateVersion: 'drawdown-note/2026-12-02.1',
      }),
    ])
  })

  it('refuses a drawdown whose note was not signed, or signed for other figures, and reserves nothing', async () => {
    await borrowed()
    const before = (await cloud.call<LineView>('lines', 'get', { product: 'we2000' })) as { data: LineView }
    const unsigned = await cloud.call('loans', 'apply', DRAWDOWN, { sign: false })
    expect(unsigned).toMatchObject({ ok: false, error: { code: 'CONTRACT_REQUIRED' } })
    const forLess = await preview({ kind: 'drawdown', ...DRAWDOWN, amountFen: 50_000 })
    const other = await cloud.call('loans', 'apply', { ...DRAWDOWN, contractSha256: forLess.sha256 })
    expect(other).toMatchObject({ ok: false, error: { code: 'CONTRACT_CHANGED' } })
    const after = (await cloud.call<LineView>('lines', 'get', { product: 'we2000' })) as { data: LineView }
    expect(after.data.inUseFen).toBe(before.data.inUseFen)
  })

  it('a retry of a drawdown already made is answered again, even after the day — and so its note — changed', async () => {
    await borrowed()
    const shown = await preview({ kind: 'drawdown', ...DRAWDOWN })
    const input = { ...DRAWDOWN, accountType: 'debit' as const, contractSha256: shown.sha256 }
    const first = await applyUseCase(cloud.ports, 'o_dev_alice', input, { requestId: 'req_note_retry' })
    cloud.ports.clock.advance(DAY_MS)
    const again = await applyUseCase(cloud.ports, 'o_dev_alice', input, { requestId: 'req_note_retry' })
    expect(first.ok && again.ok && again.data.loan.id === first.data.loan.id).toBe(true)
    // A new request with yesterday's note is refused: the plan's dates moved.
    const fresh = await applyUseCase(cloud.ports, 'o_dev_alice', input, { requestId: 'req_note_fresh' })
    expect(fresh).toMatchObject({ ok: false, error: { code: 'CONTRACT_CHANGED' } })
  })

  it('asks for its figures: a drawdown preview without a term is CONTRACT_FIGURES_REQUIRED', async () => {
    await borrowed()
    const r = await cloud.call('contracts', 'preview', {
      kind: 'drawdown',
      product: 'we2000',
      amountFen: 100_000,
      mode: 'equal-installment',
      purpose: 'consumption',
    })
    expect(r).toMatchObject({ ok: false, error: { code: 'CONTRACT_FIGURES_REQUIRED', field: 'term' } })
  })
})

describe('the signing record, the PDF and offline verification', () => {
  it('signs each contract with Ed25519: the record checks with the public key alone, and a changed field does not', async () => {
    await borrowed()
    const list = await cloud.call<ContractSummary[]>('contracts', 'list', {})
    if (!list.ok) throw new Error(list.error.code)
    for (const c of list.data) {
      const got = await cloud.call<ContractView>('contracts', 'get', { contractId: c.contractId })
      if (!got.ok) throw new Error(got.error.code)
      const { record, signature } = got.data.signing
      expect(record).toMatchObject({ contractId: c.contractId, sha256: got.data.sha256, kind: c.kind })
      expect(crypto.createHash('sha256').update(got.data.text, 'utf8').digest('hex')).toBe(record.sha256)
      expect(record.signer).not.toContain('alice')
      expect(verifySignature(publicKeys(), canonicalJson(record), signature)).toBe(true)
      expect(
        verifySignature(publicKeys(), canonicalJson({ ...record, signedAt: record.signedAt + 1 }), signature),
      ).toBe(false)
    }
  })

  it('makes a PDF whose SHA-256 is its seal’s, which verify accepts — and rejects with one byte changed', async () => {
    await borrowed()
    const list = (await cloud.call<ContractSummary[]>('contracts', 'list', {})) as { ok: true; data: ContractSummary[] }
    const note = list.data.find((c) => c.kind === 'drawdown')!
    const r = await cloud.call<ContractPdf>('contracts', 'pdf', { contractId: note.contractId })
    if (!r.ok) throw new Error(r.error.code)
    expect(r.data.url).toMatch(/^\/files\/contracts\/C_[0-9a-z]{24}\/dl_[0-9a-z]+\.pdf\?exp=\d+&sig=/)
    expect(r.data.expiresAt).toBe(cloud.ports.clock.now() + 10 * 60_000)
    const pdf = (await cloud.ports.files.get(r.data.fileId!))!
    expect(Buffer.from(pdf.subarray(0, 5)).toString()).toBe('%PDF-')
    expect(pdf.length).toBe(r.data.bytes)
    const verdict = verifyContractPdf(pdf, publicKeys())
    expect(verdict).toMatchObject({
      valid: true,
      about: { contractId: note.contractId, pdfSha256: r.data.pdfSha256, textSha256: note.sha256 },
    })
    // Asked again, the same PDF: the contract's PDF does not change.
    const again = await cloud.call<ContractPdf>('contracts', 'pdf', { contractId: note.contractId })
    expect(again.ok && again.data.pdfSha256).toBe(r.data.pdfSha256)
    // One byte changed, in the middle of the document (its content): refused.
    const changed = Uint8Array.from(pdf)
    changed[Math.floor(changed.length / 2)] ^= 0x01
    expect(verifyContractPdf(changed, publicKeys()).valid).toBe(false)
    // One byte changed in the seal's own slot (its padding, or a hex digit's case): refused too.
    const slot = Buffer.from(pdf).indexOf('20202020202020202020')
    expect(slot).toBeGreaterThan(0)
    for (const [at, byte] of [
      [slot + 40, 0x34], // '2' → '4': an 'A' in the padding
      [Buffer.from(pdf).indexOf('<', slot - 9000) + 1, 0x41], // the first hex digit, upper case
    ]) {
      const inSlot = Uint8Array.from(pdf)
      inSlot[at] = byte
      expect(verifyContractPdf(inSlot, publicKeys()).valid).toBe(false)
    }
    // Verified with another key: refused.
    const stranger = crypto.generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }) as { x: string }
    expect(verifyContractPdf(pdf, [{ kid: publicKeys()[0].kid, x: stranger.x }]).valid).toBe(false)
  })

  it('a signing key rotated out stays published: a PDF downloaded before still verifies, and what is handed out again is signed with the new key', async () => {
    await borrowed()
    const list = (await cloud.call<ContractSummary[]>('contracts', 'list', {})) as { ok: true; data: ContractSummary[] }
    const note = list.data.find((c) => c.kind === 'drawdown')!
    const before = await cloud.call<ContractPdf>('contracts', 'pdf', { contractId: note.contractId })
    if (!before.ok) throw new Error(before.error.code)
    const oldPdf = (await cloud.ports.files.get(before.data.fileId!))!
    const oldKey = publicKeys()[0]
    // The rotation: a new key signs, the old one's public half is listed as retired.
    process.env.KAITONG_SIGNING_KEY = crypto.randomBytes(32).toString('hex')
    process.env.KAITONG_SIGNING_KEYS_RETIRED = oldKey.x
    try {
      cloud.ports.secrets = new LocalSecrets(Buffer.alloc(32, 7), testKeyring())
      const keys = publicKeys()
      expect(keys.map((k) => k.kid)).toEqual([expect.not.stringMatching(oldKey.kid), oldKey.kid])
      expect(verifyContractPdf(oldPdf, keys).valid).toBe(true)
      expect(verifyContractPdf(oldPdf, [keys[0]]).valid).toBe(false)
      const after = await cloud.call<ContractPdf>('contracts', 'pdf', { contractId: note.contractId })
      if (!after.ok) throw new Error(after.error.code)
      expect(verifyContractPdf((await cloud.ports.files.get(after.data.fileId!))!, [keys[0]]).valid).toBe(true)
    } finally {
      delete process.env.KAITONG_SIGNING_KEY
      delete process.env.KAITONG_SIGNING_KEYS_RETIRED
    }
  })

  it('signs receipts so that anyone checks them with the public key, and a changed amount fails', async () => {
    await borrowed()
    const r = await cloud.call<ReceiptView[]>('loans', 'receipts', {})
    if (!r.ok) throw new Error(r.error.code)
    expect(r.data.length).toBeGreaterThan(0)
    for (const receipt of r.data) {
      expect(receipt.signature).toMatch(/^ed25519:[0-9a-f]{16}:/)
      expect(verifyReceiptJson(receipt, publicKeys()).valid).toBe(true)
      expect(verifyReceiptJson({ ...receipt, amountFen: receipt.amountFen + 1 }, publicKeys()).valid).toBe(false)
      // The server agrees.
      expect(await cloud.call('loans', 'verifyReceipt', { receipt })).toMatchObject({ ok: true, data: { valid: true } })
    }
  })

  it('a receipt changed in the database is never signed: it is handed out unverified, and the log says so', async () => {
    await borrowed()
    const [stored] = await cloud.ports.store.query<{ amountFen: number }>('receipts', {
      index: 'byOpenid',
      eq: 'o_dev_alice',
      limit: 1,
    })
    await cloud.ports.store.update('receipts', stored.id, stored.version, { ...stored.data, amountFen: 1 })
    const r = (await cloud.call<ReceiptView[]>('loans', 'receipts', {})) as { ok: true; data: ReceiptView[] }
    const changed = r.data.find((x) => x.id === stored.id)!
    expect(changed.signature).toBe('unverified')
    expect(verifyReceiptJson(changed, publicKeys()).valid).toBe(false)
    expect(cloud.logs.some((l) => l.event === 'receipt_seal_failed')).toBe(true)
    // The others are signed as ever.
    expect(r.data.filter((x) => x.id !== stored.id).every((x) => verifyReceiptJson(x, publicKeys()).valid)).toBe(true)
  })

  it('another person’s contract is as absent as none, for get and for pdf', async () => {
    await borrowed()
    const list = (await cloud.call<ContractSummary[]>('contracts', 'list', {})) as { ok: true; data: ContractSummary[] }
    for (const action of ['get', 'pdf'])
      for (const c of list.data)
        expect(await cloud.call('contracts', action, { contractId: c.contractId }, { user: 'bob' })).toMatchObject({
          ok: false,
          error: { code: 'NOT_FOUND' },
        })
    expect(await cloud.call('contracts', 'list', {}, { user: 'bob' })).toEqual({ ok: true, data: [] })
  })
})
