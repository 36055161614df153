/**
 * What an `actions/github-script` script does with its client: `github.rest.<namespace>.<method>(...)`
 * calls (and the older `github.<namespace>.<method>`) map to scopes; `github.request`, `github.graphql`,
 * loading a file and namespaces we do not map make the script unknown.
 */
import type { Level } from '../knowledge/action-permissions';

export interface ScriptNeeds {
  needs: { scope: string; level: Level; what: string }[];
  unknowns: string[];
}

const NAMESPACES: Record<string, string> = {
  issues: 'issues',
  pulls: 'pull-requests',
  repos: 'contents',
  git: 'contents',
  actions: 'actions',
  checks: 'checks',
  codeScanning: 'security-events',
  packages: 'packages',
  projects: 'repository-projects',
  reactions: 'comment',
  dependencyGraph: 'contents',
};

/** repos.* methods that touch another scope than contents. */
const REPOS_METHODS: [RegExp, string][] = [
  [/Status/i, 'statuses'],
  [/Deployment/i, 'deployments'],
  [/Pages/i, 'pages'],
  [/Collaborator|Invitation|Webhook|Hook|Autolink|DeployKey/i, 'administration'],
];

/** Issue-API calls that equally serve pull requests (comments, labels). */
const COMMENT_LIKE =
  /^(createComment|updateComment|deleteComment|addLabels|removeLabel|removeAllLabels|setLabels|addAssignees|removeAssignees)$/;

export function analyzeGithubScript(script: string): ScriptNeeds {
  const needs: ScriptNeeds['needs'] = [];
  const unknowns: string[] = [];
  if (/\brequire\s*\(|\bimport\s*\(/.test(script)) unknowns.push('the script loads code from a file');
  if (/\bgithub\.(request|graphql)\b/.test(script)) unknowns.push('the script calls `github.request`/`github.graphql`');
  const re = /\bgithub\.(?:rest\.)?([A-Za-z]+)\.([A-Za-z]+)\b/g;
  for (let m = re.exec(script); m; m = re.exec(script)) {
    const [, namespace, method] = m;
    if (namespace === 'rest' || namespace === 'context' || namespace === 'paginate') continue;
    let scope = NAMESPACES[namespace];
    if (!scope) {
      unknowns.push(`\`github.rest.${namespace}.${method}\``);
      continue;
    }
    const read = /^(get|list|check|compare|download)/.test(method);
    if (namespace === 'repos') {
      for (const [pattern, other] of REPOS_METHODS) if (pattern.test(method)) scope = other;
      if (method === 'createDispatchEvent') scope = 'contents';
    }
    if (scope === 'administration') {
      unknowns.push(`\`github.rest.repos.${method}\` needs administration rights the job token lacks`);
      continue;
    }
    if (namespace === 'issues' && !read && COMMENT_LIKE.test(method)) scope = 'comment';
    needs.push({ scope, level: read ? 'read' : 'write', what: `github-script ${namespace}.${method}` });
  }
  if (needs.length === 0 && unknowns.length === 0 && /\bgithub\b/.test(script.replace(/\bcontext\.|github\.context/g, ''))) {
    // The client is used in a way the patterns do not see (destructuring, aliases).
    if (/\bgithub\s*[,)\]]|=\s*github\b|\bgithub\s*\[/.test(script)) unknowns.push('the script passes the client around');
  }
  return { needs, unknowns };
}
