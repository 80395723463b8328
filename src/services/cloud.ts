// The typed cloud client: one call per action, shaped by the contract in src/api.
import type { ActionRequest, ActionName, ActionOutput, ApiResult, FunctionName } from '../api'
import { platform } from './platform'

/** A fresh id for one logical request; re-sending the same id makes a retry safe. */
export function newRequestId(): string {
  const bytes = new Uint8Array(12)
  const c = (globalThis as { crypto?: { getRandomValues?: (a: Uint8Array) => Uint8Array } }).crypto
  if (c?.getRandomValues) c.getRandomValues(bytes)
  else for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256)
  return 'r' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
}

export async function call<F extends FunctionName, A extends ActionName<F>>(
  fn: F,
  action: A,
  input: ActionRequest<F, A>,
  requestId?: string,
): Promise<ApiResult<ActionOutput<F, A>>> {
  const envelope = { action, data: input as Record<string, unknown>, ...(requestId ? { requestId } : {}) }
  return (await platform.send(fn, envelope)) as ApiResult<ActionOutput<F, A>>
}
