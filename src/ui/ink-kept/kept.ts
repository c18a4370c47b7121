/**
 * Pure answers kept for the latest distinct questions: Ink's own caches (its text measures and wrapped texts)
 * keep every string they ever saw, a screenful a frame beside a logging kubelet, for as long as the monitor
 * stays open. quick-lru holds two generations of `size` answers at most.
 */
import QuickLRU from 'quick-lru';

/** `answer(key)`, kept: for a function of one string. */
export function kept<T>(size: number, answer: (key: string) => T): (key: string) => T {
  const keep = keeper<T>(size);
  return (key) => keep(key, () => answer(key));
}

/** The answer kept under `key`, else `answer()`'s: for questions of several parts, `key` naming them all. */
export function keeper<T>(size: number): (key: string, answer: () => T) => T {
  const answers = new QuickLRU<string, T>({ maxSize: size });
  return (key, answer) => {
    let value = answers.get(key);
    if (value === undefined) {
      value = answer();
      answers.set(key, value);
    }
    return value;
  };
}
