import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyPath, MAX_ANALYSED_LENGTH, ParsedFile } from '../../server/src/parse/document';
import { LineIndex } from '../../server/src/parse/text';
import { walkScalars } from '../../server/src/parse/yaml-nodes';
import { findingsOf, lineOf, offsetOf, parseAs, parseWorkflow, rangeText, spanText, summarize, toCRLF, yaml } from '../support/analysis';

describe('classifyPath', () => {
  test('workflows under .github/workflows at any depth, both extensions, any case of extension', () => {
    for (const path of [
      '.github/workflows/ci.yml',
      '.github/workflows/ci.yaml',
      '/home/me/repo/.github/workflows/release.yml',
      'packages/app/.github/workflows/x.YML',
      'C:\\work\\repo\\.github\\workflows\\ci.yml',
      'file:///repo/.github/workflows/ci.yml',
    ]) {
      assert.equal(classifyPath(path), 'workflow', path);
    }
  });

  test('files in subfolders of .github/workflows, or not YAML, are not workflows', () => {
    assert.equal(classifyPath('.github/workflows/sub/ci.yml'), 'unknown');
    assert.equal(classifyPath('.github/workflows/ci.json'), 'unknown');
    assert.equal(classifyPath('.github/workflows/README.md'), 'unknown');
    assert.equal(classifyPath('workflows/ci.yml'), 'unknown');
  });

  test('action metadata: action.yml and action.yaml anywhere', () => {
    assert.equal(classifyPath('action.yml'), 'action');
    assert.equal(classifyPath('action.yaml'), 'action');
    assert.equal(classifyPath('.github/actions/setup/action.yml'), 'action');
    assert.equal(classifyPath('/abs/path/to/my-action/action.yaml'), 'action');
    assert.equal(classifyPath('subaction.yml'), 'unknown', 'the name must be exactly action.y(a)ml');
    assert.equal(classifyPath('action.yml.bak'), 'unknown');
  });

  test('dependabot: .github/dependabot.yml / .yaml only', () => {
    assert.equal(classifyPath('.github/dependabot.yml'), 'dependabot');
    assert.equal(classifyPath('/repo/.github/dependabot.yaml'), 'dependabot');
    assert.equal(classifyPath('dependabot.yml'), 'unknown');
    assert.equal(classifyPath('.github/workflows/dependabot.yml'), 'workflow');
  });

  test('everything else is unknown', () => {
    for (const path of ['', 'README.md', 'ci.yml', '.github/CODEOWNERS', 'docker-compose.yml', '.gitlab-ci.yml']) {
      assert.equal(classifyPath(path), 'unknown', path);
    }
  });

  test('unknown files are not parsed and produce no findings', () => {
    const file = new ParsedFile('file:///x/notes.yml', 'unknown', 'on: pull_request_target\njobs: {a: {}}\n');
    assert.equal(file.doc, null);
    assert.equal(file.workflow, null);
    assert.deepEqual(file.problems, []);
  });
});

