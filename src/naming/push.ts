import { log } from '../shared/log'
import type { NamingRegistry, ServiceState } from './registry'
import { buildServiceInfo } from './service-info'
import type { SubscriberIndex } from './subscribers'

/**
 * Pushes service changes to subscribers, debounced: changes within one window are coalesced, and each distinct
 * (cluster filter, name form) gets its ServiceInfo built once per change, not once per subscriber.
 */
export class PushScheduler {
  private pending = new Map<string, ServiceState>()
  private timer: Timer | undefined
  pushes = 0
  failures = 0

  constructor(
    private readonly reg: NamingRegistry,
    private readonly subs: SubscriberIndex,
    private readonly delayMs: number,
  ) {}

  schedule(s: ServiceState) {
    if (!this.subs.has(s.keyStr)) return
    this.pending.set(s.keyStr, s)
    this.timer ??= setTimeout(() => this.flush(), this.delayMs)
  }

  /** Sends every pending change now. */
  flush() {
    this.timer = undefined
    const batch = [...this.pending.values()]
    this.pending.clear()
    for (const s of batch) {
      const built = new Map<string, { info: Record<string, unknown>; json: string }>()
      for (const sub of this.subs.of(s.keyStr)) {
        const form = `${sub.kind === 'udp' ? 'g' : 'p'}|${sub.clusters}`
        let b = built.get(form)
        if (!b) {
          const info = buildServiceInfo(this.reg, s.key, s, { clusters: sub.clusters, healthyOnly: false, groupedName: sub.kind === 'udp' })
          built.set(form, (b = { info, json: JSON.stringify(info) }))
        }
        try {
          sub.deliver(b.info, b.json)
          this.pushes++
        } catch (e) {
          this.failures++
          log.debug('push failed', { subscriber: sub.id, error: String(e) })
        }
      }
    }
  }

  stop() {
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
  }
}
