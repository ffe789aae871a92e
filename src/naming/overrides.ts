import type { Instance, ServiceKey } from './model'
import { serviceKeyString } from './model'

/** What an operator set on one instance from the console or `PUT /instance` (Nacos InstanceMetadata). */
export interface InstanceOverride {
  weight?: number
  enabled?: boolean
  metadata?: Record<string, string>
}

/** One override as stored: the edit plus when the sweep last found its instance gone (undefined while registered). */
export interface StoredOverride extends InstanceOverride {
  missingSince: number | undefined
}

/**
 * Where overrides are kept durably (the SQLite store in override-store.ts). Called synchronously before memory
 * changes, so an acknowledged edit is on disk and a failed write leaves memory as it was.
 */
export interface OverrideStore {
  save(key: ServiceKey, id: string, o: StoredOverride): void
  delete(key: ServiceKey, id: string): void
  deleteService(key: ServiceKey): void
}

interface Bucket {
  key: ServiceKey
  entries: Map<string, StoredOverride>
}

/** The key Nacos gives instance metadata: `ip:port:cluster` (InstancePublishInfo.genMetadataId). */
export function overrideId(i: Pick<Instance, 'ip' | 'port' | 'clusterName'>): string {
  return `${i.ip}:${i.port}:${i.clusterName}`
}

/**
 * Operator edits of instances, kept apart from what clients publish so they survive the client's
 * re-registration (a gRPC reconnect, an HTTP beat after expiry, a server restart), as Nacos 2.x
 * NamingMetadataManager keeps InstanceMetadata. Applied on every publish from memory only: weight and enabled
 * replace the client's, metadata keys are laid over the client's (InstanceUtil.updateInstanceMetadata). An edit
 * of an instance that stays gone for the TTL is forgotten (Nacos ExpiredMetadataCleaner, 60 s). Every change is
 * written through to `store` when one is given.
 */
export class InstanceOverrides {
  private readonly byService = new Map<string, Bucket>()

  constructor(private readonly store?: OverrideStore) {}

  /** Fills memory from the store at start (writes nothing back). */
  load(rows: Iterable<{ key: ServiceKey; id: string; override: StoredOverride }>) {
    for (const r of rows) this.bucket(r.key).entries.set(r.id, { ...r.override })
  }

  /** Records an edit; fields left undefined keep what an earlier edit set. */
  set(key: ServiceKey, id: string, o: InstanceOverride) {
    const b = this.bucket(key)
    const next: StoredOverride = { ...b.entries.get(id), missingSince: undefined }
    if (o.weight !== undefined) next.weight = o.weight
    if (o.enabled !== undefined) next.enabled = o.enabled
    if (o.metadata !== undefined) next.metadata = o.metadata
    try {
      this.store?.save(key, id, next)
    } catch (e) {
      if (!b.entries.size) this.byService.delete(serviceKeyString(key))
      throw e
    }
    b.entries.set(id, next)
  }

  /** The edit of one instance, if any. */
  get(key: ServiceKey, id: string): StoredOverride | undefined {
    return this.byService.get(serviceKeyString(key))?.entries.get(id)
  }

  /** Whether a service (by key string) has any edits. */
  has(serviceKey: string): boolean {
    return !!this.byService.get(serviceKey)?.entries.size
  }

  /** The instances with the service's edits applied (the same array when the service has none). */
  apply(serviceKey: string, list: Instance[]): Instance[] {
    const m = this.byService.get(serviceKey)?.entries
    if (!m?.size) return list
    return list.map((i) => {
      const o = m.get(overrideId(i))
      if (!o) return i
      return {
        ...i,
        weight: o.weight ?? i.weight,
        enabled: o.enabled ?? i.enabled,
        metadata: o.metadata ? { ...i.metadata, ...o.metadata } : i.metadata,
      }
    })
  }

  /** Forgets every edit of a service (it was deleted). */
  dropService(key: ServiceKey) {
    const ks = serviceKeyString(key)
    if (!this.byService.has(ks)) return
    this.store?.deleteService(key)
    this.byService.delete(ks)
  }

  /**
   * Forgets edits of instances missing for `ttlMs`; `present` lists the override ids a service holds now.
   * Only changes of state are written (gone, back, expired), so a quiet sweep touches no storage. Returns how
   * many went.
   */
  expire(now: number, ttlMs: number, present: (serviceKey: string) => Set<string>): number {
    let n = 0
    for (const [ks, b] of this.byService) {
      const ids = present(ks)
      for (const [id, e] of b.entries) {
        if (ids.has(id)) {
          if (e.missingSince !== undefined) this.mark(b, id, e, undefined)
        } else if (e.missingSince === undefined) this.mark(b, id, e, now)
        else if (now - e.missingSince >= ttlMs) {
          this.store?.delete(b.key, id)
          b.entries.delete(id)
          n++
        }
      }
      if (!b.entries.size) this.byService.delete(ks)
    }
    return n
  }

  /** How many instances have edits (for tests and metrics). */
  get size(): number {
    let n = 0
    for (const b of this.byService.values()) n += b.entries.size
    return n
  }

  private mark(b: Bucket, id: string, e: StoredOverride, missingSince: number | undefined) {
    const next = { ...e, missingSince }
    this.store?.save(b.key, id, next)
    b.entries.set(id, next)
  }

  private bucket(key: ServiceKey): Bucket {
    const ks = serviceKeyString(key)
    let b = this.byService.get(ks)
    if (!b) this.byService.set(ks, (b = { key, entries: new Map() }))
    return b
  }
}
