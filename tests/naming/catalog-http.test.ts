// The console's catalog views (/nacos/v1/ns/catalog/service, /instances) and operator edits of instances that
// outlive the client's re-registration (Nacos InstanceMetadata).
import { afterEach, beforeEach, describe, expect, test } from 'bun:test'
import { call, fakeConnection, namingApp, rpc, type NamingApp } from '../support/naming-memory'

let t: NamingApp
beforeEach(async () => (t = await namingApp()))
afterEach(async () => t.close())

const register = (serviceName: string, ip: string, extra: Record<string, string | number> = {}) => call(t.app, 'POST', '/nacos/v1/ns/instance', { serviceName, ip, port: 8080, ...extra })
const hosts = async (serviceName: string) => (await call(t.app, 'GET', '/nacos/v1/ns/instance/list', { serviceName })).json().hosts
const edit = (params: Record<string, string | number>) => call(t.app, 'PUT', '/nacos/v1/ns/instance', { serviceName: 'svc', port: 8080, ...params })

describe('GET /nacos/v1/ns/catalog/service', () => {
  test('describes the service settings and the clusters its instances live in', async () => {
    await call(t.app, 'POST', '/nacos/v1/ns/service', { serviceName: 'svc', groupName: 'G', protectThreshold: '0.3', metadata: '{"owner":"ops"}' })
    await register('svc', '10.1.0.1', { groupName: 'G', clusterName: 'A' })
    await register('svc', '10.1.0.2', { groupName: 'G', clusterName: 'B' })
    const r = await call(t.app, 'GET', '/nacos/v1/ns/catalog/service', { serviceName: 'svc', groupName: 'G' })
    expect(r.status).toBe(200)
    const body = r.json()
    expect(body.service).toMatchObject({ name: 'svc', groupName: 'G', namespaceId: 'public', protectThreshold: 0.3, metadata: { owner: 'ops' }, selector: { type: 'none' }, ephemeral: true })
    expect(body.clusters.map((c: { name: string }) => c.name).sort()).toEqual(['A', 'B'])
    expect(body.clusters[0]).toMatchObject({ healthChecker: { type: 'TCP' }, metadata: {} })
  })

  test('an unknown service is a readable 404', async () => {
    const r = await call(t.app, 'GET', '/nacos/v1/ns/catalog/service', { serviceName: 'nope' })
    expect(r.status).toBe(404)
    expect(r.text).toContain('DEFAULT_GROUP@@nope is not found')
  })

  test('a missing serviceName is a 400', async () => {
    expect((await call(t.app, 'GET', '/nacos/v1/ns/catalog/service', {})).status).toBe(400)
  })
})

describe('GET /nacos/v1/ns/catalog/services', () => {
  test('hasIpCount=true hides services without instances (the console\'s "hide empty services")', async () => {
    await call(t.app, 'POST', '/nacos/v1/ns/service', { serviceName: 'empty' })
    await register('full', '10.0.9.1')
    const names = async (params: Record<string, string>) => (await call(t.app, 'GET', '/nacos/v1/ns/catalog/services', params)).json().serviceList.map((s: { name: string }) => s.name)
    expect(await names({})).toEqual(['empty', 'full'])
    expect(await names({ hasIpCount: 'true' })).toEqual(['full'])
  })
})

