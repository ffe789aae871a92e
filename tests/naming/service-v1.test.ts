// Service CRUD and the list/catalog/operator/subscriber views under /nacos/v1/ns.
import { afterEach, beforeEach, describe, expect, test } from 'bun:test'
import { call, fakeConnection, listening, namingApp, rpc, type NamingApp } from '../support/naming-memory'

const SERVICE = '/nacos/v1/ns/service'
let t: NamingApp
beforeEach(async () => (t = await namingApp()))
afterEach(async () => t.close())

const register = (serviceName: string, ip: string, extra: Record<string, string | number> = {}) => call(t.app, 'POST', '/nacos/v1/ns/instance', { serviceName, ip, port: 1, ...extra })
const detail = (params: Record<string, string>) => call(t.app, 'GET', SERVICE, params)

describe('service CRUD', () => {
  test('POST creates a service GET then describes; a second POST is a 400', async () => {
    expect(await call(t.app, 'POST', SERVICE, { serviceName: 's1', groupName: 'G', protectThreshold: '0.25', metadata: '{"owner":"ops"}', selector: '{"type":"none"}' })).toMatchObject({ status: 200, text: 'ok' })
    const r = await detail({ serviceName: 's1', groupName: 'G' })
    expect(r.status).toBe(200)
    expect(r.json()).toEqual({ namespaceId: 'public', groupName: 'G', name: 's1', protectThreshold: 0.25, metadata: { owner: 'ops' }, selector: { type: 'none' }, clusters: [] })
    const again = await call(t.app, 'POST', SERVICE, { serviceName: 's1', groupName: 'G' })
    expect(again.status).toBe(400)
    expect((await detail({ serviceName: 's1', groupName: 'G' })).json().protectThreshold).toBe(0.25)
  })

  test('POST for a service that already exists implicitly (it has instances) is a 400 and changes nothing', async () => {
    await register('implicit', '10.4.0.9')
    const r = await call(t.app, 'POST', SERVICE, { serviceName: 'implicit', protectThreshold: '0.9' })
    expect(r.status).toBe(400)
    expect(r.text).toContain('already exists')
    expect((await detail({ serviceName: 'implicit' })).json().protectThreshold).toBe(0)
  })

  test('GET lists the clusters instances live in, with their health checker', async () => {
    await register('s2', '10.4.0.1', { clusterName: 'A' })
    const r = await detail({ serviceName: 's2' })
    expect(r.json()).toMatchObject({ name: 's2', groupName: 'DEFAULT_GROUP', protectThreshold: 0, clusters: [{ name: 'A', healthChecker: { type: 'TCP' }, metadata: {} }] })
  })

  test('PUT requires protectThreshold, checks its range, and updates threshold and metadata', async () => {
    await call(t.app, 'POST', SERVICE, { serviceName: 's3' })
    expect((await call(t.app, 'PUT', SERVICE, { serviceName: 's3', metadata: 'a=1' })).status).toBe(400)
    expect((await call(t.app, 'PUT', SERVICE, { serviceName: 's3', protectThreshold: '2' })).status).toBe(400)
    expect((await call(t.app, 'PUT', SERVICE, { serviceName: 's3', protectThreshold: 'abc' })).status).toBe(400)
    expect((await detail({ serviceName: 's3' })).json()).toMatchObject({ protectThreshold: 0, metadata: {} })
    expect((await call(t.app, 'PUT', SERVICE, { serviceName: 's3', protectThreshold: '0.8', metadata: 'a=1' })).text).toBe('ok')
    expect((await detail({ serviceName: 's3' })).json()).toMatchObject({ protectThreshold: 0.8, metadata: { a: '1' } })
  })

  test('DELETE is refused (400) while the service has instances, and works once they are gone', async () => {
    await register('s4', '10.4.1.1')
    const refused = await call(t.app, 'DELETE', SERVICE, { serviceName: 's4' })
    expect(refused.status).toBe(400)
    expect((await detail({ serviceName: 's4' })).status).toBe(200)
    expect((await call(t.app, 'GET', '/nacos/v1/ns/instance/list', { serviceName: 's4' })).json().hosts).toHaveLength(1)
    await call(t.app, 'DELETE', '/nacos/v1/ns/instance', { serviceName: 's4', ip: '10.4.1.1', port: 1 })
    expect(await call(t.app, 'DELETE', SERVICE, { serviceName: 's4' })).toMatchObject({ status: 200, text: 'ok' })
    expect((await call(t.app, 'GET', `${SERVICE}/list`, { pageNo: 1, pageSize: 10 })).json()).toEqual({ count: 0, doms: [] })
  })

  test('an unknown service is a 400 "service not found" for GET, PUT and DELETE (Nacos INVALID_PARAM)', async () => {
    const seen: Record<string, [number, boolean]> = {}
    for (const [method, extra] of [['GET', {}], ['PUT', { protectThreshold: '0.1' }], ['DELETE', {}]] as const) {
      const r = await call(t.app, method, SERVICE, { serviceName: 'nope', ...extra })
      seen[method] = [r.status, r.text.includes('not found')]
    }
    expect(seen).toEqual({ GET: [400, true], PUT: [400, true], DELETE: [400, true] })
    expect((await call(t.app, 'GET', `${SERVICE}/list`, { pageNo: 1, pageSize: 10 })).json().count).toBe(0)
  })
})

