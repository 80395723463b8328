// The contract, in one import.
export * from './contract'
export * from './errors'
