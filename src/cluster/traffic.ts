/*
 * Counts of the node-to-node traffic, kept by the cluster (one instance per node, none when standalone) and read
 * by the Prometheus endpoint at scrape time (src/metrics/peer.ts). Plain numbers in nested Maps, resolved once per
 * (type, outcome): a peer call costs a few Map lookups and additions, nothing is formatted until a scrape.
 */

/** How an outgoing call ended: answered, answered with an error (refused, unknown type, forged answer), or no answer. */
export type OutgoingOutcome = 'ok' | 'error' | 'timeout' | 'unreachable'

/** How an incoming message was handled: answered, refused by auth, no handler, unreadable body, handler failed. */
export type IncomingOutcome = 'ok' | 'refused' | 'unknown' | 'bad_request' | 'error'

/** Messages of one (type, outcome) and their body bytes each way, from this node's point of view. */
export interface TrafficTally {
  count: number
  bytesSent: number
  bytesReceived: number
}

/** Outgoing call durations of one type: per-bucket (not cumulative) counts over PEER_DURATION_BOUNDS, sum, count. */
export interface DurationTally {
  readonly buckets: number[]
  sum: number
  count: number
}

/** Upper bounds (seconds) of the outgoing duration buckets: a ping on a LAN is ~1 ms, a large snapshot seconds. */
export const PEER_DURATION_BOUNDS: readonly number[] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

/** Type label for incoming messages whose type has no handler or was not signed: senders cannot grow the label set. */
export const OTHER_TYPE = 'other'

/** The UTF-8 size of a message body as it travels (a JSON string built here, or the received bytes). */
export function bodyBytes(body: string | Uint8Array): number {
  return typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength
}

/** Classifies a transport failure (the wire names the cause in the message, as member-state reads it). */
export function failureOutcome(error: unknown): 'timeout' | 'unreachable' {
  return /deadline|timed? ?out/i.test(error instanceof Error ? error.message : String(error)) ? 'timeout' : 'unreachable'
}

function tally<O extends string>(byType: Map<string, Map<O, TrafficTally>>, type: string, outcome: O): TrafficTally {
  let byOutcome = byType.get(type)
  if (!byOutcome) byType.set(type, (byOutcome = new Map()))
  let t = byOutcome.get(outcome)
  if (!t) byOutcome.set(outcome, (t = { count: 0, bytesSent: 0, bytesReceived: 0 }))
  return t
}

/** Per-type counters of this node's peer messages, both directions, and the duration of its outgoing calls. */
export class PeerTraffic {
  /** Calls this node made: type → outcome → tally. */
  readonly outgoing = new Map<string, Map<OutgoingOutcome, TrafficTally>>()
  /** Messages this node answered: type (or OTHER_TYPE) → outcome → tally. */
  readonly incoming = new Map<string, Map<IncomingOutcome, TrafficTally>>()
  /** Outgoing call durations by type, every outcome included (a timeout lands near its deadline). */
  readonly durations = new Map<string, DurationTally>()

  /** Records one outgoing call: its outcome, how long it took and the body bytes each way (0 received when none). */
  sent(type: string, outcome: OutgoingOutcome, ms: number, bytesSent: number, bytesReceived: number): void {
    const t = tally(this.outgoing, type, outcome)
    t.count++
    t.bytesSent += bytesSent
    t.bytesReceived += bytesReceived
    let d = this.durations.get(type)
    if (!d) this.durations.set(type, (d = { buckets: PEER_DURATION_BOUNDS.map(() => 0), sum: 0, count: 0 }))
    const s = ms / 1000
    const i = PEER_DURATION_BOUNDS.findIndex((b) => s <= b)
    // Past the last bound it counts only in +Inf (sum/count), as prom-client's histograms do.
    if (i >= 0) d.buckets[i]++
    d.sum += s
    d.count++
  }

  /** Records one incoming message: its outcome and the body bytes of the request and of the answer. */
  received(type: string, outcome: IncomingOutcome, bytesReceived: number, bytesSent: number): void {
    const t = tally(this.incoming, type, outcome)
    t.count++
    t.bytesSent += bytesSent
    t.bytesReceived += bytesReceived
  }

  /** Message counts per direction, type and outcome, as plain objects (for state reports and tests). */
  totals(): { outgoing: Record<string, Record<string, number>>; incoming: Record<string, Record<string, number>> } {
    const plain = <O extends string>(m: Map<string, Map<O, TrafficTally>>) =>
      Object.fromEntries([...m].map(([type, byOutcome]) => [type, Object.fromEntries([...byOutcome].map(([o, t]) => [o, t.count]))]))
    return { outgoing: plain(this.outgoing), incoming: plain(this.incoming) }
  }
}
