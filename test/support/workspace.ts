/**
 * A small multi-file repository for the cross-file tests: each file parsed as its path's kind under
 * `file:///repo/`, one workspace view holding all of them (as the CLI builds it), and the engine run over
 * one of them with that view.
 */
import { analyze } from '../../server/src/engine';
import type { Finding } from '../../server/src/findings';
import type { ParsedFile } from '../../server/src/parse/document';
import { available, type WorkspaceView } from '../../server/src/views';
import { analysisOptions, parseAs, type FindingsOptions } from './analysis';

export interface TestWorkspace {
  view: WorkspaceView;
  file(path: string): ParsedFile;
  /** The findings of the engine on `path` with the workspace view (of `ruleId` only when given). */
  findings(path: string, ruleId?: string, options?: FindingsOptions): Finding[];
}

export function workspaceOf(texts: Record<string, string>, options: { excludeAnalysed?: boolean } = {}): TestWorkspace {
  const files = new Map<string, ParsedFile>();
  for (const [path, text] of Object.entries(texts)) files.set(path, parseAs(text, path));
  const view: WorkspaceView = { root: 'file:///repo', files };
  const file = (path: string) => {
    const found = files.get(path);
    if (!found) throw new Error(`no file ${path} in the test workspace`);
    return found;
  };
  return {
    view,
    file,
    findings(path, ruleId, findingsOptions = {}) {
      // The language server's view leaves the analysed file out: both shapes must give the same answers.
      const workspace = options.excludeAnalysed
        ? { root: view.root, files: new Map([...files].filter(([other]) => other !== path)) }
        : view;
      const all = analyze(file(path), { ...analysisOptions(findingsOptions), views: { workspace: available(workspace) } });
      return ruleId ? all.filter((finding) => finding.ruleId === ruleId) : all;
    },
  };
}
