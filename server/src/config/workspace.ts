/**
 * Configuration in the language server: each document gets the configuration of its repository, found
 * by walking up from the document's folder to its workspace folder or repository root. A configuration
 * file open in the editor is read from the editor (unsaved edits count); one on disk is read once and
 * kept until `invalidate()` (called when a watched configuration file changes or an open one is edited).
 * The file's policy wins over the editor settings. Nothing here throws: an unreadable or broken file
 * is a configuration with problems, shown as diagnostics in that file.
 */
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AnalysisOptions } from '../analysis-options';
import type { Finding } from '../findings';
import { configFindings, optionsWithConfig } from './apply';
import { parseConfig, type WardenConfig } from './config-file';
import { configFormatOf, findConfig, loadConfig, relativeTo, type FoundConfig } from './find-config';

/** The file-system path of a `file:` URI, or null for other schemes (untitled, virtual workspaces). */
export function uriToPath(uri: string): string | null {
  try {
    return uri.startsWith('file:') ? fileURLToPath(uri) : null;
  } catch {
    return null;
  }
}

export class WorkspaceConfigs {
  private workspaceFolders: string[] = [];
  /** Folder of a document → the configuration file found for it (null: none). */
  private readonly found = new Map<string, FoundConfig | null>();
  private readonly loaded = new Map<string, WardenConfig>();
  /** Configuration files open in the editor: path → text. */
  private readonly openTexts = new Map<string, string>();

  setWorkspaceFolders(uris: readonly string[]): void {
    this.workspaceFolders = uris.map(uriToPath).filter((path): path is string => path !== null);
    this.invalidate();
  }

  /** Forgets what was found and read. */
  invalidate(): void {
    this.found.clear();
    this.loaded.clear();
  }

  /** True when the URI names a configuration file (ours or zizmor's). */
  static isConfigUri(uri: string): boolean {
    const path = uriToPath(uri) ?? uri;
    return configFormatOf(path) !== null;
  }

  /** Records the editor's text of an open configuration file (undefined when it is closed). */
  setOpenText(uri: string, text: string | undefined): void {
    const path = uriToPath(uri);
    if (!path) return;
    if (text === undefined) this.openTexts.delete(path);
    else this.openTexts.set(path, text);
    this.loaded.delete(path);
  }

  /** The configuration that applies to the document at `uri`, with the folder its ignore paths are relative to. */
  configFor(uri: string): { config: WardenConfig; root: string; path: string } | null {
    const path = uriToPath(uri);
    if (!path) return null;
    const folder = dirname(path);
    let found = this.found.get(folder);
    if (found === undefined) {
      const stopAt = this.workspaceFolders
        .filter((root) => folder === root || folder.startsWith(root.endsWith('/') ? root : `${root}/`))
        .sort((a, b) => b.length - a.length)[0];
      found = findConfig(folder, stopAt);
      this.found.set(folder, found);
    }
    if (!found) return null;
    return { config: this.load(found.path, found.format, found.outside), root: found.root, path };
  }

  private load(path: string, format: FoundConfig['format'], outside = false): WardenConfig {
    let config = this.loaded.get(path);
    if (!config) {
      const open = this.openTexts.get(path);
      config = open !== undefined ? parseConfig(open, path, format) : loadConfig(path, format, outside);
      this.loaded.set(path, config);
    }
    return config;
  }

  optionsFor(uri: string, base: AnalysisOptions): AnalysisOptions {
    const found = this.configFor(uri);
    if (!found) return base;
    return optionsWithConfig(base, found.config, relativeTo(found.root, found.path));
  }

  /** The problems of a configuration file open in the editor, as findings in it. */
  otherFindings(document: { uri: string; getText(): string }): Finding[] | undefined {
    const path = uriToPath(document.uri) ?? document.uri;
    const format = configFormatOf(path);
    if (!format) return undefined;
    return configFindings(parseConfig(document.getText(), path, format));
  }
}
