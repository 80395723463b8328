// The two contracts a borrower signs, by kind: the line's (授信合同) and each drawdown's note
// (借款合同). On their own so that the API contract names them without the templates' text.
export const CONTRACT_KINDS = ['line', 'drawdown'] as const
export type ContractKind = (typeof CONTRACT_KINDS)[number]
