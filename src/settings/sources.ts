import { existsSync, readFileSync } from 'node:fs'
import { catalog, type SettingKey } from './catalog'
import { readNacosEnv } from './nacos-env'
import { SettingsError } from './settings'

type Raw = Partial<Record<SettingKey, string>>

const byEnv = new Map(Object.entries(catalog).map(([k, s]) => [s.env, k as SettingKey]))
const byFlag = new Map(Object.entries(catalog).map(([k, s]) => [s.flag, k as SettingKey]))

/** Reads `KEY=value` lines of a .env or .properties file; `#`/`!` comments, optional quotes. */
export function readSettingsFile(path: string): Raw {
  if (!existsSync(path)) throw new Error(`settings file not found: ${path}`)
  const out: Raw = {}
  for (const line of readFileSync(path, 'utf8').split(/\r?\n/)) {
    const t = line.trim()
    if (!t || t.startsWith('#') || t.startsWith('!')) continue
    const m = /^(?:export\s+)?([A-Za-z0-9_.-]+)\s*[=:]\s*(.*)$/.exec(t)
    if (!m) continue
    const key = m[1].toUpperCase().replaceAll('.', '_').replaceAll('-', '_')
    const name = byEnv.get(key) ?? byEnv.get('BNACOS_' + key)
    if (name) out[name] = m[2].replace(/^(['"])(.*)\1$/, '$2')
  }
  return out
}

/** Picks the BNACOS_* variables out of an environment. */
export function readEnv(env: Record<string, string | undefined>): Raw {
  const out: Raw = {}
  for (const [name, key] of byEnv) if (env[name] !== undefined) out[key] = env[name]
  return out
}

/** Parses `--flag value` / `--flag=value` arguments; returns the settings and any words left over. */
export function readFlags(argv: string[]): { raw: Raw; rest: string[] } {
  const raw: Raw = {}
  const rest: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    const eq = arg.indexOf('=')
    const flag = eq > 0 ? arg.slice(0, eq) : arg
    const key = byFlag.get(flag)
    if (!key) { rest.push(arg); continue }
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i]
    if (value === undefined) throw new Error(`${flag} needs a value`)
    raw[key] = value
  }
  return { raw, rest }
}

/**
 * Merges defaults < settings file < Nacos image environment names < BNACOS_* environment < flags, as raw
 * text; `warnings` are for the log. Throws a SettingsError when the Nacos names ask for what bnacos cannot do.
 */
export function gatherRaw(argv: string[], env: Record<string, string | undefined>): { raw: Raw; rest: string[]; warnings: string[] } {
  const nacos = readNacosEnv(env)
  if (nacos.refused.length) throw new SettingsError(nacos.refused)
  const fromEnv = readEnv(env)
  const { raw: fromFlags, rest } = readFlags(argv)
  const file = fromFlags.configFile ?? fromEnv.configFile ?? (existsSync('.env') ? '.env' : undefined)
  const fromFile = file ? readSettingsFile(file) : {}
  return { raw: { ...fromFile, ...nacos.raw, ...fromEnv, ...fromFlags }, rest, warnings: nacos.warnings }
}
