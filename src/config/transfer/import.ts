import { NacosError } from '../../shared/errors'
import { normalizeNamespace } from '../../shared/namespace'
import type { ConfigCenter } from '../center'
import type { Actor } from '../model'
import { importItems, type ImportResult, type Policy } from './apply'
import { BadMetadataError, META_V1, META_V2 } from './metadata'
import { parseNacosZip } from './nacos-zip'
import { BadZipError, readZip, type ZipLimits } from './zip'

/** Why an import did nothing, in Nacos's terms (ResultCodeEnum); the HTTP adapter turns these into codes. */
export type ImportRefusal = 'namespaceMissing' | 'badMetadata' | 'unreadable' | 'empty' | 'invalid'

/** An import's outcome: Nacos's result map, or a refusal with a message. Nothing is written on a refusal. */
export type ImportOutcome =
  | { ok: true; result: ImportResult & { unrecognizedCount: number; unrecognizedData: { itemName: string }[] } }
  | { ok: false; refusal: ImportRefusal; message: string }

/** Most files an uploaded zip may hold. */
export const MAX_ZIP_ENTRIES = 10_000
/** Largest metadata entry (`.metadata.yml` for thousands of configs is a few MB). */
const MAX_META_BYTES = 16 * 1024 * 1024
/** Largest total an upload may expand to, whatever the per-config limit. */
const MAX_TOTAL_BYTES = 256 * 1024 * 1024

/**
 * The zip limits for a server whose configs are at most `maxContentBytes` each: a config entry over that would be
 * refused by validation anyway, so it is refused before it is inflated.
 */
export function uploadLimits(maxContentBytes: number): ZipLimits {
  return { maxEntries: MAX_ZIP_ENTRIES, maxEntryBytes: (name) => (name === META_V1 || name === META_V2 ? MAX_META_BYTES : maxContentBytes), maxTotalBytes: Math.min(MAX_TOTAL_BYTES, MAX_ZIP_ENTRIES * maxContentBytes + MAX_META_BYTES) }
}

/**
 * Imports a Nacos config zip (v1 `.meta.yml` or v2 `.metadata.yml`) into a namespace with a policy (Nacos
 * importAndPublishConfig). All or nothing: an unreadable zip, bad metadata or any invalid config writes nothing.
 */
export async function importZip(cc: ConfigCenter, namespace: string | undefined, bytes: Uint8Array | undefined, policy: Policy, actor: Actor): Promise<ImportOutcome> {
  if (!bytes || bytes.length === 0) return { ok: false, refusal: 'empty', message: 'Imported file data is empty' }
  const ns = normalizeNamespace(namespace)
  if (!(await cc.namespaceExists(ns))) return { ok: false, refusal: 'namespaceMissing', message: `target namespace ${ns} does not exist` }
  let parsed
  try {
    parsed = parseNacosZip(readZip(bytes, uploadLimits(cc.limits.maxContentBytes)))
  } catch (e) {
    if (e instanceof BadZipError) return { ok: false, refusal: 'unreadable', message: `Failed to parse data: ${e.message}` }
    if (e instanceof BadMetadataError) return { ok: false, refusal: 'badMetadata', message: `Imported metadata is invalid: ${e.message}` }
    throw e
  }
  if (parsed.items.length === 0) return { ok: false, refusal: 'empty', message: 'Imported file data is empty: no group/dataId entries' }
  let result: ImportResult
  try {
    result = await importItems(cc, ns, parsed.items, policy, actor)
  } catch (e) {
    if (e instanceof NacosError && (e.kind === 'invalid' || e.kind === 'missing')) return { ok: false, refusal: 'invalid', message: e.message }
    throw e
  }
  return { ok: true, result: { ...result, unrecognizedCount: parsed.unrecognized.length, unrecognizedData: parsed.unrecognized } }
}
