import type { Rule } from './types';

export const dependabotExecution: Rule = {
  id: 'dependabot-execution',
  title: 'Dependabot allowed to run code from dependencies',
  kinds: ['dependabot'],
  severity: 'high',
  confidence: 'high',
  persona: 'regular',
  online: false,
  docs: {
    summary:
      '`insecure-external-code-execution: allow` lets Dependabot run code from the dependency manifests it updates (setup.py, gemspecs, Gradle scripts) while holding the credentials of your private registries.',
    why: "Package managers such as pip (setup.py), Bundler (gemspecs) and Mix evaluate code to resolve dependencies. With this option on, a malicious or compromised release executes inside Dependabot's update job, next to the registry credentials configured for it.",
    fix: 'Remove the option or set it to `deny` (the default). If updates then fail, vendor the dependency or move the logic out of the manifest.',
  },
  check({ file, report }) {
    const dependabot = file.dependabot;
    if (!dependabot) return;
    for (const update of dependabot.updates) {
      const option = update.string('insecure-external-code-execution');
      if (!option || option.value !== 'allow') continue;
      const ecosystem = update.string('package-ecosystem')?.value;
      report({
        span: option.span,
        message: `Dependabot may execute code from ${ecosystem ? `\`${ecosystem}\`` : 'these'} dependencies while updating them, with access to the configured registry credentials`,
        fixes: [
          {
            title: 'Set insecure-external-code-execution to deny',
            isPreferred: true,
            safety: 'unsafe',
            edits: [{ span: option.span, newText: 'deny' }],
          },
        ],
      });
    }
  },
};
