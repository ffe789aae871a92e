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
