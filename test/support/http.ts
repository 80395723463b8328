// A local cloud listening on a free port, and a JSON POST to it as the mini-program's H5 build sends one.
import type { AddressInfo } from 'node:net'
import type { LocalCloud } from '../../server/local/runtime/gateway'

/** Listens on 127.0.0.1 at a free port; resolves to the base URL. */
export async function listen(cloud: LocalCloud): Promise<string> {
  await new Promise<void>((r) => cloud.server.listen(0, '127.0.0.1', () => r()))
  return `http://127.0.0.1:${(cloud.server.address() as AddressInfo).port}`
}

/**
 * POST `body` as JSON (or `raw` as it is), with the session's bearer token. An answer that is not
 * JSON fails the test, unless `lenient` (the fuzzer keeps it as text, to report it).
 */
export async function postJson(
  base: string,
  p: string,
  body: unknown,
  token?: string,
  raw?: string,
  { lenient = false }: { lenient?: boolean } = {},
): Promise<{ status: number; json: any }> {
  const res = await fetch(base + p, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: raw ?? JSON.stringify(body),
  })
  const text = await res.text()
  try {
    return { status: res.status, json: JSON.parse(text) }
  } catch {
    if (!lenient) throw new Error(`${p} answered ${res.status} with something that is not JSON: ${text.slice(0, 200)}`)
    return { status: res.status, json: { unparseable: text.slice(0, 200) } }
  }
}