describe('LineIndex', () => {
  test('lines, line starts and line text with LF', () => {
    const index = new LineIndex('a\nbc\n\nd');
    assert.deepEqual(index.lineStarts, [0, 2, 5, 6]);
    assert.equal(index.lineCount, 4);
    assert.deepEqual(
      [0, 1, 2, 3].map((line) => index.lineText(line)),
      ['a', 'bc', '', 'd'],
    );
    assert.equal(index.eol, '\n');
  });

  test('CRLF: the \\r belongs to the line but not to its text, and positions ignore it', () => {
    const text = 'on: push\r\njobs:\r\n  a: 1\r\n';
    const index = new LineIndex(text);
    assert.equal(index.eol, '\r\n');
    assert.equal(index.lineCount, 4);
    assert.equal(index.lineText(0), 'on: push');
    assert.equal(index.lineText(2), '  a: 1');
    assert.equal(index.lineContentEnd(1), text.indexOf('\r', 9));
    const a = text.indexOf('a:');
    assert.deepEqual(index.position(a), { line: 2, character: 2 });
    assert.deepEqual(index.position(text.length), { line: 3, character: 0 });
    // A position past the end of the line's content clamps before the \r\n.
    assert.equal(index.offset({ line: 0, character: 100 }), 'on: push'.length);
  });

  test('emoji and CJK: characters are UTF-16 code units', () => {
    const text = 'name: "🚀 部署"\nx: é🎉y\n';
    const index = new LineIndex(text);
    // '🚀' is two UTF-16 code units, each CJK character one.
    const closing = text.indexOf('"', 7);
    assert.deepEqual(index.position(closing), { line: 0, character: 'name: "'.length + 2 + 1 + 2 });
    const y = text.indexOf('y');
    assert.deepEqual(index.position(y), { line: 1, character: 3 + 1 + 2 });
    assert.equal(index.offset({ line: 1, character: 6 }), y);
  });

  test('offset -> position -> offset round-trips for every offset (except between \\r and \\n)', () => {
    const text = 'a: 🚀\r\n部署: "x"\n\n  - é\r\nlast 🎉';
    const index = new LineIndex(text);
    for (let offset = 0; offset <= text.length; offset++) {
      const position = index.position(offset);
      // The position is independent of the index: check it against the helper's own line arithmetic.
      assert.equal(offsetOf(text, position), offset, `offsetOf at ${offset}`);
      if (text[offset] === '\n' && text[offset - 1] === '\r') {
        // Between \r and \n is not a valid place; it clamps to the end of the line's content.
        assert.equal(index.offset(position), offset - 1);
      } else {
        assert.equal(index.offset(position), offset, `round trip at ${offset}`);
      }
    }
  });

  test('position -> offset -> position round-trips for every valid position', () => {
    const text = '第一行\n🚀🚀 two\r\n\nend';
    const index = new LineIndex(text);
    for (let line = 0; line < index.lineCount; line++) {
      for (let character = 0; character <= index.lineText(line).length; character++) {
        assert.deepEqual(index.position(index.offset({ line, character })), { line, character });
      }
    }
  });

  test('out-of-range positions and offsets clamp', () => {
    const index = new LineIndex('ab\ncd');
    assert.equal(index.offset({ line: -1, character: 0 }), 0);
    assert.equal(index.offset({ line: 9, character: 0 }), 5);
    assert.equal(index.offset({ line: 1, character: -3 }), 3);
    assert.deepEqual(index.position(-5), { line: 0, character: 0 });
    assert.deepEqual(index.position(99), { line: 1, character: 2 });
  });

  test('indentation keeps spaces and tabs', () => {
    const index = new LineIndex('a:\n    b: 1\n\t c\n');
    assert.equal(index.indentation(0), '');
    assert.equal(index.indentation(1), '    ');
    assert.equal(index.indentation(2), '\t ');
  });

  test('empty text has one empty line', () => {
    const index = new LineIndex('');
    assert.equal(index.lineCount, 1);
    assert.equal(index.lineText(0), '');
    assert.deepEqual(index.position(0), { line: 0, character: 0 });
  });
});

describe('workflow views: triggers', () => {
  const names = (text: string) => parseWorkflow(text).workflow!.triggers.map((trigger) => trigger.name);
  const spans = (text: string) => parseWorkflow(text).workflow!.triggers.map((trigger) => spanText(text, trigger.span));

  test('a single string', () => {
    const text = 'on: pull_request_target\njobs: {}\n';
    assert.deepEqual(names(text), ['pull_request_target']);
    assert.deepEqual(spans(text), ['pull_request_target']);
    assert.equal(parseWorkflow(text).workflow!.triggers[0].config, null);
  });

  test('a quoted string and a quoted `on` key', () => {
    const text = '"on": "push"\njobs: {}\n';
    assert.deepEqual(names(text), ['push']);
    assert.deepEqual(spans(text), ['"push"']);
  });

  test('a flow list and a block list', () => {
    assert.deepEqual(names('on: [push, pull_request]\n'), ['push', 'pull_request']);
    const block = yaml`
      on:
        - push
        - workflow_dispatch
    `;
    assert.deepEqual(names(block), ['push', 'workflow_dispatch']);
    assert.deepEqual(spans(block), ['push', 'workflow_dispatch']);
  });

  test('a block mapping with configuration', () => {
    const text = yaml`
      on:
        push:
          branches: [main]
        pull_request_target:
          types: [opened]
        workflow_dispatch:
    `;
    const workflow = parseWorkflow(text).workflow!;
    assert.deepEqual(
      workflow.triggers.map((t) => t.name),
      ['push', 'pull_request_target', 'workflow_dispatch'],
    );
    assert.deepEqual(
      workflow.triggers.map((t) => spanText(text, t.span)),
      ['push', 'pull_request_target', 'workflow_dispatch'],
    );
    assert.equal(workflow.trigger('pull_request_target')!.config!.get('types')!.key, 'types');
    assert.ok(workflow.hasTrigger('workflow_dispatch'));
    assert.ok(!workflow.hasTrigger('schedule'));
  });

  test('a flow mapping, including `on: {push: {}}`', () => {
    assert.deepEqual(names('on: {push: {}}\njobs: {}\n'), ['push']);
    const text = 'on: {push: {branches: [main]}, pull_request_target: }\n';
    assert.deepEqual(names(text), ['push', 'pull_request_target']);
    assert.deepEqual(spans(text), ['push', 'pull_request_target']);
  });

  test('no `on:` or an empty one gives no triggers', () => {
    assert.deepEqual(names('jobs: {}\n'), []);
    assert.deepEqual(names('on:\njobs: {}\n'), []);
  });
});

