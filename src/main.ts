#!/usr/bin/env bun
import pkg from '../package.json'
import { startServer } from './server'
import { helpText } from './settings/help'
import { parseSettings, SettingsError } from './settings/settings'
import { gatherRaw } from './settings/sources'
import { log, setLogLevel } from './shared/log'

/** Command-line entry: `bnacos [--help | --version | settings…]`. */
async function main(argv: string[]) {
  if (argv.includes('--help') || argv.includes('-h')) return console.log(helpText(pkg.version))
  if (argv.includes('--version') || argv.includes('-v')) return console.log(pkg.version)
  let settings
  try {
    const { raw, rest } = gatherRaw(argv, process.env)
    if (rest.length) throw new SettingsError([`unknown argument(s): ${rest.join(' ')} (see bnacos --help)`])
    settings = parseSettings(raw, pkg.version)
  } catch (e) {
    console.error(`bnacos: ${e instanceof Error ? e.message : String(e)}`)
    process.exit(2)
  }
  setLogLevel(settings.logLevel)
  const server = await startServer(settings)
  const shutdown = (signal: string) => {
    log.info('signal received', { signal })
    server.stop().then(() => process.exit(0), (e) => {
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
