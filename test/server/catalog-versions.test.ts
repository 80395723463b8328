// The product catalog as published data: drafted, checked, simulated on the stored profiles and
// published by two admins like the rule set; new pre-checks and openings use it, while a line keeps
// lending by the catalog it was opened under (its contract's fees) and a loan keeps its own terms.
import { createHash } from 'node:crypto'
import type { Catalog } from '../../src/domain/catalog'
import { DEFAULT_CATALOG } from '../../src/domain/catalog'
import { DEFAULT_RULE_SET } from '../../src/domain/rule-set'
import type { ContractPreview, LineView, LoanView, PrecheckResult } from '../../src/api'
import { migrate } from '../../server/app/migrations'
import { makeTestCloud, type TestCloud } from '../support/cloud'
import { borrow, onboardBorrower, openLine } from '../support/borrower'
import { consoleFor, type ConsoleClient } from '../support/console'
import { makeApplicant, makeIdNumber } from '../support/factories'

let cloud: TestCloud
let con: ConsoleClient
beforeEach(async () => {
  cloud = await makeTestCloud()
  con = await consoleFor(cloud)
})
afterEach(() => cloud.close())

const CNY = 100
const copy = (c: Catalog): Catalog => JSON.parse(JSON.stringify(c))

/** WE2000 cheaper and larger: a 0.5% drawdown fee (was 1%), up to ¥3,000 (was ¥2,000), overdue 0.03% a day (was 0.05%). */
function cheaperWe2000(): Catalog {
  const body = copy(DEFAULT_CATALOG)
  const p = body.products.we2000
  p.drawdownFeePpm = 5_000
  p.limitFen.max = 3000 * CNY
  p.amountStepsFen = [100, 200, 500, 1000, 1500, 2000, 3000].map((y) => y * CNY)
  p.overdue = { on: 'amount', dailyPpm: 300 }
  return body
}

async function draftCatalog(body: Catalog, note = '') {
  const r = await con.call(await con.as('risk'), 'versions.draft', { kind: 'catalog', body, note })
  return r
}

async function publishBoth(versionId: string) {
  const asked = await con.call(await con.as('admin'), 'versions.publish', { versionId })
  if (!asked.ok) throw new Error(asked.error.code)
  const done = await con.call(await con.as('admin-b'), 'versions.publish', { versionId })
  if (!done.ok) throw new Error(done.error.code)
  return done.data
}

/** A second borrower, whom the simulated world (a profile hashed from the openid) finds creditworthy. */
const B = 'mia'
const mia = makeApplicant({ idNumber: makeIdNumber({ seq: '611' }) })

describe('credit.catalog: the borrower app reads the catalog the server decides with', () => {
  it('answers the published catalog, any published version by name, and NOT_FOUND for a draft or an unknown one', async () => {
    expect(await cloud.call('credit', 'catalog', {})).toEqual({ ok: true, data: DEFAULT_CATALOG })
    expect(await cloud.call('credit', 'catalog', { version: DEFAULT_CATALOG.version })).toEqual({
      ok: true,
      data: DEFAULT_CATALOG,
    })
    const drafted = await draftCatalog(cheaperWe2000())
    if (!drafted.ok) throw new Error(drafted.error.code)
    const id = drafted.data.versionId
    expect(id).toMatch(/^catalog\/\d{4}-\d{2}-\d{2}\.1$/)
    // A draft is nobody's to read: no decision uses it yet.
    expect(await cloud.call('credit', 'catalog', { version: id })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND', field: 'version' },
    })
    expect(await cloud.call('credit', 'catalog', { version: 'catalog/1999-01-01.1' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    })
    await publishBoth(id)
    const now = await cloud.call<Catalog>('credit', 'catalog', {})
    expect(now.ok && now.data.version).toBe(id)
    expect(now.ok && now.data.products.we2000.drawdownFeePpm).toBe(5_000)
    // The version it replaced stays readable: lines opened under it still lend by it.
    expect(await cloud.call('credit', 'catalog', { version: DEFAULT_CATALOG.version })).toEqual({
      ok: true,
      data: DEFAULT_CATALOG,
    })
  })
})

