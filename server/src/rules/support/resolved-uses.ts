/**
 * The remote `uses:` of a file as rules report on them: where the ref is written, and the ones the
 * online view resolved, with the repository's refs.
 */
import type { UsesSite } from '../../parse/document';
import type { Span } from '../../parse/text';
import type { RemoteUses } from '../../parse/uses';
import { refsFor, resolvableRemote, type OnlineSnapshot } from '../../resolve/snapshot';
import type { RepoRefs } from '../../resolve/types';

/** The span of the ref (`v4` in `actions/checkout@v4`), or of the whole value when it is not written plainly. */
export function refOrValueSpan(site: UsesSite, uses: RemoteUses): Span {
  return site.exact ? { start: site.valueStart + uses.refStart, end: site.valueStart + uses.refEnd } : site.entry.valueSpan;
}

export interface ResolvedUses {
  site: UsesSite;
  uses: RemoteUses;
  /** The refs of the repository the `uses:` names. */
  refs: RepoRefs;
}

/**
 * The resolvable remote `uses:` of a file whose repository the snapshot resolved: those pinned to a full
 * commit SHA (`sha-pins`), or those naming a tag or branch (`named-refs`).
 */
export function resolvedUses(sites: readonly UsesSite[], snapshot: OnlineSnapshot, which: 'sha-pins' | 'named-refs'): ResolvedUses[] {
  const found: ResolvedUses[] = [];
  for (const site of sites) {
    const uses = resolvableRemote(site);
    if (!uses) continue;
    if (which === 'sha-pins' ? uses.refKind !== 'sha' : uses.refKind === 'sha' || uses.refKind === 'short-sha') continue;
    const refs = refsFor(snapshot, uses);
    if (refs?.ok) found.push({ site, uses, refs: refs.value });
  }
  return found;
}
