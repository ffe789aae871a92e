// Users, roles, permissions, namespaces and the audit log on a shared database (docs/cluster.md §3) against
// throw-away MariaDB and PostgreSQL servers: the same verbs as on SQLite, a second node seeing the writes after
// refresh(), and several nodes bootstrapping the admin at once on an empty database.
import { afterAll, describe, expect, test } from 'bun:test'
import { purgeAudit, queryAudit, recordAudit } from '../../src/audit/audit'
import { remoteAuditStore } from '../../src/audit/store-remote'
import { bootstrapAdmin, createAuth, login } from '../../src/auth/center'
import { grant, isAllowed, listPermissions, revoke } from '../../src/auth/permissions'
import { addRole, listRoles, removeRole } from '../../src/auth/roles'
import { remoteAuthStore } from '../../src/auth/store-remote'
import { changePassword, checkCredentials, createUser, deleteUser, isAdmin, listUsers } from '../../src/auth/users'
import { createNamespace, deleteNamespace, getNamespace, listNamespaces, namespaceExists, updateNamespace } from '../../src/namespace/namespaces'
import { remoteNamespaceStore } from '../../src/namespace/store-remote'
import * as authMysql from '../../src/auth/auth.mysql'
import * as authPg from '../../src/auth/auth.pg'
import { hashPassword } from '../../src/auth/passwords'
import { openRemote } from '../../src/storage/remote-open'
import { tablesFor, type RemoteDb } from '../../src/storage/remote'
import { available, startMariaDb, startPostgres, type DbServer } from '../support/dbserver'

const refusal = async (p: Promise<unknown>) => {
  try {
    await p
  } catch (e) {
    return { kind: (e as { kind?: string }).kind, message: (e as Error).message }
  }
  throw new Error('expected a refusal')
}
const opts = { enabled: true, tokenKey: new Uint8Array(32).fill(3), tokenTtlSeconds: 60, lockFailures: 5, lockMs: 60_000 }

