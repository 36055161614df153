/**
 * GitHub's workflow dependency lockfile (`.github/workflows/actions.lock`) as the analysis reads it: the
 * format version, the onboarded workflows with the pin keys each needs, and the locked dependencies, every
 * part with the span it is written at, and what GitHub's parser would refuse as `problems`.
 */
import type { Span } from '../parse/text';

/** Where the lock sits, relative to the repository root. */
export const LOCKFILE_PATH = '.github/workflows/actions.lock';
export const LOCKFILE_NAME = 'actions.lock';
/** GitHub's parser refuses larger files. */
export const MAX_LOCKFILE_BYTES = 1024 * 1024;
/** The format versions we read; the first is the one written. */
export const LOCKFILE_VERSIONS = ['v0.0.2', 'v0.0.1'] as const;
export const CURRENT_LOCKFILE_VERSION = LOCKFILE_VERSIONS[0];

/** The three comment lines written at the top of a new lock, as GitHub's tool does: machine-generated, do not edit, the format's home. */
export const LOCKFILE_HEADER = [
  '# This file is machine-generated (gh actions-lock); the runner executes the commits it records.',
  '# Do not edit it by hand: re-lock instead.',
  '# Format: https://github.com/github/actions-lockfile',
];

/** A string as written, with its span. */
export interface Spanned<T = string> {
  value: T;
  span: Span;
}

/** `owner/repo@ref`, split. Owner and repo are compared lower-cased; the ref keeps its case. */
export interface PinKey {
  owner: string;
  repo: string;
  ref: string;
}

export interface LockEntry {
  /** The key as written. */
  key: string;
  /** The key normalised: `owner/repo@ref` with owner and repo lower-cased (and, in v0.0.1, without the digest suffix). */
  normalized: string;
  keySpan: Span;
  /** The key and its value. */
  span: Span;
  /** The key split, when it is a valid pin key. */
  pin: PinKey | null;
  ref: Spanned | null;
  /** `sha1-<40 hex>` or `sha256-<64 hex>`, as written. */
  commit: Spanned | null;
  ownerId: Spanned<number> | null;
  repoId: Spanned<number> | null;
  /** The entry's direct dependencies, as pin keys (normalised in `normalized`). */
  uses: LockReference[];
}

/** A pin key named in a list (a workflow's, or an entry's `uses:`). */
export interface LockReference {
  key: string;
  normalized: string;
  span: Span;
}

export interface LockWorkflow {
  /** The repository-relative path, as written. */
  path: string;
  keySpan: Span;
  /** The key and its list. */
  span: Span;
  /** The list's own span (the `- ...` items or `[...]`), or a zero-length span after the colon when empty. */
  listSpan: Span;
  pins: LockReference[];
}

export interface LockProblem {
  span: Span;
  message: string;
}

export interface Lockfile {
  /** The `version:` as written (null when absent or not a string). */
  version: Spanned | null;
  /** True when the version is one we read: the rest of the view is only filled then. */
  supported: boolean;
  workflows: LockWorkflow[];
  entries: LockEntry[];
  /** What GitHub's parser refuses, each at its exact span. */
  problems: LockProblem[];
}

/** A lock entry to add (the online part computes it). */
export interface LockEntryInput {
  /** The pin key (default `owner/repo@ref`; the key of a full-SHA `uses:` is `owner/repo@<sha>`, its `ref` the tag or branch holding it). */
  key?: string;
  owner: string;
  repo: string;
  ref: string;
  /** `sha1-<40 hex>` (or `sha256-<64 hex>`). */
  commit: string;
  ownerId: number;
  repoId: number;
  /** The entry's direct dependencies, as pin keys. */
  uses?: string[];
}
