import type { ConfigCenter } from './center'
import { BETA, tagGrayName, type Actor, type ConfigRecord } from './model'
import { toKey } from './publish'

/**
 * Removes a config. A blank tag deletes the formal version only (gray versions stay, as Nacos). A tag deletes
 * that tag's gray version: Nacos 2.5 passes the raw tag as the gray name while publishes store `tag_<tag>`,
 * so both spellings are accepted. Removing something absent succeeds, as in Nacos.
 */
export async function removeConfig(cc: ConfigCenter, q: { dataId?: string; group?: string; namespace?: string; tag?: string }, actor: Actor): Promise<void> {
  const key = toKey(q.dataId, q.group, q.namespace)
  const tag = q.tag?.trim()
  const now = cc.now()
  if (tag) {
    for (const name of tag.startsWith('tag_') ? [tag, tagGrayName(tag)] : [tagGrayName(tag), tag]) {
      if (await cc.store.deleteGray(key, name, actor, now)) {
        cc.cache.deleteGray(key, name)
        cc.watches.notify(key)
        return
      }
    }
    return
  }
  if (await cc.store.deleteFormal(key, actor, now)) {
    cc.cache.deleteFormal(key)
    cc.watches.notify(key)
  }
}

/** Stops a beta release: deletes the beta gray version so every client reads the formal one again. */
export async function stopBeta(cc: ConfigCenter, q: { dataId?: string; group?: string; namespace?: string }, actor: Actor): Promise<boolean> {
  const key = toKey(q.dataId, q.group, q.namespace)
  const gone = await cc.store.deleteGray(key, BETA, actor, cc.now())
  if (gone) {
    cc.cache.deleteGray(key, BETA)
    cc.watches.notify(key)
  }
  return !!gone
}

/** Deletes configs by id (console batch delete); returns what was deleted. */
export async function removeConfigsById(cc: ConfigCenter, ids: number[], actor: Actor): Promise<ConfigRecord[]> {
  const out: ConfigRecord[] = []
  for (const rec of await cc.store.findByIds(ids)) {
    const gone = await cc.store.deleteFormal(rec, actor, cc.now())
    if (!gone) continue
    out.push(gone)
    cc.cache.deleteFormal(rec)
    cc.watches.notify(rec)
  }
  return out
}
