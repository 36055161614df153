/**
 * A cache whose entries live on their key objects, under a symbol of their own: the `WeakMap` API
 * (get / set / has / delete) without a `WeakMap`.
 *
 * Why not a `WeakMap`: in V8 (Node 20) the young-generation collector keeps the values of a `WeakMap`
 * alive whether or not their keys are, and promotes them to the old generation. A per-document cache
 * held that way outlives its document: every scavenge during an analysis copied and promoted about a
 * megabyte of dead documents' caches (≈ 100 MB a pass over the corpus), which made garbage collection
 * the largest single cost of the analysis. On the key object, an entry dies with its key. Measured in
 * docs/performance.md.
 *
 * The symbol is not enumerable by `Object.keys`, `for…in` or `JSON.stringify`, so the entries never
 * show in serialised objects. Keys must be extensible objects (nothing in the engine freezes them).
 */
export class AttachedCache<K extends object, V> {
  private readonly slot: symbol;

  constructor(description: string) {
    this.slot = Symbol(`actions-warden.${description}`);
  }

  get(key: K): V | undefined {
    return (key as Record<symbol, V | undefined>)[this.slot];
  }

  has(key: K): boolean {
    return (key as Record<symbol, V | undefined>)[this.slot] !== undefined;
  }

  set(key: K, value: V): this {
    (key as Record<symbol, V | undefined>)[this.slot] = value;
    return this;
  }

  delete(key: K): boolean {
    const had = this.has(key);
    if (had) (key as Record<symbol, V | undefined>)[this.slot] = undefined;
    return had;
  }
}
