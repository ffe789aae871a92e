// The v2 naming OpenAPI (/nacos/v2/ns): the same operations in the {code:0,message:"success",data} envelope,
// errors with an HTTP status and a non-zero code.
import { afterEach, beforeEach, describe, expect, test } from 'bun:test'
import { call, namingApp, type NamingApp } from '../support/naming-memory'

const V2 = '/nacos/v2/ns'
let t: NamingApp
beforeEach(async () => (t = await namingApp()))
afterEach(async () => t.close())

const ok = (r: { status: number; json(): any }) => {
  expect(r.status).toBe(200)
  const body = r.json()
  expect(body).toMatchObject({ code: 0, message: 'success' })
  return body.data
}
const register = (params: Record<string, string | number>) => call(t.app, 'POST', `${V2}/instance`, { groupName: 'G', ...params })
const list = async (params: Record<string, string | number>) => ok(await call(t.app, 'GET', `${V2}/instance/list`, { groupName: 'G', ...params }))

describe('v2 instances', () => {
  test('register answers data "ok"; list returns the ServiceInfo with the grouped name in data', async () => {
    expect(ok(await register({ serviceName: 'v2svc', ip: '10.5.0.1', port: 80, weight: 2, metadata: '{"k":"v"}' }))).toBe('ok')
    const info = await list({ serviceName: 'v2svc' })
    expect(info).toMatchObject({ name: 'G@@v2svc', groupName: 'G', reachProtectionThreshold: false })
    expect(info.hosts).toEqual([expect.objectContaining({ ip: '10.5.0.1', port: 80, weight: 2, metadata: { k: 'v' }, serviceName: 'G@@v2svc', healthy: true })])
  })

  test('list filters by clusterName (InstanceControllerV2 takes clusterName, not clusters)', async () => {
    await register({ serviceName: 'v2c', ip: '10.5.1.1', port: 1, clusterName: 'A' })
    await register({ serviceName: 'v2c', ip: '10.5.1.2', port: 1, clusterName: 'B' })
    const info = await list({ serviceName: 'v2c', clusterName: 'A' })
    expect(info.hosts.map((h: any) => h.ip)).toEqual(['10.5.1.1'])
    expect(info.clusters).toBe('A')
  })

  test('healthyOnly applies in v2 too', async () => {
    await register({ serviceName: 'v2h', ip: '10.5.2.1', port: 1 })
    await register({ serviceName: 'v2h', ip: '10.5.2.2', port: 1, healthy: 'false' })
    expect((await list({ serviceName: 'v2h', healthyOnly: 'true' })).hosts.map((h: any) => h.ip)).toEqual(['10.5.2.1'])
  })

  test('GET /instance returns the detail (InstanceDetailInfoVo: serviceName, ip, port, clusterName, weight, healthy, instanceId, metadata)', async () => {
    await register({ serviceName: 'v2d', ip: '10.5.3.1', port: 7, weight: 3, metadata: 'a=b' })
    const d = ok(await call(t.app, 'GET', `${V2}/instance`, { serviceName: 'v2d', groupName: 'G', ip: '10.5.3.1', port: 7 }))
    expect(d).toMatchObject({ ip: '10.5.3.1', port: 7, clusterName: 'DEFAULT', weight: 3, healthy: true, instanceId: '10.5.3.1#7#DEFAULT#G@@v2d', metadata: { a: 'b' } })
    expect(d.serviceName).toBe('G@@v2d')
  })

  test('PUT updates and DELETE removes, both answering data "ok"', async () => {
    await register({ serviceName: 'v2u', ip: '10.5.4.1', port: 1 })
    expect(ok(await call(t.app, 'PUT', `${V2}/instance`, { serviceName: 'v2u', groupName: 'G', ip: '10.5.4.1', port: 1, weight: 6 }))).toBe('ok')
    expect((await list({ serviceName: 'v2u' })).hosts[0].weight).toBe(6)
    expect(ok(await call(t.app, 'DELETE', `${V2}/instance`, { serviceName: 'v2u', groupName: 'G', ip: '10.5.4.1', port: 1 }))).toBe('ok')
    expect((await list({ serviceName: 'v2u' })).hosts).toEqual([])
  })
})

