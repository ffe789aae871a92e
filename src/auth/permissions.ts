import { fail } from '../shared/errors'
import { paging, toPage, type Page } from '../shared/page'
import { checkRole } from './roles'
import type { AuthStore } from './store'
import { ADMIN_ROLE } from './users'

/** What a request needs: read or write. */
export type Action = 'r' | 'w'
const ACTIONS = new Set(['r', 'w', 'rw'])
const RESOURCE = /^[^\s]{1,512}$/

/** Grants `action` on `resource` (`namespace:group:type/name`, `*` wildcards) to a role. */
export async function grant(store: AuthStore, role: string | undefined, resource: string | undefined, action: string | undefined): Promise<void> {
  const r = checkRole(role)
  if (!resource?.trim() || !RESOURCE.test(resource.trim())) throw fail.invalid('invalid resource: expected namespace:group:type/name')
  if (!action || !ACTIONS.has(action)) throw fail.invalid('invalid action: one of r, w, rw')
  const out = await store.grant({ role: r, resource: resource.trim(), action })
  if (out === 'noRole') throw fail.notFound(`role ${r} not found!`)
  if (out === 'exists') throw fail.conflict(`role '${r}' already has permission '${action}' on '${resource}'`)
}

/** Revokes one grant. */
export async function revoke(store: AuthStore, role: string | undefined, resource: string | undefined, action: string | undefined): Promise<void> {
  const r = checkRole(role)
  if (!resource?.trim() || !action) throw fail.missing(!resource?.trim() ? 'resource' : 'action')
  await store.revoke({ role: r, resource: resource.trim(), action })
}

/** Grants page by page, optionally of one role. */
export async function listPermissions(store: AuthStore, q: { role?: string; pageNo?: number; pageSize?: number }): Promise<Page<{ role: string; resource: string; action: string }>> {
  const { pageNo, pageSize, offset } = paging(q.pageNo, q.pageSize)
  const { total, rows } = await store.grantsPage(q.role?.trim() || undefined, pageSize, offset)
  return toPage(rows, total, pageNo, pageSize)
}

/** Turns a Nacos resource pattern into an anchored regex: `*` matches anything, everything else is literal. */
function patternToRegex(pattern: string): RegExp {
  return new RegExp('^' + pattern.split('*').map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$')
}

/**
 * Whether a user may do `action` on `resource` (Nacos NacosRoleServiceImpl.hasPermission): admins may do
 * everything; otherwise some role of the user must hold a grant whose pattern matches and whose action covers it.
 */
export async function isAllowed(store: AuthStore, username: string, resource: string, action: Action): Promise<boolean> {
  const mine = await store.rolesOf(username)
  if (mine.includes(ADMIN_ROLE)) return true
  if (mine.length === 0) return false
  const grants = await store.grantsOf(mine)
  return grants.some((g) => g.action.includes(action) && patternToRegex(g.resource).test(resource))
}
