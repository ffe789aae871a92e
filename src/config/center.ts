import type { Db } from '../storage/db'
import { ConfigCache } from './cache'
import { loadAll } from './repo'
import { WatchIndex } from './watches'

/** What the config verbs work on: storage, the in-memory cache, the listener index and limits. */
export interface ConfigCenter {
  db: Db
  cache: ConfigCache
  watches: WatchIndex
  limits: { maxContentBytes: number; historyRetentionDays: number }
  now: () => number
}

/** Builds a config center over a migrated database and fills its cache. */
export function createConfigCenter(db: Db, limits: ConfigCenter['limits'], now: () => number = Date.now): ConfigCenter {
  const cache = new ConfigCache()
  const { formal, grays } = loadAll(db)
  cache.load(formal, grays)
  return { db, cache, watches: new WatchIndex(), limits, now }
}
