/**
 * The dependency chain the tests of the walk share: `acme/composite` (a composite action that runs
 * `other/tool@v1`, a mutable tag, and expands `inputs.title` into a `run:` script) and `other/tool` (a Node.js
 * action). Each suite names the commits so that its fake GitHub's SHAs are its own.
 */
import type { FakeGitHub } from './fake-github';

export const COMPOSITE = `name: composite
description: test
inputs:
  title:
    description: a title
runs:
  using: composite
  steps:
    - uses: other/tool@v1
    - run: echo "\${{ inputs.title }}"
      shell: bash
`;

/** Adds `acme/composite` at commit `composite` and `other/tool` at commit `tool`, each tagged `v1`. */
export function withCompositeChain(gh: FakeGitHub, commits: { composite: string; tool: string }): FakeGitHub {
  return gh
    .repo('acme/composite', {
      history: [commits.composite],
      branches: { main: commits.composite },
      tags: { v1: { commit: commits.composite } },
      files: { [commits.composite]: { 'action.yml': COMPOSITE } },
    })
    .repo('other/tool', {
      history: [commits.tool],
      branches: { main: commits.tool },
      tags: { v1: { commit: commits.tool } },
      files: { [commits.tool]: { 'action.yml': 'runs:\n  using: node20\n  main: index.js\n' } },
    });
}
