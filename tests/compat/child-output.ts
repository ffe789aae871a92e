// How the compat driver reads a scenario process: stdout line by line (its RESULT lines), stderr into its log.
import type { ChildProcess } from 'node:child_process'
import { writeSync } from 'node:fs'

/**
 * Feeds each stdout line of `child` to `onLine` and appends its stderr to `logFd`. `done` resolves when stdout
 * closes; `flush()` hands over a last line without a newline (a process killed mid-line).
 */
export function readChildOutput(child: ChildProcess, onLine: (line: string) => void, logFd: number): { done: Promise<void>; flush(): void } {
  let buf = ''
  child.stdout!.setEncoding('utf8')
  child.stdout!.on('data', (chunk: string) => {
    buf += chunk
    let i: number
    while ((i = buf.indexOf('\n')) >= 0) {
      onLine(buf.slice(0, i).replace(/\r$/, ''))
      buf = buf.slice(i + 1)
    }
  })
  child.stderr!.setEncoding('utf8')
  child.stderr!.on('data', (chunk: string) => writeSync(logFd, chunk))
  return {
    done: new Promise<void>((res) => child.stdout!.once('close', () => res())),
    flush() {
      if (buf.trim()) onLine(buf.trim())
      buf = ''
    },
  }
}
