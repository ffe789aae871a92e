import type { Registry } from 'prom-client'
import Counter from 'prom-client/lib/counter'
import eventLoopLag from 'prom-client/lib/metrics/eventLoopLag'
import heapSizeAndUsed from 'prom-client/lib/metrics/heapSizeAndUsed'
import osMemoryHeap from 'prom-client/lib/metrics/osMemoryHeap'
import processMaxFileDescriptors from 'prom-client/lib/metrics/processMaxFileDescriptors'
import processOpenFileDescriptors from 'prom-client/lib/metrics/processOpenFileDescriptors'
import processStartTime from 'prom-client/lib/metrics/processStartTime'

/**
 * The process figures of prom-client's default set that are true under Bun: CPU, start time, resident and
 * virtual memory, file descriptors, event-loop lag and the JS heap. Left out on purpose: active handles,
 * requests and resources (Bun reports none, so they would always read 0), V8 heap spaces (all zero on
 * JavaScriptCore), GC durations (no perf_hooks GC entries in Bun) and nodejs_version_info (Bun's Node
 * compatibility level, not a version anyone runs). CPU time is read here rather than by prom-client's collector,
 * which loads @opentelemetry/api (~2.5 MB resident) for exemplars bnacos does not use.
 */
export function registerProcessMetrics(registry: Registry) {
  const cpu = (name: string, help: string, seconds: (u: NodeJS.CpuUsage) => number) =>
    new Counter({ name, help, registers: [registry], collect() { this.reset(); this.inc(seconds(process.cpuUsage())) } })
  cpu('process_cpu_user_seconds_total', 'Total user CPU time spent in seconds.', (u) => u.user / 1e6)
  cpu('process_cpu_system_seconds_total', 'Total system CPU time spent in seconds.', (u) => u.system / 1e6)
  cpu('process_cpu_seconds_total', 'Total user and system CPU time spent in seconds.', (u) => (u.user + u.system) / 1e6)
  for (const collect of [processStartTime, osMemoryHeap, processOpenFileDescriptors, processMaxFileDescriptors, heapSizeAndUsed]) collect(registry, {})
  eventLoopLag(registry, { eventLoopMonitoringPrecision: 10 })
}
