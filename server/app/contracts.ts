// The contracts a borrower signs: rendered from the versioned templates with the line's or the
// loan's own figures, shown before signing (contracts.preview), signed by carrying the hash of
// exactly what was shown (lines.open / loans.apply render again and compare), recorded with a
// signing record the server signs with Ed25519, and kept for the borrower to read, download as a
// PDF and check. The text names the borrower, so it is stored sealed; only its hash is in clear.
import crypto from 'node:crypto'
import {
  fail,
  ok,
  type ApiResult,
  type ContractPreview,
  type ContractSummary,
  type ContractView,
  type SigningRecord,
} from '../../src/api'
import {
  CONTRACT_TEMPLATES,
  renderDrawdownContract,
  renderLineContract,
  type ContractKind,
  type Parties,
} from '../../src/domain/contract'
import type { ProductId } from '../../src/domain/catalog'
import { LINE_MONTHS, clipToCeiling, type Line } from '../../src/domain/line'
import type { Offer } from '../../src/domain/pricing'
import type { Term } from '../../src/domain/schedule'
import { priceOffer } from '../../src/domain/pricing'
import type { ProductDecision } from '../../src/domain/rules'
import { catalogAt, publishedRules } from './published'
import { feeTermsOf, type Catalog } from '../../src/domain/catalog'
import type { Doc, Ports, Sealed, StoreTx } from '../ports'
import { COLLECTIONS } from '../schema'
import { canonicalJson } from './canonical-json'
import { SOFT_DATA } from './credit'
import { openingDecision } from './credit-consents'
import { requireUser, type Caller } from './guard'
import { lineId, type LineDoc } from './lines'
import type { UseCase } from './use-case'
import { contractPdf } from './contract-files'

/** A rendered contract: what the borrower reads and what its hash signs. */
export interface Rendered {
  kind: ContractKind
  product: ProductId
  templateVersion: string
  title: string
  text: string
  sha256: string
}

export interface ContractDoc {
  /** The borrower's openid — or, once their account is deleted, a pseudonym (retention keeps the contract). */
  openid: string
  title: string
  /** The text, sealed under `contract/<id>` (it names the borrower). */
  text: Sealed
  /** The signing record — what, which version, its hash, when — and the server's keyed seal over it (Ed25519-signed when handed out: signingOf). */
  record: SigningRecord['record']
  recordSeal: string
  /** The PDF's hash outside its seal, and its size, once one was made (every copy has them). */
  pdf?: { pdfSha256: string; bytes: number }
}

export const sha256Hex = (text: string) => crypto.createHash('sha256').update(text, 'utf8').digest('hex')

function rendered(kind: ContractKind, product: ProductId, text: string): Rendered {
  const template = CONTRACT_TEMPLATES[kind]
  return { kind, product, templateVersion: template.version, title: template.title, text, sha256: sha256Hex(text) }
}

/** The parties as the contract names them: the legal name opened from the sealed identity, the ID and mobile masked. */
function partiesOf(caller: Caller): Parties {
  const identity = caller.user.identity
  if (!identity || !caller.legal) throw new Error('contracts: the caller has no opened legal identity')
  return { borrowerName: caller.legal.name, borrowerIdMasked: identity.idMasked, mobileMasked: identity.mobileMasked }
}

/** The line contract as the opening would be decided now (the same evaluation lines.open makes). */
export function lineContract(
  ports: Ports,
  caller: Caller,
  decision: ProductDecision,
  /** The rule set the decision was made under (the published one). */
  ruleSetVersion: string,
  /** The catalog it was made under: the line lends by its fees and overdue rule. */
  catalog: Catalog,
  now: number,
): Rendered {
  const ceiling = clipToCeiling(decision.limitFen, ports.settings.lineCeilingFen)
  const text = renderLineContract({
    ...partiesOf(caller),
    product: decision.product,
    limitFen: ceiling.limitFen,
    dailyRatePpm: decision.dailyRatePpm,
    lineMonths: LINE_MONTHS,
    aprCapPercent: ports.settings.aprCapPercent,
    catalogVersion: catalog.version,
    feeTerms: feeTermsOf(catalog.products[decision.product]),
    ruleSetVersion,
    at: now,
  })
  return rendered('line', decision.product, text)
}

