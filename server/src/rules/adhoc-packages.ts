import { hasIdTokenWrite, secretReferences, stepAction } from '../knowledge/job-facts';
import { publishCommand, publisherAction } from '../knowledge/publishers';
import { args, runScripts, type ShellCommand, type ShellWord } from '../knowledge/shell';
import type { ParsedFile } from '../parse/document';
import type { JobView } from '../parse/views';
import type { Rule } from './types';

interface Install {
  manager: string;
  packages: ShellWord[];
  system: boolean;
}

const PUBLISH_SECRET = /PYPI|NPM|TOKEN|PASSWORD|CARGO|RUBYGEMS|NUGET|PUBLISH|DEPLOY|API_KEY/i;

/** Packages named without a version in an install command; null when the command installs nothing by name. */
export function unversionedInstall(command: ShellCommand): Install | null {
  const words = command.argv.map((word) => word.text);
  const name = command.name;
  const rest = args(command);
  const after = (index: number) => rest.slice(index).filter((word) => !word.text.startsWith('-') && !word.text.includes('$'));
  const hasAny = (...flags: string[]) => rest.some((word) => flags.includes(word.text) || flags.some((flag) => word.text.startsWith(`${flag}=`)));
  switch (name) {
    case 'apt-get':
    case 'apt':
      if (words[1] !== 'install') return null;
      return { manager: name, packages: after(1).filter((word) => !word.text.includes('=') && !/\.deb$/.test(word.text)), system: true };
    case 'yum':
    case 'dnf':
    case 'apk':
    case 'brew':
    case 'choco':
    case 'zypper':
    case 'pacman': {
      const verb = name === 'apk' ? 'add' : name === 'pacman' ? '-S' : 'install';
      if (words[1] !== verb) return null;
      if (name === 'choco' && hasAny('--version')) return null;
      return { manager: name, packages: after(1).filter((word) => !/[=@]|-\d/.test(word.text)), system: true };
    }
    case 'pip':
    case 'pip3':
    case 'pipx':
      if (words[1] !== 'install') return null;
      if (hasAny('-r', '--requirement', '-e', '--editable', '--require-hashes', '-c', '--constraint')) return null;
      return { manager: name, packages: after(1).filter((word) => !/[=<>~!@]|^\.|\/|\.whl$|\.tar\.gz$/.test(word.text)), system: false };
    case 'uv':
      if (words[1] === 'pip' && words[2] === 'install') {
        if (hasAny('-r', '--requirement', '-e', '--editable', '--require-hashes', '-c', '--constraint')) return null;
        return { manager: 'uv pip', packages: after(2).filter((word) => !/[=<>~!@]|^\.|\//.test(word.text)), system: false };
      }
      if (words[1] === 'tool' && words[2] === 'install') return { manager: 'uv tool', packages: after(2).filter((word) => !/[=<>~!@]|^\.|\//.test(word.text)), system: false };
      return null;
    case 'npm':
    case 'pnpm':
    case 'yarn':
    case 'bun': {
      const verb = words[1];
      const global = hasAny('-g', '--global') || (name === 'yarn' && verb === 'global');
      const adds = verb === 'add' || (verb === 'global' && words[2] === 'add') || ((verb === 'install' || verb === 'i') && (name === 'npm' || name === 'bun' || global));
      if (!adds) return null;
      const from = verb === 'global' ? 2 : 1;
      return { manager: `${name}${global ? ' -g' : ''}`, packages: after(from).filter((word) => !/^@?[^@]+@.+/.test(word.text) && !/^[./]|^file:|^git|\.tgz$/.test(word.text)), system: false };
    }
    case 'gem':
      if (words[1] !== 'install' || hasAny('-v', '--version')) return null;
      return { manager: 'gem', packages: after(1).filter((word) => !word.text.includes(':')), system: false };
    case 'go':
      if (words[1] !== 'install' && words[1] !== 'get') return null;
      return { manager: `go ${words[1]}`, packages: after(1).filter((word) => !/@(v?\d|[0-9a-f]{7,})/.test(word.text) && !/^\.\.?(\/|$)/.test(word.text)), system: false };
    case 'cargo':
      if (words[1] !== 'install' || hasAny('--version', '--vers', '--path', '--git', '--rev', '--tag')) return null;
      return { manager: 'cargo', packages: after(1).filter((word) => !word.text.includes('@')), system: false };
    case 'dotnet':
      if (words[1] !== 'tool' || words[2] !== 'install' || hasAny('--version')) return null;
      return { manager: 'dotnet tool', packages: after(2), system: false };
    default:
      return null;
  }
}

/** Why a job holds publishing credentials, or null. */
export function publishCredentials(file: ParsedFile, job: JobView | null): string | null {
  if (!job || !file.workflow) return null;
  // Asked once per `run:` script: memoised per job (a JobView belongs to one ParsedFile).
  if (credentialsCache.has(job)) return credentialsCache.get(job)!;
  const result = computePublishCredentials(file, job);
  credentialsCache.set(job, result);
  return result;
}
const credentialsCache = new WeakMap<JobView, string | null>();

function computePublishCredentials(file: ParsedFile, job: JobView): string | null {
  if (!file.workflow) return null;
  const secret = secretReferences(file, job.span).find((reference) => PUBLISH_SECRET.test(reference.name));
  const publishes =
    job.steps.some((step) => {
      const action = stepAction(file, step);
      return action && publisherAction(action.name);
    }) || runScripts(file).some((run) => run.job === job && run.script.commands.some((command) => publishCommand(command)));
  if (!publishes) return null;
  if (hasIdTokenWrite(file.workflow, job)) return '`id-token: write`';
  if (secret) return `secret \`${secret.name}\``;
  return null;
}

export const adhocPackages: Rule = {
  id: 'adhoc-packages',
  title: 'Package installed at run time without a version',
  kinds: ['workflow', 'action'],
  severity: 'low',
  confidence: 'high',
  persona: 'pedantic',
  docs: {
    summary: 'A `run:` step installs packages by name with no version (`apt-get install`, `pip install`, `npm install -g`, `gem install`, `go install …@latest`, `cargo install`), so each run takes whatever the registry serves that minute.',
    why:
      'An unpinned install is the moment a compromised release reaches you. In LiteLLM (2026, PYSEC-2026-2) the job holding the PyPI credential ran an unpinned `apt-get install trivy` hours after Trivy\'s release channel was taken over (CVE-2026-33634); the scanner stole the credential and malicious LiteLLM versions followed. Shai-Hulud (2025) spread through `npm install` of freshly published worm versions.',
    fix: 'Pin every package (`pip install ruff==0.6.9`, `npm install -g pnpm@9.12.0`, `go install golang.org/x/tools/cmd/goimports@v0.26.0`, `gem install bundler -v 2.5.22`, `apt-get install jq=1.7.1-3`), better with hashes (`pip install --require-hashes -r requirements.txt`), or use a lock file (`npm ci`, `uv sync --locked`). Keep such installs out of jobs that hold publish credentials.',
  },
  check({ file, report }) {
    for (const run of runScripts(file)) {
      const credentials = publishCredentials(file, run.job);
      for (const command of run.script.commands) {
        const install = unversionedInstall(command);
        if (!install || install.packages.length === 0) continue;
        const names = install.packages.map((word) => `\`${word.text}\``);
        const span = run.sourceSpan({ start: install.packages[0].span.start, end: install.packages[install.packages.length - 1].span.end });
        report({
          span,
          message: `\`${install.manager}\` installs ${names.slice(0, 4).join(', ')}${names.length > 4 ? '…' : ''} without a version${credentials ? `, in a job holding publish credentials (${credentials})` : ''}: every run takes whatever the registry serves`,
          severity: credentials ? 'medium' : 'low',
          persona: credentials || !install.system ? 'regular' : 'pedantic',
          confidence: 'high',
        });
      }
    }
  },
};
