import type { Metric, Registry } from 'prom-client'
import { PEER_DURATION_BOUNDS, type PeerTraffic, type TrafficTally } from '../cluster/traffic'
import { histogramValues } from './series'

type Labels = Record<string, string>
type Row = { labels: Labels; value: number }

/**
 * A counter whose values are read from elsewhere at scrape time: the cluster keeps its own plain counts (it starts
 * before the metrics and exists without them), so nothing is counted twice.
 */
class ScrapedCounter {
  readonly type = 'counter'
  readonly aggregator = 'sum'

  constructor(public name: string, readonly help: string, private readonly read: () => Row[], registry: Registry) {
    registry.registerMetric(this as unknown as Metric)
  }

  reset() {}

  async get() {
    return { help: this.help, name: this.name, type: this.type, values: this.read(), aggregator: this.aggregator }
  }
}

/** Every (direction, type, outcome) tally of the traffic, labelled. */
function tallies(traffic: PeerTraffic): { labels: Labels; t: TrafficTally }[] {
  const out: { labels: Labels; t: TrafficTally }[] = []
  for (const [direction, byType] of [['out', traffic.outgoing], ['in', traffic.incoming]] as const) {
    for (const [type, byOutcome] of byType) {
      for (const [outcome, t] of byOutcome as Map<string, TrafficTally>) out.push({ labels: { direction, type, outcome }, t })
    }
  }
  return out
}

/**
 * Registers the peer channel's series: messages by direction (`out`: calls this node made, `in`: messages it
 * answered), type and outcome; body bytes sent and received the same way; outgoing call durations by type.
 * Only cluster mode has a PeerTraffic, so a standalone node shows none of these.
 */
export function registerPeerMetrics(registry: Registry, traffic: PeerTraffic): void {
  new ScrapedCounter('bnacos_peer_requests_total', 'Node-to-node messages, by direction (out: calls made, in: messages answered), message type and outcome', () => tallies(traffic).map(({ labels, t }) => ({ labels, value: t.count })), registry)
  new ScrapedCounter('bnacos_peer_sent_bytes_total', 'Body bytes this node sent on the peer channel (requests when out, answers when in), by direction, type and outcome', () => tallies(traffic).map(({ labels, t }) => ({ labels, value: t.bytesSent })), registry)
  new ScrapedCounter('bnacos_peer_received_bytes_total', 'Body bytes this node received on the peer channel (answers when out, requests when in), by direction, type and outcome', () => tallies(traffic).map(({ labels, t }) => ({ labels, value: t.bytesReceived })), registry)
  const duration = {
    name: 'bnacos_peer_request_duration_seconds',
    help: 'Time of a call to another node, from sending to the verified answer or the failure, by message type',
    type: 'histogram',
    aggregator: 'sum',
    reset() {},
    series: () => [...traffic.durations].map(([type, d]) => ({ labels: { type }, buckets: d.buckets, sum: d.sum, count: d.count })),
    async getForPromString() {
      return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values: histogramValues(this.name, PEER_DURATION_BOUNDS, this.series()) }
    },
    async get() {
      const data = await this.getForPromString()
      return { ...data, values: data.values.map(({ labels, sharedLabels, ...v }) => ({ ...v, labels: { ...labels, ...sharedLabels } })) }
    },
  }
  registry.registerMetric(duration as unknown as Metric)
}