describe('a catalog draft a product could not lend by is refused, naming the field, and nothing is written', () => {
  const cases: Array<[string, (c: Catalog) => void, string]> = [
    ['a product renamed', (c) => (c.products.we2000.name = 'WE3000'), 'body.products.we2000.name'],
    ['a mode added', (c) => (c.products.we2000.modes.flexible = c.products.xiaoe.modes.flexible), 'flexible'],
    ['the minimum above the maximum', (c) => (c.products.xiaoe.limitFen.min = 60_000 * CNY), 'limitFen'],
    ['an amount step above the limit', (c) => c.products.we2000.amountStepsFen.push(5000 * CNY), 'amountStepsFen'],
    ['amount steps out of order', (c) => c.products.we2000.amountStepsFen.reverse(), 'amountStepsFen'],
    ['a rate range upside down', (c) => (c.products.xiaoe.dailyRatePpm = { min: 900, max: 600 }), 'dailyRatePpm'],
    [
      'a bullet loan longer than a year',
      (c) => {
        const f = c.products.xiaoe.modes.flexible
        if (f?.unit === 'days') f.maxDays = 400
      },
      '365',
    ],
    ['no terms at all', (c) => (c.products.xiaoe.modes['fee-installment'] = { unit: 'months', months: [] }), '1–24'],
    ['a fee of the whole principal', (c) => (c.products.we2000.drawdownFeePpm = 1_000_000), 'drawdownFeePpm'],
    [
      'penalty interest at twice the contract rate',
      (c) => (c.products.weilidai.overdue = { on: 'principal', contractRateMultiplierPermille: 2000 }),
      '1.5',
    ],
    [
      'an overdue charge above the APR cap',
      (c) => (c.products.we2000.overdue = { on: 'amount', dailyPpm: 1000 }),
      '年化利率上限',
    ],
    ['a fraction of a fen', (c) => (c.products.we2000.limitFen.max = 200_000.5), '整数'],
    ['a number beyond 2^53', (c) => (c.products.we2000.limitFen.max = 1e21), '整数'],
    [
      'a bullet loan of 366 days',
      (c) => {
        const f = c.products.xiaoe.modes.flexible
        if (f?.unit === 'days') f.maxDays = 366
      },
      '365',
    ],
    [
      'penalty interest at 1.501 times the contract rate',
      (c) => (c.products.weilidai.overdue = { on: 'principal', contractRateMultiplierPermille: 1501 }),
      '1.5',
    ],
    [
      'penalty interest below the contract rate',
      (c) => (c.products.weilidai.overdue = { on: 'principal', contractRateMultiplierPermille: 999 }),
      '1000–1500',
    ],
    [
      'an overdue charge one ppm a day above the APR cap (658 × 365 > 24%)',
      (c) => (c.products.we2000.overdue = { on: 'amount', dailyPpm: 658 }),
      '年化利率上限',
    ],
    [
      'a lowest rate above the APR cap: nothing could be lent',
      (c) => (c.products.we2000.dailyRatePpm = { min: 658, max: 658 }),
      'dailyRatePpm.min',
    ],
    [
      'a smallest loan above the ¥200,000 line ceiling: an opened line could never be drawn',
      (c) => (c.products.weilidai.limitFen.min = 250_000 * CNY),
      '单户授信上限',
    ],
  ]
  it.each(cases)('%s', async (_what, change, names) => {
    const body = copy(DEFAULT_CATALOG)
    change(body)
    const r = await draftCatalog(body)
    expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
    expect(!r.ok && r.error.message).toContain(names)
    // The list seeded the two compiled versions; no draft was written.
    expect((await con.call(await con.as('risk'), 'versions.list', {})).ok).toBe(true)
    expect(cloud.counts().versions).toBe(2)
  })
})

