/** The registry: every rule, in a stable order. Add a rule by writing `<id>.ts` and listing it here. */
import { dangerousTriggers } from './dangerous-triggers';
import { excessivePermissions } from './excessive-permissions';
import type { Rule } from './types';
import { unpinnedUses } from './unpinned-uses';

export const RULES: readonly Rule[] = [dangerousTriggers, excessivePermissions, unpinnedUses];

const byId = new Map(RULES.map((rule) => [rule.id, rule]));

export function ruleById(id: string): Rule | undefined {
  return byId.get(id);
}
