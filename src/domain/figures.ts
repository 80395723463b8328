// Figures the product's texts quote, kept where the checks that enforce them read them too, so a
// message never says one number while a check applies another. Small on purpose: the error
// messages (src/api/errors.ts) quote them and ship on every page.

/** How many characters a legal name on a resident ID has. */
export const NAME_LENGTH = { min: 2, max: 20 } as const

/** A mainland mobile number's digits (1, then 3–9, then nine more). */
export const MOBILE_DIGITS = 11

/** How many digits a bank card number has. */
export const CARD_DIGITS = { min: 15, max: 20 } as const

/** The lending age band in whole years, both ends included: the default rule set's gates. */
export const LENDING_AGE = { min: 18, max: 60 } as const

/**
 * The most one borrower's unsecured consumer line from one lender may be (Interim Measures for
 * Internet Loans of Commercial Banks, 2020): ¥200,000. A lender may set a lower one, never higher.
 */
export const LINE_CEILING_FEN = 200_000_00
