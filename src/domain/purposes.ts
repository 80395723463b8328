// What a loan may be for. The refused ones are what the Interim Measures for Internet Loans of
// Commercial Banks (2020) forbid a consumer loan to fund — housing, securities, futures,
// derivatives, asset-management products, fixed assets, equity — and, here, investment and crypto
// too. They are accepted as input so that the rules refuse them with a reason, before any query.
export const ALLOWED_PURPOSES = ['consumption', 'education', 'medical', 'travel', 'home', 'other'] as const
export const REFUSED_PURPOSES = [
  'investment',
  'stocks',
  'crypto',
  'house-purchase',
  'bonds',
  'futures',
  'derivatives',
  'asset-management',
  'fixed-assets',
  'equity',
] as const
export const PURPOSES = [...ALLOWED_PURPOSES, ...REFUSED_PURPOSES] as const
