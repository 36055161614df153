import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { unpinnedImages } from '../../../server/src/rules/unpinned-images';
import { yaml } from '../../support/analysis';
import { run, texts } from '../../support/catalogue-rules';

const D = 'sha256:' + 'a'.repeat(64);

describe('unpinned-images', () => {
  test('latest / no tag are regular, tags pedantic, digests fine', () => {
    const text = yaml`
      on: push
      jobs:
        a:
          runs-on: ubuntu-latest
          container: node
          services:
            db:
              image: postgres:latest
            cache:
              image: redis:7
            ok:
              image: redis:7@${D}
          steps:
            - uses: docker://alpine
            - uses: docker://alpine:3.20@${D}
        b:
          runs-on: ubuntu-latest
          container:
            image: ghcr.io/o/i:1.2
    `;
    const regular = run(unpinnedImages, text, { persona: 'regular' });
    assert.deepEqual(texts(text, regular), ['node', 'postgres:latest', 'docker://alpine']);
    assert.match(regular[0].message, /Job `a` container image `node` has no tag/);
    const all = run(unpinnedImages, text);
    assert.deepEqual(
      texts(
        text,
        all.filter((f) => f.persona === 'pedantic'),
      ),
      ['redis:7', 'ghcr.io/o/i:1.2'],
    );
    assert.ok(all.every((f) => f.severity === 'high'));
  });

  test('matrix values are expanded; opaque expressions are low confidence; empty container is skipped', () => {
    const text = yaml`
      on: push
      jobs:
        a:
          runs-on: ubuntu-latest
          strategy:
            matrix:
              img: ['debian:12', 'ubuntu']
              include:
                - img: 'alpine@${D}'
          container: \${{ matrix.img }}
        b:
          runs-on: ubuntu-latest
          container: \${{ inputs.image }}
        c:
          runs-on: ubuntu-latest
          container: ''
        d:
          runs-on: ubuntu-latest
          container: \${{ matrix.os == 'linux' && 'rust:1' || '' }}
    `;
    const findings = run(unpinnedImages, text);
    assert.equal(findings.length, 4);
    assert.match(findings[0].message, /`debian:12` \(from `\$\{\{ matrix.img \}\}`\)/);
    assert.match(findings[1].message, /`ubuntu` \(from/);
    assert.equal(findings[2].confidence, 'low');
    assert.match(findings[3].message, /rust:1/);
  });

  test('action.yml docker:// image', () => {
    const text = yaml`
      runs:
        using: docker
        image: docker://ghcr.io/o/x:v1
    `;
    assert.deepEqual(texts(text, run(unpinnedImages, text, { path: 'action.yml' })), ['docker://ghcr.io/o/x:v1']);
    const dockerfile = 'runs:\n  using: docker\n  image: Dockerfile\n';
    assert.deepEqual(run(unpinnedImages, dockerfile, { path: 'action.yml' }), []);
  });

  test('matrix rows that are objects: matrix.<row>.<field> is resolved like a flat key', () => {
    const text = yaml`
      on: push
      jobs:
        pinned:
          runs-on: ubuntu-latest
          strategy:
            matrix:
              build:
                - { name: musl, container: 'alpine@${D}' }
                - { name: glibc, container: 'debian:12@${D}' }
          container: \${{ matrix.build.container }}
        mixed:
          runs-on: ubuntu-latest
          strategy:
            matrix:
              build:
                - { container: 'alpine@${D}' }
              include:
                - build: { container: 'ubuntu' }
          container:
            image: \${{ matrix.build.container }}
        without:
          runs-on: ubuntu-latest
          strategy:
            matrix:
              build:
                - { name: no-container }
                - { name: pinned, container: 'alpine@${D}' }
          container: \${{ matrix.build.container }}
        missing:
          runs-on: ubuntu-latest
          strategy:
            matrix:
              build: ['a', 'b']
          container: \${{ matrix.build.container }}
    `;
    const findings = run(unpinnedImages, text);
    assert.equal(findings.length, 2, findings.map((f) => f.message).join('\n'));
    assert.match(findings[0].message, /Job `mixed` container image `ubuntu` \(from `\$\{\{ matrix\.build\.container \}\}`\) has no tag/);
    assert.notEqual(findings[0].confidence, 'low');
    assert.match(findings[1].message, /Job `missing` container image .* is computed from an expression/);
  });
});
