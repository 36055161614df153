/** The privileged-trigger, credential, cache and download audits (issue 5, part B), in registry order. */
import { adhocPackages } from './adhoc-packages';
import { artifactPoisoning } from './artifact-poisoning';
import { artipacked } from './artipacked';
import { cachePoisoning } from './cache-poisoning';
import { secretsInherit } from './secrets-inherit';
import { secretsOutsideEnv } from './secrets-outside-env';
import { selfHostedRunner } from './self-hosted-runner';
import type { Rule } from './types';
import { unpinnedTools } from './unpinned-tools';
import { untrustedCheckout } from './untrusted-checkout';
import { unverifiedDownload } from './unverified-download';
import { useTrustedPublishing } from './use-trusted-publishing';

export const ATTACK_PATH_RULES: readonly Rule[] = [
  untrustedCheckout,
  artifactPoisoning,
  artipacked,
  cachePoisoning,
  secretsInherit,
  secretsOutsideEnv,
  selfHostedRunner,
  useTrustedPublishing,
  unverifiedDownload,
  adhocPackages,
  unpinnedTools,
];
