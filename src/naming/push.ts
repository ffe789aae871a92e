import { log } from '../shared/log'
import type { NamingRegistry, ServiceState } from './registry'
import { buildServiceInfo } from './service-info'
import type { PushMemo, SubscriberIndex } from './subscribers'

/** A window grows at most to this many times the configured delay (200 ms at the default 20 ms). */
const MAX_WINDOW_FACTOR = 10

/** A service waiting for its push: the newest state, when it is due, and how many changes it absorbed. */
interface Pending {
  s: ServiceState
  due: number
  window: number
  changes: number
}

/** How the last push of a service went, to tell a burst of changes from an isolated one. */
interface LastPush {
  at: number
  window: number
  /** Whether that window absorbed several changes or was itself lengthened. */
  busy: boolean
}

/**
 * Pushes service changes to subscribers, debounced: changes within one window are coalesced, and each distinct
 * (cluster filter, name form) gets its ServiceInfo built once per change, not once per subscriber.
 *
 * The window is adaptive: a service that keeps changing (a fleet registering: 100 changes per service in the
 * 1,000-connection register bench, where bnacos sent 4,920 pushes of up to 38 KB against r-nacos's 1,860) gets its
 * window doubled per busy window, up to MAX_WINDOW_FACTOR × the delay; an isolated change is still pushed after the
 * configured delay.
 */
export class PushScheduler {
  private pending = new Map<string, Pending>()
  private last = new Map<string, LastPush>()
  private timer: Timer | undefined
  private timerDue = Infinity
  pushes = 0
  failures = 0

  constructor(
    private readonly reg: NamingRegistry,
    private readonly subs: SubscriberIndex,
    private readonly delayMs: number,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  schedule(s: ServiceState) {
    if (!this.subs.has(s.keyStr)) return
    const p = this.pending.get(s.keyStr)
    if (p) {
      p.s = s
      p.changes++
      return
    }
    const now = this.clock()
    const l = this.last.get(s.keyStr)
    const window = l && l.busy && now - l.at < l.window ? Math.min(l.window * 2, this.delayMs * MAX_WINDOW_FACTOR) : this.delayMs
    this.pending.set(s.keyStr, { s, due: now + window, window, changes: 1 })
    this.arm(now + window)
  }

  private arm(due: number) {
    if (this.timer && due >= this.timerDue) return
    if (this.timer) clearTimeout(this.timer)
    this.timerDue = due
    this.timer = setTimeout(() => this.tick(), Math.max(0, due - this.clock()))
  }

  /** Sends the changes whose window has passed and re-arms for the next one. */
  private tick() {
    this.timer = undefined
    this.timerDue = Infinity
    const now = this.clock()
    let next = Infinity
    const due: Pending[] = []
    for (const [ks, p] of this.pending) {
      // 1 ms slack: setTimeout may fire a little early.
      if (p.due <= now + 1) {
        this.pending.delete(ks)
        due.push(p)
      } else next = Math.min(next, p.due)
    }
    for (const [ks, l] of this.last) if (now - l.at >= l.window && !this.pending.has(ks)) this.last.delete(ks)
    this.send(due, now)
    if (next !== Infinity) this.arm(next)
  }

  /** Sends every pending change now. */
  flush() {
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
    this.timerDue = Infinity
    const batch = [...this.pending.values()]
    this.pending.clear()
    this.send(batch, this.clock())
  }

  private send(batch: Pending[], now: number) {
    for (const p of batch) {
      const s = p.s
      this.last.set(s.keyStr, { at: now, window: p.window, busy: p.changes > 1 || p.window > this.delayMs })
      const built = new Map<string, { info: Record<string, unknown>; json: string; memo: PushMemo }>()
      for (const sub of this.subs.of(s.keyStr)) {
        const form = `${sub.kind === 'udp' ? 'g' : 'p'}|${sub.clusters}`
        let b = built.get(form)
        if (!b) {
          const info = buildServiceInfo(this.reg, s.key, s, { clusters: sub.clusters, healthyOnly: false, groupedName: sub.kind === 'udp' })
          built.set(form, (b = { info, json: JSON.stringify(info), memo: {} }))
        }
        try {
          sub.deliver(b.info, b.json, b.memo)
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
    this.timerDue = Infinity
  }
}
