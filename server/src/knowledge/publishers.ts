/**
 * What publishes: actions that upload packages, images or releases, and `run:` commands that do. Used by
 * cache-poisoning (a publishing job must not restore caches), use-trusted-publishing (which registries
 * support OIDC) and the unpinned-install rules (worse in a job holding publish credentials).
 */
import type { ParsedFile } from '../parse/document';
import type { JobView } from '../parse/views';
import { AttachedCache, attachmentsOf } from '../parse/attached-cache';
import { hasIdTokenWrite, secretReferences, stepAction } from './job-facts';
import { args, runScriptsOf, type ShellCommand } from './shell';

export type Registry = 'pypi' | 'npm' | 'crates.io' | 'rubygems' | 'nuget' | 'maven' | 'container' | 'github-release' | 'pages' | 'other';

export interface PublisherAction {
  name: string;
  registry: Registry;
  /** An input that must be truthy for the action to publish (build-push-action `push`). */
  when?: string;
}

export const PUBLISHER_ACTIONS: readonly PublisherAction[] = [
  { name: 'pypa/gh-action-pypi-publish', registry: 'pypi' },
  { name: 'js-devtools/npm-publish', registry: 'npm' },
  { name: 'rubygems/release-gem', registry: 'rubygems' },
  { name: 'rubygems/configure-rubygems-credentials', registry: 'rubygems' },
  { name: 'katyo/publish-crates', registry: 'crates.io' },
  { name: 'rust-lang/crates-io-auth-action', registry: 'crates.io' },
  { name: 'goreleaser/goreleaser-action', registry: 'github-release' },
  { name: 'softprops/action-gh-release', registry: 'github-release' },
  { name: 'ncipollo/release-action', registry: 'github-release' },
  { name: 'svenstaro/upload-release-action', registry: 'github-release' },
  { name: 'docker/build-push-action', registry: 'container', when: 'push' },
  { name: 'changesets/action', registry: 'npm', when: 'publish' },
  { name: 'actions/attest-build-provenance', registry: 'other' },
  { name: 'actions/attest', registry: 'other' },
  { name: 'sigstore/gh-action-sigstore-python', registry: 'other' },
  { name: 'actions/deploy-pages', registry: 'pages' },
  { name: 'peaceiris/actions-gh-pages', registry: 'pages' },
  { name: 'jamesives/github-pages-deploy-action', registry: 'pages' },
];

const byName = new Map(PUBLISHER_ACTIONS.map((action) => [action.name, action]));

export function publisherAction(name: string): PublisherAction | undefined {
  return byName.get(name.toLowerCase());
}

export interface PublishCommand {
  registry: Registry;
  /** e.g. `cargo publish`, `twine upload`. */
  label: string;
  /** True when the registry supports Trusted Publishing (OIDC). */
  trusted: boolean;
}

const PYTHON_LAUNCHERS = new Set(['python', 'python3', 'py', 'uvx', 'pipx', 'uv', 'poetry', 'pdm', 'hatch']);

const recognised = new AttachedCache<ShellCommand, PublishCommand | null>('publish-command');

/**
 * Recognises a publishing command (after launchers such as `python -m`, `uv run`, `npx`). Memoised per
 * command: the scripts of a file are parsed once and several rules ask about every command.
 */
export function publishCommand(command: ShellCommand): PublishCommand | null {
  let known = recognised.get(command);
  if (known === undefined) recognised.set(command, (known = recognisePublishCommand(command)));
  return known;
}

/** Every command name `recognisePublishCommand` can act on (launchers included; `python*` is tested apart). */
const FIRST_WORDS = new Set([
  ...PYTHON_LAUNCHERS,
  'npx',
  'bunx',
  'bundle',
  'cargo',
  'twine',
  'flit',
  'maturin',
  'gem',
  'npm',
  'pnpm',
  'bun',
  'yarn',
  'lerna',
  'changeset',
  'nuget',
  'nuget.exe',
  'dotnet',
  'mvn',
  'mvnw',
  'gradle',
  'gradlew',
  'docker',
  'podman',
  'gh',
  'goreleaser',
  'vsce',
  'ovsx',
]);

/** A launched tool's name without the version it is pinned to: `twine==6.1.0`, `twine@6.1.0`, `twine>=6` → `twine`. */
function withoutVersion(name: string): string {
  for (let i = 1; i < name.length; i++) if ('=<>~!@['.includes(name[i])) return name.slice(0, i);
  return name;
}

