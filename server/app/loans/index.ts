// The loan use cases, by verb: what is stored (docs), applying (apply), the loan after it
// (lifecycle), what every operation leaves (records), reading (view) and the receipts (receipts).
export * from './docs'
export { apply } from './apply'
export { drawdown, markOverdue } from './lifecycle'
export { previewRepayment } from './preview'
export { receipts, verifyReceipt } from './receipts'
export { get, list, view } from './view'
