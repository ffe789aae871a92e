import { keyString, type ClientLabels, type ConfigKey, type ConfigRecord, type GrayRecord } from './model'

interface Entry {
  formal?: ConfigRecord
  grays: GrayRecord[] // highest priority first
}

/** A version chosen for a client: the formal config or the gray version whose rule matched. */
export interface Resolved {
  version: ConfigRecord | GrayRecord
  gray?: GrayRecord
}

/** Every config and gray version in memory, so reads and listen checks never touch the database. */
export class ConfigCache {
  private entries = new Map<string, Entry>()

  /** Replaces the contents with what the database holds. */
  load(formal: ConfigRecord[], grays: GrayRecord[]) {
    this.entries.clear()
    for (const f of formal) this.setFormal(f)
    for (const g of grays) this.setGray(g)
  }

  private entry(k: ConfigKey): Entry {
    const s = keyString(k)
    let e = this.entries.get(s)
    if (!e) this.entries.set(s, (e = { grays: [] }))
    return e
  }

  private prune(k: ConfigKey, e: Entry) {
    if (!e.formal && e.grays.length === 0) this.entries.delete(keyString(k))
  }

  /** The formal version, if any. */
  formal(k: ConfigKey): ConfigRecord | undefined {
    return this.entries.get(keyString(k))?.formal
  }

  /** The gray versions, highest priority first. */
  grays(k: ConfigKey): readonly GrayRecord[] {
    return this.entries.get(keyString(k))?.grays ?? []
  }

  setFormal(r: ConfigRecord) {
    this.entry(r).formal = r
  }

  deleteFormal(k: ConfigKey) {
    const e = this.entries.get(keyString(k))
    if (!e) return
    e.formal = undefined
    this.prune(k, e)
  }

  setGray(g: GrayRecord) {
    const e = this.entry(g)
    e.grays = e.grays.filter((x) => x.grayName !== g.grayName).concat(g).sort((a, b) => b.rule.priority - a.rule.priority)
  }

  deleteGray(k: ConfigKey, grayName: string) {
    const e = this.entries.get(keyString(k))
    if (!e) return
    e.grays = e.grays.filter((x) => x.grayName !== grayName)
    this.prune(k, e)
  }

  /**
   * Picks the version a client sees (Nacos ConfigQueryRequestHandler): with an explicit tag only that tag's gray
   * version (no fallback); otherwise the first gray whose rule matches the client, else the formal one.
   */
  resolve(k: ConfigKey, labels: ClientLabels, explicitTag?: string): Resolved | undefined {
    const e = this.entries.get(keyString(k))
    if (!e) return undefined
    if (explicitTag) {
      const g = e.grays.find((x) => x.rule.type === 'tag' && x.rule.tag === explicitTag)
      return g && { version: g, gray: g }
    }
    for (const g of e.grays) {
      const r = g.rule
      if (r.type === 'beta' && labels.clientIp && r.ips.includes(labels.clientIp)) return { version: g, gray: g }
      if (r.type === 'tag' && labels.tag && r.tag === labels.tag) return { version: g, gray: g }
    }
    return e.formal && { version: e.formal }
  }

  /** The md5 a client would read; "" when there is nothing for it. */
  md5For(k: ConfigKey, labels: ClientLabels): string {
    return this.resolve(k, labels)?.version.md5 ?? ''
  }

  /** Every key held, formal or gray only (the cluster's full reconcile walks them). */
  *keys(): IterableIterator<ConfigKey> {
    for (const e of this.entries.values()) {
      const r = e.formal ?? e.grays[0]
      if (r) yield { dataId: r.dataId, group: r.group, namespace: r.namespace }
    }
  }

  /** Number of formal configs per namespace. */
  countByNamespace(): Map<string, number> {
    const out = new Map<string, number>()
    for (const e of this.entries.values()) if (e.formal) out.set(e.formal.namespace, (out.get(e.formal.namespace) ?? 0) + 1)
    return out
  }

  /** Number of formal configs. */
  get size(): number {
    let n = 0
    for (const e of this.entries.values()) if (e.formal) n++
    return n
  }
}
