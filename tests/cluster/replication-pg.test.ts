// The config replication scenario (replication-scenario.ts) on PostgreSQL.
import { available, startPostgres } from '../support/dbserver'
import { replicationScenario } from './replication-scenario'

replicationScenario('PostgreSQL', available().postgres, startPostgres)
