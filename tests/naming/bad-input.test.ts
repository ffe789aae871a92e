// Refused input changes nothing: every malformed register, update, beat or service call is a 400 and the
// registry (and the database) look exactly as before.
import { afterEach, beforeEach, describe, expect, test } from 'bun:test'
import { call, namingApp, type NamingApp } from '../support/naming-memory'

const INSTANCE = '/nacos/v1/ns/instance'
let t: NamingApp
beforeEach(async () => {
  t = await namingApp()
  expect((await call(t.app, 'POST', INSTANCE, { serviceName: 'svc', ip: '10.6.0.1', port: 1, weight: 1, metadata: 'a=1' })).text).toBe('ok')
})
afterEach(async () => t.close())

/** Everything the registry and database hold, to compare before and after. */
function snapshot() {
  const services = [...t.n.registry.services.values()].map((s) => ({ key: s.keyStr, explicit: s.explicit, meta: s.meta, instances: t.n.registry.instances(s) }))
  const count = (table: string) => (t.storage.sqlite.query(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n
  return JSON.stringify({ services, persistent: count('persistent_instance'), stored: count('service_info') })
}

async function expectRefused(method: string, path: string, params: Record<string, string | number>) {
  const before = snapshot()
  const r = await call(t.app, method, path, params)
  expect({ params, status: r.status }).toEqual({ params, status: 400 })
  expect(r.text.length).toBeGreaterThan(0)
  expect(snapshot()).toBe(before)
}

const base = { serviceName: 'svc', ip: '10.6.0.2', port: 2 }

describe('register refuses', () => {
  test('invalid or missing ip', async () => {
    for (const ip of ['not an ip!', 'bad_host', '']) await expectRefused('POST', INSTANCE, { ...base, ip })
    await expectRefused('POST', INSTANCE, { serviceName: 'svc', port: 2 })
  })

  test('non-numeric, out-of-range or missing port', async () => {
    for (const port of ['abc', '70000', '65536', '-1', '1.5', '']) await expectRefused('POST', INSTANCE, { ...base, port })
    await expectRefused('POST', INSTANCE, { serviceName: 'svc', ip: '10.6.0.2' })
  })

  test('weight below 0, above 10000 or not a number', async () => {
    for (const weight of ['-1', '20000', '10000.5', 'heavy']) await expectRefused('POST', INSTANCE, { ...base, weight })
  })

  test('cluster names outside [0-9a-zA-Z-]', async () => {
    for (const clusterName of ['a_b', 'a b', 'x.y']) await expectRefused('POST', INSTANCE, { ...base, clusterName })
  })

  test('oversized or malformed metadata', async () => {
    await expectRefused('POST', INSTANCE, { ...base, metadata: JSON.stringify({ big: 'x'.repeat(70_000) }) })
    await expectRefused('POST', INSTANCE, { ...base, metadata: '{"broken":' })
    await expectRefused('POST', INSTANCE, { ...base, metadata: 'novalue' })
    await expectRefused('POST', INSTANCE, { ...base, metadata: '{"nested":{"a":1}}' })
  })

  test('a beat interval longer than the beat or delete timeout', async () => {
    await expectRefused('POST', INSTANCE, { ...base, metadata: 'preserved.heart.beat.interval=20000,preserved.heart.beat.timeout=15000' })
    await expectRefused('POST', INSTANCE, { ...base, metadata: 'preserved.heart.beat.interval=9000,preserved.ip.delete.timeout=8000' })
  })

  test('blank or missing serviceName', async () => {
    for (const serviceName of ['', '   ']) await expectRefused('POST', INSTANCE, { ...base, serviceName })
    await expectRefused('POST', INSTANCE, { ip: '10.6.0.2', port: 2 })
  })

  test('a malformed namespaceId', async () => {
    for (const namespaceId of ['../etc', 'a b', 'n'.repeat(129)]) await expectRefused('POST', INSTANCE, { ...base, namespaceId })
  })

  test('@@ inside the plain part of a name, or an empty name after the group', async () => {
    for (const serviceName of ['G@@a@@b', 'G@@', '@@']) await expectRefused('POST', INSTANCE, { ...base, serviceName })
    await expectRefused('POST', INSTANCE, { ...base, serviceName: 'plain', groupName: 'a@@b' })
  })

  test('an empty group before @@ (NamingUtils.checkServiceNameFormat: "groupName can\'t be empty")', async () => {
    await expectRefused('POST', INSTANCE, { ...base, serviceName: '@@svc2' })
  })
})

describe('other calls refuse', () => {
  test('PUT with a bad weight or metadata leaves the instance as it was', async () => {
    const target = { serviceName: 'svc', ip: '10.6.0.1', port: 1 }
    await expectRefused('PUT', INSTANCE, { ...target, weight: '-1' })
    await expectRefused('PUT', INSTANCE, { ...target, weight: '20000' })
    await expectRefused('PUT', INSTANCE, { ...target, metadata: '{"broken":' })
    const [h] = (await call(t.app, 'GET', `${INSTANCE}/list`, { serviceName: 'svc' })).json().hosts
    expect(h).toMatchObject({ weight: 1, metadata: { a: '1' } })
  })

  test('DELETE with an invalid ip or port', async () => {
    await expectRefused('DELETE', INSTANCE, { serviceName: 'svc', ip: 'not an ip!', port: 1 })
    await expectRefused('DELETE', INSTANCE, { serviceName: 'svc', ip: '10.6.0.1', port: 'abc' })
  })

  test('beats with a bad port, ip or cluster', async () => {
    const beat = (b: Record<string, unknown>) => ({ serviceName: 'DEFAULT_GROUP@@svc', beat: JSON.stringify({ ip: '10.6.0.9', port: 9, cluster: 'DEFAULT', ...b }) })
    await expectRefused('PUT', `${INSTANCE}/beat`, beat({ port: 70000 }))
    await expectRefused('PUT', `${INSTANCE}/beat`, beat({ ip: 'nope nope' }))
    await expectRefused('PUT', `${INSTANCE}/beat`, beat({ cluster: 'bad_cluster' }))
    await expectRefused('PUT', `${INSTANCE}/beat`, { serviceName: 'svc', ip: '10.6.0.1', port: 'x' })
  })

  test('service create with a bad threshold, selector or name', async () => {
    await expectRefused('POST', '/nacos/v1/ns/service', { serviceName: 'news', protectThreshold: 'abc' })
    await expectRefused('POST', '/nacos/v1/ns/service', { serviceName: 'news', protectThreshold: '1.5' })
    await expectRefused('POST', '/nacos/v1/ns/service', { serviceName: 'news', selector: '{not json' })
    await expectRefused('POST', '/nacos/v1/ns/service', { serviceName: '' })
    await expectRefused('POST', '/nacos/v1/ns/service', { serviceName: 'G@@a@@b' })
  })

  test('instance list with a non-numeric udpPort', async () => {
    await expectRefused('GET', `${INSTANCE}/list`, { serviceName: 'svc', udpPort: 'abc', clientIP: '10.6.0.7' })
  })
})
