import { log } from '../../shared/log'
import type { Cluster } from '../cluster'

/**
 * Collects items for a short window and sends them to every UP peer as one message. Fire-and-forget: a peer
 * that misses it (down, partitioned, slow) repairs from the database's change log or the periodic refresh, so a
 * lost message costs latency, never correctness.
 */
export class PeerBatcher<T> {
  private pending = new Map<string, T>()
  private timer: ReturnType<typeof setTimeout> | undefined
  /** Messages sent and failed, for the node report and metrics. */
  readonly counts = { sent: 0, failed: 0 }

  constructor(
    private readonly cluster: Cluster,
    private readonly type: string,
    private readonly windowMs: number,
    private readonly body: (items: T[]) => Record<string, unknown>,
  ) {}

  /** When the last batch went out. */
  private lastFlush = 0

  /**
   * Queues an item (deduplicated by `id`) for the next batch. The first item after a quiet window goes out at
   * once (with whatever else is queued in the same tick), so a lone write reaches the peers without waiting the
   * window; items that follow within the window are gathered until it ends.
   */
  add(id: string, item: T): void {
    this.pending.set(id, item)
    if (this.timer) return
    const wait = Math.max(0, this.lastFlush + this.windowMs - Date.now())
    this.timer = setTimeout(() => this.flush(), wait)
  }

  /** Sends what is queued now. */
  flush(): void {
    this.timer = undefined
    this.lastFlush = Date.now()
    if (this.pending.size === 0) return
    const items = [...this.pending.values()]
    this.pending.clear()
    const client = this.cluster.client
    if (!client) return
    const body = this.body(items)
    // Every peer, not only those UP: a node that just restarted is DOWN in our view until the next ping (~2 s),
    // and a call to one that is really gone fails at once (no waiting for a connection).
    for (const peer of this.cluster.peers()) {
      client.call(peer, this.type, body, 2_000, false).then(
        () => void this.counts.sent++,
        (e) => {
          this.counts.failed++
          log.debug('peer notification not delivered; the peer repairs from the database', { peer: peer.address, type: this.type, error: String(e) })
        },
      )
    }
  }

  /** Drops anything queued and the timer. */
  stop(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
    this.pending.clear()
  }
}
