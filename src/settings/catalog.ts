import * as v from 'valibot'

/** One server setting: its env name, flag, default, and the valibot schema that parses its text form. */
export interface SettingSpec {
  env: string
  flag: string
  description: string
  default: string | undefined
  schema: v.GenericSchema<string, unknown>
  /** Environment names of the official Nacos image (nacos-group/nacos-docker) read as this setting; ours win. */
  nacosEnv?: string[]
}

const port = v.pipe(
  v.string(),
  v.regex(/^\d+$/, 'must be a whole number'),
  v.transform(Number),
  v.integer(),
  v.minValue(1, 'must be between 1 and 65535'),
  v.maxValue(65535, 'must be between 1 and 65535'),
)
const positiveInt = v.pipe(v.string(), v.regex(/^\d+$/, 'must be a whole number'), v.transform(Number), v.minValue(1, 'must be at least 1'))
const nonNegativeInt = v.pipe(v.string(), v.regex(/^\d+$/, 'must be a whole number'), v.transform(Number))
const bool = v.pipe(
  v.string(),
  v.transform((s) => s.trim().toLowerCase()),
  v.picklist(['true', 'false', '1', '0', 'yes', 'no'], 'must be true or false'),
  v.transform((s) => s === 'true' || s === '1' || s === 'yes'),
)
const text = v.pipe(v.string(), v.minLength(1, 'must not be empty'))

function spec<T>(env: string, description: string, def: string | undefined, schema: v.GenericSchema<string, T>, nacosEnv?: string[]): SettingSpec & { schema: v.GenericSchema<string, T> } {
  const flag = '--' + env.replace(/^BNACOS_/, '').toLowerCase().replaceAll('_', '-')
  return { env, flag, description, default: def, schema, ...(nacosEnv ? { nacosEnv } : {}) }
}

