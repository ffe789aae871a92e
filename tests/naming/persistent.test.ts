// Persistent (ephemeral=false) instances: stored, reloaded after a restart, never mixed with ephemeral ones in
// a service, and health-checked over TCP by the server.
import { afterEach, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { checkPersistent } from '../../src/naming/health'
import { call, namingApp, type NamingApp } from '../support/naming-memory'

const INSTANCE = '/nacos/v1/ns/instance'
const open: NamingApp[] = []
const dirs: string[] = []
async function start(dir: string | ':memory:' = ':memory:') {
  const t = await namingApp(dir)
  open.push(t)
  return t
}
function tempDir() {
  const d = mkdtempSync(join(tmpdir(), 'bnacos-naming-'))
  dirs.push(d)
  return d
}
afterEach(async () => {
  for (const t of open.splice(0)) {
    try {
      t.close()
    } catch {}
  }
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

const hosts = async (t: NamingApp, serviceName: string) => (await call(t.app, 'GET', `${INSTANCE}/list`, { serviceName })).json().hosts
const rows = (t: NamingApp) => (t.storage.sqlite.query('SELECT ip, port, weight, healthy FROM persistent_instance ORDER BY ip').all() as any[])

/** A port nobody listens on right now. */
function closedPort(): number {
  const s = Bun.listen({ hostname: '127.0.0.1', port: 0, socket: { data() {} } })
  const port = s.port
  s.stop(true)
  return port
}

describe('persistence', () => {
  test('ephemeral=false over HTTP is stored and survives a restart; ephemeral ones do not', async () => {
    const dir = tempDir()
    const a = await start(dir)
    expect((await call(a.app, 'POST', INSTANCE, { serviceName: 'db', ip: '10.3.0.1', port: 3306, ephemeral: 'false', weight: 2, metadata: 'role=primary' })).text).toBe('ok')
    await call(a.app, 'POST', INSTANCE, { serviceName: 'cache', ip: '10.3.0.2', port: 6379 })
    expect(await hosts(a, 'db')).toMatchObject([{ ip: '10.3.0.1', ephemeral: false }])
    expect(rows(a)).toEqual([{ ip: '10.3.0.1', port: 3306, weight: 2, healthy: 1 }])
    a.close()
    open.length = 0

    const b = await start(dir)
    const [h] = await hosts(b, 'db')
    expect(h).toMatchObject({ instanceId: '10.3.0.1#3306#DEFAULT#DEFAULT_GROUP@@db', ip: '10.3.0.1', port: 3306, weight: 2, ephemeral: false, healthy: true, metadata: { role: 'primary' } })
    expect(await hosts(b, 'cache')).toEqual([])
  })

  test('update and deregister of a persistent instance are stored too', async () => {
    const dir = tempDir()
    const a = await start(dir)
    await call(a.app, 'POST', INSTANCE, { serviceName: 'db', ip: '10.3.1.1', port: 1, ephemeral: 'false' })
    await call(a.app, 'POST', INSTANCE, { serviceName: 'db', ip: '10.3.1.2', port: 1, ephemeral: 'false' })
    expect((await call(a.app, 'PUT', INSTANCE, { serviceName: 'db', ip: '10.3.1.1', port: 1, weight: 9, ephemeral: 'false' })).text).toBe('ok')
    expect((await call(a.app, 'DELETE', INSTANCE, { serviceName: 'db', ip: '10.3.1.2', port: 1, ephemeral: 'false' })).text).toBe('ok')
    a.close()
    open.length = 0
    const b = await start(dir)
    expect((await hosts(b, 'db')).map((h: any) => [h.ip, h.weight])).toEqual([['10.3.1.1', 9]])
  })

  test('a created service and its protect threshold survive a restart', async () => {
    const dir = tempDir()
    const a = await start(dir)
    await call(a.app, 'POST', '/nacos/v1/ns/service', { serviceName: 'kept', groupName: 'G', protectThreshold: '0.5', metadata: 'owner=ops' })
    a.close()
    open.length = 0
    const b = await start(dir)
    const r = await call(b.app, 'GET', '/nacos/v1/ns/service', { serviceName: 'kept', groupName: 'G' })
    expect(r.status).toBe(200)
    expect(r.json()).toMatchObject({ name: 'kept', groupName: 'G', protectThreshold: 0.5, metadata: { owner: 'ops' } })
  })
})

describe('ephemeral and persistent never mix in one service', () => {
  test('a persistent register into an ephemeral service is a 400 and changes nothing', async () => {
    const t = await start()
    await call(t.app, 'POST', INSTANCE, { serviceName: 'mix', ip: '10.3.2.1', port: 1 })
    const r = await call(t.app, 'POST', INSTANCE, { serviceName: 'mix', ip: '10.3.2.2', port: 1, ephemeral: 'false' })
    expect(r.status).toBe(400)
    expect(r.text).toContain('ephemeral service')
    expect((await hosts(t, 'mix')).map((h: any) => [h.ip, h.ephemeral])).toEqual([['10.3.2.1', true]])
    expect(rows(t)).toEqual([])
  })

  test('an ephemeral register into a persistent service is a 400 and changes nothing', async () => {
    const t = await start()
    await call(t.app, 'POST', INSTANCE, { serviceName: 'mix', ip: '10.3.3.1', port: 1, ephemeral: 'false' })
    const r = await call(t.app, 'POST', INSTANCE, { serviceName: 'mix', ip: '10.3.3.2', port: 1 })
    expect(r.status).toBe(400)
    expect(r.text).toContain('persistent service')
    expect((await hosts(t, 'mix')).map((h: any) => [h.ip, h.ephemeral])).toEqual([['10.3.3.1', false]])
    expect(rows(t)).toHaveLength(1)
    // A full beat is an ephemeral registration as well.
    const b = await call(t.app, 'PUT', `${INSTANCE}/beat`, { serviceName: 'DEFAULT_GROUP@@mix', beat: JSON.stringify({ ip: '10.3.3.3', port: 1, cluster: 'DEFAULT' }) })
    expect(b.status).toBe(400)
    expect(await hosts(t, 'mix')).toHaveLength(1)
  })

  test('once the last instance is gone the service takes either kind again', async () => {
    const t = await start()
    await call(t.app, 'POST', INSTANCE, { serviceName: 'mix', ip: '10.3.4.1', port: 1, ephemeral: 'false' })
    await call(t.app, 'DELETE', INSTANCE, { serviceName: 'mix', ip: '10.3.4.1', port: 1, ephemeral: 'false' })
    expect((await call(t.app, 'POST', INSTANCE, { serviceName: 'mix', ip: '10.3.4.2', port: 1 })).text).toBe('ok')
  })
})

describe('TCP health check of persistent instances', () => {
  test('unhealthy while nothing listens, healthy once a server is up on the port, stored either way', async () => {
    const t = await start()
    const port = closedPort()
    await call(t.app, 'POST', INSTANCE, { serviceName: 'tcp', ip: '127.0.0.1', port, ephemeral: 'false' })
    await checkPersistent(t.n, 1000)
    expect((await hosts(t, 'tcp'))[0].healthy).toBe(false)
    expect(rows(t)[0].healthy).toBe(0)

    const server = Bun.listen({ hostname: '127.0.0.1', port, socket: { data() {} } })
    try {
      await checkPersistent(t.n, 1000)
      expect((await hosts(t, 'tcp'))[0].healthy).toBe(true)
      expect(rows(t)[0].healthy).toBe(1)
    } finally {
      server.stop(true)
    }
    await checkPersistent(t.n, 1000)
    expect((await hosts(t, 'tcp'))[0].healthy).toBe(false)
  })

  test('ephemeral instances are left to their beats, not probed', async () => {
    const t = await start()
    await call(t.app, 'POST', INSTANCE, { serviceName: 'tcp2', ip: '127.0.0.1', port: closedPort() })
    await checkPersistent(t.n, 500)
    expect((await hosts(t, 'tcp2'))[0].healthy).toBe(true)
  })
})
