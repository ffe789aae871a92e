import { paging, toPage, type Page } from '../shared/page'
import type { AuditStore } from './store'

/** One audited change. `actor` is "" for an anonymous caller (auth off); `detail` never holds secrets. */
export interface AuditEntry {
  at: number
  actor: string
  ip: string
  action: string
  resource: string
  detail: Record<string, string>
}

const SECRET = /pass|token|secret|key/i
const MAX_VALUE = 512

/**
 * The request parameters worth keeping: secrets dropped, long values (config content) cut to 512 characters
 * with their full length noted, so the log says what changed without becoming a second config store.
 */
export function auditDetail(params: Iterable<[string, string]>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of params) {
    if (SECRET.test(k)) continue
    out[k] = v.length > MAX_VALUE ? `${v.slice(0, MAX_VALUE)}… (${v.length} characters)` : v
  }
  return out
}

/**
 * Appends an entry without waiting for it. The write it describes has already been committed and acknowledged, so
 * a failure here is logged (by the store) rather than turned into an error reply that would make the client believe
 * its write failed. On the embedded database the row is in when this returns.
 */
export function recordAudit(store: AuditStore, e: AuditEntry): void {
  void store.insert(e)
}

/** Audit entries newest first, filtered by actor, action, resource fragment and time range. */
export async function queryAudit(store: AuditStore, q: { actor?: string; action?: string; resource?: string; from?: number; to?: number; pageNo?: number; pageSize?: number }): Promise<Page<AuditEntry & { id: number }>> {
  const { pageNo, pageSize, offset } = paging(q.pageNo, q.pageSize)
  const resource = q.resource?.trim().replace(/[\\%_]/g, '')
  const f = { actor: q.actor?.trim() || undefined, action: q.action?.trim() || undefined, resource: q.resource?.trim() ? resource : undefined, from: q.from, to: q.to }
  const { total, rows } = await store.query(f, pageSize, offset)
  return toPage(rows, total, pageNo, pageSize)
}

/** Deletes entries older than `days` (0 keeps everything); returns how many went. */
export async function purgeAudit(store: AuditStore, days: number, now: number): Promise<number> {
  if (days <= 0) return 0
  return store.purge(now - days * 86_400_000)
}
