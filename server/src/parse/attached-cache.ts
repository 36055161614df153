/**
 * A cache whose entries live on their key objects, under a symbol of their own: the `WeakMap` API
 * (get / set / has / delete) without a `WeakMap`.
 *
 * Why not a `WeakMap`: V8's young-generation collector (Node 20) keeps the values of a `WeakMap` alive
 * whether or not their keys are, and promotes them to the old generation (a micro-benchmark of 3,000
 * dropped keys promoted 67 MB through a `WeakMap`, 0.1 MB with the value on the key). A per-document cache
 * held that way outlives its document until the next full collection; on the key object, an entry dies
 * with its key. See docs/performance.md.
 *
 * On the key, the entry is a non-enumerable symbol property: `Object.keys`, `for…in`, `JSON.stringify`, spreads
 * and deep comparisons never see it. Keys must be extensible objects (nothing in the engine freezes them).
 *
 * A key class that several caches attach to (ParsedFile, WorkflowView, JobView) gives them a `host`
 * object of its own instead (`attachmentsOf`): each property added to an object changes its hidden
 * class, and a ParsedFile carrying a different set of entries per file made every rule's reads of
 * `file.text` or `file.workflow` megamorphic.
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
    const holder = this.holder(key);
    // On the key itself the entry is non-enumerable, so that a spread or a deep comparison of the key never
    // carries it along (a host object is ours alone: a plain property is enough there).
    if (this.host || Object.prototype.hasOwnProperty.call(holder, this.slot)) holder[this.slot] = value;
    else Object.defineProperty(holder, this.slot, { value, writable: true, enumerable: false, configurable: true });
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
