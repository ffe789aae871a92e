// UDP push to 1.x HTTP clients: /instance/list with udpPort subscribes, changes arrive as
// {"type":"dom","data":"<ServiceInfo JSON>","lastRefTime":…} datagrams (gzipped from 1 KiB on).
import { afterEach, beforeEach, describe, expect, test } from 'bun:test'
import { gunzipSync } from 'node:zlib'
import { call, listening, namingApp, type NamingApp } from '../support/naming-memory'

let t: NamingApp
let http: ReturnType<typeof listening>
let client: import('bun').udp.Socket<'buffer'>
let received: Buffer[]

beforeEach(async () => {
  t = await namingApp()
  http = listening(t.app)
  await t.app.udp.start()
  received = []
  client = await Bun.udpSocket({ hostname: '127.0.0.1', socket: { data: (_s, buf) => void received.push(Buffer.from(buf)) } })
})
afterEach(async () => {
  client.close()
  await http.stop()
  t.close()
})

const subscribe = (serviceName: string, extra: Record<string, string> = {}) =>
  call(http, 'GET', '/nacos/v1/ns/instance/list', { serviceName, udpPort: client.port, clientIP: '127.0.0.1', ...extra }, { headers: { 'User-Agent': 'Nacos-Java-Client:v1.4.1' } })
const register = (serviceName: string, ip: string, extra: Record<string, string | number> = {}) => call(t.app, 'POST', '/nacos/v1/ns/instance', { serviceName, ip, port: 1, ...extra })

function decode(buf: Buffer): { type: string; data: string; lastRefTime: number } {
  const raw = buf[0] === 0x1f && buf[1] === 0x8b ? gunzipSync(buf) : buf
  return JSON.parse(raw.toString('utf8'))
}

/** Waits (at most 2 s) for the `count`-th datagram and returns it decoded, with the ServiceInfo parsed. */
async function nextPush(count = received.length + 1) {
  const deadline = Date.now() + 2000
  while (received.length < count && Date.now() < deadline) await Bun.sleep(10)
  if (received.length < count) throw new Error(`no UDP push #${count} within 2 s (got ${received.length})`)
  const msg = decode(received[count - 1])
  return { msg, info: JSON.parse(msg.data) }
}

describe('UDP push', () => {
  test('pushes go to the address the request came from, never to a client-claimed clientIP', async () => {
    await call(http, 'GET', '/nacos/v1/ns/instance/list', { serviceName: 'spoof', udpPort: client.port, clientIP: '10.66.0.1' })
    const subs = await call(t.app, 'GET', '/nacos/v1/ns/service/subscribers', { serviceName: 'spoof' })
    expect(subs.json().subscribers.map((x: any) => x.ip)).toEqual(['127.0.0.1'])
    await register('spoof', '10.0.0.9')
    const { info } = await nextPush()
    expect(info.hosts.map((h: any) => h.ip)).toEqual(['10.0.0.9'])
  })

  test('a list through the in-process handler (no socket address) registers no UDP subscriber', async () => {
    await call(t.app, 'GET', '/nacos/v1/ns/instance/list', { serviceName: 'nosock', udpPort: client.port, clientIP: '127.0.0.1' })
    expect((await call(t.app, 'GET', '/nacos/v1/ns/service/subscribers', { serviceName: 'nosock' })).json().count).toBe(0)
  })

  test('a registration after a udpPort list reaches the client as a "dom" datagram within 2 s', async () => {
    const first = await subscribe('usvc')
    expect(first.json().hosts).toEqual([])
    await register('usvc', '10.7.0.1', { weight: 2 })
    const { msg, info } = await nextPush()
    expect(msg.type).toBe('dom')
    expect(typeof msg.lastRefTime).toBe('number')
    expect(info).toMatchObject({ name: 'DEFAULT_GROUP@@usvc', groupName: 'DEFAULT_GROUP', clusters: '', cacheMillis: 10000 })
    expect(info.hosts).toEqual([expect.objectContaining({ ip: '10.7.0.1', port: 1, weight: 2, healthy: true, serviceName: 'DEFAULT_GROUP@@usvc' })])
  })

  test('deregistering pushes the shrunk list; lastRefTime of the ServiceInfo grows', async () => {
    await register('usvc', '10.7.1.1')
    await register('usvc', '10.7.1.2')
    await subscribe('usvc')
    await call(t.app, 'DELETE', '/nacos/v1/ns/instance', { serviceName: 'usvc', ip: '10.7.1.1', port: 1 })
    const a = await nextPush()
    expect(a.info.hosts.map((h: any) => h.ip)).toEqual(['10.7.1.2'])
    await Bun.sleep(5)
    await call(t.app, 'DELETE', '/nacos/v1/ns/instance', { serviceName: 'usvc', ip: '10.7.1.2', port: 1 })
    const b = await nextPush()
    expect(b.info.hosts).toEqual([])
    expect(b.info.lastRefTime).toBeGreaterThan(a.info.lastRefTime)
  })

  test('the subscribed clusters filter the pushed hosts and are echoed', async () => {
    await subscribe('ucl', { clusters: 'A' })
    await register('ucl', '10.7.2.1', { clusterName: 'B' })
    await register('ucl', '10.7.2.2', { clusterName: 'A' })
    // Both changes may coalesce into one push; the last one must show only cluster A.
    const deadline = Date.now() + 2000
    let last: any
    while (Date.now() < deadline) {
      if (received.length) last = JSON.parse(decode(received[received.length - 1]).data)
      if (last?.hosts.length) break
      await Bun.sleep(10)
    }
    expect(last.clusters).toBe('A')
    expect(last.hosts.map((h: any) => h.ip)).toEqual(['10.7.2.2'])
  })

  test('a grouped subscription gets the grouped name and only its own service', async () => {
    await subscribe('G@@ug')
    await register('other', '10.7.3.9')
    await register('G@@ug', '10.7.3.1')
    const { info } = await nextPush()
    expect(info.name).toBe('G@@ug')
    expect(info.hosts.map((h: any) => h.ip)).toEqual(['10.7.3.1'])
    await Bun.sleep(100)
    expect(received).toHaveLength(1)
  })

  test('a push of 1 KiB or more is gzipped', async () => {
    await subscribe('ubig')
    await register('ubig', '10.7.4.1', { metadata: JSON.stringify({ blob: 'y'.repeat(3000) }) })
    await nextPush()
    const raw = received[0]
    expect([raw[0], raw[1]]).toEqual([0x1f, 0x8b])
    expect(JSON.parse(decode(raw).data).hosts[0].metadata.blob).toHaveLength(3000)
  })

  test('a UDP subscriber that stops polling is dropped and pushed no more', async () => {
    await subscribe('ustale')
    t.n.subscribers.expire(Date.now() + 1)
    await register('ustale', '10.7.5.1')
    t.n.pusher.flush()
    await Bun.sleep(200)
    expect(received).toHaveLength(0)
  })
})
