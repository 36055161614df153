/**
 * Shape checks of request params, so that a request whose params are null or malformed gets a JSON-RPC
 * InvalidParams error (-32602) instead of failing somewhere inside a handler. Only what the handlers read
 * is checked; extra properties are allowed.
 */
import type {
  CodeActionParams,
  CodeLensParams,
  CompletionParams,
  DocumentDiagnosticParams,
  DocumentLinkParams,
  ExecuteCommandParams,
  HoverParams,
  InlayHintParams,
  Position,
  Range,
} from 'vscode-languageserver';

type Checked = Record<string, unknown>;

const isObject = (value: unknown): value is Checked => typeof value === 'object' && value !== null && !Array.isArray(value);
const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 0;

export function isPosition(value: unknown): value is Position {
  return isObject(value) && isCount(value.line) && isCount(value.character);
}

export function isRange(value: unknown): value is Range {
  return isObject(value) && isPosition(value.start) && isPosition(value.end);
}

const hasDocument = (params: Checked) => isObject(params.textDocument) && typeof params.textDocument.uri === 'string';

export function isHoverParams(params: unknown): params is HoverParams {
  return isObject(params) && hasDocument(params) && isPosition(params.position);
}

export function isDocumentDiagnosticParams(params: unknown): params is DocumentDiagnosticParams {
  return isObject(params) && hasDocument(params);
}

export function isDocumentLinkParams(params: unknown): params is DocumentLinkParams {
  return isObject(params) && hasDocument(params);
}

export function isCodeActionParams(params: unknown): params is CodeActionParams {
  if (!isObject(params) || !hasDocument(params) || !isRange(params.range) || !isObject(params.context)) return false;
  const { diagnostics, only } = params.context;
  if (!Array.isArray(diagnostics) || !diagnostics.every((diagnostic) => isObject(diagnostic) && isRange(diagnostic.range))) return false;
  return only === undefined || only === null || (Array.isArray(only) && only.every((kind) => typeof kind === 'string'));
}

export function isExecuteCommandParams(params: unknown): params is ExecuteCommandParams {
  return isObject(params) && typeof params.command === 'string' && (params.arguments === undefined || Array.isArray(params.arguments));
}

export function isCompletionParams(params: unknown): params is CompletionParams {
  return isObject(params) && hasDocument(params) && isPosition(params.position);
}

export function isInlayHintParams(params: unknown): params is InlayHintParams {
  return isObject(params) && hasDocument(params) && isRange(params.range);
}

export function isCodeLensParams(params: unknown): params is CodeLensParams {
  return isObject(params) && hasDocument(params);
}
