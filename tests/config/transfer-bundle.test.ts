// The multi-namespace export file of `bnacos export|import`, between two real in-memory databases.
import { describe, expect, test } from 'bun:test'
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate'
import { permissions, roles, users } from '../../src/auth/auth.sql'
import { grant } from '../../src/auth/permissions'
import { addRole } from '../../src/auth/roles'
import { createUser } from '../../src/auth/users'
import { authStore } from '../../src/auth/store'
import { publishConfig } from '../../src/config/publish'
import { collectBundle, readBundle, writeBundle } from '../../src/config/transfer/bundle'
import { selectForExport } from '../../src/config/transfer/export'
import { restoreBundle } from '../../src/config/transfer/restore'
import { createNamespace, listNamespaces } from '../../src/namespace/namespaces'
import { namespaceStore } from '../../src/namespace/store'
import { memoryCenter, tableCounts } from '../support/memory'

const actor = { srcUser: 'import', srcIp: '' }

async function source() {
  const m = await memoryCenter()
  await createNamespace(namespaceStore(m.storage), { id: 'dev', name: 'Development', desc: 'the dev env' })
  await publishConfig(m.cc, { dataId: 'app.yaml', group: 'G', content: 'a: 1', type: 'yaml', appName: 'shop', desc: 'd', configTags: 'x,y', use: 'u', effect: 'e', schema: 's' })
  await publishConfig(m.cc, { dataId: 'db', group: 'DB', content: 'jdbc', namespace: 'dev' })
  await createUser(authStore(m.storage), 'alice', 'alice-password')
  await addRole(authStore(m.storage), 'dev-rw', 'alice')
  await grant(authStore(m.storage), 'dev-rw', 'dev:*:*', 'rw')
  return m
}

const configsOf = async (m: Awaited<ReturnType<typeof memoryCenter>>) => {
  const all = []
  for (const n of (await listNamespaces(namespaceStore(m.storage)))) all.push(...(await selectForExport(m.cc, { namespace: n.id })))
  return all.map(({ id, createdAt, modifiedAt, srcUser, srcIp, ...c }) => c)
}

describe('bundle round trip', () => {
  test('namespaces, users (hash as stored), roles, grants and every config field arrive', async () => {
    const src = await source()
    const file = writeBundle(await collectBundle(src.cc, src.storage.db), 'test', new Date(0))
    const dst = await memoryCenter()
    const r = restoreBundle(dst.cc, dst.storage.db, readBundle(file)!, 'ABORT', actor)
    expect(r).toEqual({ namespaces: 1, users: 1, roles: 1, permissions: 1, configs: 2, skipped: 0, unrecognized: 0 })
    expect(await configsOf(dst)).toEqual(await configsOf(src))
    expect((await listNamespaces(namespaceStore(dst.storage))).map((n) => [n.id, n.name, n.desc])).toEqual([['public', 'public', 'Public Namespace'], ['dev', 'Development', 'the dev env']])
    expect(dst.storage.db.select().from(users).all()).toEqual(src.storage.db.select().from(users).all())
    expect(dst.storage.db.select().from(roles).all()).toEqual([{ username: 'alice', role: 'dev-rw' }])
    expect(dst.storage.db.select().from(permissions).all()).toEqual([{ role: 'dev-rw', resource: 'dev:*:*', action: 'rw' }])
  })

  test('each namespace is a Nacos v2 zip; extras sit beside it; --namespace limits the configs', async () => {
    const src = await source()
    const outer = unzipSync(writeBundle(await collectBundle(src.cc, src.storage.db, ['dev']), 'test', new Date(0)))
    expect(Object.keys(outer).sort()).toEqual(['bnacos-export.yml', 'configs/dev.zip', 'namespaces.yml', 'permissions.yml', 'roles.yml', 'users.yml'])
    expect(strFromU8(unzipSync(outer['configs/dev.zip'])['.metadata.yml'])).toContain('dataId: db')
    const all = unzipSync(writeBundle(await collectBundle(src.cc, src.storage.db), 'test', new Date(0)))
    expect(strFromU8(all['configs/public.extra.yml'])).toContain('configTags: x,y')
    await expect(collectBundle(src.cc, src.storage.db, ['nope'])).rejects.toThrow('no such namespace: nope')
  })

  test('ABORT stops at an existing config before anything (namespaces, users) is written', async () => {
    const src = await source()
    const bundle = readBundle(writeBundle(await collectBundle(src.cc, src.storage.db), 'test', new Date(0)))!
    const dst = await memoryCenter()
    await publishConfig(dst.cc, { dataId: 'db', group: 'DB', content: 'mine', namespace: 'dev' })
    const before = tableCounts(dst.storage)
    const r = restoreBundle(dst.cc, dst.storage.db, bundle, 'ABORT', actor)
    expect(r.aborted).toEqual({ namespace: 'dev', dataId: 'db', group: 'DB' })
    expect(tableCounts(dst.storage)).toEqual(before)
    expect(dst.storage.db.select().from(users).all()).toEqual([])
    expect(restoreBundle(dst.cc, dst.storage.db, bundle, 'SKIP', actor)).toMatchObject({ configs: 1, skipped: 1 })
    expect(dst.cc.cache.formal({ namespace: 'dev', group: 'DB', dataId: 'db' })?.content).toBe('mine')
  })

  test('existing users are kept unless OVERWRITE', async () => {
    const src = await source()
    const bundle = readBundle(writeBundle(await collectBundle(src.cc, src.storage.db), 'test', new Date(0)))!
    const dst = await memoryCenter()
    await createUser(authStore(dst.storage), 'alice', 'another-password')
    const theirs = dst.storage.db.select().from(users).get()!.password
    restoreBundle(dst.cc, dst.storage.db, { ...bundle, configs: [] }, 'SKIP', actor)
    expect(dst.storage.db.select().from(users).get()!.password).toBe(theirs)
    restoreBundle(dst.cc, dst.storage.db, { ...bundle, configs: [] }, 'OVERWRITE', actor)
    expect(dst.storage.db.select().from(users).get()!.password).toBe(bundle.users[0].password)
  })
})

