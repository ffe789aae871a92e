// prom-client's classes one by one: its index also loads the Pushgateway (node:http/https), Summary (tdigest) and
// the cluster aggregator, ~10 MB of resident memory bnacos never uses.
import Counter from 'prom-client/lib/counter'
import Gauge from 'prom-client/lib/gauge'
import Registry from 'prom-client/lib/registry'
import type { Registry as PromRegistry } from 'prom-client'
import type { PeerTraffic } from '../cluster/traffic'
import { registerPeerMetrics } from './peer'
import { registerProcessMetrics } from './process'
import { SeriesCounter, SeriesHistogram, type CounterSeries, type HistogramSeries } from './series'

/** What the features hold right now; read at scrape time, so nothing is counted twice or goes stale. */
export interface MetricSources {
  configs(): number
  namespaces(): number
  services(): number
  instances(): { total: number; healthy: number }
  subscribers(): number
  /** (config key, watcher) pairs: gRPC listen sets and held long polls. */
  configListeners(): number
  /** Open SDK gRPC connections (0 until the gRPC server is up). */
  connections(): number
}

/** One handled HTTP request as the transport saw it; `route` is the matched pattern, never the raw URL. */
export interface HttpObservation {
  method: string
  route: string
  /** The request path; '' unless the observer asked for it (needsClient, the access log). */
  path: string
  status: number
  ms: number
  /** The client's socket address; '' unless the observer asked for it (needsClient). */
  ip: string
}

/** The server's Prometheus registry and the hooks the transports report into. */
export interface Metrics {
  registry: PromRegistry
  observeHttp(o: HttpObservation): void
  /** A gRPC request: its type, the Nacos code it answered (200 or errorCode) and its duration. */
  observeRpc(type: string, code: number, ms: number): void
  /** A server push: its request type, whether the client acknowledged it, and the time to the ack. */
  observePush(type: string, acked: boolean, ms: number): void
  /** Tells the metrics where the open gRPC connections are counted (the gRPC server starts after the app). */
  setConnections(count: () => number): void
  /** The exposition text. */
  text(): Promise<string>
}

const requestBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]
const pushBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]

/** Push request types by what they push; anything else is connection housekeeping. */
function pushKind(type: string): 'config' | 'naming' | 'connection' {
  if (type === 'ConfigChangeNotifyRequest') return 'config'
  if (type === 'NotifySubscriberRequest') return 'naming'
  return 'connection'
}

/** Builds the registry: feature gauges, request and push counters/histograms, process figures, peer traffic (cluster). */
export function createMetrics(sources: Omit<MetricSources, 'connections'>, version: string, peers?: PeerTraffic): Metrics {
  const registry = new Registry()
  let connections = () => 0
  const gauge = (name: string, help: string, read: () => number) =>
    new Gauge({ name, help, registers: [registry], collect() { this.set(read()) } })
  gauge('bnacos_configs', 'Configs stored (formal versions)', sources.configs)
  gauge('bnacos_namespaces', 'Namespaces, public included', sources.namespaces)
  gauge('bnacos_services', 'Services in the registry', sources.services)
  gauge('bnacos_instances', 'Instances in the registry', () => sources.instances().total)
  gauge('bnacos_instances_healthy', 'Healthy instances in the registry', () => sources.instances().healthy)
  gauge('bnacos_subscribers', 'Service subscriptions (gRPC and UDP subscribers)', sources.subscribers)
  gauge('bnacos_config_listeners', 'Listened (config, client) pairs: gRPC listen sets and held long polls', sources.configListeners)
  gauge('bnacos_connections', 'Open SDK gRPC connections', () => connections())
  new Gauge({ name: 'bnacos_build_info', help: 'Version of the running bnacos (always 1)', labelNames: ['version', 'bun'], registers: [registry] }).set({ version, bun: Bun.version }, 1)

  const requests = new SeriesCounter('bnacos_requests_total', 'Requests handled, by protocol, API (route pattern or gRPC request type) and status (HTTP status or Nacos code)', registry)
  const latency = new SeriesHistogram('bnacos_request_duration_seconds', 'Time to answer a request, by protocol and API', requestBuckets, registry)
  const pushes = new SeriesCounter('bnacos_pushes_total', 'Server pushes sent over gRPC, by kind (config, naming, connection) and result (acked, failed)', registry)
  const pushLatency = new SeriesHistogram('bnacos_push_duration_seconds', 'Time from a push to its acknowledgement, by kind', pushBuckets, registry)
  // Nacos's own gauge (MetricsMonitor): dashboards built for Java Nacos read nacos_monitor{module,name}.
  const namingPushes = { acked: 0, failed: 0 }
  new Gauge({
    name: 'nacos_monitor', help: 'Java Nacos compatible figures (MetricsMonitor)', labelNames: ['module', 'name'], registers: [registry],
    collect() {
      const inst = sources.instances()
      this.set({ module: 'config', name: 'configCount' }, sources.configs())
      this.set({ module: 'config', name: 'longPolling' }, sources.configListeners())
      this.set({ module: 'naming', name: 'serviceCount' }, sources.services())
      this.set({ module: 'naming', name: 'ipCount' }, inst.total)
      this.set({ module: 'naming', name: 'subscriberCount' }, sources.subscribers())
      this.set({ module: 'naming', name: 'totalPush' }, namingPushes.acked + namingPushes.failed)
      this.set({ module: 'naming', name: 'failedPush' }, namingPushes.failed)
    },
  })
  registerProcessMetrics(registry)
  if (peers) registerPeerMetrics(registry, peers)

  // A label set is resolved to its series once and found again through nested Maps keyed by the parts as they
  // come (route, method, status), so a request costs a few Map lookups and additions: no label hashing (see
  // series.ts) and no key strings built per request.
  type Pair = { count: CounterSeries; time: HistogramSeries }
  const pair = (protocol: string, api: string, status: number): Pair => ({
    count: requests.series(`${protocol} ${api} ${status}`, () => ({ protocol, api, status: String(status) })),
    time: latency.series(`${protocol} ${api}`, () => ({ protocol, api })),
  })
  const record = (p: Pair, ms: number) => {
    p.count.value++
    latency.observe(p.time, ms / 1000)
  }
  const http = new Map<string, Map<string, Map<number, Pair>>>() // route → method → status
  const rpc = new Map<string, Map<number, Pair>>() // request type → code

  return {
    registry,
    observeHttp(o) {
      let byMethod = http.get(o.route)
      if (!byMethod) http.set(o.route, (byMethod = new Map()))
      let byStatus = byMethod.get(o.method)
      if (!byStatus) byMethod.set(o.method, (byStatus = new Map()))
      let p = byStatus.get(o.status)
      if (!p) byStatus.set(o.status, (p = pair('http', `${o.method} ${o.route}`, o.status)))
      record(p, o.ms)
    },
    observeRpc(type, code, ms) {
      let byCode = rpc.get(type)
      if (!byCode) rpc.set(type, (byCode = new Map()))
      let p = byCode.get(code)
      if (!p) byCode.set(code, (p = pair('grpc', type, code)))
      record(p, ms)
    },
    observePush(type, acked, ms) {
      const kind = pushKind(type)
      const result = acked ? 'acked' : 'failed'
      pushes.series(`${kind} ${result}`, () => ({ kind, result })).value++
      if (kind === 'naming') namingPushes[result]++
      if (acked) pushLatency.observe(pushLatency.series(kind, () => ({ kind })), ms / 1000)
    },
    setConnections(count) {
      connections = count
    },
    text: () => registry.metrics(),
  }
}
