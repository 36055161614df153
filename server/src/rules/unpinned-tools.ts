import { allSteps, input, stepAction } from '../knowledge/job-facts';
import { publishCredentials } from '../knowledge/publishers';
import type { Rule } from './types';

/** Actions that download a tool at run time, the input naming its version, and whether absent means latest. Sources: each action.yml. */
const TOOL_ACTIONS: Record<string, { input: string; tool: string; absentIsLatest: boolean }> = {
  'aquasecurity/setup-trivy': { input: 'version', tool: 'trivy', absentIsLatest: true },
  'aquasecurity/trivy-action': { input: 'version', tool: 'trivy', absentIsLatest: true },
  '1password/load-secrets-action': { input: 'version', tool: '1Password CLI', absentIsLatest: true },
  '1password/install-cli-action': { input: 'version', tool: '1Password CLI', absentIsLatest: true },
  'reviewdog/action-setup': { input: 'reviewdog_version', tool: 'reviewdog', absentIsLatest: true },
  'hashicorp/setup-terraform': { input: 'terraform_version', tool: 'terraform', absentIsLatest: true },
  'azure/setup-helm': { input: 'version', tool: 'helm', absentIsLatest: true },
  'azure/setup-kubectl': { input: 'version', tool: 'kubectl', absentIsLatest: true },
  'goreleaser/goreleaser-action': { input: 'version', tool: 'goreleaser', absentIsLatest: true },
  'oven-sh/setup-bun': { input: 'bun-version', tool: 'bun', absentIsLatest: false },
  'golangci/golangci-lint-action': { input: 'version', tool: 'golangci-lint', absentIsLatest: false },
  'sigstore/cosign-installer': { input: 'cosign-release', tool: 'cosign', absentIsLatest: false },
  'anchore/scan-action': { input: 'grype-version', tool: 'grype', absentIsLatest: false },
  'astral-sh/setup-uv': { input: 'version', tool: 'uv', absentIsLatest: false },
};

export const unpinnedTools: Rule = {
  id: 'unpinned-tools',
  title: 'Action downloads the latest version of a tool',
  kinds: ['workflow', 'action'],
  severity: 'medium',
  confidence: 'high',
  persona: 'regular',
  online: false,
  docs: {
    summary:
      'A SHA-pinned action still downloads a tool at run time; with its version input absent or `latest`, each run executes whatever was released last.',
    why: 'In Trivy #2 (2026, CVE-2026-33634) the release channel of trivy was taken over: workflows that had pinned `aquasecurity/setup-trivy` or `trivy-action` to a commit still downloaded the malicious trivy 0.69.4, because the action defaulted to the latest release. `reviewdog/action-setup` (CVE-2025-30154) had the same `reviewdog_version: latest` default.',
    fix: 'Set the version input to an exact release (`version: v0.69.3`, `reviewdog_version: v0.20.3`), and let Dependabot/Renovate propose updates with a cooldown.',
  },
  check({ file, report }) {
    for (const { job, step } of allSteps(file)) {
      const action = stepAction(file, step);
      const tool = action && TOOL_ACTIONS[action.name];
      if (!action || !tool) continue;
      const value = input(step, tool.input);
      const entry = step.with.get(tool.input);
      const latest = value !== null && /^(latest|stable|\*|)$/i.test(value.trim().replace(/^v/, ''));
      const absent = value === null && !entry;
      if (!(latest || (absent && tool.absentIsLatest) || (absent && !tool.absentIsLatest))) continue;
      const credentials = publishCredentials(file, job);
      const certain = latest || tool.absentIsLatest;
      report({
        span: entry ? entry.valueSpan : action.site.entry.valueSpan,
        message: `\`${action.name}\` installs ${latest ? `\`${value!.trim() || 'latest'}\`` : "the latest (or the action's default)"} ${tool.tool}${absent ? ` (no \`${tool.input}:\`)` : ''}: pinning the action does not pin the tool${credentials ? `, in a job holding publish credentials (${credentials})` : ''}`,
        severity: credentials ? 'high' : certain ? 'medium' : 'low',
        confidence: certain ? 'high' : 'low',
        persona: certain ? 'regular' : 'pedantic',
      });
    }
  },
};
