import { normalizeNamespace } from '../shared/namespace'
import type { ConfigCenter } from './center'
import { keyString, type ClientLabels, type ConfigKey } from './model'
import type { Watcher } from './watches'

/** One key a client listens to, with the namespace spelled the way the client spelled it. */
export interface ListenItem {
  dataId: string
  group: string
  /** The tenant exactly as sent: "" and "public" are one namespace, but clients match pushes on their spelling. */
  tenant: string
  md5: string
}

/** Whether a listened md5 is stale; a missing config has md5 "", so listening with "" on it is up to date. */
export function isStale(cc: ConfigCenter, item: ListenItem, labels: ClientLabels): boolean {
  const key: ConfigKey = { dataId: item.dataId, group: item.group, namespace: normalizeNamespace(item.tenant) }
  return cc.cache.md5For(key, labels) !== item.md5
}

/**
 * A client's listen set (one gRPC connection): the keys, their spellings and md5s. It is a single Watcher in
 * the index for each of its keys and hands changes to `push` with the client's own tenant spelling.
 */
export class ListenSet implements Watcher {
  private items = new Map<string, ListenItem & { key: ConfigKey }>()

  constructor(
    private readonly cc: ConfigCenter,
    readonly clientIp: string,
    private readonly push: (item: ListenItem) => void,
  ) {}

  /** Adds or refreshes a key. */
  listen(item: ListenItem) {
    const key = { dataId: item.dataId, group: item.group, namespace: normalizeNamespace(item.tenant) }
    const s = keyString(key)
    if (!this.items.has(s)) this.cc.watches.add(key, this)
    this.items.set(s, { ...item, key })
  }

  /** Removes a key. */
  unlisten(item: Pick<ListenItem, 'dataId' | 'group' | 'tenant'>) {
    const key = { dataId: item.dataId, group: item.group, namespace: normalizeNamespace(item.tenant) }
    const s = keyString(key)
    if (this.items.delete(s)) this.cc.watches.remove(key, this)
  }

  /** Removes every key (the connection closed). */
  clear() {
    for (const it of this.items.values()) this.cc.watches.remove(it.key, this)
    this.items.clear()
  }

  onChange(key: ConfigKey) {
    const it = this.items.get(keyString(key))
    if (it) this.push(it)
  }

  md5Of(keyStr: string) {
    return this.items.get(keyStr)?.md5
  }

  get size() {
    return this.items.size
  }
}
