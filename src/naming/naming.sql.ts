import { integer, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'

/** Services created or edited by operators (metadata, protect threshold, selector, cluster settings as JSON). */
export const serviceInfo = sqliteTable(
  'service_info',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    namespaceId: text('namespace_id').notNull(),
    groupName: text('group_name').notNull(),
    serviceName: text('service_name').notNull(),
    protectThreshold: real('protect_threshold').notNull().default(0),
    metadata: text('metadata').notNull().default('{}'),
    selector: text('selector').notNull().default('{"type":"none"}'),
    clusters: text('clusters').notNull().default('{}'),
    gmtCreate: integer('gmt_create').notNull(),
    gmtModified: integer('gmt_modified').notNull(),
  },
  (t) => [uniqueIndex('uk_service_info').on(t.namespaceId, t.groupName, t.serviceName)],
)

/** Persistent (non-ephemeral) instances: they outlive their clients and a restart; the server health-checks them. */
export const persistentInstance = sqliteTable(
  'persistent_instance',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    namespaceId: text('namespace_id').notNull(),
    groupName: text('group_name').notNull(),
    serviceName: text('service_name').notNull(),
    instanceId: text('instance_id').notNull(),
    ip: text('ip').notNull(),
    port: integer('port').notNull(),
    clusterName: text('cluster_name').notNull(),
    weight: real('weight').notNull().default(1),
    healthy: integer('healthy', { mode: 'boolean' }).notNull().default(true),
    enabled: integer('enabled', { mode: 'boolean' }).notNull().default(true),
    metadata: text('metadata').notNull().default('{}'),
    gmtCreate: integer('gmt_create').notNull(),
    gmtModified: integer('gmt_modified').notNull(),
  },
  (t) => [uniqueIndex('uk_persistent_instance').on(t.namespaceId, t.groupName, t.serviceName, t.ip, t.port, t.clusterName)],
)

/**
 * Operator edits of instances (console, `PUT /instance`), laid over what clients publish; Nacos keeps these as
 * InstanceMetadata. Null weight/enabled/metadata mean "not edited". `missing_since` is when the sweep last found
 * the instance gone (null while it is registered).
 */
export const instanceOverride = sqliteTable(
  'instance_overrides',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    namespaceId: text('namespace_id').notNull(),
    groupName: text('group_name').notNull(),
    serviceName: text('service_name').notNull(),
    overrideId: text('override_id').notNull(),
    weight: real('weight'),
    enabled: integer('enabled', { mode: 'boolean' }),
    metadata: text('metadata'),
    missingSince: integer('missing_since'),
    gmtModified: integer('gmt_modified').notNull(),
  },
  (t) => [uniqueIndex('uk_instance_overrides').on(t.namespaceId, t.groupName, t.serviceName, t.overrideId)],
)
