/**
 * A listing that names one ref twice must name it identically: `refs/tags/v1` with two different
 * commits (or two different peeled commits, or once annotated and once not) is a contradiction, and
 * picking either answer ("first wins") would let whoever forged the second line choose the pin. Such a
 * listing is refused as a whole; an exact repetition is tolerated and counted once.
 */

export class ConflictingRefError extends Error {
  constructor(
    readonly ref: string,
    readonly first: string,
    readonly second: string,
  ) {
    super(`${quote(ref)} is listed twice with different values (${first} and ${second})`);
    this.name = 'ConflictingRefError';
  }
}

export class RefListing {
  private readonly seen = new Map<string, string>();

  /**
   * Records `ref` (its full name) with `value` (what it names: object, peeled object, symref target).
   * True when new; false when already listed with the same value (skip it); throws ConflictingRefError
   * when already listed with another value.
   */
  add(ref: string, value: string): boolean {
    const previous = this.seen.get(ref);
    if (previous === undefined) {
      this.seen.set(ref, value);
      return true;
    }
    if (previous === value) return false;
    throw new ConflictingRefError(ref, previous, value);
  }
}

/** A ref name from a server, quoted for a message: JSON escapes, C1 controls escaped too, at most 100 characters. */
export function quote(text: string): string {
  const short = text.length > 100 ? `${text.slice(0, 100)}…` : text;
  return JSON.stringify(short).replace(/[\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
