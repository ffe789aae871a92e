import type { PgDatabase } from 'drizzle-orm/pg-core'

/**
 * A network database (MySQL/MariaDB or PostgreSQL) shared by the nodes of a cluster.
 *
 * `db` is typed as PostgreSQL's Drizzle handle so repository code is written once for both dialects; the runtime
 * object is the dialect's own. Repositories therefore stay inside the builder subset both dialects share:
 * select (with `.for('update')`), insert without `returning`, update, delete and `transaction(async tx => …)`.
 * Where the dialects differ (the id of an inserted row, unique violations) use the helpers below.
 */
export interface RemoteDb {
  dialect: 'mysql' | 'postgres'
  // biome-ignore lint: the query result type is dialect-specific; repositories never read it directly
  db: PgDatabase<any>
  close(): Promise<void>
}

/** The handle a repository works on: the database itself or an open transaction of it. */
export type RemoteTx = RemoteDb['db']

/**
 * Picks the table module of the database's dialect. Both modules export the same names with the same property
 * names (`x.mysql.ts` / `x.pg.ts`), so the PostgreSQL type describes either.
 */
export function tablesFor<T>(r: RemoteDb, mysql: unknown, pg: T): T {
  return (r.dialect === 'mysql' ? mysql : pg) as T
}

/** Inserts one row and returns its generated `id` (MySQL has no RETURNING; Drizzle gives `$returningId`). */
export async function insertId(r: RemoteDb, tx: RemoteTx, table: any, values: Record<string, unknown>): Promise<number> {
  if (r.dialect === 'mysql') {
    const rows = (await (tx.insert(table).values(values) as any).$returningId()) as { id: number }[]
    return Number(rows[0].id)
  }
  const rows = (await tx.insert(table).values(values).returning({ id: table.id })) as { id: number }[]
  return Number(rows[0].id)
}

/** Rows changed by an update or delete, from either driver's result. */
export function affectedRows(result: unknown): number {
  // mysql2 answers [ResultSetHeader, fields]; Bun.SQL answers an array carrying `count`.
  const r = result as any
  if (Array.isArray(r) && r[0] && typeof r[0].affectedRows === 'number') return r[0].affectedRows
  if (r && typeof r.affectedRows === 'number') return r.affectedRows
  if (r && typeof r.count === 'number') return r.count
  if (r && typeof r.rowCount === 'number') return r.rowCount
  return 0
}

/** The driver error under Drizzle's wrapper (DrizzleQueryError keeps it as `cause`). */
function driverError(e: unknown): any {
  let cur: any = e
  for (let i = 0; i < 4 && cur && cur.cause; i++) cur = cur.cause
  return cur
}

/** Whether an error is a unique-key violation (MySQL 1062 / ER_DUP_ENTRY, PostgreSQL 23505). */
export function isUniqueViolation(e: unknown): boolean {
  for (let cur: any = e, i = 0; cur && i < 5; cur = cur.cause, i++) {
    if (cur.code === 'ER_DUP_ENTRY' || cur.errno === 1062 || cur.errno === '23505' || cur.code === '23505') return true
  }
  return false
}

/** Whether an error is a deadlock or serialization failure the database asks the client to retry. */
export function isRetryable(e: unknown): boolean {
  for (let cur: any = e, i = 0; cur && i < 5; cur = cur.cause, i++) {
    if (cur.errno === 1213 || cur.errno === 1205 || cur.code === 'ER_LOCK_DEADLOCK' || cur.errno === '40001' || cur.errno === '40P01') return true
  }
  return false
}

/**
 * Runs a transaction, retrying it (up to 6 times, after a short random pause) when nodes raced: a unique
 * violation from inserting a key another node inserted first, or a deadlock. The retry re-reads, so it sees the
 * other node's row and updates it.
 */
export async function withRetry<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run()
    } catch (e) {
      if (attempt >= 6 || !(isUniqueViolation(e) || isRetryable(e))) throw e
      // Jittered, so the transactions that collided do not collide again in lock step.
      await Bun.sleep(Math.random() * 10 * attempt)
    }
  }
}

/**
 * A write transaction on the shared database, retried as `withRetry` says. READ COMMITTED unless asked for
 * SERIALIZABLE: under MySQL's default REPEATABLE READ, `SELECT … FOR UPDATE` of a key not yet there takes a gap
 * lock, and two writers inserting different new keys into one gap deadlock (the cluster bench saw 1 in 8 such
 * writes fail after three attempts). PostgreSQL's default is READ COMMITTED already.
 */
export function transact<T>(r: RemoteDb, body: (tx: RemoteTx) => Promise<T>, serializable = false): Promise<T> {
  return withRetry(() => r.db.transaction(body, { isolationLevel: serializable ? 'serializable' : 'read committed' }))
}

/** A short description of a driver failure for logs (never shown to clients). */
export function describeDbError(e: unknown): string {
  const d = driverError(e)
  return String(d?.message ?? d ?? e)
}
