import type { ConfigCenter } from './center'
import { keyString, type ConfigKey, type ConfigRecord, type GrayRecord } from './model'

/** What the database holds for one key. */
export interface StoredKey {
  formal?: ConfigRecord
  grays: GrayRecord[]
}

const same = (a: ConfigRecord | GrayRecord, b: ConfigRecord | GrayRecord) => a.md5 === b.md5 && a.modifiedAt === b.modifiedAt && a.id === b.id

/**
 * Makes the cache hold exactly what the database holds for a key (another node wrote it) and tells the key's
 * listeners when anything changed. Idempotent: re-applying the same state changes and pushes nothing.
 */
export function applyStored(cc: ConfigCenter, k: ConfigKey, stored: StoredKey): boolean {
  let changed = false
  const cur = cc.cache.formal(k)
  if (stored.formal && (!cur || !same(cur, stored.formal))) {
    cc.cache.setFormal(stored.formal)
    changed = true
  } else if (!stored.formal && cur) {
    cc.cache.deleteFormal(k)
    changed = true
  }
  const wanted = new Map(stored.grays.map((g) => [g.grayName, g]))
  for (const g of [...cc.cache.grays(k)]) {
    if (!wanted.has(g.grayName)) {
      cc.cache.deleteGray(k, g.grayName)
      changed = true
    }
  }
  const held = new Map(cc.cache.grays(k).map((g) => [g.grayName, g]))
  for (const g of stored.grays) {
    const h = held.get(g.grayName)
    if (!h || !same(h, g)) {
      cc.cache.setGray(g)
      changed = true
    }
  }
  if (changed) cc.watches.notify(k)
  return changed
}

/** Re-reads one key from the database into the cache; true when it differed. */
export async function refreshKey(cc: ConfigCenter, k: ConfigKey): Promise<boolean> {
  return applyStored(cc, k, await cc.store.loadKey(k))
}

/**
 * Compares the whole cache with the database and repairs every difference (the cluster's periodic anti-entropy
 * and the operator's resync). Returns the keys that differed.
 */
export async function reconcileAll(cc: ConfigCenter): Promise<ConfigKey[]> {
  const { formal, grays } = await cc.store.loadAll()
  const stored = new Map<string, { key: ConfigKey; state: StoredKey }>()
  const slot = (r: ConfigKey) => {
    const s = keyString(r)
    let e = stored.get(s)
    if (!e) stored.set(s, (e = { key: { dataId: r.dataId, group: r.group, namespace: r.namespace }, state: { grays: [] } }))
    return e.state
  }
  for (const f of formal) slot(f).formal = f
  for (const g of grays) slot(g).grays.push(g)
  const repaired: ConfigKey[] = []
  for (const k of [...cc.cache.keys()]) if (!stored.has(keyString(k)) && applyStored(cc, k, { grays: [] })) repaired.push(k)
  for (const { key, state } of stored.values()) if (applyStored(cc, key, state)) repaired.push(key)
  return repaired
}
