/**
 * The `with:` inputs of widely used actions, for completion: name, one line of what it does, and why it
 * matters for security when it does. Written by us from each action's `action.yml` (inputs and defaults)
 * and README. The token input of an action (knowledge/action-permissions.ts) and its cache switch
 * (knowledge/cache-actions.ts) are added from those tables, so the three never disagree.
 */
import { actionPermissions } from './action-permissions';
import { cacheAction } from './cache-actions';

export interface ActionInput {
  name: string;
  description: string;
  /** Why the input matters for security (shown first, and the item is marked). */
  security?: string;
}

const TOKEN_NOTE = 'a credential: pass the narrowest token that works, never a personal token with wide scopes';
const CACHE_NOTE = 'restores a cache other runs wrote: off in jobs that publish or release (cache-poisoning)';

const ACTION_INPUTS: Record<string, readonly ActionInput[]> = {
  'actions/checkout': [
    {
      name: 'persist-credentials',
      description: 'Keep the token in the git configuration after checkout (default true)',
      security: 'set `false` unless a later step pushes: otherwise every later step and uploaded artifact can read the token (artipacked)',
    },
    { name: 'repository', description: 'Repository to check out (`owner/repo`)' },
    {
      name: 'ref',
      description: 'Branch, tag or SHA to check out',
      security: 'in pull_request_target or workflow_run, checking out the pull request head runs untrusted code with secrets',
    },
    { name: 'fetch-depth', description: 'Commits to fetch (0: the whole history)' },
    { name: 'path', description: 'Where to check out, relative to the workspace' },
    { name: 'submodules', description: 'Check out submodules (`true` or `recursive`)' },
    { name: 'ssh-key', description: 'SSH key used to fetch', security: TOKEN_NOTE },
    { name: 'lfs', description: 'Download Git LFS files' },
    { name: 'sparse-checkout', description: 'Patterns of a sparse checkout' },
    { name: 'fetch-tags', description: 'Fetch tags even with a shallow fetch' },
    { name: 'clean', description: 'Run `git clean -ffdx` before fetching' },
  ],
  'actions/setup-node': [
    { name: 'node-version', description: 'Node.js version or range' },
    { name: 'node-version-file', description: 'File holding the version (`.nvmrc`, `package.json`)' },
    { name: 'registry-url', description: 'Registry for `.npmrc` authentication (reads NODE_AUTH_TOKEN)' },
    { name: 'cache-dependency-path', description: 'Lock files whose hash keys the cache' },
    { name: 'package-manager-cache', description: 'Cache automatically from the `packageManager` field (v5+)', security: CACHE_NOTE },
  ],
  'actions/setup-python': [
    { name: 'python-version', description: 'Python version or range' },
    { name: 'python-version-file', description: 'File holding the version' },
    { name: 'cache-dependency-path', description: 'Dependency files whose hash keys the cache' },
    { name: 'allow-prereleases', description: 'Accept prerelease versions' },
  ],
  'actions/setup-go': [
    { name: 'go-version', description: 'Go version or range' },
    { name: 'go-version-file', description: 'File holding the version (`go.mod`)' },
    { name: 'cache-dependency-path', description: 'Files whose hash keys the cache' },
  ],
  'actions/setup-java': [
    { name: 'distribution', description: 'JDK distribution (`temurin`, `zulu`, ...)' },
    { name: 'java-version', description: 'Java version' },
    { name: 'server-password', description: 'Environment variable holding the Maven server password', security: TOKEN_NOTE },
  ],
  'actions/cache': [
    { name: 'path', description: 'Files and folders to cache' },
    { name: 'key', description: 'Key to save under and restore exactly', security: CACHE_NOTE },
    { name: 'restore-keys', description: 'Prefixes to restore from when the key misses' },
    { name: 'lookup-only', description: 'Only check whether an entry exists' },
  ],
  'actions/upload-artifact': [
    { name: 'name', description: 'Artifact name' },
    {
      name: 'path',
      description: 'Files to upload',
      security: 'anyone who can read the run can download the artifact: never upload `.git` or files holding tokens',
    },
    {
      name: 'include-hidden-files',
      description: 'Also upload hidden files (off by default since v4.4)',
      security: 'hidden files include `.git/config`, which may hold the checkout token',
    },
    { name: 'retention-days', description: 'Days to keep the artifact' },
    { name: 'if-no-files-found', description: '`warn`, `error` or `ignore`' },
  ],
  'actions/download-artifact': [
    { name: 'name', description: 'Artifact to download (all when absent)' },
    {
      name: 'path',
      description: 'Where to extract',
      security: 'artifacts of other runs are untrusted: extract outside the workspace and never execute them',
    },
    {
      name: 'run-id',
      description: 'Run to download from (another run)',
      security: 'an artifact of a pull request run is attacker-controlled (artifact-poisoning)',
    },
    { name: 'pattern', description: 'Glob of artifact names' },
  ],
  'actions/github-script': [
    {
      name: 'script',
      description: 'JavaScript to run',
      security: '`${{ }}` expressions in the script are template injection: pass values through `env:`',
    },
    { name: 'result-encoding', description: '`json` or `string`' },
  ],
  'actions/create-github-app-token': [
    { name: 'app-id', description: 'GitHub App id' },
    { name: 'private-key', description: 'The App private key', security: TOKEN_NOTE },
    { name: 'owner', description: 'Installation owner' },
    {
      name: 'repositories',
      description: 'Repositories the token is limited to',
      security: 'limit the token to the repositories the job needs',
    },
  ],
  'astral-sh/setup-uv': [
    { name: 'version', description: 'uv version' },
    { name: 'python-version', description: 'Python version for the environment' },
  ],
  'docker/login-action': [
    { name: 'registry', description: 'Registry host (Docker Hub when absent)' },
    { name: 'username', description: 'User name' },
    { name: 'password', description: 'Password or token', security: TOKEN_NOTE },
  ],
  'docker/build-push-action': [
    { name: 'context', description: 'Build context' },
    { name: 'push', description: 'Push the image', security: 'a pushing job must not restore caches written by untrusted runs' },
    { name: 'tags', description: 'Image tags' },
    { name: 'cache-from', description: 'Cache sources', security: CACHE_NOTE },
    { name: 'provenance', description: 'Attach a provenance attestation' },
  ],
  'pypa/gh-action-pypi-publish': [
    {
      name: 'password',
      description: 'API token (not needed with Trusted Publishing)',
      security: 'prefer Trusted Publishing (`id-token: write`) to a long-lived API token',
    },
    { name: 'repository-url', description: 'Package index URL (TestPyPI, ...)' },
    { name: 'attestations', description: 'Upload PEP 740 attestations' },
  ],
  'github/codeql-action/init': [
    { name: 'languages', description: 'Languages to analyse' },
    { name: 'queries', description: 'Extra query suites' },
    { name: 'build-mode', description: '`none`, `autobuild` or `manual`' },
  ],
  'github/codeql-action/upload-sarif': [{ name: 'sarif_file', description: 'SARIF file or folder to upload' }],
};

/** The inputs completion knows for `owner/repo[/path]` (case-insensitive), with the token and cache inputs of the other tables. */
export function knownInputs(target: string): ActionInput[] {
  const key = target.toLowerCase();
  const inputs = [...(Object.hasOwn(ACTION_INPUTS, key) ? ACTION_INPUTS[key] : [])];
  const has = (name: string) => inputs.some((input) => input.name === name);
  const permissions = actionPermissions(key);
  if (permissions?.token && !has(permissions.token.input)) {
    inputs.push({
      name: permissions.token.input,
      description: permissions.token.defaultsToJobToken ? 'Token the action uses (default: the job token)' : 'Token the action uses',
      security: TOKEN_NOTE,
    });
  }
  const cache = cacheAction(key);
  if (cache?.input && !has(cache.input)) {
    inputs.push({ name: cache.input, description: 'Turns the dependency cache on or off', security: CACHE_NOTE });
  }
  return inputs;
}

/** Whether completion knows anything about the inputs of `target`. */
export function hasKnownInputs(target: string): boolean {
  return knownInputs(target).length > 0;
}
