import { catalog } from './catalog'

/** The text `bnacos --help` prints: usage and every setting with its env name, flag and default. */
export function helpText(version: string): string {
  const rows = Object.values(catalog).map((s) => {
    const def = s.default === undefined ? '' : ` (default ${s.default})`
    return `  ${s.flag.padEnd(28)} ${s.env}\n      ${s.description}${def}`
  })
  return [
    `bnacos ${version} — a Nacos-compatible config center and service registry`,
    '',
    'Usage: bnacos [settings]      start the server',
    '       bnacos health          exit 0 if the local server is ready (for container health checks)',
    '       bnacos --version       print the version',
    '       bnacos --help          print this help',
    '',
    'Settings (flag, environment variable; flags override the environment, which overrides the settings file):',
    ...rows,
  ].join('\n')
}
