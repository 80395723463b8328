// `kaitong verify <file.pdf|receipt.json> [--key <keys.json|url>]`: checks a copy of what the
// lender signed — a contract's PDF (its seal, its signing record, its SHA-256) or a receipt (one,
// a list, or an account export's receipts) — with the lender's public key only. The key comes from
// --key: a file holding what GET /.well-known/kaitong-signing-key answers, or that address itself;
// without it, the local cloud's own public key (from its .data folder). Nothing else is read.
import fs from 'node:fs'
import type { ReceiptView } from '../../src/api'
import { verifyContractPdf, verifyReceiptJson, type Keys, type Verdict } from '../../server/contracts/verify'
import type { CliResult } from './quote'

export const VERIFY_USAGE =
  'kaitong verify <file.pdf|receipt.json> [--key <keys.json|https://…/.well-known/kaitong-signing-key>]'

const usage = (message: string): CliResult => ({
  exitCode: 2,
  output: { error: { code: 'USAGE', message: `${message}\nusage: ${VERIFY_USAGE}` } },
})

/** A key fetched over plain http could be anyone's: only https, or the local cloud on this machine. */
const LOOPBACK = /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\//

async function readKeys(source: string): Promise<Keys> {
  if (source.startsWith('http://') && !LOOPBACK.test(source))
    throw new Error(
      `${source}: fetch the lender's key over https (or give a file): over plain http anyone between could swap it`,
    )
  const text = /^https?:\/\//.test(source) ? await (await fetch(source)).text() : fs.readFileSync(source, 'utf8')
  const parsed = JSON.parse(text) as { keys?: Keys }
  if (!Array.isArray(parsed.keys) || parsed.keys.some((k) => typeof k.kid !== 'string' || typeof k.x !== 'string'))
    throw new Error(`${source}: expected { "keys": [{ "kid", "x", … }] } as /.well-known/kaitong-signing-key serves it`)
  return parsed.keys
}

/** The receipts a JSON file holds: one receipt, a list of them, or an account export. */
function receiptsIn(json: unknown): Array<Partial<ReceiptView>> {
  if (Array.isArray(json)) return json as Array<Partial<ReceiptView>>
  const o = json as { receipts?: unknown; signature?: unknown }
  if (Array.isArray(o?.receipts)) return o.receipts as Array<Partial<ReceiptView>>
  return [o as Partial<ReceiptView>]
}

export async function verifyCommand(argv: string[], localKeys: () => Keys): Promise<CliResult> {
  const file = argv[0]
  if (!file || file.startsWith('--')) return usage('the file to check is required')
  const rest = argv.slice(1)
  if (rest.length > 0 && !(rest.length === 2 && rest[0] === '--key')) return usage(`unexpected: ${rest.join(' ')}`)
  if (!fs.existsSync(file)) return { exitCode: 1, output: { error: { code: 'NOT_FOUND', message: `no file ${file}` } } }
  let keys: Keys
  try {
    keys = rest.length === 2 ? await readKeys(rest[1]) : localKeys()
  } catch (error) {
    return { exitCode: 1, output: { error: { code: 'KEY_UNAVAILABLE', message: (error as Error).message } } }
  }
  const bytes = new Uint8Array(fs.readFileSync(file))
  let verdicts: Verdict[]
  if (Buffer.from(bytes.subarray(0, 5)).toString('latin1') === '%PDF-') verdicts = [verifyContractPdf(bytes, keys)]
  else {
    let json: unknown
    try {
      json = JSON.parse(Buffer.from(bytes).toString('utf8'))
    } catch {
      return usage(`${file} is neither a PDF nor JSON`)
    }
    verdicts = receiptsIn(json).map((r) => verifyReceiptJson(r, keys))
  }
  const valid = verdicts.length > 0 && verdicts.every((v) => v.valid)
  return {
    exitCode: valid ? 0 : 1,
    output: { file, keys: keys.map((k) => k.kid), ...(verdicts.length === 1 ? verdicts[0] : { verdicts }), valid },
  }
}
