// A use case as the contract types it: its action's parsed input in, its action's output out.
// Written as `export const x: UseCase<'fn', 'action'> = async (ports, openid, input) => …`, a use
// case that takes or returns the wrong shape does not compile where it is written.
import type { ActionInput, ActionName, ActionOutput, ApiResult, FunctionName } from '../../src/api'
import type { Ports } from '../ports'

/** The request a mutating action runs for: its requestId names what a retry must find again. */
export interface RequestRef {
  requestId: string
  /** When the request was first claimed (once.ts): the same on every retry. */
  since?: number
  /** The claim was taken over: an earlier run of this request may have written what it makes. */
  retry?: boolean
}

export type UseCase<F extends FunctionName, A extends ActionName<F>> = (
  ports: Ports,
  openid: string,
  input: ActionInput<F, A>,
  request?: RequestRef,
) => Promise<ApiResult<ActionOutput<F, A>>>
