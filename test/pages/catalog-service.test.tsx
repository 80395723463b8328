/**
 * The app's catalog service (src/services/catalog.ts): each version asked for once per session,
 * and asked for as soon as it is known — a home page mounted before sign-in (no version yet) asks
 * for the published catalog the moment the borrower signs in, instead of saying 正在读取产品目录
 * for ever.
 */
import { renderHook, waitFor } from '@testing-library/react'
import { DEFAULT_CATALOG } from '../../src/domain/catalog'
import { PUBLISHED, useCatalog } from '../../src/services/catalog'
import { ok, useFakeCloud } from './fake-cloud'
import { pageCloud } from '../support/mock-platform'

jest.mock('../../src/services/platform', () => require('../support/mock-platform').platformModule)

beforeEach(() => {
  useFakeCloud({ 'credit.catalog': () => ok(DEFAULT_CATALOG) })
})

it('a version not known yet asks nothing; once it is the published one, it is asked for and shown', async () => {
  const { result, rerender } = renderHook(({ version }: { version: string | null }) => useCatalog(version), {
    initialProps: { version: null as string | null },
  })
  expect(result.current.catalog).toBeNull()
  expect(pageCloud.sent).toEqual([])
  rerender({ version: PUBLISHED })
  await waitFor(() => expect(result.current.catalog?.version).toBe(DEFAULT_CATALOG.version))
  expect(pageCloud.sent.map((s) => `${s.fn}.${s.action}`)).toEqual(['credit.catalog'])
  // Named by its version now too: asking for it by name sends nothing.
  rerender({ version: DEFAULT_CATALOG.version })
  await waitFor(() => expect(result.current.catalog?.version).toBe(DEFAULT_CATALOG.version))
  expect(pageCloud.sent).toHaveLength(1)
})

it('an answer for an earlier version that lands after the next was asked for is dropped, not shown', async () => {
  let release: (() => void) | null = null
  const later = { ...DEFAULT_CATALOG, version: 'catalog/2026-12-03.1' }
  useFakeCloud({
    // The published catalog answers slowly; the pre-check's version answers at once.
    'credit.catalog': (data) =>
      data.version === later.version
        ? ok(later)
        : new Promise((resolve) => {
            release = () => resolve(ok(DEFAULT_CATALOG))
          }),
  })
  const { result, rerender } = renderHook(({ version }: { version: string | null }) => useCatalog(version), {
    initialProps: { version: PUBLISHED as string | null },
  })
  rerender({ version: later.version })
  await waitFor(() => expect(result.current.catalog?.version).toBe(later.version))
  release!()
  await new Promise((r) => setTimeout(r, 20))
  expect(result.current.catalog?.version).toBe(later.version)
  expect(result.current.error).toBeNull()
})
