import { fail } from '../shared/errors'
import { parseBool } from '../shared/http'
import { beatTiming, DEFAULT_CLUSTER, DEFAULT_GROUP, GROUP_SEP, type Instance } from './model'

const CLUSTER = /^[0-9a-zA-Z-]+$/
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/
const HOST = /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/
const NAME = /^[^\s@#$%^&*]+$/u
const MAX_METADATA_BYTES = 64 * 1024

/** An IPv4 or IPv6 address, or a host name (Nacos accepts domain names for instances). */
export function checkIp(ip: string | undefined): string {
  const v = ip?.trim()
  if (!v) throw fail.missing('ip')
  const bare = v.replace(/^\[|\]$/g, '')
  if (IPV4.test(bare) || HOST.test(bare) || (bare.includes(':') && /^[0-9a-fA-F:.]+$/.test(bare))) return bare
  throw fail.invalid(`invalid ip: ${v}`)
}

/** A port: an integer from 0 to 65535. */
export function checkPort(port: unknown): number {
  const n = typeof port === 'string' ? (port.trim() === '' ? NaN : Number(port)) : (port as number)
  if (port === undefined || port === null) throw fail.missing('port')
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw fail.invalid(`invalid port: ${String(port)} (0-65535)`)
  return n
}

/** A weight from 0 to 10000 (Nacos's MAX_WEIGHT_VALUE); default 1. */
export function checkWeight(weight: unknown): number {
  if (weight === undefined || weight === null || weight === '') return 1
  const n = Number(weight)
  if (!Number.isFinite(n) || n < 0 || n > 10000) throw fail.invalid(`invalid weight: ${String(weight)} (0-10000)`)
  return n
}

/** A cluster name matching Nacos's `^[0-9a-zA-Z-]+$`; blank means DEFAULT. */
export function checkCluster(name: string | undefined): string {
  const v = name?.trim()
  if (!v) return DEFAULT_CLUSTER
  if (!CLUSTER.test(v)) throw fail.invalid(`invalid clusterName: ${v} (letters, digits and - only)`)
  return v
}

/** A plain service name; `@@` is reserved as the group separator. */
export function checkServiceName(name: string | undefined): string {
  const v = name?.trim()
  if (!v) throw fail.missing('serviceName')
  if (v.includes(GROUP_SEP)) throw fail.invalid(`invalid serviceName: ${v} ('@@' is reserved)`)
  if (v.length > 512 || !NAME.test(v)) throw fail.invalid(`invalid serviceName: ${v}`)
  return v
}

/** A group name; blank means DEFAULT_GROUP. */
export function checkGroup(name: string | undefined): string {
  const v = name?.trim()
  if (!v) return DEFAULT_GROUP
  if (v.includes(GROUP_SEP) || v.length > 128 || !NAME.test(v)) throw fail.invalid(`invalid groupName: ${v}`)
  return v
}

/** Metadata: string values (numbers and booleans are stringified), at most 64 KiB in all. */
export function checkMetadata(meta: unknown): Record<string, string> {
  if (meta === undefined || meta === null || meta === '') return {}
  if (typeof meta !== 'object' || Array.isArray(meta)) throw fail.invalid('invalid metadata: must be an object of strings')
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(meta as Record<string, unknown>)) {
    if (v === null || v === undefined) continue
    if (typeof v === 'object') throw fail.invalid(`invalid metadata: value of ${k} must be a string`)
    out[k] = String(v)
  }
  if (JSON.stringify(out).length > MAX_METADATA_BYTES) throw fail.invalid(`invalid metadata: larger than ${MAX_METADATA_BYTES} bytes`)
  return out
}

/** Parses metadata given as JSON or as `k=v,k2=v2` (Node and Go send the latter; r-nacos #121). */
export function parseMetadataParam(s: string | undefined): Record<string, string> {
  if (!s?.trim()) return {}
  const t = s.trim()
  if (t.startsWith('{')) {
    try {
      return checkMetadata(JSON.parse(t))
    } catch (e) {
      if (e instanceof SyntaxError) throw fail.invalid('invalid metadata: not valid JSON')
      throw e
    }
  }
  const out: Record<string, string> = {}
  for (const pair of t.split(',')) {
    const i = pair.indexOf('=')
    if (i <= 0) throw fail.invalid(`invalid metadata: expected k=v pairs, got ${pair}`)
    out[pair.slice(0, i).trim()] = pair.slice(i + 1).trim()
  }
  return checkMetadata(out)
}

/** Nacos NamingUtils.checkInstanceIsLegal: the beat interval must not exceed the timeouts. */
export function checkBeatMetadata(i: Pick<Instance, 'metadata'>) {
  const t = beatTiming(i)
  if (t.interval > t.timeout || t.interval > t.deleteTimeout) {
    throw fail.invalid('invalid metadata: preserved.heart.beat.interval must not exceed preserved.heart.beat.timeout or preserved.ip.delete.timeout')
  }
}

/** Builds a validated Instance from loose input, filling Nacos's defaults and the `simple` instanceId. */
export function toInstance(
  raw: { instanceId?: unknown; ip?: unknown; port?: unknown; weight?: unknown; healthy?: unknown; enabled?: unknown; ephemeral?: unknown; clusterName?: unknown; metadata?: unknown },
  service: { group: string; name: string },
  ephemeralDefault = true,
): Instance {
  const ip = checkIp(typeof raw.ip === 'string' ? raw.ip : undefined)
  const port = checkPort(raw.port)
  const clusterName = checkCluster(typeof raw.clusterName === 'string' ? raw.clusterName : undefined)
  const metadata = checkMetadata(raw.metadata)
  const inst: Instance = {
    instanceId: typeof raw.instanceId === 'string' && raw.instanceId.trim() ? raw.instanceId.trim() : `${ip}#${port}#${clusterName}#${service.group}${GROUP_SEP}${service.name}`,
    ip, port, weight: checkWeight(raw.weight),
    healthy: parseBool(raw.healthy, true),
    enabled: parseBool(raw.enabled, true),
    ephemeral: parseBool(raw.ephemeral, ephemeralDefault),
    clusterName, metadata,
  }
  checkBeatMetadata(inst)
  return inst
}
