import { normalizeNamespace } from '../../shared/namespace'
import type { ConfigCenter } from '../center'
import type { ConfigRecord } from '../model'
import { configsOfNamespace } from '../search'
import { buildNacosZip, type ExportFormat } from './nacos-zip'

/** What `GET /nacos/v1/cs/configs?export[V2]=true` selects by: blank fields select all. */
export interface ExportQuery {
  namespace?: string
  dataId?: string
  group?: string
  appName?: string
  /** Config row ids (the `id` a search page returns); when given, only those configs. */
  ids?: number[]
}

/** A filter field: `*` is a wildcard, otherwise an exact match (the console's blur search spelling). */
function matcher(pattern: string | undefined): (v: string) => boolean {
  const p = pattern?.trim()
  if (!p) return () => true
  if (!p.includes('*')) return (v) => v === p
  const re = new RegExp('^' + p.split('*').map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$')
  return (v) => re.test(v)
}

/**
 * The formal configs an export selects, in id order (Nacos findAllConfigInfo4Export). Ids are confined to the
 * namespace asked for, unlike Nacos, which looks ids up in every namespace: the auth check was made on that one.
 */
export async function selectForExport(cc: ConfigCenter, q: ExportQuery): Promise<ConfigRecord[]> {
  const ns = normalizeNamespace(q.namespace)
  const base = q.ids?.length ? (await cc.store.findByIds(q.ids)).filter((c) => c.namespace === ns) : await configsOfNamespace(cc, ns)
  const [d, g, a] = [matcher(q.dataId), matcher(q.group), matcher(q.appName)]
  return base.filter((c) => d(c.dataId) && g(c.group) && a(c.appName)).sort((x, y) => x.id - y.id)
}

/** Exports the selected configs as a Nacos zip of the given format. */
export async function exportConfigs(cc: ConfigCenter, q: ExportQuery, format: ExportFormat): Promise<{ zip: Uint8Array; count: number }> {
  const configs = await selectForExport(cc, q)
  return { zip: buildNacosZip(configs, format), count: configs.length }
}

/** The download name Nacos gives an export: `nacos_config_export_yyyyMMddHHmmss.zip` (local time). */
export function exportFileName(now: Date): string {
  const p = (n: number) => String(n).padStart(2, '0')
  return `nacos_config_export_${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}${p(now.getHours())}${p(now.getMinutes())}${p(now.getSeconds())}.zip`
}
