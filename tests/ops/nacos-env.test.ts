// The official Nacos image's environment names: the ones that mean the same thing are read (BNACOS_* wins),
// the ones asking for what bnacos cannot do stop it with a clear message, the meaningless ones are noted.
import { describe, expect, test } from 'bun:test'
import { parseSettings } from '../../src/settings/settings'
import { gatherRaw } from '../../src/settings/sources'
import { runCli } from './cli'

const settingsOf = (env: Record<string, string>) => parseSettings(gatherRaw([], env).raw, 't')
const refusal = (env: Record<string, string>) => {
  try {
    gatherRaw([], env)
  } catch (e) {
    return String((e as Error).message)
  }
  throw new Error('expected a refusal')
}

describe('Nacos image environment', () => {
  test('a docker-compose environment of the Nacos image maps onto our settings', () => {
    const s = settingsOf({
      MODE: 'standalone', NACOS_AUTH_ENABLE: 'true', NACOS_AUTH_TOKEN: Buffer.alloc(32, 7).toString('base64'), NACOS_AUTH_TOKEN_EXPIRE_SECONDS: '600',
      NACOS_SERVER_PORT: '18848', TOMCAT_ACCESSLOG_ENABLED: 'true', NACOS_LOG_LEVEL: 'WARN', JVM_XMS: '512m', PREFER_HOST_MODE: 'hostname',
    })
    expect(s).toMatchObject({ authEnabled: true, authTokenSecret: Buffer.alloc(32, 7).toString('base64'), authTokenTtlSeconds: 600, httpPort: 18848, grpcPort: 19848, accessLog: true, logLevel: 'warn' })
    expect(settingsOf({ NACOS_APPLICATION_PORT: '18000' }).httpPort).toBe(18000)
  })

  test('BNACOS_* names and flags win over their Nacos aliases', () => {
    expect(settingsOf({ NACOS_AUTH_ENABLE: 'true', BNACOS_AUTH_ENABLED: 'false' }).authEnabled).toBe(false)
    expect(parseSettings(gatherRaw(['--http-port', '7000'], { NACOS_SERVER_PORT: '18848', BNACOS_HTTP_PORT: '9000' }).raw, 't').httpPort).toBe(7000)
  })

  test('MODE=cluster with NACOS_SERVERS and the MYSQL_SERVICE_* database become the cluster settings', () => {
    const s = settingsOf({
      MODE: 'cluster', NACOS_SERVERS: '10.0.0.1:8848 10.0.0.2:8848 10.0.0.3:8848', SPRING_DATASOURCE_PLATFORM: 'mysql',
      MYSQL_SERVICE_HOST: 'db.internal', MYSQL_SERVICE_DB_NAME: 'nacos_config', MYSQL_SERVICE_USER: 'nacos', MYSQL_SERVICE_PASSWORD: 'p@ss:w/rd',
    })
    expect(s.clusterMembers).toBe('10.0.0.1:8848 10.0.0.2:8848 10.0.0.3:8848')
    expect(s.dbUrl).toBe('mysql://nacos:p%40ss%3Aw%2Frd@db.internal:3306/nacos_config')
    expect(settingsOf({ SPRING_DATASOURCE_PLATFORM: 'mysql', MYSQL_SERVICE_HOST: 'h', MYSQL_SERVICE_DB_NAME: 'd', BNACOS_DB_URL: 'postgres://u@pg/x' }).dbUrl).toBe('postgres://u@pg/x')
  })

  test('a cluster without members, an incomplete MySQL, another datasource or LDAP is refused naming the variable', () => {
    expect(refusal({ MODE: 'cluster' })).toContain('MODE=cluster needs the members')
    expect(refusal({ SPRING_DATASOURCE_PLATFORM: 'mysql' })).toContain('SPRING_DATASOURCE_PLATFORM=mysql needs MYSQL_SERVICE_HOST')
    expect(refusal({ SPRING_DATASOURCE_PLATFORM: 'oracle' })).toContain('SPRING_DATASOURCE_PLATFORM=oracle')
    expect(refusal({ NACOS_AUTH_SYSTEM_TYPE: 'ldap' })).toContain('NACOS_AUTH_SYSTEM_TYPE=ldap')
    expect(() => gatherRaw([], { MODE: 'standalone', SPRING_DATASOURCE_PLATFORM: 'embedded', NACOS_AUTH_SYSTEM_TYPE: 'nacos' })).not.toThrow()
    // MODE is a common name outside Nacos: anything but cluster is only noted.
    expect(gatherRaw([], { MODE: 'development' }).warnings.join('\n')).toContain('MODE=development ignored')
  })

  test('the well-known token key of old Nacos docs and ignored names are warned about', () => {
    const { warnings } = gatherRaw([], { NACOS_AUTH_TOKEN: 'SecretKey012345678901234567890123456789012345678901234567890123456789', NACOS_AUTH_IDENTITY_KEY: 'k', JVM_XMX: '1g' })
    expect(warnings.join('\n')).toContain('anyone can forge tokens')
    expect(warnings.join('\n')).toContain('NACOS_AUTH_IDENTITY_KEY')
    expect(warnings.join('\n')).toContain('JVM_XMX')
  })

  test('MODE=cluster stops the server at start with exit code 2', async () => {
    const r = await runCli([], { MODE: 'cluster' })
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('MODE=cluster')
  })
})
