import { fail } from '../shared/errors'
import { paging, toPage, type Page } from '../shared/page'
import { hashPassword, verifyPassword } from './passwords'
import type { AuthStore } from './store'

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
export async function createUser(store: AuthStore, username: string | undefined, password: string | undefined): Promise<void> {
  const name = checkUsername(username)
  const hash = await hashPassword(checkNewPassword(password))
  if (!(await store.createUser({ username: name, password: hash, enabled: true }))) throw fail.conflict(`user '${name}' already exist!`)
}

/** Deletes a user and its role memberships; the last admin cannot be deleted. */
export async function deleteUser(store: AuthStore, username: string | undefined): Promise<void> {
  const name = checkUsername(username)
  const r = await store.deleteUser(name, ADMIN_ROLE)
  if (r === 'missing') throw fail.notFound(`user '${name}' not exist!`)
  if (r === 'lastAdmin') throw fail.invalid('cannot delete the last admin user')
}

/** Changes a user's password. */
export async function changePassword(store: AuthStore, username: string | undefined, password: string | undefined): Promise<void> {
  const name = checkUsername(username)
  const hash = await hashPassword(checkNewPassword(password))
  if (!(await store.setPassword(name, hash))) throw fail.notFound(`user '${name}' not exist!`)
}

/** Users page by page, optionally filtered by a name fragment (`*` wildcards, as the console sends). */
export async function listUsers(store: AuthStore, q: { search?: string; pageNo?: number; pageSize?: number }): Promise<Page<{ username: string }>> {
  const { pageNo, pageSize, offset } = paging(q.pageNo, q.pageSize)
  const s = q.search?.trim().replaceAll('*', '').replace(/[\\%_]/g, '')
  const { total, rows } = await store.usersPage(s || undefined, pageSize, offset)
  return toPage(rows, total, pageNo, pageSize)
}

/** Whether the credentials are right for an enabled user (the hash is checked even for unknown users: timing). */
export async function checkCredentials(store: AuthStore, username: string, password: string): Promise<boolean> {
  const row = await store.user(username)
  // A fixed bcrypt hash keeps the time of an unknown-user attempt close to a wrong-password one.
  const ok = await verifyPassword(password, row?.password ?? '$2b$10$CwTycUXWue0Thq9StjUM0uJ8.8nMZ4zIvuXDsAmI7zXzFpz2CFmDm')
  return !!row && row.enabled && ok
}

/** Whether a user holds ROLE_ADMIN. */
export async function isAdmin(store: AuthStore, username: string): Promise<boolean> {
  return (await store.rolesOf(username)).includes(ADMIN_ROLE)
}

/** Whether any user exists (first start creates the admin). */
export function hasUsers(store: AuthStore): Promise<boolean> {
  return store.hasUsers()
}