/** The drawdown note for a priced offer on a line: every figure from the offer itself. */
export function drawdownContract(
  caller: Caller,
  line: Line,
  offer: Offer,
  purpose: string,
  ruleSetVersion: string,
  now: number,
): Rendered {
  const card = caller.user.cards?.[0]
  const text = renderDrawdownContract({
    ...partiesOf(caller),
    offer,
    purpose,
    cardLast4: card?.last4 ?? '----',
    autoDebit: line.autoDebit ? { last4: line.autoDebit.last4 } : null,
    ruleSetVersion,
    at: now,
  })
  return rendered('drawdown', offer.product, text)
}

/** The borrower's signature: the hash of exactly what they were shown, or why it is not one. */
export function checkSigned(r: Rendered, given: string | undefined): ApiResult<void> {
  if (!given) return fail('CONTRACT_REQUIRED', { field: 'contractSha256' })
  if (given !== r.sha256) return fail('CONTRACT_CHANGED', { field: 'contractSha256', detail: r.templateVersion })
  return ok(undefined)
}

/** A contract's id, from what it is for: signing the same opening or drawdown again finds the same one. */
export const contractIdFor = (ports: Ports, subject: string, signedWith: string) =>
  `C_${ports.secrets.keyedHash('contract-id', `${subject}:${signedWith}`).slice(0, 24)}`

/** A drawdown note's id: its loan's (one note per loan, written once with it), so notes sort as their loans do. */
export const noteIdFor = (loanId: string) => `C_${loanId.replace(/^L_/, '')}`

/** A keyed pseudonym of the signer: the record names the account without naming the openid. */
export const signerOf = (ports: Ports, openid: string) => ports.secrets.keyedHash('signer', openid).slice(0, 32)

/** The signed record of a contract, written in the transaction that makes the line or loan it is for. */
export async function recordSigned(
  ports: Ports,
  tx: StoreTx,
  a: { contractId: string; openid: string; subject: string; rendered: Rendered; now: number },
): Promise<void> {
  const r = a.rendered
  const record: SigningRecord['record'] = {
    v: 1,
    contractId: a.contractId,
    kind: r.kind,
    product: r.product,
    subject: a.subject,
    templateVersion: r.templateVersion,
    sha256: r.sha256,
    signedAt: a.now,
    signer: signerOf(ports, a.openid),
  }
  await tx.create<ContractDoc>(COLLECTIONS.contracts, a.contractId, {
    openid: a.openid,
    title: r.title,
    text: ports.secrets.seal(`contract/${a.contractId}`, r.text),
    record,
    recordSeal: ports.secrets.keyedHash('signing-record', canonicalJson(record)),
  })
}

/**
 * The signing record with the server's Ed25519 signature, made when it is handed out and only
 * once the stored record's keyed seal shows it is the one written (Ed25519 signatures are
 * deterministic: the same record always gets the same signature). Writing a contract costs no
 * public-key signature; a changed record is never signed.
 */
export function signingOf(ports: Ports, d: Doc<ContractDoc>): SigningRecord {
  const message = canonicalJson(d.data.record)
  if (ports.secrets.keyedHash('signing-record', message) !== d.data.recordSeal) {
    ports.log.error('signing_record_seal_failed', { contract: d.id })
    throw new Error(`contract ${d.id}: its signing record does not match its seal`)
  }
  return { record: d.data.record, signature: ports.secrets.sign(message) }
}

/** The contract's text, opened from its seal. */
export const contractText = (ports: Ports, d: Doc<ContractDoc>) => ports.secrets.open(`contract/${d.id}`, d.data.text)

export const preview: UseCase<'contracts', 'preview'> = async (ports, openid, input) => {
  const now = ports.clock.now()
  const caller = await requireUser(ports, openid, { ...SOFT_DATA, legal: true })
  if (!caller.ok) return caller
  const r =
    input.kind === 'line'
      ? await previewLine(ports, caller.data, input.product, now)
      : await previewDrawdown(ports, caller.data, input, now)
  if (!r.ok) return r
  const { kind, product, templateVersion, title, text, sha256 } = r.data
  return ok<ContractPreview>({ kind, product, templateVersion, title, text, sha256 })
}

