/** The registry: every rule, in a stable order. Add a rule by writing `<id>.ts` and listing it here. */
import { dangerousTriggers } from './dangerous-triggers';
import { excessivePermissions } from './excessive-permissions';
import { undocumentedPermissions } from './undocumented-permissions';
import type { Rule } from './types';
import { CATALOGUE_RULES } from './catalogue';
import { templateInjection } from './template-injection';
import { insecureCommands } from './insecure-commands';
import { overprovisionedSecrets } from './overprovisioned-secrets';
import { unredactedSecrets } from './unredacted-secrets';
import { aiAgentInjection } from './ai-agent-injection';
import { githubEnv } from './github-env';
import { botConditions } from './bot-conditions';
import { unpinnedUses } from './unpinned-uses';
import { impostorCommit } from './impostor-commit';
import { refConfusion } from './ref-confusion';
import { refVersionMismatch } from './ref-version-mismatch';
import { staleActionRefs } from './stale-action-refs';
import { ATTACK_PATH_RULES } from './attack-path-rules';
import { unknownStepReference } from './unknown-step-reference';

export const RULES: readonly Rule[] = [dangerousTriggers, excessivePermissions, undocumentedPermissions, unpinnedUses, templateInjection, insecureCommands, overprovisionedSecrets, unredactedSecrets, aiAgentInjection, githubEnv, botConditions, /* online (no-ops without a resolution snapshot): */ refVersionMismatch, impostorCommit, staleActionRefs, refConfusion, ...CATALOGUE_RULES, ...ATTACK_PATH_RULES, unknownStepReference];

const byId = new Map(RULES.map((rule) => [rule.id, rule]));

export function ruleById(id: string): Rule | undefined {
  return byId.get(id);
}
