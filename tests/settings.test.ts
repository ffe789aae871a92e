// Settings: defaults, sources and their precedence, error messages, and the --help text.
import { describe, expect, test } from 'bun:test'
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { catalog } from '../src/settings/catalog'
import { helpText } from '../src/settings/help'
import { parseSettings, SettingsError } from '../src/settings/settings'
import { gatherRaw, readFlags, readSettingsFile } from '../src/settings/sources'

const root = join(import.meta.dir, '..')

function settingsFile(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'bnacos-settings-')), 'bnacos.env')
  writeFileSync(path, text)
  return path
}

/** The SettingsError a raw input produces (fails the test when it parses). */
function problems(raw: Parameters<typeof parseSettings>[0]): string {
  try {
    parseSettings(raw, 'test')
  } catch (e) {
    expect(e).toBeInstanceOf(SettingsError)
    return (e as Error).message
  }
  throw new Error('expected a SettingsError')
}

describe('defaults', () => {
  test('with nothing given: 8848, gRPC 9848, Nacos limits', () => {
    const s = parseSettings({}, '1.2.3')
    expect(s).toMatchObject({
      host: '0.0.0.0', httpPort: 8848, grpcPort: 9848, dataDir: './data', logLevel: 'info', dbSynchronous: 'normal',
      configMaxContentBytes: 10 * 1024 * 1024, historyRetentionDays: 30, longPollMaxMs: 60_000, shutdownGraceMs: 3000, version: '1.2.3',
    })
    expect(s.configFile).toBeUndefined()
    expect(Object.isFrozen(s)).toBe(true)
  })

  test('the gRPC port follows the HTTP port (+1000) unless given', () => {
    expect(parseSettings({ httpPort: '18848' }, 't').grpcPort).toBe(19848)
    expect(parseSettings({ httpPort: '18848', grpcPort: '7000' }, 't')).toMatchObject({ httpPort: 18848, grpcPort: 7000 })
  })

  test('an HTTP port whose +1000 exceeds 65535, or equal ports, are errors naming BNACOS_GRPC_PORT', () => {
    expect(problems({ httpPort: '65000' })).toContain('BNACOS_GRPC_PORT')
    expect(problems({ httpPort: '9000', grpcPort: '9000' })).toContain('BNACOS_GRPC_PORT')
  })
})

describe('errors name the variable and the flag', () => {
  test('a non-numeric port', () => {
    const m = problems({ httpPort: 'eighty' })
    expect(m).toContain('BNACOS_HTTP_PORT')
    expect(m).toContain('--http-port')
    expect(m).toContain('"eighty"')
    expect(m).toContain('must be a whole number')
  })

  test('ports out of range', () => {
    for (const p of ['0', '65536']) expect(problems({ grpcPort: p })).toMatch(/BNACOS_GRPC_PORT.*between 1 and 65535/)
  })

  test('a bad log level lists the allowed ones', () => {
    const m = problems({ logLevel: 'verbose' })
    expect(m).toContain('BNACOS_LOG_LEVEL')
    expect(m).toContain('must be one of debug, info, warn, error')
  })

  test('every bad value is reported at once', () => {
    const err = (() => {
      try {
        parseSettings({ httpPort: 'x', logLevel: 'loud', longPollMaxMs: '0' }, 't')
      } catch (e) {
        return e as SettingsError
      }
    })()
    expect(err?.problems.map((p) => p.split(' ')[0])).toEqual(['BNACOS_HTTP_PORT', 'BNACOS_LOG_LEVEL', 'BNACOS_LONG_POLL_MAX_MS'])
  })

  test('other numeric settings refuse negatives and fractions', () => {
    expect(problems({ historyRetentionDays: '-1' })).toContain('BNACOS_HISTORY_RETENTION_DAYS')
    expect(problems({ configMaxContentBytes: '1.5' })).toContain('BNACOS_CONFIG_MAX_CONTENT_BYTES')
    expect(parseSettings({ historyRetentionDays: '0' }, 't').historyRetentionDays).toBe(0)
  })
})

