/**
 * Online analysis for tests: a fake GitHub (see fake-github.ts) started for the test file, a resolution snapshot
 * collected from it and attached to a parsed file, then the engine run over that file.
 */
import { after, before } from 'node:test';
import { analyze } from '../../server/src/engine';
import type { ParsedFile } from '../../server/src/parse/document';
import { GitHubResolver } from '../../server/src/resolve/resolver';
import { attachSnapshot, collectSnapshot } from '../../server/src/resolve/snapshot';
import type { Finding } from '../../server/src/findings';
import { analysisOptions, type FindingsOptions } from './analysis';
import { standardFakeGitHub, type FakeGitHub } from './fake-github';

export interface OnlineAnalysis {
  /** The running fake GitHub (available inside tests, after the file's `before` hook). */
  readonly gh: () => FakeGitHub;
  /** Collects a snapshot for `file` from the fake GitHub, attaches it and returns the engine's findings. */
  readonly online: (file: ParsedFile, options?: FindingsOptions) => Promise<Finding[]>;
}

/** Starts the standard fake GitHub before the test file's tests and stops it after them. */
export function onlineAnalysis(): OnlineAnalysis {
  let gh: FakeGitHub | undefined;
  before(async () => {
    gh = await standardFakeGitHub().start();
  });
  after(async () => {
    await gh?.stop();
  });
  const running = (): FakeGitHub => {
    if (!gh) throw new Error('the fake GitHub is not running (call onlineAnalysis() at the top level of the test file)');
    return gh;
  };
  return {
    gh: running,
    online: async (file, options = {}) => {
      const server = running();
      const resolver = new GitHubResolver({ serverUrl: server.serverUrl, apiUrl: server.apiUrl, timeoutMs: 1500 });
      attachSnapshot(file, await collectSnapshot([file], resolver, { serverUrl: server.serverUrl }));
      const findings = analyze(file, analysisOptions(options));
      return options.ruleId ? findings.filter((finding) => finding.ruleId === options.ruleId) : findings;
    },
  };
}

/** A workflow whose single step uses `uses` (followed by `extra` on the same line). */
export const workflowUsing = (uses: string, extra = ''): string =>
  `on: push\npermissions: {}\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: ${uses}${extra}\n`;
