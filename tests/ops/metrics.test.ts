// Metrics: values after real operations through the HTTP app (no port) and a real gRPC server, and a scrape
// output that parses as the Prometheus text format.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { createNamespace } from '../../src/namespace/namespaces'
import { namespaceStore } from '../../src/namespace/store'
import { TestClient } from '../support/nacos-grpc'
import { call, memoryApp } from '../support/memory'
import { startTestServer } from '../support/server'
import { parseExposition, sampleValue } from './exposition'

describe('metrics over HTTP (memory app)', () => {
  test('feature gauges and request counters follow real operations; both scrape paths answer the same format', async () => {
    const { app, storage } = await memoryApp()
    expect((await call(app, 'POST', '/nacos/v1/cs/configs', { dataId: 'm1', group: 'G', content: 'a' })).text).toBe('true')
    expect((await call(app, 'POST', '/nacos/v1/cs/configs', { dataId: 'm2', group: 'G', content: 'b' })).text).toBe('true')
    await createNamespace(namespaceStore(storage), { id: 'dev', name: 'dev' })
    expect((await call(app, 'POST', '/nacos/v1/ns/instance', { serviceName: 'svc', ip: '10.0.0.1', port: '80', ephemeral: 'false' })).text).toBe('ok')
    expect((await call(app, 'POST', '/nacos/v1/ns/instance', { serviceName: 'svc', ip: '10.0.0.2', port: '80', ephemeral: 'false', healthy: 'false' })).text).toBe('ok')
    await call(app, 'GET', '/nacos/v1/cs/configs', { dataId: 'm1', group: 'G' })
    await call(app, 'GET', '/nacos/v1/cs/configs', { dataId: 'nope', group: 'G' })
    await call(app, 'GET', '/no/such/path/12345')
    // Requests are counted after their reply has gone out (Elysia's afterResponse): let that run.
    await Bun.sleep(10)

    const res = await call(app, 'GET', '/metrics')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('text/plain')
    const s = parseExposition(res.text)
    expect(sampleValue(s, 'bnacos_configs')).toBe(2)
    expect(sampleValue(s, 'bnacos_namespaces')).toBe(2)
    expect(sampleValue(s, 'bnacos_services')).toBe(1)
    expect(sampleValue(s, 'bnacos_instances')).toBe(2)
    expect(sampleValue(s, 'nacos_monitor', { module: 'config', name: 'configCount' })).toBe(2)
    expect(sampleValue(s, 'nacos_monitor', { module: 'naming', name: 'ipCount' })).toBe(2)
    // Labels are route patterns and statuses, never the raw path: the 404 for an unknown path is one label.
    expect(sampleValue(s, 'bnacos_requests_total', { protocol: 'http', api: 'POST /nacos/v1/cs/configs', status: '200' })).toBe(2)
    expect(sampleValue(s, 'bnacos_requests_total', { protocol: 'http', api: 'GET /nacos/v1/cs/configs', status: '200' })).toBe(1)
    expect(sampleValue(s, 'bnacos_requests_total', { protocol: 'http', api: 'GET /nacos/v1/cs/configs', status: '404' })).toBe(1)
    expect(sampleValue(s, 'bnacos_requests_total', { protocol: 'http', api: 'GET (unmatched)', status: '404' })).toBe(1)
    expect(s.some((x) => JSON.stringify(x.labels).includes('12345'))).toBe(false)
    expect(sampleValue(s, 'bnacos_request_duration_seconds_count', { protocol: 'http', api: 'POST /nacos/v1/cs/configs' })).toBe(2)
    // Process figures that are true under Bun are there; the ones Bun cannot report are left out.
    expect(sampleValue(s, 'process_resident_memory_bytes')).toBeGreaterThan(1_000_000)
    expect(sampleValue(s, 'process_cpu_seconds_total')).toBeGreaterThan(0)
    expect(s.some((x) => x.name === 'nodejs_active_handles_total' || x.name.startsWith('nodejs_gc_'))).toBe(false)

    await Bun.sleep(10)
    const nacosPath = await call(app, 'GET', '/nacos/actuator/prometheus')
    expect(nacosPath.status).toBe(200)
    const n = parseExposition(nacosPath.text)
    expect(sampleValue(n, 'bnacos_configs')).toBe(2)
    // The first scrape is itself counted.
    expect(sampleValue(n, 'bnacos_requests_total', { protocol: 'http', api: 'GET /metrics', status: '200' })).toBe(1)
  })

  test('BNACOS_METRICS_ENABLED=false removes the endpoints', async () => {
    const { app } = await memoryApp({ metricsEnabled: false } as never)
    expect(app.metrics).toBeUndefined()
    expect((await call(app, 'GET', '/metrics')).status).toBe(404)
  })

  test('the endpoints stay open when auth is on, as Nacos leaves its actuator open', async () => {
    const { app } = await memoryApp({ authEnabled: true })
    expect((await call(app, 'GET', '/nacos/v1/cs/configs', { dataId: 'x', group: 'G' })).status).toBe(403)
    expect((await call(app, 'GET', '/metrics')).status).toBe(200)
  })
})

