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
 *
 * A key class that several caches attach to (ParsedFile, WorkflowView, JobView) gives them a `host` object of its own instead: each
 * property added to an object changes its hidden class, and a ParsedFile carrying a different set of
 * entries per file made every rule's reads of `file.text` or `file.workflow` megamorphic.
 */
export class AttachedCache<K extends object, V> {
  private readonly slot: symbol;

  constructor(
    description: string,
    private readonly host?: (key: K) => object,
  ) {
    this.slot = Symbol(`actions-warden.${description}`);
  }

  private holder(key: K): Record<symbol, V | undefined> {
    return (this.host ? this.host(key) : key) as Record<symbol, V | undefined>;
  }

  get(key: K): V | undefined {
    return this.holder(key)[this.slot];
  }

  has(key: K): boolean {
    return this.holder(key)[this.slot] !== undefined;
  }

  set(key: K, value: V): this {
    this.holder(key)[this.slot] = value;
    return this;
  }

  delete(key: K): boolean {
    const had = this.has(key);
    if (had) this.holder(key)[this.slot] = undefined;
    return had;
  }
}

/** For caches keyed by a ParsedFile, WorkflowView or JobView: the entries live on the key's `attachments` object. */
export const attachmentsOf = (key: { readonly attachments: object }): object => key.attachments;
