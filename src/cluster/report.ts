import { loadavg } from 'node:os'

/** What a node says about itself in every ping: shown as the member's extendInfo. */
export interface NodeReport {
  version: string
  /** Process start, ms since the epoch. */
  startedAt: number
  /** 1-minute load average of the machine. */
  load: number
  cpuCount: number
  /** Resident memory of the process, bytes. */
  rssBytes: number
  /** SDK gRPC connections held by the node. */
  sdkConnections: number
}

/** Figures only the wiring knows (connection count); the rest is read from the process. */
export interface ReportSource {
  version: string
  startedAt: number
  sdkConnections(): number
}

/** This node's report, taken now. */
export function selfReport(src: ReportSource): NodeReport {
  return {
    version: src.version,
    startedAt: src.startedAt,
    load: Math.round(loadavg()[0] * 100) / 100,
    cpuCount: navigator.hardwareConcurrency,
    rssBytes: process.memoryUsage.rss(),
    sdkConnections: src.sdkConnections(),
  }
}

/** Reads a report from a peer's JSON, dropping anything malformed rather than trusting it. */
export function readReport(v: unknown): NodeReport | undefined {
  if (typeof v !== 'object' || v === null) return undefined
  const o = v as Record<string, unknown>
  const num = (k: string) => (typeof o[k] === 'number' && Number.isFinite(o[k]) ? (o[k] as number) : 0)
  if (typeof o.version !== 'string') return undefined
  return { version: o.version.slice(0, 64), startedAt: num('startedAt'), load: num('load'), cpuCount: num('cpuCount'), rssBytes: num('rssBytes'), sdkConnections: num('sdkConnections') }
}
