import { beforeAll, expect, test } from 'bun:test'
import { copyFileSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { TestClient } from '../support/nacos-grpc'
import { spawnServer } from '../support/process'

const root = join(import.meta.dir, '..', '..')
let bin: string

beforeAll(async () => {
  // Build the single executable and copy it alone into an empty directory: no node_modules, no drizzle/.
  const build = Bun.spawnSync([process.execPath, 'scripts/build.ts'], { cwd: root, env: { ...process.env, PATH: `${join(root, 'node_modules/.bin')}:${process.env.PATH}` } })
  if (build.exitCode !== 0) throw new Error(`build failed: ${build.stderr.toString()}`)
  const dir = mkdtempSync(join(tmpdir(), 'bnacos-bin-'))
  bin = join(dir, 'bnacos')
  copyFileSync(join(root, 'dist/bnacos'), bin)
  Bun.spawnSync(['chmod', '+x', bin])
}, 60_000)

test('the binary prints its version and help', () => {
  const v = Bun.spawnSync([bin, '--version'])
  expect(v.stdout.toString().trim()).toMatch(/^\d+\.\d+\.\d+/)
  const h = Bun.spawnSync([bin, '--help']).stdout.toString()
  for (const name of ['BNACOS_HTTP_PORT', 'BNACOS_GRPC_PORT', 'BNACOS_DATA_DIR', 'BNACOS_LOG_LEVEL']) expect(h).toContain(name)
})

test('the binary alone serves config over HTTP and gRPC', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'bnacos-bin-data-'))
  const s = await spawnServer({ BNACOS_DATA_DIR: dataDir }, [bin])
  try {
    const pub = await fetch(`${s.httpUrl}/nacos/v1/cs/configs`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'dataId=bin&group=SMOKE&content=hello' })
    expect(await pub.text()).toBe('true')
    const c = new TestClient(`127.0.0.1:${s.httpPort + 1000}`)
    await c.connect()
    const q = await c.request('ConfigQueryRequest', { dataId: 'bin', group: 'SMOKE', tenant: 'public' })
    expect(q.body.content).toBe('hello')
    c.close()
  } finally {
    s.proc.kill('SIGTERM')
    await s.proc.exited
  }
})

test('the binary alone serves naming over HTTP, answers metrics, and refuses a second process on its data dir', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'bnacos-bin-naming-'))
  const s = await spawnServer({ BNACOS_DATA_DIR: dataDir }, [bin])
  try {
    const reg = await fetch(`${s.httpUrl}/nacos/v1/ns/instance`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'serviceName=bin-svc&ip=10.9.0.1&port=8080&ephemeral=false' })
    expect(await reg.text()).toBe('ok')
    const list = (await (await fetch(`${s.httpUrl}/nacos/v1/ns/instance/list?serviceName=bin-svc`)).json()) as { hosts: { ip: string; port: number }[] }
    expect(list.hosts.map((h) => `${h.ip}:${h.port}`)).toEqual(['10.9.0.1:8080'])
    const metrics = await (await fetch(`${s.httpUrl}/nacos/actuator/prometheus`)).text()
    expect(metrics).toMatch(/^bnacos_instances 1$/m)
    const second = Bun.spawnSync([bin], { env: { ...process.env, BNACOS_DATA_DIR: dataDir, BNACOS_HOST: '127.0.0.1', BNACOS_HTTP_PORT: String(s.httpPort + 1) } })
    expect(second.exitCode).toBe(3)
    expect(second.stderr.toString()).toContain(`is in use by another bnacos server process (pid ${s.proc.pid}`)
  } finally {
    s.proc.kill('SIGTERM')
    await s.proc.exited
  }
  // The embedded migrations also verify a backup taken by the binary.
  const file = join(mkdtempSync(join(tmpdir(), 'bnacos-bin-backup-')), 'b.db')
  const backup = Bun.spawnSync([bin, 'backup', file, '--data-dir', dataDir])
  expect(backup.exitCode).toBe(0)
  const restore = Bun.spawnSync([bin, 'restore', file, '--data-dir', mkdtempSync(join(tmpdir(), 'bnacos-bin-restore-'))])
  expect(restore.stdout.toString()).toContain('persistent_instance=1')
  expect(restore.exitCode).toBe(0)
}, 30_000)
