import { fail } from '../shared/errors'
import { normalizeNamespace } from '../shared/namespace'
import type { ConfigCenter } from './center'
import { isStale, type ListenItem } from './listen'
import { keyString, type ClientLabels, type ConfigKey } from './model'
import type { Watcher } from './watches'

const WORD = '\u0002'
const LINE = '\u0001'

/**
 * Parses the 1.x `Listening-Configs` parameter: entries `dataId␂group␂md5[␂tenant]␁` — note md5 comes
 * *before* tenant. A value that arrives URL-encoded once more (Java Nacos decodes it a second time) is
 * decoded here too. More than 10,000 entries is refused, as Nacos does.
 */
export function parseListeningConfigs(raw: string): ListenItem[] {
  let s = raw
  if (!s.includes(WORD) && /%0[12]/i.test(s)) s = decodeURIComponent(s)
  const out: ListenItem[] = []
  for (const line of s.split(LINE)) {
    if (!line) continue
    const f = line.split(WORD)
    if (f.length < 3 || !f[0] || !f[1]) throw fail.invalid('invalid Listening-Configs: each entry needs dataId, group and md5')
    out.push({ dataId: f[0], group: f[1], md5: f[2], tenant: f[3] ?? '' })
    if (out.length > 10_000) throw fail.invalid('invalid Listening-Configs: more than 10000 entries')
  }
  return out
}

/** Java URLEncoder.encode: keeps `A-Za-z0-9 . - * _`, turns space into `+`, percent-encodes the rest as UTF-8. */
export function javaUrlEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()~]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase()).replace(/%20/g, '+')
}

/** The long-poll reply body: changed keys, tenant omitted for blank-tenant listeners, URL-encoded, newline. */
export function formatChanged(items: ListenItem[]): string {
  if (items.length === 0) return ''
  const raw = items.map((i) => (i.tenant ? [i.dataId, i.group, i.tenant] : [i.dataId, i.group]).join(WORD) + LINE).join('')
  return javaUrlEncode(raw) + '\n'
}

/** The listened keys whose md5 differs from what this client would read now. */
export function staleItems(cc: ConfigCenter, items: ListenItem[], labels: ClientLabels): ListenItem[] {
  return items.filter((i) => isStale(cc, i, labels))
}

/**
 * Holds a long poll: resolves with the changed items as soon as one listened key changes for this client, or
 * with [] at the timeout or when `signal` aborts (the client went away). Watches only its own keys.
 */
export function waitForChange(cc: ConfigCenter, items: ListenItem[], labels: ClientLabels, timeoutMs: number, signal?: AbortSignal): Promise<ListenItem[]> {
  return new Promise((resolve) => {
    const keys = new Map<string, { key: ConfigKey; item: ListenItem }>()
    for (const item of items) {
      const key = { dataId: item.dataId, group: item.group, namespace: normalizeNamespace(item.tenant) }
      keys.set(keyString(key), { key, item })
    }
    let done = false
    const finish = (changed: ListenItem[]) => {
      if (done) return
      done = true
      clearTimeout(timer)
      signal?.removeEventListener('abort', onAbort)
      for (const { key } of keys.values()) cc.watches.remove(key, watcher)
      resolve(changed)
    }
    const watcher: Watcher = {
      clientIp: labels.clientIp ?? '',
      md5Of: (s) => keys.get(s)?.item.md5,
      onChange(key) {
        const hit = keys.get(keyString(key))
        if (hit && isStale(cc, hit.item, labels)) finish([hit.item])
      },
    }
    const onAbort = () => finish([])
    const timer = setTimeout(() => finish([]), timeoutMs)
    signal?.addEventListener('abort', onAbort)
    for (const { key } of keys.values()) cc.watches.add(key, watcher)
  })
}