/** Every setting bnacos reads; `bnacos --help` and docs/configuration.md are generated from this table. */
export const catalog = {
  host: spec('BNACOS_HOST', 'Address the HTTP and gRPC servers bind to', '0.0.0.0', text),
  httpPort: spec('BNACOS_HTTP_PORT', 'HTTP port (OpenAPI, console)', '8848', port, ['NACOS_SERVER_PORT', 'NACOS_APPLICATION_PORT']),
  grpcPort: spec('BNACOS_GRPC_PORT', 'SDK gRPC port (default: HTTP port + 1000, as the SDKs compute it)', undefined, port),
  dataDir: spec('BNACOS_DATA_DIR', 'Directory holding the embedded database', './data', text),
  logLevel: spec('BNACOS_LOG_LEVEL', 'Log level: debug, info, warn, error', 'info', v.pipe(v.string(), v.transform((s) => s.trim().toLowerCase()), v.picklist(['debug', 'info', 'warn', 'error'], 'must be one of debug, info, warn, error')), ['NACOS_LOG_LEVEL']),
  accessLog: spec('BNACOS_ACCESS_LOG', 'Write one JSON line per HTTP request (method, route, status, ms, client IP) to stdout', 'false', bool, ['TOMCAT_ACCESSLOG_ENABLED']),
  metricsEnabled: spec('BNACOS_METRICS_ENABLED', 'Serve Prometheus metrics at /metrics and /nacos/actuator/prometheus (open, like Nacos\'s actuator)', 'true', bool),
  dbUrl: spec('BNACOS_DB_URL', 'Shared database of a cluster: mysql://user:pass@host:3306/db (MySQL or MariaDB, utf8mb4_bin) or postgres://user:pass@host:5432/db; required in cluster mode (unset: the embedded SQLite in the data dir)', undefined, text),
  dbSynchronous: spec('BNACOS_DB_SYNCHRONOUS', 'SQLite synchronous mode: normal survives a crash of the process, full also a power loss', 'normal', v.picklist(['normal', 'full'], 'must be normal or full')),
  configMaxContentBytes: spec('BNACOS_CONFIG_MAX_CONTENT_BYTES', 'Largest config content accepted, in bytes (Nacos: 10 MiB)', String(10 * 1024 * 1024), positiveInt),
  historyRetentionDays: spec('BNACOS_HISTORY_RETENTION_DAYS', 'Days config history is kept (0 keeps it forever; Nacos keeps 30)', '30', nonNegativeInt),
  longPollMaxMs: spec('BNACOS_LONG_POLL_MAX_MS', 'Upper bound of a held long-poll request, in ms', '60000', positiveInt),
  clientIdleMs: spec('BNACOS_GRPC_IDLE_MS', 'Idle time after which a gRPC connection is probed with ClientDetectionRequest, in ms', '20000', positiveInt),
  clientProbeTimeoutMs: spec('BNACOS_GRPC_PROBE_TIMEOUT_MS', 'Time a probed gRPC connection has to answer before it is dropped, in ms', '5000', positiveInt),
  namingPushDelayMs: spec('BNACOS_NAMING_PUSH_DELAY_MS', 'Window in which service changes are coalesced before subscribers are pushed, in ms', '20', nonNegativeInt),
  namingEmptyServiceTtlMs: spec('BNACOS_NAMING_EMPTY_SERVICE_TTL_MS', 'Time an implicitly created service may stay empty before it is removed, in ms (Nacos: 60 s)', '60000', positiveInt),
  namingHealthCheckMs: spec('BNACOS_NAMING_HEALTH_CHECK_MS', 'Interval of the TCP health check of persistent instances, in ms', '5000', positiveInt),
  authEnabled: spec('BNACOS_AUTH_ENABLED', 'Require login for the SDK protocols and OpenAPI (user/role/permission management always requires an admin)', 'false', bool, ['NACOS_AUTH_ENABLE']),
  authTokenSecret: spec('BNACOS_AUTH_TOKEN_SECRET', 'Base64 JWT signing key of at least 32 bytes (default: random, generated at first start and kept in the data dir)', undefined, text, ['NACOS_AUTH_TOKEN']),
  authTokenTtlSeconds: spec('BNACOS_AUTH_TOKEN_TTL_SECONDS', 'Lifetime of an access token, in seconds (Nacos: 18000)', '18000', positiveInt, ['NACOS_AUTH_TOKEN_EXPIRE_SECONDS']),
  authLockFailures: spec('BNACOS_AUTH_LOCK_FAILURES', 'Failed logins of one user or from one IP before logins lock', '5', positiveInt),
  authLockMs: spec('BNACOS_AUTH_LOCK_MS', 'How long logins stay locked after too many failures, in ms', '300000', positiveInt),
  initAdminUsername: spec('BNACOS_INIT_ADMIN_USERNAME', 'Name of the admin created at first start', 'nacos', text),
  initAdminPassword: spec('BNACOS_INIT_ADMIN_PASSWORD', 'Password of the admin created at first start (default: random, printed once to the log)', undefined, text),
  auditRetentionDays: spec('BNACOS_AUDIT_RETENTION_DAYS', 'Days audit log entries are kept (0 keeps them forever)', '180', nonNegativeInt),
  shutdownGraceMs: spec('BNACOS_SHUTDOWN_GRACE_MS', 'Time allowed for in-flight requests on shutdown, in ms', '3000', positiveInt),
  clusterMembers: spec('BNACOS_CLUSTER_MEMBERS', 'Cluster members as HTTP addresses `ip[:port]`, comma- or space-separated, this node included (unset with no cluster.conf: standalone)', undefined, text),
  clusterConf: spec('BNACOS_CLUSTER_CONF', 'A Nacos cluster.conf (one `ip[:port]` a line, # comments) listing the members (default: `<data dir>/cluster.conf` when that file exists)', undefined, text),
  clusterSelf: spec('BNACOS_CLUSTER_SELF', "This node's entry in the member list, when finding it by address and HTTP port is ambiguous", undefined, text),
  clusterSecret: spec('BNACOS_CLUSTER_SECRET', 'Shared secret (same on every node, at least 32 bytes) that signs node-to-node calls on the cluster port (HTTP port + 1001); required in cluster mode', undefined, text),
  clusterListenPort: spec('BNACOS_CLUSTER_LISTEN_PORT', 'Port this node listens on for its peers, when something in between (a container port mapping, a proxy) forwards its cluster port (HTTP port + 1001, where peers connect) to another one (default: HTTP port + 1001)', undefined, port),
  configFile: spec('BNACOS_CONFIG_FILE', 'A .env or .properties file with settings (env and flags override it)', undefined, text),
} satisfies Record<string, SettingSpec>

/** The names of all settings. */
export type SettingKey = keyof typeof catalog
