/** The virtual document URIs of a dependency's file: built and parsed back, and every part checked. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { dependencyUri, parseDependencyUri } from '../../shared/src/dependency-uri';

const COMMIT = '0123456789abcdef0123456789abcdef01234567';

describe('dependency URIs', () => {
  test('an action, an action in a folder and a reusable workflow round-trip', () => {
    for (const path of ['action.yml', 'sub/dir/action.yaml', '.github/workflows/build.yml']) {
      const source = { owner: 'Acme-1', repo: 'my.action_x', commit: COMMIT, path };
      const uri = dependencyUri(source);
      assert.equal(uri, `actions-warden-dependency:/Acme-1/my.action_x/${COMMIT}/${path}`);
      assert.deepEqual(parseDependencyUri(uri as string), source);
    }
  });

  test('a URI that names a host, leaves the repository or is not a dependency file is refused', () => {
    for (const uri of [
      `actions-warden-dependency://evil.example/acme/x/${COMMIT}/action.yml`,
      `actions-warden-dependency:/acme/x/${COMMIT}/../../action.yml`,
      `actions-warden-dependency:/acme/x/${COMMIT}/a%2F..%2Faction.yml`,
      `actions-warden-dependency:/acme/x/${COMMIT}/README.md`,
      `actions-warden-dependency:/acme/x/${COMMIT}/action.yml?x=1`,
      `actions-warden-dependency:/acme/x/main/action.yml`,
      `actions-warden-dependency:/acme/x/${COMMIT.toUpperCase()}/action.yml`,
      `actions-warden-dependency:/ac me/x/${COMMIT}/action.yml`,
      `actions-warden-dependency:/acme/x/${COMMIT}/a\\b/action.yml`,
      `actions-warden-dependency:/acme/x/${COMMIT}/%0a/action.yml`,
      `actions-warden-dependency:/acme/x/${COMMIT}/%E0%A4%A/action.yml`,
      `file:///acme/x/${COMMIT}/action.yml`,
      // Encoded dot segments, separators and a host in the owner: decoded first, then checked.
      `actions-warden-dependency:/acme/x/${COMMIT}/%2e%2e/action.yml`,
      `actions-warden-dependency:/%2E%2E/x/${COMMIT}/action.yml`,
      `actions-warden-dependency:/acme%2Fevil/x/${COMMIT}/action.yml`,
      `actions-warden-dependency:/acme/x/${COMMIT}/a%5Cb/action.yml`,
      `actions-warden-dependency:/acme/x/${COMMIT}/%2Fetc/action.yml`,
      `actions-warden-dependency:/acme@evil.example/x/${COMMIT}/action.yml`,
      `actions-warden-dependency:/acme/x/${COMMIT}/action.yml#frag`,
    ]) {
      assert.equal(parseDependencyUri(uri), null, uri);
    }
    assert.equal(dependencyUri({ owner: '..', repo: 'x', commit: COMMIT, path: 'action.yml' }), null);
  });
});
