import { normalizeNamespace } from '../shared/namespace'
import { paging, toPage, type Page } from '../shared/page'
import type { ConfigCenter } from './center'
import type { ConfigRecord } from './model'

/** A config search as the console and OpenAPI send it. */
export interface SearchQuery {
  namespace?: string
  dataId?: string
  group?: string
  appName?: string
  configTags?: string
  /** `accurate`: blank fields match all, others match exactly. `blur`: `*` is a wildcard (Nacos generateLikeArgument). */
  mode: 'accurate' | 'blur'
  pageNo?: number
  pageSize?: number
}

/** Searches formal configs of one namespace, newest change first. */
export async function searchConfigs(cc: ConfigCenter, q: SearchQuery): Promise<Page<ConfigRecord>> {
  const { pageNo, pageSize, offset } = paging(q.pageNo, q.pageSize)
  const tags = (q.configTags ?? '').split(',').map((t) => t.trim()).filter(Boolean)
  const { total, rows } = await cc.store.search({ namespace: normalizeNamespace(q.namespace), dataId: q.dataId, group: q.group, appName: q.appName, tags, mode: q.mode }, pageSize, offset)
  return toPage(rows, total, pageNo, pageSize)
}

/** Every formal config of a namespace (export, the history "configs" view). */
export function configsOfNamespace(cc: ConfigCenter, namespace: string | undefined): Promise<ConfigRecord[]> {
  return cc.store.ofNamespace(normalizeNamespace(namespace))
}
