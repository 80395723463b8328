// The agreements step: what is ticked (what the user already accepted at the current version,
// changed by their own taps), whether they may go on, and accepting.
import { useState } from 'react'
import {
  AGREEMENT_KINDS,
  AGREEMENT_VERSIONS,
  REQUIRED_AGREEMENTS,
  hasCurrent,
  type AgreementKind,
} from '../domain/agreements'
import { useCloudMutation } from './use-cloud'
import { useGoNext, useOnboardingStatus } from './use-onboarding-step'

export function useAgreements() {
  const status = useOnboardingStatus()
  const accept = useCloudMutation('onboarding', 'acceptAgreements')
  const goNext = useGoNext()
  // Only the user's own taps are state; the rest follows from what the server has stored.
  const [taps, setTaps] = useState<Partial<Record<AgreementKind, boolean>>>({})
  const stored = status.data?.agreements ?? {}
  const checked = Object.fromEntries(
    AGREEMENT_KINDS.map((kind) => [kind, taps[kind] ?? hasCurrent(stored, kind)]),
  ) as Record<AgreementKind, boolean>

  const submit = async () => {
    const accepted = AGREEMENT_KINDS.filter((k) => checked[k]).map((kind) => ({
      kind,
      version: AGREEMENT_VERSIONS[kind],
    }))
    const result = await accept.run({ accepted })
    if (result?.ok) await goNext(result.data)
  }

  return {
    status,
    /** The boxes show once what was accepted is known (or could not be read). */
    ready: status.data !== null || status.error !== null,
    checked,
    check: (kind: AgreementKind, value: boolean) => setTaps((t) => ({ ...t, [kind]: value })),
    isRequired: (kind: AgreementKind) => REQUIRED_AGREEMENTS.includes(kind),
    canSubmit: REQUIRED_AGREEMENTS.every((k) => checked[k]) && !accept.busy,
    busy: accept.busy,
    error: accept.error,
    submit,
  }
}
