// Export, import and clone over /nacos/v1/cs/configs through the app (no port): wire shapes, auth, audit, and zips
// read and written by java.util.zip exactly as Nacos's ZipUtils does (when a JDK is installed).
import { describe, expect, test } from 'bun:test'
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { bootstrapAdmin, login } from '../../src/auth/center'
import { grant } from '../../src/auth/permissions'
import { addRole } from '../../src/auth/roles'
import { createUser } from '../../src/auth/users'
import type { App } from '../../src/app'
import { createNamespace } from '../../src/namespace/namespaces'
import { namespaceStore } from '../../src/namespace/store'
import { call, memoryApp, tableCounts } from '../support/memory'

const CFG = '/nacos/v1/cs/configs'

async function send(app: App, method: string, query: Record<string, string>, body?: string | FormData, headers: Record<string, string> = {}) {
  const res = await app.http.handle(new Request(`http://bnacos.test${CFG}?${new URLSearchParams(query)}`, { method, body, headers }))
  return res
}

function upload(app: App, zip: Uint8Array, query: Record<string, string>, headers: Record<string, string> = {}) {
  const form = new FormData()
  form.append('file', new Blob([zip], { type: 'application/zip' }), 'nacos_config_export.zip')
  return send(app, 'POST', { import: 'true', ...query }, form, headers).then((r) => r.json() as Promise<any>)
}

const files = (zip: ArrayBuffer) => Object.fromEntries(Object.entries(unzipSync(new Uint8Array(zip))).map(([k, v]) => [k, strFromU8(v)]))

async function seeded() {
  const m = await memoryApp()
  await call(m.app, 'POST', CFG, { dataId: 'app.yaml', group: 'G', content: 'port: 1', type: 'yaml', appName: 'shop', desc: 'main' })
  await call(m.app, 'POST', CFG, { dataId: 'other', group: 'H', content: 'x' })
  await createNamespace(namespaceStore(m.storage), { id: 'dev', name: 'dev' })
  return m
}

describe('export', () => {
  test('exportV2=true answers a zip with group/dataId entries and .metadata.yml, named like Nacos', async () => {
    const { app } = await seeded()
    const r = await send(app, 'GET', { exportV2: 'true', tenant: '' })
    expect(r.status).toBe(200)
    expect(r.headers.get('Content-Disposition')).toMatch(/^attachment;filename=nacos_config_export_\d{14}\.zip$/)
    const f = files(await r.arrayBuffer())
    expect(Object.keys(f).sort()).toEqual(['.metadata.yml', 'G/app.yaml', 'H/other'])
    expect(f['.metadata.yml']).toContain('appName: shop')
    expect(f['G/app.yaml']).toBe('port: 1')
  })

  test('export=true answers the v1 zip; group and ids select', async () => {
    const { app } = await seeded()
    const v1 = files(await (await send(app, 'GET', { export: 'true', group: 'G' })).arrayBuffer())
    expect(v1).toEqual({ 'G/app.yaml': 'port: 1', '.meta.yml': 'G.app~yaml.app=shop\r\n' })
    const page = (await call(app, 'GET', CFG, { search: 'accurate', dataId: 'other', group: 'H' })).json()
    const byId = files(await (await send(app, 'GET', { export: 'true', ids: page.pageItems[0].id })).arrayBuffer())
    expect(Object.keys(byId)).toEqual(['H/other'])
    const bad = await send(app, 'GET', { export: 'true', ids: 'abc' })
    expect([bad.status, await bad.text()]).toEqual([400, "Parameter 'ids' must be a comma-separated list of numbers"])
  })

  test('a plain read is still a read', async () => {
    const { app } = await seeded()
    expect((await call(app, 'GET', CFG, { dataId: 'other', group: 'H', export: 'false' })).text).toBe('x')
  })
})

