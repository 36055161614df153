import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { unsoundContains as rule } from '../../../server/src/rules/unsound-contains';
import { yaml } from '../../support/analysis';
import { run, texts } from '../../support/catalogue-rules';

describe('unsound-contains', () => {
  test('literal haystack: high for controllable contexts, informational otherwise', () => {
    const text = yaml`
      on: push
      jobs:
        a:
          runs-on: x
          if: contains('refs/heads/main refs/heads/dev', github.ref)
          steps:
            - run: echo
              if: \${{ contains('a b', matrix.os) }}
            - run: echo
              if: contains(fromJSON('["main"]'), github.ref_name)
            - run: echo
              if: contains(github.event.pull_request.labels.*.name, 'ok')
    `;
    const findings = run(rule, text);
    assert.deepEqual(texts(text, findings), ["contains('refs/heads/main refs/heads/dev', github.ref)", "contains('a b', matrix.os)"]);
    assert.equal(findings[0].severity, 'high');
    assert.equal(findings[1].severity, 'informational');
  });
});