function recognisePublishCommand(command: ShellCommand): PublishCommand | null {
  // Most commands are neither a launcher nor a publisher: answer before building any word list.
  if (!FIRST_WORDS.has(command.name) && !command.name.startsWith('python')) return null;
  let words = command.argv.map((word) => word.text);
  // Strip launchers: `python -m twine`, `uv run twine`, `uvx twine`, `pipx run twine`, `npx -y pnpm`, `poetry run twine`.
  for (let guard = 0; guard < 3 && words.length > 1; guard++) {
    const head = words[0].replace(/^.*[\\/]/, '').toLowerCase();
    if ((head.startsWith('python') || head === 'py') && words[1] === '-m') words = words.slice(2);
    else if (head === 'bundle' && words[1] === 'exec' && words[2]) words = words.slice(2);
    else if (PYTHON_LAUNCHERS.has(head) && words[1] === 'run' && words[2] && !words[2].startsWith('-')) words = words.slice(2);
    else if ((head === 'uvx' || head === 'pipx' || head === 'npx' || head === 'bunx') && words[1])
      words = words.slice(1).filter((w, i) => i > 0 || !w.startsWith('-'));
    else break;
  }
  if (words.length === 0 || words.includes('--dry-run') || (words.includes('-n') && words[0] === 'cargo')) return null;
  const name = withoutVersion(words[0].replace(/^.*[\\/]/, '').toLowerCase());
  const sub = (words[1] ?? '').toLowerCase();
  const sub2 = (words[2] ?? '').toLowerCase();
  switch (name) {
    case 'cargo':
      return sub === 'publish' ? { registry: 'crates.io', label: 'cargo publish', trusted: true } : null;
    case 'twine':
      return sub === 'upload' ? { registry: 'pypi', label: 'twine upload', trusted: true } : null;
    case 'uv':
    case 'hatch':
    case 'pdm':
    case 'poetry':
    case 'flit':
      return sub === 'publish' ? { registry: 'pypi', label: `${name} publish`, trusted: true } : null;
    case 'maturin':
      return sub === 'publish' || sub === 'upload' ? { registry: 'pypi', label: `maturin ${sub}`, trusted: true } : null;
    case 'gem':
      return sub === 'push' ? { registry: 'rubygems', label: 'gem push', trusted: true } : null;
    case 'npm':
    case 'pnpm':
    case 'bun':
      return sub === 'publish' ? { registry: 'npm', label: `${name} publish`, trusted: true } : null;
    case 'yarn':
      if (sub === 'publish') return { registry: 'npm', label: 'yarn publish', trusted: true };
      return sub === 'npm' && sub2 === 'publish' ? { registry: 'npm', label: 'yarn npm publish', trusted: true } : null;
    case 'lerna':
      return sub === 'publish' ? { registry: 'npm', label: 'lerna publish', trusted: true } : null;
    case 'changeset':
      return sub === 'publish' ? { registry: 'npm', label: 'changeset publish', trusted: true } : null;
    case 'nuget':
    case 'nuget.exe':
      return sub === 'push' ? { registry: 'nuget', label: 'nuget push', trusted: true } : null;
    case 'dotnet':
      return sub === 'nuget' && sub2 === 'push' ? { registry: 'nuget', label: 'dotnet nuget push', trusted: true } : null;
    case 'mvn':
    case 'mvnw':
      return words.slice(1).some((w) => w === 'deploy' || /:deploy$/.test(w))
        ? { registry: 'maven', label: 'mvn deploy', trusted: false }
        : null;
    case 'gradle':
    case 'gradlew':
      return words.slice(1).some((w) => /^(:?[\w-]+:)*publish\w*$/i.test(w))
        ? { registry: 'maven', label: 'gradle publish', trusted: false }
        : null;
    case 'docker':
    case 'podman':
      return sub === 'push' || (sub === 'buildx' && words.includes('--push')) || (sub === 'image' && sub2 === 'push')
        ? { registry: 'container', label: `${name} push`, trusted: false }
        : null;
    case 'gh':
      return sub === 'release' && (sub2 === 'create' || sub2 === 'upload')
        ? { registry: 'github-release', label: `gh release ${sub2}`, trusted: false }
        : null;
    case 'goreleaser':
      return sub === 'release' || (sub === '' && words.length === 1)
        ? { registry: 'github-release', label: 'goreleaser release', trusted: false }
        : null;
    case 'vsce':
    case 'ovsx':
      return sub === 'publish' ? { registry: 'other', label: `${name} publish`, trusted: false } : null;
    default:
      return null;
  }
}

/** Shell arguments of a publish command that carry a credential inline (`--token X`, `-p X`, `--password X`, `-k KEY`, `--api-key`). */
export function inlineCredentialArgs(command: ShellCommand): string[] {
  const found: string[] = [];
  const list = args(command);
  for (let i = 0; i < list.length; i++) {
    const text = list[i].text;
    const flag = /^(--token|--password|-p|--api-key|-k|--key|-u|--username|--auth-token|--otp)(=.*)?$/.exec(text);
    if (flag) found.push(flag[1]);
  }
  return found;
}

const PUBLISH_SECRET = /PYPI|NPM|TOKEN|PASSWORD|CARGO|RUBYGEMS|NUGET|PUBLISH|DEPLOY|API_KEY/i;

/** Why a job holds publishing credentials, or null. */
export function publishCredentials(file: ParsedFile, job: JobView | null): string | null {
  if (!job || !file.workflow) return null;
  // Asked once per `run:` script: memoised per job (a JobView belongs to one ParsedFile).
  if (credentialsCache.has(job)) return credentialsCache.get(job)!;
  const result = computePublishCredentials(file, job);
  credentialsCache.set(job, result);
  return result;
}
const credentialsCache = new AttachedCache<JobView, string | null>('package-credentials', attachmentsOf);

function computePublishCredentials(file: ParsedFile, job: JobView): string | null {
  if (!file.workflow) return null;
  const secret = secretReferences(file, job.span).find((reference) => PUBLISH_SECRET.test(reference.name));
  const publishes =
    job.steps.some((step) => {
      const action = stepAction(file, step);
      return action && publisherAction(action.name);
    }) || runScriptsOf(file, job).some((run) => run.script.commands.some((command) => publishCommand(command)));
  if (!publishes) return null;
  if (hasIdTokenWrite(file.workflow, job)) return '`id-token: write`';
  if (secret) return `secret \`${secret.name}\``;
  return null;
}
