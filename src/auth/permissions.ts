import { and, asc, count, eq, inArray } from 'drizzle-orm'
import { fail } from '../shared/errors'
import { paging, toPage, type Page } from '../shared/page'
import type { Db } from '../storage/db'
import { permissions, roles } from './auth.sql'
import { checkRole } from './roles'
import { ADMIN_ROLE } from './users'

/** What a request needs: read or write. */
export type Action = 'r' | 'w'
const ACTIONS = new Set(['r', 'w', 'rw'])
const RESOURCE = /^[^\s]{1,512}$/

/** Grants `action` on `resource` (`namespace:group:type/name`, `*` wildcards) to a role. */
export function grant(db: Db, role: string | undefined, resource: string | undefined, action: string | undefined): void {
  const r = checkRole(role)
  if (!resource?.trim() || !RESOURCE.test(resource.trim())) throw fail.invalid('invalid resource: expected namespace:group:type/name')
  if (!action || !ACTIONS.has(action)) throw fail.invalid('invalid action: one of r, w, rw')
  if (!db.select({ r: roles.role }).from(roles).where(eq(roles.role, r)).get()) throw fail.notFound(`role ${r} not found!`)
  if (db.select({ r: permissions.role }).from(permissions).where(and(eq(permissions.role, r), eq(permissions.resource, resource.trim()), eq(permissions.action, action))).get()) {
    throw fail.conflict(`role '${r}' already has permission '${action}' on '${resource}'`)
  }
  db.insert(permissions).values({ role: r, resource: resource.trim(), action }).run()
}

/** Revokes one grant. */
export function revoke(db: Db, role: string | undefined, resource: string | undefined, action: string | undefined): void {
  const r = checkRole(role)
  if (!resource?.trim() || !action) throw fail.missing(!resource?.trim() ? 'resource' : 'action')
  db.delete(permissions).where(and(eq(permissions.role, r), eq(permissions.resource, resource.trim()), eq(permissions.action, action))).run()
}

/** Grants page by page, optionally of one role. */
export function listPermissions(db: Db, q: { role?: string; pageNo?: number; pageSize?: number }): Page<{ role: string; resource: string; action: string }> {
  const { pageNo, pageSize, offset } = paging(q.pageNo, q.pageSize)
  const where = q.role?.trim() ? eq(permissions.role, q.role.trim()) : undefined
  const total = db.select({ n: count() }).from(permissions).where(where).get()?.n ?? 0
  const rows = db.select().from(permissions).where(where).orderBy(asc(permissions.role), asc(permissions.resource)).limit(pageSize).offset(offset).all()
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
export function isAllowed(db: Db, username: string, resource: string, action: Action): boolean {
  const mine = db.select({ role: roles.role }).from(roles).where(eq(roles.username, username)).all().map((r) => r.role)
  if (mine.includes(ADMIN_ROLE)) return true
  if (mine.length === 0) return false
  const grants = db.select().from(permissions).where(inArray(permissions.role, mine)).all()
  return grants.some((g) => g.action.includes(action) && patternToRegex(g.resource).test(resource))
}
