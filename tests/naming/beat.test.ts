// HTTP heartbeats (PUT /nacos/v1/ns/instance/beat) and beat expiry on an injected clock.
import { afterEach, beforeEach, describe, expect, test } from 'bun:test'
import type { Naming } from '../../src/naming/center'
import { checkBeats } from '../../src/naming/health'
import { call, clockedNaming, type Clock, type Handler } from '../support/naming-memory'

let n: Naming
let clock: Clock
let http: Handler
let close: () => void
beforeEach(async () => {
  const c = await clockedNaming()
  ;({ n, clock, http } = c)
  close = () => (n.pusher.stop(), c.storage.close())
})
afterEach(async () => close())

const register = (params: Record<string, string | number>) => call(http, 'POST', '/nacos/v1/ns/instance', params)
const beat = (params: Record<string, string | number>, as?: 'query' | 'form') => call(http, 'PUT', '/nacos/v1/ns/instance/beat', params, { as })
const hosts = async (serviceName: string, extra: Record<string, string> = {}) => (await call(http, 'GET', '/nacos/v1/ns/instance/list', { serviceName, ...extra })).json().hosts
const beatBody = (ip: string, port: number, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ ip, port, serviceName: 'DEFAULT_GROUP@@bsvc', cluster: 'DEFAULT', weight: 1, metadata: {}, scheduled: false, period: 5000, stopped: false, ...extra })

describe('beat', () => {
  test('a full beat for an unknown instance registers it and answers 10200', async () => {
    const r = await beat({ serviceName: 'DEFAULT_GROUP@@bsvc', beat: beatBody('10.1.0.1', 8080, { weight: 2, metadata: { k: 'v' } }) })
    expect(r.status).toBe(200)
    expect(r.json()).toEqual({ clientBeatInterval: 5000, code: 10200, lightBeatEnabled: true })
    const [h] = await hosts('bsvc')
    expect(h).toMatchObject({ ip: '10.1.0.1', port: 8080, weight: 2, metadata: { k: 'v' }, healthy: true, ephemeral: true, clusterName: 'DEFAULT' })
  })

  test('a full beat sent in the query string (Java 1.x) works the same', async () => {
    const r = await beat({ serviceName: 'DEFAULT_GROUP@@bsvc', namespaceId: 'public', beat: beatBody('10.1.0.2', 1) }, 'query')
    expect(r.json().code).toBe(10200)
    expect((await hosts('bsvc')).map((h: any) => h.ip)).toEqual(['10.1.0.2'])
  })

  test('a light beat for an unknown instance answers 20404 and registers nothing', async () => {
    const r = await beat({ serviceName: 'bsvc', ip: '10.1.0.3', port: 1, clusterName: 'DEFAULT' })
    expect(r.status).toBe(200)
    expect(r.json()).toMatchObject({ code: 20404 })
    expect(await hosts('bsvc')).toEqual([])
  })

  test('a light beat for a known instance answers 10200 with its preserved.heart.beat.interval', async () => {
    await register({ serviceName: 'bsvc', ip: '10.1.0.4', port: 1, metadata: 'preserved.heart.beat.interval=2000' })
    await register({ serviceName: 'bsvc', ip: '10.1.0.5', port: 1 })
    expect((await beat({ serviceName: 'bsvc', ip: '10.1.0.4', port: 1 })).json()).toEqual({ clientBeatInterval: 2000, code: 10200, lightBeatEnabled: true })
    expect((await beat({ serviceName: 'bsvc', ip: '10.1.0.5', port: 1 })).json()).toEqual({ clientBeatInterval: 5000, code: 10200, lightBeatEnabled: true })
  })

  test('a light beat without clusterName finds an instance of another cluster (Nacos matches the client, not the cluster)', async () => {
    await register({ serviceName: 'bsvc', ip: '10.1.0.7', port: 1, clusterName: 'A' })
    expect((await beat({ serviceName: 'bsvc', ip: '10.1.0.7', port: 1 })).json().code).toBe(10200)
    expect((await beat({ serviceName: 'bsvc', ip: '10.1.0.7', port: 1, clusterName: 'A' })).json().code).toBe(10200)
  })

  test('a full beat carrying preserved.heart.beat.interval answers with that interval', async () => {
    const r = await beat({ serviceName: 'DEFAULT_GROUP@@bsvc', beat: beatBody('10.1.0.6', 1, { metadata: { 'preserved.heart.beat.interval': '3000' } }) })
    expect(r.json().clientBeatInterval).toBe(3000)
  })

  test('a beat body that is not JSON is a 400 and registers nothing', async () => {
    const r = await beat({ serviceName: 'bsvc', beat: '{not json' })
    expect(r.status).toBe(400)
    expect(await hosts('bsvc')).toEqual([])
  })
})

