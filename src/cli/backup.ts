import type { Settings } from '../settings/settings'
import { backupDatabase, restoreDatabase, type BackupSummary } from '../storage/backup'

function describe(s: BackupSummary): string {
  const rows = Object.entries(s.rows).filter(([t]) => !t.startsWith('__')).map(([t, n]) => `${t}=${n}`).join(' ')
  return `${s.file} (${s.bytes} bytes; rows: ${rows})`
}

function oneFile(command: string, argv: string[]): string {
  if (argv.length !== 1 || argv[0].startsWith('-')) throw new UsageError(`usage: bnacos ${command} FILE [--data-dir DIR]`)
  return argv[0]
}

/** A command line that cannot be run as given (exit code 2). */
export class UsageError extends Error {}

/** `bnacos backup FILE`: an online backup of the data dir's database, safe while the server runs. */
export function runBackupCommand(argv: string[], settings: Pick<Settings, 'dataDir'>): number {
  const file = oneFile('backup', argv)
  const s = backupDatabase(settings.dataDir, file)
  console.log(`backup written: ${describe(s)}`)
  return 0
}

/** `bnacos restore FILE`: replaces the data dir's database with a backup; the server must be stopped. */
export function runRestoreCommand(argv: string[], settings: Pick<Settings, 'dataDir'>): number {
  const file = oneFile('restore', argv)
  const s = restoreDatabase(settings.dataDir, file)
  console.log(`restored ${describe(s)}`)
  if (s.previous) console.log(`the replaced database was kept as ${s.previous}`)
  return 0
}
