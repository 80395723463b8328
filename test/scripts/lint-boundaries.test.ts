/**
 * The import rules of docs/architecture.md, as ESLint applies them: for each layer, an import it
 * may make passes and one it may not is refused. (In a flat config a later block silently replaces
 * an earlier one's restrictions, so this checks the result, not the config's text.)
 */
import path from 'node:path'
import { ESLint } from 'eslint'

const ROOT = path.resolve(__dirname, '../..')
// The project's own config, passed in (ESLint would load the file with a dynamic import, which jest's VM refuses).
const eslint = new ESLint({
  cwd: ROOT,
  overrideConfigFile: true,
  overrideConfig: require(path.join(ROOT, 'eslint.config.js')),
})

async function refusals(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${source}\nexport const used = x\n`, { filePath: path.join(ROOT, file) })
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message)
}

const cases: Array<[layer: string, file: string, refused: string[], allowed: string[]]> = [
  [
    'domain',
    'src/domain/probe.ts',
    [
      "import x from '@tarojs/taro'",
      "import x from '../services/cloud'",
      "import x from 'node:fs'",
      "import x from '../api'",
    ],
    ["import x from './money'"],
  ],
  [
    'contract',
    'src/api/probe.ts',
    ["import x from '../hooks/use-cloud'", "import x from '../../server/ports'"],
    ["import x from '../domain/catalog'"],
  ],
  [
    'ui helpers',
    'src/ui/probe.ts',
    ["import x from '@tarojs/components'", "import x from '../hooks/use-cloud'", "import x from 'wx-server-sdk'"],
    ["import x from '../domain/money'"],
  ],
  [
    'components',
    'src/components/probe/index.tsx',
    [
      "import x from '../../hooks/use-cloud'",
      "import x from '../../services/cloud'",
      "import x from 'better-sqlite3'",
      "import x from 'node:fs'",
    ],
    ["import x from '../../hooks/use-elder-mode'", "import x from '../../domain/catalog'"],
  ],
  [
    'hooks',
    'src/hooks/probe.ts',
    ["import x from '../../server/ports'", "import x from 'wx-server-sdk'"],
    ["import x from '../services/cloud'"],
  ],
  [
    'pages',
    'src/pages/probe/index.tsx',
    ["import x from '../../../server/app/guard'", "import x from 'node:fs'"],
    ["import x from '../../hooks/use-cloud'"],
  ],
  [
    'services',
    'src/services/probe.ts',
    ["import x from '../domain/rules'", "import x from 'node:fs'", "import x from 'wx-server-sdk'"],
    ["import x from '../api'"],
  ],
  ['routes', 'src/routes.ts', ["import x from '../server/ports'"], ["import x from './domain/journey'"]],
  [
    'use cases',
    'server/app/probe.ts',
    ["import x from '../local/adapters/sqlite-store'", "import x from 'wx-server-sdk'", "import x from './handler'"],
    ["import x from '../ports'", "import x from '../../src/domain/rules'"],
  ],
  [
    'adapters',
    'server/wechat/probe.ts',
    ["import x from '../app/guard'", "import x from '../../src/pages/index/index'"],
    ["import x from 'wx-server-sdk'"],
  ],
  [
    'wechat stand-in',
    'server/wechat-standin/probe.ts',
    ["import x from '../ports'", "import x from '../wechat/store'", "import x from 'wx-server-sdk'"],
    ["import x from './database'", "import x from 'mingo'"],
  ],
  [
    'local runtime',
    'server/local/runtime/probe.ts',
    ["import x from '../../../src/hooks/use-cloud'"],
    ["import x from '../../app/handler'"],
  ],
]

describe('the layers’ import rules', () => {
  it.each(cases)(
    '%s (%s): refuses what it may not import, allows what it may',
    async (_layer, file, refused, allowed) => {
      for (const source of refused)
        expect([source, await refusals(file, source)]).toEqual([source, [expect.any(String)]])
      for (const source of allowed) expect([source, await refusals(file, source)]).toEqual([source, []])
    },
  )

  it('type-only imports cross any boundary (they carry no code)', async () => {
    expect(await refusals('src/components/probe/index.tsx', "import type x from '../../hooks/use-cloud'")).toEqual([])
  })
})
