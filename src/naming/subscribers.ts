import { serviceKeyString, type ServiceKey } from './model'

/** Per (change, form) scratch space shared by the subscribers a change is pushed to. */
export interface PushMemo {
  /** The NotifySubscriberRequest body (gRPC), built by the first gRPC subscriber. */
  notifyBody?: string
}

/** Someone who wants pushes of a service: a gRPC connection or a UDP 1.x client. */
export interface Subscriber {
  /** Unique per (subscriber, service): the connection id, or `udp:<ip>:<port>`. */
  id: string
  kind: 'grpc' | 'udp'
  /** The cluster filter exactly as subscribed (part of the Go client's cache key). */
  clusters: string
  /** Address and agent, for the console's subscriber list. */
  addr: string
  agent: string
  /**
   * Delivers a ServiceInfo (plain-name form for gRPC, grouped for UDP) and its JSON, serialised once per change;
   * `memo` is shared by every subscriber of the same change and form, to build a wire body once for all of them.
   */
  deliver(info: Record<string, unknown>, json: string, memo: PushMemo): void
  /** Last refresh time (UDP subscribers expire when the client stops polling). */
  seenAt: number
}

/** Subscribers indexed by service, so a change reaches only its own subscribers. */
export class SubscriberIndex {
  private byService = new Map<string, Map<string, Subscriber>>()

  /** One record per (subscriber, service): a second subscribe with other clusters overrides. */
  add(key: ServiceKey, s: Subscriber) {
    const ks = serviceKeyString(key)
    let m = this.byService.get(ks)
    if (!m) this.byService.set(ks, (m = new Map()))
    m.set(s.id, s)
  }

  remove(key: ServiceKey, id: string) {
    const ks = serviceKeyString(key)
    const m = this.byService.get(ks)
    if (!m) return
    m.delete(id)
    if (m.size === 0) this.byService.delete(ks)
  }

  of(keyStr: string): Subscriber[] {
    const m = this.byService.get(keyStr)
    return m ? [...m.values()] : []
  }

  has(keyStr: string): boolean {
    return this.byService.has(keyStr)
  }

  /** Drops UDP subscribers not refreshed since `cutoff`. */
  expire(cutoff: number) {
    for (const [ks, m] of this.byService) {
      for (const [id, s] of m) if (s.kind === 'udp' && s.seenAt < cutoff) m.delete(id)
      if (m.size === 0) this.byService.delete(ks)
    }
  }

  /** Total number of (service, subscriber) records. */
  get size(): number {
    let n = 0
    for (const m of this.byService.values()) n += m.size
    return n
  }
}
