import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { unsoundTernary as rule } from '../../../server/src/rules/unsound-ternary';
import { yaml } from '../../support/analysis';
import { run, texts } from '../../support/catalogue-rules';

describe('unsound-ternary', () => {
  test('falsy middle literal', () => {
    const text = yaml`
      on: push
      jobs:
        a:
          runs-on: x
          steps:
            - run: echo \${{ github.event_name == 'push' && false || true }}
            - run: echo \${{ inputs.x && '' || 'default' }}
            - run: echo \${{ inputs.x && '--flag' || '' }}
            - run: echo \${{ inputs.x || '' }}
    `;
    const findings = run(rule, text);
    assert.deepEqual(texts(text, findings), ["github.event_name == 'push' && false || true", "inputs.x && '' || 'default'"]);
  });
});
