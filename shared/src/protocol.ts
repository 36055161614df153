/** Names both sides of the language-server connection agree on. */

export const SERVER_NAME = 'actions-warden';
/** `source` of every diagnostic we publish. */
export const DIAGNOSTIC_SOURCE = 'actions-warden';
export const CONFIGURATION_SECTION = 'actionsWarden';

/** Where the rule documentation lives; each rule's page is `${DOCS_BASE_URL}/<rule-id>.md`. */
export const DOCS_BASE_URL = 'https://github.com/actions-warden/actions-warden/blob/main/docs/rules';

export function ruleDocsUrl(ruleId: string): string {
  return `${DOCS_BASE_URL}/${ruleId}.md`;
}

/** Commands the client registers (palette and code-lens ids). */
export const Commands = {
  restartServer: 'actionsWarden.restartServer',
  showOutput: 'actionsWarden.showOutput',
} as const;
