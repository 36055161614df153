/**
 * Inputs of third-party actions whose value is a shell script the action runs: in a container, a virtual
 * machine, or on a remote host over SSH. The rules that read `run:` scripts (template-injection,
 * unverified-download, adhoc-packages, github-env, ...) read these too, through `runScripts`.
 *
 * Each entry was read from the action's own `action.yml` and README at the tag named in `source`. An input is
 * listed only when the action hands its text to a shell; inputs that are flags (docker-run-action `options`),
 * paths (ssh-action `script_path`) or `KEY=value` lists (`envs`) are not.
 */
import { findAction } from './action-lookup';

/** Where the script runs: on the runner itself, in a container the action starts, in a VM, or on another host. */
export type ScriptPlace = 'runner' | 'container' | 'vm' | 'remote';

export interface ScriptInput {
  /** `owner/repo` (lowercase). */
  action: string;
  /** Input names (lowercase). */
  inputs: readonly string[];
  /** The shell the action runs the script with by default. */
  shell: string;
  /** An input of the action that names another shell, if any. */
  shellInput?: string;
  /** Where each input's script runs; `default` for inputs not listed. */
  place: { default: ScriptPlace } & Readonly<Record<string, ScriptPlace>>;
  /** What was read, at which tag. */
  source: string;
}

const VM_SOURCE = (os: string, tag: string) =>
  `vmactions/${os}-vm@${tag} action.yml: \`prepare\` "Install some tools before CI runs", \`run\` "The CI command to run"; \`usesh\` "Deprecated and ignored. The prepare/run scripts are always executed with sh." Both run in the VM over SSH.`;

export const SCRIPT_INPUTS: readonly ScriptInput[] = [
  {
    action: 'appleboy/ssh-action',
    inputs: ['script'],
    shell: 'sh',
    place: { default: 'remote' },
    source:
      'appleboy/ssh-action@v1.2.5 action.yml: `script` "Commands to execute on the remote server (inline script string)"; README: "Commands to execute remotely". (`script_path` is a path, `envs` a list of names.)',
  },
  {
    action: 'uraimo/run-on-arch-action',
    inputs: ['run', 'install', 'setup'],
    shell: 'bash',
    shellInput: 'shell',
    place: { default: 'container', setup: 'runner' },
    source:
      'uraimo/run-on-arch-action@v3.1.0 action.yml and README: `run` "Shell commands to execute in the container", `install` "Shell commands to execute in the container as part of docker build", `setup` "Shell commands to execute on the host before running the container"; `shell` defaults to /bin/sh on Alpine, /bin/bash otherwise.',
  },
  {
    action: 'addnab/docker-run-action',
    inputs: ['run'],
    shell: 'sh',
    shellInput: 'shell',
    place: { default: 'container' },
    source:
      'addnab/docker-run-action@v3 action.yml: `run` "Run command in container", `shell` "Use a specific shell" (default `sh`). (`options` are `docker run` flags, not a script.)',
  },
  {
    action: 'vmactions/freebsd-vm',
    inputs: ['prepare', 'run'],
    shell: 'sh',
    place: { default: 'vm' },
    source: VM_SOURCE('freebsd', 'v1.5.4'),
  },
  {
    action: 'vmactions/openbsd-vm',
    inputs: ['prepare', 'run'],
    shell: 'sh',
    place: { default: 'vm' },
    source: VM_SOURCE('openbsd', '01dd796'),
  },
  {
    action: 'vmactions/solaris-vm',
    inputs: ['prepare', 'run'],
    shell: 'sh',
    place: { default: 'vm' },
    source: VM_SOURCE('solaris', '02232a7'),
  },
  {
    action: 'vmactions/netbsd-vm',
    inputs: ['prepare', 'run'],
    shell: 'sh',
    place: { default: 'vm' },
    source: VM_SOURCE('netbsd', '0e97b7d'),
  },
  {
    action: 'vmactions/dragonflybsd-vm',
    inputs: ['prepare', 'run'],
    shell: 'sh',
    place: { default: 'vm' },
    source:
      'vmactions/dragonflybsd-vm@1bfb23f action.yml: `prepare` "Install some tools before CI runs", `run` "The CI command to run" (required); `usesh` "Use sh instead of the default shell: csh". Read as sh: the commands that matter here (downloads, installs) read the same in csh.',
  },
];

export function scriptInputsFor(owner: string, repo: string, path: string | null): ScriptInput | undefined {
  return findAction(SCRIPT_INPUTS, owner, repo, path);
}

/** Where `input` of `entry` runs. */
export function placeOf(entry: ScriptInput, input: string): ScriptPlace {
  return entry.place[input] ?? entry.place.default;
}
