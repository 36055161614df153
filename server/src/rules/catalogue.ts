/** The rest of zizmor's audit catalogue (issue 6), listed into the registry by index.ts. */
import { anonymousDefinition } from './anonymous-definition';
import { archivedUses } from './archived-uses';
import { concurrencyLimits } from './concurrency-limits';
import { dependabotCooldown } from './dependabot-cooldown';
import { dependabotExecution } from './dependabot-execution';
import { dependabotMissingActions } from './dependabot-missing-actions';
import { forbiddenUses } from './forbidden-uses';
import { githubApp } from './github-app';
import { hardcodedContainerCredentials } from './hardcoded-container-credentials';
import { knownVulnerableActions } from './known-vulnerable-actions';
import { misfeature } from './misfeature';
import { obfuscation } from './obfuscation';
import { selfRepository } from './self-repository';
import { superfluousActions } from './superfluous-actions';
import { typosquatUses } from './typosquat-uses';
import type { Rule } from './types';
import { unpinnedImages } from './unpinned-images';
import { unsoundCondition } from './unsound-condition';
import { unsoundContains } from './unsound-contains';
import { unsoundTernary } from './unsound-ternary';

export const CATALOGUE_RULES: readonly Rule[] = [
  unpinnedImages,
  hardcodedContainerCredentials,
  knownVulnerableActions,
  archivedUses,
  typosquatUses,
  forbiddenUses,
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
];
