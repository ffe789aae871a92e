import { asc, eq } from 'drizzle-orm'
import { fail } from '../shared/errors'
import { log } from '../shared/log'
import { describeDbError, isUniqueViolation, tablesFor, transact, type RemoteDb, type RemoteTx } from '../storage/remote'
import * as mysqlTables from './namespace.mysql'
import * as pgTables from './namespace.pg'
import type { NamespaceRow, NamespaceStore } from './store'

/**
 * The namespace store on the database a cluster shares: reads from a snapshot, writes in a transaction that locks
 * the row it decides on, then reloads the snapshot and calls `onWrite`.
 */
export function remoteNamespaceStore(r: RemoteDb, onWrite?: () => void): NamespaceStore {
  const { tenantInfo: ti } = tablesFor(r, mysqlTables, pgTables)
  let snap: NamespaceRow[] | undefined
  let started = 0
  let applied = 0
  let first: Promise<NamespaceRow[]> | undefined

  /** Reloads; a load finishing after a later-started one is dropped (it may predate a commit). */
  async function reload(): Promise<NamespaceRow[]> {
    const n = ++started
    const rows = await r.db.select().from(ti).orderBy(asc(ti.id))
    if (n > applied) {
      applied = n
      snap = rows.map((x) => ({ id: x.tenantId, name: x.tenantName, desc: x.tenantDesc, createdAt: Number(x.gmtCreate), modifiedAt: Number(x.gmtModified) }))
    }
    return snap!
  }
  const current = async () => snap ?? (await (first ??= reload().finally(() => (first = undefined))))

  /** Runs a write transaction; driver failures become 503 (nothing committed). */
  async function write<T>(what: string, body: (tx: RemoteTx) => Promise<T>, onDuplicate?: T): Promise<T> {
    let out: T
    try {
      out = await transact(r, body)
    } catch (e) {
      if (e instanceof Error && e.name === 'NacosError') throw e
      if (onDuplicate !== undefined && isUniqueViolation(e)) return onDuplicate
      log.error('namespace write failed on the shared database', { what, error: describeDbError(e) })
      throw fail.unavailable('database unavailable')
    }
    await reload().catch((e) => log.warn('namespace snapshot not reloaded', { error: describeDbError(e) }))
    onWrite?.()
    return out
  }
  const lock = async (tx: RemoteTx, id: string) => (await tx.select({ id: ti.id }).from(ti).where(eq(ti.tenantId, id)).for('update'))[0]

  void current().catch((e) => log.warn('namespace snapshot not loaded yet', { error: describeDbError(e) }))
  return {
    list: async () => [...(await current())],
    count: () => snap?.length ?? 0,
    // Not on a hot path (namespace and config import/clone writes): a miss asks the database, so a namespace another
    // node created a moment ago is found before its notification arrives.
    async exists(id) {
      if ((await current()).some((n) => n.id === id)) return true
      try {
        return (await r.db.select({ id: ti.id }).from(ti).where(eq(ti.tenantId, id))).length > 0
      } catch (e) {
        log.warn('namespace lookup failed on the shared database', { error: describeDbError(e) })
        return false
      }
    },
    create: (n) =>
      write('create namespace', async (tx) => {
        if (await lock(tx, n.id)) return false
        await tx.insert(ti).values({ tenantId: n.id, tenantName: n.name, tenantDesc: n.desc, createSource: 'bnacos', gmtCreate: n.createdAt, gmtModified: n.modifiedAt })
        return true
      }, false),
    update: (id, name, desc, now) =>
      write('update namespace', async (tx) => {
        if (!(await lock(tx, id))) return false
        await tx.update(ti).set({ tenantName: name, tenantDesc: desc, gmtModified: now }).where(eq(ti.tenantId, id))
        return true
      }),
    delete: (id) =>
      write('delete namespace', async (tx) => {
        if (!(await lock(tx, id))) return false
        await tx.delete(ti).where(eq(ti.tenantId, id))
        return true
      }),
    async refresh() {
      await reload()
    },
  }
}
