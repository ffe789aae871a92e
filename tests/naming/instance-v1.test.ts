// The 1.x instance API (/nacos/v1/ns/instance): register, list, deregister, update, detail.
import { afterEach, beforeEach, describe, expect, test } from 'bun:test'
import { call, namingApp, type NamingApp } from '../support/naming-memory'

const INSTANCE = '/nacos/v1/ns/instance'
let t: NamingApp
beforeEach(async () => (t = await namingApp()))
afterEach(async () => t.close())

const register = (params: Record<string, string | number>, as?: 'query' | 'form') => call(t.app, 'POST', INSTANCE, params, { as })
const list = async (params: Record<string, string | number | boolean>) => {
  const r = await call(t.app, 'GET', `${INSTANCE}/list`, params)
  expect(r.status).toBe(200)
  return r.json()
}
const ips = (info: any) => info.hosts.map((h: any) => `${h.ip}:${h.port}`).sort()

describe('register', () => {
  test('a form-body register answers plain "ok" and the list shows the instance with every Nacos field', async () => {
    const r = await register({ serviceName: 'svc', groupName: 'G', ip: '10.0.0.1', port: '8080' })
    expect(r).toMatchObject({ status: 200, text: 'ok' })
    const info = await list({ serviceName: 'svc', groupName: 'G' })
    expect(info).toMatchObject({ name: 'G@@svc', groupName: 'G', clusters: '', cacheMillis: 10000, checksum: '', reachProtectionThreshold: false, valid: true, allIps: false })
    expect(typeof info.lastRefTime).toBe('number')
    expect(info.hosts).toHaveLength(1)
    expect(info.hosts[0]).toEqual({
      instanceId: '10.0.0.1#8080#DEFAULT#G@@svc', ip: '10.0.0.1', port: 8080, weight: 1, healthy: true, enabled: true, ephemeral: true,
      clusterName: 'DEFAULT', serviceName: 'G@@svc', metadata: {}, instanceHeartBeatInterval: 5000, instanceHeartBeatTimeOut: 15000,
      ipDeleteTimeout: 30000, instanceIdGenerator: 'simple',
    })
  })

  test('query-string parameters on POST register the same way (Node sends everything in the query)', async () => {
    expect((await register({ serviceName: 'qsvc', ip: '10.0.0.2', port: 81, weight: 3 }, 'query')).text).toBe('ok')
    const info = await list({ serviceName: 'qsvc' })
    expect(info.name).toBe('DEFAULT_GROUP@@qsvc')
    expect(info.hosts[0]).toMatchObject({ ip: '10.0.0.2', port: 81, weight: 3 })
  })

  test('a grouped serviceName (group@@svc) names the group; it wins over a groupName parameter', async () => {
    await register({ serviceName: 'A@@gsvc', groupName: 'B', ip: '10.0.0.3', port: 1 })
    expect(ips(await list({ serviceName: 'gsvc', groupName: 'A' }))).toEqual(['10.0.0.3:1'])
    expect(ips(await list({ serviceName: 'A@@gsvc' }))).toEqual(['10.0.0.3:1'])
    expect((await list({ serviceName: 'gsvc', groupName: 'B' })).hosts).toEqual([])
    expect((await list({ serviceName: 'A@@gsvc' })).hosts[0].serviceName).toBe('A@@gsvc')
  })

  test('namespaceId separates services; a blank one is public', async () => {
    await register({ serviceName: 'nsvc', namespaceId: 'dev', ip: '10.0.0.4', port: 1 })
    await register({ serviceName: 'nsvc', namespaceId: '', ip: '10.0.0.5', port: 1 })
    expect(ips(await list({ serviceName: 'nsvc', namespaceId: 'dev' }))).toEqual(['10.0.0.4:1'])
    expect(ips(await list({ serviceName: 'nsvc', namespaceId: 'public' }))).toEqual(['10.0.0.5:1'])
    expect(ips(await list({ serviceName: 'nsvc' }))).toEqual(['10.0.0.5:1'])
  })

  test('metadata is accepted as a JSON object and as k=v,k2=v2', async () => {
    await register({ serviceName: 'msvc', ip: '10.0.0.6', port: 1, metadata: '{"zone":"a","v":"1.0"}' })
    await register({ serviceName: 'msvc', ip: '10.0.0.7', port: 1, metadata: 'zone=b,v=2.0' })
    const byIp = Object.fromEntries((await list({ serviceName: 'msvc' })).hosts.map((h: any) => [h.ip, h.metadata]))
    expect(byIp).toEqual({ '10.0.0.6': { zone: 'a', v: '1.0' }, '10.0.0.7': { zone: 'b', v: '2.0' } })
  })

  test('a custom instanceId, cluster (also as legacy `cluster`) and preserved beat timing show up in hosts', async () => {
    await register({ serviceName: 'csvc', ip: '10.0.0.8', port: 1, instanceId: 'my-id', clusterName: 'C1' })
    await register({ serviceName: 'csvc', ip: '10.0.0.9', port: 1, cluster: 'C2', metadata: 'preserved.heart.beat.interval=1000,preserved.heart.beat.timeout=3000,preserved.ip.delete.timeout=6000' })
    const hosts = Object.fromEntries((await list({ serviceName: 'csvc' })).hosts.map((h: any) => [h.ip, h]))
    expect(hosts['10.0.0.8']).toMatchObject({ instanceId: 'my-id', clusterName: 'C1' })
    expect(hosts['10.0.0.9']).toMatchObject({ clusterName: 'C2', instanceHeartBeatInterval: 1000, instanceHeartBeatTimeOut: 3000, ipDeleteTimeout: 6000 })
  })

  test('boundary values are accepted: weight 0 and 10000, port 65535, a host name as ip', async () => {
    for (const [ip, port, weight] of [['10.0.0.10', 65535, '0'], ['10.0.0.11', 1, '10000'], ['node-1.example.internal', 2, '1.5']] as const) {
      expect((await register({ serviceName: 'bsvc', ip, port, weight })).text).toBe('ok')
    }
    const byIp = Object.fromEntries((await list({ serviceName: 'bsvc' })).hosts.map((h: any) => [h.ip, [h.port, h.weight]]))
    expect(byIp).toEqual({ '10.0.0.10': [65535, 0], '10.0.0.11': [1, 10000], 'node-1.example.internal': [2, 1.5] })
  })

  test('registering the same ip:port and cluster again replaces it rather than adding a second host', async () => {
    await register({ serviceName: 'rsvc', ip: '10.0.1.1', port: 1, weight: 1 })
    await register({ serviceName: 'rsvc', ip: '10.0.1.1', port: 1, weight: 7 })
    const info = await list({ serviceName: 'rsvc' })
    expect(info.hosts).toHaveLength(1)
    expect(info.hosts[0].weight).toBe(7)
  })
})