describe('the boundaries a catalog draft may reach', () => {
  it('takes a bullet loan of 365 days, penalty interest of 1–1.5 times, an overdue charge and a lowest rate at the cap (657 × 365 ≤ 24%)', async () => {
    const body = copy(DEFAULT_CATALOG)
    const f = body.products.xiaoe.modes.flexible
    if (f?.unit === 'days') f.maxDays = 365
    body.products.weilidai.overdue = { on: 'principal', contractRateMultiplierPermille: 1000 }
    body.products.we2000.overdue = { on: 'amount', dailyPpm: 657 }
    body.products.we2000.dailyRatePpm = { min: 657, max: 657 }
    body.products.weilidai.limitFen.min = 200_000 * CNY
    body.products.weilidai.amountStepsFen = [200_000 * CNY]
    const r = await draftCatalog(body)
    expect(r).toMatchObject({ ok: true })
  })

  it('checks a draft again when it is published: one made under a higher APR cap is not published under a lower', async () => {
    const body = copy(DEFAULT_CATALOG)
    body.products.we2000.dailyRatePpm = { min: 600, max: 600 } // 21.9% a year
    const drafted = await draftCatalog(body)
    if (!drafted.ok) throw new Error(drafted.error.code)
    const asked = await con.call(await con.as('admin'), 'versions.publish', { versionId: drafted.data.versionId })
    expect(asked).toMatchObject({ ok: true, data: { state: 'pending' } })
    Object.assign(cloud.ports.settings, { aprCapPercent: 20 })
    const confirmed = await con.call(await con.as('admin-b'), 'versions.publish', {
      versionId: drafted.data.versionId,
    })
    expect(confirmed).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
    expect(!confirmed.ok && confirmed.error.message).toContain('年化利率上限 20%')
    expect(await cloud.call('credit', 'catalog', {})).toEqual({ ok: true, data: DEFAULT_CATALOG })
  })
})

describe('a catalog simulation counts what a line would open with', () => {
  it('a limit raised above the lender’s line ceiling changes no line (each is clipped to it), though the field is listed', async () => {
    await onboardBorrower(cloud, 'alice')
    expect((await cloud.call('credit', 'precheck', {})).ok).toBe(true)
    Object.assign(cloud.ports.settings, { lineCeilingFen: 1500 * CNY })
    const drafted = await draftCatalog(cheaperWe2000())
    if (!drafted.ok) throw new Error(drafted.error.code)
    const sim = await con.call(await con.as('risk'), 'versions.simulate', { versionId: drafted.data.versionId })
    if (!sim.ok) throw new Error(sim.error.code)
    expect(sim.data.profiles).toBe(1)
    expect(sim.data.byProduct.we2000).toMatchObject({ changed: 0, limitUp: 0 })
    expect(sim.data.fields.map((f) => f.path)).toContain('products.we2000.limitFen.max')
  })
})

