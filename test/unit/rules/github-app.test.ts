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
});
