/**
 * The registry: every rule, in the order their findings are produced. Add a rule by writing `<id>.ts`,
 * its tests in `test/unit/rules/<id>.test.ts` and its page in `docs/rules/<id>.md`, and listing it here.
 */
import { adhocPackages } from './adhoc-packages';
import { aiAgentInjection } from './ai-agent-injection';
import { anonymousDefinition } from './anonymous-definition';
import { archivedUses } from './archived-uses';
import { artifactPoisoning } from './artifact-poisoning';
import { artipacked } from './artipacked';
import { botConditions } from './bot-conditions';
import { cachePoisoning } from './cache-poisoning';
import { concurrencyLimits } from './concurrency-limits';
import { dangerousTriggers } from './dangerous-triggers';
import { dependabotCooldown } from './dependabot-cooldown';
import { dependabotExecution } from './dependabot-execution';
import { dependabotMissingActions } from './dependabot-missing-actions';
import { excessivePermissions } from './excessive-permissions';
import { forbiddenUses } from './forbidden-uses';
import { githubApp } from './github-app';
import { githubEnv } from './github-env';
import { hardcodedContainerCredentials } from './hardcoded-container-credentials';
import { impostorCommit } from './impostor-commit';
import { insecureCommands } from './insecure-commands';
import { insecureUrlScheme } from './insecure-url-scheme';
import { knownVulnerableActions } from './known-vulnerable-actions';
import { lockfileDrift } from './lockfile-drift';
import { lockfileError } from './lockfile-error';
import { lockfileUnverified } from './lockfile-unverified';
import { misfeature } from './misfeature';
import { obfuscation } from './obfuscation';
import { overprovisionedSecrets } from './overprovisioned-secrets';
import { refConfusion } from './ref-confusion';
import { refVersionMismatch } from './ref-version-mismatch';
import { repositoryPolicy } from './repository-policy';
import { secretsForwarded } from './secrets-forwarded';
import { secretsInherit } from './secrets-inherit';
import { secretsOutsideEnv } from './secrets-outside-env';
import { selfHostedRunner } from './self-hosted-runner';
import { selfRepository } from './self-repository';
import { staleActionRefs } from './stale-action-refs';
import { superfluousActions } from './superfluous-actions';
import { templateInjection } from './template-injection';
import type { Rule } from './types';
import { typosquatUses } from './typosquat-uses';
import { undocumentedPermissions } from './undocumented-permissions';
import { unpinnedImages } from './unpinned-images';
import { unpinnedTools } from './unpinned-tools';
import { unknownStepReference } from './unknown-step-reference';
import { unlockedUses } from './unlocked-uses';
import { unpinnedUses } from './unpinned-uses';
import { unredactedSecrets } from './unredacted-secrets';
import { unsoundCondition } from './unsound-condition';
import { unsoundContains } from './unsound-contains';
import { unsoundTernary } from './unsound-ternary';
import { untrustedCheckout } from './untrusted-checkout';
import { unverifiedDownload } from './unverified-download';
import { useTrustedPublishing } from './use-trusted-publishing';

export const RULES: readonly Rule[] = [
  dangerousTriggers,
  excessivePermissions,
  undocumentedPermissions,
  unpinnedUses,
  unlockedUses,
  lockfileDrift,
  lockfileError,
  templateInjection,
  insecureCommands,
  overprovisionedSecrets,
  unredactedSecrets,
  aiAgentInjection,
  githubEnv,
  botConditions,
  refVersionMismatch,
  impostorCommit,
  lockfileUnverified,
  staleActionRefs,
  refConfusion,
  unpinnedImages,
  hardcodedContainerCredentials,
  knownVulnerableActions,
  archivedUses,
  typosquatUses,
  forbiddenUses,
  repositoryPolicy,
  dependabotCooldown,
  dependabotExecution,
  dependabotMissingActions,
  unsoundCondition,
  unsoundContains,
  unsoundTernary,
  obfuscation,
  misfeature,
  superfluousActions,
  githubApp,
  selfRepository,
  concurrencyLimits,
  anonymousDefinition,
  untrustedCheckout,
  artifactPoisoning,
  artipacked,
  cachePoisoning,
  secretsInherit,
  secretsForwarded,
  secretsOutsideEnv,
  selfHostedRunner,
  useTrustedPublishing,
  unverifiedDownload,
  insecureUrlScheme,
  adhocPackages,
  unpinnedTools,
  unknownStepReference,
];

const byId = new Map(RULES.map((rule) => [rule.id, rule]));

export function ruleById(id: string): Rule | undefined {
  return byId.get(id);
}

/**
 * What the registry does only with the online view, as the offline notice names it: the rules marked
 * online by id, then the lookups other rules add online ("the advisory database lookup of
 * known-vulnerable-actions").
 */
export function onlineRuleChecks(rules: readonly Rule[] = RULES): string[] {
  const online = rules.filter((rule) => rule.online).map((rule) => rule.id);
  const lookups = rules.filter((rule) => !rule.online && rule.docs.onlineLookup).map((rule) => `${rule.docs.onlineLookup} of ${rule.id}`);
  return [...online, ...lookups];
}
