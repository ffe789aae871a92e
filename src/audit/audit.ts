import { and, count, desc, eq, gte, like, lt, lte, sql, type SQL } from 'drizzle-orm'
import { log } from '../shared/log'
import { paging, toPage, type Page } from '../shared/page'
import { perDb, type Db } from '../storage/db'
import { auditLog } from './audit.sql'

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

/** The insert every audited write runs, prepared once per database (see perDb; it was 6% of the publish profile). */
const insertEntry = perDb((db) =>
  db.insert(auditLog).values({
    at: sql.placeholder('at'), actor: sql.placeholder('actor'), ip: sql.placeholder('ip'), action: sql.placeholder('action'),
    resource: sql.placeholder('resource'), detail: sql.placeholder('detail'),
  }).prepare())

/**
 * Appends an entry. The write it describes has already been committed and acknowledged, so a failure here is
 * logged rather than turned into an error reply that would make the client believe its write failed.
 */
export function recordAudit(db: Db, e: AuditEntry): void {
  try {
    insertEntry(db).run({ at: e.at, actor: e.actor, ip: e.ip, action: e.action, resource: e.resource, detail: JSON.stringify(e.detail) })
  } catch (err) {
    log.error('audit entry not recorded', { action: e.action, resource: e.resource, error: String(err) })
  }
}

/** Audit entries newest first, filtered by actor, action, resource fragment and time range. */
export function queryAudit(db: Db, q: { actor?: string; action?: string; resource?: string; from?: number; to?: number; pageNo?: number; pageSize?: number }): Page<AuditEntry & { id: number }> {
  const { pageNo, pageSize, offset } = paging(q.pageNo, q.pageSize)
  const conds: SQL[] = []
  if (q.actor?.trim()) conds.push(eq(auditLog.actor, q.actor.trim()))
  if (q.action?.trim()) conds.push(eq(auditLog.action, q.action.trim()))
  if (q.resource?.trim()) conds.push(like(auditLog.resource, `%${q.resource.trim().replace(/[\\%_]/g, '')}%`))
  if (q.from !== undefined) conds.push(gte(auditLog.at, q.from))
  if (q.to !== undefined) conds.push(lte(auditLog.at, q.to))
  const where = conds.length ? and(...conds) : undefined
  const total = db.select({ n: count() }).from(auditLog).where(where).get()?.n ?? 0
  const rows = db.select().from(auditLog).where(where).orderBy(desc(auditLog.id)).limit(pageSize).offset(offset).all()
  return toPage(rows.map((r) => ({ ...r, detail: JSON.parse(r.detail) as Record<string, string> })), total, pageNo, pageSize)
}

/** Deletes entries older than `days` (0 keeps everything); returns how many went. */
export function purgeAudit(db: Db, days: number, now: number): number {
  if (days <= 0) return 0
  return db.delete(auditLog).where(lt(auditLog.at, now - days * 86_400_000)).returning({ id: auditLog.id }).all().length
}
