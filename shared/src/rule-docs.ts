/** Where the rule documentation lives: the links of diagnostics, hovers, SARIF and JSON output. */

/** Each rule's page is `${DOCS_BASE_URL}/<rule-id>.md`. */
export const DOCS_BASE_URL = 'https://github.com/actions-warden/actions-warden/blob/main/docs/rules';

export function ruleDocsUrl(ruleId: string): string {
  return `${DOCS_BASE_URL}/${ruleId}.md`;
}