describe('booleans as Python and Java spell them', () => {
  test('True/False in any case are booleans: a persistent register and its delete, enabled, healthyOnly', async () => {
    // nacos-sdk-python sends str(True); Java Nacos reads booleans with ConvertUtils.toBoolean (case-insensitive).
    expect((await register({ serviceName: 'py', groupName: 'G', ip: '10.0.9.1', port: 1, enable: 'True', healthy: 'True', ephemeral: 'False' })).status).toBe(200)
    const info = await list({ serviceName: 'py', groupName: 'G', healthyOnly: 'False' })
    expect(info.hosts).toHaveLength(1)
    expect(info.hosts[0]).toMatchObject({ enabled: true, healthy: true, ephemeral: false })
    const del = await call(t.app, 'DELETE', INSTANCE, { serviceName: 'py', groupName: 'G', ip: '10.0.9.1', port: 1, ephemeral: 'FALSE' })
    expect(del.status).toBe(200)
    expect((await list({ serviceName: 'py', groupName: 'G' })).hosts).toEqual([])
  })
})

describe('list', () => {
  test('clusters filters hosts and is echoed verbatim', async () => {
    await register({ serviceName: 'ksvc', ip: '10.0.2.1', port: 1, clusterName: 'A' })
    await register({ serviceName: 'ksvc', ip: '10.0.2.2', port: 1, clusterName: 'B' })
    await register({ serviceName: 'ksvc', ip: '10.0.2.3', port: 1 })
    const a = await list({ serviceName: 'ksvc', clusters: 'A' })
    expect(a.clusters).toBe('A')
    expect(ips(a)).toEqual(['10.0.2.1:1'])
    const ab = await list({ serviceName: 'ksvc', clusters: 'A,B' })
    expect(ab.clusters).toBe('A,B')
    expect(ips(ab)).toEqual(['10.0.2.1:1', '10.0.2.2:1'])
    expect(ips(await list({ serviceName: 'ksvc' }))).toHaveLength(3)
  })

  test('healthyOnly drops unhealthy hosts; without it they are listed as unhealthy', async () => {
    await register({ serviceName: 'hsvc', ip: '10.0.3.1', port: 1 })
    await register({ serviceName: 'hsvc', ip: '10.0.3.2', port: 1, healthy: 'false' })
    const all = await list({ serviceName: 'hsvc' })
    expect(Object.fromEntries(all.hosts.map((h: any) => [h.ip, h.healthy]))).toEqual({ '10.0.3.1': true, '10.0.3.2': false })
    expect(ips(await list({ serviceName: 'hsvc', healthyOnly: true }))).toEqual(['10.0.3.1:1'])
  })

  test('disabled instances (enabled=false or legacy enable=false) are not listed', async () => {
    await register({ serviceName: 'esvc', ip: '10.0.4.1', port: 1 })
    await register({ serviceName: 'esvc', ip: '10.0.4.2', port: 1, enabled: 'false' })
    await register({ serviceName: 'esvc', ip: '10.0.4.3', port: 1, enable: 'false' })
    expect(ips(await list({ serviceName: 'esvc' }))).toEqual(['10.0.4.1:1'])
  })

  test('an unknown service lists as an empty ServiceInfo with its grouped name', async () => {
    expect(await list({ serviceName: 'ghost', groupName: 'G' })).toMatchObject({ name: 'G@@ghost', groupName: 'G', hosts: [], reachProtectionThreshold: false })
  })

  test('at or below the protect threshold every host is returned healthy and reachProtectionThreshold is set', async () => {
    expect((await call(t.app, 'POST', '/nacos/v1/ns/service', { serviceName: 'psvc', protectThreshold: '0.6' })).text).toBe('ok')
    await register({ serviceName: 'psvc', ip: '10.0.5.1', port: 1 })
    await register({ serviceName: 'psvc', ip: '10.0.5.2', port: 1, healthy: 'false' })
    const info = await list({ serviceName: 'psvc' })
    expect(info.reachProtectionThreshold).toBe(true)
    expect(info.hosts.map((h: any) => h.healthy)).toEqual([true, true])
    // Nacos ServiceUtil compares against all (cluster/enabled-filtered) hosts, healthyOnly or not.
    const healthyOnly = await list({ serviceName: 'psvc', healthyOnly: true })
    expect(healthyOnly.reachProtectionThreshold).toBe(true)
    expect(ips(healthyOnly)).toEqual(['10.0.5.1:1', '10.0.5.2:1'])
    // Above the threshold the real health shows again.
    expect((await call(t.app, 'PUT', '/nacos/v1/ns/service', { serviceName: 'psvc', protectThreshold: '0.4' })).text).toBe('ok')
    const below = await list({ serviceName: 'psvc' })
    expect(below.reachProtectionThreshold).toBe(false)
    expect(below.hosts.filter((h: any) => !h.healthy)).toHaveLength(1)
  })

  test('a created service with the default threshold 0 whose hosts are all unhealthy reaches protection (0/n <= 0)', async () => {
    await call(t.app, 'POST', '/nacos/v1/ns/service', { serviceName: 'zsvc' })
    await register({ serviceName: 'zsvc', ip: '10.0.5.3', port: 1, healthy: 'false' })
    const info = await list({ serviceName: 'zsvc' })
    expect(info.reachProtectionThreshold).toBe(true)
    expect(info.hosts[0].healthy).toBe(true)
  })
})

