import { META_V1, META_V2, readMetaV1, readMetaV2, v1MetaKey, writeMetaV1, writeMetaV2 } from './metadata'
import { entryText, unsafeName, writeZip, type ZipEntry } from './zip'
import type { ConfigRecord } from '../model'

/** A config read from a zip, before validation. Absent fields keep what an overwritten config had. */
export interface ImportItem {
  group: string
  dataId: string
  content: string
  type?: string
  appName?: string
  desc?: string
  configTags?: string
  use?: string
  effect?: string
  schema?: string
  encryptedDataKey?: string
}

/** What a Nacos zip held: the configs, and the entries that were not configs (Nacos `unrecognizedData`). */
export interface ParsedZip {
  format: 'v1' | 'v2'
  items: ImportItem[]
  unrecognized: { itemName: string }[]
}

/** The zip formats Nacos exports: `export=true` (v1, `.meta.yml`) and `exportV2=true` (v2, `.metadata.yml`). */
export type ExportFormat = 'v1' | 'v2'

/** Config file extensions Nacos FileTypeEnum maps to a type; anything else is text. */
const EXT_TYPES: Record<string, string> = { yaml: 'yaml', yml: 'yaml', json: 'json', xml: 'xml', html: 'html', htm: 'html', properties: 'properties', txt: 'text', text: 'text', toml: 'toml' }

/** The type a config without metadata gets from its dataId's extension (Nacos batchInsertOrUpdate). */
export function typeFromDataId(dataId: string): string {
  const i = dataId.lastIndexOf('.')
  return (i >= 0 && EXT_TYPES[dataId.slice(i + 1).toLowerCase()]) || 'text'
}

/** Splits `group/dataId`; anything else (nested folders, unsafe names) is not a config entry. */
function splitName(name: string): [string, string] | undefined {
  if (unsafeName(name)) return undefined
  const parts = name.split('/')
  return parts.length === 2 && parts[0] !== '' && parts[1] !== '' ? [parts[0], parts[1]] : undefined
}

/**
 * Reads a Nacos config zip the way ConfigController.importAndPublishConfig does: with `.metadata.yml` each listed
 * item needs its `group/dataId` entry (type, appName, desc from the metadata); otherwise every `group/dataId` entry
 * is a config, its appName taken from `.meta.yml` and its type from its extension. Throws BadMetadataError.
 */
export function parseNacosZip(entries: ZipEntry[]): ParsedZip {
  const v2 = entries.find((e) => e.name === META_V2)
  const v1 = v2 ? undefined : entries.find((e) => e.name === META_V1)
  const meta = v2 ?? v1
  const unrecognized: { itemName: string }[] = []
  const files = new Map<string, { group: string; dataId: string; content: string }>()
  for (const e of entries) {
    if (e === meta) continue
    const gd = splitName(e.name)
    if (!gd) {
      unrecognized.push({ itemName: e.name })
      continue
    }
    files.set(`${gd[0]}/${gd[1]}`, { group: gd[0], dataId: gd[1], content: entryText(e) })
  }
  if (v2) {
    const listed = readMetaV2(entryText(v2))
    const keys = new Set(listed.map((m) => `${m.group}/${m.dataId}`))
    for (const k of files.keys()) if (!keys.has(k)) unrecognized.push({ itemName: `not found in metadata: ${k}` })
    const items: ImportItem[] = []
    for (const m of listed) {
      const f = files.get(`${m.group}/${m.dataId}`)
      if (!f) unrecognized.push({ itemName: `not found in file: ${m.group}/${m.dataId}` })
      else items.push({ group: m.group, dataId: m.dataId, content: f.content, type: m.type, appName: m.appName, desc: m.desc })
    }
    return { format: 'v2', items, unrecognized }
  }
  const apps = v1 ? readMetaV1(entryText(v1)) : new Map<string, string>()
  const items = [...files.values()].map((f) => ({ ...f, type: typeFromDataId(f.dataId), appName: apps.get(v1MetaKey(f.group, f.dataId)) }))
  return { format: 'v1', items, unrecognized }
}

/** Builds a Nacos export zip: one `group/dataId` entry per config plus the format's metadata entry. */
export function buildNacosZip(configs: ConfigRecord[], format: ExportFormat): Uint8Array {
  const files: { name: string; data: string }[] = configs.map((c) => ({ name: `${c.group}/${c.dataId}`, data: c.content }))
  if (format === 'v2') files.push({ name: META_V2, data: writeMetaV2(configs.map((c) => ({ group: c.group, dataId: c.dataId, type: c.type, appName: c.appName, desc: c.desc }))) })
  else {
    const meta = writeMetaV1(configs)
    if (meta) files.push({ name: META_V1, data: meta })
  }
  return writeZip(files)
}