describe('the published versions as stored', () => {
  it('answers a rule set by its id only as a rule set: credit.catalog never hands out the rules', async () => {
    const rules = JSON.parse(JSON.stringify(DEFAULT_RULE_SET)) as typeof DEFAULT_RULE_SET
    rules.products.we2000.minScore += 1
    const drafted = await con.call(await con.as('risk'), 'versions.draft', { kind: 'rules', body: rules })
    if (!drafted.ok) throw new Error(drafted.error.code)
    await publishBoth(drafted.data.versionId)
    // A pre-check reads (and keeps) the published rules; the catalog action still does not know the id.
    await onboardBorrower(cloud, 'alice')
    expect((await cloud.call<PrecheckResult>('credit', 'precheck', {})).ok).toBe(true)
    for (const version of [drafted.data.versionId, DEFAULT_RULE_SET.version])
      expect(await cloud.call('credit', 'catalog', { version })).toMatchObject({
        ok: false,
        error: { code: 'NOT_FOUND' },
      })
  })

  it('decides by what was stored under a compiled version, and the store holds both defaults from the first start', async () => {
    await migrate(cloud.ports)
    expect(cloud.counts().versions).toBe(2)
    // A later build that edited the compiled catalog without renaming it: what was stored stands.
    const doc = (await cloud.ports.store.get<{ body: Catalog }>('versions', DEFAULT_CATALOG.version))!
    const stored = copy(doc.data.body)
    stored.products.we2000.drawdownFeePpm = 7_000
    await cloud.ports.store.update('versions', DEFAULT_CATALOG.version, doc.version, {
      ...doc.data,
      body: stored,
    })
    const read = await cloud.call<Catalog>('credit', 'catalog', { version: DEFAULT_CATALOG.version })
    expect(read.ok && read.data.products.we2000.drawdownFeePpm).toBe(7_000)
  })

  it('names every compiled default by its content: a change to one comes with a new version', () => {
    // If this fails, the compiled catalog or rule set changed: give it a new version (lines and
    // loans decided under the old one keep the stored body), then record the new digest here.
    const digest = (x: unknown) => createHash('sha256').update(JSON.stringify(x)).digest('hex').slice(0, 16)
    expect({ [DEFAULT_CATALOG.version]: digest(DEFAULT_CATALOG) }).toEqual({
      'demo-catalog/2026-11-28.1': '801fdfdcfa226790',
    })
    expect({ [DEFAULT_RULE_SET.version]: digest(DEFAULT_RULE_SET) }).toEqual({
      'rules/2026-11-28.1': '49f266dd69381a60',
    })
  })
})

