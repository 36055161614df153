import { publishCredentials } from '../knowledge/publishers';
import { args, runScripts, type ShellCommand, type ShellWord } from '../knowledge/shell';
import type { Rule } from './types';

interface Install {
  manager: string;
  packages: ShellWord[];
  system: boolean;
}

/**
 * Options whose value is the next word (`--python 3.13`, `--find-links dist`, `-t bookworm-backports`):
 * that word is not a package. Written `--opt=value`, the value is part of the option word already.
 * `--with` (uv tool) and `--preinstall` (pipx) are left out on purpose: their values are packages.
 */
const VALUE_OPTIONS: Record<string, readonly string[]> = {
  apt: ['-t', '--target-release', '-o', '--option', '-c', '--config-file'],
  pip: [
    '-i',
    '--index-url',
    '--extra-index-url',
    '-f',
    '--find-links',
    '-t',
    '--target',
    '--prefix',
    '--root',
    '--python',
    '--python-version',
    '--platform',
    '--implementation',
    '--abi',
    '--src',
    '--upgrade-strategy',
    '--progress-bar',
    '--cache-dir',
    '--log',
    '--proxy',
    '--retries',
    '--timeout',
    '--exists-action',
    '--trusted-host',
    '--cert',
    '--client-cert',
    '--no-binary',
    '--only-binary',
    '-C',
    '--config-settings',
    '--global-option',
    '--report',
  ],
  pipx: ['--python', '--index-url', '-i', '--pip-args', '--suffix', '--spec'],
  uv: [
    '-p',
    '--python',
    '-i',
    '--index-url',
    '--index',
    '--default-index',
    '--extra-index-url',
    '-f',
    '--find-links',
    '-t',
    '--target',
    '--prefix',
    '--python-version',
    '--python-platform',
    '--index-strategy',
    '--keyring-provider',
    '-C',
    '--config-setting',
    '--resolution',
    '--prerelease',
    '--exclude-newer',
    '--link-mode',
    '--cache-dir',
    '--config-file',
    '--directory',
    '--project',
    '--no-binary',
    '--only-binary',
    '-P',
    '--upgrade-package',
    '--reinstall-package',
    '--no-build-package',
    '--torch-backend',
    '--from',
    '--with-requirements',
    '--with-editable',
    '--overrides',
  ],
  // npm, pnpm, yarn and bun share this list (each spelling's value options; all of them take the next word).
  npm: [
    '--registry',
    '--prefix',
    '--cache',
    '--tag',
    '-w',
    '--workspace',
    '-C',
    '--dir',
    '--cwd',
    '--filter',
    '-F',
    '--loglevel',
    '--logs-dir',
    '--userconfig',
    '--globalconfig',
    '--location',
    '--omit',
    '--include',
    '--install-strategy',
    '--before',
    '--cafile',
    '--proxy',
    '--https-proxy',
    '--fetch-retries',
    '--fetch-timeout',
    '--network-timeout',
    '--modules-folder',
    '--cache-folder',
    '--global-folder',
    '--mutex',
    '--store-dir',
    '--virtual-store-dir',
    '--reporter',
    '--backend',
    '--cache-dir',
  ],
  gem: ['--source', '-s', '-i', '--install-dir', '-n', '--bindir', '--platform'],
  go: [
    '-C',
    '-p',
    '-tags',
    '-ldflags',
    '-gcflags',
    '-asmflags',
    '-mod',
    '-modfile',
    '-o',
    '-overlay',
    '-pgo',
    '-pkgdir',
    '-toolexec',
    '-buildmode',
    '-compiler',
    '-installsuffix',
  ],
  apk: ['-X', '--repository', '-p', '--root', '--arch', '-t', '--virtual', '--cache-dir', '--keys-dir', '--repositories-file'],
  dnf: [
    '-c',
    '--config',
    '--installroot',
    '--releasever',
    '--setopt',
    '--enablerepo',
    '--disablerepo',
    '--repo',
    '--repoid',
    '-x',
    '--exclude',
    '--forcearch',
  ],
  cargo: [
    '--root',
    '--target',
    '--target-dir',
    '-F',
    '--features',
    '--profile',
    '-j',
    '--jobs',
    '--index',
    '--registry',
    '--bin',
    '--example',
    '--config',
    '-Z',
  ],
  dotnet: ['--tool-path', '--add-source', '--configfile', '--framework', '-a', '--arch', '--verbosity', '-v'],
  choco: ['-s', '--source', '--params', '--package-parameters', '--install-arguments'],
};

/** `go install`/`go get` package patterns that name no module to fetch (`tool` = go.mod's `tool` directives, Go 1.24). */
const GO_PATTERNS = new Set(['tool', 'all', 'std', 'cmd']);

/** Packages named without a version in an install command; null when the command installs nothing by name. */
/** The commands `unversionedInstall` knows (its switch's cases). */
const INSTALLERS = new Set([
  'apt-get',
  'apt',
  'yum',
  'dnf',
  'apk',
  'brew',
  'choco',
  'zypper',
  'pacman',
  'pip',
  'pip3',
  'pipx',
  'uv',
  'npm',
  'pnpm',
  'yarn',
  'bun',
  'gem',
  'go',
  'cargo',
  'dotnet',
]);

