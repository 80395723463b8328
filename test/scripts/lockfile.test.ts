/**
 * Regression: `npm install <pkg>` rewrote package-lock.json after the root postinstall and
 * dropped the placeholder for NutUI's unfetchable optional dependency, so `npm ci` on a clean
 * clone failed ("Missing: @jmfe/npm-usage-stats-tool@ from lock file") while everything passed
 * locally. The committed lock must always carry every optional entry npm ci expects.
 */
import { execFileSync } from 'node:child_process'
import path from 'node:path'

describe('package-lock.json', () => {
  it('is acceptable to npm ci on a clean clone (optional packages the registry lacks are recorded)', () => {
    const root = path.resolve(__dirname, '..', '..')
    expect(() =>
      execFileSync(process.execPath, ['scripts/lockfile-optional.js', '--check'], { cwd: root, stdio: 'pipe' }),
    ).not.toThrow()
  })

  it('carries no registry addresses', () => {
    const lock = require(path.resolve(__dirname, '..', '..', 'package-lock.json')) as {
      packages: Record<string, { resolved?: string }>
    }
    expect(Object.values(lock.packages).filter((p) => p.resolved?.startsWith('http'))).toEqual([])
  })
})