describe('sources and precedence', () => {
  test('flags accept "--flag value" and "--flag=value" and leave other words alone', () => {
    expect(readFlags(['--http-port', '9000', '--log-level=debug', 'health'])).toEqual({ raw: { httpPort: '9000', logLevel: 'debug' }, rest: ['health'] })
    expect(() => readFlags(['--http-port'])).toThrow('--http-port needs a value')
  })

  test('a settings file reads KEY=value, comments, quotes, export, and .properties spellings', () => {
    const path = settingsFile(
      ['# comment', '! also a comment', 'BNACOS_HTTP_PORT=9100', 'export BNACOS_LOG_LEVEL="warn"', "data.dir = '/srv/bnacos'", 'bnacos.history.retention.days: 7', 'UNRELATED=1', ''].join('\n'),
    )
    expect(readSettingsFile(path)).toEqual({ httpPort: '9100', logLevel: 'warn', dataDir: '/srv/bnacos', historyRetentionDays: '7' })
  })

  test('a missing settings file is an error naming it', () => {
    expect(() => readSettingsFile('/nonexistent/bnacos.env')).toThrow('settings file not found: /nonexistent/bnacos.env')
  })

  test('defaults < file < environment < flags', () => {
    const file = settingsFile('BNACOS_HTTP_PORT=9001\nBNACOS_LOG_LEVEL=warn\nBNACOS_DATA_DIR=/from-file\nBNACOS_HOST=10.0.0.1\n')
    const env = { BNACOS_CONFIG_FILE: file, BNACOS_HTTP_PORT: '9002', BNACOS_LOG_LEVEL: 'error', PATH: '/bin' }
    const { raw, rest } = gatherRaw(['--http-port', '9003'], env)
    expect(rest).toEqual([])
    const s = parseSettings(raw, 't')
    expect(s).toMatchObject({ httpPort: 9003, grpcPort: 10003, logLevel: 'error', dataDir: '/from-file', host: '10.0.0.1', shutdownGraceMs: 3000 })
  })

  test('a --config-file flag wins over BNACOS_CONFIG_FILE', () => {
    const a = settingsFile('BNACOS_HTTP_PORT=9101\n')
    const b = settingsFile('BNACOS_HTTP_PORT=9102\n')
    expect(gatherRaw(['--config-file', b], { BNACOS_CONFIG_FILE: a }).raw.httpPort).toBe('9102')
  })

  test('unrelated environment variables are ignored', () => {
    const file = settingsFile('')
    expect(gatherRaw([], { BNACOS_CONFIG_FILE: file, HTTP_PORT: '1', BNACOS_UNKNOWN: '2' }).raw).toEqual({ configFile: file })
  })
})

describe('--help', () => {
  test('lists every catalog setting with its variable, flag and default', () => {
    const help = helpText('9.9.9')
    expect(help).toContain('bnacos 9.9.9')
    for (const s of Object.values(catalog)) {
      expect(help).toContain(s.env)
      expect(help).toContain(s.flag)
      if (s.default !== undefined) expect(help).toContain(`(default ${s.default})`)
    }
  })

  test('names every BNACOS_* variable the source mentions', () => {
    const names = new Set<string>()
    const walk = (dir: string) => {
      for (const f of readdirSync(dir)) {
        const p = join(dir, f)
        if (statSync(p).isDirectory()) walk(p)
        else if (p.endsWith('.ts')) for (const m of readFileSync(p, 'utf8').matchAll(/BNACOS_[A-Z0-9_]+/g)) names.add(m[0])
      }
    }
    walk(join(root, 'src'))
    expect(names.size).toBeGreaterThanOrEqual(10)
    const help = helpText('t')
    expect([...names].filter((n) => !help.includes(n))).toEqual([])
  })

  test('the CLI prints the help and exits 0; a bad port exits 2 naming the variable', () => {
    const help = Bun.spawnSync([process.execPath, 'src/main.ts', '--help'], { cwd: root, env: { ...process.env, BNACOS_HTTP_PORT: '' } })
    expect(help.exitCode).toBe(0)
    const out = help.stdout.toString()
    for (const s of Object.values(catalog)) expect(out).toContain(s.env)
    const bad = Bun.spawnSync([process.execPath, 'src/main.ts'], { cwd: root, env: { ...process.env, BNACOS_HTTP_PORT: 'abc', BNACOS_CONFIG_FILE: settingsFile('') } })
    expect(bad.exitCode).toBe(2)
    expect(bad.stderr.toString()).toContain('BNACOS_HTTP_PORT (--http-port) = "abc": must be a whole number')
  })
})
