/**
 * Regression: a SQLite database and the HMAC secret beside it (`.data-try/k.db`,
 * `.data-try/secret.key`) were committed from a local run, so anyone with the repository held the
 * key that hashes ID and card numbers. No database, journal or key file may be tracked.
 */
import { execFileSync } from 'node:child_process'
import path from 'node:path'

const ROOT = path.resolve(__dirname, '..', '..')

/** Files that are local data or secrets, by name. */
export const FORBIDDEN =
  /(^|\/)\.data(-[^/]*)?\/|\.(db|db-wal|db-shm|db-journal|sqlite|sqlite3|key|pem|p12|pfx)$|(^|\/)data-keys[^/]*\.json$/i

describe('what the repository tracks', () => {
  it('no database, journal or key file is tracked', () => {
    const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' }).split('\0').filter(Boolean)
    expect(tracked.length).toBeGreaterThan(100)
    expect(tracked.filter((f) => FORBIDDEN.test(f))).toEqual([])
  })

  it('the rule catches the files that were committed before, and spares ordinary sources', () => {
    for (const bad of [
      '.data-try/k.db',
      '.data-try/secret.key',
      '.data/kaitong.db-wal',
      'x/apiclient_key.pem',
      'data-keys.json',
      'x/data-keys.json',
    ])
      expect(bad).toMatch(FORBIDDEN)
    for (const fine of ['server/local/secrets.ts', 'src/domain/keys.ts', 'docs/products.png', 'test/data.test.ts'])
      expect(fine).not.toMatch(FORBIDDEN)
  })

  it('git ignores every local data folder and key', () => {
    for (const f of [
      '.data/kaitong.db',
      '.data-try/k.db',
      '.data/secret.key',
      'a.sqlite',
      'dev.db-wal',
      'data-keys.json',
      'x/data-keys.json',
      'local-cloud.pid',
    ]) {
      const out = execFileSync('git', ['check-ignore', '--no-index', f], { cwd: ROOT, encoding: 'utf8' })
      expect(out.trim()).toBe(f)
    }
  })
})
