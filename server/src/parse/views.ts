/**
 * Typed views over the YAML of workflows, action metadata and Dependabot files. A view never copies
 * values out of the document: it indexes the mapping once and hands out `Entry`s, which keep the spans
 * of their key and value, so every rule can point at the exact token.
 */
import type { YAMLMap } from 'yaml';
import {
  asMap,
  asSeq,
  entrySpan,
  mapEntries,
  nodeSpan,
  scalarText,
  seqItems,
  spannedString,
  type Entry,
  type SpannedString,
  type YamlDocument,
  type YamlNode,
} from './yaml-nodes';
import type { Span } from './text';

/** The entries of a mapping and their index by key, built once per mapping node (views are cheap to re-create). */
interface MapIndex {
  doc: YamlDocument | null;
  entries: Entry[];
  byKey: Map<string, Entry>;
}
const EMPTY_INDEX: MapIndex = { doc: null, entries: [], byKey: new Map() };
/**
 * Where a mapping node keeps its index: a symbol-keyed property on the node itself (a WeakMap insertion per
 * mapping cost more than building the index). An index is used only for the document it was built for, so
 * a node shared by two documents, or copied with its properties, never hands out another document's spans.
 */
export const MAP_INDEX = Symbol('actions-warden.map-index');
type IndexedMap = YAMLMap & { [MAP_INDEX]?: MapIndex };

function indexOf(map: YAMLMap | null, doc: YamlDocument | null): MapIndex {
  if (!map) return EMPTY_INDEX;
  const cached = (map as IndexedMap)[MAP_INDEX];
  if (cached && cached.doc === doc) return cached;
  const entries = mapEntries(map, doc);
  const byKey = new Map<string, Entry>();
  for (const entry of entries) if (!byKey.has(entry.key)) byKey.set(entry.key, entry);
  const index = { doc, entries, byKey };
  (map as IndexedMap)[MAP_INDEX] = index;
  return index;
}

/**
 * A mapping indexed by key (first occurrence wins, as duplicate keys are reported as syntax errors).
 * The index is shared by every view of the same mapping node and child views are memoised, so rules may
 * create views freely; the arrays handed out are shared and must not be mutated.
 */
export class MapView {
  // `declare`d and assigned in the constructor: emitted class fields (ES2022 define semantics) made
  // constructing the many views of a document measurably slower.
  declare readonly map: YAMLMap | null;
  declare readonly doc: YamlDocument | null;
  declare readonly entries: Entry[];
  private declare readonly byKey: Map<string, Entry>;
  private declare children: Map<string, MapView> | undefined;

  constructor(map: YAMLMap | null, doc: YamlDocument | null) {
    this.map = map;
    this.doc = doc;
    const index = indexOf(map, doc);
    this.entries = index.entries;
    this.byKey = index.byKey;
    this.children = undefined;
  }

  get(key: string): Entry | undefined {
    return this.byKey.get(key);
  }

  has(key: string): boolean {
    return this.byKey.has(key);
  }

  /** The string value of a key, with its span; null when absent or not a scalar. */
  string(key: string): SpannedString | null {
    return spannedString(this.get(key)?.value ?? null);
  }

  /** A nested mapping's view; an empty view when absent or not a mapping. */
  child(key: string): MapView {
    let view = this.children?.get(key);
    if (!view) {
      view = new MapView(asMap(this.get(key)?.value ?? null), this.doc);
      (this.children ??= new Map()).set(key, view);
    }
    return view;
  }

  get span(): Span | null {
    return nodeSpan(this.map);
  }
}

// ---------------------------------------------------------------------------------------------------
// Steps (workflow jobs and composite actions)

export class StepView extends MapView {
  constructor(
    map: YAMLMap | null,
    doc: YamlDocument | null,
    /** Position in the `steps:` list. */
    readonly index: number,
    /** The sequence item node (may be a non-mapping when the file is malformed). */
    readonly node: YamlNode,
  ) {
    super(map, doc);
  }

  get uses(): Entry | undefined {
    return this.get('uses');
  }
  get run(): Entry | undefined {
    return this.get('run');
  }
  get with(): MapView {
    return this.child('with');
  }
  get env(): MapView {
    return this.child('env');
  }
  get shell(): SpannedString | null {
    return this.string('shell');
  }
  get if(): Entry | undefined {
    return this.get('if');
  }
  get name(): SpannedString | null {
    return this.string('name');
  }
  get id(): SpannedString | null {
    return this.string('id');
  }

  /** `name`, `id`, the action or the first line of the script: how a person refers to this step. */
  get label(): string {
    const name = this.name?.value ?? this.id?.value;
    if (name) return name;
    const uses = scalarText(this.uses?.value ?? null);
    if (uses) return uses;
    const run = scalarText(this.run?.value ?? null);
    if (run) {
      const first = run.trim().split('\n')[0] ?? '';
      return first.length > 40 ? `${first.slice(0, 40)}…` : first;
    }
    return `step ${this.index + 1}`;
  }

  get nodeSpan(): Span | null {
    return nodeSpan(this.node);
  }
}

