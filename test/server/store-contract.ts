// The Store contract: every adapter must pass this suite (SQLite here; the WeChat adapter against
// a cloud database when one is reachable).
import type { IndexSpec, Store } from '../../server/ports'

export const CONTRACT_INDEXES: IndexSpec[] = [
  { collection: 'things', name: 'byOwner', eq: 'owner', range: 'at' },
  { collection: 'things', name: 'byKind', eq: 'meta.kind' },
]

interface Thing {
  owner: string
  at: number
  meta: { kind: string }
  note?: string
}

export function describeStoreContract(name: string, make: () => { store: Store; close?: () => void }) {
  describe(`Store contract: ${name}`, () => {
    let store: Store
    let close: (() => void) | undefined
    beforeEach(() => {
      const made = make()
      store = made.store
      close = made.close
    })
    afterEach(() => close?.())

    const thing = (o: Partial<Thing> = {}): Thing => ({ owner: 'a', at: 1, meta: { kind: 'k' }, ...o })

    it('get of a missing id is null', async () => {
      expect(await store.get('things', 'nope')).toBeNull()
    })

    it('insert stores version 1 and get returns an equal copy', async () => {
      const r = await store.insert('things', 't1', thing({ note: '中文 ok' }))
      expect(r).toEqual({ ok: true, doc: { id: 't1', version: 1, data: thing({ note: '中文 ok' }) } })
      expect(await store.get('things', 't1')).toEqual({ id: 't1', version: 1, data: thing({ note: '中文 ok' }) })
    })

    it('insert of an existing id fails with DUPLICATE and changes nothing', async () => {
      await store.insert('things', 't1', thing({ note: 'first' }))
      expect(await store.insert('things', 't1', thing({ note: 'second' }))).toEqual({ ok: false, reason: 'DUPLICATE' })
      expect((await store.get<Thing>('things', 't1'))?.data.note).toBe('first')
    })

    it('ids are per collection', async () => {
      await store.insert('things', 'same', thing())
      expect((await store.insert('others', 'same', thing())).ok).toBe(true)
    })

    it('update with the current version writes and bumps the version', async () => {
      await store.insert('things', 't1', thing())
      const r = await store.update('things', 't1', 1, thing({ note: 'v2' }))
      expect(r).toEqual({ ok: true, doc: { id: 't1', version: 2, data: thing({ note: 'v2' }) } })
    })

    it('update with a stale version is a CONFLICT and changes nothing', async () => {
      await store.insert('things', 't1', thing())
      await store.update('things', 't1', 1, thing({ note: 'v2' }))
      expect(await store.update('things', 't1', 1, thing({ note: 'lost' }))).toEqual({ ok: false, reason: 'CONFLICT' })
      expect(await store.get('things', 't1')).toMatchObject({ version: 2, data: { note: 'v2' } })
    })

    it('update of a missing id is NOT_FOUND', async () => {
      expect(await store.update('things', 'nope', 1, thing())).toEqual({ ok: false, reason: 'NOT_FOUND' })
    })

    it('remove at the current version deletes; at a stale version it changes nothing', async () => {
      await store.insert('things', 't1', thing())
      await store.update('things', 't1', 1, thing({ note: 'v2' }))
      expect(await store.remove('things', 't1', 1)).toBe(false)
      expect(await store.get('things', 't1')).toMatchObject({ version: 2 })
      expect(await store.remove('things', 't1', 2)).toBe(true)
      expect(await store.get('things', 't1')).toBeNull()
      expect(await store.remove('things', 't1', 2)).toBe(false)
      expect((await store.insert('things', 't1', thing())).ok).toBe(true)
    })

    it('of many concurrent inserts of one id, exactly one wins', async () => {
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => store.insert('things', 'race', thing({ at: i }))),
      )
      expect(results.filter((r) => r.ok)).toHaveLength(1)
    })

    it('of many concurrent updates from one version, exactly one wins', async () => {
      await store.insert('things', 't1', thing())
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => store.update('things', 't1', 1, thing({ at: i }))),
      )
      expect(results.filter((r) => r.ok)).toHaveLength(1)
      expect((await store.get('things', 't1'))?.version).toBe(2)
    })

    it('query: equality, range [gte, lt), order and limit', async () => {
      for (const [id, owner, at] of [
        ['a1', 'a', 10],
        ['a2', 'a', 20],
        ['a3', 'a', 30],
        ['b1', 'b', 20],
      ] as const) {
        await store.insert('things', id, thing({ owner, at }))
      }
      const ids = async (q: Parameters<Store['query']>[1]) => (await store.query<Thing>('things', q)).map((d) => d.id)
      expect(await ids({ index: 'byOwner', eq: 'a', limit: 10 })).toEqual(['a1', 'a2', 'a3'])
      expect(await ids({ index: 'byOwner', eq: 'a', gte: 20, limit: 10 })).toEqual(['a2', 'a3'])
      expect(await ids({ index: 'byOwner', eq: 'a', gte: 10, lt: 30, limit: 10 })).toEqual(['a1', 'a2'])
      expect(await ids({ index: 'byOwner', eq: 'a', order: 'desc', limit: 2 })).toEqual(['a3', 'a2'])
      expect(await ids({ index: 'byOwner', eq: 'c', limit: 10 })).toEqual([])
    })

    it('a query for more than one page (250 documents) returns them all, in order', async () => {
      for (let i = 0; i < 250; i++)
        await store.insert('things', `p${String(i).padStart(3, '0')}`, thing({ owner: 'pager', at: i }))
      const docs = await store.query<Thing>('things', { index: 'byOwner', eq: 'pager', limit: 1000 })
      expect(docs.map((d) => d.data.at)).toEqual(Array.from({ length: 250 }, (_, i) => i))
      expect(await store.query('things', { index: 'byOwner', eq: 'pager', limit: 120 })).toHaveLength(120)
    })

    it('query on a nested field', async () => {
      await store.insert('things', 'x', thing({ meta: { kind: 'special' } }))
      await store.insert('things', 'y', thing())
      expect((await store.query('things', { index: 'byKind', eq: 'special', limit: 5 })).map((d) => d.id)).toEqual([
        'x',
      ])
    })

    it('query returns current versions', async () => {
      await store.insert('things', 'x', thing())
      await store.update('things', 'x', 1, thing({ note: 'v2' }))
      expect(await store.query('things', { index: 'byOwner', eq: 'a', limit: 1 })).toEqual([
        { id: 'x', version: 2, data: thing({ note: 'v2' }) },
      ])
    })

    it('data comes back exactly as written: empty objects and arrays, null, nested arrays of objects, epoch-ms and fen integers, text', async () => {
      const odd = {
        ...thing(),
        empty: {},
        none: [],
        nothing: null,
        rows: [
          { n: 1, tags: ['a', 'b'] },
          { n: 2, deep: { x: { y: true } } },
        ],
        epochMs: 1_796_140_800_000,
        fen: 2_147_483_648,
        negative: -1,
        fraction: 0.5,
        text: '引号 "quoted" \\ back\nline 𠀀',
        flag: false,
      }
      await store.insert('things', 'odd', odd)
      expect((await store.get('things', 'odd'))?.data).toEqual(odd)
      const again = { ...odd, empty: {}, rows: [], epochMs: 1_796_140_800_001 }
      await store.update('things', 'odd', 1, again)
      expect((await store.get('things', 'odd'))?.data).toEqual(again)
      expect((await store.query('things', { index: 'byOwner', eq: 'a', limit: 1 }))[0].data).toEqual(again)
    })

    describe('transactions over documents by id', () => {
      it('commit every write together: an insert, an update and a removal', async () => {
        await store.insert('things', 'b', thing({ note: 'b' }))
        await store.insert('things', 'c', thing({ note: 'c' }))
        const result = await store.transact(async (tx) => {
          const b = await tx.get<Thing>('things', 'b')
          expect(await tx.insert('things', 'a', thing({ note: 'a' }))).toMatchObject({ ok: true, doc: { version: 1 } })
          expect(await tx.update('things', 'b', b!.version, { ...b!.data, note: 'b2' })).toMatchObject({
            ok: true,
            doc: { version: 2 },
          })
          expect(await tx.remove('things', 'c', 1)).toBe(true)
          return 'done'
        })
        expect(result).toBe('done')
        expect(await store.get('things', 'a')).toEqual({ id: 'a', version: 1, data: thing({ note: 'a' }) })
        expect(await store.get('things', 'b')).toEqual({ id: 'b', version: 2, data: thing({ note: 'b2' }) })
        expect(await store.get('things', 'c')).toBeNull()
        // What it wrote is an ordinary document afterwards.
        expect((await store.update('things', 'a', 1, thing({ note: 'a2' }))).ok).toBe(true)
      })

      it('sees its own writes, and answers inside as the Store does outside', async () => {
        await store.insert('things', 'x', thing())
        await store.transact(async (tx) => {
          expect(await tx.insert('things', 'x', thing())).toEqual({ ok: false, reason: 'DUPLICATE' })
          expect(await tx.update('things', 'x', 7, thing())).toEqual({ ok: false, reason: 'CONFLICT' })
          expect(await tx.update('things', 'none', 1, thing())).toEqual({ ok: false, reason: 'NOT_FOUND' })
          expect(await tx.remove('things', 'x', 7)).toBe(false)
          await tx.insert('things', 'n', thing({ note: 'new' }))
          expect(await tx.get('things', 'n')).toMatchObject({ version: 1, data: { note: 'new' } })
          await tx.update('things', 'n', 1, thing({ note: 'newer' }))
          expect(await tx.get('things', 'n')).toMatchObject({ version: 2, data: { note: 'newer' } })
        })
        expect(await store.get('things', 'n')).toMatchObject({ version: 2, data: { note: 'newer' } })
      })

      it('a throw aborts it: nothing is written, and the error reaches the caller', async () => {
        await store.insert('things', 'b', thing({ note: 'b' }))
        await expect(
          store.transact(async (tx) => {
            await tx.insert('things', 'a', thing())
            await tx.update('things', 'b', 1, thing({ note: 'changed' }))
            throw new Error('INSUFFICIENT')
          }),
        ).rejects.toThrow('INSUFFICIENT')
        expect(await store.get('things', 'a')).toBeNull()
        expect(await store.get('things', 'b')).toMatchObject({ version: 1, data: { note: 'b' } })
      })

      it('a write by someone else between its read and its commit makes it run again, on the new document', async () => {
        await store.insert('things', 'n', thing({ at: 1 }))
        let runs = 0
        await store.transact(async (tx) => {
          runs++
          const n = (await tx.get<Thing>('things', 'n'))!
          if (runs === 1) await store.update('things', 'n', n.version, thing({ at: 10 }))
          await tx.update('things', 'n', n.version, { ...n.data, at: n.data.at + 1 })
        })
        expect(runs).toBe(2)
        expect(await store.get('things', 'n')).toMatchObject({ version: 3, data: { at: 11 } })
      })

      it('an insert that someone else made first, or a read document that changed, is never overwritten', async () => {
        let runs = 0
        await store.transact(async (tx) => {
          runs++
          const there = await tx.get('things', 'k')
          if (runs === 1) await store.insert('things', 'k', thing({ note: 'theirs' }))
          if (!there) await tx.insert('things', 'k', thing({ note: 'mine' }))
        })
        expect(runs).toBe(2)
        expect((await store.get<Thing>('things', 'k'))?.data.note).toBe('theirs')
      })

      it('create writes a new document without reading it; over one that exists it runs again and answers DUPLICATE, overwriting nothing', async () => {
        const made = await store.transact(async (tx) => (await tx.create('things', 'fresh', thing({ note: 'new' }))).ok)
        expect(made).toBe(true)
        expect(await store.get<Thing>('things', 'fresh')).toMatchObject({ version: 1, data: { note: 'new' } })
        const answers: string[] = []
        const last = await store.transact(async (tx) => {
          const r = await tx.create('things', 'fresh', thing({ note: 'again' }))
          answers.push(r.ok ? 'ok' : r.reason)
          return r.ok
        })
        // The first run guessed "new"; its commit failed, so the second read first and was told.
        expect(answers).toEqual(['ok', 'DUPLICATE'])
        expect(last).toBe(false)
        expect(await store.get<Thing>('things', 'fresh')).toMatchObject({ version: 1, data: { note: 'new' } })
        // Created and read back in one transaction: its own write.
        const seen = await store.transact(async (tx) => {
          await tx.create('things', 'both', thing({ note: 'b' }))
          return (await tx.get<Thing>('things', 'both'))?.data.note
        })
        expect(seen).toBe('b')
      })

      it('ten at once on one document: each applied exactly once', async () => {
        await store.insert('things', 'counter', thing({ at: 0 }))
        await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            store.transact(async (tx) => {
              const c = (await tx.get<Thing>('things', 'counter'))!
              await tx.update('things', 'counter', c.version, { ...c.data, at: c.data.at + 1 })
              await tx.insert('things', `entry${i}`, thing({ at: i }))
            }),
          ),
        )
        expect((await store.get<Thing>('things', 'counter'))?.data.at).toBe(10)
        for (let i = 0; i < 10; i++) expect(await store.get('things', `entry${i}`)).not.toBeNull()
      })

      it('one that meets a writer every time gives up with TransactionConflict, having written nothing', async () => {
        await store.insert('things', 'hot', thing({ at: 0 }))
        await expect(
          store.transact(async (tx) => {
            const hot = (await tx.get<Thing>('things', 'hot'))!
            await store.update('things', 'hot', hot.version, { ...hot.data, at: hot.data.at + 100 })
            await tx.insert('things', 'side', thing())
            await tx.update('things', 'hot', hot.version, { ...hot.data, at: -1 })
          }),
        ).rejects.toMatchObject({ code: 'TRANSACTION_CONFLICT' })
        expect(await store.get('things', 'side')).toBeNull()
        expect((await store.get<Thing>('things', 'hot'))?.data.at).toBeGreaterThan(0)
      })
    })

    it('an undeclared index or a limit outside 1–1000 is refused', async () => {
      await expect(store.query('things', { index: 'nope', eq: 1, limit: 1 })).rejects.toThrow(/no index/)
      await expect(store.query('things', { index: 'byOwner', eq: 'a', limit: 0 })).rejects.toThrow(RangeError)
      await expect(store.query('things', { index: 'byOwner', eq: 'a', limit: 1001 })).rejects.toThrow(RangeError)
    })
  })
}
