import { fail } from '../shared/errors'
import { md5 } from '../shared/md5'
import { checkNamespace } from '../shared/namespace'
import type { ConfigCenter } from './center'
import { BETA, BETA_PRIORITY, TAG_PRIORITY, tagGrayName, type ConfigKey, type GrayRule } from './model'
import { checkContent, checkId, checkLength, checkTag, checkTags, checkType } from './validate'

/** A publish as any transport delivers it; blank optional fields mean "not given". */
export interface PublishInput {
  dataId?: string
  group?: string
  namespace?: string
  content?: string
  casMd5?: string
  tag?: string
  betaIps?: string
  appName?: string
  type?: string
  desc?: string
  use?: string
  effect?: string
  schema?: string
  configTags?: string
  encryptedDataKey?: string
  srcUser?: string
  srcIp?: string
}

/** Validates dataId, group and namespace into a ConfigKey. */
export function toKey(dataId: string | undefined, group: string | undefined, namespace: string | undefined): ConfigKey {
  return { dataId: checkId('dataId', dataId, 256), group: checkId('group', group, 128), namespace: checkNamespace(namespace) }
}

/**
 * Publishes a config (Nacos ConfigPublishRequestHandler): non-blank betaIps makes a beta gray version, else a
 * non-blank tag makes a tag gray version, else the formal config is written — conditionally when casMd5 is set.
 * Everything is validated before anything is stored; listeners of the key are told after the commit.
 */
export async function publishConfig(cc: ConfigCenter, input: PublishInput): Promise<void> {
  const key = toKey(input.dataId, input.group, input.namespace)
  const content = checkContent(input.content, cc.limits.maxContentBytes)
  // Cut to the shared database's column widths (src_user 255, src_ip 64): who published is informational.
  const actor = { srcUser: (input.srcUser ?? '').slice(0, 255), srcIp: (input.srcIp ?? '').slice(0, 64) }
  const appName = checkLength('appName', input.appName, 128)
  const encryptedDataKey = checkLength('encryptedDataKey', input.encryptedDataKey, 1024)
  const type = checkType(input.type)
  const desc = checkLength('desc', input.desc, 128)
  const use = checkLength('use', input.use, 32)
  const effect = checkLength('effect', input.effect, 32)
  const schema = checkLength('schema', input.schema, 32768)
  const configTags = checkTags(input.configTags)
  const now = cc.now()
  const hash = md5(content)

  const betaIps = (input.betaIps ?? '').split(',').map((s) => s.trim()).filter(Boolean)
  const tag = (input.tag ?? '').trim()
  if (betaIps.length || tag) {
    const rule: GrayRule = betaIps.length ? { type: 'beta', ips: betaIps, priority: BETA_PRIORITY } : { type: 'tag', tag: checkTag(tag), priority: TAG_PRIORITY }
    const name = betaIps.length ? BETA : tagGrayName(tag)
    cc.cache.setGray(await cc.store.saveGray(key, name, rule, content, hash, { appName, encryptedDataKey }, actor, now))
    cc.watches.notify(key)
    return
  }

  const cas = input.casMd5?.trim() ? input.casMd5.trim() : undefined
  const saved = await cc.store.saveFormal({ ...key, content, md5: hash, appName, type, desc, use, effect, schema, configTags, encryptedDataKey, ...actor, modifiedAt: now }, actor, cas)
  if (!saved) throw fail.casFailed('Cas publish fail, server md5 may have changed.')
  cc.cache.setFormal(saved.record)
  cc.watches.notify(key)
}
