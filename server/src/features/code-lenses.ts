/**
 * Code lenses, computed from the analysis already done: on each job, the permissions its token has
 * ("token: contents: read, pull-requests: write"), clickable when the file has a least-privilege fix (it
 * runs the Add Least-Privilege Permissions server command); on each privileged trigger, what it runs with
 * and for whom. Off with `actionsWarden.codeLens.enable: false`.
 */
import type { CodeLens, Command } from 'vscode-languageserver-types';
import { ServerCommands } from '../../../shared/src/protocol';
import type { Analysis } from '../document-cache';
import { triggerInfo } from '../knowledge/triggers';
import type { JobView, WorkflowView } from '../parse/views';
import { scalarText } from '../parse/yaml-nodes';
import { declaredScopes, effectivePermissions } from '../permissions/infer';
import { isCodeLensParams } from '../params';
import { onValidRequest, type Feature } from './feature';
import { leastPrivilegeFix } from './least-privilege';
import { dependencyUri } from '../../../shared/src/dependency-uri';
import { dependenciesOf } from '../dependencies/follow';
import { usesPath } from '../dependencies/walk';
import { lockableUses } from '../resolve/lock-entry';

/** Who can start a run of each privileged trigger, in a few words. */
const FIRED_BY: Record<string, string> = {
  pull_request_target: 'code from forks',
  workflow_run: 'runs that forks can start',
  issue_comment: 'any commenter',
  issues: 'any issue author',
  discussion: 'any discussion author',
  discussion_comment: 'any discussion commenter',
  fork: 'anyone who forks the repository',
  watch: 'anyone who stars the repository',
};

/** What a job's token holds: `contents: read, pull-requests: write`, `read-all`, `none`, or the repository default. */
export function tokenSummary(workflow: WorkflowView, job: JobView): { text: string; write: boolean | null } {
  const { source, entry } = effectivePermissions(workflow, job);
  if (!entry)
    return { text: "repository default (no permissions: block; write unless the repository's setting is read-only)", write: null };
  const inherited = source === 'workflow' ? ' (from the workflow)' : '';
  const shorthand = scalarText(entry.value);
  if (shorthand === 'read-all' || shorthand === 'write-all') return { text: `${shorthand}${inherited}`, write: shorthand === 'write-all' };
  const scopes = declaredScopes(entry);
  if (scopes.size === 0) return { text: `none${inherited}`, write: false };
  const listed = [...scopes].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([scope, level]) => `${scope}: ${level}`);
  return { text: `${listed.join(', ')}${inherited}`, write: [...scopes.values()].includes('write') };
}

/**
 * On each remote `uses:` the dependency walk read (features/online.ts): "Open the action's source at this
 * commit", which shows the fetched file as a read-only virtual document with our diagnostics on it.
 */
export function dependencySourceLenses(analysis: Analysis): CodeLens[] {
  const graph = dependenciesOf(analysis.file);
  if (!graph) return [];
  const lenses: CodeLens[] = [];
  for (const site of analysis.file.uses) {
    const uses = lockableUses(site.value);
    const commit = uses && graph.commitOf(uses.owner, uses.repo, uses.ref as string);
    if (!uses || !commit) continue;
    const fetched = graph.action(uses.owner, uses.repo, usesPath(uses), commit);
    if (!fetched.available || !fetched.value.fileName) continue;
    const uri = dependencyUri({ owner: uses.owner, repo: uses.repo, commit, path: fetched.value.fileName });
    if (!uri) continue;
    lenses.push({
      range: analysis.file.lines.range(site.entry.valueSpan),
      command: {
        title: "Open the action's source at this commit",
        command: ServerCommands.openDependencySource.id,
        arguments: [uri],
        tooltip: `${uses.owner}/${uses.repo} ${fetched.value.fileName} at ${commit.slice(0, 12)}, read-only`,
      },
    });
  }
  return lenses;
}

export function codeLenses(analysis: Analysis): CodeLens[] {
  const file = analysis.file;
  const workflow = file.workflow;
  if (!workflow) return dependencySourceLenses(analysis);
  const lenses: CodeLens[] = dependencySourceLenses(analysis);
  const fix = leastPrivilegeFix(analysis);
  const summaries = workflow.jobs.map((job) => tokenSummary(workflow, job));
  workflow.jobs.forEach((job, index) => {
    const title = `token: ${summaries[index].text}`;
    const command: Command = fix
      ? { title, command: ServerCommands.addLeastPrivilegePermissions.id, arguments: [analysis.uri], tooltip: `${fix.title} (whole file)` }
      : { title, command: '' };
    lenses.push({ range: file.lines.range(job.idSpan), command });
  });
  const write = summaries.some((summary) => summary.write === true);
  const unknown = summaries.some((summary) => summary.write === null);
  const token = write ? 'a write token' : unknown ? 'a token with the repository default permissions' : 'a read-only token';
  for (const trigger of workflow.triggers) {
    const info = triggerInfo(trigger.name);
    if (!info?.privileged || !Object.hasOwn(FIRED_BY, trigger.name)) continue;
    lenses.push({
      range: file.lines.range(trigger.span),
      command: {
        title: `⚠ runs with secrets and ${token} for ${FIRED_BY[trigger.name]}`,
        command: '',
        tooltip: info.privileges.replace(/[`*]/g, ''),
      },
    });
  }
  return lenses;
}

export const codeLensFeature: Feature = {
  capabilities: { codeLensProvider: { resolveProvider: false } },
  register(connection, context) {
    onValidRequest(connection, 'textDocument/codeLens', isCodeLensParams, async (params) => {
      if (!context.settings().codeLens) return [];
      const document = context.documents.get(params.textDocument.uri);
      if (!document || !context.settings().enable) return [];
      const analysis = await context.cache.getAsync(document);
      return analysis ? codeLenses(analysis) : [];
    });
    context.onSettingsChanged((settings, previous) => {
      if (context.client.refresh.codeLens && settings.codeLens !== previous.codeLens)
        context.whenInitialized(() => void connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined));
    });
  },
};