describe('workflow views: jobs, steps, with/env, reusable calls', () => {
  const text = yaml`
    on: push
    env:
      GLOBAL: 1
    jobs:
      build:
        runs-on: ubuntu-latest
        permissions:
          contents: read
        env:
          JOB_ENV: x
        steps:
          - name: Check out
            uses: actions/checkout@v4
            with:
              persist-credentials: false
              fetch-depth: 0
          - id: script
            run: |
              echo hello
              echo world
            env:
              TOKEN: \${{ secrets.TOKEN }}
          - run: make
      call:
        uses: octo/workflows/.github/workflows/release.yml@v2
        with:
          target: prod
        secrets: inherit
  `;

  test('jobs in order with ids and spans', () => {
    const workflow = parseWorkflow(text).workflow!;
    assert.deepEqual(
      workflow.jobs.map((job) => job.id),
      ['build', 'call'],
    );
    assert.equal(spanText(text, workflow.jobs[0].idSpan), 'build');
    assert.equal(workflow.job('call')!.id, 'call');
    assert.equal(spanText(text, workflow.jobsEntry!.keySpan), 'jobs');
    assert.equal(workflow.env.string('GLOBAL')!.value, '1');
  });

  test('job properties', () => {
    const build = parseWorkflow(text).workflow!.job('build')!;
    assert.equal(build.isReusableWorkflowCall, false);
    assert.equal(spanText(text, build.runsOn!.valueSpan), 'ubuntu-latest');
    assert.ok(build.permissions);
    assert.equal(build.env.string('JOB_ENV')!.value, 'x');
  });

  test('steps: uses, with, run, env and labels', () => {
    const steps = parseWorkflow(text).workflow!.job('build')!.steps;
    assert.equal(steps.length, 3);
    assert.deepEqual(
      steps.map((step) => step.index),
      [0, 1, 2],
    );
    assert.equal(spanText(text, steps[0].uses!.valueSpan), 'actions/checkout@v4');
    assert.equal(steps[0].with.string('persist-credentials')!.value, 'false');
    assert.equal(steps[0].with.string('fetch-depth')!.value, '0');
    assert.deepEqual(
      steps[0].with.entries.map((entry) => entry.key),
      ['persist-credentials', 'fetch-depth'],
    );
    assert.equal(steps[1].id!.value, 'script');
    assert.equal(steps[1].env.string('TOKEN')!.value, '${{ secrets.TOKEN }}');
    assert.equal(steps[1].run!.key, 'run');
    assert.deepEqual(
      steps.map((step) => step.label),
      ['Check out', 'script', 'make'],
    );
  });

  test('a job that calls a reusable workflow', () => {
    const file = parseWorkflow(text);
    const call = file.workflow!.job('call')!;
    assert.equal(call.isReusableWorkflowCall, true);
    assert.equal(call.steps.length, 0);
    assert.equal(call.with.string('target')!.value, 'prod');
    assert.equal(spanText(text, call.secrets!.valueSpan), 'inherit');
    const site = file.uses.find((u) => u.job === call)!;
    assert.equal(site.step, null);
    assert.equal(site.reference.kind, 'remote');
    assert.ok(site.reference.kind === 'remote' && site.reference.isReusableWorkflow);
  });

  test('every uses: is collected with its exact value offset', () => {
    const file = parseWorkflow(text);
    assert.deepEqual(
      file.uses.map((site) => site.value),
      ['actions/checkout@v4', 'octo/workflows/.github/workflows/release.yml@v2'],
    );
    for (const site of file.uses) {
      assert.ok(site.exact);
      assert.equal(text.slice(site.valueStart, site.valueStart + site.value.length), site.value);
    }
  });

  test('quoted uses values start after the quote; escaped ones fall back to the token', () => {
    const quoted = 'jobs:\n  a:\n    steps:\n      - uses: "actions/checkout@v4"\n      - uses: \'a/b@c\'\n      - uses: "a/\\x62@v1"\n';
    const sites = parseWorkflow(quoted).uses;
    assert.equal(sites.length, 3);
    assert.equal(quoted[sites[0].valueStart - 1], '"');
    assert.equal(quoted.slice(sites[0].valueStart, sites[0].valueStart + 19), 'actions/checkout@v4');
    assert.equal(quoted.slice(sites[1].valueStart, sites[1].valueStart + 5), 'a/b@c');
    assert.equal(sites[2].value, 'a/b@v1');
    assert.equal(sites[2].exact, false);
  });

  test('a step that is not a mapping does not throw and has no uses', () => {
    const file = parseWorkflow('on: push\njobs:\n  a:\n    steps:\n      - just text\n      - 42\n      - [x]\n');
    const steps = file.workflow!.jobs[0].steps;
    assert.equal(steps.length, 3);
    assert.equal(steps[0].uses, undefined);
    assert.equal(steps[0].label, 'step 1');
    assert.deepEqual(file.uses, []);
  });
});

