import { and, asc, count, eq, inArray, like, type SQL } from 'drizzle-orm'
import type { Db } from '../storage/db'
import { permissions, roles, users } from './auth.sql'
import type { AuthStore, Grant } from './store'

/** The auth store on the embedded SQLite: synchronous queries (transactions keep synchronous bodies). */
export function sqliteAuthStore(db: Db): AuthStore {
  const userExists = (name: string) => !!db.select({ u: users.username }).from(users).where(eq(users.username, name)).get()
  const grantWhere = (g: Grant) => and(eq(permissions.role, g.role), eq(permissions.resource, g.resource), eq(permissions.action, g.action))
  return {
    async user(username) {
      return db.select().from(users).where(eq(users.username, username)).get()
    },
    async rolesOf(username) {
      return db.select({ role: roles.role }).from(roles).where(eq(roles.username, username)).all().map((r) => r.role)
    },
    async grantsOf(mine) {
      return mine.length ? db.select().from(permissions).where(inArray(permissions.role, mine)).all() : []
    },
    async hasUsers() {
      return !!db.select({ u: users.username }).from(users).limit(1).get()
    },
    async usersPage(search, limit, offset) {
      const where = search ? like(users.username, `%${search}%`) : undefined
      const total = db.select({ n: count() }).from(users).where(where).get()?.n ?? 0
      const rows = db.select({ username: users.username }).from(users).where(where).orderBy(asc(users.username)).limit(limit).offset(offset).all()
      return { total, rows }
    },
    async rolesPage(f, limit, offset) {
      const conds: SQL[] = []
      if (f.role) conds.push(eq(roles.role, f.role))
      if (f.username) conds.push(eq(roles.username, f.username))
      const where = conds.length ? and(...conds) : undefined
      const total = db.select({ n: count() }).from(roles).where(where).get()?.n ?? 0
      const rows = db.select({ role: roles.role, username: roles.username }).from(roles).where(where).orderBy(asc(roles.role), asc(roles.username)).limit(limit).offset(offset).all()
      return { total, rows }
    },
    async grantsPage(role, limit, offset) {
      const where = role ? eq(permissions.role, role) : undefined
      const total = db.select({ n: count() }).from(permissions).where(where).get()?.n ?? 0
      const rows = db.select().from(permissions).where(where).orderBy(asc(permissions.role), asc(permissions.resource)).limit(limit).offset(offset).all()
      return { total, rows }
    },
    async createUser(u) {
      if (userExists(u.username)) return false
      db.insert(users).values(u).run()
      return true
    },
    async setPassword(username, hash) {
      return db.update(users).set({ password: hash }).where(eq(users.username, username)).returning().all().length > 0
    },
    async deleteUser(name, adminRole) {
      if (!userExists(name)) return 'missing'
      const admins = db.select({ u: roles.username }).from(roles).where(eq(roles.role, adminRole)).all()
      if (admins.length === 1 && admins[0].u === name) return 'lastAdmin'
      db.transaction((tx) => {
        tx.delete(roles).where(eq(roles.username, name)).run()
        tx.delete(users).where(eq(users.username, name)).run()
      })
      return 'ok'
    },
    async addRole(role, username) {
      if (!userExists(username)) return 'noUser'
      if (db.select({ u: roles.username }).from(roles).where(and(eq(roles.role, role), eq(roles.username, username))).get()) return 'exists'
      db.insert(roles).values({ role, username }).run()
      return 'ok'
    },
    async removeRole(role, username) {
      db.transaction((tx) => {
        if (username) tx.delete(roles).where(and(eq(roles.role, role), eq(roles.username, username))).run()
        else {
          tx.delete(roles).where(eq(roles.role, role)).run()
          tx.delete(permissions).where(eq(permissions.role, role)).run()
        }
      })
    },
    async grant(g) {
      if (!db.select({ r: roles.role }).from(roles).where(eq(roles.role, g.role)).get()) return 'noRole'
      if (db.select({ r: permissions.role }).from(permissions).where(grantWhere(g)).get()) return 'exists'
      db.insert(permissions).values(g).run()
      return 'ok'
    },
    async revoke(g) {
      db.delete(permissions).where(grantWhere(g)).run()
    },
    async bootstrap(u, role) {
      return db.transaction((tx) => {
        if (tx.select({ u: users.username }).from(users).limit(1).get()) return false
        tx.insert(users).values(u).run()
        tx.insert(roles).values({ username: u.username, role }).run()
        return true
      })
    },
    async refresh() {},
  }
}
