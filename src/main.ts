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
  let command: string | undefined
  try {
    const { raw, rest } = gatherRaw(argv, process.env)
    if (rest[0] === 'health') command = rest.shift()
    if (rest.length) throw new SettingsError([`unknown argument(s): ${rest.join(' ')} (see bnacos --help)`])
    settings = parseSettings(raw, pkg.version)
  } catch (e) {
    console.error(`bnacos: ${e instanceof Error ? e.message : String(e)}`)
    process.exit(2)
  }
  setLogLevel(settings.logLevel)
  if (command === 'health') return process.exit(await probeReadiness(settings.httpPort))
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

/** `bnacos health`: exit 0 when the local server's readiness answers 200 (container health checks). */
async function probeReadiness(port: number): Promise<number> {
  try {
    const r = await fetch(`http://127.0.0.1:${port}/nacos/v1/console/health/readiness`, { signal: AbortSignal.timeout(2000) })
    console.log(r.status === 200 ? 'ready' : `not ready: ${await r.text()}`)
    return r.status === 200 ? 0 : 1
  } catch (e) {
    console.log(`not reachable: ${e instanceof Error ? e.message : String(e)}`)
    return 1
  }
}

main(process.argv.slice(2)).catch((e) => {
  log.error('bnacos failed to start', { error: String(e?.stack ?? e) })
  process.exit(1)
})
