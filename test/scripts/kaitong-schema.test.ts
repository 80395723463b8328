import { COLLECTIONS, INDEXES } from '../../server/schema'
import { schemaCommand } from '../../scripts/cli/schema'

describe('kaitong schema', () => {
  it('lists every collection, closed to the client, with its indexes on the d. fields', () => {
    const r = schemaCommand([])
    const out = r.output as {
      version: string
      collections: Array<{ name: string; securityRule: unknown; indexes: Array<{ fields: Array<{ field: string }> }> }>
    }
    expect(out.collections.map((c) => c.name).sort()).toEqual(Object.values(COLLECTIONS).sort())
    expect(out.collections.every((c) => JSON.stringify(c.securityRule) === '{"read":false,"write":false}')).toBe(true)
    expect(out.collections.flatMap((c) => c.indexes)).toHaveLength(INDEXES.length)
    expect(
      out.collections
        .flatMap((c) => c.indexes.flatMap((i) => i.fields.map((f) => f.field)))
        .every((f) => f.startsWith('d.')),
    ).toBe(true)
  })
})
