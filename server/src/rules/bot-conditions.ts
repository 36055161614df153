/**
 * `bot-conditions`: an `if:` that trusts `github.actor` (or `triggering_actor`, `event.sender`) because it
 * names a bot. The actor is whoever caused the latest event, not who wrote the code: on pull request
 * triggers an attacker can get a bot such as Dependabot to act on their pull request, and then the
 * condition that was meant for the bot's own pull requests passes for the attacker's.
 */
import { triggerInfo } from '../knowledge/triggers';
import { scopeTriggers } from '../knowledge/taint';
import { contextPath, walkExpression, type ExprNode } from '../parse/expressions';
import { evaluatedExpressions } from './support/evaluated-expressions';
import type { Rule } from './types';
import type { Fix } from '../findings';

const LOGIN_PATHS = new Set([
  'github.actor',
  'github.triggering_actor',
  'github.event.sender.login',
  'github.event.pull_request.sender.login',
]);
const ID_PATHS = new Set([
  'github.actor_id',
  'github.triggering_actor_id',
  'github.event.sender.id',
  'github.event.pull_request.sender.id',
]);
/** Account ids of well-known bots: dependabot[bot], dependabot-preview[bot], renovate[bot], and GitHub's own. */
const BOT_IDS = new Set(['49699333', '27856297', '29139614', '29110']);

/** The trigger → the field naming who opened the pull request or issue. */
const AUTHOR_FIELDS: Record<string, { login: string; id: string }> = {
  pull_request: { login: 'github.event.pull_request.user.login', id: 'github.event.pull_request.user.id' },
  pull_request_target: { login: 'github.event.pull_request.user.login', id: 'github.event.pull_request.user.id' },
  pull_request_review: { login: 'github.event.pull_request.user.login', id: 'github.event.pull_request.user.id' },
  pull_request_review_comment: { login: 'github.event.pull_request.user.login', id: 'github.event.pull_request.user.id' },
  issues: { login: 'github.event.issue.user.login', id: 'github.event.issue.user.id' },
};

function unwrap(node: ExprNode): ExprNode {
  while (node.type === 'group') node = node.expr;
  return node;
}

function actorPath(node: ExprNode): { path: string; kind: 'login' | 'id'; node: ExprNode } | null {
  const inner = unwrap(node);
  const path = contextPath(inner, { caseInsensitive: true });
  if (!path) return null;
  if (LOGIN_PATHS.has(path)) return { path, kind: 'login', node: inner };
  if (ID_PATHS.has(path)) return { path, kind: 'id', node: inner };
  return null;
}

function isBotLiteral(node: ExprNode, kind: 'login' | 'id'): string | null {
  const inner = unwrap(node);
  if (inner.type !== 'literal') return null;
  if (kind === 'login') return inner.kind === 'string' && /\[bot\]$/i.test(String(inner.value).trim()) ? String(inner.value) : null;
  return (inner.kind === 'number' || inner.kind === 'string') && BOT_IDS.has(String(inner.value).trim()) ? String(inner.value) : null;
}

/** `head.repo.full_name`-style paths that name the repository the pull request (or run) comes from. */
const HEAD_REPOSITORY_PATHS = new Set([
  'github.event.pull_request.head.repo.full_name',
  'github.event.workflow_run.head_repository.full_name',
]);
const HEAD_FORK_PATHS = new Set(['github.event.pull_request.head.repo.fork', 'github.event.workflow_run.head_repository.fork']);
const AUTHOR_LOGINS = new Set(Object.values(AUTHOR_FIELDS).map((field) => field.login));
const AUTHOR_IDS = new Set(Object.values(AUTHOR_FIELDS).map((field) => field.id));

function pathOf(node: ExprNode): string | null {
  return contextPath(unwrap(node), { caseInsensitive: true });
}

/**
 * What a comparison says about where the code comes from: `same` (the head is this repository, or the author
 * is a bot, so no fork pull request passes), `fork` (the head is a fork: every fork pull request passes).
 */
