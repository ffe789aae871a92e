#!/usr/bin/env bun
import pkg from '../package.json'
import { UsageError } from './cli/backup'
import { isCommand, runCommand, type Command } from './cli/commands'
import { startServer } from './server'
import { helpText } from './settings/help'
import { parseSettings, SettingsError, type Settings } from './settings/settings'
import { gatherRaw } from './settings/sources'
import { log, setLogLevel } from './shared/log'
import { DataDirLockedError } from './storage/lock'

/** Command-line entry: `bnacos [command …] [--help | --version | settings…]`. */
async function main(argv: string[]) {
  if (argv.includes('--help') || argv.includes('-h')) return console.log(helpText(pkg.version))
  if (argv.includes('--version') || argv.includes('-v')) return console.log(pkg.version)
  let settings: Settings
  let command: Command | undefined
  let args: string[] = []
  let warnings: string[] = []
  try {
    const gathered = gatherRaw(argv, process.env)
    warnings = gathered.warnings
    const rest = gathered.rest
    if (isCommand(rest[0])) {
      command = rest[0]
      args = rest.slice(1)
    } else if (rest.length) throw new SettingsError([`unknown argument(s): ${rest.join(' ')} (see bnacos --help)`])
    settings = parseSettings(gathered.raw, pkg.version)
  } catch (e) {
    console.error(`bnacos: ${e instanceof Error ? e.message : String(e)}`)
    process.exit(2)
  }
  setLogLevel(settings.logLevel)
  if (command) {
    try {
      process.exit(await runCommand(command, args, settings))
    } catch (e) {
      console.error(`bnacos ${command}: ${e instanceof Error ? e.message : String(e)}`)
      process.exit(e instanceof UsageError ? 2 : 1)
    }
  }
  for (const w of warnings) log.warn(w)
  let server
  try {
    server = await startServer(settings)
  } catch (e) {
    // Another process on the data dir is an operator mistake, not a crash: one clear line, no stack.
    if (e instanceof DataDirLockedError) {
      log.error(e.message, { dataDir: e.dataDir })
      process.exit(3)
    }
    throw e
  }
  const running = server
  const shutdown = (signal: string) => {
    log.info('signal received', { signal })
    running.stop().then(() => process.exit(0), (e) => {
      log.error('shutdown failed', { error: String(e) })
      process.exit(1)
    })
  }
  process.on('SIGTERM', () => shutdown('SIGTERM'))
  process.on('SIGINT', () => shutdown('SIGINT'))
}

main(process.argv.slice(2)).catch((e) => {
  log.error('bnacos failed to start', { error: String(e?.stack ?? e) })
  process.exit(1)
})
