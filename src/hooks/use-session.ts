// Who is signed in. In WeChat that is always settled; in the browser a test user is chosen first.
import { useCallback, useEffect, useState } from 'react'
import type { ApiError } from '../api'
import { platform, type Persona } from '../services/platform'

export function useSession() {
  const [signedIn, setSignedIn] = useState(() => !platform.needsSignIn())
  const [personas, setPersonas] = useState<Persona[]>([])
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)

  useEffect(() => {
    if (!signedIn) void platform.personas().then(setPersonas)
  }, [signedIn])

  const signIn = useCallback(async (user: string) => {
    setBusy(true)
    setError(null)
    const result = await platform.signIn(user)
    setBusy(false)
    if (result.ok) setSignedIn(true)
    else setError(result.error)
  }, [])

  const signOut = useCallback(() => {
    platform.signOut()
    setSignedIn(false)
  }, [])

  return { signedIn, personas, busy, error, signIn, signOut }
}