describe('hostile or broken files', () => {
  const outer = (files: Record<string, string>) => zipSync(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, strToU8(v)])))
  const manifest = (file: string) => `format: bnacos-export\nversion: 1\nconfigs:\n  - namespace: public\n    file: ${file}\n`

  test('a zip without the manifest is not a bundle (a plain Nacos zip)', async () => {
    expect(readBundle(outer({ 'G/a': 'x' }))).toBeUndefined()
  })

  test('unsafe or missing file names, unknown formats and non-bcrypt passwords are refused', async () => {
    expect(() => readBundle(outer({ 'bnacos-export.yml': manifest('../../etc/passwd') }))).toThrow('unsafe zip entry name')
    expect(() => readBundle(outer({ 'bnacos-export.yml': manifest('configs/x.zip') }))).toThrow('configs/x.zip is listed but missing')
    expect(() => readBundle(outer({ 'bnacos-export.yml': 'format: other\nversion: 1\n' }))).toThrow('not a bnacos export')
    const m = await memoryCenter()
    const b = readBundle(outer({ 'bnacos-export.yml': 'format: bnacos-export\nversion: 1\n', 'users.yml': 'users:\n  - username: eve\n    password: plaintext\n' }))!
    expect(() => restoreBundle(m.cc, m.storage.db, b, 'ABORT', actor)).toThrow('eve: password is not a bcrypt hash')
    expect(m.storage.db.select().from(users).all()).toEqual([])
  })

  test('a role of a user that is not there is dropped; YAML numbers stay strings', async () => {
    const m = await memoryCenter()
    const hash = '$2a$10$' + 'a'.repeat(53)
    const b = readBundle(outer({
      'bnacos-export.yml': 'format: bnacos-export\nversion: 1\n',
      'users.yml': `users:\n  - username: 0x1F\n    password: "${hash}"\n    enabled: false\n`,
      'roles.yml': 'roles:\n  - username: ghost\n    role: r1\n  - username: 0x1F\n    role: r2\n',
    }))!
    expect(restoreBundle(m.cc, m.storage.db, b, 'ABORT', actor)).toMatchObject({ users: 1, roles: 1 })
    expect(m.storage.db.select().from(users).all()).toEqual([{ username: '0x1F', password: hash, enabled: false }])
  })
})
