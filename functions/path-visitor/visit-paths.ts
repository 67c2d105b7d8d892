// The path visitor (spec §1.2-§1.4, §5.3): for every resource, resolve the paths that apply to its type
// and hand each concrete location, with its bindings, metadata and current node, to a getter or setter.
import type {
  ConfigDocument,
  ConfigDocumentSet,
  EmbeddedAccessor,
  NodeRef,
  ResolvedPath,
  ResourceIdentity,
} from "../../src/config/index.ts";
import { builtinAccessor, ConfigErrorCode, isConfigError, regexpAccessor } from "../../src/config/index.ts";
import { FunctionError } from "../../src/engine/index.ts";
import type { AttributeDetails } from "../../src/engine/index.ts";
import { detailsWithBindings } from "./invocation-details.ts";
import type { RegisteredPath } from "./registered-path.ts";

/** One path to visit in a resource: what to resolve and the registry entry that describes it. */
export interface PathTarget {
  /** AttributeName, DataType, Info and accessor of what the path holds. */
  readonly entry: RegisteredPath;
  /** The path expression to resolve (`%s` holes already filled); may end with `#accessor`. */
  readonly path: string;
  /** A concrete path laid over `path` position by position (General-registry lookups, §1.4). */
  readonly constraint?: string;
  /** Upsert mode for this path: the plain tail after the last pattern may be missing (§1.2). */
  readonly upsert?: boolean;
}

/** One concrete location found by the visitor. */
export interface PathVisit {
  readonly document: ConfigDocument;
  readonly identity: ResourceIdentity;
  readonly entry: RegisteredPath;
  /** The concrete location, without any `#accessor`. */
  readonly resolved: ResolvedPath;
  /** `#name` of the path, read and written through `accessor`; undefined for a whole value. */
  readonly accessorName: string | undefined;
  readonly accessor: EmbeddedAccessor | undefined;
  /** The entry's Info with the bindings of this location appended to its invocations. */
  readonly info: AttributeDetails | undefined;
  /** The current node; undefined when the location does not exist yet (upsert mode only). */
  readonly node: NodeRef | undefined;
}

/** Chooses the paths to visit in a resource of a given identity (usually from a path registry). */
export type PathTargets = (identity: ResourceIdentity) => readonly PathTarget[];

// Errors that mean "this location is not there" while reading: ConfigHub skips such paths silently.
const absentCodes: ReadonlySet<string> = new Set([
  ConfigErrorCode.OutOfBounds,
  ConfigErrorCode.InvalidArrayIndex,
  ConfigErrorCode.UnexpectedNodeKind,
]);

// A registered accessor wins; otherwise `#name` must be one of the built-in accessors (#uri,
// #reference, #subdomain, #domain). ConfigHub ignored an unregistered `#name` and used the whole
// value, which silently turned `data.image#uri` into a write of the whole string (docs/deviations.md).
function accessorOf(
  entry: RegisteredPath,
  name: string | undefined,
  path: string,
): EmbeddedAccessor | undefined {
  if (name === undefined) return undefined;
  if (entry.EmbeddedAccessorType === "Regexp" && entry.EmbeddedAccessorConfig) {
    return regexpAccessor(entry.EmbeddedAccessorConfig);
  }
  return builtinAccessor(name, path);
}

function currentNode(document: ConfigDocument, resolved: ResolvedPath): NodeRef | undefined {
  try {
    return document.get(resolved);
  } catch (error) {
    if (isConfigError(error) && absentCodes.has(error.code)) return undefined;
    throw error;
  }
}

/**
 * Identities of all documents, or one FunctionError naming every document whose type or name is
 * missing (each message says which document and line).
 */
export function identifyAll(data: ConfigDocumentSet): ResourceIdentity[] {
  const identities: ResourceIdentity[] = [];
  const problems: string[] = [];
  data.documents.forEach((document, index) => {
    try {
      identities.push(document.identity());
    } catch (error) {
      if (!isConfigError(error, ConfigErrorCode.Identity)) throw error;
      problems.push(`error in resource/element ${index}: ${error.message}`);
    }
  });
  if (problems.length > 0) throw FunctionError.join(problems);
  return identities;
}

/**
 * Visits, in document order, every location the targets of each resource resolve to.
 * In getter mode (`upsert` false) only existing locations are visited; in upsert mode, locations that
 * upsert resolution creates are visited too, with `node` undefined. A path with an accessor never
 * upserts (spec §1.3).
 * @throws FunctionError when a document has no type or name; ConfigError for a malformed path or an
 *   unknown `#accessor`.
 */
export function visitPaths(data: ConfigDocumentSet, targets: PathTargets): PathVisit[] {
  const identities = identifyAll(data);
  const visits: PathVisit[] = [];
  data.documents.forEach((document, index) => {
    const identity = identities[index]!;
    for (const target of targets(identity)) {
      const found = document.resolve(target.path, {
        upsert: target.upsert === true,
        ...(target.constraint === undefined ? {} : { constraint: target.constraint }),
      });
      for (const located of found) {
        const accessor = accessorOf(target.entry, located.accessor, target.path);
        const resolved: ResolvedPath = {
          path: located.path,
          segments: located.segments,
          bindings: located.bindings,
        };
        const node = currentNode(document, resolved);
        // Without upsert (and always with an accessor), only what exists is visited.
        if (node === undefined && (target.upsert !== true || accessor)) continue;
        visits.push({
          document,
          identity,
          entry: target.entry,
          resolved,
          accessorName: accessor ? located.accessor : undefined,
          accessor,
          info: detailsWithBindings(target.entry.Info, located.bindings),
          node,
        });
      }
    }
  });
  return visits;
}
