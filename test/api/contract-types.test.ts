/**
 * Type-level tests of the contract (checked by `tsc` in npm test): the server's action table is
 * typed by the contract's inputs and outputs, so a use case that takes or returns the wrong shape
 * does not compile; the views keep the domain's literal unions.
 */
import { ok, type ActionInput, type LoanView } from '../../src/api'
import type { ActionTable, UseCase } from '../../server/app/handler'
import { get } from '../../server/app/loans/index'

describe('the contract, checked by the compiler', () => {
  it('a use case must return its action’s output', () => {
    // @ts-expect-error loans.get answers a LoanView, not a number
    const wrongOutput: UseCase<'loans', 'get'> = async () => ok(42)
    // @ts-expect-error loans.get takes { loanId: string }
    const wrongInput: UseCase<'loans', 'get'> = async (_p, _o, input: { loanId: number }) => ok(input as never)
    const right: UseCase<'loans', 'get'> = get
    expect([typeof wrongOutput, typeof wrongInput, typeof right]).toEqual(['function', 'function', 'function'])
  })

  it('the action table must cover every action of every function', () => {
    // @ts-expect-error the onboarding function's actions are missing
    const partial: ActionTable = { merchants: {} as ActionTable['merchants'] }
    expect(partial).toBeDefined()
  })

  it('inputs are what the schema parses to; views keep the literal unions', () => {
    const input: ActionInput<'loans', 'apply'> = {
      product: 'we2000',
      amountFen: 100_000,
      mode: 'equal-installment',
      purpose: 'consumption',
      accountType: 'debit',
    }
    // @ts-expect-error a product the catalog does not have
    const unknownProduct: ActionInput<'loans', 'apply'> = { ...input, product: 'jiebei' }
    const product: LoanView['product'] = 'xiaoe'
    // @ts-expect-error LoanView.product is a ProductId, not any string
    const notAProduct: LoanView['product'] = 'jiebei'
    // @ts-expect-error LoanView.state is a LoanState
    const notAState: LoanView['state'] = 'paid'
    expect([input.product, unknownProduct.product, product, notAProduct, notAState]).toHaveLength(5)
  })
})