describe('action and dependabot views', () => {
  test('composite action steps and their uses', () => {
    const text = yaml`
      name: Setup
      inputs:
        version:
          default: latest
      runs:
        using: composite
        steps:
          - uses: actions/setup-node@v4
            with:
              node-version: 20
          - run: npm ci
            shell: bash
    `;
    const file = parseAs(text, '.github/actions/setup/action.yml');
    assert.equal(file.kind, 'action');
    const action = file.action!;
    assert.equal(action.isComposite, true);
    assert.equal(action.using!.value, 'composite');
    assert.equal(action.steps.length, 2);
    assert.equal(action.steps[0].with.string('node-version')!.value, '20');
    assert.equal(action.steps[1].shell!.value, 'bash');
    assert.ok(action.inputs.has('version'));
    assert.equal(file.uses.length, 1);
    assert.equal(file.uses[0].job, null);
    assert.equal(file.uses[0].step, action.steps[0]);
  });

  test('docker action', () => {
    const file = parseAs('runs:\n  using: docker\n  image: docker://alpine:3\n', 'action.yaml');
    assert.equal(file.action!.isComposite, false);
    assert.equal(file.action!.using!.value, 'docker');
    assert.equal(spanText(file.text, file.action!.image!.valueSpan), 'docker://alpine:3');
    assert.deepEqual(file.action!.steps, []);
  });

  test('dependabot updates', () => {
    const text = yaml`
      version: 2
      updates:
        - package-ecosystem: github-actions
          directory: /
          schedule:
            interval: weekly
          cooldown:
            default-days: 7
        - package-ecosystem: npm
          directory: /web
    `;
    const file = parseAs(text, '.github/dependabot.yml');
    assert.equal(file.kind, 'dependabot');
    const updates = file.dependabot!.updates;
    assert.deepEqual(
      updates.map((u) => u.string('package-ecosystem')!.value),
      ['github-actions', 'npm'],
    );
    assert.equal(updates[0].child('schedule').string('interval')!.value, 'weekly');
    assert.equal(updates[0].child('cooldown').string('default-days')!.value, '7');
    assert.equal(spanText(text, updates[1].string('directory')!.span), '/web');
    assert.deepEqual(file.uses, []);
  });
});

