import { fail } from '../shared/errors'
import { defaultServiceMeta, serviceKeyString, type ClientKind, type ClusterMeta, type Instance, type ServiceKey, type ServiceMeta } from './model'
import { InstanceOverrides, overrideId, type OverrideStore } from './overrides'

/** A service in memory: its settings and the instances each client publishes into it. */
export interface ServiceState {
  key: ServiceKey
  keyStr: string
  meta: ServiceMeta
  clusters: Map<string, ClusterMeta>
  /** Set while the service holds instances: Nacos never mixes ephemeral and persistent in one service. */
  ephemeral: boolean | undefined
  /** Instances by publishing client id (the Nacos 2.x client model). */
  publishers: Map<string, Instance[]>
  /** Strictly increasing per service; becomes ServiceInfo.lastRefTime (Go, Python and Rust drop older pushes). */
  revision: number
  /** Whether an operator created it (kept when empty) rather than implicitly by a registration. */
  explicit: boolean
  /** When it last became empty, for the empty-service cleanup. */
  emptySince: number | undefined
}

/** A publisher: a gRPC connection, an `ip:port#true` HTTP beat client, or an `ip:port#false` persistent client. */
export interface ClientState {
  id: string
  kind: ClientKind
  services: Set<string>
}

/** All services, clients and who published what; `onChange` fires after every change of a service's instances. */
export class NamingRegistry {
  readonly services = new Map<string, ServiceState>()
  readonly clients = new Map<string, ClientState>()
  /** Operator edits laid over what clients publish (see overrides.ts), written through to `overrideStore`. */
  readonly overrides: InstanceOverrides
  /** Hears every change of a client's record (cluster mode replicates the clients this node is responsible for). */
  onClientChange: ((clientId: string) => void) | undefined

  constructor(
    private readonly onChange: (s: ServiceState) => void,
    private readonly now: () => number = Date.now,
    overrideStore?: OverrideStore,
  ) {
    this.overrides = new InstanceOverrides(overrideStore)
  }

  /** The service, creating it (implicitly) when absent. */
  ensure(key: ServiceKey, explicit = false, ks = serviceKeyString(key)): ServiceState {
    let s = this.services.get(ks)
    if (!s) {
      s = { key, keyStr: ks, meta: defaultServiceMeta(), clusters: new Map(), ephemeral: undefined, publishers: new Map(), revision: this.now(), explicit, emptySince: this.now() }
      this.services.set(ks, s)
    }
    if (explicit) s.explicit = true
    return s
  }

  /** The service, if present; `ks` is its key string when the caller already built it. */
  get(key: ServiceKey, ks = serviceKeyString(key)): ServiceState | undefined {
    return this.services.get(ks)
  }

  /** Moves the revision forward (max(now, last + 1)) and tells subscribers. */
  touch(s: ServiceState) {
    s.revision = Math.max(this.now(), s.revision + 1)
    this.onChange(s)
  }

  /** Checks that instances of this kind may go into the service (never mixed; Nacos answers 400). */
  checkKind(key: ServiceKey, ephemeral: boolean, s = this.get(key)) {
    if (s && s.ephemeral !== undefined && s.ephemeral !== ephemeral) {
      const what = s.ephemeral ? 'ephemeral' : 'persistent'
      throw fail.invalid(`Current service ${key.group}@@${key.name} is ${what} service, can't register ${ephemeral ? 'ephemeral' : 'persistent'} instance.`)
    }
  }

  /**
   * Replaces what one client publishes into one service (register, batch register); [] removes it. Publishing
   * exactly what the client already has (an HTTP client re-registering, a gRPC client re-sending its instance)
   * changes nothing: no revision bump and no push, so lastRefTime moves only on a real change.
   */
  publish(clientId: string, kind: ClientKind, key: ServiceKey, instances: Instance[], ks = serviceKeyString(key)) {
    if (instances.length === 0) return this.unpublish(clientId, key, ks)
    const existing = this.services.get(ks)
    this.checkKind(key, kind !== 'persistent', existing)
    const s = existing ?? this.ensure(key, false, ks)
    instances = this.overrides.apply(s.keyStr, instances)
    const current = s.publishers.get(clientId)
    let c = this.clients.get(clientId)
    if (current && c && sameInstances(current, instances)) {
      // The same record from a new owner (a replicated HTTP client whose beats now arrive here): adopt it.
      if (c.kind !== kind) this.adopt(c, kind)
      return
    }
    s.publishers.set(clientId, instances)
    s.ephemeral = kind !== 'persistent'
    s.emptySince = undefined
    if (!c) this.clients.set(clientId, (c = { id: clientId, kind, services: new Set() }))
    else if (c.kind !== kind) this.adopt(c, kind)
    c.services.add(s.keyStr)
    for (const i of instances) if (!s.clusters.has(i.clusterName)) s.clusters.set(i.clusterName, { healthChecker: { type: 'TCP' }, metadata: {} })
    this.touch(s)
    this.onClientChange?.(clientId)
  }

