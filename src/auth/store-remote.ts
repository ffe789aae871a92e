import { and, eq } from 'drizzle-orm'
import { fail } from '../shared/errors'
import { log } from '../shared/log'
import { describeDbError, isUniqueViolation, tablesFor, transact, type RemoteDb, type RemoteTx } from '../storage/remote'
import * as mysqlTables from './auth.mysql'
import * as pgTables from './auth.pg'
import type { AuthStore, Grant, Slice, UserRow } from './store'

/** Everything the guard reads, held in memory on each node of a cluster. */
interface Snapshot {
  users: Map<string, UserRow>
  roles: { role: string; username: string }[]
  grants: Grant[]
}

// Code-unit order: the names are ASCII, so this is SQLite's BINARY order.
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)
const slice = <T>(rows: T[], limit: number, offset: number): Slice<T> => ({ total: rows.length, rows: rows.slice(offset, offset + limit) })

/**
 * The auth store on the database a cluster shares. Reads come from a snapshot (the guard checks every request);
 * each write is a transaction that locks the rows it decides on, then reloads the snapshot and calls `onWrite`.
 */
export function remoteAuthStore(r: RemoteDb, onWrite?: () => void): AuthStore {
  const t = tablesFor(r, mysqlTables, pgTables)
  let snap: Snapshot | undefined
  let started = 0
  let applied = 0

  async function load(): Promise<Snapshot> {
    const [u, ro, g] = await Promise.all([r.db.select().from(t.users), r.db.select().from(t.roles), r.db.select().from(t.permissions)])
    return {
      users: new Map(u.map((x) => [x.username, { username: x.username, password: x.password, enabled: !!x.enabled }])),
      roles: ro.map((x) => ({ role: x.role, username: x.username })).sort((a, b) => cmp(a.role, b.role) || cmp(a.username, b.username)),
      grants: g.map((x) => ({ role: x.role, resource: x.resource, action: x.action })).sort((a, b) => cmp(a.role, b.role) || cmp(a.resource, b.resource)),
    }
  }
  /**
   * Reloads. Every call reads afresh (a load already running may have started before the caller's commit); a load
   * that finishes after a later-started one is dropped.
   */
  async function reload(): Promise<Snapshot> {
    const n = ++started
    const s = await load()
    if (n > applied) {
      applied = n
      snap = s
    }
    return snap!
  }
  /** The snapshot, loading it on first use (or after a failed first load). */
  let first: Promise<Snapshot> | undefined
  const current = async (): Promise<Snapshot> => snap ?? (await (first ??= reload().finally(() => (first = undefined))))

  /** Runs a write transaction; driver failures become 503 (nothing committed), NacosErrors pass through. */
  async function write<T>(what: string, body: (tx: RemoteTx) => Promise<T>, opts: { serializable?: boolean; onDuplicate?: T } = {}): Promise<T> {
    let out: T
    try {
      out = await transact(r, body, opts.serializable)
    } catch (e) {
      if (e instanceof Error && e.name === 'NacosError') throw e
      // Still a duplicate after the retries: another node holds the key, which is what the outcome reports.
      if (opts.onDuplicate !== undefined && isUniqueViolation(e)) return opts.onDuplicate
      log.error('auth write failed on the shared database', { what, error: describeDbError(e) })
      throw fail.unavailable('database unavailable')
    }
    await reload().catch((e) => log.warn('auth snapshot not reloaded', { error: describeDbError(e) }))
    onWrite?.()
    return out
  }
  const lockUser = async (tx: RemoteTx, name: string) => (await tx.select({ u: t.users.username }).from(t.users).where(eq(t.users.username, name)).for('update'))[0]
  const grantWhere = (g: Grant) => and(eq(t.permissions.role, g.role), eq(t.permissions.resource, g.resource), eq(t.permissions.action, g.action))

  void current().catch((e) => log.warn('auth snapshot not loaded yet', { error: describeDbError(e) }))
  return {
    async user(username) {
      return (await current()).users.get(username)
    },
    async rolesOf(username) {
      return (await current()).roles.filter((x) => x.username === username).map((x) => x.role)
    },
    async grantsOf(mine) {
      return mine.length ? (await current()).grants.filter((g) => mine.includes(g.role)) : []
    },
    async hasUsers() {
      return (await current()).users.size > 0
    },
    async usersPage(search, limit, offset) {
      const s = search?.toLowerCase()
      const names = [...(await current()).users.keys()].filter((n) => !s || n.toLowerCase().includes(s)).sort(cmp)
      return slice(names.map((username) => ({ username })), limit, offset)
    },
    async rolesPage(f, limit, offset) {
      return slice((await current()).roles.filter((x) => (!f.role || x.role === f.role) && (!f.username || x.username === f.username)), limit, offset)
    },
    async grantsPage(role, limit, offset) {
      return slice((await current()).grants.filter((g) => !role || g.role === role), limit, offset)
    },
    createUser: (u) =>
      write('create user', async (tx) => {
        if (await lockUser(tx, u.username)) return false
        await tx.insert(t.users).values(u)
        return true
      }, { onDuplicate: false }),
    setPassword: (username, hash) =>
      write('change password', async (tx) => {
        if (!(await lockUser(tx, username))) return false
        await tx.update(t.users).set({ password: hash }).where(eq(t.users.username, username))
        return true
      }),
    deleteUser: (name, adminRole) =>
      write('delete user', async (tx) => {
        if (!(await lockUser(tx, name))) return 'missing' as const
        const admins = await tx.select({ u: t.roles.username }).from(t.roles).where(eq(t.roles.role, adminRole)).for('update')
        if (admins.length === 1 && admins[0].u === name) return 'lastAdmin' as const
        await tx.delete(t.roles).where(eq(t.roles.username, name))
        await tx.delete(t.users).where(eq(t.users.username, name))
        return 'ok' as const
      }),
    addRole: (role, username) =>
      write('add role', async (tx) => {
        if (!(await lockUser(tx, username))) return 'noUser' as const
        const has = await tx.select({ u: t.roles.username }).from(t.roles).where(and(eq(t.roles.role, role), eq(t.roles.username, username))).for('update')
        if (has.length) return 'exists' as const
        await tx.insert(t.roles).values({ role, username })
        return 'ok' as const
      }, { onDuplicate: 'exists' as const }),
    removeRole: (role, username) =>
      write('remove role', async (tx) => {
        if (username) await tx.delete(t.roles).where(and(eq(t.roles.role, role), eq(t.roles.username, username)))
        else {
          await tx.delete(t.roles).where(eq(t.roles.role, role))
          await tx.delete(t.permissions).where(eq(t.permissions.role, role))
        }
      }),
    grant: (g) =>
      write('grant', async (tx) => {
        if (!(await tx.select({ r: t.roles.role }).from(t.roles).where(eq(t.roles.role, g.role)).limit(1).for('update')).length) return 'noRole' as const
        if ((await tx.select({ r: t.permissions.role }).from(t.permissions).where(grantWhere(g)).for('update')).length) return 'exists' as const
        await tx.insert(t.permissions).values(g)
        return 'ok' as const
      }, { onDuplicate: 'exists' as const }),
    revoke: (g) =>
      write('revoke', async (tx) => {
        await tx.delete(t.permissions).where(grantWhere(g))
      }),
    // Several nodes may start together on an empty database: SERIALIZABLE makes the "no user yet" read conflict
    // with another node's insert (PostgreSQL fails one with 40001, MySQL deadlocks one), and the retry then sees
    // the other node's admin. A duplicate name means the same: someone else bootstrapped.
    bootstrap: (u, role) =>
      write('bootstrap admin', async (tx) => {
        if ((await tx.select({ u: t.users.username }).from(t.users).limit(1)).length) return false
        await tx.insert(t.users).values(u)
        await tx.insert(t.roles).values({ username: u.username, role })
        return true
      }, { serializable: true, onDuplicate: false }),
    async refresh() {
      await reload()
    },
  }
}
