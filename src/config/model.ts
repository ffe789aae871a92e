/** A config's identity with the namespace already normalised (see shared/namespace.ts). */
export interface ConfigKey {
  dataId: string
  group: string
  namespace: string
}

/** The descriptive fields a publish may carry besides the content. */
export interface ConfigMeta {
  appName: string
  type: string
  desc: string
  use: string
  effect: string
  schema: string
  configTags: string
  encryptedDataKey: string
}

/** A formal (non-gray) config version as stored. */
export interface ConfigRecord extends ConfigKey, ConfigMeta {
  id: number
  content: string
  md5: string
  srcUser: string
  srcIp: string
  createdAt: number
  modifiedAt: number
}

/** How a gray version picks its clients: beta by client IP, or by a tag label. */
export type GrayRule = { type: 'beta'; ips: string[]; priority: number } | { type: 'tag'; tag: string; priority: number }

/** A gray version of a config (Nacos 2.5 `config_info_gray`). */
export interface GrayRecord extends ConfigKey {
  id: number
  grayName: string
  rule: GrayRule
  content: string
  md5: string
  appName: string
  encryptedDataKey: string
  srcUser: string
  srcIp: string
  createdAt: number
  modifiedAt: number
}

/** Who made a change and from where; recorded in history. */
export interface Actor {
  srcUser: string
  srcIp: string
}

/** The client facts gray resolution looks at. */
export interface ClientLabels {
  clientIp?: string
  tag?: string
}

/** The in-memory key of a config: one string, unambiguous because `\u0001` never occurs in valid ids. */
export function keyString(k: ConfigKey): string {
  return `${k.namespace}\u0001${k.group}\u0001${k.dataId}`
}

/** Gray name of a beta version (Nacos BetaGrayRule). */
export const BETA = 'beta'
/** Gray name of a tag version: Nacos stores tag publishes as `tag_<tag>` (TagGrayRule). */
export const tagGrayName = (tag: string) => `tag_${tag}`
/** Priorities as Nacos: beta wins over tag. */
export const BETA_PRIORITY = 2147483647
/** A tag version's priority: just below beta. */
export const TAG_PRIORITY = 2147483646
