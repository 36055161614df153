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
  resolveAlias,
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
  declare private readonly byKey: Map<string, Entry>;
  declare private children: Map<string, MapView> | undefined;

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
  /** For a `- parallel: [...]` step: the steps of its group, in order (they follow it in the job's step list). */
  declare parallelSteps: readonly StepView[];

  constructor(
    map: YAMLMap | null,
    doc: YamlDocument | null,
    /**
     * Position in the job's (or composite action's) flattened step list: the items of `steps:` in document
     * order, each `- parallel:` step followed by the steps of its group. Order comparisons and slices of
     * `steps` use it.
     */
    readonly index: number,
    /** The sequence item node (may be a non-mapping when the file is malformed). */
    readonly node: YamlNode,
    /** Position of this item in its own sequence: `steps:`, or the `parallel:` list of its group. */
    readonly listIndex: number = index,
    /** The `- parallel:` step whose group this step belongs to; null for an item of `steps:` itself. */
    readonly parallel: StepView | null = null,
  ) {
    super(map, doc);
    this.parallelSteps = NO_STEPS;
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

  /** Where a person finds the step: `3` for the third item of `steps:`, `3.2` for the second step of the group there. */
  get position(): string {
    return this.parallel ? `${this.parallel.listIndex + 1}.${this.listIndex + 1}` : `${this.listIndex + 1}`;
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
    if (this.parallelSteps.length > 0) return `parallel group at step ${this.position}`;
    return `step ${this.position}`;
  }

  get nodeSpan(): Span | null {
    return nodeSpan(this.node);
  }
}

const NO_STEPS: readonly StepView[] = Object.freeze([]) as readonly StepView[];

/** The steps of a job or composite action: flattened, and each item of `steps:` by its position there. */
interface StepLists {
  steps: StepView[];
  /** Indexed by position in `steps:` (a hole where an item is an alias that cannot be followed). */
  items: StepView[];
}

/**
 * Reads `steps:`. A step of the form `- parallel: [...steps]` (GitHub's parallel steps, 2026) is listed
 * followed by the steps of its group, so every rule that walks a job's steps sees those too. GitHub rejects
 * a `parallel:` inside a group, so one level is read: such an inner step is listed, its own group is not.
 */
function stepsOf(view: MapView): StepLists {
  const seq = asSeq(view.get('steps')?.value ?? null);
  const steps: StepView[] = [];
  const items: StepView[] = [];
  if (!seq) return { steps, items };
  const doc = view.doc;
  for (let i = 0; i < seq.items.length; i++) {
    const node = resolveAlias(seq.items[i], doc);
    if (!node) continue;
    const step = new StepView(asMap(node), doc, steps.length, node, i);
    steps.push(step);
    items[i] = step;
    const group = asSeq(step.get('parallel')?.value ?? null);
    if (!group) continue;
    const members: StepView[] = [];
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

/**
 * The step a key path (as in `ExpressionSite.path`) leads into, given the path's position of the item of
 * `steps:`; `keysAt` is where the step's own keys start in the path (`run`, `with`, ...).
 */
function stepAtPath(items: readonly StepView[], path: readonly (string | number)[], at: number): { step: StepView; keysAt: number } | null {
  const position = path[at];
  if (typeof position !== 'number') return null;
  const step = items[position];
  if (!step) return null;
  const inner = path[at + 2];
  if (path[at + 1] === 'parallel' && typeof inner === 'number' && step.parallelSteps.length > 0) {
    const member = step.parallelSteps.find((candidate) => candidate.listIndex === inner);
    return member ? { step: member, keysAt: at + 3 } : null;
  }
  return { step, keysAt: at + 1 };
}

/**
 * Where a step's own keys start in a key path of a workflow (`jobs.<id>.steps.<n>...`) or action
 * (`runs.steps.<n>...`), counting a step inside a `parallel:` group (`...steps.<n>.parallel.<m>...`); -1 when
 * the path does not lead into a step. Read from the path alone, so rules can skip sites cheaply.
 */
export function stepKeysStart(path: readonly (string | number)[], kind: 'workflow' | 'action'): number {
  const at =
    kind === 'workflow' ? (path[0] === 'jobs' && path[2] === 'steps' ? 3 : -1) : path[0] === 'runs' && path[1] === 'steps' ? 2 : -1;
  if (at === -1 || typeof path[at] !== 'number') return -1;
  return path[at + 1] === 'parallel' && typeof path[at + 2] === 'number' ? at + 3 : at + 1;
}

// ---------------------------------------------------------------------------------------------------
// Workflows

export class JobView extends MapView {
  /** Every step, flattened in document order (the steps of a `parallel:` group follow their group's step). */
  readonly steps: StepView[];
  declare private readonly stepItems: StepView[];
  /** Where per-job caches keep their entries (AttachedCache with `attachmentsOf`): the view's shape never changes. */
  declare readonly attachments: object;

  constructor(
    /** The `<job-id>: ...` entry under `jobs:`. */
    readonly entry: Entry,
    doc: YamlDocument | null,
  ) {
    super(asMap(entry.value), doc);
    const lists = stepsOf(this);
    this.steps = lists.steps;
    this.stepItems = lists.items;
    this.attachments = {};
  }

  /** The step a key path `jobs.<id>.steps.<n>[.parallel.<m>]...` leads into, and where its keys start in the path. */
  stepAt(path: readonly (string | number)[]): { step: StepView; keysAt: number } | null {
    return path[2] === 'steps' ? stepAtPath(this.stepItems, path, 3) : null;
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
  /** Every step of a composite action, flattened as a job's are. */
  readonly steps: StepView[];
  declare private readonly stepItems: StepView[];

  constructor(map: YAMLMap | null, doc: YamlDocument | null) {
    super(map, doc);
    this.runs = this.child('runs');
    const lists = stepsOf(this.runs);
    this.steps = lists.steps;
    this.stepItems = lists.items;
  }

  /** The step a key path `runs.steps.<n>[.parallel.<m>]...` leads into, and where its keys start in the path. */
  stepAt(path: readonly (string | number)[]): { step: StepView; keysAt: number } | null {
    return path[0] === 'runs' && path[1] === 'steps' ? stepAtPath(this.stepItems, path, 2) : null;
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
