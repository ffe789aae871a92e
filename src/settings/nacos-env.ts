import { catalog, type SettingKey } from './catalog'

type Raw = Partial<Record<SettingKey, string>>

/** What the official Nacos image's environment (nacos-group/nacos-docker) means for bnacos. */
export interface NacosEnv {
  /** Settings taken from Nacos names (BNACOS_* names override them). */
  raw: Raw
  /** Values that ask for something bnacos cannot do; the server refuses to start rather than run differently. */
  refused: string[]
  /** Things an operator should know (ignored names, an insecure well-known key). */
  warnings: string[]
}

/** The token key of Nacos's old docs and compose files: public, so anyone could sign tokens with it. */
const WELL_KNOWN_TOKEN = 'SecretKey012345678901234567890123456789012345678901234567890123456789'

/** Nacos image names that have no meaning here (JVM sizing, cluster discovery, the MySQL pool…): accepted and ignored. */
const IGNORED = ['JVM_XMS', 'JVM_XMX', 'JVM_XMN', 'JVM_MS', 'JVM_MMS', 'PREFER_HOST_MODE', 'NACOS_AUTH_CACHE_ENABLE', 'NACOS_AUTH_SYSTEM_TYPE', 'NACOS_AUTH_IDENTITY_KEY', 'NACOS_AUTH_IDENTITY_VALUE', 'NACOS_AUTH_USER_AGENT_AUTH_WHITE_ENABLE', 'NACOS_SECURITY_IGNORE_URLS', 'NACOS_DEBUG', 'NACOS_CONSOLE_PORT', 'NACOS_DEPLOYMENT_TYPE']

/**
 * Reads the environment names of the official Nacos image that mean the same thing as a bnacos setting (so an
 * existing docker-compose file keeps working), refuses the ones asking for what bnacos does not do (a cluster,
 * MySQL, LDAP), and notes the ones it ignores. NACOS_AUTH_IDENTITY_KEY/VALUE are ignored on purpose: in Nacos
 * that header lets cluster peers skip auth; bnacos nodes sign peer calls with BNACOS_CLUSTER_SECRET instead, so
 * honouring it would only be a bypass.
 */
export function readNacosEnv(env: Record<string, string | undefined>): NacosEnv {
  const raw: Raw = {}
  const refused: string[] = []
  const warnings: string[] = []
  for (const [key, s] of Object.entries(catalog) as [SettingKey, { nacosEnv?: string[] }][]) {
    for (const name of s.nacosEnv ?? []) {
      const value = env[name]
      if (value !== undefined && value !== '' && raw[key] === undefined) raw[key] = value
    }
  }
  const mode = env.MODE?.trim().toLowerCase()
  // The Nacos image's MODE=cluster means replicated data; bnacos nodes do not replicate yet (docs/cluster.md), so
  // a cluster asked for this way would silently split the data. Members are set with BNACOS_CLUSTER_MEMBERS.
  // MODE is a common name outside Nacos too: only `cluster` is refused, other values are noted and ignored.
  if (mode === 'cluster') refused.push(`MODE=${env.MODE}: bnacos does not replicate data between nodes (see docs/cluster.md); set MODE=standalone (or remove it)`)
  else if (mode && mode !== 'standalone') warnings.push(`MODE=${env.MODE} ignored: the Nacos image knows standalone and cluster; bnacos runs standalone`)
  const platform = env.SPRING_DATASOURCE_PLATFORM?.trim().toLowerCase()
  if (platform && !['embedded', 'derby', '""'].includes(platform)) {
    refused.push(`SPRING_DATASOURCE_PLATFORM=${env.SPRING_DATASOURCE_PLATFORM}: bnacos keeps its data in its own embedded database (BNACOS_DATA_DIR); move the data with \`bnacos import\` (docs/migration.md) and remove this variable`)
  }
  const authType = env.NACOS_AUTH_SYSTEM_TYPE?.trim().toLowerCase()
  if (authType && authType !== 'nacos') refused.push(`NACOS_AUTH_SYSTEM_TYPE=${env.NACOS_AUTH_SYSTEM_TYPE}: only the built-in nacos user system is supported`)
  if ((env.BNACOS_AUTH_TOKEN_SECRET ?? env.NACOS_AUTH_TOKEN) === WELL_KNOWN_TOKEN) {
    warnings.push('the token key is the well-known default of old Nacos docs: anyone can forge tokens with it; set BNACOS_AUTH_TOKEN_SECRET (or NACOS_AUTH_TOKEN) to your own base64 key of 32+ bytes')
  }
  const ignored = IGNORED.filter((n) => env[n] !== undefined && n !== 'NACOS_AUTH_SYSTEM_TYPE')
  if (ignored.length) warnings.push(`ignored Nacos image setting(s) with no meaning for bnacos: ${ignored.join(', ')}`)
  return { raw, refused, warnings }
}