function suite(name: string, start: () => Promise<DbServer>, ok: boolean) {
  describe.skipIf(!ok)(`auth, namespace and audit stores on ${name}`, async () => {
    const server = await start()
    const remotes: RemoteDb[] = await Promise.all([1, 2, 3].map(() => openRemote(server.url)))
    afterAll(async () => {
      for (const r of remotes) await r.close()
      await server.close()
    })
    let writes = 0
    const [a, b] = remotes.map((r) => remoteAuthStore(r, () => writes++))

    // First, while the users table is still empty.
    test('three nodes bootstrapping at once on an empty database create exactly one admin, and none fails', async () => {
      const auths = remotes.map((r) => createAuth(remoteAuthStore(r), opts))
      await Promise.all(auths.map((auth, i) => bootstrapAdmin(auth, `admin${i}`, `admin-password-${i}`)))
      await a.refresh()
      const admins = (await listRoles(a, { role: 'ROLE_ADMIN' })).pageItems
      expect(admins.length).toBe(1)
      expect((await listUsers(a, {})).totalCount).toBe(1)
      // Bootstrapping again, anywhere, changes nothing.
      await Promise.all(auths.map((auth) => bootstrapAdmin(auth, 'late', 'late-password')))
      await a.refresh()
      expect((await listUsers(a, {})).pageItems.map((u) => u.username)).toEqual([admins[0].username])
      const i = Number(admins[0].username.slice(5))
      await b.refresh()
      expect((await login(createAuth(b, opts), admins[0].username, `admin-password-${i}`, '1.1.1.1')).globalAdmin).toBe(true)
    })

    test('the raw race: three stores inserting their admin in the same instant on an empty database, one wins', async () => {
      const t = tablesFor(remotes[0], authMysql, authPg)
      const keep = await remotes[0].db.select().from(t.users)
      const keepRoles = await remotes[0].db.select().from(t.roles)
      await remotes[0].db.delete(t.roles)
      await remotes[0].db.delete(t.users)
      const stores = remotes.map((r) => remoteAuthStore(r))
      await Promise.all(stores.map((s) => s.refresh()))
      const hash = await hashPassword('race-password')
      for (let round = 0; round < 3; round++) {
        const won = await Promise.all(stores.map((s, i) => s.bootstrap({ username: `racer${round}${i}`, password: hash, enabled: true }, 'ROLE_ADMIN')))
        expect(won.filter(Boolean).length).toBe(1)
        expect((await remotes[0].db.select().from(t.users)).length).toBe(1)
        await remotes[0].db.delete(t.roles)
        await remotes[0].db.delete(t.users)
        await Promise.all(stores.map((s) => s.refresh()))
      }
      await remotes[0].db.insert(t.users).values(keep)
      await remotes[0].db.insert(t.roles).values(keepRoles)
      await Promise.all([a.refresh(), b.refresh()])
    })

    test('users: create, duplicate refused (also from another node), password change, delete', async () => {
      const before = writes
      await createUser(a, 'alice', 'alice-password')
      expect(writes).toBe(before + 1)
      expect(await refusal(createUser(a, 'alice', 'other-password'))).toEqual({ kind: 'conflict', message: "user 'alice' already exist!" })
      // Node b has not been told yet: the database still refuses the duplicate.
      expect(await refusal(createUser(b, 'alice', 'other-password'))).toMatchObject({ kind: 'conflict' })
      await b.refresh()
      expect(await checkCredentials(b, 'alice', 'alice-password')).toBe(true)
      await changePassword(b, 'alice', 'alice-password-2')
      await a.refresh()
      expect(await checkCredentials(a, 'alice', 'alice-password')).toBe(false)
      expect(await checkCredentials(a, 'alice', 'alice-password-2')).toBe(true)
      expect((await refusal(changePassword(a, 'ghost', 'ghost-password'))).kind).toBe('notFound')
      await createUser(a, 'Bobby', 'bobby-password')
      expect((await listUsers(a, { search: 'bob' })).pageItems).toEqual([{ username: 'Bobby' }])
      await deleteUser(a, 'Bobby')
      expect((await refusal(deleteUser(a, 'Bobby'))).kind).toBe('notFound')
      const [admin] = (await listRoles(a, { role: 'ROLE_ADMIN' })).pageItems
      expect(await refusal(deleteUser(a, admin.username))).toEqual({ kind: 'invalid', message: 'cannot delete the last admin user' })
      expect(await isAdmin(a, admin.username)).toBe(true)
    })

    test('roles and grants: bind, grant, check on both nodes, duplicate refused, revoke, remove the role', async () => {
      await createUser(a, 'reader', 'reader-password')
      await addRole(a, 'ns1-reader', 'reader')
      expect((await refusal(addRole(a, 'ns1-reader', 'reader'))).kind).toBe('conflict')
      expect((await refusal(addRole(a, 'x', 'ghost'))).kind).toBe('notFound')
      expect((await refusal(addRole(a, 'ROLE_ADMIN', 'reader'))).message).toContain('not permitted')
      await grant(a, 'ns1-reader', 'ns1:*:config/*', 'r')
      expect((await refusal(grant(a, 'ns1-reader', 'ns1:*:config/*', 'r'))).kind).toBe('conflict')
      expect((await refusal(grant(a, 'no-such-role', 'ns1:*:config/*', 'r'))).kind).toBe('notFound')
      expect(await isAllowed(a, 'reader', 'ns1:DEFAULT_GROUP:config/app.yaml', 'r')).toBe(true)
      expect(await isAllowed(a, 'reader', 'ns1:DEFAULT_GROUP:config/app.yaml', 'w')).toBe(false)
      expect(await isAllowed(a, 'reader', 'ns2:DEFAULT_GROUP:config/app.yaml', 'r')).toBe(false)
      expect(await isAllowed(b, 'reader', 'ns1:DEFAULT_GROUP:config/app.yaml', 'r')).toBe(false) // b's snapshot is older
      await b.refresh()
      expect(await isAllowed(b, 'reader', 'ns1:DEFAULT_GROUP:config/app.yaml', 'r')).toBe(true)
      expect((await listPermissions(b, { role: 'ns1-reader' })).pageItems).toEqual([{ role: 'ns1-reader', resource: 'ns1:*:config/*', action: 'r' }])
      await revoke(b, 'ns1-reader', 'ns1:*:config/*', 'r')
      await a.refresh()
      expect(await isAllowed(a, 'reader', 'ns1:DEFAULT_GROUP:config/app.yaml', 'r')).toBe(false)
      await grant(a, 'ns1-reader', 'ns1:*:*', 'rw')
      await removeRole(a, 'ns1-reader')
      expect((await listRoles(a, { username: 'reader' })).totalCount).toBe(0)
      expect((await listPermissions(a, { role: 'ns1-reader' })).totalCount).toBe(0)
    })

    test('namespaces: create, duplicate refused, update, delete; another node finds a new one before refreshing', async () => {
      let announced = 0
      const [na, nb] = remotes.map((r) => remoteNamespaceStore(r, () => announced++))
      expect(await createNamespace(na, { id: 'dev', name: 'Development', desc: 'd' }, 1000)).toBe('dev')
      expect(announced).toBe(1)
      expect((await refusal(createNamespace(na, { id: 'dev', name: 'again' })))).toMatchObject({ kind: 'conflict', message: 'namespace dev already exists' })
      expect((await refusal(createNamespace(nb, { id: 'dev', name: 'again' })))).toMatchObject({ kind: 'conflict' })
      expect(await namespaceExists(nb, 'dev')).toBe(true)
      await createNamespace(na, { id: 'qa', name: 'QA' }, 2000)
      await updateNamespace(na, { id: 'dev', name: 'Dev', desc: 'renamed' }, 3000)
      expect((await refusal(updateNamespace(na, { id: 'nope', name: 'x' }))).kind).toBe('notFound')
      await nb.refresh()
      expect((await listNamespaces(nb)).map((n) => [n.id, n.name, n.desc])).toEqual([['public', 'public', 'Public Namespace'], ['dev', 'Dev', 'renamed'], ['qa', 'QA', '']])
      expect(await getNamespace(nb, 'dev')).toMatchObject({ type: 2, createdAt: 1000, modifiedAt: 3000 })
      expect(nb.count()).toBe(2)
      expect((await refusal(deleteNamespace(nb, 'dev', () => 1))).kind).toBe('conflict')
      await deleteNamespace(nb, 'dev', () => 0)
      expect(await namespaceExists(nb, 'dev')).toBe(false)
      expect((await refusal(deleteNamespace(na, 'dev', () => 0))).kind).toBe('notFound') // a's snapshot is stale; the database knows
    })

    test('audit: insert without waiting, query with filters, purge by age', async () => {
      const store = remoteAuditStore(remotes[0])
      const day = 86_400_000
      await store.insert({ at: day, actor: 'alice', ip: '10.0.0.1', action: 'config.publish', resource: 'G:App.yaml', detail: { content: 'x' } })
      await store.insert({ at: 10 * day, actor: 'bob', ip: '10.0.0.2', action: 'namespace.create', resource: 'dev', detail: {} })
      recordAudit(store, { at: 11 * day, actor: 'bob', ip: '10.0.0.2', action: 'config.remove', resource: 'G:app.yaml', detail: {} })
      await Bun.sleep(200)
      const all = await queryAudit(store, {})
      expect(all.pageItems.map((e) => e.action)).toEqual(['config.remove', 'namespace.create', 'config.publish'])
      expect(all.pageItems[2]).toMatchObject({ at: day, actor: 'alice', ip: '10.0.0.1', resource: 'G:App.yaml', detail: { content: 'x' } })
      expect((await queryAudit(store, { actor: 'bob' })).totalCount).toBe(2)
      expect((await queryAudit(store, { resource: 'app.YAML' })).totalCount).toBe(2) // case-insensitive, as SQLite's LIKE
      expect((await queryAudit(store, { from: 5 * day, to: 10 * day })).pageItems.map((e) => e.actor)).toEqual(['bob'])
      expect((await queryAudit(store, { pageNo: 2, pageSize: 2 })).pageItems.length).toBe(1)
      expect(await purgeAudit(store, 0, 12 * day)).toBe(0)
      expect(await purgeAudit(store, 5, 12 * day)).toBe(1)
      expect((await queryAudit(store, {})).totalCount).toBe(2)
    })

    test('database down: writes answer 503 and change nothing, the guard still answers from memory, audit never throws', async () => {
      const ns = remoteNamespaceStore(remotes[0])
      await Promise.all([a.refresh(), ns.refresh()])
      await server.stop()
      try {
        expect(await refusal(createUser(a, 'during-outage', 'outage-password'))).toEqual({ kind: 'unavailable', message: 'database unavailable' })
        expect((await refusal(createNamespace(ns, { id: 'outage', name: 'outage' }))).kind).toBe('unavailable')
        expect(await checkCredentials(a, 'alice', 'alice-password-2')).toBe(true)
        expect(await isAllowed(a, 'alice', 'x:y:config/z', 'r')).toBe(false)
        expect(await namespaceExists(ns, 'qa')).toBe(true)
        await remoteAuditStore(remotes[0]).insert({ at: 1, actor: '', ip: '', action: 'x', resource: '', detail: {} })
      } finally {
        await server.start()
      }
      await a.refresh()
      expect((await a.user('during-outage'))).toBeUndefined()
      await createUser(a, 'after-outage', 'outage-password')
    }, 60_000)
  })
}

const have = available()
suite('MariaDB', startMariaDb, have.mariadb)
suite('PostgreSQL', startPostgres, have.postgres)
