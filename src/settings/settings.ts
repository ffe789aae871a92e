import * as v from 'valibot'
import { catalog, type SettingKey } from './catalog'

type Parsed<K extends SettingKey> = v.InferOutput<(typeof catalog)[K]['schema']>

/** The validated, frozen settings the server runs with. */
export type Settings = { readonly [K in SettingKey]: K extends 'grpcPort' | 'configFile' | 'authTokenSecret' | 'initAdminPassword' | 'clusterMembers' | 'clusterConf' | 'clusterSelf' | 'clusterSecret' | 'clusterListenPort' ? Parsed<K> | undefined : Parsed<K> } & {
  readonly grpcPort: number
  readonly version: string
}

/** Raised when settings do not validate; carries one readable line per bad value. */
export class SettingsError extends Error {
  constructor(readonly problems: string[]) {
    super('invalid settings:\n  ' + problems.join('\n  '))
  }
}

/** Validates raw text values (already merged from file, env and flags) into frozen Settings. */
export function parseSettings(raw: Partial<Record<SettingKey, string>>, version: string): Settings {
  const out: Record<string, unknown> = {}
  const problems: string[] = []
  for (const [key, s] of Object.entries(catalog) as [SettingKey, (typeof catalog)[SettingKey]][]) {
    const text = raw[key] ?? s.default
    if (text === undefined) continue
    const r = v.safeParse(s.schema, text)
    if (r.success) out[key] = r.output
    else problems.push(`${s.env} (${s.flag}) = ${JSON.stringify(text)}: ${r.issues[0].message}`)
  }
  if (problems.length) throw new SettingsError(problems)
  out.grpcPort ??= (out.httpPort as number) + 1000
  if ((out.grpcPort as number) > 65535) throw new SettingsError([`BNACOS_GRPC_PORT: HTTP port + 1000 exceeds 65535; set it explicitly`])
  if (out.grpcPort === out.httpPort) throw new SettingsError([`BNACOS_GRPC_PORT must differ from BNACOS_HTTP_PORT`])
  out.version = version
  return Object.freeze(out) as Settings
}
