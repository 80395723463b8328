/**
 * An in-memory STAND-IN for the slice of wx-server-sdk's database API that server/wechat/store.ts
 * calls — not the WeChat cloud database. It mirrors the documented behaviour the adapter relies
 * on: add() with an existing _id fails (as a generic request failure), where().update()/remove()
 * report stats, doc().get() of a missing _id throws "… does not exist", dotted field paths,
 * command.gte/lt/and/set, orderBy, skip, and limit capped at 100 documents a call. Each call yields to the event loop, as a network
 * call would, so concurrent callers interleave.
 */
import type { WxDatabase } from '../../server/wechat/store'

type Row = Record<string, unknown>
interface Cmd {
  op: 'gte' | 'lt' | 'and' | 'set'
  value: unknown
  and?: (other: Cmd) => Cmd
}

const tick = () => new Promise<void>((r) => setImmediate(r))
const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T
const at = (row: Row, path: string): unknown =>
  path.split('.').reduce<unknown>((v, k) => (v as Row | undefined)?.[k], row)

function cmd(op: Cmd['op'], value: unknown): Cmd {
  const c: Cmd = { op, value }
  c.and = (other: Cmd) => cmd('and', [c, other])
  return c
}

function matches(value: unknown, cond: unknown): boolean {
  if (cond && typeof cond === 'object' && 'op' in (cond as Cmd)) {
    const c = cond as Cmd
    if (c.op === 'gte') return (value as number) >= (c.value as number)
    if (c.op === 'lt') return (value as number) < (c.value as number)
    if (c.op === 'and') return (c.value as Cmd[]).every((x) => matches(value, x))
  }
  return value === cond
}

export function makeWxDbStandIn(): WxDatabase & { collections: Map<string, Map<string, Row>> } {
  const collections = new Map<string, Map<string, Row>>()
  const coll = (name: string) => {
    if (!collections.has(name)) collections.set(name, new Map())
    return collections.get(name)!
  }
  const query = (name: string, cond: Row) => {
    let order: { field: string; dir: 'asc' | 'desc' } | null = null
    let limit = 100
    let skip = 0
    const selected = () =>
      [...coll(name).values()].filter((row) => Object.entries(cond).every(([k, c]) => matches(at(row, k), c)))
    const q = {
      orderBy(field: string, dir: 'asc' | 'desc') {
        order = { field, dir }
        return q
      },
      limit(n: number) {
        // As in WeChat Cloud, one call answers at most 100 documents, whatever was asked.
        limit = Math.min(n, 100)
        return q
      },
      skip(n: number) {
        skip = n
        return q
      },
      async get() {
        await tick()
        let rows = selected()
        if (order) {
          const { field, dir } = order
          const cmp = (x: unknown, y: unknown) =>
            x === y ? 0 : (x as number | string) < (y as number | string) ? -1 : 1
          rows = rows.sort((a, b) => cmp(at(a, field), at(b, field)) * (dir === 'asc' ? 1 : -1) || cmp(a._id, b._id))
        }
        return { data: clone(rows.slice(skip, skip + limit)) }
      },
      async update({ data }: { data: Row }) {
        await tick()
        const rows = selected()
        for (const row of rows) {
          for (const [k, v] of Object.entries(data))
            row[k] = v && typeof v === 'object' && (v as Cmd).op === 'set' ? clone((v as Cmd).value) : clone(v)
        }
        return { stats: { updated: rows.length } }
      },
      async remove() {
        await tick()
        const rows = selected()
        for (const row of rows) coll(name).delete(row._id as string)
        return { stats: { removed: rows.length } }
      },
    }
    return q
  }
  return {
    collections,
    command: {
      gte: (v: unknown) => cmd('gte', v),
      lt: (v: unknown) => cmd('lt', v),
      set: (v: unknown) => cmd('set', v),
    } as never,
    collection(name: string) {
      return {
        doc(id: string) {
          return {
            async get() {
              await tick()
              const row = coll(name).get(id)
              if (!row) throw new Error(`document.get:fail document with _id ${id} does not exist`)
              return { data: clone(row) }
            },
          }
        },
        async add({ data }: { data: Row }) {
          await tick()
          const id = data._id as string
          if (coll(name).has(id))
            throw new Error('collection.add:fail -502001 database request fail | errMsg: E11000 duplicate key error')
          coll(name).set(id, clone(data))
          return { _id: id }
        },
        where: (cond: Row) => query(name, cond),
      }
    },
  } as never
}
