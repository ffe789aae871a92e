import { parse, stringify } from 'yaml'
import { permissions, roles, users } from '../../auth/auth.sql'
import { tenantInfo } from '../../namespace/namespace.sql'
import { normalizeNamespace, PUBLIC } from '../../shared/namespace'
import type { Db } from '../../storage/db'
import type { ConfigCenter } from '../center'
import { configsOfNamespace } from '../search'
import { buildNacosZip } from './nacos-zip'
import { checkSafeName, entryText, readZip, writeZip, type ZipEntry } from './zip'

/** The manifest that marks a bnacos multi-namespace export (a plain Nacos zip has none). */
export const MANIFEST = 'bnacos-export.yml'

/** A custom namespace as exported (Nacos tenant_info). */
export interface NamespaceRow { id: string; name: string; desc: string }
/** A user as stored: the bcrypt hash travels as it is (Java Nacos's `users` table holds the same). */
export interface UserRow { username: string; password: string; enabled: boolean }
/** A role membership (Nacos `roles`). */
export interface RoleRow { username: string; role: string }
/** A grant (Nacos `permissions`). */
export interface PermissionRow { role: string; resource: string; action: string }
/** Config fields a Nacos zip cannot carry, kept beside it so a bnacos-to-bnacos move loses nothing. */
export interface ConfigExtra { group: string; dataId: string; configTags?: string; use?: string; effect?: string; schema?: string; encryptedDataKey?: string }

/** Everything a `bnacos export` file holds. Each namespace's configs are a Nacos v2 zip, importable on its own. */
export interface Bundle {
  namespaces: NamespaceRow[]
  users: UserRow[]
  roles: RoleRow[]
  permissions: PermissionRow[]
  configs: { namespace: string; zip: Uint8Array; extras: ConfigExtra[]; count: number }[]
}

/**
 * Gathers a bundle: the given namespaces' configs (all namespaces when none given), namespaces and all auth rows.
 * Offline and embedded-only (`bnacos export` on a data dir): `db` is that SQLite.
 */
export async function collectBundle(cc: ConfigCenter, db: Db, only?: string[]): Promise<Bundle> {
  const wanted = only?.length ? new Set(only.map(normalizeNamespace)) : undefined
  const custom = db.select().from(tenantInfo).orderBy(tenantInfo.id).all().map((r) => ({ id: r.tenantId, name: r.tenantName, desc: r.tenantDesc }))
  const all = [{ id: PUBLIC, name: 'public', desc: '' }, ...custom]
  const missing = [...(wanted ?? [])].filter((id) => !all.some((n) => n.id === id))
  if (missing.length) throw new Error(`no such namespace: ${missing.join(', ')}`)
  const chosen = all.filter((n) => !wanted || wanted.has(n.id))
  const configs = []
  for (const n of chosen) {
    const list = (await configsOfNamespace(cc, n.id)).sort((a, b) => a.id - b.id)
    const extras = list.flatMap((c) => {
      const e: ConfigExtra = { group: c.group, dataId: c.dataId }
      for (const k of ['configTags', 'use', 'effect', 'schema', 'encryptedDataKey'] as const) if (c[k]) e[k] = c[k]
      return Object.keys(e).length > 2 ? [e] : []
    })
    configs.push({ namespace: n.id, zip: buildNacosZip(list, 'v2'), extras, count: list.length })
  }
  return {
    namespaces: chosen.filter((n) => n.id !== PUBLIC).map((n) => ({ id: n.id, name: n.name, desc: n.desc })),
    users: db.select().from(users).all(),
    roles: db.select().from(roles).all(),
    permissions: db.select().from(permissions).all(),
    configs,
  }
}

const fileOf = (ns: string) => `configs/${encodeURIComponent(ns)}.zip`
const yml = (v: unknown) => stringify(v, { version: '1.1' })

/**
 * Writes the export file: an outer zip of `bnacos-export.yml` (format, time, the namespace → file map),
 * `namespaces.yml`, `users.yml`, `roles.yml`, `permissions.yml`, and per namespace `configs/<id>.zip` (a Nacos v2
 * config zip) plus `configs/<id>.extra.yml` when some config has fields that zip cannot hold.
 */
