/** A cluster member as listed by the operator: the HTTP address other nodes and clients know it by. */
export interface MemberAddress {
  ip: string
  port: number
  /** `ip:port`, Nacos's Member.address. */
  address: string
}

/** Nacos's default HTTP port, used when a cluster.conf line has none (MemberUtil.singleParse). */
export const DEFAULT_MEMBER_PORT = 8848

/** Raised for a member list or cluster setup that cannot work; the message names the setting and the fix. */
export class ClusterSetupError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ClusterSetupError'
  }
}

const HOST = /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/

/** Parses one `ip[:port]` entry (`[v6]:port` for IPv6); `where` names its source in errors. */
export function parseMember(entry: string, where: string): MemberAddress {
  const s = entry.trim()
  let host: string
  let portText: string | undefined
  const v6 = /^\[([0-9A-Fa-f:.]+)\](?::(.*))?$/.exec(s)
  if (v6) [host, portText] = [v6[1], v6[2]]
  else {
    const i = s.lastIndexOf(':')
    if (i !== s.indexOf(':')) throw new ClusterSetupError(`${where}: "${s}" — write IPv6 members as [addr]:port`)
    ;[host, portText] = i < 0 ? [s, undefined] : [s.slice(0, i), s.slice(i + 1)]
    const m = IPV4.exec(host)
    if (m && m.slice(1).some((o) => Number(o) > 255)) throw new ClusterSetupError(`${where}: "${s}" is not a valid IPv4 address`)
    if (!m && !HOST.test(host)) throw new ClusterSetupError(`${where}: "${s}" is not an address (expected ip[:port])`)
  }
  let port = DEFAULT_MEMBER_PORT
  if (portText !== undefined) {
    if (!/^\d{1,5}$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535) throw new ClusterSetupError(`${where}: "${s}" has an invalid port (1–65535)`)
    port = Number(portText)
  }
  const ip = host.toLowerCase()
  return { ip, port, address: ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}` }
}

/** Parses `BNACOS_CLUSTER_MEMBERS`: comma- or whitespace-separated `ip[:port]` entries. */
export function parseMemberList(text: string, where = 'BNACOS_CLUSTER_MEMBERS'): MemberAddress[] {
  return unique(text.split(/[\s,]+/).filter(Boolean).map((e) => parseMember(e, where)), where)
}

/**
 * Parses a cluster.conf as Nacos reads it (EnvUtil.readClusterConf): one `ip[:port]` per line, `#` starts a
 * comment (whole line or trailing), blank lines ignored; Nacos also accepts several comma-separated entries a line.
 */
export function parseClusterConf(text: string, path: string): MemberAddress[] {
  const out: MemberAddress[] = []
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/#.*$/, '').trim()
    if (!line) return
    for (const e of line.split(',').map((x) => x.trim()).filter(Boolean)) out.push(parseMember(e, `${path}:${i + 1}`))
  })
  return unique(out, path)
}

function unique(list: MemberAddress[], where: string): MemberAddress[] {
  const seen = new Set<string>()
  for (const m of list) {
    if (seen.has(m.address)) throw new ClusterSetupError(`${where}: member ${m.address} is listed twice`)
    seen.add(m.address)
  }
  return list
}
