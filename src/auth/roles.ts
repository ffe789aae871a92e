import { fail } from '../shared/errors'
import { paging, toPage, type Page } from '../shared/page'
import type { AuthStore } from './store'
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
export async function addRole(store: AuthStore, role: string | undefined, username: string | undefined): Promise<void> {
  const r = checkRole(role)
  const u = checkUsername(username)
  if (r === ADMIN_ROLE) throw fail.invalid(`role ${ADMIN_ROLE} is not permitted to be bound to other users`)
  const out = await store.addRole(r, u)
  if (out === 'noUser') throw fail.notFound(`user '${u}' not found!`)
  if (out === 'exists') throw fail.conflict(`user '${u}' already bound to the role '${r}'!`)
}

/** Removes a role from one user, or (no user given) the role from everyone together with its permissions. */
export async function removeRole(store: AuthStore, role: string | undefined, username?: string): Promise<void> {
  const r = checkRole(role)
  if (r === ADMIN_ROLE) throw fail.invalid(`role ${ADMIN_ROLE} cannot be removed`)
  await store.removeRole(r, username?.trim() ? checkUsername(username) : undefined)
}

/** Role memberships page by page, filtered by role and/or user. */
export async function listRoles(store: AuthStore, q: { role?: string; username?: string; pageNo?: number; pageSize?: number }): Promise<Page<{ role: string; username: string }>> {
  const { pageNo, pageSize, offset } = paging(q.pageNo, q.pageSize)
  const { total, rows } = await store.rolesPage({ role: q.role?.trim() || undefined, username: q.username?.trim() || undefined }, pageSize, offset)
  return toPage(rows, total, pageNo, pageSize)
}

/** The roles of one user. */
export function rolesOf(store: AuthStore, username: string): Promise<string[]> {
  return store.rolesOf(username)
}
