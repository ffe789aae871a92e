/**
 * Brute-force protection: after `maxFailures` failed logins within the window, further attempts for that user, or
 * from that source IP, are refused until `lockMs` has passed — whether or not the password is then right.
 */
export class Lockout {
  private failures = new Map<string, { count: number; first: number; lockedUntil: number }>()

  constructor(
    private readonly maxFailures: number,
    private readonly lockMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds until `user` or `ip` may try again; 0 when not locked. */
  lockedFor(user: string, ip: string): number {
    const t = this.now()
    let wait = 0
    for (const k of [`u:${user}`, `ip:${ip}`]) {
      const f = this.failures.get(k)
      if (f && f.lockedUntil > t) wait = Math.max(wait, f.lockedUntil - t)
    }
    return wait
  }

  /** Counts a failed attempt against both the user and the IP. */
  fail(user: string, ip: string) {
    const t = this.now()
    for (const k of [`u:${user}`, `ip:${ip}`]) {
      let f = this.failures.get(k)
      if (!f || t - f.first > this.lockMs) this.failures.set(k, (f = { count: 0, first: t, lockedUntil: 0 }))
      if (++f.count >= this.maxFailures) f.lockedUntil = t + this.lockMs
    }
    if (this.failures.size > 100_000) this.prune(t)
  }

  /** A success clears the user's count (not the IP's: one right password must not unlock a scanner). */
  succeed(user: string) {
    this.failures.delete(`u:${user}`)
  }

  private prune(t: number) {
    for (const [k, f] of this.failures) if (f.lockedUntil < t && t - f.first > this.lockMs) this.failures.delete(k)
  }
}