function originTest(node: ExprNode): 'same' | 'fork' | null {
  const inner = unwrap(node);
  if (inner.type === 'unary') {
    // `!head.repo.fork` is a same-repository test; `!(author == bot)` says nothing (any fork passes it, but so does the bot).
    const negated = originTest(inner.operand);
    return negated === 'fork' ? 'same' : null;
  }
  const bare = pathOf(inner);
  if (bare && HEAD_FORK_PATHS.has(bare)) return 'fork';
  if (inner.type !== 'binary' || (inner.op !== '==' && inner.op !== '!=')) return null;
  const equal = inner.op === '==';
  for (const [a, b] of [
    [inner.left, inner.right],
    [inner.right, inner.left],
  ]) {
    const path = pathOf(a);
    if (!path) continue;
    const other = unwrap(b);
    if (HEAD_REPOSITORY_PATHS.has(path) && pathOf(other) === 'github.repository') return equal ? 'same' : 'fork';
    if (HEAD_FORK_PATHS.has(path) && other.type === 'literal' && other.kind === 'boolean')
      return (other.value === true) === equal ? 'fork' : 'same';
    if (equal && AUTHOR_LOGINS.has(path) && isBotLiteral(other, 'login')) return 'same';
    if (equal && AUTHOR_IDS.has(path) && isBotLiteral(other, 'id')) return 'same';
  }
  return null;
}

/** The operands of a chain of `op` (groups looked through). */
function chain(node: ExprNode, op: '&&' | '||'): ExprNode[] {
  const inner = unwrap(node);
  return inner.type === 'binary' && inner.op === op ? [...chain(inner.left, op), ...chain(inner.right, op)] : [inner];
}

interface Match {
  node: ExprNode;
  actor: { path: string; kind: 'login' | 'id'; node: ExprNode };
  bot: string;
}

/** `actor == 'x[bot]'`, `contains(…[bot]…, actor)`, `endsWith(actor, '[bot]')`, `startsWith(actor, 'dependabot')`. */
function matchOf(node: ExprNode): Match | null {
  if (node.type === 'binary' && node.op === '==') {
    for (const [a, b] of [
      [node.left, node.right],
      [node.right, node.left],
    ]) {
      const actor = actorPath(a);
      const bot = actor ? isBotLiteral(b, actor.kind) : null;
      if (actor && bot) return { node, actor, bot };
    }
    return null;
  }
  if (node.type === 'call' && node.args.length === 2) {
    const name = node.name.toLowerCase();
    if (name === 'endswith' || name === 'startswith') {
      const actor = actorPath(node.args[0]);
      const literal = unwrap(node.args[1]);
      if (actor?.kind === 'login' && literal.type === 'literal' && literal.kind === 'string' && /bot/i.test(String(literal.value)))
        return { node, actor, bot: String(literal.value) };
    }
    if (name === 'contains') {
      const actor = actorPath(node.args[1]);
      if (!actor) return null;
      let bot: string | null = null;
      walkExpression(node.args[0], (inner) => {
        if (inner.type === 'literal' && (inner.kind === 'string' || inner.kind === 'number')) {
          const value = String(inner.value);
          if ((actor.kind === 'login' && /\[bot\]/i.test(value)) || (actor.kind === 'id' && [...BOT_IDS].some((id) => value.includes(id))))
            bot = value;
        }
      });
      if (bot) return { node, actor, bot };
    }
  }
  return null;
}

