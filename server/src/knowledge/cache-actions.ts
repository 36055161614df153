/**
 * Actions that restore (and usually save) a GitHub Actions cache, the input that turns it on or off, and
 * its default per major version. Sources: each action's `action.yml` and README (read Aug 2026).
 */

export interface CacheAction {
  /** Lower-case `owner/repo[/path]`. */
  name: string;
  /** The input controlling the cache; null when the action always caches. */
  input: string | null;
  /**
   * Whether the cache is on when the input is absent, by major version (`default` when the version is
   * unknown). 'conditional' = on when a lock file or `packageManager` field is found.
   */
  defaultOn: (major: number | null) => boolean | 'conditional';
  /**
   * How an input value turns caching on: `truthy` (`true`), `nonempty` (any package manager name), `inverted`
   * (`cache-disabled: true` turns it off; `yes` and `1` too), `gha` (a `cache-from` list naming `type=gha`).
   */
  semantics: 'truthy' | 'nonempty' | 'inverted' | 'gha';
  /**
   * A second input that turns the default caching off when `false` (setup-node's `package-manager-cache`),
   * from this major version on.
   */
  autoInput?: { input: string; since: number };
  /** The action caches only when this input is set (setup-buildx-action caches the buildx it downloads for `version:`). */
  requires?: string;
  /** The edit that turns caching off: set the input to this value, or remove the input. */
  off: { set: string } | { remove: true; orSet?: { input: string; value: string } } | null;
  /** Where we read the default. */
  source: string;
  /** True for actions that only save (actions/cache/save) or only restore. */
  mode?: 'save' | 'restore';
}

const always = () => true;
const never = () => false;

export const CACHE_ACTIONS: readonly CacheAction[] = [
  {
    name: 'actions/cache',
    input: null,
    defaultOn: always,
    semantics: 'truthy',
    off: null,
    source: 'actions/cache action.yml (lookup-only only skips the download)',
  },
  {
    name: 'actions/cache/restore',
    input: null,
    defaultOn: always,
    semantics: 'truthy',
    off: null,
    source: 'actions/cache restore/action.yml',
    mode: 'restore',
  },
  {
    name: 'actions/cache/save',
    input: null,
    defaultOn: always,
    semantics: 'truthy',
    off: null,
    source: 'actions/cache save/action.yml',
    mode: 'save',
  },
  {
    name: 'actions/setup-node',
    input: 'cache',
    // v5 caches npm automatically when package.json has a `packageManager` field (`package-manager-cache`, default true).
    defaultOn: (major) => (major !== null && major >= 5 ? 'conditional' : false),
    semantics: 'nonempty',
    off: { remove: true, orSet: { input: 'package-manager-cache', value: 'false' } },
    autoInput: { input: 'package-manager-cache', since: 5 },
    source:
      'actions/setup-node action.yml and README at v5.0.0 (`package-manager-cache`, default true: caches when package.json has a `packageManager` field), v6.0.0 and v7.0.0 (npm only: `packageManager` or `devEngines.packageManager` naming npm)',
  },
  {
    name: 'actions/setup-python',
    input: 'cache',
    defaultOn: never,
    semantics: 'nonempty',
    off: { remove: true },
    source: 'actions/setup-python action.yml',
  },
  {
    name: 'actions/setup-java',
    input: 'cache',
    defaultOn: never,
    semantics: 'nonempty',
    off: { remove: true },
    source: 'actions/setup-java action.yml',
  },
  {
    name: 'actions/setup-dotnet',
    input: 'cache',
    defaultOn: never,
    semantics: 'truthy',
    off: { set: 'false' },
    source: 'actions/setup-dotnet action.yml',
  },
  {
    name: 'actions/setup-go',
    input: 'cache',
    defaultOn: (major) => major === null || major >= 4,
    semantics: 'truthy',
    off: { set: 'false' },
    source: 'actions/setup-go action.yml (default true since v4)',
  },
  {
    name: 'astral-sh/setup-uv',
    input: 'enable-cache',
    defaultOn: (major) => major === null || major >= 6,
    semantics: 'truthy',
    off: { set: 'false' },
    source: 'astral-sh/setup-uv action.yml (`auto`, the default since v6: on for GitHub-hosted runners)',
  },
  { name: 'swatinem/rust-cache', input: null, defaultOn: always, semantics: 'truthy', off: null, source: 'Swatinem/rust-cache README' },
  {
    name: 'ruby/setup-ruby',
    input: 'bundler-cache',
    defaultOn: never,
    semantics: 'truthy',
    off: { set: 'false' },
    source: 'ruby/setup-ruby action.yml',
  },
  {
    name: 'pyo3/maturin-action',
    input: 'sccache',
    defaultOn: never,
    semantics: 'truthy',
    off: { set: 'false' },
    source: 'PyO3/maturin-action action.yml',
  },
  {
    name: 'mozilla-actions/sccache-action',
    input: null,
    defaultOn: always,
    semantics: 'truthy',
    off: null,
    source: 'mozilla-actions/sccache-action README',
  },
  {
    name: 'nix-community/cache-nix-action',
    input: null,
    defaultOn: always,
    semantics: 'truthy',
    off: null,
    source: 'nix-community/cache-nix-action README',
  },
  {
    name: 'awalsh128/cache-apt-pkgs-action',
    input: null,
    defaultOn: always,
    semantics: 'truthy',
    off: null,
    source: 'awalsh128/cache-apt-pkgs-action README',
  },
  {
    name: 'gradle/actions/setup-gradle',
    input: 'cache-disabled',
    defaultOn: always,
    semantics: 'inverted',
    off: { set: 'true' },
    source: 'gradle/actions setup-gradle action.yml',
  },
  {
    name: 'gradle/gradle-build-action',
    input: 'cache-disabled',
    defaultOn: always,
    semantics: 'inverted',
    off: { set: 'true' },
    source: 'gradle/gradle-build-action action.yml',
  },
  {
    name: 'jdx/mise-action',
    input: 'cache',
    defaultOn: always,
    semantics: 'truthy',
    off: { set: 'false' },
    source: 'jdx/mise-action action.yml',
  },
  {
    name: 'denoland/setup-deno',
    input: 'cache',
    defaultOn: never,
    semantics: 'truthy',
    off: { set: 'false' },
    source: 'denoland/setup-deno action.yml (v2)',
  },
  {
    name: 'pdm-project/setup-pdm',
    input: 'cache',
    defaultOn: never,
    semantics: 'truthy',
    off: { set: 'false' },
    source: 'pdm-project/setup-pdm action.yml',
  },
  {
    name: 'prefix-dev/setup-pixi',
    input: 'cache',
    defaultOn: () => 'conditional',
    semantics: 'truthy',
    off: { set: 'false' },
    source: 'prefix-dev/setup-pixi README (on when a lock file exists)',
  },
  {
    name: 'ramsey/composer-install',
    input: 'ignore-cache',
    defaultOn: always,
    semantics: 'inverted',
    off: { set: 'true' },
    source:
      "ramsey/composer-install action.yml (v2, v3: `ignore-cache` accepts 'yes', true, 1; otherwise actions/cache restores Composer's cache)",
  },
  {
    name: 'docker/setup-buildx-action',
    input: 'cache-binary',
    defaultOn: (major) => major === null || major >= 3,
    semantics: 'truthy',
    off: { set: 'false' },
    requires: 'version',
    source:
      'docker/setup-buildx-action action.yml and src/main.ts (`cache-binary`, default true since v3.1.0: the buildx downloaded for `version:` goes through the Actions cache)',
  },
  {
    name: 'docker/build-push-action',
    input: 'cache-from',
    defaultOn: never,
    semantics: 'gha',
    off: null,
    source: 'docker/build-push-action action.yml (`cache-from: type=gha` imports build cache from the Actions cache)',
  },
  {
    name: 'oven-sh/setup-bun',
    input: 'no-cache',
    defaultOn: () => false,
    semantics: 'inverted',
    off: null,
    source: 'oven-sh/setup-bun action.yml (caches the bun binary only)',
  },
];

