// `kaitong schema`: the collections, indexes and security rules to create in WeChat Cloud.
import { wechatSchema } from '../../server/schema'
import type { CliResult } from './quote'

export const SCHEMA_USAGE = 'kaitong schema'

export function schemaCommand(argv: string[]): CliResult {
  if (argv.length > 0) return { exitCode: 1, output: { error: { code: 'USAGE', message: `usage: ${SCHEMA_USAGE}` } } }
  return { exitCode: 0, output: wechatSchema() }
}
