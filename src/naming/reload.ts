import type { Naming } from './center'
import { serviceKeyString, type Instance } from './model'

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)

/**
 * Brings the registry's stored part — service settings, persistent instances, operator edits — to what the shared
 * database holds (another node wrote it), pushing subscribers of whatever changed. Ephemeral instances are not
 * stored; only the operator edits are laid over them. Idempotent: a second run changes nothing.
 */
export async function reloadStored(n: Naming): Promise<number> {
  const [services, persistent, overrides] = await Promise.all([n.store.loadServices(), n.store.loadPersistent(), n.store.loadOverrides()])
  let changed = 0
  n.registry.overrides.load(overrides)
  // An operator's edit made on another node reaches the ephemeral instances shown here (publish lays the edits
  // over a client's record and changes nothing when they are already there); an owned client's change then goes
  // to the peers like any other.
  for (const st of n.registry.services.values()) {
    if (!n.registry.overrides.has(st.keyStr)) continue
    for (const [clientId, list] of [...st.publishers]) {
      const kind = n.registry.clients.get(clientId)?.kind
      if (kind && kind !== 'persistent') n.registry.publish(clientId, kind, st.key, list, st.keyStr)
    }
  }
  for (const s of services) {
    const known = n.registry.get(s.key)
    const st = n.registry.ensure(s.key, true)
    const clusters = Object.fromEntries(st.clusters)
    if (known && same(st.meta, s.meta) && same(clusters, s.clusters)) continue
    st.meta = s.meta
    st.clusters = new Map(Object.entries(s.clusters))
    n.registry.touch(st)
    changed++
  }
  // Persistent clients as stored: service key string → clientId → instances.
  const wanted = new Map<string, { key: (typeof persistent)[number]['key']; clients: Map<string, Instance[]> }>()
  for (const { key, instance } of persistent) {
    const ks = serviceKeyString(key)
    let w = wanted.get(ks)
    if (!w) wanted.set(ks, (w = { key, clients: new Map() }))
    const id = `${instance.ip}:${instance.port}#false`
    w.clients.set(id, [...(w.clients.get(id) ?? []), instance])
  }
  for (const st of [...n.registry.services.values()]) {
    for (const [clientId, list] of [...st.publishers]) {
      if (n.registry.clients.get(clientId)?.kind !== 'persistent') continue
      const want = wanted.get(st.keyStr)?.clients.get(clientId)
      if (!want) {
        n.registry.unpublish(clientId, st.key)
        changed++
      } else if (!same(byCluster(list), byCluster(want))) {
        n.registry.publish(clientId, 'persistent', st.key, want)
        changed++
      }
    }
  }
  for (const [ks, w] of wanted) {
    const st = n.registry.get(w.key, ks)
    for (const [clientId, list] of w.clients) {
      if (st?.publishers.has(clientId)) continue
      n.registry.publish(clientId, 'persistent', w.key, list)
      changed++
    }
  }
  return changed
}

/** A client's instances in a stable order, for comparison. */
function byCluster(list: Instance[]): Instance[] {
  return [...list].sort((a, b) => a.clusterName.localeCompare(b.clusterName))
}
