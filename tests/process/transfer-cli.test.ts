// `bnacos export` / `bnacos import` as real processes on temp data dirs: export beside a running server, import
// into a fresh dir, and the same configs, namespaces and users (passwords included) come out the other side.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { strFromU8, unzipSync } from 'fflate'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { spawnServer, type ServerProcess } from '../support/process'

const root = join(import.meta.dir, '..', '..')
const ADMIN_PW = 'admin-password-1'
const form = (o: Record<string, string>) => ({ method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(o).toString() })

/** Runs `bun src/main.ts …` to completion with the given data dir. */
async function cli(dataDir: string, ...args: string[]) {
  const p = Bun.spawn([process.execPath, 'src/main.ts', ...args], { cwd: root, env: { ...process.env, BNACOS_DATA_DIR: dataDir, BNACOS_LOG_LEVEL: 'warn' }, stdout: 'pipe', stderr: 'pipe' })
  const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited])
  return { code, out: out.trim(), err: err.trim() }
}

async function token(s: ServerProcess, username: string, password: string): Promise<string | undefined> {
  const r = await fetch(`${s.httpUrl}/nacos/v1/auth/users/login`, form({ username, password }))
  return r.status === 200 ? ((await r.json()) as { accessToken: string }).accessToken : undefined
}

/** What a data dir serves: namespaces, and every config of each as `ns|group|dataId|type|appName|content`. */
async function snapshot(s: ServerProcess, accessToken: string) {
  const ns = ((await (await fetch(`${s.httpUrl}/nacos/v1/console/namespaces?accessToken=${accessToken}`)).json()) as { data: { namespace: string; namespaceShowName: string }[] }).data
  const configs: string[] = []
  for (const n of ns) {
    const q = new URLSearchParams({ search: 'accurate', tenant: n.namespace, pageNo: '1', pageSize: '500', accessToken })
    const page = (await (await fetch(`${s.httpUrl}/nacos/v1/cs/configs?${q}`)).json()) as { pageItems: { dataId: string; group: string; type: string; appName: string; content: string; configTags: string }[] }
    for (const c of page.pageItems) configs.push([n.namespace || 'public', c.group, c.dataId, c.type, c.appName, c.configTags, c.content].join('|'))
  }
  return { namespaces: ns.map((n) => `${n.namespace}:${n.namespaceShowName}`).sort(), configs: configs.sort() }
}

let source: ServerProcess
let sourceDir: string
let adminToken: string
let before: Awaited<ReturnType<typeof snapshot>>
const file = join(mkdtempSync(join(tmpdir(), 'bnacos-export-')), 'all.zip')

beforeAll(async () => {
  sourceDir = mkdtempSync(join(tmpdir(), 'bnacos-src-'))
  source = await spawnServer({ BNACOS_DATA_DIR: sourceDir, BNACOS_INIT_ADMIN_PASSWORD: ADMIN_PW })
  adminToken = (await token(source, 'nacos', ADMIN_PW))!
  const post = (path: string, o: Record<string, string>) => fetch(`${source.httpUrl}${path}`, form({ ...o, accessToken: adminToken }))
  await post('/nacos/v1/console/namespaces', { customNamespaceId: 'dev', namespaceName: 'Development', namespaceDesc: 'dev env' })
  await post('/nacos/v1/cs/configs', { dataId: 'app.yaml', group: 'DEFAULT_GROUP', content: 'port: 8080\n', type: 'yaml', appName: 'shop', config_tags: 'a,b' })
  await post('/nacos/v1/cs/configs', { dataId: 'db.properties', group: 'DB', tenant: 'dev', content: 'url=jdbc:mysql://x\n', type: 'properties' })
  await post('/nacos/v1/auth/users', { username: 'alice', password: 'alice-password' })
  await post('/nacos/v1/auth/roles', { username: 'alice', role: 'dev-rw' })
  await post('/nacos/v1/auth/permissions', { role: 'dev-rw', resource: 'dev:*:*', action: 'rw' })
  before = await snapshot(source, adminToken)
  expect(before.configs.length).toBe(2)
})

afterAll(async () => {
  source.proc.kill('SIGTERM')
  await source.proc.exited
})

test('export runs beside the server; import into a fresh dir gives the same configs, namespaces and users', async () => {
  const exported = await cli(sourceDir, 'export', file)
  expect(exported).toMatchObject({ code: 0, err: '' })
  expect(exported.out).toBe(`exported 2 namespaces (2 configs), 2 users, 2 roles, 1 permission to ${file}`)
  const outer = unzipSync(new Uint8Array(readFileSync(file)))
  expect(Object.keys(outer).sort()).toEqual(['bnacos-export.yml', 'configs/dev.zip', 'configs/public.extra.yml', 'configs/public.zip', 'namespaces.yml', 'permissions.yml', 'roles.yml', 'users.yml'])
  // Each namespace's part is a Nacos v2 config zip on its own.
  expect(Object.keys(unzipSync(outer['configs/dev.zip'])).sort()).toEqual(['.metadata.yml', 'DB/db.properties'])
  expect(strFromU8(outer['users.yml'])).toContain('$2')

  const targetDir = mkdtempSync(join(tmpdir(), 'bnacos-dst-'))
  const imported = await cli(targetDir, 'import', file)
  expect(imported).toMatchObject({ code: 0, err: '' })
  expect(imported.out).toBe(`imported 2 configs, 1 namespace, 2 users, 2 roles, 1 permission from ${file} (policy abort)`)

  // Again with ABORT: the configs exist now, so nothing is written and the exit code says so.
  const again = await cli(targetDir, 'import', file)
  expect(again.code).toBe(1)
  expect(again.err).toContain('import aborted, nothing written')
  expect((await cli(targetDir, 'import', file, '--policy', 'skip')).out).toStartWith('imported 0 configs (2 skipped)')

  const target = await spawnServer({ BNACOS_DATA_DIR: targetDir })
  try {
    // No bootstrap admin was made: the imported one, with its password, is the admin.
    const t = await token(target, 'nacos', ADMIN_PW)
    expect(t).toBeDefined()
    expect(await token(target, 'alice', 'alice-password')).toBeDefined()
    expect(await snapshot(target, t!)).toEqual(before)
  } finally {
    target.proc.kill('SIGTERM')
    await target.proc.exited
  }
}, 60_000)

test('import refuses a data dir a server is using', async () => {
  const r = await cli(sourceDir, 'import', file, '--policy', 'overwrite')
  expect(r.code).not.toBe(0)
  expect(r.err).toContain('in use')
}, 20_000)

test('a plain Nacos zip imports into --namespace; bad usage exits 2', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bnacos-plain-'))
  const nacosZip = join(dir, '..', `nacos-${Date.now()}.zip`)
  const z = await fetch(`${source.httpUrl}/nacos/v1/cs/configs?exportV2=true&tenant=dev&accessToken=${adminToken}`)
  await Bun.write(nacosZip, await z.arrayBuffer())
  const r = await cli(dir, 'import', nacosZip, '--namespace', 'dev')
  expect(r).toMatchObject({ code: 0, out: `imported 1 config, 1 namespace, 0 users, 0 roles, 0 permissions from ${nacosZip} (policy abort)` })
  expect((await cli(dir, 'import', nacosZip, '--policy', 'merge')).code).toBe(2)
  expect((await cli(dir, 'export')).code).toBe(2)
}, 30_000)