describe('deregister, update, detail', () => {
  test('DELETE removes just that instance and answers ok; unknown instances are ok too', async () => {
    await register({ serviceName: 'dsvc', ip: '10.0.6.1', port: 1 })
    await register({ serviceName: 'dsvc', ip: '10.0.6.2', port: 1 })
    expect(await call(t.app, 'DELETE', INSTANCE, { serviceName: 'dsvc', ip: '10.0.6.1', port: 1 })).toMatchObject({ status: 200, text: 'ok' })
    expect(ips(await list({ serviceName: 'dsvc' }))).toEqual(['10.0.6.2:1'])
    expect(await call(t.app, 'DELETE', INSTANCE, { serviceName: 'dsvc', ip: '10.0.6.9', port: 1 })).toMatchObject({ status: 200, text: 'ok' })
  })

  test('DELETE picks the cluster: DEFAULT unless clusterName is given; form bodies work too', async () => {
    await register({ serviceName: 'd2', ip: '10.0.6.3', port: 1, clusterName: 'A' })
    await call(t.app, 'DELETE', INSTANCE, { serviceName: 'd2', ip: '10.0.6.3', port: 1 })
    expect(ips(await list({ serviceName: 'd2' }))).toEqual(['10.0.6.3:1'])
    await call(t.app, 'DELETE', INSTANCE, { serviceName: 'd2', ip: '10.0.6.3', port: 1, clusterName: 'A' }, { as: 'form' })
    expect((await list({ serviceName: 'd2' })).hosts).toEqual([])
  })

  test('PUT changes weight, enabled and metadata of a registered instance', async () => {
    await register({ serviceName: 'usvc', ip: '10.0.7.1', port: 1, metadata: 'a=1' })
    expect((await call(t.app, 'PUT', INSTANCE, { serviceName: 'usvc', ip: '10.0.7.1', port: 1, weight: 5 })).text).toBe('ok')
    expect((await list({ serviceName: 'usvc' })).hosts[0].weight).toBe(5)
    await call(t.app, 'PUT', INSTANCE, { serviceName: 'usvc', ip: '10.0.7.1', port: 1, metadata: '{"b":"2"}' })
    expect((await list({ serviceName: 'usvc' })).hosts[0].metadata).toMatchObject({ b: '2' })
    await call(t.app, 'PUT', INSTANCE, { serviceName: 'usvc', ip: '10.0.7.1', port: 1, enabled: 'false' })
    expect((await list({ serviceName: 'usvc' })).hosts).toEqual([])
  })

  test('PUT on an unknown instance fails and creates nothing', async () => {
    const r = await call(t.app, 'PUT', INSTANCE, { serviceName: 'nosvc', ip: '10.0.7.9', port: 1, weight: 2 })
    expect(r.status).toBeGreaterThanOrEqual(400)
    expect((await list({ serviceName: 'nosvc' })).hosts).toEqual([])
  })

  test('GET /instance returns the detail with the grouped service name; 404 when unknown', async () => {
    await register({ serviceName: 'isvc', groupName: 'G', ip: '10.0.8.1', port: 9, weight: 2, metadata: 'k=v', clusterName: 'C' })
    const r = await call(t.app, 'GET', INSTANCE, { serviceName: 'isvc', groupName: 'G', ip: '10.0.8.1', port: 9, clusterName: 'C' })
    expect(r.status).toBe(200)
    expect(r.json()).toMatchObject({ service: 'G@@isvc', ip: '10.0.8.1', port: 9, clusterName: 'C', weight: 2, healthy: true, instanceId: '10.0.8.1#9#C#G@@isvc', metadata: { k: 'v' } })
    const missing = await call(t.app, 'GET', INSTANCE, { serviceName: 'isvc', groupName: 'G', ip: '10.0.8.2', port: 9 })
    expect(missing.status).toBe(404)
  })
})
