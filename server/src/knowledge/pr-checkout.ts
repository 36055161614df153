/**
 * Where a privileged job fetches pull request code, and which later steps execute code from the
 * workspace. Used by untrusted-checkout and cache-poisoning.
 */
import type { ParsedFile } from '../parse/document';
import type { Span } from '../parse/text';
import type { JobView, StepView, WorkflowView } from '../parse/views';
import { input, localActionPath, stepAction } from './job-facts';
import { args, runScriptsOf, type ShellCommand } from './shell';

export interface UntrustedCheckout {
  step: StepView;
  span: Span;
  /** How the pull request code is fetched, for messages. */
  how: string;
  /** True when actions/checkout puts it in a subdirectory (`path:`). */
  inSubdirectory: boolean;
  /** Directory (from `path:`) or null for the workspace root. */
  path: string | null;
}

/** Expressions naming the pull request's head or merge commit, head branch or fork repository. */
const PR_REF =
  /github\.event\.pull_request\.head\.(sha|ref)|github\.event\.pull_request\.merge_commit_sha|github\.head_ref|github\.event\.workflow_run\.head_(sha|branch)|github\.event\.workflow_run\.pull_requests|refs\/pull\/|github\.event\.issue\.number|github\.event\.number|github\.event\.pull_request\.number|pull\/\$\{\{|steps\.[\w-]+\.outputs\.[\w-]*(head|sha|ref|pr|branch)/i;
const PR_REPO =
  /github\.event\.pull_request\.head\.repo\.(full_name|name|clone_url)|github\.event\.workflow_run\.head_repository\.(full_name|clone_url)|steps\.[\w-]+\.outputs\.[\w-]*repo/i;

function checkoutOf(file: ParsedFile, step: StepView): UntrustedCheckout | null {
  const action = stepAction(file, step);
  if (action?.name === 'actions/checkout') {
    const ref = step.with.get('ref');
    const repository = step.with.get('repository');
    const refText = input(step, 'ref') ?? '';
    const repoText = input(step, 'repository') ?? '';
    const path = input(step, 'path');
    const inSubdirectory = path !== null && !/^(\.\/?|\$\{\{\s*github\.workspace\s*\}\})$/.test(path.trim());
    if (ref && PR_REF.test(refText))
      return { step, span: ref.valueSpan, how: `\`ref: ${refText.trim()}\``, inSubdirectory, path: inSubdirectory ? path : null };
    if (repository && PR_REPO.test(repoText))
      return {
        step,
        span: repository.valueSpan,
        how: `\`repository: ${repoText.trim()}\``,
        inSubdirectory,
        path: inSubdirectory ? path : null,
      };
  }
  return null;
}

function shellCheckout(command: ShellCommand): string | null {
  const words = command.argv.map((word) => word.text);
  if ((command.name === 'gh' || command.name === 'hub') && words[1] === 'pr' && words[2] === 'checkout')
    return `\`${command.name} pr checkout\``;
  if (command.name === 'git' && words[1] === 'fetch' && args(command).some((word) => /(^|:|\/)pull\/|refs\/pull\//.test(word.text)))
    return '`git fetch` of the pull request ref';
  if (
    command.name === 'git' &&
    (words[1] === 'checkout' || words[1] === 'switch' || words[1] === 'reset') &&
    args(command).some((word) => PR_REF.test(word.text) || word.text === 'FETCH_HEAD')
  )
    return '`git checkout` of the pull request head';
  if (
    command.name === 'git' &&
    (words[1] === 'pull' || words[1] === 'merge') &&
    args(command).some((word) => PR_REF.test(word.text) || PR_REPO.test(word.text))
  )
    return `\`git ${words[1]}\` of the pull request`;
  return null;
}

/** Steps of `job` that fetch pull request code, in order. */
export function untrustedCheckouts(file: ParsedFile, workflow: WorkflowView, job: JobView): UntrustedCheckout[] {
  void workflow;
  const found: UntrustedCheckout[] = [];
  const scripts = runScriptsOf(file, job);
  for (const step of job.steps) {
    const checkout = checkoutOf(file, step);
    if (checkout) {
      found.push(checkout);
      continue;
    }
    for (const run of scripts) {
      if (run.step !== step) continue;
      for (const command of run.script.commands) {
        const how = shellCheckout(command);
        if (how) {
          found.push({ step, span: run.sourceSpan(command.span), how, inSubdirectory: false, path: null });
          break;
        }
      }
    }
  }
  return found;
}

export interface Execution {
  step: StepView;
  span: Span;
  what: string;
}

const BUILD_SUBCOMMANDS: Record<string, RegExp | null> = {
  npm: /^(install|i|ci|test|t|run|run-script|start|build|exec|rebuild|pack|publish|x)$/,
  yarn: /^(install|test|run|build|exec|dlx|$)/,
  pnpm: /^(install|i|test|run|build|exec|dlx|x|recursive|-r)$/,
  bun: /^(install|i|test|run|build|x)$/,
  npx: null,
  make: null,
  cmake: null,
  ninja: null,
  cargo: /^(build|test|run|check|clippy|bench|doc|install|nextest|xtask|publish|fmt)$/,
  go: /^(build|test|run|generate|vet|install|mod)$/,
  mvn: null,
  mvnw: null,
  gradle: null,
  gradlew: null,
  ant: null,
  sbt: null,
  bundle: /^(install|exec)$/,
  rake: null,
  composer: /^(install|update|run|run-script)$/,
  dotnet: /^(build|test|run|restore|pack|publish)$/,
  msbuild: null,
  pytest: null,
  tox: null,
  nox: null,
  'pre-commit': null,
  poetry: /^(install|run|build)$/,
  uv: /^(sync|run|build|pip)$/,
  pdm: /^(install|sync|run|build)$/,
  hatch: /^(run|build|test|env)$/,
  docker: /^(build|compose|buildx)$/,
  'docker-compose': null,
  just: null,
  task: null,
  bazel: null,
  deno: /^(run|task|test)$/,
  node: null,
  ruby: null,
  perl: null,
  php: null,
  lerna: null,
  nx: null,
  turbo: null,
};

function executes(command: ShellCommand): string | null {
  const name = command.name;
  const words = command.argv.map((word) => word.text);
  if (!name) return null;
  if (/^\.{1,2}\//.test(command.argv[0].text) || (name.endsWith('.sh') && command.argv[0].text.includes('/')))
    return `\`${command.argv[0].text}\``;
  if (
    (name === 'bash' || name === 'sh' || name === 'zsh' || name === 'pwsh' || name === 'source' || name === '.') &&
    words[1] &&
    !words[1].startsWith('-') &&
    !/^\$\{\{/.test(words[1])
  )
    return `\`${name} ${words[1]}\``;
  if (name.startsWith('python')) {
    if (words[1] === '-m' && /^(pip|build|pytest|tox|nox|setuptools)$/.test(words[2] ?? ''))
      return words[2] === 'pip' && !args(command).some((word) => /^(\.|\.\[.*\]|-e|-r|--editable|--requirement)$/.test(word.text))
        ? null
        : `\`python -m ${words[2]}\``;
    if (words[1] && !words[1].startsWith('-')) return `\`${words.slice(0, 2).join(' ')}\``;
    return null;
  }
  if (name === 'pip' || name === 'pip3')
    return args(command).some((word) => /^(\.|\.\[.*\]|\.\/.*|\.\$.*|-e|-r|--editable|--requirement)$/.test(word.text))
      ? `\`${words.slice(0, 3).join(' ')}\``
      : null;
  if (!(name in BUILD_SUBCOMMANDS)) return null;
  const sub = BUILD_SUBCOMMANDS[name];
  if (sub && !sub.test(words[1] ?? '')) return null;
  return `\`${words.slice(0, sub ? 2 : 1).join(' ')}\``;
}

/** Actions that build or run the checked-out code. */
const BUILDING_ACTIONS = new Set([
  'github/codeql-action/autobuild',
  'docker/build-push-action',
  'gradle/gradle-build-action',
  'gradle/actions/setup-gradle',
  'pre-commit/action',
  'borales/actions-yarn',
  'bahmutov/npm-install',
  'cypress-io/github-action',
  'pypa/cibuildwheel',
  'pyo3/maturin-action',
  'goreleaser/goreleaser-action',
  'ruby/setup-ruby',
]);

/** Steps after `from` in `job` that run code from the workspace (build tools, scripts, local actions). */
export function executionsAfter(file: ParsedFile, job: JobView, from: StepView, checkout: UntrustedCheckout | null): Execution[] {
  const found: Execution[] = [];
  const scripts = runScriptsOf(file, job);
  for (const step of job.steps) {
    if (step.index < from.index) continue;
    if (step.index > from.index) {
      const local = localActionPath(file, step);
      if (local !== null && !(checkout?.inSubdirectory ?? false))
        found.push({
          step,
          span: step.uses!.valueSpan,
          what: `the local action \`${step.uses ? file.text.slice(step.uses.valueSpan.start, step.uses.valueSpan.end) : local}\``,
        });
      const action = stepAction(file, step);
      if (
        action &&
        BUILDING_ACTIONS.has(action.name) &&
        (action.name !== 'ruby/setup-ruby' || /^true$/i.test((input(step, 'bundler-cache') ?? '').trim()))
      ) {
        found.push({ step, span: action.site.entry.valueSpan, what: `\`${action.name}\`` });
      }
    }
    for (const run of scripts) {
      if (run.step !== step) continue;
      for (const command of run.script.commands) {
        if (step.index === from.index && command.span.start <= (fromCommandEnd(file, run, checkout) ?? Infinity)) continue;
        const what = executes(command);
        if (what) {
          found.push({ step, span: run.sourceSpan(command.argv[0]?.span ?? command.span), what });
          break;
        }
      }
    }
  }
  return found;
}

function fromCommandEnd(file: ParsedFile, run: ReturnType<typeof runScriptsOf>[number], checkout: UntrustedCheckout | null): number | null {
  void file;
  if (!checkout || checkout.step !== run.step) return null;
  for (const command of run.script.commands) {
    const span = run.sourceSpan(command.span);
    if (span.start >= checkout.span.start && span.end <= checkout.span.end + 1) return command.span.end;
  }
  return null;
}
