/**
 * Events a test awaits in the order they happen (no polling, no sleeps): what an observer pushes
 * is handed to the next `next()`, or kept until one asks.
 */
export function inbox<T>() {
  const items: T[] = [];
  const waiters: ((item: T) => void)[] = [];
  return {
    push(item: T) {
      const waiter = waiters.shift();
      if (waiter) waiter(item);
      else items.push(item);
    },
    next(): Promise<T> {
      if (items.length > 0) return Promise.resolve(items.shift() as T);
      return new Promise((resolve) => waiters.push(resolve));
    },
  };
}