async function previewLine(
  ports: Ports,
  caller: Caller,
  product: ProductId,
  now: number,
): Promise<ApiResult<Rendered>> {
  const decided = await openingDecision(ports, caller, product, now)
  if (!decided.ok) return decided
  const { decision, rules, catalog } = decided.data
  return ok(lineContract(ports, caller, decision, rules.version, catalog, now))
}

/** The drawdown's term as the request gives it: days (随借随还) or months. */
export const termOf = (input: { termDays?: number; termMonths?: number }): Term =>
  input.termDays !== undefined ? { days: input.termDays } : { months: input.termMonths ?? 0 }

/**
 * A drawdown priced on the server at the line's own rate, by the catalog the line was opened under
 * (the fees its contract states), as loans.apply prices it and its note shows it.
 */
export async function priceDrawdown(
  ports: Ports,
  line: Line,
  input: { product: ProductId; amountFen: number; termDays?: number; termMonths?: number; mode: string },
  now: number,
) {
  const catalog = await catalogAt(ports, line.catalogVersion)
  return priceOffer(
    {
      product: input.product,
      amountFen: input.amountFen,
      term: termOf(input),
      mode: input.mode,
      dailyRatePpm: line.dailyRatePpm,
      capPercent: ports.settings.aprCapPercent,
      disbursedAt: now,
    },
    catalog,
  )
}

type DrawdownInput = Parameters<UseCase<'contracts', 'preview'>>[2]

async function previewDrawdown(
  ports: Ports,
  caller: Caller,
  input: DrawdownInput,
  now: number,
): Promise<ApiResult<Rendered>> {
  if (input.amountFen === undefined || input.mode === undefined || input.purpose === undefined)
    return fail('CONTRACT_FIGURES_REQUIRED')
  if (input.termDays === undefined && input.termMonths === undefined)
    return fail('CONTRACT_FIGURES_REQUIRED', { field: 'term' })
  const doc = await ports.store.get<LineDoc>(COLLECTIONS.lines, lineId(caller.openid, input.product))
  const line = doc && doc.data.openid === caller.openid ? doc.data.line : null
  if (!line || (line.state !== 'active' && line.state !== 'frozen')) return fail('NO_ACTIVE_LINE')
  const priced = await priceDrawdown(ports, line, { ...input, amountFen: input.amountFen, mode: input.mode }, now)
  if (!priced.ok) return fail(priced.error.code, { message: priced.error.message, field: 'amountFen' })
  return ok(drawdownContract(caller, line, priced.offer, input.purpose, (await publishedRules(ports)).version, now))
}

const summary = (d: Doc<ContractDoc>): ContractSummary => ({
  contractId: d.id,
  kind: d.data.record.kind,
  product: d.data.record.product,
  title: d.data.title,
  subject: d.data.record.subject,
  templateVersion: d.data.record.templateVersion,
  sha256: d.data.record.sha256,
  signedAt: d.data.record.signedAt,
})

/** The caller's own contract; anyone else's is as absent as none. */
export async function ownContract(ports: Ports, openid: string, contractId: string) {
  const d = await ports.store.get<ContractDoc>(COLLECTIONS.contracts, contractId)
  return d && d.data.openid === openid ? d : null
}

export async function contractsOf(ports: Ports, openid: string): Promise<Array<Doc<ContractDoc>>> {
  return ports.store.query<ContractDoc>(COLLECTIONS.contracts, { index: 'byOpenid', eq: openid, limit: 1000 })
}

export const list: UseCase<'contracts', 'list'> = async (ports, openid) =>
  ok((await contractsOf(ports, openid)).map(summary).sort((a, b) => b.signedAt - a.signedAt))

/** A contract in full: its text opened, and the server-signed record that checks it. */
export const contractView = (ports: Ports, d: Doc<ContractDoc>): ContractView => ({
  ...summary(d),
  text: contractText(ports, d),
  signing: signingOf(ports, d),
})

export const get: UseCase<'contracts', 'get'> = async (ports, openid, input) => {
  const d = await ownContract(ports, openid, input.contractId)
  return d ? ok(contractView(ports, d)) : fail('NOT_FOUND', { field: 'contractId' })
}

export const pdf: UseCase<'contracts', 'pdf'> = async (ports, openid, input) => {
  const d = await ownContract(ports, openid, input.contractId)
  if (!d) return fail('NOT_FOUND', { field: 'contractId' })
  return ok(await contractPdf(ports, d, contractText(ports, d)))
}
