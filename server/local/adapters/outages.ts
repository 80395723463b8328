// Provider outages on demand, for the simulators: the next `n` calls of an operation throw, as an
// unreachable provider's do (tests set them: \`sim.outages.set('query', 1)\`).
export class Outages<Op extends string> extends Map<Op, number> {
  constructor(private readonly provider: string) {
    super()
  }

  /** Throws if an outage is set for `op`, using one up. */
  hit(op: Op): void {
    const n = this.get(op) ?? 0
    if (n <= 0) return
    this.set(op, n - 1)
    throw new Error(`simulated ${this.provider} outage (${op})`)
  }
}