function stepsOf(view: MapView): StepView[] {
  const seq = asSeq(view.get('steps')?.value ?? null);
  return seqItems(seq, view.doc).map((node, index) => new StepView(asMap(node), view.doc, index, node));
}

// ---------------------------------------------------------------------------------------------------
// Workflows

export class JobView extends MapView {
  readonly steps: StepView[];
  /** Where per-job caches keep their entries (AttachedCache with `attachmentsOf`): the view's shape never changes. */
  declare readonly attachments: object;

  constructor(
    /** The `<job-id>: ...` entry under `jobs:`. */
    readonly entry: Entry,
    doc: YamlDocument | null,
  ) {
    super(asMap(entry.value), doc);
    this.steps = stepsOf(this);
    this.attachments = {};
  }

  get id(): string {
    return this.entry.key;
  }
  get idSpan(): Span {
    return this.entry.keySpan;
  }
  get permissions(): Entry | undefined {
    return this.get('permissions');
  }
  get environment(): Entry | undefined {
    return this.get('environment');
  }
  get runsOn(): Entry | undefined {
    return this.get('runs-on');
  }
  get container(): Entry | undefined {
    return this.get('container');
  }
  get services(): MapView {
    return this.child('services');
  }
  get strategy(): MapView {
    return this.child('strategy');
  }
  get env(): MapView {
    return this.child('env');
  }
  get if(): Entry | undefined {
    return this.get('if');
  }
  /** `uses:` of a job that calls a reusable workflow. */
  get uses(): Entry | undefined {
    return this.get('uses');
  }
  get with(): MapView {
    return this.child('with');
  }
  get secrets(): Entry | undefined {
    return this.get('secrets');
  }
  get isReusableWorkflowCall(): boolean {
    return this.has('uses');
  }
  override get span(): Span {
    return entrySpan(this.entry);
  }
}

/** One event in `on:`, however `on:` is spelled (string, list or mapping). */
export interface Trigger {
  name: string;
  /** Span of the event's name token. */
  span: Span;
  /** The event's configuration (`types`, `branches`, `inputs`, ...) when `on:` is a mapping. */
  config: MapView | null;
}

export class WorkflowView extends MapView {
  readonly triggers: Trigger[];
  readonly jobs: JobView[];
  /** Where per-workflow caches keep their entries (AttachedCache with `attachmentsOf`). */
  declare readonly attachments: object;

  constructor(map: YAMLMap | null, doc: YamlDocument | null) {
    super(map, doc);
    this.triggers = this.readTriggers();
    this.jobs = this.child('jobs').entries.map((entry) => new JobView(entry, doc));
    this.attachments = {};
  }

  get on(): Entry | undefined {
    return this.get('on');
  }
  get permissions(): Entry | undefined {
    return this.get('permissions');
  }
  get jobsEntry(): Entry | undefined {
    return this.get('jobs');
  }
  get env(): MapView {
    return this.child('env');
  }

  hasTrigger(name: string): boolean {
    return this.triggers.some((trigger) => trigger.name === name);
  }

  trigger(name: string): Trigger | undefined {
    return this.triggers.find((trigger) => trigger.name === name);
  }

  job(id: string): JobView | undefined {
    return this.jobs.find((job) => job.id === id);
  }

  private readTriggers(): Trigger[] {
    const on = this.on;
    if (!on || !on.value) return [];
    const single = spannedString(on.value);
    if (single) return [{ name: single.value, span: single.span, config: null }];
    const seq = asSeq(on.value);
    if (seq) {
      const triggers: Trigger[] = [];
      for (const item of seqItems(seq, this.doc)) {
        const name = spannedString(item);
        if (name) triggers.push({ name: name.value, span: name.span, config: null });
      }
      return triggers;
    }
    return mapEntries(asMap(on.value), this.doc).map((entry) => ({
      name: entry.key,
      span: entry.keySpan,
      config: new MapView(asMap(entry.value), this.doc),
    }));
  }
}

// ---------------------------------------------------------------------------------------------------
// Action metadata (action.yml)

export class ActionView extends MapView {
  readonly runs: MapView;
  readonly steps: StepView[];

  constructor(map: YAMLMap | null, doc: YamlDocument | null) {
    super(map, doc);
    this.runs = this.child('runs');
    this.steps = stepsOf(this.runs);
  }

  /** `composite`, `docker`, `node20`, ... */
  get using(): SpannedString | null {
    return this.runs.string('using');
  }
  get isComposite(): boolean {
    return this.using?.value === 'composite';
  }
  get inputs(): MapView {
    return this.child('inputs');
  }
  /** `runs.image` of a Docker action. */
  get image(): Entry | undefined {
    return this.runs.get('image');
  }
}

// ---------------------------------------------------------------------------------------------------
// Dependabot (.github/dependabot.yml)

export class DependabotView extends MapView {
  readonly updates: MapView[];

  constructor(map: YAMLMap | null, doc: YamlDocument | null) {
    super(map, doc);
    this.updates = seqItems(asSeq(this.get('updates')?.value ?? null), doc).map((node) => new MapView(asMap(node), doc));
  }
}
