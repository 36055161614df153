import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { githubApp as rule } from '../../../server/src/rules/github-app';
import { yaml } from '../../support/analysis';
import { run, texts } from '../../support/catalogue-rules';

describe('github-app', () => {
  test('skip-token-revoke, owner without repositories, no permission-*', () => {
    const text = yaml`
      on: push
      jobs:
        a:
          runs-on: x
          steps:
            - id: bad
              uses: actions/create-github-app-token@v2
              with:
                app-id: \${{ vars.APP_ID }}
                private-key: \${{ secrets.KEY }}
                owner: my-org
                skip-token-revoke: true
            - id: good
              uses: actions/create-github-app-token@v2
              with:
                app-id: \${{ vars.APP_ID }}
                private-key: \${{ secrets.KEY }}
                owner: my-org
                repositories: one-repo
                permission-contents: write
    `;
    const findings = run(rule, text);
    assert.deepEqual(texts(text, findings), ['actions/create-github-app-token@v2', 'owner', 'true']);
    assert.match(findings[2].message, /Step `bad`/);
  });

  const appToken = (inputs: string) => yaml`
      on: push
      jobs:
        a:
          runs-on: x
          steps:
            - id: token
              uses: actions/create-github-app-token@v2
              with:
                app-id: \${{ vars.APP_ID }}
                private-key: \${{ secrets.KEY }}
                owner: my-org
${inputs}
  `;

  test('owner without repositories is fine when every permission-* input is organisation-level', () => {
    const text = appToken('                permission-members: read\n                permission-organization-projects: write');
    assert.deepEqual(texts(text, run(rule, text)), []);
  });

  test('one repository permission among organisation ones still needs repositories', () => {
    const text = appToken('                permission-members: read\n                permission-contents: write');
    const findings = run(rule, text);
    assert.deepEqual(texts(text, findings), ['owner']);
    assert.match(findings[0].message, /every repository the App is installed on/);
  });
});