describe('GET /nacos/v1/ns/catalog/instances', () => {
  test('pages the instances, sorted, with their metadata; a cluster narrows them', async () => {
    for (let i = 1; i <= 5; i++) await register('svc', `10.2.0.${i}`, { clusterName: i % 2 ? 'ODD' : 'EVEN', metadata: `{"n":"${i}"}` })
    const first = (await call(t.app, 'GET', '/nacos/v1/ns/catalog/instances', { serviceName: 'svc', pageNo: 1, pageSize: 2 })).json()
    expect(first.count).toBe(5)
    expect(first.list.map((i: { ip: string }) => i.ip)).toEqual(['10.2.0.2', '10.2.0.4'])
    expect(first.list[0]).toMatchObject({ port: 8080, clusterName: 'EVEN', weight: 1, healthy: true, enabled: true, ephemeral: true, metadata: { n: '2' }, serviceName: 'DEFAULT_GROUP@@svc' })
    const third = (await call(t.app, 'GET', '/nacos/v1/ns/catalog/instances', { serviceName: 'svc', pageNo: 3, pageSize: 2 })).json()
    expect(third.list.map((i: { ip: string }) => i.ip)).toEqual(['10.2.0.5'])
    const odd = (await call(t.app, 'GET', '/nacos/v1/ns/catalog/instances', { serviceName: 'svc', clusterName: 'ODD', pageSize: 10 })).json()
    expect(odd.count).toBe(3)
    expect(odd.list.every((i: { clusterName: string }) => i.clusterName === 'ODD')).toBe(true)
  })

  test('an unknown cluster or service is a 404', async () => {
    await register('svc', '10.2.1.1')
    expect((await call(t.app, 'GET', '/nacos/v1/ns/catalog/instances', { serviceName: 'svc', clusterName: 'NOPE' })).status).toBe(404)
    expect((await call(t.app, 'GET', '/nacos/v1/ns/catalog/instances', { serviceName: 'other' })).status).toBe(404)
  })

  test('bad paging input is a 400', async () => {
    await register('svc', '10.2.2.1')
    expect((await call(t.app, 'GET', '/nacos/v1/ns/catalog/instances', { serviceName: 'svc', pageNo: 'x' })).status).toBe(400)
  })
})

describe('operator edits of instances (PUT /nacos/v1/ns/instance)', () => {
  test('an edit of an HTTP instance survives its re-registration; client metadata keys are kept under it', async () => {
    await register('svc', '10.3.0.1', { metadata: '{"version":"1","zone":"a"}' })
    expect((await edit({ ip: '10.3.0.1', weight: 5, metadata: '{"zone":"b"}' })).status).toBe(200)
    expect((await hosts('svc'))[0]).toMatchObject({ weight: 5, metadata: { zone: 'b' } })
    // The client registers again with its own values (after expiry or a restart): the operator's stay on top.
    await register('svc', '10.3.0.1', { weight: 1, metadata: '{"version":"2","zone":"a"}' })
    expect((await hosts('svc'))[0]).toMatchObject({ weight: 5, metadata: { version: '2', zone: 'b' } })
  })

  test('an edit of a gRPC instance survives the connection re-registering', async () => {
    const inst = { ip: '10.3.1.1', port: 8080, weight: 1, healthy: true, enabled: true, ephemeral: true, clusterName: 'DEFAULT', metadata: { app: 'shop' } }
    const body = { namespace: 'public', groupName: 'DEFAULT_GROUP', serviceName: 'svc', type: 'registerInstance', instance: inst }
    const c1 = fakeConnection('conn-1')
    await rpc(t.app, 'InstanceRequest', body, c1)
    expect((await edit({ ip: '10.3.1.1', enabled: 'false', weight: 3 })).status).toBe(200)
    // A disabled instance is left out of what clients see.
    expect(await hosts('svc')).toEqual([])
    c1.close()
    t.n.registry.removeClient('conn-1')
    await rpc(t.app, 'InstanceRequest', body, fakeConnection('conn-2'))
    const r = (await call(t.app, 'GET', '/nacos/v1/ns/catalog/instances', { serviceName: 'svc' })).json()
    expect(r.list).toHaveLength(1)
    expect(r.list[0]).toMatchObject({ ip: '10.3.1.1', enabled: false, weight: 3, metadata: { app: 'shop' } })
  })

  test('an edit of an unknown instance is a 404 and records nothing', async () => {
    await register('svc', '10.3.2.1')
    expect((await edit({ ip: '10.3.2.9', weight: 2 })).status).toBe(404)
    expect(t.n.registry.overrides.size).toBe(0)
  })

  test('edits of instances gone for the TTL are forgotten; present ones are kept', async () => {
    await register('svc', '10.3.3.1')
    await register('svc', '10.3.3.2')
    await edit({ ip: '10.3.3.1', weight: 7 })
    await edit({ ip: '10.3.3.2', weight: 8 })
    await call(t.app, 'DELETE', '/nacos/v1/ns/instance', { serviceName: 'svc', ip: '10.3.3.1', port: 8080 })
    expect(t.n.registry.expireOverrides(0)).toBe(0) // first sweep notes it missing
    expect(t.n.registry.expireOverrides(0)).toBe(1)
    expect(t.n.registry.overrides.size).toBe(1)
    await register('svc', '10.3.3.1')
    expect((await hosts('svc')).find((h: { ip: string }) => h.ip === '10.3.3.1').weight).toBe(1)
  })
})
