import { ConfigCache } from './cache'
import type { ConfigStore } from './store'
import { WatchIndex } from './watches'

/** What the config verbs work on: storage, the in-memory cache, the listener index and limits. */
export interface ConfigCenter {
  store: ConfigStore
  cache: ConfigCache
  watches: WatchIndex
  limits: { maxContentBytes: number; historyRetentionDays: number }
  /** Whether a namespace exists (import and clone refuse a missing target, as Nacos). */
  namespaceExists: (id: string) => Promise<boolean>
  now: () => number
}

/** Builds a config center over a migrated database and fills its cache. */
export async function createConfigCenter(store: ConfigStore, limits: ConfigCenter['limits'], now: () => number = Date.now, namespaceExists: ConfigCenter['namespaceExists'] = async () => true): Promise<ConfigCenter> {
  const cache = new ConfigCache()
  const { formal, grays } = await store.loadAll()
  cache.load(formal, grays)
  return { store, cache, watches: new WatchIndex(), limits, now, namespaceExists }
}
