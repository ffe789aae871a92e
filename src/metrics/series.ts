import type { Metric, Registry } from 'prom-client'

/*
 * A counter and a histogram for the per-request figures, recorded with plain arithmetic on series objects the
 * caller resolves once per label set. prom-client's own inc/observe hash the label object, validate it and
 * allocate on every call, even through a `labels()` child (13% of the HTTP config query's CPU in the issue 7
 * profile). The exposition is left to prom-client's Registry: `getForPromString` hands it values in the exact
 * shape its Counter and Histogram do, so /metrics reads byte for byte as before.
 */

type Labels = Record<string, string>

/** One label set of a SeriesCounter; `value` is incremented in place. */
export interface CounterSeries {
  readonly labels: Labels
  value: number
}

/** A prom-client compatible counter whose label sets are resolved once into series. */
export class SeriesCounter {
  readonly type = 'counter'
  readonly aggregator = 'sum'
  private bySet = new Map<string, CounterSeries>()

  constructor(public name: string, readonly help: string, registry: Registry) {
    registry.registerMetric(this as unknown as Metric)
  }

  /** The series of a label set, made on first use; `key` names the set (label sets are few: routes, types). */
  series(key: string, labels: () => Labels): CounterSeries {
    let s = this.bySet.get(key)
    if (!s) this.bySet.set(key, (s = { labels: labels(), value: 0 }))
    return s
  }

  reset() {
    for (const s of this.bySet.values()) s.value = 0
  }

  async get() {
    return { help: this.help, name: this.name, type: this.type, values: [...this.bySet.values()].map((s) => ({ value: s.value, labels: s.labels })), aggregator: this.aggregator }
  }
}

/** One label set of a SeriesHistogram: per-bucket (not cumulative) counts, sum and count. */
export interface HistogramSeries {
  readonly labels: Labels
  readonly buckets: number[]
  sum: number
  count: number
}

/** A prom-client compatible histogram whose label sets are resolved once into series. */
export class SeriesHistogram {
  readonly type = 'histogram'
  readonly aggregator = 'sum'
  private bySet = new Map<string, HistogramSeries>()

  constructor(public name: string, readonly help: string, private readonly bounds: readonly number[], registry: Registry) {
    registry.registerMetric(this as unknown as Metric)
  }

  /** The series of a label set, made on first use; `key` names the set. */
  series(key: string, labels: () => Labels): HistogramSeries {
    let s = this.bySet.get(key)
    if (!s) this.bySet.set(key, (s = { labels: labels(), buckets: this.bounds.map(() => 0), sum: 0, count: 0 }))
    return s
  }

  /** Records one value: the first bucket whose bound is >= it (none past the last bound, as prom-client). */
  observe(s: HistogramSeries, value: number) {
    const b = this.bounds
    for (let i = 0; i < b.length; i++) {
      if (value <= b[i]) {
        s.buckets[i]++
        break
      }
    }
    s.sum += value
    s.count++
  }

  reset() {
    for (const s of this.bySet.values()) {
      s.buckets.fill(0)
      s.sum = 0
      s.count = 0
    }
  }

  /** The values as prom-client's Histogram lists them: cumulative buckets, +Inf, _sum, _count per series. */
  async getForPromString() {
    return { name: this.name, help: this.help, type: this.type, values: histogramValues(this.name, this.bounds, this.bySet.values()), aggregator: this.aggregator }
  }

  /** As prom-client's get(): the series labels merged into each value's own (getMetricsAsJSON). */
  async get() {
    const data = await this.getForPromString()
    return { ...data, values: data.values.map(({ labels, sharedLabels, ...v }) => ({ ...v, labels: { ...labels, ...sharedLabels } })) }
  }
}

/** Histogram series as prom-client's exposition wants them: cumulative buckets, +Inf, _sum and _count per series. */
export function histogramValues(name: string, bounds: readonly number[], series: Iterable<HistogramSeries>) {
  const bucket = `${name}_bucket`
  const values: { labels: Record<string, string | number>; sharedLabels: Labels; value: number; metricName: string; exemplar?: null }[] = []
  for (const s of series) {
    let acc = 0
    for (let i = 0; i < bounds.length; i++) {
      acc += s.buckets[i]
      values.push({ labels: { le: bounds[i] }, sharedLabels: s.labels, value: acc, metricName: bucket, exemplar: null })
    }
    values.push(
      { labels: { le: '+Inf' }, sharedLabels: s.labels, value: s.count, metricName: bucket, exemplar: null },
      { labels: {}, sharedLabels: s.labels, value: s.sum, metricName: `${name}_sum` },
      { labels: {}, sharedLabels: s.labels, value: s.count, metricName: `${name}_count` },
    )
  }
  return values
}
