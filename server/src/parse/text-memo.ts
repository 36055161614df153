/**
 * A bounded memo for pure functions of a string (a `run:` script → its commands, an expression → its
 * tree). Re-analysing a document after a keystroke meets the same scripts and expressions again: they
 * are parsed once, so that part of the cost follows what the edit changed, not the size of the file.
 *
 * Two generations: a lookup that hits the old generation moves the entry to the new one; when the new
 * generation is full, the old one is dropped. Memory stays bounded by about twice `capacity` entries,
 * and texts longer than `maxKeyLength` are not memoised at all. Results are shared: never mutate them.
 */
export class TextMemo<T> {
  private current = new Map<string, T>();
  private previous = new Map<string, T>();

  constructor(
    private readonly compute: (text: string) => T,
    private readonly capacity = 4096,
    private readonly maxKeyLength = 64 * 1024,
  ) {
    MEMOS.add(this as TextMemo<unknown>);
  }

  get(text: string): T {
    if (text.length > this.maxKeyLength) return this.compute(text);
    let value = this.current.get(text);
    if (value !== undefined) return value;
    value = this.previous.get(text);
    if (value === undefined) value = this.compute(text);
    if (this.current.size >= this.capacity) {
      this.previous = this.current;
      this.current = new Map();
    }
    this.current.set(text, value);
    return value;
  }

  /** Forgets everything (benchmarks measure cold analyses). */
  clear(): void {
    this.current.clear();
    this.previous.clear();
  }
}

const MEMOS = new Set<TextMemo<unknown>>();

/** Empties every memo: the throughput benchmark starts each round cold, as a fresh process would. */
export function clearTextMemos(): void {
  for (const memo of MEMOS) memo.clear();
}
