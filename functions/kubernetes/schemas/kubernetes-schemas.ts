// The offline Kubernetes schemas `validate` checks resources against: the ajv-compiled validators of
// the Kubernetes OpenAPI definitions that the kubernetes-models package ships, one module per
// `group/version/Kind` (e.g. `kubernetes-models/apps/v1/Deployment`). Nothing is fetched at run
// time; a module is imported the first time its kind is seen and cached for the process.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { closest, distance } from "fastest-levenshtein";

/** Runs one kind's compiled validator with `this` bound to the resource; throws on a violation. */
export type KindValidator = (this: unknown) => void;

/**
 * Keys the Kubernetes schema defines but the compiled validator never reads: kubernetes-models'
 * generator strips properties named `description` and `x-kubernetes-*` from its schemas (it takes
 * them for annotations), so strict checking must not call them unknown where Kubernetes has them.
 */
export type UnreadKnownKey = (parent: readonly (string | number)[], key: string) => boolean;

/** What the catalog knows about an `apiVersion` + `kind`. */
export type SchemaLookup =
  | { readonly status: "found"; readonly validate: KindValidator; readonly unreadKnownKey: UnreadKnownKey }
  /** Not a built-in API group (a custom resource): there is no schema to check it against. */
  | { readonly status: "custom" }
  /** A built-in API group, but the version or the kind does not exist in it. */
  | { readonly status: "unknown"; readonly reason: string };

const PACKAGE = "kubernetes-models";

interface PackageJson {
  readonly version: string;
  readonly exports: Record<string, unknown>;
}

/** A model class as kubernetes-models defines it: static apiVersion/kind, validate() on the prototype. */
interface ModelClass {
  readonly apiVersion?: unknown;
  readonly kind?: unknown;
  readonly prototype: { validate?: unknown };
}

export class KubernetesSchemas {
  /** e.g. `kubernetes-models 4.5.1`, for messages that say which schemas were used. */
  readonly source: string;
  readonly #root: string;
  /** `apps/v1`, `v1`, ... : every group/version the package has a module directory for. */
  readonly #groupVersions: ReadonlySet<string>;
  /** API groups (`apps`, `rbac.authorization.k8s.io`, `` for core). */
  readonly #groups: ReadonlySet<string>;
  readonly #validators = new Map<string, Promise<SchemaLookup>>();

  constructor() {
    const require = createRequire(import.meta.url);
    const manifestPath = require.resolve(`${PACKAGE}/package.json`);
    const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as PackageJson;
    this.#root = dirname(manifestPath);
    this.source = `${PACKAGE} ${manifest.version}`;
    // Export keys look like `./apps/v1` and `./v1`; they are the group/versions the package serves.
    const groupVersions = Object.keys(manifest.exports)
      .filter((key) => /^\.\/(?:[a-z0-9.-]+\/)?v\d+[a-z0-9]*$/.test(key))
      .map((key) => key.slice(2));
    this.#groupVersions = new Set(groupVersions);
    this.#groups = new Set(groupVersions.map((gv) => groupOf(gv)));
  }

  /** The schema of `kind` in `apiVersion` (`group/version`, or `version` for the core group). */
  lookup(apiVersion: string, kind: string): Promise<SchemaLookup> {
    const key = `${apiVersion}/${kind}`;
    let found = this.#validators.get(key);
    if (!found) {
      found = this.#load(apiVersion, kind);
      this.#validators.set(key, found);
    }
    return found;
  }

  async #load(apiVersion: string, kind: string): Promise<SchemaLookup> {
    const group = groupOf(apiVersion);
    if (!this.#groups.has(group)) return { status: "custom" };
    const groupLabel = group === "" ? "the core API group" : `API group ${group}`;
    if (!this.#groupVersions.has(apiVersion)) {
      const versions = [...this.#groupVersions].filter((gv) => groupOf(gv) === group).sort();
      return {
        status: "unknown",
        reason: `apiVersion ${apiVersion} is not a version of ${groupLabel} (known: ${versions.join(", ")})`,
      };
    }
    const file = join(this.#root, apiVersion, `${kind}.mjs`);
    const model =
      /^[A-Z][A-Za-z0-9]*$/.test(kind) && existsSync(file) ? await this.#model(apiVersion, kind) : undefined;
    if (!model) {
      const suggestion = this.#nearestKind(apiVersion, kind);
      return {
        status: "unknown",
        reason: `kind ${kind} does not exist in ${apiVersion}${suggestion ? ` (did you mean ${suggestion}?)` : ""}`,
      };
    }
    const validate = model.prototype.validate as KindValidator;
    return { status: "found", validate, unreadKnownKey: unreadKnownKeys(group, kind) };
  }

  async #model(apiVersion: string, kind: string): Promise<ModelClass | undefined> {
    const module = (await import(`${PACKAGE}/${apiVersion}/${kind}`)) as Record<string, unknown>;
    const model = module[kind] as ModelClass | undefined;
    // Sub-structures (DeploymentSpec, ...) are models too, but only resources carry apiVersion/kind.
    if (!model || model.apiVersion !== apiVersion || model.kind !== kind) return undefined;
    return typeof model.prototype.validate === "function" ? model : undefined;
  }

  #nearestKind(apiVersion: string, kind: string): string | undefined {
    const names = readdirSync(join(this.#root, apiVersion))
      .filter((f) => f.endsWith(".mjs") && f !== "index.mjs")
      .map((f) => f.slice(0, -4));
    if (names.length === 0 || kind === "") return undefined;
    const nearest = closest(kind, names);
    // Only a near miss is a useful suggestion (a typo, a case slip), not any name at all.
    return nearest.toLowerCase() === kind.toLowerCase() || distance(nearest, kind) <= 2 ? nearest : undefined;
  }
}

function unreadKnownKeys(group: string, kind: string): UnreadKnownKey {
  if (group === "apiextensions.k8s.io" && kind === "CustomResourceDefinition") {
    // JSONSchemaProps, ExternalDocumentation and printer columns: all through the definition.
    return (_parent, key) => key === "description" || key.startsWith("x-kubernetes-");
  }
  if (group === "scheduling.k8s.io" && kind === "PriorityClass") {
    return (parent, key) => parent.length === 0 && key === "description";
  }
  return () => false;
}

function groupOf(apiVersion: string): string {
  const slash = apiVersion.lastIndexOf("/");
  return slash < 0 ? "" : apiVersion.slice(0, slash);
}

let shared: KubernetesSchemas | undefined;

/** The process-wide catalog (its module cache is what makes repeated validation cheap). */
export function kubernetesSchemas(): KubernetesSchemas {
  shared ??= new KubernetesSchemas();
  return shared;
}
