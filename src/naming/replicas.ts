import { log } from '../shared/log'
import type { Naming } from './center'
import { checksumOf, recordDigest, type ClientRecord, type RemovedRecord } from './distro'
import { toServiceKey } from './instances'
import { serviceKeyString } from './model'
import { toInstance } from './validate'

interface Held {
  record: ClientRecord
  digest: bigint
}

interface OwnerState {
  records: Map<string, Held>
  heardAt: number
}

/**
 * The ephemeral clients other nodes are responsible for, as they told us (Nacos Distro's synced clients). Each
 * owner's records are kept as received — their checksum must equal the owner's — and laid into the registry as
 * `remote` clients. A client this node itself owns is never overwritten by a replica (an HTTP client whose
 * beats moved here is ours now). When two owners report one id (an HTTP client moving between nodes), the
 * registry shows the most recent report, and the other's when that one goes.
 */
export class ReplicaSet {
  private readonly owners = new Map<string, OwnerState>()
  /** Which owner's record the registry currently shows for a remote client id. */
  private readonly shownFrom = new Map<string, string>()

  constructor(private readonly n: Naming) {}

  /** Notes that an owner is alive (any message from it). */
  heard(owner: string, now = this.n.now()): void {
    this.state(owner, now).heardAt = now
  }

  /** Applies changed records (a delta batch) from `owner`. */
  apply(owner: string, records: unknown[], now = this.n.now()): void {
    const st = this.state(owner, now)
    st.heardAt = now
    for (const raw of records) {
      const r = readRecord(raw)
      if (!r) continue
      if ('removed' in r) {
        if (st.records.delete(r.id)) this.unshow(r.id, owner)
      } else this.hold(st, owner, r, raw, true)
    }
  }

  /** Replaces everything held for `owner` with a full snapshot of its clients. */
  replace(owner: string, records: unknown[], now = this.n.now()): void {
    const st = this.state(owner, now)
    st.heardAt = now
    const seen = new Set<string>()
    for (const raw of records) {
      const r = readRecord(raw)
      if (!r || 'removed' in r) continue
      seen.add(r.id)
      this.hold(st, owner, r, raw, false)
    }
    for (const id of [...st.records.keys()]) {
      if (seen.has(id)) continue
      st.records.delete(id)
      this.unshow(id, owner)
    }
  }

  /** Forgets an owner and removes its clients (it died, or went silent for too long). Returns how many. */
  drop(owner: string): number {
    const st = this.owners.get(owner)
    if (!st) return 0
    this.owners.delete(owner)
    for (const id of st.records.keys()) this.unshow(id, owner)
    return st.records.size
  }

  /** Drops every owner not heard from for `silentMs`; returns the owners dropped. */
  expire(now: number, silentMs: number): string[] {
    const gone: string[] = []
    for (const [owner, st] of this.owners) {
      if (now - st.heardAt <= silentMs) continue
      const n = this.drop(owner)
      gone.push(owner)
      if (n) log.warn('dropped the ephemeral clients of a silent node', { owner, clients: n, silentMs: now - st.heardAt })
    }
    return gone
  }

  /** The checksum of what is held for `owner`, to compare with the one it announces. */
  checksum(owner: string): { checksum: string; count: number } {
    const st = this.owners.get(owner)
    const held = st ? [...st.records.values()] : []
    return { checksum: checksumOf(held.map((h) => h.digest)), count: held.length }
  }

  /** Per owner: clients held and ms since last heard. */
  summary(now = this.n.now()): Record<string, { clients: number; heardMsAgo: number }> {
    const out: Record<string, { clients: number; heardMsAgo: number }> = {}
    for (const [owner, st] of this.owners) out[owner] = { clients: st.records.size, heardMsAgo: now - st.heardAt }
    return out
  }

  private state(owner: string, now: number): OwnerState {
    let st = this.owners.get(owner)
    if (!st) this.owners.set(owner, (st = { records: new Map(), heardAt: now }))
    return st
  }

