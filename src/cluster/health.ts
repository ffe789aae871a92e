import type { MemberState, NodeState } from './member-state'
import type { PeerClient } from './peers'
import type { NodeReport } from './report'

/** Ping cadence and per-ping timeout (Nacos's MemberInfoReportTask reports every 2 s). */
export interface HealthTiming {
  intervalMs: number
  timeoutMs: number
}

/** Default: ping every 2 s, give up on one after 1.5 s, so a ping never overlaps the next. */
export const DEFAULT_HEALTH_TIMING: HealthTiming = { intervalMs: 2000, timeoutMs: 1500 }

/**
 * Pings every peer on a timer and moves its state (UP / SUSPICIOUS / DOWN) by the answer; `changed` hears every
 * transition. Returns a stop function.
 */
export function startHealthLoop(peers: MemberState[], client: PeerClient, report: () => NodeReport, members: string[], timing: HealthTiming, changed: (m: MemberState, old: NodeState) => void, now: () => number = Date.now): () => void {
  const inFlight = new Set<MemberState>()
  const pingOne = async (m: MemberState) => {
    if (inFlight.has(m)) return
    inFlight.add(m)
    try {
      const theirs = await client.ping(m.member, report(), members, timing.timeoutMs)
      const old = m.onSuccess(theirs, now())
      if (old !== m.state) changed(m, old)
    } catch (e) {
      const old = m.onFail(e instanceof Error ? e.message : String(e))
      if (old !== m.state) changed(m, old)
    } finally {
      inFlight.delete(m)
    }
  }
  const round = () => {
    for (const m of peers) void pingOne(m)
  }
  round()
  const timer = setInterval(round, timing.intervalMs)
  timer.unref()
  return () => clearInterval(timer)
}
