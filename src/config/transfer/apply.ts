import { fail, NacosError } from '../../shared/errors'
import { md5 } from '../../shared/md5'
import type { ConfigCenter } from '../center'
import { keyString, type Actor, type ConfigRecord } from '../model'
import { toKey } from '../publish'
import { checkContent, checkLength, checkTags, checkType } from '../validate'
import type { ImportItem } from './nacos-zip'

/** What to do with a config that already exists (Nacos SameConfigPolicy). */
export type Policy = 'ABORT' | 'SKIP' | 'OVERWRITE'

/** Reads a policy parameter; blank is ABORT, as Nacos defaults it. Case-insensitive (the CLI takes lower case). */
export function parsePolicy(value: string | undefined): Policy {
  const v = (value ?? '').trim().toUpperCase()
  if (v === '') return 'ABORT'
  if (v === 'ABORT' || v === 'SKIP' || v === 'OVERWRITE') return v
  throw fail.invalid(`invalid policy: ${value} (one of ABORT, SKIP, OVERWRITE)`)
}

/** The counts and lists Nacos's batchInsertOrUpdate returns. */
export interface ImportResult {
  succCount: number
  skipCount: number
  failData: { dataId: string; group: string }[]
  skipData: { dataId: string; group: string }[]
}

type Draft = Omit<ConfigRecord, 'id' | 'createdAt'>

/** A batch checked and resolved against what is stored, not yet written. */
export interface ImportPlan {
  writes: Draft[]
  result: ImportResult
}

/** Unknown types become text on import, as Nacos coerces them, rather than failing a whole zip. */
function importType(type: string | undefined, fallback: string): string {
  if (type === undefined || type.trim() === '') return fallback
  try {
    return checkType(type)
  } catch {
    return 'text'
  }
}

/** Validates one item with the publish path's own checks; an existing config lends the fields the item lacks. */
function draft(cc: ConfigCenter, namespace: string, item: ImportItem, actor: Actor, now: number): Draft {
  const key = toKey(item.dataId, item.group, namespace)
  const old = cc.cache.formal(key)
  const pick = (v: string | undefined, had: string | undefined) => v ?? had ?? ''
  const content = checkContent(item.content, cc.limits.maxContentBytes)
  return {
    ...key, content, md5: md5(content),
    appName: checkLength('appName', pick(item.appName, old?.appName), 128),
    type: importType(item.type, old?.type ?? 'text'),
    desc: checkLength('desc', pick(item.desc, old?.desc), 128),
    use: checkLength('use', pick(item.use, old?.use), 32),
    effect: checkLength('effect', pick(item.effect, old?.effect), 32),
    schema: checkLength('schema', pick(item.schema, old?.schema), 32768),
    configTags: checkTags(pick(item.configTags, old?.configTags)),
    encryptedDataKey: checkLength('encryptedDataKey', pick(item.encryptedDataKey, old?.encryptedDataKey), 1024),
    ...actor, modifiedAt: now,
  }
}

/**
 * Checks a whole batch before anything is written and applies the policy. Any invalid item refuses the whole batch
 * (a NacosError naming the entry). ABORT with a config that already exists writes nothing at all, unlike Nacos,
 * which keeps the configs written before the conflict: the first conflict is reported in `failData` and every
 * other item in `skipData`. SKIP leaves existing configs alone; OVERWRITE replaces them (fields the zip does not
 * carry, such as tags, are kept). A `group/dataId` repeated in the batch counts as existing after its first copy.
 */
export function planImport(cc: ConfigCenter, namespace: string, items: ImportItem[], policy: Policy, actor: Actor): ImportPlan {
  const now = cc.now()
  const drafts = items.map((item) => {
    try {
      return draft(cc, namespace, item, actor, now)
    } catch (e) {
      if (e instanceof NacosError) throw new NacosError(e.kind, `${item.group}/${item.dataId}: ${e.message}`)
      throw e
    }
  })
  const seen = new Set<string>()
  const result: ImportResult = { succCount: 0, skipCount: 0, failData: [], skipData: [] }
  const writes: Draft[] = []
  const id = (d: Draft) => ({ dataId: d.dataId, group: d.group })
  for (const [i, d] of drafts.entries()) {
    const k = keyString(d)
    const exists = seen.has(k) || !!cc.cache.formal(d)
    seen.add(k)
    if (exists && policy === 'ABORT') {
      const others = drafts.filter((_, j) => j !== i).map(id)
      return { writes: [], result: { succCount: 0, skipCount: others.length, failData: [id(d)], skipData: others } }
    }
    if (exists && policy === 'SKIP') {
      result.skipCount++
      result.skipData.push(id(d))
      continue
    }
    writes.push(d)
    result.succCount++
  }
  return { writes, result }
}

/**
 * Writes planned configs through the publish path's storage verb (config_info + a history row each) in one
 * transaction, then updates the cache and tells listeners, as publishConfig does after its commit.
 */
export async function applyPlans(cc: ConfigCenter, plans: ImportPlan[]): Promise<number> {
  const writes = plans.flatMap((p) => p.writes)
  if (writes.length === 0) return 0
  const saved = await cc.store.saveFormals(writes)
  for (const r of saved) {
    cc.cache.setFormal(r)
    cc.watches.notify(r)
  }
  return saved.length
}

/** Plans and applies one namespace's batch. */
export async function importItems(cc: ConfigCenter, namespace: string, items: ImportItem[], policy: Policy, actor: Actor): Promise<ImportResult> {
  const plan = planImport(cc, namespace, items, policy, actor)
  await applyPlans(cc, [plan])
  return plan.result
}
