import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { hardcodedContainerCredentials as rule } from '../../../server/src/rules/hardcoded-container-credentials';
import { yaml } from '../../support/analysis';
import { run, texts } from '../../support/catalogue-rules';

describe('hardcoded-container-credentials', () => {
  test('literal passwords in container and services; secrets are fine', () => {
    const text = yaml`
      on: push
      jobs:
        a:
          runs-on: ubuntu-latest
          container:
            image: ghcr.io/o/i@sha256:x
            credentials:
              username: me
              password: hunter2
          services:
            db:
              image: x
              credentials:
                username: me
                password: "p@ss"
            ok:
              image: y
              credentials:
                username: \${{ github.actor }}
                password: \${{ secrets.GITHUB_TOKEN }}
    `;
    const findings = run(rule, text);
    assert.deepEqual(texts(text, findings), ['hunter2', '"p@ss"']);
    assert.match(findings[1].message, /Service `db` of job `a`/);
  });
});