describe('metrics over gRPC (real server)', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>
  const clients: TestClient[] = []
  beforeAll(async () => {
    server = await startTestServer({ namingPushDelayMs: '0' })
  })
  afterAll(async () => {
    for (const c of clients) c.close()
    await server.stop()
  })
  const scrape = async () => parseExposition(await (await fetch(`${server.httpUrl}/metrics`)).text())
  const svc = { namespace: 'public', serviceName: 'ms', groupName: 'G', module: 'naming' }

  test('connections, subscribers, gRPC requests by type and code, and acked pushes are counted', async () => {
    const sub = new TestClient(server.grpcAddress)
    const pub = new TestClient(server.grpcAddress)
    clients.push(sub, pub)
    await sub.connect({ labels: { module: 'naming' } })
    await pub.connect({ labels: { module: 'config' } })
    expect((await sub.request('SubscribeServiceRequest', { ...svc, subscribe: true, clusters: '' })).type).toBe('SubscribeServiceResponse')
    await pub.request('InstanceRequest', { ...svc, type: 'registerInstance', instance: { ip: '10.1.0.1', port: 8080, weight: 1, healthy: true, enabled: true, ephemeral: true, clusterName: 'DEFAULT', metadata: {} } })
    for (;;) {
      const p = await sub.nextPush(3000)
      sub.ack(p)
      if (p.type === 'NotifySubscriberRequest') break
    }
    // A config listener gets a ConfigChangeNotifyRequest when the config changes (acked further down).
    await pub.request('ConfigBatchListenRequest', { listen: true, configListenContexts: [{ dataId: 'cm', group: 'G', tenant: '', md5: '' }], module: 'config' })
    await pub.request('ConfigPublishRequest', { dataId: 'cm', group: 'G', tenant: '', content: 'v1', module: 'config' })
    expect((await pub.request('ConfigQueryRequest', { dataId: 'missing', group: 'G', tenant: '' })).body.errorCode).toBe(300)

    const deadline = Date.now() + 3000
    let s = await scrape()
    while (Date.now() < deadline && !sampleValue(s, 'bnacos_pushes_total', { kind: 'naming', result: 'acked' })) {
      await Bun.sleep(50)
      s = await scrape()
    }
    expect(sampleValue(s, 'bnacos_connections')).toBe(2)
    expect(sampleValue(s, 'bnacos_subscribers')).toBe(1)
    expect(sampleValue(s, 'bnacos_config_listeners')).toBe(1)
    expect(sampleValue(s, 'bnacos_instances')).toBe(1)
    expect(sampleValue(s, 'bnacos_requests_total', { protocol: 'grpc', api: 'SubscribeServiceRequest', status: '200' })).toBe(1)
    expect(sampleValue(s, 'bnacos_requests_total', { protocol: 'grpc', api: 'ConfigPublishRequest', status: '200' })).toBe(1)
    expect(sampleValue(s, 'bnacos_requests_total', { protocol: 'grpc', api: 'ConfigQueryRequest', status: '300' })).toBe(1)
    expect(sampleValue(s, 'bnacos_pushes_total', { kind: 'naming', result: 'acked' })).toBeGreaterThanOrEqual(1)
    expect(sampleValue(s, 'bnacos_push_duration_seconds_count', { kind: 'naming' })).toBeGreaterThanOrEqual(1)
    expect(sampleValue(s, 'nacos_monitor', { module: 'naming', name: 'totalPush' })).toBeGreaterThanOrEqual(1)

    // The config push is counted once the client acks it.
    let cfgPush
    for (;;) {
      cfgPush = await pub.nextPush(3000)
      if (cfgPush.type === 'ConfigChangeNotifyRequest') break
      pub.ack(cfgPush)
    }
    pub.ack(cfgPush)
    const until = Date.now() + 3000
    while (Date.now() < until && !sampleValue(await scrape(), 'bnacos_pushes_total', { kind: 'config', result: 'acked' })) await Bun.sleep(50)
    expect(sampleValue(await scrape(), 'bnacos_pushes_total', { kind: 'config', result: 'acked' })).toBe(1)

    // An unknown request type is counted under one label, not its own name.
    await pub.request('MadeUpRequest', {})
    const after = await scrape()
    expect(sampleValue(after, 'bnacos_requests_total', { protocol: 'grpc', api: '(unknown)', status: '302' })).toBe(1)
    expect(after.some((x) => x.labels.api === 'MadeUpRequest')).toBe(false)
  })
})