export const botConditions: Rule = {
  id: 'bot-conditions',
  title: 'Condition trusts the actor because it is a bot',
  kinds: ['workflow'],
  severity: 'high',
  confidence: 'high',
  persona: 'regular',
  online: false,
  docs: {
    summary:
      'An `if:` compares `github.actor`, `github.triggering_actor` or `github.event.sender.login` (or their ids) with a bot such as `dependabot[bot]` to decide that a run is trustworthy.',
    why: "`github.actor` is whoever caused the latest event, not who wrote the pull request. On `pull_request_target` an attacker can open a pull request and get Dependabot to act on it (for example by having it update a branch of their fork), so the latest event's actor is `dependabot[bot]` and the step meant for Dependabot's own pull requests (auto-merge, secrets, a write token) runs for the attacker's code.",
    fix: "Check who opened the pull request instead: `github.event.pull_request.user.login == 'dependabot[bot]'` (the quick fix does this when the workflow has a single pull request or issue trigger), and for Dependabot use `dependabot/fetch-metadata`.",
  },
  check({ file, report }) {
    if (!file.workflow) return;
    const triggers = scopeTriggers(file);
    const outsider = triggers ? triggers.filter((trigger) => triggerInfo(trigger)?.outsiderCanFire) : [];
    const single = triggers && triggers.length === 1 ? AUTHOR_FIELDS[triggers[0]] : undefined;
    for (const expression of evaluatedExpressions(file)) {
      // Every path this rule knows names an actor or a sender.
      if (!expression.isCondition || !/actor|sender/i.test(expression.text)) continue;
      const ast = expression.parsed.ast;
      if (!ast) continue;
      const matches: Match[] = [];
      walkExpression(ast, (node) => {
        const match = matchOf(node);
        if (match) {
          matches.push(match);
          return false;
        }
        return undefined;
      });
      if (matches.length === 0) continue;
      const parents = new Map<ExprNode, ExprNode | null>();
      walkExpression(ast, (node, parent) => {
        parents.set(node, parent);
      });
      for (const match of matches) {
        // Dominating: only `||` and groups between the comparison and the top; negated: a `!` on the way.
        let dominating = true;
        let negated = false;
        for (let up = parents.get(match.node) ?? null; up; up = parents.get(up) ?? null) {
          if (up.type === 'unary') negated = !negated;
          else if (up.type === 'binary' && up.op === '||') continue;
          else if (up.type !== 'group') dominating = false;
        }
        if (negated) continue;
        // `actor == bot && author == bot` / `&& head is this repository`: no fork pull request gets here.
        // `head is a fork || actor == bot`: every fork pull request passes already; the bot check admits nothing more.
        let origin: 'same' | 'fork' | null = null;
        for (let child = match.node, up = parents.get(match.node) ?? null; up && !origin; child = up, up = parents.get(up) ?? null) {
          if (up.type !== 'binary' || (up.op !== '&&' && up.op !== '||')) continue;
          const sibling = up.left === child ? up.right : up.left;
          const tests = chain(sibling, up.op).map(originTest);
          if (up.op === '&&' && tests.includes('same')) origin = 'same';
          if (up.op === '||' && tests.includes('fork')) origin = 'fork';
        }
        if (origin) continue;
        const actorText = match.actor.path;
        let fixes: Fix[] = [];
        if (single && expression.exact) {
          const replacement = match.actor.kind === 'login' ? single.login : single.id;
          fixes = [
            {
              title: `Compare the author, \`${replacement}\`, instead of \`${actorText}\``,
              isPreferred: true,
              safety: 'safe',
              edits: [{ span: { start: match.actor.node.start, end: match.actor.node.end }, newText: replacement }],
            },
          ];
        }
        const severity = triggers === null ? 'medium' : outsider.length > 0 ? 'high' : 'low';
        const why =
          outsider.length > 0
            ? `on ${outsider.map((t) => `\`${t}\``).join(', ')} an attacker can make a bot the actor of an event on their own ${outsider.some((t) => t.startsWith('pull_request') || t === 'workflow_run') ? 'pull request' : 'issue or pull request'}`
            : triggers === null
              ? "the caller's event decides who the actor is"
              : 'the actor is whoever caused the latest event, not who wrote the code';
        report({
          span: { start: match.node.start, end: match.node.end },
          message: `\`${actorText}\` is checked against \`${match.bot}\`: ${why}, so this condition ${dominating ? 'passes' : 'can pass'} for their code${single ? `; compare \`${match.actor.kind === 'login' ? single.login : single.id}\` instead` : ''}`,
          severity,
          confidence: dominating ? 'high' : 'medium',
          persona: severity === 'low' ? 'pedantic' : 'regular',
          fixes,
        });
      }
    }
  },
};
