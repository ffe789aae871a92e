import { PushScheduler } from './push'
import { NamingRegistry } from './registry'
import type { NamingStore } from './store'
import { SubscriberIndex } from './subscribers'

/** What the naming verbs work on. */
export interface Naming {
  store: NamingStore
  registry: NamingRegistry
  subscribers: SubscriberIndex
  pusher: PushScheduler
  /** Last beat per `clientId|serviceKey` of HTTP beat clients. */
  beats: Map<string, number>
  now: () => number
}

/** Options of the registry. */
export interface NamingOptions {
  pushDelayMs: number
}

/** Builds the registry, loading stored service settings, operator edits of instances and persistent instances. */
export async function createNaming(store: NamingStore, opts: NamingOptions, now: () => number = Date.now): Promise<Naming> {
  const subscribers = new SubscriberIndex()
  let pusher: PushScheduler | undefined
  const registry = new NamingRegistry((s) => pusher?.schedule(s), now, store.overrides(now))
  const [overrides, services, persistent] = await Promise.all([store.loadOverrides(), store.loadServices(), store.loadPersistent()])
  // Before the persistent instances, whose publish applies them. Downtime does not count toward an edit's TTL
  // (clients cannot re-register while the server is down), so a missing instance's clock restarts now.
  const started = now()
  registry.overrides.load(overrides.map((r) => (r.override.missingSince === undefined ? r : { ...r, override: { ...r.override, missingSince: started } })))
  pusher = new PushScheduler(registry, subscribers, opts.pushDelayMs)
  for (const s of services) {
    const st = registry.ensure(s.key, true)
    st.meta = s.meta
    for (const [name, c] of Object.entries(s.clusters)) st.clusters.set(name, c)
  }
  for (const { key, instance } of persistent) {
    const s = registry.ensure(key)
    const clientId = `${instance.ip}:${instance.port}#false`
    registry.publish(clientId, 'persistent', key, [...(s.publishers.get(clientId) ?? []).filter((i) => i.clusterName !== instance.clusterName), instance])
  }
  return { store, registry, subscribers, pusher, beats: new Map(), now }
}
