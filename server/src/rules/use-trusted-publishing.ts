import { hasIdTokenWrite, input, secretReferences, stepAction, visibleEnv } from '../knowledge/job-facts';
import { inlineCredentialArgs, publishCommand } from '../knowledge/publishers';
import { runScripts } from '../knowledge/shell';
import type { Rule } from './types';

const REGISTRY_NAMES: Record<string, string> = { pypi: 'PyPI', npm: 'npm', 'crates.io': 'crates.io', rubygems: 'RubyGems', nuget: 'NuGet' };
/** The environment variables each registry's publishing tools read a stored credential from. */
const TOKEN_ENV: Record<string, RegExp> = {
  npm: /^(NODE_AUTH_TOKEN|NPM_TOKEN|NPM_CONFIG__AUTH)$/,
  pypi: /^(TWINE_PASSWORD|TWINE_USERNAME|UV_PUBLISH_TOKEN|UV_PUBLISH_PASSWORD|POETRY_PYPI_TOKEN_\w+|POETRY_HTTP_BASIC_\w+|HATCH_INDEX_AUTH|PDM_PUBLISH_PASSWORD|FLIT_PASSWORD|MATURIN_PYPI_TOKEN|MATURIN_PASSWORD)$/,
  'crates.io': /^CARGO_REGISTRY_TOKEN$/,
  rubygems: /^(GEM_HOST_API_KEY|RUBYGEMS_API_KEY)$/,
  nuget: /^(NUGET_API_KEY|NUGET_AUTH_TOKEN)$/,
};
const isTokenVar = (name: string, registry: string) => TOKEN_ENV[registry]?.test(name) ?? false;
const isOtherRegistryToken = (name: string, registry: string) =>
  Object.keys(TOKEN_ENV).some((other) => other !== registry && isTokenVar(name, other));

export const useTrustedPublishing: Rule = {
  id: 'use-trusted-publishing',
  title: 'Long-lived registry token where Trusted Publishing exists',
  kinds: ['workflow', 'action'],
  severity: 'medium',
  confidence: 'high',
  persona: 'regular',
  online: false,
  docs: {
    summary:
      'A job publishes to PyPI, npm, crates.io, RubyGems or NuGet with a stored token or password, though these registries accept short-lived OIDC credentials (Trusted Publishing).',
    why: 'A stored publish token works from anywhere until someone revokes it. Nx s1ngularity (2025) and elementary-data (2026) lost `NPM_TOKEN` / PyPI passwords from injectable workflows; LiteLLM (2026, PYSEC-2026-2) had its PyPI credential stolen by a compromised scanner running in the publishing job; Ultralytics (2024) saw 8.3.45/46 published with a stolen token after the Trusted Publishing path was closed. With Trusted Publishing there is no token to steal: the registry trusts this repository, workflow and environment only for minutes.',
    fix: "Register the workflow as a trusted publisher on the registry, grant the job `permissions: id-token: write`, run it in a protected `environment:`, and drop the token: `pypa/gh-action-pypi-publish` without `password`, `uv publish` / `twine` via the OIDC exchange, `npm publish --provenance` with npm ≥ 11.5, `rust-lang/crates-io-auth-action`, `rubygems/release-gem`, NuGet's `NuGet/login`.",
  },
  check({ file, report }) {
    const workflow = file.workflow;
    // Actions' inputs.
    const seen = new Set<number>();
    const jobs = workflow
      ? workflow.jobs.map((job) => ({ job, steps: job.steps }))
      : file.action
        ? [{ job: null, steps: file.action.steps }]
        : [];
    for (const { job, steps } of jobs) {
      const oidc = workflow && job ? hasIdTokenWrite(workflow, job) : false;
      for (const step of steps) {
        const action = stepAction(file, step);
        if (!action) continue;
        let credential: { key: string; registry: string } | null = null;
        if (action.name === 'pypa/gh-action-pypi-publish' && step.with.has('password')) credential = { key: 'password', registry: 'PyPI' };
        else if (action.name === 'rubygems/release-gem' && /^false$/i.test((input(step, 'setup-trusted-publisher') ?? '').trim()))
          credential = { key: 'setup-trusted-publisher', registry: 'RubyGems' };
        else if (action.name === 'rubygems/configure-rubygems-credentials' && step.with.has('api-token'))
          credential = { key: 'api-token', registry: 'RubyGems' };
        else if (action.name === 'js-devtools/npm-publish' && step.with.has('token')) credential = { key: 'token', registry: 'npm' };
        else if (action.name === 'katyo/publish-crates' && step.with.has('registry-token'))
          credential = { key: 'registry-token', registry: 'crates.io' };
        if (!credential) continue;
        const entry = step.with.get(credential.key)!;
        const value = input(step, credential.key) ?? '';
        if (credential.key === 'password' && /secrets\.GITHUB_TOKEN/i.test(value)) continue;
        seen.add(entry.keySpan.start);
        report({
          span: entry.keySpan,
          message: `\`${action.name}\` publishes to ${credential.registry} with a long-lived credential (\`${credential.key}\`); ${credential.registry} supports Trusted Publishing${oidc ? ' and this job already has `id-token: write`: drop the credential' : ': grant `id-token: write` and drop it'}`,
        });
      }
    }
    // `run:` publish commands with a token in reach and no OIDC.
    for (const run of runScripts(file)) {
      // Most scripts publish nothing: look for a trusted-publishing-capable command before anything else.
      if (!run.script.commands.some((command) => publishCommand(command)?.trusted)) continue;
      const job = run.job;
      if (workflow && job && hasIdTokenWrite(workflow, job)) continue;
      const env = [...visibleEnv(file, job, run.step).entries()].filter(([, value]) => /secrets\./i.test(value));
      for (const command of run.script.commands) {
        const publish = publishCommand(command);
        if (!publish || !publish.trusted) continue;
        const registry = REGISTRY_NAMES[publish.registry] ?? publish.registry;
        // Only this registry's credential counts: a `GEM_HOST_API_KEY` in reach says nothing about `twine upload`.
        const tokenVars = env.filter(([name]) => isTokenVar(name, publish.registry)).map(([name]) => name);
        const otherTokens = env.filter(([name]) => isOtherRegistryToken(name, publish.registry)).map(([, value]) => value);
        const inline = inlineCredentialArgs(command);
        const commandText = run.script.text.slice(command.span.start, command.span.end);
        const secretInCommand = /secrets\.|\$\{?[A-Z_]*(TOKEN|PASSWORD|API_KEY|APIKEY)/i.test(commandText);
        const stepSecrets = secretReferences(file, run.step.nodeSpan ?? run.entry.valueSpan)
          .map((secret) => secret.name)
          .filter((name) => !otherTokens.some((value) => value.toLowerCase().includes(`secrets.${name.toLowerCase()}`)));
        const credential =
          tokenVars.length > 0
            ? `\`${tokenVars[0]}\``
            : inline.length > 0 && secretInCommand
              ? `\`${inline[0]}\``
              : secretInCommand
                ? 'a token in the command'
                : stepSecrets.length > 0
                  ? `secret \`${stepSecrets[0]}\``
                  : null;
        if (!credential) continue;
        const span = run.sourceSpan({ start: command.argv[0].span.start, end: (command.argv[1] ?? command.argv[0]).span.end });
        if (seen.has(span.start)) continue;
        seen.add(span.start);
        report({
          span,
          message: `\`${publish.label}\` publishes to ${registry} with a long-lived credential (${credential}); ${registry} supports Trusted Publishing: grant the job \`id-token: write\` and drop the token`,
        });
      }
    }
  },
};