const byName = new Map(CACHE_ACTIONS.map((action) => [action.name, action]));

export function cacheAction(name: string): CacheAction | undefined {
  return byName.get(name.toLowerCase());
}

/** Is caching on, given the literal input value (null = absent)? `unknown` for expressions. */
export function cacheEnabled(action: CacheAction, value: string | null, major: number | null): boolean | 'conditional' | 'unknown' {
  if (action.input === null) return action.defaultOn(major);
  if (value === null) return action.defaultOn(major);
  const text = value.trim();
  if (action.semantics === 'gha') {
    if (/(^|[\s,])type=gha\b/i.test(text)) return true;
    // Expressions only inside the entries (`type=registry,ref=${{ … }}`) leave the types literal.
    return !text.includes('${{') || withoutExpressions(text).includes('type=') ? false : 'unknown';
  }
  if (text.includes('${{')) return 'unknown';
  const lower = text.toLowerCase();
  if (action.semantics === 'inverted')
    return lower === 'true' || lower === 'yes' || lower === '1' ? false : lower === 'false' ? true : action.defaultOn(major);
  if (action.semantics === 'nonempty') return lower !== '' && lower !== 'false';
  if (lower === 'auto') return true;
  return lower === 'true';
}

/** `text` with every `${{ … }}` removed (an unterminated one runs to the end). */
function withoutExpressions(text: string): string {
  let out = '';
  let from = 0;
  for (let open = text.indexOf('${{'); open !== -1; open = text.indexOf('${{', from)) {
    out += text.slice(from, open);
    const close = text.indexOf('}}', open + 3);
    if (close === -1) return out;
    from = close + 2;
  }
  return out + text.slice(from);
}
