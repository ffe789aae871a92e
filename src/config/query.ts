import { fail } from '../shared/errors'
import { normalizeNamespace } from '../shared/namespace'
import type { ConfigCenter } from './center'
import type { ClientLabels, ConfigKey } from './model'
import { toKey } from './publish'

/** What a client reads: the content of the version chosen for it and how it was chosen. */
export interface ConfigView {
  key: ConfigKey
  /** The stored record read (formal or gray); identity changes with every write. */
  version: object
  content: string
  md5: string
  type: string
  encryptedDataKey: string
  lastModified: number
  beta: boolean
  tag?: string
}

/** Reads a config from memory for a client; throws notFound ("config data not exist", as Nacos) when absent. */
export function getConfig(cc: ConfigCenter, q: { dataId?: string; group?: string; namespace?: string; tag?: string }, labels: ClientLabels): ConfigView {
  // A key present in the cache was validated when it was published, so a hit skips the id checks; a miss is
  // validated first so bad input still gets 400 rather than 404.
  const raw = q.dataId && q.group ? { dataId: q.dataId, group: q.group, namespace: normalizeNamespace(q.namespace) } : undefined
  const tag = q.tag?.trim() || undefined
  let r = raw && cc.cache.resolve(raw, labels, tag)
  const key = r ? raw! : toKey(q.dataId, q.group, q.namespace)
  r ??= cc.cache.resolve(key, labels, tag)
  if (!r) throw fail.notFound('config data not exist')
  const formal = cc.cache.formal(key)
  const v = r.version
  return {
    key,
    version: v,
    content: v.content,
    md5: v.md5,
    // A gray version has no type of its own; it reads as the formal config's type.
    type: 'type' in v ? v.type : (formal?.type ?? 'text'),
    encryptedDataKey: v.encryptedDataKey,
    lastModified: v.modifiedAt,
    beta: r.gray?.rule.type === 'beta',
    tag: r.gray?.rule.type === 'tag' ? r.gray.rule.tag : undefined,
  }
}