describe('v2 services', () => {
  test('create, describe, update, list {count, services} and delete', async () => {
    expect(ok(await call(t.app, 'POST', `${V2}/service`, { serviceName: 'v2s', groupName: 'G', protectThreshold: '0.3', metadata: 'team=a' }))).toBe('ok')
    const d = ok(await call(t.app, 'GET', `${V2}/service`, { serviceName: 'v2s', groupName: 'G' }))
    expect(d).toMatchObject({ namespaceId: 'public', groupName: 'G', protectThreshold: 0.3, metadata: { team: 'a' } })
    // v2 PUT does not require protectThreshold (ServiceForm defaults it).
    expect(ok(await call(t.app, 'PUT', `${V2}/service`, { serviceName: 'v2s', groupName: 'G', metadata: 'team=b' }))).toBe('ok')
    expect(ok(await call(t.app, 'GET', `${V2}/service`, { serviceName: 'v2s', groupName: 'G' })).metadata).toEqual({ team: 'b' })
    await call(t.app, 'POST', `${V2}/service`, { serviceName: 'v2t', groupName: 'G' })
    const page = ok(await call(t.app, 'GET', `${V2}/service/list`, { groupName: 'G', pageNo: 1, pageSize: 1 }))
    expect(page.count).toBe(2)
    expect(page.services).toHaveLength(1)
    expect(['v2s', 'v2t']).toContain(page.services[0])
    expect(ok(await call(t.app, 'DELETE', `${V2}/service`, { serviceName: 'v2s', groupName: 'G' }))).toBe('ok')
    expect(ok(await call(t.app, 'GET', `${V2}/service/list`, { groupName: 'G', pageNo: 1, pageSize: 10 }))).toEqual({ count: 1, services: ['v2t'] })
  })

  test('deleting a service with instances is a 400 envelope and keeps it', async () => {
    await register({ serviceName: 'v2busy', ip: '10.5.5.1', port: 1 })
    const r = await call(t.app, 'DELETE', `${V2}/service`, { serviceName: 'v2busy', groupName: 'G' })
    expect(r.status).toBe(400)
    expect(r.json().code).not.toBe(0)
    expect((await list({ serviceName: 'v2busy' })).hosts).toHaveLength(1)
  })
})

describe('v2 errors', () => {
  test('invalid input is HTTP 400 with a non-zero code and a message, and registers nothing', async () => {
    const bads: Record<string, string | number>[] = [{ ip: 'not an ip!', port: 1 }, { ip: '10.5.6.1', port: 'x' }, { ip: '10.5.6.1', port: 1, weight: -1 }, { ip: '10.5.6.1', port: 1, clusterName: 'a_b' }]
    for (const bad of bads) {
      const r = await register({ serviceName: 'v2bad', ...bad })
      expect(r.status).toBe(400)
      const body = r.json()
      expect(body.code).not.toBe(0)
      expect(typeof body.message).toBe('string')
    }
    expect((await list({ serviceName: 'v2bad' })).hosts).toEqual([])
  })

  test('a missing serviceName is 400 with code 10000 (PARAMETER_MISSING)', async () => {
    const r = await call(t.app, 'POST', `${V2}/instance`, { ip: '10.5.7.1', port: 1 })
    expect(r.status).toBe(400)
    expect(r.json().code).toBe(10000)
  })

  test('an unknown service is a 400 envelope for GET /service (Nacos: INVALID_PARAM, SERVICE_NOT_EXIST)', async () => {
    const r = await call(t.app, 'GET', `${V2}/service`, { serviceName: 'ghost', groupName: 'G' })
    expect(r.status).toBe(400)
    expect(r.json().code).not.toBe(0)
  })

  test('an unknown instance detail is a 404 envelope', async () => {
    const r = await call(t.app, 'GET', `${V2}/instance`, { serviceName: 'ghost', groupName: 'G', ip: '10.5.8.1', port: 1 })
    expect(r.status).toBe(404)
    expect(r.json().code).not.toBe(0)
  })
})
