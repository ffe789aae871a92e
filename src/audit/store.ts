import type { Storage } from '../storage/db'
import type { AuditEntry } from './audit'
import { remoteAuditStore } from './store-remote'
import { sqliteAuditStore } from './store-sqlite'

/** The filters of an audit query (all optional, already trimmed; `resource` is a fragment). */
export interface AuditFilter {
  actor?: string
  action?: string
  resource?: string
  from?: number
  to?: number
}

/** Where the audit log is kept. Queries and purges always go to the database (the log is never held in memory). */
export interface AuditStore {
  /**
   * Appends an entry. Never rejects: the write it describes is already committed and acknowledged, so a failure is
   * logged, not answered. On the embedded database the row is in before this returns.
   */
  insert(e: AuditEntry): Promise<void>
  /** Entries newest first and the total matching. */
  query(f: AuditFilter, limit: number, offset: number): Promise<{ total: number; rows: (AuditEntry & { id: number })[] }>
  /** Deletes entries older than `cutoff`; returns how many went. */
  purge(cutoff: number): Promise<number>
}

/** The audit store of the storage in use. */
export function auditStore(storage: Storage): AuditStore {
  return storage.kind === 'sqlite' ? sqliteAuditStore(storage.db) : remoteAuditStore(storage.remote)
}
