/** An unbounded async queue that a generator can drain; `end()` finishes the iteration. */
export class AsyncQueue<T> implements AsyncIterable<T> {
  private items: T[] = []
  private waiter: ((r: IteratorResult<T>) => void) | undefined
  private ended = false

  push(item: T) {
    if (this.ended) return
    const w = this.waiter
    if (w) {
      this.waiter = undefined
      w({ value: item, done: false })
    } else this.items.push(item)
  }

  end() {
    this.ended = true
    const w = this.waiter
    this.waiter = undefined
    w?.({ value: undefined, done: true })
  }

  get isEnded() {
    return this.ended
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => {
        if (this.items.length) return Promise.resolve({ value: this.items.shift()!, done: false })
        if (this.ended) return Promise.resolve({ value: undefined, done: true })
        return new Promise((resolve) => (this.waiter = resolve))
      },
      return: () => {
        this.end()
        return Promise.resolve({ value: undefined, done: true })
      },
    }
  }
}