  private adopt(c: ClientState, kind: ClientKind) {
    c.kind = kind
    this.onClientChange?.(c.id)
  }

  /** Removes one client's record in one service (deregister). Returns whether anything was removed. */
  unpublish(clientId: string, key: ServiceKey, ks = serviceKeyString(key)): boolean {
    const s = this.services.get(ks)
    if (!s || !s.publishers.delete(clientId)) return false
    const c = this.clients.get(clientId)
    c?.services.delete(s.keyStr)
    if (c && c.services.size === 0) this.clients.delete(clientId)
    this.afterRemoval(s)
    this.onClientChange?.(clientId)
    return true
  }

  /** Removes everything a client published (its connection closed, or its beats stopped). */
  removeClient(clientId: string) {
    const c = this.clients.get(clientId)
    if (!c) return
    this.clients.delete(clientId)
    for (const ks of c.services) {
      const s = this.services.get(ks)
      if (s?.publishers.delete(clientId)) this.afterRemoval(s)
    }
    this.onClientChange?.(clientId)
  }

  private afterRemoval(s: ServiceState) {
    if (s.publishers.size === 0) {
      s.ephemeral = undefined
      s.emptySince = this.now()
    }
    this.touch(s)
  }

  /**
   * Every instance of a service: the union of its clients' records, one per `ip:port` and cluster. Two clients
   * may publish the same instance — an SDK that re-registered on another node after its node died, while that
   * node's copy has not expired yet — and Nacos lists it once (ServiceStorage collects Instance objects into a
   * set); the earliest publisher's copy is kept.
   */
  instances(s: ServiceState): Instance[] {
    if (s.publishers.size === 1) return s.publishers.values().next().value!
    const out: Instance[] = []
    const seen = new Set<string>()
    for (const list of s.publishers.values()) {
      for (const i of list) {
        const id = `${i.ip}:${i.port}#${i.clusterName}`
        if (seen.has(id)) continue
        seen.add(id)
        out.push(i)
      }
    }
    return out
  }

  /** Services of a namespace (optionally one group), sorted by name. */
  list(namespace: string, group?: string): ServiceState[] {
    const out: ServiceState[] = []
    for (const s of this.services.values()) if (s.key.namespace === namespace && (!group || s.key.group === group)) out.push(s)
    return out.sort((a, b) => (a.key.group + a.key.name).localeCompare(b.key.group + b.key.name))
  }

  /** Drops a service; refused while it holds instances (Nacos: "service has instances"). */
  remove(key: ServiceKey) {
    const s = this.get(key)
    if (!s) throw fail.invalid(`service ${key.group}@@${key.name} not found`, 21008)
    if (s.publishers.size) throw fail.invalid(`service ${key.group}@@${key.name} has instances, remove them first`, 21009)
    this.overrides.dropService(s.key) // first: a failed delete of the stored edits leaves the service as it was
    this.services.delete(s.keyStr)
  }

  /** Forgets operator edits of instances gone for `ttlMs` (Nacos ExpiredMetadataCleaner). */
  expireOverrides(ttlMs: number): number {
    return this.overrides.expire(this.now(), ttlMs, (ks) => {
      const s = this.services.get(ks)
      return new Set(s ? this.instances(s).map(overrideId) : [])
    })
  }

  /** Forgets implicit services that have been empty for `idleMs` and that `keep` does not protect (subscribed ones). */
  cleanEmpty(idleMs: number, keep: (s: ServiceState) => boolean): number {
    const cutoff = this.now() - idleMs
    let n = 0
    for (const [ks, s] of this.services) {
      if (!s.explicit && s.publishers.size === 0 && s.emptySince !== undefined && s.emptySince <= cutoff && !keep(s)) {
        this.services.delete(ks)
        n++
      }
    }
    return n
  }
}

/** Whether two instance lists are the same, in order, field by field (metadata key by key, in order). */
function sameInstances(a: Instance[], b: Instance[]): boolean {
  if (a === b) return true
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (!sameInstance(a[i], b[i])) return false
  return true
}

function sameInstance(a: Instance, b: Instance): boolean {
  if (a === b) return true
  const ak = Object.keys(a)
  if (ak.length !== Object.keys(b).length) return false
  for (const k of ak) {
    const x = (a as unknown as Record<string, unknown>)[k]
    const y = (b as unknown as Record<string, unknown>)[k]
    if (x === y) continue
    if (k !== 'metadata' || !sameRecord(x as Record<string, string>, y as Record<string, string>)) return false
  }
  return true
}

function sameRecord(a: Record<string, string>, b: Record<string, string>): boolean {
  if (!a || !b) return false
  const ak = Object.keys(a)
  const bk = Object.keys(b)
  if (ak.length !== bk.length) return false
  for (let i = 0; i < ak.length; i++) if (ak[i] !== bk[i] || a[ak[i]] !== b[ak[i]]) return false
  return true
}