export function writeBundle(b: Bundle, source: string, now: Date): Uint8Array {
  const files: { name: string; data: Uint8Array | string }[] = [
    { name: MANIFEST, data: yml({ format: 'bnacos-export', version: 1, source, exportedAt: now.toISOString(), configs: b.configs.map((c) => ({ namespace: c.namespace, file: fileOf(c.namespace), count: c.count })) }) },
    { name: 'namespaces.yml', data: yml({ namespaces: b.namespaces }) },
    { name: 'users.yml', data: yml({ users: b.users }) },
    { name: 'roles.yml', data: yml({ roles: b.roles }) },
    { name: 'permissions.yml', data: yml({ permissions: b.permissions }) },
  ]
  for (const c of b.configs) {
    files.push({ name: fileOf(c.namespace), data: c.zip })
    if (c.extras.length) files.push({ name: fileOf(c.namespace).replace(/\.zip$/, '.extra.yml'), data: yml({ configs: c.extras }) })
  }
  return writeZip(files)
}

/** Limits for a local export file: generous (the operator made it), but a bomb still cannot exhaust memory. */
const BUNDLE_LIMITS = { maxEntries: 100_000, maxEntryBytes: () => 1024 * 1024 * 1024, maxTotalBytes: 2 * 1024 * 1024 * 1024 }

/** Reads a YAML file of the bundle with every scalar a string (a username `0x1F` stays text); aliases refused. */
function readYaml(entries: Map<string, ZipEntry>, name: string): Record<string, unknown> {
  const e = entries.get(name)
  if (!e) return {}
  const doc = parse(entryText(e), { schema: 'failsafe', maxAliasCount: 0 })
  return doc && typeof doc === 'object' ? (doc as Record<string, unknown>) : {}
}

function list<T>(doc: Record<string, unknown>, key: string, file: string, row: (o: Record<string, unknown>) => T): T[] {
  const v = doc[key] ?? []
  if (!Array.isArray(v)) throw new Error(`${file}: \`${key}\` must be a list`)
  return v.map((x, i) => {
    if (!x || typeof x !== 'object') throw new Error(`${file}: item ${i + 1} of \`${key}\` is not a mapping`)
    return row(x as Record<string, unknown>)
  })
}

const str = (o: Record<string, unknown>, k: string) => (o[k] === undefined || o[k] === null ? '' : String(o[k]))

/** Reads an export file; returns undefined for a zip without the manifest (then it is a plain Nacos config zip). */
export function readBundle(bytes: Uint8Array): Bundle | undefined {
  const entries = new Map(readZip(bytes, BUNDLE_LIMITS).map((e) => [e.name, e]))
  if (!entries.has(MANIFEST)) return undefined
  const manifest = readYaml(entries, MANIFEST)
  if (manifest.format !== 'bnacos-export') throw new Error(`${MANIFEST}: not a bnacos export (format ${String(manifest.format)})`)
  if (Number(manifest.version) !== 1) throw new Error(`${MANIFEST}: unsupported version ${String(manifest.version)}`)
  const configs = list(manifest, 'configs', MANIFEST, (o) => {
    const file = str(o, 'file')
    checkSafeName(file)
    const zip = entries.get(file)
    if (!zip) throw new Error(`${MANIFEST}: ${file} is listed but missing`)
    const extrasDoc = readYaml(entries, file.replace(/\.zip$/, '.extra.yml'))
    const extras = list(extrasDoc, 'configs', file, (e) => ({ group: str(e, 'group'), dataId: str(e, 'dataId'), configTags: str(e, 'configTags') || undefined, use: str(e, 'use') || undefined, effect: str(e, 'effect') || undefined, schema: str(e, 'schema') || undefined, encryptedDataKey: str(e, 'encryptedDataKey') || undefined }))
    return { namespace: normalizeNamespace(str(o, 'namespace')), zip: zip.data, extras, count: Number(o.count ?? 0) }
  })
  return {
    namespaces: list(readYaml(entries, 'namespaces.yml'), 'namespaces', 'namespaces.yml', (o) => ({ id: str(o, 'id'), name: str(o, 'name'), desc: str(o, 'desc') })),
    users: list(readYaml(entries, 'users.yml'), 'users', 'users.yml', (o) => ({ username: str(o, 'username'), password: str(o, 'password'), enabled: o.enabled === undefined ? true : o.enabled === true || str(o, 'enabled') === 'true' || str(o, 'enabled') === '1' })),
    roles: list(readYaml(entries, 'roles.yml'), 'roles', 'roles.yml', (o) => ({ username: str(o, 'username'), role: str(o, 'role') })),
    permissions: list(readYaml(entries, 'permissions.yml'), 'permissions', 'permissions.yml', (o) => ({ role: str(o, 'role'), resource: str(o, 'resource'), action: str(o, 'action') })),
    configs,
  }
}
