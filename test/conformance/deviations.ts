// Reviewed, intentional differences between our output and a ConfigHub golden, one per golden file.
// Each names its design §9 item and says how the output we intend differs; docs/deviations.md is the
// human-readable list. The conformance test compares our output with the *intended* output and also
// checks that the raw golden really differs, so an entry that is no longer needed fails the test.
//
// One rule applies to every case and is not listed per golden (design §9, "reformatting of untouched
// data and the no-op function appearing in Mutators"): when a golden prints CONFIGDATA whose data and
// comments equal the input's (fctl re-serialised unchanged data), we leave the bytes untouched and
// print no CONFIGDATA.
import { yamlData } from "./compare.ts";

export interface Deviation {
  /** The golden file this applies to. */
  golden: string;
  /** The design §9 item, quoted. */
  designItem: string;
  /** What differs, and why ours is what we want. */
  explanation: string;
  /** Maps both the golden's and our OUTPUT (as data) onto what must be equal. */
  normalizeOutput: (output: unknown) => unknown;
}

/** ResourceBody strings compared as YAML data: ours are each document's own, unreformatted text. */
function resourceBodiesAsData(output: unknown): unknown {
  if (!Array.isArray(output)) return output;
  return output.map((resource: Record<string, unknown>) =>
    typeof resource.ResourceBody === "string"
      ? { ...resource, ResourceBody: yamlData(resource.ResourceBody) }
      : resource,
  );
}

export const deviations: readonly Deviation[] = [
  {
    golden: "get-resources.txt",
    designItem: "reformatting of untouched data",
    explanation:
      "ResourceBody is the document's own text, byte for byte (comments, quoting and sequence indentation " +
      "kept), where ConfigHub re-serialises it (block sequences moved under their key). Same data.",
    normalizeOutput: resourceBodiesAsData,
  },
];

export function deviationFor(golden: string): Deviation | undefined {
  return deviations.find((d) => d.golden === golden);
}
