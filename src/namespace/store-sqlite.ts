import { asc, count, eq } from 'drizzle-orm'
import type { Db } from '../storage/db'
import { tenantInfo } from './namespace.sql'
import type { NamespaceStore } from './store'

/** The namespace store on the embedded SQLite. */
export function sqliteNamespaceStore(db: Db): NamespaceStore {
  return {
    async list() {
      const rows = db.select().from(tenantInfo).orderBy(asc(tenantInfo.id)).all()
      return rows.map((r) => ({ id: r.tenantId, name: r.tenantName, desc: r.tenantDesc, createdAt: r.gmtCreate, modifiedAt: r.gmtModified }))
    },
    count() {
      return db.select({ n: count() }).from(tenantInfo).get()?.n ?? 0
    },
    async exists(id) {
      return !!db.select({ id: tenantInfo.id }).from(tenantInfo).where(eq(tenantInfo.tenantId, id)).get()
    },
    async create(n) {
      if (db.select({ id: tenantInfo.id }).from(tenantInfo).where(eq(tenantInfo.tenantId, n.id)).get()) return false
      db.insert(tenantInfo).values({ tenantId: n.id, tenantName: n.name, tenantDesc: n.desc, createSource: 'bnacos', gmtCreate: n.createdAt, gmtModified: n.modifiedAt }).run()
      return true
    },
    async update(id, name, desc, now) {
      return db.update(tenantInfo).set({ tenantName: name, tenantDesc: desc, gmtModified: now }).where(eq(tenantInfo.tenantId, id)).returning().all().length > 0
    },
    async delete(id) {
      return db.delete(tenantInfo).where(eq(tenantInfo.tenantId, id)).returning({ id: tenantInfo.id }).all().length > 0
    },
    async refresh() {},
  }
}