describe('syntax errors and hostile input', () => {
  test('a tab used as indentation is reported at the tab', () => {
    const text = 'on: push\njobs:\n\ta: 1\n';
    const file = parseWorkflow(text);
    assert.ok(file.problems.length > 0);
    const problem = file.problems[0];
    assert.equal(problem.code, 'TAB_AS_INDENT');
    assert.equal(problem.span.start, text.indexOf('\t'));
    const [finding] = findingsOf(text, { ruleId: 'syntax-error' });
    assert.deepEqual(finding.range.start, { line: 2, character: 0 });
    assert.match(finding.message, /^YAML: /);
  });

  test('a duplicate key is reported at the second occurrence', () => {
    const text = 'on: push\njobs: {}\non: pull_request\n';
    const problem = parseWorkflow(text).problems.find((p) => p.code === 'DUPLICATE_KEY')!;
    assert.ok(problem);
    assert.equal(problem.span.start, text.lastIndexOf('on:'));
  });

  test('a compact nested mapping is reported where it starts', () => {
    const text = 'on: push\njobs:\n  a: b: c\n';
    const problem = parseWorkflow(text).problems[0];
    assert.equal(problem.code, 'BLOCK_AS_IMPLICIT_KEY');
    assert.equal(problem.span.start, text.indexOf('b: c'));
  });

  test('a reserved character starting a value is reported on it', () => {
    const text = 'on: push\nname: @bad\n';
    const [finding] = findingsOf(text, { ruleId: 'syntax-error' });
    assert.equal(rangeText(text, finding.range), '@');
  });

  test('a top level that is not a mapping is reported over the whole content', () => {
    const text = '- on\n- jobs\n';
    const file = parseWorkflow(text);
    assert.deepEqual(
      file.problems.map((p) => p.code),
      ['not-a-mapping'],
    );
    assert.equal(spanText(text, file.problems[0].span), text);
    assert.equal(file.workflow!.jobs.length, 0);
  });

  test('what parsed is still viewed when there are errors', () => {
    const text = 'on: pull_request_target\njobs:\n  a:\n    steps:\n      - uses: actions/checkout@v4\n    runs-on: [ubuntu\n';
    const file = parseWorkflow(text);
    assert.ok(file.problems.length > 0);
    assert.deepEqual(
      file.workflow!.triggers.map((t) => t.name),
      ['pull_request_target'],
    );
    assert.equal(file.uses[0]?.value, 'actions/checkout@v4');
  });

  test('every prefix of a workflow (half-typed input) parses and analyses without throwing', () => {
    const full = yaml`
      name: "CI 🚀"
      on:
        pull_request_target:
          types: [opened]
      permissions: {contents: read}
      jobs:
        build:
          runs-on: ubuntu-latest
          permissions: write-all
          steps:
            - uses: "actions/checkout@v4"
              with: {ref: "\${{ github.event.pull_request.head.sha }}"}
            - run: |
                echo "\${{ github.event.issue.title }}" # warden: ignore[unpinned-uses]
        call:
          uses: o/r/.github/workflows/x.yml@main
    `;
    let problems = 0;
    for (let end = 0; end <= full.length; end++) {
      const prefix = full.slice(0, end);
      const file = parseWorkflow(prefix);
      problems += file.problems.length;
      const findings = findingsOf(prefix);
      for (const finding of findings) {
        assert.ok(
          finding.span.start >= 0 && finding.span.end <= prefix.length && finding.span.start <= finding.span.end,
          `${finding.ruleId} ${JSON.stringify(finding.span)} ${finding.message} at prefix ${end} (${prefix.length})`,
        );
        assert.ok(!finding.ruleId.startsWith('internal-error'), `internal error at prefix ${end}: ${finding.message}`);
      }
    }
    assert.ok(problems > 0, 'some prefixes must be broken YAML');
  });

  test('an alias bomb (billion laughs) parses fast and aliases are never expanded', () => {
    const letters = 'abcdefghi';
    let text = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
    for (let i = 1; i < letters.length; i++) {
      text += `${letters[i]}: &${letters[i]} [${Array(9)
        .fill(`*${letters[i - 1]}`)
        .join(', ')}]\n`;
    }
    text += 'on: *i\njobs:\n  x:\n    runs-on: *i\n    steps: *i\n    env: *i\n';
    const started = performance.now();
    const file = parseWorkflow(text);
    let scalars = 0;
    walkScalars(file.doc!.contents, () => scalars++);
    const findings = findingsOf(text);
    const expressions = file.expressions.length;
    const elapsed = performance.now() - started;
    // 9^9 = 387 million "lol"s if expanded; walking sees each scalar once, where it is written.
    assert.ok(scalars < 200, `walked ${scalars} scalars`);
    assert.equal(expressions, 0);
    assert.ok(elapsed < 2000, `took ${elapsed} ms`);
    // The alias used as a step list is followed one level: 9 items, each an alias to a list (not a mapping).
    assert.equal(file.workflow!.jobs[0].steps.length, 9);
    assert.ok(findings.every((f) => f.ruleId !== 'internal-error'));
  });

  test('10k-deep flow nesting `[[[[...` does not throw and is reported', () => {
    const text = `on: push\njobs: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`;
    let file: ParsedFile | undefined;
    assert.doesNotThrow(() => {
      file = parseWorkflow(text);
    });
    assert.ok(file!.problems.length > 0, 'the parser gives up and says so');
    assert.doesNotThrow(() => findingsOf(text));
    const unclosed = `on: ${'['.repeat(10_000)}\n`;
    assert.doesNotThrow(() => findingsOf(unclosed));
    assert.ok(findingsOf(unclosed).some((f) => f.ruleId === 'syntax-error'));
  });

  test('deeply nested block mappings are bounded too', () => {
    let text = 'on: push\njobs:\n';
    for (let depth = 1; depth < 1500; depth++) text += `${' '.repeat(depth)}k${depth}:\n`;
    assert.doesNotThrow(() => {
      const file = parseWorkflow(text);
      void file.expressions;
      findingsOf(text);
    });
  });

  test('binary junk with NUL bytes', () => {
    const junk = 'on: push\n\u0000\u0001\u0002\ufffe\u007f\u00ff jobs:\n\u0000\ud800';
    assert.doesNotThrow(() => findingsOf(junk));
    assert.ok(parseWorkflow(junk).problems.length > 0);
    let bytes = '';
    for (let i = 0; i < 4096; i++) bytes += String.fromCharCode((i * 7919) % 256);
    const findings = findingsOf(bytes);
    assert.ok(
      findings.every((f) => f.ruleId !== 'internal-error'),
      findings.map((f) => f.message).join('; '),
    );
    assert.ok(findings.every((f) => f.span.start >= 0 && f.span.end <= bytes.length));
  });

  test('a file over 4 MiB is not parsed and gets `file-too-large`', () => {
    const text = `on: pull_request_target\njobs:\n  a:\n    steps:\n      - uses: a/b@v1\n${'#'.repeat(MAX_ANALYSED_LENGTH)}\n`;
    const file = parseWorkflow(text);
    assert.equal(file.doc, null);
    assert.deepEqual(
      file.problems.map((p) => p.code),
      ['file-too-large'],
    );
    assert.equal(spanText(text, file.problems[0].span), 'on: pull_request_target');
    const findings = findingsOf(text);
    assert.deepEqual(
      findings.map((f) => f.ruleId),
      ['syntax-error'],
    );
    assert.match(findings[0].message, /MiB are not analysed/);
    // Exactly at the limit is still analysed.
    const atLimit = `on: pull_request_target\n${'#'.repeat(MAX_ANALYSED_LENGTH - 24)}`;
    assert.equal(atLimit.length, MAX_ANALYSED_LENGTH);
    assert.deepEqual(parseWorkflow(atLimit).problems, []);
  });
});

