import { fail, NacosError } from '../../shared/errors'
import type { ConfigCenter } from '../center'
import type { Actor, ConfigKey } from '../model'
import { importItems, type Policy } from './apply'
import type { ImportOutcome } from './import'

/** One config to clone (Nacos SameNamespaceCloneConfigBean): its row id, and optionally a new dataId/group. */
export interface CloneBean {
  cfgId: number
  dataId?: string
  group?: string
}

/** Reads the clone body: a JSON array of `{cfgId, dataId, group}`; cfgId may be a number or a numeric string. */
export function parseCloneBody(body: unknown): CloneBean[] {
  let list: unknown = body
  if (typeof body === 'string') {
    try {
      list = body.trim() ? JSON.parse(body) : []
    } catch {
      throw fail.invalid('clone body must be a JSON array of {cfgId, dataId, group}')
    }
  }
  if (!Array.isArray(list)) throw fail.invalid('clone body must be a JSON array of {cfgId, dataId, group}')
  return list.filter((x) => x !== null).map((x) => {
    const o = (x && typeof x === 'object' ? x : {}) as Record<string, unknown>
    const id = typeof o.cfgId === 'number' ? o.cfgId : typeof o.cfgId === 'string' && /^\d+$/.test(o.cfgId.trim()) ? Number(o.cfgId) : NaN
    if (!Number.isSafeInteger(id)) throw fail.invalid('each clone item needs a numeric cfgId')
    const s = (k: string) => (typeof o[k] === 'string' && (o[k] as string).trim() ? (o[k] as string).trim() : undefined)
    return { cfgId: id, dataId: s('dataId'), group: s('group') }
  })
}

/**
 * Copies configs by id into a namespace (Nacos ConfigController.cloneConfig): content, type, appName, desc and the
 * encrypted data key travel, a bean's non-blank dataId/group rename the copy, the policy handles existing ones.
 * `mayRead` lets the caller refuse sources the requester may not read (the ids can point into any namespace).
 * Refuses (writing nothing) a missing target namespace, ids of which none exists (Nacos DATA_EMPTY) and copies
 * that would be invalid (a new dataId with bad characters).
 */
export async function cloneConfigs(cc: ConfigCenter, namespace: string, beans: CloneBean[], policy: Policy, actor: Actor, mayRead: (k: ConfigKey) => boolean | Promise<boolean> = () => true): Promise<ImportOutcome> {
  if (!(await cc.namespaceExists(namespace))) return { ok: false, refusal: 'namespaceMissing', message: `target namespace ${namespace} does not exist` }
  const byId = new Map<number, CloneBean>()
  for (const b of beans) if (!byId.has(b.cfgId)) byId.set(b.cfgId, b)
  const sources = (await cc.store.findByIds([...byId.keys()])).sort((a, b) => a.id - b.id)
  if (sources.length === 0) return { ok: false, refusal: 'empty', message: 'none of the selected configs exists' }
  for (const s of sources) if (!(await mayRead(s))) throw fail.forbidden('authorization failed!')
  const items = sources.map((s) => {
    const b = byId.get(s.id)
    return {
      group: b?.group ?? s.group, dataId: b?.dataId ?? s.dataId, content: s.content, type: s.type, appName: s.appName,
      desc: s.desc, configTags: s.configTags, encryptedDataKey: s.encryptedDataKey,
    }
  })
  try {
    return { ok: true, result: { ...(await importItems(cc, namespace, items, policy, actor)), unrecognizedCount: 0, unrecognizedData: [] } }
  } catch (e) {
    if (e instanceof NacosError && (e.kind === 'invalid' || e.kind === 'missing')) return { ok: false, refusal: 'invalid', message: e.message }
    throw e
  }
}
