// Operator edits of instances (PUT /nacos/v1/ns/instance) are stored in instance_overrides: a naming center
// rebuilt over the same database (a restart) loads them and lays them over the client's re-registration; the
// expiry sweep and a service delete remove the rows.
import { afterEach, beforeEach, describe, expect, test } from 'bun:test'
import { createNaming, type Naming } from '../../src/naming/center'
import { instanceHttpV1 } from '../../src/naming/http-instance'
import { serviceHttpV1 } from '../../src/naming/http-service'
import { registerForConnection } from '../../src/naming/instances'
import { openStorage, type SqliteStorage } from '../../src/storage/db'
import { sqliteNamingStore } from '../../src/naming/store-sqlite'
import { buildHttpApp } from '../../src/transport/http/app'
import { call, clock, type Clock, type Handler } from '../support/naming-memory'

const INSTANCE = '/nacos/v1/ns/instance'
const svc = { namespace: 'public', group: 'DEFAULT_GROUP', name: 'svc' }

let storage: SqliteStorage
let c: Clock
const centers: Naming[] = []
/** A naming center over the shared database, as a server process would build it at start. */
async function start(): Promise<{ n: Naming; http: Handler }> {
  const n = await createNaming(sqliteNamingStore(storage.db), { pushDelayMs: 20 }, c.now)
  centers.push(n)
  return { n, http: buildHttpApp([instanceHttpV1(n), serviceHttpV1(n, 20)]) }
}
beforeEach(async () => {
  storage = openStorage({ dataDir: ':memory:' })
  c = clock()
})
afterEach(async () => {
  for (const n of centers.splice(0)) n.pusher.stop()
  storage.close()
})

const register = (h: Handler, ip: string, extra: Record<string, string | number> = {}) => call(h, 'POST', INSTANCE, { serviceName: 'svc', ip, port: 8080, ...extra })
const edit = (h: Handler, ip: string, params: Record<string, string | number>) => call(h, 'PUT', INSTANCE, { serviceName: 'svc', ip, port: 8080, ...params })
const hosts = async (h: Handler) => (await call(h, 'GET', `${INSTANCE}/list`, { serviceName: 'svc' })).json().hosts
const rows = () => storage.sqlite.query('SELECT namespace_id, group_name, service_name, override_id, weight, enabled, metadata, missing_since FROM instance_overrides ORDER BY override_id').all()

