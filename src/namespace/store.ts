import type { Storage } from '../storage/db'
import { remoteNamespaceStore } from './store-remote'
import { sqliteNamespaceStore } from './store-sqlite'

/** A custom namespace as stored (Nacos `tenant_info`). */
export interface NamespaceRow {
  id: string
  name: string
  desc: string
  createdAt: number
  modifiedAt: number
}

/**
 * Where custom namespaces are kept. Reads (the console, metrics, config writes checking their target) come from an
 * in-memory snapshot on a shared database, refreshed after each local write and by `refresh()`.
 */
export interface NamespaceStore {
  /** Custom namespaces in creation order. */
  list(): Promise<NamespaceRow[]>
  /** How many custom namespaces there are, synchronously (the metrics gauge reads it on each scrape). */
  count(): number
  /** Whether a custom namespace exists. */
  exists(id: string): Promise<boolean>
  /** Inserts one; false when the id is taken. */
  create(row: NamespaceRow): Promise<boolean>
  /** Renames / re-describes one; false when it does not exist. */
  update(id: string, name: string, desc: string, now: number): Promise<boolean>
  /** Deletes one; false when it was not there (maybe another node deleted it first). */
  delete(id: string): Promise<boolean>
  /** Reloads the snapshot (a peer changed something); a no-op on the embedded database. */
  refresh(): Promise<void>
}

/** The namespace store of the storage in use; `onWrite` is called after each committed write on a shared database. */
export function namespaceStore(storage: Storage, onWrite?: () => void): NamespaceStore {
  return storage.kind === 'sqlite' ? sqliteNamespaceStore(storage.db) : remoteNamespaceStore(storage.remote, onWrite)
}