describe('版本: a catalog change simulated, published by two admins, and nothing already decided changes', () => {
  it('WE2000 cheaper and larger: new openings get it; an old line keeps lending by its own catalog; an old loan keeps its overdue rule', async () => {
    // Alice opened WE2000 and borrowed under the compiled catalog.
    await onboardBorrower(cloud, 'alice')
    const aliceLine = await openLine(cloud, 'alice', 'we2000')
    expect(aliceLine).toMatchObject({ catalogVersion: DEFAULT_CATALOG.version, limitFen: 2000 * CNY })
    const oldLoan = await borrow(cloud, 'alice')
    expect(oldLoan.schedule[0].feeFen).toBe(1000)
    // Mia is verified and pre-checked: his profile is kept for simulations.
    await onboardBorrower(cloud, B, mia)
    const before = await cloud.call<PrecheckResult>('credit', 'precheck', {}, { user: B })
    expect(before.ok && before.data.catalogVersion).toBe(DEFAULT_CATALOG.version)

    const drafted = await draftCatalog(cheaperWe2000(), 'WE2000 降费提额')
    if (!drafted.ok) throw new Error(drafted.error.code)
    const id = drafted.data.versionId
    expect(drafted.data).toMatchObject({ kind: 'catalog', state: 'draft', note: 'WE2000 降费提额' })
    const risk = await con.as('risk')
    const sim = await con.call(risk, 'versions.simulate', { versionId: id })
    if (!sim.ok) throw new Error(sim.error.code)
    expect(sim.data).toMatchObject({ against: DEFAULT_CATALOG.version, profiles: 2 })
    // Both profiles are assessed above WE2000's ¥2,000 maximum: both would be offered ¥3,000, at the
    // same rate; no other product moves.
    expect(sim.data.byProduct.we2000).toMatchObject({ changed: 2, limitUp: 2, nowRefused: 0, rateChanged: 0 })
    expect(sim.data.byProduct.weilidai.changed + sim.data.byProduct.xiaoe.changed).toBe(0)
    expect(sim.data.examples).toHaveLength(2)
    // Field by field what the draft states otherwise, the fee and overdue changes no decision shows among them.
    expect(sim.data.fields).toEqual([
      { path: 'products.we2000.limitFen.max', before: 2000 * CNY, after: 3000 * CNY },
      {
        path: 'products.we2000.amountStepsFen',
        before: [100, 200, 500, 1000, 1500, 2000].map((y) => y * CNY),
        after: [100, 200, 500, 1000, 1500, 2000, 3000].map((y) => y * CNY),
      },
      { path: 'products.we2000.drawdownFeePpm', before: 10_000, after: 5_000 },
      { path: 'products.we2000.overdue.dailyPpm', before: 500, after: 300 },
    ])
    for (const e of sim.data.examples) {
      expect(e).toMatchObject({ product: 'we2000', before: { limitFen: 2000 * CNY } })
      expect(e.after.limitFen).toBeGreaterThan(2000 * CNY)
      expect(e.after.limitFen).toBeLessThanOrEqual(3000 * CNY)
    }

    const published = await publishBoth(id)
    expect(published).toMatchObject({ state: 'published', publishedBy: 'admin-b', publishRequestedBy: 'admin' })
    const list = await con.call(risk, 'versions.list', {})
    expect(list.ok && list.data.filter((v) => v.kind === 'catalog').map((v) => [v.versionId, v.state])).toEqual([
      [id, 'published'],
      [DEFAULT_CATALOG.version, 'superseded'],
    ])

    // Mia's pre-check and opening use the published catalog: the larger limit, the lower fee in his contract.
    const after = await cloud.call<PrecheckResult>('credit', 'precheck', {}, { user: B })
    expect(after.ok && after.data.catalogVersion).toBe(id)
    const miaWe2000 = after.ok ? after.data.products.find((p) => p.product === 'we2000')!.limitFen : 0
    expect(sim.data.examples.map((e) => e.after.limitFen)).toContain(miaWe2000)
    const miaContract = await cloud.call<ContractPreview>(
      'contracts',
      'preview',
      { kind: 'line', product: 'we2000' },
      { user: B },
    )
    expect(miaContract.ok && miaContract.data.text).toContain('每笔借款收取借款金额 0.5% 的手续费')
    expect(miaContract.ok && miaContract.data.text).toContain('逾期金额按日 0.03% 计收逾期费用')
    expect(miaContract.ok && miaContract.data.text).toContain(`产品目录 ${id}`)
    const miaLine = await openLine(cloud, B, 'we2000')
    expect(miaLine).toMatchObject({ catalogVersion: id, limitFen: miaWe2000 })
    const miaLoan = await borrow(cloud, B, { amountFen: 250_000 })
    expect(miaLoan.schedule[0].feeFen).toBe(1250)
    expect(miaLoan.overdue).toEqual({ on: 'amount', dailyPpm: 300 })

    // Alice's line was opened under the compiled catalog, whose fees her line contract states: her
    // next drawdown is charged as before, within the limit her line was opened with.
    const aliceNote = await cloud.call<ContractPreview>('contracts', 'preview', {
      kind: 'drawdown',
      product: 'we2000',
      amountFen: 100_000,
      termMonths: 6,
      mode: 'equal-principal',
      purpose: 'consumption',
    })
    expect(aliceNote.ok && aliceNote.data.text).toContain('每笔借款收取借款金额 1% 的手续费')
    const second = await borrow(cloud, 'alice', { amountFen: 50_000 })
    expect(second.schedule[0].feeFen).toBe(500)
    expect(second.overdue).toEqual({ on: 'amount', dailyPpm: 500 })
    const line = await cloud.call<LineView>('lines', 'get', { product: 'we2000' })
    expect(line.ok && line.data).toMatchObject({ catalogVersion: DEFAULT_CATALOG.version, limitFen: 2000 * CNY })
    // Her first loan is untouched: the same fee, the same overdue rule, the same version.
    const first = await cloud.call<LoanView>('loans', 'get', { loanId: oldLoan.id })
    expect(first.ok && first.data.schedule).toEqual(oldLoan.schedule)
    expect(first.ok && first.data.overdue).toEqual({ on: 'amount', dailyPpm: 500 })
  })
})
