import { and, count, desc, eq, gte, like, lt, lte, sql, type SQL } from 'drizzle-orm'
import { fail } from '../shared/errors'
import { log } from '../shared/log'
import { affectedRows, describeDbError, tablesFor, type RemoteDb } from '../storage/remote'
import * as mysqlTables from './audit.mysql'
import * as pgTables from './audit.pg'
import type { AuditStore } from './store'

/** The audit store on the database a cluster shares. */
export function remoteAuditStore(r: RemoteDb): AuditStore {
  const { auditLog: a } = tablesFor(r, mysqlTables, pgTables)
  /** Reads and purges answer 503 when the database is down. */
  async function guarded<T>(what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run()
    } catch (e) {
      log.error('audit query failed on the shared database', { what, error: describeDbError(e) })
      throw fail.unavailable('database unavailable')
    }
  }
  return {
    async insert(e) {
      try {
        await r.db.insert(a).values({ at: e.at, actor: e.actor, ip: e.ip, action: e.action, resource: e.resource, detail: JSON.stringify(e.detail) })
      } catch (err) {
        log.error('audit entry not recorded', { action: e.action, resource: e.resource, error: describeDbError(err) })
      }
    },
    query: (f, limit, offset) =>
      guarded('query', async () => {
        const conds: SQL[] = []
        if (f.actor) conds.push(eq(a.actor, f.actor))
        if (f.action) conds.push(eq(a.action, f.action))
        // lower() on both sides: SQLite's LIKE ignores ASCII case, PostgreSQL's and utf8mb4_bin's do not.
        if (f.resource) conds.push(like(sql`lower(${a.resource})`, `%${f.resource.toLowerCase()}%`))
        if (f.from !== undefined) conds.push(gte(a.at, f.from))
        if (f.to !== undefined) conds.push(lte(a.at, f.to))
        const where = conds.length ? and(...conds) : undefined
        const [n] = await r.db.select({ n: count() }).from(a).where(where)
        const rows = await r.db.select().from(a).where(where).orderBy(desc(a.id)).limit(limit).offset(offset)
        return {
          total: Number(n?.n ?? 0),
          rows: rows.map((x) => ({ id: Number(x.id), at: Number(x.at), actor: x.actor, ip: x.ip, action: x.action, resource: x.resource, detail: JSON.parse(x.detail) as Record<string, string> })),
        }
      }),
    purge: (cutoff) => guarded('purge', async () => affectedRows(await r.db.delete(a).where(lt(a.at, cutoff)))),
  }
}
