// The contract between the mini-program and the cloud functions: functions, actions, input
// schemas and response types. Both sides import this file; nothing else crosses the line.
import * as v from 'valibot'
import type { AgreementKind, OnboardingStep } from '../domain/onboarding'
import type { OfferGrid, Offer } from '../domain/pricing'
import type { Evaluation, ProductDecision } from '../domain/rules'

/** `{ action, data, requestId }` — what `wx.cloud.callFunction` sends as `data` and the local cloud as the body. */
export const Envelope = v.object({
  action: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
  // A plain object; each action's schema checks its fields. (valibot's record takes arrays too.)
  data: v.optional(
    v.custom<Record<string, unknown>>(
      (d) => typeof d === 'object' && d !== null && !Array.isArray(d),
      'data must be an object',
    ),
    {},
  ),
  requestId: v.optional(v.pipe(v.string(), v.regex(/^[0-9A-Za-z_-]{8,64}$/, 'requestId: 8–64 of [0-9A-Za-z_-]'))),
})
export type Envelope = v.InferOutput<typeof Envelope>

const Text = (max: number) => v.pipe(v.string(), v.maxLength(max))

/** Each action: its input schema, and whether it changes state (then a requestId is required). */
export const CONTRACT = {
  merchants: {
    resolve: { mutating: false, input: v.object({ scene: Text(256) }) },
  },
  onboarding: {
    status: { mutating: false, input: v.object({}) },
    acceptAgreements: {
      mutating: true,
      input: v.object({
        accepted: v.pipe(v.array(v.object({ kind: Text(40), version: Text(40) })), v.minLength(1), v.maxLength(8)),
      }),
    },
    verifyIdentity: {
      mutating: true,
      input: v.object({ name: Text(64), idNumber: Text(64), mobile: Text(32) }),
    },
    /** The holder's name and ID are asked again: they are not stored, and the bank checks all four elements. */
    bindCard: {
      mutating: true,
      input: v.object({ cardNumber: Text(32), mobile: Text(32), name: Text(64), idNumber: Text(64) }),
    },
    /** No input: the state comes from WeChat Pay, never from the client's callback. */
    authorizePayScore: { mutating: true, input: v.object({}) },
    startFace: { mutating: true, input: v.object({ name: Text(64), idNumber: Text(64) }) },
    confirmFace: { mutating: true, input: v.object({ verifyId: Text(256) }) },
  },
  credit: {
    precheck: { mutating: false, input: v.object({}) },
    offers: { mutating: false, input: v.object({}) },
  },
} as const

export type Contract = typeof CONTRACT
export type FunctionName = keyof Contract
export type ActionName<F extends FunctionName> = keyof Contract[F] & string
export type ActionInput<F extends FunctionName, A extends ActionName<F>> = Contract[F][A] extends {
  input: infer S
}
  ? S extends v.GenericSchema
    ? v.InferInput<S>
    : never
  : never

export const FUNCTION_NAMES = Object.keys(CONTRACT) as FunctionName[]

// ---- responses ----

export interface MerchantView {
  code: string
  name: string
}

export interface ResolveResult {
  /** null when the scene was empty, malformed, unknown or disabled: the normal flow goes on. */
  merchant: MerchantView | null
}

export interface MaskedIdentity {
  name: string
  idNumber: string
  mobile: string
  verifiedAt: number
}

export interface CardView {
  bank: string
  last4: string
  boundAt: number
}

export interface FaceStart {
  verifyId: string
  expiresAt: number
}

export interface OnboardingStatus {
  next: OnboardingStep
  completed: OnboardingStep[]
  agreements: Partial<Record<AgreementKind, { version: string; acceptedAt: number }>>
  /** Versions the user must accept now. */
  currentVersions: Record<AgreementKind, string>
  identity: MaskedIdentity | null
  cards: CardView[]
  payScore: 'AVAILABLE' | 'UNAVAILABLE' | 'UNBINDUSER' | null
  face: 'passed' | 'failed' | null
  serverTime: number
}

export interface OffersResult {
  ruleSetVersion: string
  catalogVersion: string
  capPercent: number
  /** Every product with its decision; offers only where eligible, priced on the server. */
  products: Array<{ decision: ProductDecision; offers: Offer[]; overCap: OfferGrid['refused'] }>
}

export interface Outputs {
  merchants: { resolve: ResolveResult }
  onboarding: {
    status: OnboardingStatus
    acceptAgreements: OnboardingStatus
    verifyIdentity: OnboardingStatus
    bindCard: OnboardingStatus
    authorizePayScore: OnboardingStatus
    startFace: FaceStart
    confirmFace: OnboardingStatus
  }
  credit: { precheck: Evaluation; offers: OffersResult }
}

export type ActionOutput<F extends FunctionName, A extends ActionName<F>> = A extends keyof Outputs[F]
  ? Outputs[F][A]
  : never
