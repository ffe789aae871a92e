// The config replication scenario (replication-scenario.ts) on MariaDB.
import { available, startMariaDb } from '../support/dbserver'
import { replicationScenario } from './replication-scenario'

replicationScenario('MariaDB', available().mariadb, startMariaDb)
