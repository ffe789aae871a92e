import { bigserial, bigint, boolean, doublePrecision, integer, text, pgTable, uniqueIndex, varchar } from 'drizzle-orm/pg-core'

// PostgreSQL twin of naming.sql.ts (same exports, properties, SQL names and lengths as the MySQL twin).

/** Services created or edited by operators (metadata, protect threshold, selector, cluster settings as JSON). */
export const serviceInfo = pgTable(
  'service_info',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    namespaceId: varchar('namespace_id', { length: 128 }).notNull(),
    groupName: varchar('group_name', { length: 128 }).notNull(),
    serviceName: varchar('service_name', { length: 255 }).notNull(),
    protectThreshold: doublePrecision('protect_threshold').notNull().default(0),
    metadata: text('metadata').notNull().default('{}'),
    selector: text('selector').notNull().default('{"type":"none"}'),
    clusters: text('clusters').notNull().default('{}'),
    gmtCreate: bigint('gmt_create', { mode: 'number' }).notNull(),
    gmtModified: bigint('gmt_modified', { mode: 'number' }).notNull(),
  },
  (t) => [uniqueIndex('uk_service_info').on(t.namespaceId, t.groupName, t.serviceName)],
)

/** Persistent (non-ephemeral) instances: they outlive their clients and a restart; the server health-checks them. */
export const persistentInstance = pgTable(
  'persistent_instance',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    namespaceId: varchar('namespace_id', { length: 128 }).notNull(),
    groupName: varchar('group_name', { length: 128 }).notNull(),
    serviceName: varchar('service_name', { length: 255 }).notNull(),
    instanceId: varchar('instance_id', { length: 255 }).notNull(),
    ip: varchar('ip', { length: 64 }).notNull(),
    port: integer('port').notNull(),
    clusterName: varchar('cluster_name', { length: 128 }).notNull(),
    weight: doublePrecision('weight').notNull().default(1),
    healthy: boolean('healthy').notNull().default(true),
    enabled: boolean('enabled').notNull().default(true),
    metadata: text('metadata').notNull().default('{}'),
    gmtCreate: bigint('gmt_create', { mode: 'number' }).notNull(),
    gmtModified: bigint('gmt_modified', { mode: 'number' }).notNull(),
  },
  (t) => [uniqueIndex('uk_persistent_instance').on(t.namespaceId, t.groupName, t.serviceName, t.ip, t.port, t.clusterName)],
)

/**
 * Operator edits of instances laid over what clients publish (Nacos's InstanceMetadata). Null weight/enabled/metadata
 * mean "not edited"; `missing_since` is when the sweep last found the instance gone.
 */
export const instanceOverride = pgTable(
  'instance_overrides',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    namespaceId: varchar('namespace_id', { length: 128 }).notNull(),
    groupName: varchar('group_name', { length: 128 }).notNull(),
    serviceName: varchar('service_name', { length: 255 }).notNull(),
    overrideId: varchar('override_id', { length: 255 }).notNull(),
    weight: doublePrecision('weight'),
    enabled: boolean('enabled'),
    metadata: text('metadata'),
    missingSince: bigint('missing_since', { mode: 'number' }),
    gmtModified: bigint('gmt_modified', { mode: 'number' }).notNull(),
  },
  (t) => [uniqueIndex('uk_instance_overrides').on(t.namespaceId, t.groupName, t.serviceName, t.overrideId)],
)