  /**
   * `raw` is the record as the owner serialised it: its digest is the owner's, whatever validation normalised.
   * `fresh`: it came as a change (a delta), not in a snapshot.
   */
  private hold(st: OwnerState, owner: string, r: ClientRecord, raw: unknown, fresh: boolean) {
    const digest = recordDigest(JSON.stringify(raw))
    const before = st.records.get(r.id)
    st.records.set(r.id, { record: r, digest })
    // Unchanged and already shown from this owner: nothing to do (the periodic snapshot is mostly this).
    if (before?.digest === digest && this.shownFrom.get(r.id) === owner) return
    this.show(r, owner, fresh)
  }

  /**
   * Lays a record into the registry as a remote client, unless this node owns that id itself. One exception: a
   * change of an HTTP client this node owns, from another node, means that node now gets its beats (the members
   * changed, its hash moved) — this node hands it over rather than expire it later and flap it unhealthy.
   */
  private show(r: ClientRecord, owner: string, handOver = false) {
    const reg = this.n.registry
    const c = reg.clients.get(r.id)
    if (c && c.kind !== 'remote') {
      // Healthy only: an unhealthy copy is the other node expiring what it no longer gets beats for.
      if (!(handOver && c.kind === 'http' && r.kind === 'http' && r.services.every((s) => s.instances.every((i) => i.healthy)))) return
      for (const ks of c.services) this.n.beats.delete(`${r.id}|${ks}`)
      log.info('an HTTP client moved to the node now getting its beats', { client: r.id, to: owner })
    }
    this.shownFrom.set(r.id, owner)
    const wanted = new Set<string>()
    for (const s of r.services) {
      const key = { namespace: s.namespace, group: s.group, name: s.name }
      const ks = serviceKeyString(key)
      wanted.add(ks)
      try {
        reg.publish(r.id, 'remote', key, s.instances, ks)
      } catch (e) {
        // A service this node holds persistent instances in (Nacos never mixes them): the owner refused that too
        // unless the two nodes' views differ; the next snapshot retries.
        log.warn('a replicated instance was refused', { client: r.id, service: ks, owner, error: String(e) })
      }
    }
    for (const ks of [...(reg.clients.get(r.id)?.services ?? [])]) {
      const s = reg.services.get(ks)
      if (!wanted.has(ks) && s) reg.unpublish(r.id, s.key, ks)
    }
  }

  /** Takes `owner`'s record of `id` out of the registry; another owner's record of it takes its place. */
  private unshow(id: string, owner: string) {
    if (this.shownFrom.get(id) !== owner) return
    this.shownFrom.delete(id)
    if (this.n.registry.clients.get(id)?.kind === 'remote') this.n.registry.removeClient(id)
    for (const [other, st] of this.owners) {
      const held = st.records.get(id)
      if (other !== owner && held) return this.show(held.record, other)
    }
  }
}

/** A record from the wire, validated like a registration (a peer's bug must not corrupt the registry). */
function readRecord(raw: unknown): ClientRecord | RemovedRecord | undefined {
  if (!raw || typeof raw !== 'object') return undefined
  const o = raw as Record<string, unknown>
  if (typeof o.id !== 'string' || !o.id) return undefined
  if (o.removed === true) return { id: o.id, removed: true }
  if ((o.kind !== 'grpc' && o.kind !== 'http') || !Array.isArray(o.services)) return undefined
  try {
    const services = o.services.map((s: Record<string, unknown>) => {
      const key = toServiceKey(String(s.namespace ?? ''), String(s.group ?? ''), String(s.name ?? ''))
      const list = Array.isArray(s.instances) ? s.instances : []
      return { ...key, instances: list.map((i: Record<string, unknown>) => toInstance({ ...i, ephemeral: true }, key)) }
    })
    return { id: o.id, kind: o.kind, services }
  } catch (e) {
    log.warn('a replicated client record was malformed; ignored', { client: o.id, error: String(e) })
    return undefined
  }
}
