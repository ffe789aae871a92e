import type { Storage } from '../storage/db'
import type { ClusterMeta, Instance, ServiceKey, ServiceMeta } from './model'
import type { OverrideStore, StoredOverride } from './overrides'
import { remoteNamingStore } from './store-remote'
import { sqliteNamingStore } from './store-sqlite'

/** A service's stored settings. */
export interface StoredService {
  key: ServiceKey
  meta: ServiceMeta
  clusters: Record<string, ClusterMeta>
}

/** One stored operator edit of an instance. */
export interface StoredOverrideRow {
  key: ServiceKey
  id: string
  override: StoredOverride
}

/**
 * Where the naming feature's durable data lives — service settings, persistent instances and operator instance
 * edits — on the embedded SQLite or the database a cluster shares. Ephemeral instances are memory only.
 */
export interface NamingStore {
  loadServices(): Promise<StoredService[]>
  saveService(key: ServiceKey, meta: ServiceMeta, clusters: Record<string, ClusterMeta>, now: number): Promise<void>
  deleteService(key: ServiceKey): Promise<void>
  loadPersistent(): Promise<{ key: ServiceKey; instance: Instance }[]>
  /** Replaces one `ip:port` client's persistent instances in a service (committed before it resolves). */
  savePersistent(key: ServiceKey, ip: string, port: number, list: Instance[], now: number): Promise<void>
  loadOverrides(): Promise<StoredOverrideRow[]>
  /** The registry's synchronous view of the override table (see store-remote.ts for the shared database). */
  overrides(now: () => number): OverrideStore
}

/** The naming store of the storage in use; `onWrite` hears each committed write (tell the peers). */
export function namingStore(storage: Storage, onWrite?: () => void): NamingStore {
  return storage.kind === 'sqlite' ? sqliteNamingStore(storage.db) : remoteNamingStore(storage.remote, onWrite)
}
