/**
 * The minimum release age of a document's update actions: the repository's `pinning.min-release-age-days`,
 * else the `actionsWarden.pinning.minReleaseAgeDays` setting; raised by the cooldown the repository gives
 * Dependabot for `github-actions` (`default-days`, or `semver-<size>-days` for an update of that size).
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { uriToPath } from '../config/workspace';
import type { ReleaseAgePolicy, UpdateSize } from '../fixes/pin';
import { ParsedFile } from '../parse/document';
import { MapView } from '../parse/views';
import { asMap, scalarText } from '../parse/yaml-nodes';
import type { FeatureContext } from './feature';

/** Dependabot's cooldown days for github-actions updates, by key. */
export interface DependabotCooldown {
  default?: number;
  major?: number;
  minor?: number;
  patch?: number;
  /** The file it was read from. */
  path: string;
}

const MAX_DEPENDABOT_BYTES = 256 * 1024;
const MAX_LEVELS = 16;

/** The folder holding `.github` (or `.git`) at or above the document's folder, or null. */
export function repositoryRoot(path: string): string | null {
  let dir = dirname(path);
  for (let level = 0; level < MAX_LEVELS; level++) {
    for (const marker of ['.github', '.git']) {
      try {
        statSync(join(dir, marker));
        return dir;
      } catch {
        // Not here.
      }
    }
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
  return null;
}

/** The cooldown of the github-actions entry of a Dependabot file's text (the first such entry), or null. */
export function dependabotCooldownOf(text: string, path: string): DependabotCooldown | null {
  const file = new ParsedFile(pathToFileURL(path).href, 'dependabot', text);
  for (const update of file.dependabot?.updates ?? []) {
    if (update.string('package-ecosystem')?.value !== 'github-actions') continue;
    const entry = update.get('cooldown');
    if (!entry) return null;
    const cooldown = new MapView(asMap(entry.value), file.doc);
    const days = (key: string) => {
      const found = cooldown.get(key);
      const value = found ? Number(scalarText(found.value)) : Number.NaN;
      return Number.isInteger(value) && value >= 0 && value <= 365 ? value : undefined;
    };
    return {
      default: days('default-days'),
      major: days('semver-major-days'),
      minor: days('semver-minor-days'),
      patch: days('semver-patch-days'),
      path,
    };
  }
  return null;
}

/** Reads the repository's `.github/dependabot.yml` (the editor's text when it is open). */
export function dependabotCooldownFor(uri: string, openText: (uri: string) => string | undefined): DependabotCooldown | null {
  const path = uriToPath(uri);
  const root = path ? repositoryRoot(path) : null;
  if (!root) return null;
  for (const name of ['dependabot.yml', 'dependabot.yaml']) {
    const candidate = join(root, '.github', name);
    let text = openText(pathToFileURL(candidate).href);
    if (text === undefined) {
      try {
        if (statSync(candidate).size > MAX_DEPENDABOT_BYTES) continue;
        text = readFileSync(candidate, 'utf8');
      } catch {
        continue;
      }
    }
    return dependabotCooldownOf(text, candidate);
  }
  return null;
}

/** The policy for a document: the configured minimum, raised by Dependabot's cooldown for the update's size. */
export function releaseAgePolicyFor(context: FeatureContext, uri: string, now = Date.now()): ReleaseAgePolicy {
  const configured = context.workspaceConfigs.configFor(uri)?.config.minReleaseAgeDays;
  const base = configured ?? context.settings().pinning.minReleaseAgeDays;
  const cooldown = dependabotCooldownFor(uri, (other) => context.documents.get(other)?.getText());
  return releaseAgePolicy(
    base,
    cooldown,
    now,
    configured !== undefined ? 'pinning.min-release-age-days' : 'actionsWarden.pinning.minReleaseAgeDays',
  );
}

export function releaseAgePolicy(base: number, cooldown: DependabotCooldown | null, now: number, source: string): ReleaseAgePolicy {
  return {
    now,
    source: cooldown ? `${source} and Dependabot's cooldown` : source,
    minAgeDays: (size: UpdateSize | null) => {
      const bySize = size && cooldown ? cooldown[size] : undefined;
      return Math.max(base, bySize ?? cooldown?.default ?? 0);
    },
  };
}
