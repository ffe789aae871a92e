import type { Storage } from '../storage/db'
import { remoteAuthStore } from './store-remote'
import { sqliteAuthStore } from './store-sqlite'

/** A user row: `password` is the bcrypt hash. */
export interface UserRow {
  username: string
  password: string
  enabled: boolean
}

/** One grant: `resource` pattern, `action` r, w or rw. */
export interface Grant {
  role: string
  resource: string
  action: string
}

/** A slice of a listing and the total it was cut from. */
export interface Slice<T> {
  total: number
  rows: T[]
}

/**
 * Where users, roles and permissions are kept. The guard reads them on every request (`user`, `rolesOf`,
 * `grantsOf`), so on a shared database they are answered from an in-memory snapshot, refreshed after each local
 * write and by `refresh()` (peer notification, timer); writes are rare and go to the database in a transaction.
 */
export interface AuthStore {
  /** One user with its password hash. */
  user(username: string): Promise<UserRow | undefined>
  /** The roles a user holds. */
  rolesOf(username: string): Promise<string[]>
  /** The grants held by any of `roles`. */
  grantsOf(roles: string[]): Promise<Grant[]>
  /** Whether any user exists. */
  hasUsers(): Promise<boolean>
  /** Users by name; `search` is a fragment matched case-insensitively (as SQLite's LIKE). */
  usersPage(search: string | undefined, limit: number, offset: number): Promise<Slice<{ username: string }>>
  /** Role memberships ordered by role then user. */
  rolesPage(f: { role?: string; username?: string }, limit: number, offset: number): Promise<Slice<{ role: string; username: string }>>
  /** Grants ordered by role then resource. */
  grantsPage(role: string | undefined, limit: number, offset: number): Promise<Slice<Grant>>
  /** Inserts a user; false when the name is taken. */
  createUser(u: UserRow): Promise<boolean>
  /** Replaces a password hash; false when there is no such user. */
  setPassword(username: string, hash: string): Promise<boolean>
  /** Deletes a user and its memberships, unless it is missing or the last holder of `adminRole`. */
  deleteUser(username: string, adminRole: string): Promise<'ok' | 'missing' | 'lastAdmin'>
  /** Binds a role to an existing user. */
  addRole(role: string, username: string): Promise<'ok' | 'noUser' | 'exists'>
  /** Removes one membership, or (no user) the role from everyone together with its grants. */
  removeRole(role: string, username?: string): Promise<void>
  /** Adds a grant to a role some user holds. */
  grant(g: Grant): Promise<'ok' | 'noRole' | 'exists'>
  /** Removes one grant (absent: nothing happens). */
  revoke(g: Grant): Promise<void>
  /** Creates `u` holding `role` only when no user exists at all; false when someone (maybe another node) did first. */
  bootstrap(u: UserRow, role: string): Promise<boolean>
  /** Reloads the snapshot (a peer changed something); a no-op on the embedded database. */
  refresh(): Promise<void>
}

/** The auth store of the storage in use; `onWrite` is called after each committed write on a shared database. */
export function authStore(storage: Storage, onWrite?: () => void): AuthStore {
  return storage.kind === 'sqlite' ? sqliteAuthStore(storage.db) : remoteAuthStore(storage.remote, onWrite)
}
