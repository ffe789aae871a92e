// The v1 instance list is served from JSON serialised once per service change (service-info.ts serviceInfoJson):
// its bytes must be those of the uncached ServiceInfo, and every kind of change must show up in the next read.
import { afterEach, beforeEach, describe, expect, test } from 'bun:test'
import { call, namingApp, type NamingApp } from '../support/naming-memory'

const INSTANCE = '/nacos/v1/ns/instance'
let t: NamingApp
beforeEach(async () => (t = await namingApp()))
afterEach(async () => t.close())

/** The v1 list body (cached path) and the v2 list's `data` (built per request), for the same query. */
async function both(params: Record<string, string>) {
  const v1 = await call(t.app, 'GET', `${INSTANCE}/list`, params)
  const v2 = await call(t.app, 'GET', '/nacos/v2/ns/instance/list', params)
  expect(v1.status).toBe(200)
  return { v1: v1.text, v2: JSON.stringify(v2.json().data) }
}

describe('v1 instance list cache', () => {
  test('the cached bytes equal the uncached ServiceInfo and follow every change', async () => {
    const svc = { serviceName: 'svc', groupName: 'G' }
    const queries = [svc, { ...svc, clusters: 'c1' }, { ...svc, healthyOnly: 'true' }, { ...svc, clusters: 'DEFAULT,c1' }]
    const seen = new Set<string>()
    const check = async () => {
      for (const q of queries) {
        const a = await both(q)
        expect(a.v1).toBe(a.v2)
        expect((await both(q)).v1).toBe(a.v1) // a second read (cache hit) is the same
      }
      const now = (await both(svc)).v1
      expect(seen.has(now)).toBe(false) // each change below is visible
      seen.add(now)
    }
    const post = (method: string, path: string, p: Record<string, string>) => call(t.app, method, path, { ...svc, ...p })
    expect((await post('POST', INSTANCE, { ip: '10.0.0.1', port: '80' })).status).toBe(200)
    await check()
    await post('POST', INSTANCE, { ip: '10.0.0.2', port: '80', clusterName: 'c1', metadata: '{"k":"v"}' })
    await check()
    await post('PUT', INSTANCE, { ip: '10.0.0.2', port: '80', clusterName: 'c1', weight: '3' })
    await check()
    await post('PUT', INSTANCE, { ip: '10.0.0.1', port: '80', enabled: 'false' })
    await check()
    await post('PUT', '/nacos/v1/ns/service', { protectThreshold: '0.9' })
    await check()
    await post('DELETE', INSTANCE, { ip: '10.0.0.2', port: '80', clusterName: 'c1' })
    await check()
  })

  test('an unknown service is not cached (lastRefTime is the clock)', async () => {
    const a = JSON.parse((await both({ serviceName: 'nope' })).v1)
    await Bun.sleep(3)
    const b = JSON.parse((await both({ serviceName: 'nope' })).v1)
    expect(b.lastRefTime).toBeGreaterThan(a.lastRefTime)
    expect(b.hosts).toEqual([])
  })
})