describe('stored operator edits of instances', () => {
  test('an edit is written at once, loaded by a new center, and laid over the re-registration', async () => {
    const a = await start()
    expect((await register(a.http, '10.5.0.1', { metadata: '{"version":"1","zone":"a"}' })).text).toBe('ok')
    expect((await edit(a.http, '10.5.0.1', { weight: 5, metadata: '{"zone":"b"}' })).status).toBe(200)
    expect(rows()).toEqual([{ namespace_id: 'public', group_name: 'DEFAULT_GROUP', service_name: 'svc', override_id: '10.5.0.1:8080:DEFAULT', weight: 5, enabled: null, metadata: '{"zone":"b"}', missing_since: null }])
    // A second edit keeps what the first set and adds to it.
    expect((await edit(a.http, '10.5.0.1', { enabled: 'true' })).status).toBe(200)
    expect(rows()).toMatchObject([{ weight: 5, enabled: 1, metadata: '{"zone":"b"}' }])

    // Restart: ephemeral instances are gone, the edit is back in memory from the table.
    const b = await start()
    expect(await hosts(b.http)).toEqual([])
    expect(b.n.registry.overrides.get(svc, '10.5.0.1:8080:DEFAULT')).toEqual({ weight: 5, enabled: true, metadata: { zone: 'b' }, missingSince: undefined })
    await register(b.http, '10.5.0.1', { weight: 1, metadata: '{"version":"2","zone":"a"}' })
    expect((await hosts(b.http))[0]).toMatchObject({ ip: '10.5.0.1', weight: 5, metadata: { version: '2', zone: 'b' } })
    // The same for a gRPC client reconnecting after the restart; other instances are untouched.
    registerForConnection(b.n, 'conn-1', svc, { instanceId: '10.5.0.2#8080#DEFAULT#DEFAULT_GROUP@@svc', ip: '10.5.0.2', port: 8080, weight: 1, healthy: true, enabled: true, ephemeral: true, clusterName: 'DEFAULT', metadata: {} })
    expect((await hosts(b.http)).find((h: { ip: string }) => h.ip === '10.5.0.2').weight).toBe(1)
  })

  test('the sweep stores when an instance went missing, clears it when it is back, and deletes the row after the TTL', async () => {
    const a = await start()
    await register(a.http, '10.5.1.1')
    await register(a.http, '10.5.1.2')
    await edit(a.http, '10.5.1.1', { weight: 7 })
    await edit(a.http, '10.5.1.2', { weight: 8 })
    await call(a.http, 'DELETE', INSTANCE, { serviceName: 'svc', ip: '10.5.1.1', port: 8080 })
    await call(a.http, 'DELETE', INSTANCE, { serviceName: 'svc', ip: '10.5.1.2', port: 8080 })
    const goneAt = c.now()
    expect(a.n.registry.expireOverrides(60_000)).toBe(0)
    expect(rows()).toMatchObject([{ override_id: '10.5.1.1:8080:DEFAULT', missing_since: goneAt }, { override_id: '10.5.1.2:8080:DEFAULT', missing_since: goneAt }])

    c.advance(30_000)
    await register(a.http, '10.5.1.2')
    expect(a.n.registry.expireOverrides(60_000)).toBe(0)
    expect(rows()).toMatchObject([{ missing_since: goneAt }, { override_id: '10.5.1.2:8080:DEFAULT', missing_since: null }])

    c.advance(30_000)
    expect(a.n.registry.expireOverrides(60_000)).toBe(1)
    expect(rows()).toMatchObject([{ override_id: '10.5.1.2:8080:DEFAULT', weight: 8, missing_since: null }])
    expect((await start()).n.registry.overrides.size).toBe(1)
  })

  test('time the server was down does not count toward the TTL of a loaded edit', async () => {
    const a = await start()
    await register(a.http, '10.5.2.1')
    await edit(a.http, '10.5.2.1', { weight: 3 })
    await call(a.http, 'DELETE', INSTANCE, { serviceName: 'svc', ip: '10.5.2.1', port: 8080 })
    a.n.registry.expireOverrides(60_000)

    c.advance(3_600_000) // down for an hour
    const b = await start()
    expect(b.n.registry.overrides.get(svc, '10.5.2.1:8080:DEFAULT')?.missingSince).toBe(c.now())
    expect(b.n.registry.expireOverrides(60_000)).toBe(0)
    await register(b.http, '10.5.2.1')
    expect((await hosts(b.http))[0].weight).toBe(3)
    c.advance(60_000)
    expect(b.n.registry.expireOverrides(60_000)).toBe(0)
    expect(rows()).toMatchObject([{ weight: 3, missing_since: null }])
  })

  test('deleting a service deletes its stored edits, and only its own', async () => {
    const a = await start()
    await call(a.http, 'POST', '/nacos/v1/ns/service', { serviceName: 'svc' })
    await register(a.http, '10.5.3.1')
    await register(a.http, '10.5.3.9', { serviceName: 'other' })
    await edit(a.http, '10.5.3.1', { weight: 4 })
    await edit(a.http, '10.5.3.9', { serviceName: 'other', weight: 6 })
    await call(a.http, 'DELETE', INSTANCE, { serviceName: 'svc', ip: '10.5.3.1', port: 8080 })
    expect((await call(a.http, 'DELETE', '/nacos/v1/ns/service', { serviceName: 'svc' })).status).toBe(200)
    expect(rows()).toMatchObject([{ service_name: 'other', override_id: '10.5.3.9:8080:DEFAULT', weight: 6 }])

    const b = await start()
    expect(b.n.registry.overrides.size).toBe(1)
    await register(b.http, '10.5.3.1')
    expect((await hosts(b.http))[0].weight).toBe(1)
  })

  test('an edit the database refuses is an error and changes nothing in memory', async () => {
    const a = await start()
    await register(a.http, '10.5.4.1')
    storage.sqlite.run('DROP TABLE instance_overrides')
    const r = await edit(a.http, '10.5.4.1', { weight: 9 })
    expect(r.status).toBeGreaterThanOrEqual(500)
    expect(a.n.registry.overrides.size).toBe(0)
    expect((await hosts(a.http))[0].weight).toBe(1)
  })
})