describe('import', () => {
  test('a zip exported here imports into another namespace; the reply is Nacos’s result map', async () => {
    const { app } = await seeded()
    const zip = new Uint8Array(await (await send(app, 'GET', { exportV2: 'true' })).arrayBuffer())
    const r = await upload(app, zip, { namespace: 'dev', policy: 'ABORT' })
    expect(r).toEqual({ code: 200, message: 'import success', data: { succCount: 2, skipCount: 0, failData: [], skipData: [], unrecognizedCount: 0, unrecognizedData: [] } })
    expect((await call(app, 'GET', CFG, { dataId: 'app.yaml', group: 'G', tenant: 'dev' })).headers.get('Config-Type')).toBe('yaml')
    const again = await upload(app, zip, { namespace: 'dev' })
    expect(again.data).toMatchObject({ succCount: 0, skipCount: 1, failData: [{ dataId: 'app.yaml', group: 'G' }] })
    const skip = await upload(app, zip, { namespace: 'dev', policy: 'SKIP' })
    expect(skip.data).toMatchObject({ succCount: 0, skipCount: 2 })
  })

  test('refusals answer Nacos result codes with HTTP 200 and write nothing', async () => {
    const { app, storage } = await seeded()
    const before = tableCounts(storage)
    const good = zipSync({ 'G/a': strToU8('x') })
    expect(await upload(app, good, { namespace: 'missing' })).toMatchObject({ code: 100001, data: { succCount: 0 } })
    expect(await upload(app, zipSync({ 'G/a': strToU8('x'), '.metadata.yml': strToU8('metadata: []') }), {})).toMatchObject({ code: 100002 })
    expect(await upload(app, strToU8('PK garbage'), {})).toMatchObject({ code: 100004 })
    expect(await upload(app, zipSync({ 'no-group': strToU8('x') }), {})).toMatchObject({ code: 100005 })
    expect(await upload(app, zipSync({ 'G/bad*id': strToU8('x') }), {})).toMatchObject({ code: 100003, message: expect.stringContaining('G/bad*id') })
    expect((await send(app, 'POST', { import: 'true' }, 'a=b', { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(200)
    expect(tableCounts(storage)).toEqual(before)
    const bad = await send(app, 'POST', { import: 'true', policy: 'MERGE' }, new FormData())
    expect([bad.status, await bad.text()]).toEqual([400, 'invalid policy: MERGE (one of ABORT, SKIP, OVERWRITE)'])
  })

  test('an import is audited as config.import, with the namespace and policy', async () => {
    const { app, storage } = await seeded()
    expect((await upload(app, zipSync({ 'G/audited': strToU8('x') }), { namespace: 'dev', policy: 'OVERWRITE' })).code).toBe(200)
    const rows = storage.sqlite.query("SELECT action, resource, detail FROM audit_log WHERE action = 'config.import'").all() as { resource: string; detail: string }[]
    expect(rows.length).toBe(1)
    expect(rows[0].resource).toBe('dev')
    expect(rows[0].detail).toContain('OVERWRITE')
  })

  test('a refused import (HTTP 200 with a Nacos failure code) is not audited as a write', async () => {
    const { app, storage } = await seeded()
    const r = await upload(app, strToU8('not a zip'), { namespace: 'dev', policy: 'OVERWRITE' })
    expect(r.code).not.toBe(200)
    expect(storage.sqlite.query("SELECT count(*) AS n FROM audit_log WHERE action = 'config.import'").get()).toEqual({ n: 0 })
  })
})

describe('clone', () => {
  test('clone=true copies by cfgId into tenant, renaming when asked', async () => {
    const { app } = await seeded()
    const page = (await call(app, 'GET', CFG, { search: 'blur', dataId: '', group: '' })).json()
    const id = page.pageItems.find((c: any) => c.dataId === 'app.yaml').id
    const body = JSON.stringify([{ cfgId: id, dataId: 'copy.yaml', group: 'C' }])
    const r = await (await send(app, 'POST', { clone: 'true', tenant: 'dev', policy: 'ABORT' }, body, { 'content-type': 'application/json' })).json()
    expect(r).toMatchObject({ code: 200, message: 'Clone Completed Successfully', data: { succCount: 1, skipCount: 0 } })
    expect((await call(app, 'GET', CFG, { dataId: 'copy.yaml', group: 'C', tenant: 'dev' })).text).toBe('port: 1')
    const none: any = await (await send(app, 'POST', { clone: 'true', tenant: 'dev' }, '[]', { 'content-type': 'application/json' })).json()
    expect(none.code).toBe(100006)
  })
})

describe('with auth enabled', () => {
  test('import needs write on the target namespace; clone needs read on every source', async () => {
    const { app } = await memoryApp({ authEnabled: true })
    await bootstrapAdmin(app.auth, 'nacos', 'admin-password')
    const admin = (await login(app.auth, 'nacos', 'admin-password', '1.1.1.1')).accessToken
    for (const id of ['a', 'b']) await call(app, 'POST', '/nacos/v1/console/namespaces', { customNamespaceId: id, namespaceName: id, accessToken: admin })
    await call(app, 'POST', CFG, { dataId: 'secret', group: 'G', tenant: 'a', content: 'pw', accessToken: admin })
    await createUser(app.auth.store, 'bob', 'bob-password')
    await addRole(app.auth.store, 'b-writer', 'bob')
    await grant(app.auth.store, 'b-writer', 'b:*:config/*', 'rw')
    const bob = { Authorization: `Bearer ${(await login(app.auth, 'bob', 'bob-password', '1.1.1.1')).accessToken}` }
    const zip = zipSync({ 'G/x': strToU8('x') })
    expect((await upload(app, zip, { namespace: 'b' }, bob)).code).toBe(200)
    const denied = await send(app, 'POST', { import: 'true', namespace: 'a' }, (() => { const f = new FormData(); f.append('file', new Blob([zip])); return f })(), bob)
    expect(denied.status).toBe(403)
    expect((await send(app, 'GET', { exportV2: 'true', tenant: 'a' }, undefined, bob)).status).toBe(403)
    expect((await send(app, 'GET', { exportV2: 'true', tenant: 'b' }, undefined, bob)).status).toBe(200)
    const page = (await call(app, 'GET', CFG, { search: 'accurate', tenant: 'a', accessToken: admin })).json()
    const steal = await send(app, 'POST', { clone: 'true', tenant: 'b' }, JSON.stringify([{ cfgId: page.pageItems[0].id }]), { ...bob, 'content-type': 'application/json' })
    expect(steal.status).toBe(403)
    expect((await call(app, 'GET', CFG, { dataId: 'secret', group: 'G', tenant: 'b', accessToken: admin })).status).toBe(404)
  })
})

// java.util.zip as Nacos ZipUtils uses it: `zip OUT name b64 …` writes like ZipUtils.zip, `unzip IN` reads like ZipUtils.unzip.
const JAVA = `import java.io.*; import java.util.*; import java.util.zip.*;
public class NacosZip { public static void main(String[] a) throws Exception {
  if (a[0].equals("zip")) { try (ZipOutputStream z = new ZipOutputStream(new FileOutputStream(a[1]))) {
    for (int i = 2; i < a.length; i += 2) { z.putNextEntry(new ZipEntry(a[i])); z.write(Base64.getDecoder().decode(a[i + 1])); } } }
  else { try (ZipInputStream z = new ZipInputStream(new FileInputStream(a[1]))) { ZipEntry e;
    while ((e = z.getNextEntry()) != null) { if (e.isDirectory()) continue; System.out.println(e.getName() + "\\t" + Base64.getEncoder().encodeToString(z.readAllBytes())); } } } } }`
const java = Bun.which('java')

describe.skipIf(!java)('interchange with java.util.zip', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bnacos-zip-'))
  writeFileSync(join(dir, 'NacosZip.java'), JAVA)
  const run = (...args: string[]) => {
    const p = Bun.spawnSync([java!, join(dir, 'NacosZip.java'), ...args])
    if (p.exitCode !== 0) throw new Error(p.stderr.toString())
    return p.stdout.toString()
  }

  test('a zip written by ZipOutputStream (Java Nacos export) imports here', async () => {
    const { app } = await seeded()
    const b64 = (s: string) => Buffer.from(s).toString('base64')
    const meta = 'metadata:\n- appName: j\n  dataId: java.json\n  desc: from java\n  group: JG\n  type: json\n'
    run('zip', join(dir, 'java.zip'), 'JG/java.json', b64('{"a":1}'), '.metadata.yml', b64(meta))
    const r = await upload(app, new Uint8Array(readFileSync(join(dir, 'java.zip'))), { namespace: 'dev' })
    expect(r.data.succCount).toBe(1)
    const got = await call(app, 'GET', CFG, { dataId: 'java.json', group: 'JG', tenant: 'dev' })
    expect([got.text, got.headers.get('Config-Type')]).toEqual(['{"a":1}', 'json'])
  }, 30_000)

  test('our export reads back through ZipInputStream entry by entry', async () => {
    const { app } = await seeded()
    await call(app, 'POST', CFG, { dataId: 'u.txt', group: 'G', content: 'ünïcödé ✓' })
    writeFileSync(join(dir, 'ours.zip'), new Uint8Array(await (await send(app, 'GET', { exportV2: 'true' })).arrayBuffer()))
    const entries = Object.fromEntries(run('unzip', join(dir, 'ours.zip')).trim().split('\n').map((l) => l.split('\t')).map(([n, b]) => [n, Buffer.from(b, 'base64').toString('utf8')]))
    expect(Object.keys(entries).sort()).toEqual(['.metadata.yml', 'G/app.yaml', 'G/u.txt', 'H/other'])
    expect(entries['G/u.txt']).toBe('ünïcödé ✓')
  }, 30_000)
})