describe('CRLF', () => {
  const lf = yaml`
    # CI
    on:
      pull_request_target:
    permissions: write-all
    jobs:
      build:
        runs-on: ubuntu-latest
        permissions: read-all
        steps:
          - uses: actions/checkout@v4 # checkout
          - run: |
              echo one
              echo two
          - uses: 'docker/login-action@main'
      test:
        steps:
          - uses: a/b/c@abc1234
  `;
  const crlf = toCRLF(lf);

  test('a CRLF workflow gives the same findings, by rule and position, as the LF one', () => {
    const a = findingsOf(lf);
    const b = findingsOf(crlf);
    assert.ok(a.length >= 5, summarize(a).join(', '));
    assert.deepEqual(summarize(b), summarize(a));
    assert.deepEqual(
      b.map((f) => rangeText(crlf, f.range)),
      a.map((f) => rangeText(lf, f.range)),
    );
    assert.ok(b.every((f) => !rangeText(crlf, f.range).includes('\r')));
    assert.deepEqual(
      b.map((f) => f.message),
      a.map((f) => f.message),
    );
  });

  test('block scalar values do not keep the \\r', () => {
    const file = parseWorkflow(crlf);
    const run = file.workflow!.job('build')!.steps[1].run!;
    assert.equal((run.value as { value: string }).value, 'echo one\necho two\n');
    assert.equal(lineOf(crlf, 'echo two'), lineOf(lf, 'echo two'));
  });
});
