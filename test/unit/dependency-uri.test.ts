/** The virtual document URIs of a dependency's file: built and parsed back, and every part checked. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { dependencyDocumentUri, dependencyUri, parseDependencyUri } from '../../shared/src/dependency-uri';

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

  test("a dependency's web URL on the configured server maps to its virtual document, same file and commit", () => {
    const cases: [url: string, server: string, expected: string][] = [
      [
        `https://github.com/acme/x/blob/${COMMIT}/action.yml`,
        'https://github.com',
        `actions-warden-dependency:/acme/x/${COMMIT}/action.yml`,
      ],
      [
        `https://github.com/acme/x/blob/${COMMIT}/sub/action.yaml`,
        'https://github.com/',
        `actions-warden-dependency:/acme/x/${COMMIT}/sub/action.yaml`,
      ],
      [
        `https://github.com/Acme-1/my.repo/blob/${COMMIT}/.github/workflows/build.yml`,
        'https://github.com',
        `actions-warden-dependency:/Acme-1/my.repo/${COMMIT}/.github/workflows/build.yml`,
      ],
      // A folder name the walk encoded: decoded, then encoded again in the virtual URI.
      [
        `https://github.com/acme/x/blob/${COMMIT}/my%20dir/action.yml`,
        'https://github.com',
        `actions-warden-dependency:/acme/x/${COMMIT}/my%20dir/action.yml`,
      ],
      // GitHub Enterprise Server under a path prefix, and a loopback test host with a port.
      [
        `https://ghe.example/code/acme/x/blob/${COMMIT}/action.yml`,
        'https://ghe.example/code',
        `actions-warden-dependency:/acme/x/${COMMIT}/action.yml`,
      ],
      [
        `http://127.0.0.1:8080/acme/x/blob/${COMMIT}/action.yml`,
        'http://127.0.0.1:8080',
        `actions-warden-dependency:/acme/x/${COMMIT}/action.yml`,
      ],
    ];
    for (const [url, server, expected] of cases) {
      assert.equal(dependencyDocumentUri(url, server), expected, url);
      assert.ok(parseDependencyUri(expected), expected);
    }
  });

  test('anything else is left unchanged', () => {
    const server = 'https://github.com';
    for (const url of [
      // Another host, a host that only starts like the configured one, another scheme, credentials.
      `https://evil.example/acme/x/blob/${COMMIT}/action.yml`,
      `https://github.com.evil.example/acme/x/blob/${COMMIT}/action.yml`,
      `https://github.comx/acme/x/blob/${COMMIT}/action.yml`,
      `http://github.com/acme/x/blob/${COMMIT}/action.yml`,
      `https://user@github.com/acme/x/blob/${COMMIT}/action.yml`,
      // Not blob/ at a full lower-case commit.
      `https://github.com/acme/x/tree/${COMMIT}/action.yml`,
      `https://github.com/acme/x/blob/main/action.yml`,
      `https://github.com/acme/x/blob/${COMMIT.slice(0, 12)}/action.yml`,
      `https://github.com/acme/x/blob/${COMMIT.toUpperCase()}/action.yml`,
      `https://github.com/acme/x/blob/${COMMIT}`,
      // Not an action or reusable workflow, or leaving the repository, or hiding a `/` in one part.
      `https://github.com/acme/x/blob/${COMMIT}/README.md`,
      `https://github.com/acme/x/blob/${COMMIT}/../../action.yml`,
      `https://github.com/acme/x/blob/${COMMIT}/a/./action.yml`,
      `https://github.com/acme/x/blob/${COMMIT}//action.yml`,
      `https://github.com/acme/x/blob/${COMMIT}/a%2F..%2Faction.yml`,
      `https://github.com/acme%2Fy/x/blob/${COMMIT}/action.yml`,
      `https://github.com/acme/x/blob/${COMMIT}/a%5Cb/action.yml`,
      `https://github.com/acme/x/blob/${COMMIT}/%0a/action.yml`,
      `https://github.com/acme/x/blob/${COMMIT}/%E0%A4%A/action.yml`,
      // A query or a fragment (a line anchor is not kept: the range carries the line).
      `https://github.com/acme/x/blob/${COMMIT}/action.yml?plain=1`,
      `https://github.com/acme/x/blob/${COMMIT}/action.yml#L3`,
      // Files of the scan, and dependency URIs already.
      'file:///repo/.github/workflows/ci.yml',
      '/repo/.github/actions/build/action.yml',
      `actions-warden-dependency:/acme/x/${COMMIT}/action.yml`,
      '',
    ]) {
      assert.equal(dependencyDocumentUri(url, server), url, url);
    }
    // A server URL that is not one: nothing is mapped.
    for (const bad of ['', 'not a url', 'file:///github.com', 'https://user:pw@github.com', 'https://github.com/?x=1']) {
      const url = `https://github.com/acme/x/blob/${COMMIT}/action.yml`;
      assert.equal(dependencyDocumentUri(url, bad), url, bad);
    }
  });
});
