import { parse, stringify } from 'yaml'

/** Name of the 1.x export metadata entry: `group.dataId~ext.app=appName` lines (Nacos Constants.CONFIG_EXPORT_METADATA). */
export const META_V1 = '.meta.yml'
/** Name of the 2.x export metadata entry: YAML `metadata:` list (Nacos Constants.CONFIG_EXPORT_METADATA_NEW). */
export const META_V2 = '.metadata.yml'

/** One item of `.metadata.yml`: exactly the fields of Nacos ConfigMetadata.ConfigExportItem. */
export interface MetaItem {
  group: string
  dataId: string
  type: string
  appName?: string
  desc?: string
}

/** Thrown when a metadata entry cannot be read (Nacos METADATA_ILLEGAL). */
export class BadMetadataError extends Error {}

/**
 * The key a `.meta.yml` line uses for a config's appName: the dataId's last `.` becomes `~` (Nacos
 * ConfigController.exportConfig), so `DEFAULT_GROUP.app~yaml.app` for `app.yaml`.
 */
export function v1MetaKey(group: string, dataId: string): string {
  const i = dataId.lastIndexOf('.')
  const id = i >= 0 ? `${dataId.slice(0, i)}~${dataId.slice(i + 1)}` : dataId
  return `${group}.${id}.app`
}

/** Writes `.meta.yml` lines for the configs that have an appName, `\r\n`-terminated as Nacos writes them. */
export function writeMetaV1(items: { group: string; dataId: string; appName: string }[]): string | undefined {
  const lines = items.filter((c) => c.appName.trim() !== '').map((c) => `${v1MetaKey(c.group, c.dataId)}=${c.appName}\r\n`)
  return lines.length ? lines.join('') : undefined
}

/** Reads `.meta.yml`: every non-blank line must be `key=value` with exactly one `=` (Nacos parseImportData). */
export function readMetaV1(text: string): Map<string, string> {
  const out = new Map<string, string>()
  for (const line of text.split(/[\r\n]+/)) {
    if (line.trim() === '') continue
    const parts = line.split('=')
    if (parts.length !== 2) throw new BadMetadataError(`bad .meta.yml line: ${JSON.stringify(line.slice(0, 200))}`)
    out.set(parts[0], parts[1])
  }
  return out
}

/**
 * Writes `.metadata.yml`. Only ConfigExportItem's five fields are written: Java Nacos loads the file with plain
 * SnakeYAML `loadAs`, which fails on an unknown property, so extra fields would make our exports unimportable there.
 * Empty fields are left out, as Nacos's YamlParserUtil drops nulls.
 */
export function writeMetaV2(items: MetaItem[]): string {
  const metadata = items.map((i) => {
    const o: Record<string, string> = {}
    if (i.appName) o.appName = i.appName
    o.dataId = i.dataId
    if (i.desc) o.desc = i.desc
    o.group = i.group
    o.type = i.type
    return o
  })
  // YAML 1.1 quoting, so SnakeYAML (a 1.1 parser) never reads a dataId like `yes` or `on` as a boolean.
  return stringify({ metadata }, { version: '1.1' })
}

/** The `metadata` list of a parse; a non-list is empty. */
function metadataList(doc: unknown): unknown[] {
  const list = doc && typeof doc === 'object' ? (doc as Record<string, unknown>).metadata : undefined
  return Array.isArray(list) ? list : []
}

/**
 * Reads `.metadata.yml` as SnakeYAML fills ConfigExportItem's String fields: every scalar is text (`dataId: 1.50`
 * stays "1.50", so the failsafe schema), except a plain `null`/`~`, which is absent (a second, YAML 1.1 parse
 * tells those apart from a quoted 'null'). Aliases are refused outright so a billion-laughs file cannot expand.
 * Each item needs dataId, group and type (Nacos parseImportDataV2); an empty list is illegal too.
 */
export function readMetaV2(text: string): MetaItem[] {
  let texts: unknown[]
  let typed: unknown[]
  try {
    texts = metadataList(parse(text, { schema: 'failsafe', maxAliasCount: 0, uniqueKeys: false }))
    typed = metadataList(parse(text, { version: '1.1', maxAliasCount: 0, uniqueKeys: false }))
  } catch (e) {
    throw new BadMetadataError(`.metadata.yml is not valid YAML: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`)
  }
  if (texts.length === 0) throw new BadMetadataError('.metadata.yml has no metadata items')
  const asMap = (v: unknown) => (v && typeof v === 'object' ? (v as Record<string, unknown>) : {})
  return texts.map((raw, n) => {
    const o = asMap(raw)
    const t = asMap(typed[n])
    const s = (k: string) => (typeof o[k] === 'string' && t[k] !== null ? (o[k] as string) : undefined)
    const item = { group: s('group') ?? '', dataId: s('dataId') ?? '', type: s('type') ?? '', appName: s('appName'), desc: s('desc') }
    if (!item.group.trim() || !item.dataId.trim() || !item.type.trim()) throw new BadMetadataError(`.metadata.yml item ${n + 1} lacks dataId, group or type`)
    return item
  })
}
