import { catalog, type SettingSpec } from './catalog'

/** The text `bnacos --help` prints: usage and every setting with its env name, flag and default. */
export function helpText(version: string): string {
  const rows = Object.values(catalog).map((s: SettingSpec) => {
    const def = s.default === undefined ? '' : ` (default ${s.default})`
    const alias = s.nacosEnv ? ` (also ${s.nacosEnv.join(', ')})` : ''
    return `  ${s.flag.padEnd(28)} ${s.env}${alias}\n      ${s.description}${def}`
  })
  return [
    `bnacos ${version} — a Nacos-compatible config center and service registry`,
    '',
    'Usage: bnacos [settings]              start the server',
    '       bnacos health                  exit 0 if the local server is ready (for container health checks)',
    '       bnacos backup FILE             write an online backup of the database to FILE (safe while serving)',
    '       bnacos restore FILE            replace the database with a backup (the server must be stopped)',
    '       bnacos export FILE [options]   write namespaces, users and configs (as Nacos config zips) to FILE',
    '       bnacos import FILE [options]   read such a file, or a Nacos / r-nacos config zip (server stopped; docs/migration.md)',
    '       bnacos --version               print the version',
    '       bnacos --help                  print this help',
    '',
    'Settings (flag, environment variable; flags override the environment, which overrides the settings file):',
    ...rows,
  ].join('\n')
}
