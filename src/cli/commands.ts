import type { Settings } from '../settings/settings'

/** The subcommands besides serving; each returns the process exit code. */
export const commands = ['health', 'backup', 'restore', 'export', 'import'] as const
/** One subcommand name. */
export type Command = (typeof commands)[number]

/** Whether a word is a subcommand (the first word left after settings flags). */
export function isCommand(word: string | undefined): word is Command {
  return (commands as readonly string[]).includes(word ?? '')
}

/** Runs a subcommand with the words after it and the parsed settings (data dir, port). */
export async function runCommand(command: Command, argv: string[], settings: Settings): Promise<number> {
  // Loaded on use: the server itself never needs them, and every module it loads costs startup time and RSS.
  const { runBackupCommand, runRestoreCommand } = await import('./backup')
  const { probeReadiness } = await import('./health')
  const { runTransferCommand } = await import('./transfer')
  switch (command) {
    case 'health':
      return probeReadiness(settings.httpPort)
    case 'backup':
      return runBackupCommand(argv, settings)
    case 'restore':
      return runRestoreCommand(argv, settings)
    case 'export':
    case 'import':
      return runTransferCommand(command, argv, settings)
  }
}
