// The drawdown load both drawdown benches make (reliability.ts times it, drawdown-pages.ts counts
// what it writes): 150 borrowers with opened 微粒贷 lines, drawing ¥500 at a time over HTTP at 50
// connections, each request a fresh requestId and the borrower's signed note.
import type { Options, Request } from 'autocannon'
import { freshRequestId, onboardOverHttp, openLineOverHttp, signedNote } from '../test/support/http-borrower'
import { postJson } from '../test/support/http'
import { makeCard } from '../test/support/cards'
import { makeIdNumber } from '../test/support/factories'

/** The drawdown every load makes: ¥500 over 10 months on 微粒贷. */
export const DRAWDOWN = {
  product: 'weilidai',
  amountFen: 50_000,
  termMonths: 10,
  mode: 'equal-installment',
  purpose: 'consumption',
} as const

/** Connections drawing at once, and the borrowers they take in turn (each on their own 微粒贷 line). */
export const CONNECTIONS = 50
export const BORROWERS = 3 * CONNECTIONS

/** A JSON POST to the local cloud at `base`, with a session's bearer token: its answer. */
export const poster = (base: string) => async (p: string, body: unknown, token?: string) =>
  (await postJson(base, p, body, token)).json

/** The demo persona alice's simulated profile, to give bench people who must be able to open a line. */
export async function personaProfile(base: string): Promise<unknown> {
  const token = (await poster(base)('/__dev/signin', { user: 'alice' })).data.token as string
  const r = (await (
    await fetch(`${base}/__dev/profile/data`, { headers: { authorization: `Bearer ${token}` } })
  ).json()) as {
    data: { profile: unknown }
  }
  return r.data.profile
}

/**
 * A bench person, signed in, given the demo persona's simulated profile (so that each can open a
 * line: a hashed profile may be refused) and onboarded: real name (ID sequence `seq`) and a debit
 * card (`card` its 9 digits after the BIN).
 */
export async function benchPerson(base: string, user: string, seq: number, card: number, profile: unknown) {
  const post = poster(base)
  const token = (await post('/__dev/signin', { user })).data.token as string
  await post('/__dev/profile/data', { profile }, token)
  const call = (fn: string, action: string, data: unknown) =>
    post(`/api/${fn}`, { action, data, requestId: freshRequestId() }, token)
  const who = { name: '张三', idNumber: makeIdNumber({ seq: String(seq).padStart(3, '0') }), mobile: '13812345678' }
  const done = await onboardOverHttp(call, who, makeCard('622588', String(card).padStart(9, '0')))
  if (!done.verified || !done.bound) throw new Error(`${user} not onboarded`)
  return { token, call }
}

/** A bench person (benchPerson) with an opened 微粒贷 line. */
export async function personWithLine(base: string, user: string, seq: number, card: number, profile: unknown) {
  const person = await benchPerson(base, user, seq, card, profile)
  const opened = await openLineOverHttp(person.call, 'weilidai')
  if (!opened.ok || opened.data.state !== 'active') throw new Error(`${user}: line ${JSON.stringify(opened)}`)
  return person
}

/** The borrowers of the load, each with an opened 微粒贷 line: their sessions, and each one's signed note for DRAWDOWN. */
export interface Borrowers {
  tokens: string[]
  notes: string[]
}

/**
 * 150 borrowers, each with the demo persona's profile and an opened 微粒贷 line (¥200,000 under
 * the ceiling: 400 drawdowns of ¥500 each, so 60,000 in all — more than a run makes), and the
 * drawdown note each signs, read once (the same figures on the same day give the same note).
 */
export async function drawdownBorrowers(base: string): Promise<Borrowers> {
  const profile = await personaProfile(base)
  const out: Borrowers = { tokens: [], notes: [] }
  for (let i = 0; i < BORROWERS; i++) {
    const { token, call } = await personWithLine(base, `draw${i}`, 500 + i, 500_000 + i, profile)
    out.tokens.push(token)
    const note = await signedNote(call, DRAWDOWN)
    if (!note) throw new Error(`draw${i}: no drawdown note`)
    out.notes.push(note)
  }
  return out
}

/** What the load's answers said: approved, paid out before the answer, anything else. */
export interface Answers {
  drawn: number
  disbursed: number
  refused: number
}

/**
 * The load's one autocannon request: the borrowers in turn, three times as many as connections,
 * so the 50 requests in flight are 50 different borrowers and no one draws twice at the same
 * moment (as none would from one phone), each with a fresh requestId. (autocannon's context does
 * not last from one request to the next.)
 */
function drawdownRequest(b: Borrowers, answers: Answers): Request {
  let next = 0
  return {
    setupRequest: (req) => {
      const i = next++ % b.tokens.length
      return {
        ...req,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${b.tokens[i]}` },
        body: JSON.stringify({
          action: 'apply',
          data: { ...DRAWDOWN, contractSha256: b.notes[i] },
          requestId: freshRequestId('d'),
        }),
      }
    },
    onResponse: (_status, body) => {
      const answer = JSON.parse(body) as { ok: boolean; data?: { outcome: string; loan?: { state: string } } }
      if (answer.ok && answer.data?.outcome === 'approved') {
        answers.drawn++
        if (answer.data.loan?.state === 'disbursed') answers.disbursed++
      } else answers.refused++
    },
  }
}

/** autocannon's options for the load: `run` is how long (`duration`, s) or how many (`amount`). */
export function drawdownLoadOptions(
  base: string,
  b: Borrowers,
  answers: Answers,
  run: { duration: number } | { amount: number },
): Options {
  return {
    url: `${base}/api/loans`,
    connections: CONNECTIONS,
    method: 'POST',
    requests: [drawdownRequest(b, answers)],
    ...run,
  }
}
