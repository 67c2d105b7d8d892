// The path-editing goldens of ConfigHub's fctl, replayed through the config layer directly (the
// registry paths a function would visit, filled and written): the resulting data must equal the
// golden CONFIGDATA value for value. ConfigHub also reformats the whole text; we keep it as it was.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  fillPathTemplate,
  parseConfig,
  regexpAccessor,
  type ConfigDocumentSet,
  type Scalar,
} from "../../src/config/index.ts";
import {
  generalPathTargets,
  kubernetesPathRegistry as registry,
  registeredPaths,
  type RegisteredPath,
} from "../../functions/path-visitor/index.ts";

const root = new URL("../../../shared/conformance/confighub-fctl/", import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), "utf8");

/** The accessor a registry entry registers for its `#name`, if any. */
function accessorFor(entry: RegisteredPath) {
  return entry.EmbeddedAccessorType === "Regexp" && entry.EmbeddedAccessorConfig
    ? regexpAccessor(entry.EmbeddedAccessorConfig)
    : undefined;
}

function goldenData(name: string, input: string): string {
  const golden = read(`golden-output/${name}`);
  const marker = "CONFIGDATA\n---------\n";
  const start = golden.indexOf(marker);
  if (start < 0) return input;
  const end = golden.indexOf("\nOUTPUT\n", start);
  return golden.slice(start + marker.length, end < 0 ? undefined : end + 1);
}

/** What a registry setter does: every registered path of the attribute, filled, written. */
function setAttribute(
  set: ConfigDocumentSet,
  attribute: string,
  args: string[],
  value: Scalar,
  upsert = false,
) {
  for (const document of set.documents) {
    for (const info of registeredPaths(registry, attribute, document.identity().type)) {
      const accessor = accessorFor(info);
      document.set(fillPathTemplate(info.Path, args), value, { upsert, ...(accessor ? { accessor } : {}) });
    }
  }
}

/** What a generic path setter does: the user path, looked up in the General registry. */
function setPath(set: ConfigDocumentSet, type: string, path: string, value: Scalar) {
  for (const document of set.documents.filter((d) => d.identity().type === type)) {
    const [match] = generalPathTargets(registry, type, path)(document.identity());
    const accessor = match ? accessorFor(match.entry) : undefined;
    const targets = match
      ? document.resolve(match.path, match.constraint === undefined ? {} : { constraint: match.constraint })
      : document.resolve(path);
    for (const target of targets) document.set(target, value, accessor ? { accessor } : {});
  }
}

const deployment = "apps/v1/Deployment";
const containers = "spec.template.spec.containers";

describe.each<[string, string, (set: ConfigDocumentSet) => void]>([
  [
    "set-bool-path-upsert-wildcard.txt",
    "deployment.yaml",
    (s) => s.documents[0]!.set(`${containers}.*.securityContext.runAsNonRoot`, true, { upsert: true }),
  ],
  [
    "set-bool-path-upsert-assoc.txt",
    "deployment.yaml",
    (s) =>
      s.documents[0]!.set(`${containers}.?name=nginx.securityContext.runAsNonRoot`, true, { upsert: true }),
  ],
  [
    "set-bool-path-upsert-existence.txt",
    "deployment.yaml",
    (s) => s.documents[0]!.set(`${containers}.0.securityContext.|runAsNonRoot`, true, { upsert: true }),
  ],
  [
    "set-annotation-upsert.txt",
    "deployment.yaml",
    (s) => setAttribute(s, "annotation-value", ["confighub.com/upsert-test"], "new-value", true),
  ],
  ["set-label.txt", "deployment.yaml", (s) => setAttribute(s, "label-value", ["app"], "nginx", true)],
  [
    "set-path-comment.txt",
    "deployment.yaml",
    (s) => s.documents[0]!.setLineComment("spec.replicas", "TODO: autoscale"),
  ],
  [
    "set-image.txt",
    "deployment.yaml",
    (s) => setAttribute(s, "container-image", ["nginx"], "mynginx:stable"),
  ],
  [
    "set-image-uri.txt",
    "deployment.yaml",
    (s) => setAttribute(s, "container-repository-uri", ["nginx"], "example.myreg.com/nginx"),
  ],
  [
    "set-image-reference.txt",
    "deployment.yaml",
    (s) => setAttribute(s, "container-image-reference", ["nginx"], ":v17.5.2"),
  ],
  [
    "set-env-var.txt",
    "deployment-with-env.yaml",
    (s) => setAttribute(s, "env-value", ["nginx", "SUCCESS"], "true"),
  ],
  ["set-replicas.txt", "deployment.yaml", (s) => setAttribute(s, "replicas", [], 5)],
  ["set-hostname.txt", "cubby-frontend.yaml", (s) => setAttribute(s, "hostname", [], "prod.chat.cubby.bz")],
  ["set-subdomain.txt", "cubby-frontend.yaml", (s) => setAttribute(s, "subdomain", [], "chat")],
  ["set-domain.txt", "cubby-frontend.yaml", (s) => setAttribute(s, "domain", [], "cubby.bz")],
  [
    "set-string-path.txt",
    "deployment.yaml",
    (s) => setPath(s, deployment, "spec.template.spec.dnsPolicy", "None"),
  ],
  [
    "set-string-path2.txt",
    "deployment.yaml",
    (s) => setPath(s, deployment, `${containers}.0.image#uri`, "example.myreg.com/nginx"),
  ],
  ["set-int-path.txt", "deployment.yaml", (s) => setPath(s, deployment, "spec.replicas", 5)],
  ["set-bool-path.txt", "deployment.yaml", (s) => setPath(s, deployment, "spec.paused", true)],
])("golden %s", (golden, input, change) => {
  it("gives the golden data and keeps untouched lines as they were", () => {
    const text = read(`test-data/${input}`);
    const set = parseConfig(text);
    change(set);
    const expected = parseConfig(goldenData(golden, text));
    expect(set.documents.map((d) => d.toJS())).toEqual(expected.documents.map((d) => d.toJS()));
    const output = set.toString();
    const changed = output.split("\n").filter((line) => !text.split("\n").includes(line));
    expect(changed.length).toBeLessThanOrEqual(6);
  });
});
