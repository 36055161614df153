import type { MapView } from '../parse/views';
import { asMap, spannedString, type YamlNode } from '../parse/yaml-nodes';
import { MapView as View } from '../parse/views';
import type { Rule, RuleContext } from './types';

function checkCredentials(ctx: RuleContext, where: string, node: YamlNode | null, doc: MapView['doc']): void {
  const container = asMap(node);
  if (!container) return;
  const credentials = new View(asMap(new View(container, doc).get('credentials')?.value ?? null), doc);
  const password = spannedString(credentials.get('password')?.value ?? null);
  if (!password || password.value.trim() === '' || password.value.includes('${{')) return;
  ctx.report({
    span: password.span,
    message: `${where} has a registry password written in the workflow: anyone who can read the repository can use it. Use \`\${{ secrets.… }}\``,
  });
}

export const hardcodedContainerCredentials: Rule = {
  id: 'hardcoded-container-credentials',
  title: 'Container registry password written in the workflow',
  kinds: ['workflow'],
  severity: 'high',
  confidence: 'high',
  persona: 'regular',
  online: false,
  docs: {
    summary: '`container.credentials.password` or `services.<id>.credentials.password` is a literal instead of a secret.',
    why: 'Workflow files are readable by everyone who can read the repository, its forks and its history; a registry password committed there is published. Rotating it after the fact does not remove it from forks or clones.',
    fix: 'Store the password as an encrypted secret (or use `${{ github.token }}` for GHCR) and reference it: `password: ${{ secrets.REGISTRY_PASSWORD }}`. Then rotate the exposed password.',
  },
  check(ctx) {
    const workflow = ctx.file.workflow;
    if (!workflow) return;
    for (const job of workflow.jobs) {
      checkCredentials(ctx, `The container of job \`${job.id}\``, job.container?.value ?? null, job.doc);
      for (const service of job.services.entries)
        checkCredentials(ctx, `Service \`${service.key}\` of job \`${job.id}\``, service.value, job.doc);
    }
  },
};