describe('service list and catalog', () => {
  test('/service/list pages {count, doms} of one group, names without the group', async () => {
    for (const s of ['a', 'b', 'c']) await register(s, '10.4.2.1')
    await register('G@@x', '10.4.2.1')
    await register('other', '10.4.2.1', { namespaceId: 'dev' })
    const p1 = (await call(t.app, 'GET', `${SERVICE}/list`, { pageNo: 1, pageSize: 2 })).json()
    const p2 = (await call(t.app, 'GET', `${SERVICE}/list`, { pageNo: 2, pageSize: 2 })).json()
    expect(p1.count).toBe(3)
    expect(p2.count).toBe(3)
    expect(p1.doms).toHaveLength(2)
    expect(p2.doms).toHaveLength(1)
    expect([...p1.doms, ...p2.doms].sort()).toEqual(['a', 'b', 'c'])
    expect((await call(t.app, 'GET', `${SERVICE}/list`, { pageNo: 3, pageSize: 2 })).json()).toEqual({ count: 3, doms: [] })
    expect((await call(t.app, 'GET', `${SERVICE}/list`, { pageNo: 1, pageSize: 10, groupName: 'G' })).json()).toEqual({ count: 1, doms: ['x'] })
    expect((await call(t.app, 'GET', `${SERVICE}/list`, { pageNo: 1, pageSize: 10, namespaceId: 'dev' })).json()).toEqual({ count: 1, doms: ['other'] })
  })

  test('/catalog/services counts clusters, instances and healthy instances per service', async () => {
    await register('cat', '10.4.3.1', { clusterName: 'A' })
    await register('cat', '10.4.3.2', { clusterName: 'B', healthy: 'false' })
    await register('dog', '10.4.3.3')
    const r = (await call(t.app, 'GET', '/nacos/v1/ns/catalog/services', { pageNo: 1, pageSize: 10 })).json()
    expect(r.count).toBe(2)
    const cat = r.serviceList.find((s: any) => s.name === 'cat')
    expect(cat).toMatchObject({ name: 'cat', groupName: 'DEFAULT_GROUP', clusterCount: 2, ipCount: 2, healthyInstanceCount: 1 })
    const only = (await call(t.app, 'GET', '/nacos/v1/ns/catalog/services', { pageNo: 1, pageSize: 10, serviceNameParam: 'do' })).json()
    expect(only.serviceList.map((s: any) => s.name)).toEqual(['dog'])
  })
})

describe('operator views', () => {
  test('/operator/metrics answers exactly {"status":"UP"} by default, counts with onlyStatus=false', async () => {
    const r = await call(t.app, 'GET', '/nacos/v1/ns/operator/metrics')
    expect(r.status).toBe(200)
    expect(r.json()).toEqual({ status: 'UP' })
    expect((await call(t.app, 'GET', '/nacos/v1/ns/ops/metrics')).json()).toEqual({ status: 'UP' })
    await register('m1', '10.4.4.1')
    await register('m1', '10.4.4.2')
    await register('m2', '10.4.4.3')
    const full = (await call(t.app, 'GET', '/nacos/v1/ns/operator/metrics', { onlyStatus: 'false' })).json()
    expect(full).toMatchObject({ status: 'UP', serviceCount: 2, instanceCount: 3 })
  })

  test('/operator/switches reports the switch domain', async () => {
    const r = await call(t.app, 'GET', '/nacos/v1/ns/operator/switches')
    expect(r.status).toBe(200)
    expect(r.json()).toMatchObject({ name: '00-00---000-NACOS_SWITCH_DOMAIN-000---00-00', clientBeatInterval: 5000, defaultPushCacheMillis: 10000, healthCheckEnabled: true, pushEnabled: true, lightBeatEnabled: true })
  })
})

describe('/service/subscribers', () => {
  const subs = async (serviceName: string) => (await call(t.app, 'GET', `${SERVICE}/subscribers`, { serviceName, pageNo: 1, pageSize: 10 })).json()

  test('shows a gRPC subscriber until it unsubscribes or disconnects', async () => {
    const conn = fakeConnection('c1', '10.9.9.9', { AppName: 'shop' })
    const body = { namespace: 'public', groupName: 'DEFAULT_GROUP', serviceName: 'watched', clusters: '', subscribe: true }
    await rpc(t.app, 'SubscribeServiceRequest', body, conn)
    const r = await subs('watched')
    expect(r.count).toBe(1)
    expect(r.subscribers[0]).toMatchObject({ ip: '10.9.9.9', namespaceId: 'public', serviceName: 'DEFAULT_GROUP@@watched' })
    expect((await subs('unwatched')).count).toBe(0)
    await rpc(t.app, 'SubscribeServiceRequest', { ...body, subscribe: false }, conn)
    expect((await subs('watched')).count).toBe(0)
    await rpc(t.app, 'SubscribeServiceRequest', body, conn)
    expect((await subs('watched')).count).toBe(1)
    conn.close()
    expect((await subs('watched')).count).toBe(0)
  })

  test('shows a UDP subscriber registered by /instance/list with udpPort, at the address the request came from', async () => {
    const http = listening(t.app)
    try {
      const l = await call(http, 'GET', '/nacos/v1/ns/instance/list', { serviceName: 'watched', udpPort: 54321, clientIP: '10.8.8.8' }, { headers: { 'User-Agent': 'Nacos-Java-Client:v1.4.1' } })
      expect(l.status).toBe(200)
      const r = await subs('watched')
      expect(r.count).toBe(1)
      expect(r.subscribers[0]).toMatchObject({ addrStr: '127.0.0.1:54321', ip: '127.0.0.1', port: 54321, agent: 'Nacos-Java-Client:v1.4.1', serviceName: 'DEFAULT_GROUP@@watched' })
      // Polling again refreshes the same record rather than adding one.
      await call(http, 'GET', '/nacos/v1/ns/instance/list', { serviceName: 'watched', udpPort: 54321, clientIP: '10.8.8.8' })
      expect((await subs('watched')).count).toBe(1)
    } finally {
      await http.stop()
    }
  })
})
