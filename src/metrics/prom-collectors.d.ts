// prom-client's modules imported one by one (see metrics.ts and process.ts); only its index ships types.
declare module 'prom-client/lib/counter' {
  const Counter: typeof import('prom-client').Counter
  export = Counter
}
declare module 'prom-client/lib/gauge' {
  const Gauge: typeof import('prom-client').Gauge
  export = Gauge
}
declare module 'prom-client/lib/histogram' {
  const Histogram: typeof import('prom-client').Histogram
  export = Histogram
}
declare module 'prom-client/lib/registry' {
  const Registry: typeof import('prom-client').Registry
  export = Registry
}
type PromCollector = (registry?: import('prom-client').Registry, config?: { prefix?: string; eventLoopMonitoringPrecision?: number }) => void
declare module 'prom-client/lib/metrics/processStartTime' {
  const collector: PromCollector
  export = collector
}
declare module 'prom-client/lib/metrics/osMemoryHeap' {
  const collector: PromCollector
  export = collector
}
declare module 'prom-client/lib/metrics/processOpenFileDescriptors' {
  const collector: PromCollector
  export = collector
}
declare module 'prom-client/lib/metrics/processMaxFileDescriptors' {
  const collector: PromCollector
  export = collector
}
declare module 'prom-client/lib/metrics/eventLoopLag' {
  const collector: PromCollector
  export = collector
}
declare module 'prom-client/lib/metrics/heapSizeAndUsed' {
  const collector: PromCollector
  export = collector
}
