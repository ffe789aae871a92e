import { sql } from 'drizzle-orm'
import { bigint, boolean, double, int, longtext, mysqlTable, uniqueIndex, varchar } from 'drizzle-orm/mysql-core'

// MySQL/MariaDB twin of naming.sql.ts (same exports, properties and SQL names). Key lengths keep each unique index
// under InnoDB's 3072-byte limit in utf8mb4; TEXT defaults are `('…')` expressions, the only form MySQL 8 accepts.

/** Services created or edited by operators (metadata, protect threshold, selector, cluster settings as JSON). */
export const serviceInfo = mysqlTable(
  'service_info',
  {
    id: bigint('id', { mode: 'number' }).autoincrement().primaryKey(),
    namespaceId: varchar('namespace_id', { length: 128 }).notNull(),
    groupName: varchar('group_name', { length: 128 }).notNull(),
    serviceName: varchar('service_name', { length: 255 }).notNull(),
    protectThreshold: double('protect_threshold').notNull().default(0),
    metadata: longtext('metadata').notNull().default(sql`('{}')`),
    selector: longtext('selector').notNull().default(sql`('{"type":"none"}')`),
    clusters: longtext('clusters').notNull().default(sql`('{}')`),
    gmtCreate: bigint('gmt_create', { mode: 'number' }).notNull(),
    gmtModified: bigint('gmt_modified', { mode: 'number' }).notNull(),
  },
  (t) => [uniqueIndex('uk_service_info').on(t.namespaceId, t.groupName, t.serviceName)],
)

/** Persistent (non-ephemeral) instances: they outlive their clients and a restart; the server health-checks them. */
export const persistentInstance = mysqlTable(
  'persistent_instance',
  {
    id: bigint('id', { mode: 'number' }).autoincrement().primaryKey(),
    namespaceId: varchar('namespace_id', { length: 128 }).notNull(),
    groupName: varchar('group_name', { length: 128 }).notNull(),
    serviceName: varchar('service_name', { length: 255 }).notNull(),
    instanceId: varchar('instance_id', { length: 255 }).notNull(),
    ip: varchar('ip', { length: 64 }).notNull(),
    port: int('port').notNull(),
    clusterName: varchar('cluster_name', { length: 128 }).notNull(),
    weight: double('weight').notNull().default(1),
    healthy: boolean('healthy').notNull().default(true),
    enabled: boolean('enabled').notNull().default(true),
    metadata: longtext('metadata').notNull().default(sql`('{}')`),
    gmtCreate: bigint('gmt_create', { mode: 'number' }).notNull(),
    gmtModified: bigint('gmt_modified', { mode: 'number' }).notNull(),
  },
  (t) => [uniqueIndex('uk_persistent_instance').on(t.namespaceId, t.groupName, t.serviceName, t.ip, t.port, t.clusterName)],
)

/**
 * Operator edits of instances laid over what clients publish (Nacos's InstanceMetadata). Null weight/enabled/metadata
 * mean "not edited"; `missing_since` is when the sweep last found the instance gone.
 */
export const instanceOverride = mysqlTable(
  'instance_overrides',
  {
    id: bigint('id', { mode: 'number' }).autoincrement().primaryKey(),
    namespaceId: varchar('namespace_id', { length: 128 }).notNull(),
    groupName: varchar('group_name', { length: 128 }).notNull(),
    serviceName: varchar('service_name', { length: 255 }).notNull(),
    overrideId: varchar('override_id', { length: 255 }).notNull(),
    weight: double('weight'),
    enabled: boolean('enabled'),
    metadata: longtext('metadata'),
    missingSince: bigint('missing_since', { mode: 'number' }),
    gmtModified: bigint('gmt_modified', { mode: 'number' }).notNull(),
  },
  (t) => [uniqueIndex('uk_instance_overrides').on(t.namespaceId, t.groupName, t.serviceName, t.overrideId)],
)
