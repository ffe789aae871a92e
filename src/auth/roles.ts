import { and, asc, count, eq, type SQL } from 'drizzle-orm'
import { fail } from '../shared/errors'
import { paging, toPage, type Page } from '../shared/page'
import type { Db } from '../storage/db'
import { permissions, roles, users } from './auth.sql'
import { ADMIN_ROLE, checkUsername } from './users'

const ROLE = /^[\w.@-]{1,64}$/

/** Checks a role name. */
export function checkRole(role: string | undefined): string {
  const v = role?.trim()
  if (!v) throw fail.missing('role')
  if (!ROLE.test(v)) throw fail.invalid('invalid role: letters, digits and _ . @ - only, at most 64 characters')
  return v
}

/** Gives a user a role; the user must exist. Granting ROLE_ADMIN this way is refused, as in Nacos. */
export function addRole(db: Db, role: string | undefined, username: string | undefined): void {
  const r = checkRole(role)
  const u = checkUsername(username)
  if (r === ADMIN_ROLE) throw fail.invalid(`role ${ADMIN_ROLE} is not permitted to be bound to other users`)
  if (!db.select({ u: users.username }).from(users).where(eq(users.username, u)).get()) throw fail.notFound(`user '${u}' not found!`)
  if (db.select({ u: roles.username }).from(roles).where(and(eq(roles.role, r), eq(roles.username, u))).get()) throw fail.conflict(`user '${u}' already bound to the role '${r}'!`)
  db.insert(roles).values({ role: r, username: u }).run()
}

/** Removes a role from one user, or (no user given) the role from everyone together with its permissions. */
export function removeRole(db: Db, role: string | undefined, username?: string): void {
  const r = checkRole(role)
  if (r === ADMIN_ROLE) throw fail.invalid(`role ${ADMIN_ROLE} cannot be removed`)
  db.transaction((tx) => {
    if (username?.trim()) tx.delete(roles).where(and(eq(roles.role, r), eq(roles.username, checkUsername(username)))).run()
    else {
      tx.delete(roles).where(eq(roles.role, r)).run()
      tx.delete(permissions).where(eq(permissions.role, r)).run()
    }
  })
}

/** Role memberships page by page, filtered by role and/or user. */
export function listRoles(db: Db, q: { role?: string; username?: string; pageNo?: number; pageSize?: number }): Page<{ role: string; username: string }> {
  const { pageNo, pageSize, offset } = paging(q.pageNo, q.pageSize)
  const conds: SQL[] = []
  if (q.role?.trim()) conds.push(eq(roles.role, q.role.trim()))
  if (q.username?.trim()) conds.push(eq(roles.username, q.username.trim()))
  const where = conds.length ? and(...conds) : undefined
  const total = db.select({ n: count() }).from(roles).where(where).get()?.n ?? 0
  const rows = db.select({ role: roles.role, username: roles.username }).from(roles).where(where).orderBy(asc(roles.role), asc(roles.username)).limit(pageSize).offset(offset).all()
  return toPage(rows, total, pageNo, pageSize)
}

/** The roles of one user. */
export function rolesOf(db: Db, username: string): string[] {
  return db.select({ role: roles.role }).from(roles).where(eq(roles.username, username)).all().map((r) => r.role)
}
