import { and, asc, count, eq, like } from 'drizzle-orm'
import { fail } from '../shared/errors'
import { paging, toPage, type Page } from '../shared/page'
import type { Db } from '../storage/db'
import { roles, users } from './auth.sql'
import { hashPassword, verifyPassword } from './passwords'

/** The role that passes every permission check (Nacos AuthConstants.GLOBAL_ADMIN_ROLE). */
export const ADMIN_ROLE = 'ROLE_ADMIN'

const USERNAME = /^[\w.@-]{1,64}$/

/** Checks a username: letters, digits, `_ . @ -`, at most 64 characters. */
export function checkUsername(name: string | undefined): string {
  const v = name?.trim()
  if (!v) throw fail.missing('username')
  if (!USERNAME.test(v)) throw fail.invalid('invalid username: letters, digits and _ . @ - only, at most 64 characters')
  return v
}

/** Checks a new password: 8 to 72 characters (bcrypt reads 72 bytes). */
export function checkNewPassword(pw: string | undefined): string {
  if (!pw) throw fail.missing('password')
  if (pw.length < 8) throw fail.invalid('password too short: at least 8 characters')
  if (Buffer.byteLength(pw) > 72) throw fail.invalid('password too long: at most 72 bytes')
  return pw
}

/** Creates a user; refuses an existing name. */
export async function createUser(db: Db, username: string | undefined, password: string | undefined): Promise<void> {
  const name = checkUsername(username)
  const hash = await hashPassword(checkNewPassword(password))
  if (db.select({ u: users.username }).from(users).where(eq(users.username, name)).get()) throw fail.conflict(`user '${name}' already exist!`)
  db.insert(users).values({ username: name, password: hash, enabled: true }).run()
}

/** Deletes a user and its role memberships; the last admin cannot be deleted. */
export function deleteUser(db: Db, username: string | undefined): void {
  const name = checkUsername(username)
  if (!db.select({ u: users.username }).from(users).where(eq(users.username, name)).get()) throw fail.notFound(`user '${name}' not exist!`)
  const admins = db.select({ u: roles.username }).from(roles).where(eq(roles.role, ADMIN_ROLE)).all()
  if (admins.length === 1 && admins[0].u === name) throw fail.invalid('cannot delete the last admin user')
  db.transaction((tx) => {
    tx.delete(roles).where(eq(roles.username, name)).run()
    tx.delete(users).where(eq(users.username, name)).run()
  })
}

/** Changes a user's password. */
export async function changePassword(db: Db, username: string | undefined, password: string | undefined): Promise<void> {
  const name = checkUsername(username)
  const hash = await hashPassword(checkNewPassword(password))
  const res = db.update(users).set({ password: hash }).where(eq(users.username, name)).returning().all()
  if (res.length === 0) throw fail.notFound(`user '${name}' not exist!`)
}

/** Users page by page, optionally filtered by a name fragment (`*` wildcards, as the console sends). */
export function listUsers(db: Db, q: { search?: string; pageNo?: number; pageSize?: number }): Page<{ username: string }> {
  const { pageNo, pageSize, offset } = paging(q.pageNo, q.pageSize)
  const s = q.search?.trim().replaceAll('*', '')
  const where = s ? like(users.username, `%${s.replace(/[\\%_]/g, '')}%`) : undefined
  const total = db.select({ n: count() }).from(users).where(where).get()?.n ?? 0
  const rows = db.select({ username: users.username }).from(users).where(where).orderBy(asc(users.username)).limit(pageSize).offset(offset).all()
  return toPage(rows, total, pageNo, pageSize)
}

/** Whether the credentials are right for an enabled user (the hash is checked even for unknown users: timing). */
export async function checkCredentials(db: Db, username: string, password: string): Promise<boolean> {
  const row = db.select().from(users).where(and(eq(users.username, username))).get()
  // A fixed bcrypt hash keeps the time of an unknown-user attempt close to a wrong-password one.
  const ok = await verifyPassword(password, row?.password ?? '$2b$10$CwTycUXWue0Thq9StjUM0uJ8.8nMZ4zIvuXDsAmI7zXzFpz2CFmDm')
  return !!row && row.enabled && ok
}

/** Whether a user holds ROLE_ADMIN. */
export function isAdmin(db: Db, username: string): boolean {
  return !!db.select({ u: roles.username }).from(roles).where(and(eq(roles.username, username), eq(roles.role, ADMIN_ROLE))).get()
}

/** Whether any user exists (first start creates the admin). */
export function hasUsers(db: Db): boolean {
  return !!db.select({ u: users.username }).from(users).limit(1).get()
}