export function unversionedInstall(command: ShellCommand): Install | null {
  // Most commands install nothing: answer before building the word lists.
  if (!INSTALLERS.has(command.name)) return null;
  const words = command.argv.map((word) => word.text);
  const name = command.name;
  const rest = args(command);
  const valueOptions =
    VALUE_OPTIONS[
      name === 'apt-get'
        ? 'apt'
        : name === 'pip3'
          ? 'pip'
          : name === 'yum'
            ? 'dnf'
            : name === 'pnpm' || name === 'yarn' || name === 'bun'
              ? 'npm'
              : name
    ] ?? [];
  const after = (index: number) =>
    rest.slice(index).filter((word, i, words) => {
      if (word.text.startsWith('-') || word.text.includes('$')) return false;
      const previous = i > 0 ? words[i - 1].text : '';
      return !valueOptions.includes(previous);
    });
  const hasAny = (...flags: string[]) =>
    rest.some((word) => flags.includes(word.text) || flags.some((flag) => word.text.startsWith(`${flag}=`)));
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
      if (words[1] === 'tool' && words[2] === 'install')
        return { manager: 'uv tool', packages: after(2).filter((word) => !/[=<>~!@]|^\.|\//.test(word.text)), system: false };
      return null;
    case 'npm':
    case 'pnpm':
    case 'yarn':
    case 'bun': {
      const verb = words[1];
      const global = hasAny('-g', '--global') || (name === 'yarn' && verb === 'global');
      const adds =
        verb === 'add' ||
        (verb === 'global' && words[2] === 'add') ||
        ((verb === 'install' || verb === 'i') && (name === 'npm' || name === 'bun' || global));
      if (!adds) return null;
      const from = verb === 'global' ? 2 : 1;
      return {
        manager: `${name}${global ? ' -g' : ''}`,
        packages: after(from).filter((word) => !/^@?[^@]+@.+/.test(word.text) && !/^[./]|^file:|^git|\.tgz$/.test(word.text)),
        system: false,
      };
    }
    case 'gem':
      if (words[1] !== 'install' || hasAny('-v', '--version')) return null;
      return { manager: 'gem', packages: after(1).filter((word) => !word.text.includes(':')), system: false };
    case 'go':
      if (words[1] !== 'install' && words[1] !== 'get') return null;
      return {
        manager: `go ${words[1]}`,
        // `tool`, `all`, `std`, `cmd` are package patterns: `go install tool` builds the `tool` directives of go.mod, at their go.mod versions.
        packages: after(1).filter(
          (word) => !/@(v?\d|[0-9a-f]{7,})/.test(word.text) && !/^\.\.?(\/|$)/.test(word.text) && !GO_PATTERNS.has(word.text),
        ),
        system: false,
      };
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

/**
 * Managers whose ad-hoc installs are shown to the regular persona anywhere (zizmor's set: gem, bundle and
 * the JavaScript package managers, where install scripts run at once). Others (pip, uv, apt, go, cargo)
 * are pedantic unless the job holds publish credentials: test jobs that install the latest packages on
 * purpose are common in hardened repositories.
 */
const REGULAR_MANAGERS = /^(gem|bundle|npm|yarn|pnpm|bun)\b/;

export const adhocPackages: Rule = {
  id: 'adhoc-packages',
  title: 'Package installed at run time without a version',
  kinds: ['workflow', 'action'],
  severity: 'low',
  confidence: 'high',
  persona: 'pedantic',
  online: false,
  docs: {
    summary:
      'A `run:` step installs packages by name with no version (`apt-get install`, `pip install`, `npm install -g`, `gem install`, `go install …@latest`, `cargo install`), so each run takes whatever the registry serves that minute.',
    why: "An unpinned install is the moment a compromised release reaches you. In LiteLLM (2026, PYSEC-2026-2) the job holding the PyPI credential ran an unpinned `apt-get install trivy` hours after Trivy's release channel was taken over (CVE-2026-33634); the scanner stole the credential and malicious LiteLLM versions followed. Shai-Hulud (2025) spread through `npm install` of freshly published worm versions.",
    fix: 'Pin every package (`pip install ruff==0.6.9`, `npm install -g pnpm@9.12.0`, `go install golang.org/x/tools/cmd/goimports@v0.26.0`, `gem install bundler -v 2.5.22`, `apt-get install jq=1.7.1-3`), better with hashes (`pip install --require-hashes -r requirements.txt`), or use a lock file (`npm ci`, `uv sync --locked`). Keep such installs out of jobs that hold publish credentials.',
  },
  check({ file, report }) {
    for (const run of runScripts(file)) {
      let credentials: string | null | undefined;
      for (const command of run.script.commands) {
        const install = unversionedInstall(command);
        if (!install || install.packages.length === 0) continue;
        // Whether the job publishes is asked only for scripts that install something.
        if (credentials === undefined) credentials = publishCredentials(file, run.job);
        const names = install.packages.map((word) => `\`${word.text}\``);
        const span = run.sourceSpan({ start: install.packages[0].span.start, end: install.packages[install.packages.length - 1].span.end });
        report({
          span,
          message: `\`${install.manager}\` installs ${names.slice(0, 4).join(', ')}${names.length > 4 ? '…' : ''} without a version${credentials ? `, in a job holding publish credentials (${credentials})` : ''}: every run takes whatever the registry serves`,
          severity: credentials ? 'medium' : 'low',
          persona: credentials || REGULAR_MANAGERS.test(install.manager) ? 'regular' : 'pedantic',
          confidence: 'high',
        });
      }
    }
  },
};
