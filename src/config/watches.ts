import { keyString, type ConfigKey } from './model'

/** Something waiting for changes of some configs: a gRPC connection's listen set or a held long poll. */
export interface Watcher {
  /** Who is listening, for the console's listener view. */
  readonly clientIp: string
  /** Called once per change of a key this watcher was added for. */
  onChange(key: ConfigKey): void
  /** The md5 the watcher last reported for a key, for the listener view. */
  md5Of(keyStr: string): string | undefined
}

/** Watchers indexed by config key, so a change reaches its listeners without scanning the others. */
export class WatchIndex {
  private byKey = new Map<string, Set<Watcher>>()

  add(key: ConfigKey, w: Watcher) {
    const s = keyString(key)
    let set = this.byKey.get(s)
    if (!set) this.byKey.set(s, (set = new Set()))
    set.add(w)
  }

  remove(key: ConfigKey, w: Watcher) {
    const s = keyString(key)
    const set = this.byKey.get(s)
    if (!set) return
    set.delete(w)
    if (set.size === 0) this.byKey.delete(s)
  }

  /** Tells every watcher of the key; a watcher that throws does not stop the others. */
  notify(key: ConfigKey) {
    const set = this.byKey.get(keyString(key))
    if (!set) return
    for (const w of [...set]) {
      try {
        w.onChange(key)
      } catch {
        // A broken watcher (closed connection) is removed by its own owner.
      }
    }
  }

  /** The watchers of one key with the md5 each holds (console listener view). */
  listenersOf(key: ConfigKey): { clientIp: string; md5: string }[] {
    const s = keyString(key)
    return [...(this.byKey.get(s) ?? [])].map((w) => ({ clientIp: w.clientIp, md5: w.md5Of(s) ?? '' }))
  }

  /** Number of (key, watcher) pairs. */
  get size(): number {
    let n = 0
    for (const set of this.byKey.values()) n += set.size
    return n
  }
}