describe('beat expiry (checkBeats)', () => {
  test('no beat: healthy at 15 s, unhealthy after 15 s, removed after 30 s; then a light beat gets 20404', async () => {
    await register({ serviceName: 'esvc', ip: '10.2.0.1', port: 1 })
    clock.advance(15_000)
    checkBeats(n)
    expect((await hosts('esvc'))[0].healthy).toBe(true)
    clock.advance(1000)
    checkBeats(n)
    expect((await hosts('esvc'))[0].healthy).toBe(false)
    expect(await hosts('esvc', { healthyOnly: 'true' })).toEqual([])
    clock.advance(14_000)
    checkBeats(n)
    expect(await hosts('esvc')).toHaveLength(1)
    clock.advance(1000)
    checkBeats(n)
    expect(await hosts('esvc')).toEqual([])
    expect((await beat({ serviceName: 'esvc', ip: '10.2.0.1', port: 1 })).json().code).toBe(20404)
  })

  test('subscribers are pushed the unhealthy and the removed state', async () => {
    const seen: any[] = []
    n.subscribers.add({ namespace: 'public', group: 'DEFAULT_GROUP', name: 'esvc' }, { id: 'sub', kind: 'grpc', clusters: '', addr: '1.1.1.1:1', agent: 't', seenAt: 0, deliver: (i) => void seen.push(i) })
    await register({ serviceName: 'esvc', ip: '10.2.0.2', port: 1 })
    n.pusher.flush()
    clock.advance(16_000)
    checkBeats(n)
    n.pusher.flush()
    clock.advance(15_000)
    checkBeats(n)
    n.pusher.flush()
    expect(seen.map((i) => i.hosts.map((h: any) => h.healthy))).toEqual([[true], [false], []])
  })

  test('regular beats keep an instance healthy for as long as they come', async () => {
    await register({ serviceName: 'esvc', ip: '10.2.0.3', port: 1 })
    for (let i = 0; i < 12; i++) {
      clock.advance(5000)
      expect((await beat({ serviceName: 'esvc', ip: '10.2.0.3', port: 1 })).json().code).toBe(10200)
      checkBeats(n)
    }
    expect(await hosts('esvc')).toMatchObject([{ ip: '10.2.0.3', healthy: true }])
  })

  test('preserved.heart.beat.timeout and preserved.ip.delete.timeout override 15 s / 30 s per instance', async () => {
    await register({ serviceName: 'esvc', ip: '10.2.0.4', port: 1, metadata: 'preserved.heart.beat.interval=1000,preserved.heart.beat.timeout=3000,preserved.ip.delete.timeout=6000' })
    await register({ serviceName: 'esvc', ip: '10.2.0.5', port: 1 })
    clock.advance(3500)
    checkBeats(n)
    const byIp = async () => Object.fromEntries((await hosts('esvc')).map((h: any) => [h.ip, h.healthy]))
    expect(await byIp()).toEqual({ '10.2.0.4': false, '10.2.0.5': true })
    clock.advance(3000)
    checkBeats(n)
    expect(await byIp()).toEqual({ '10.2.0.5': true })
  })

  test('a beat revives an instance marked unhealthy', async () => {
    await register({ serviceName: 'esvc', ip: '10.2.0.6', port: 1 })
    clock.advance(20_000)
    checkBeats(n)
    expect((await hosts('esvc'))[0].healthy).toBe(false)
    expect((await beat({ serviceName: 'esvc', ip: '10.2.0.6', port: 1 })).json().code).toBe(10200)
    expect((await hosts('esvc'))[0].healthy).toBe(true)
    clock.advance(5000)
    checkBeats(n)
    expect((await hosts('esvc'))[0].healthy).toBe(true)
    // The revived instance's delete timer restarted too.
    clock.advance(20_000)
    checkBeats(n)
    expect(await hosts('esvc')).toHaveLength(1)
  })

  test('persistent instances do not expire for lack of beats', async () => {
    await register({ serviceName: 'psvc', ip: '10.2.0.7', port: 1, ephemeral: 'false' })
    clock.advance(120_000)
    checkBeats(n)
    expect(await hosts('psvc')).toMatchObject([{ ip: '10.2.0.7', healthy: true, ephemeral: false }])
  })
})
