import type { Naming } from './center'
import type { Instance } from './model'

/**
 * One ephemeral client as replicated between nodes (Nacos Distro's ClientSyncData): its id, whether it is a gRPC
 * connection or an HTTP beat client, and its instances per service.
 */
export interface ClientRecord {
  id: string
  kind: 'grpc' | 'http'
  services: { namespace: string; group: string; name: string; instances: Instance[] }[]
}

/** A client this node no longer holds (disconnected, expired, deregistered everywhere). */
export interface RemovedRecord {
  id: string
  removed: true
}

/** The ephemeral clients this node is responsible for: those connected to it (gRPC) or beating to it (HTTP). */
export function isOwnedKind(kind: string | undefined): kind is 'grpc' | 'http' {
  return kind === 'grpc' || kind === 'http'
}

/** The record of a client this node owns, or undefined when it holds none (removed, or another node's). */
export function ownedRecord(n: Naming, id: string): ClientRecord | undefined {
  const c = n.registry.clients.get(id)
  if (!c || !isOwnedKind(c.kind)) return undefined
  const services: ClientRecord['services'] = []
  // Sorted, so a record's JSON (and its digest) depends only on its content.
  for (const ks of [...c.services].sort()) {
    const s = n.registry.services.get(ks)
    const instances = s?.publishers.get(id)
    if (s && instances) services.push({ namespace: s.key.namespace, group: s.key.group, name: s.key.name, instances })
  }
  return { id, kind: c.kind, services }
}

/** 64-bit digest of a record's JSON; a set's checksum is the sum of its records' digests (order-free). */
export function recordDigest(json: string): bigint {
  return BigInt(Bun.hash(json))
}

/** The checksum of a set of digests, as the hex the peers compare. */
export function checksumOf(digests: Iterable<bigint>): string {
  let sum = 0n
  for (const d of digests) sum = BigInt.asUintN(64, sum + d)
  return sum.toString(16)
}

/**
 * Tracks the clients this node owns: `changed(id)` fires for every change of an owned client and once when it
 * stops being owned (removed, or now held for another node), so the owner's peers can be told. Digests are cached
 * per client and dropped on change, so the periodic checksum costs one JSON per changed client only.
 */
export class OwnedClients {
  private readonly ids = new Set<string>()
  private readonly digests = new Map<string, bigint>()

  constructor(
    private readonly n: Naming,
    private readonly changed: (id: string) => void,
  ) {
    for (const c of n.registry.clients.values()) if (isOwnedKind(c.kind)) this.ids.add(c.id)
    n.registry.onClientChange = (id) => this.heard(id)
  }

  private heard(id: string) {
    const owned = isOwnedKind(this.n.registry.clients.get(id)?.kind)
    if (!owned && !this.ids.has(id)) return // another node's client, replicated here: not ours to announce
    if (owned) this.ids.add(id)
    else this.ids.delete(id)
    this.digests.delete(id)
    this.changed(id)
  }

  /** Every owned client's record (the snapshot a peer pulls). */
  records(): ClientRecord[] {
    const out: ClientRecord[] = []
    for (const id of this.ids) {
      const r = ownedRecord(this.n, id)
      if (r) out.push(r)
    }
    return out
  }

  /** The record to announce for `id`: its current record, or its removal. */
  recordOrRemoval(id: string): ClientRecord | RemovedRecord {
    return ownedRecord(this.n, id) ?? { id, removed: true }
  }

  /** Checksum and count of everything owned, as a peer computes them from the records it received. */
  checksum(): { checksum: string; count: number } {
    const digests: bigint[] = []
    for (const id of this.ids) {
      let d = this.digests.get(id)
      if (d === undefined) {
        const r = ownedRecord(this.n, id)
        if (!r) continue
        d = recordDigest(JSON.stringify(r))
        this.digests.set(id, d)
      }
      digests.push(d)
    }
    return { checksum: checksumOf(digests), count: digests.length }
  }

  /** How many clients this node owns, by kind. */
  counts(): { grpc: number; http: number } {
    const out = { grpc: 0, http: 0 }
    for (const id of this.ids) {
      const kind = this.n.registry.clients.get(id)?.kind
      if (isOwnedKind(kind)) out[kind]++
    }
    return out
  }

  /** Stops listening to the registry. */
  close(): void {
    this.n.registry.onClientChange = undefined
  }
}
