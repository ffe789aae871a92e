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
const IGNORED = ['MYSQL_SERVICE_DB_PARAM', 'JVM_XMS', 'JVM_XMX', 'JVM_XMN', 'JVM_MS', 'JVM_MMS', 'PREFER_HOST_MODE', 'NACOS_AUTH_CACHE_ENABLE', 'NACOS_AUTH_SYSTEM_TYPE', 'NACOS_AUTH_IDENTITY_KEY', 'NACOS_AUTH_IDENTITY_VALUE', 'NACOS_AUTH_USER_AGENT_AUTH_WHITE_ENABLE', 'NACOS_SECURITY_IGNORE_URLS', 'NACOS_DEBUG', 'NACOS_CONSOLE_PORT', 'NACOS_DEPLOYMENT_TYPE']

/**
 * Reads the environment names of the official Nacos image that mean the same thing as a bnacos setting (so an
 * existing docker-compose file keeps working, MODE=cluster with NACOS_SERVERS and the MYSQL_SERVICE_* database
 * included), refuses the ones asking for what bnacos does not do (LDAP, an unknown datasource), and notes the ones
 * it ignores. NACOS_AUTH_IDENTITY_KEY/VALUE are ignored on purpose: in Nacos that header lets cluster peers skip auth; bnacos nodes sign peer calls with BNACOS_CLUSTER_SECRET instead, so
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
  // The Nacos image's MODE=cluster: members from NACOS_SERVERS (space-separated `ip:port`, as the image's
  // cluster.conf is written from it), or a cluster.conf in the data dir. MODE is a common name outside Nacos too:
  // values other than standalone/cluster are noted and ignored.
  if (mode === 'cluster') {
    if (env.NACOS_SERVERS?.trim()) raw.clusterMembers ??= env.NACOS_SERVERS.trim()
    // Without a member list bnacos would quietly run standalone, which is not what MODE=cluster asks for.
    else if (!env.BNACOS_CLUSTER_MEMBERS?.trim() && !env.BNACOS_CLUSTER_CONF?.trim()) refused.push(`MODE=${env.MODE} needs the members: set NACOS_SERVERS (or BNACOS_CLUSTER_MEMBERS / BNACOS_CLUSTER_CONF), see docs/cluster.md`)
  } else if (mode && mode !== 'standalone') warnings.push(`MODE=${env.MODE} ignored: the Nacos image knows standalone and cluster`)
  else if (env.NACOS_SERVERS?.trim()) warnings.push('NACOS_SERVERS ignored: MODE is not cluster')
  const platform = env.SPRING_DATASOURCE_PLATFORM?.trim().toLowerCase()
  if (platform === 'mysql') {
    const url = mysqlUrl(env)
    if (typeof url === 'string') raw.dbUrl ??= url
    else refused.push(url.refused)
  } else if (platform && !['embedded', 'derby', '""'].includes(platform)) {
    refused.push(`SPRING_DATASOURCE_PLATFORM=${env.SPRING_DATASOURCE_PLATFORM}: bnacos uses its embedded SQLite or a shared MySQL/MariaDB/PostgreSQL database (BNACOS_DB_URL); set mysql with the MYSQL_SERVICE_* variables, or BNACOS_DB_URL`)
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

/**
 * The shared-database URL from the Nacos image's MYSQL_SERVICE_HOST/_PORT/_DB_NAME/_USER/_PASSWORD (its
 * SPRING_DATASOURCE_PLATFORM=mysql settings), or why they are not enough.
 */
function mysqlUrl(env: Record<string, string | undefined>): string | { refused: string } {
  const host = env.MYSQL_SERVICE_HOST?.trim()
  const db = env.MYSQL_SERVICE_DB_NAME?.trim()
  if (!host || !db) return { refused: 'SPRING_DATASOURCE_PLATFORM=mysql needs MYSQL_SERVICE_HOST and MYSQL_SERVICE_DB_NAME (or set BNACOS_DB_URL)' }
  const user = encodeURIComponent(env.MYSQL_SERVICE_USER?.trim() ?? '')
  const pass = env.MYSQL_SERVICE_PASSWORD ? `:${encodeURIComponent(env.MYSQL_SERVICE_PASSWORD)}` : ''
  const port = env.MYSQL_SERVICE_PORT?.trim() || '3306'
  const h = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host
  return `mysql://${user ? `${user}${pass}@` : ''}${h}:${port}/${encodeURIComponent(db)}`
}
