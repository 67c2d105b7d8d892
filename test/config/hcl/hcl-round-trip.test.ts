// Every real-world .tf file of the shared corpus decodes to a YAML view and encodes back byte for
// byte when nothing changed, and its view has one document per top-level block.
import { describe, expect, it } from "vitest";
import { defaultParseLimits } from "../../../src/config/index.ts";
import { hclFormat } from "../../../src/config/native/hcl/hcl-format.ts";
import { corpusFiles, edited, viewOf } from "./hcl-support.ts";

const files = corpusFiles();

describe("HCL corpus round trip", () => {
  it("finds the corpus", () => {
    expect(files.length).toBeGreaterThanOrEqual(27);
  });

  it.each(files)("%s: unchanged values give back the same bytes", (_name, text) => {
    expect(edited(text, () => {})).toBe(text);
  });

  it.each(files)("%s: one document per top-level block, each identified", (_name, text) => {
    const documents = viewOf(text);
    const blocks = text.match(
      /^[ \t]*[A-Za-z_][\w-]*(?:[ \t]+(?:"[^"\n]*"|[A-Za-z_][\w-]*|\/\*.*?\*\/))*[ \t]*\{/gm,
    );
    expect(documents.length).toBeLessThanOrEqual(blocks?.length ?? 0);
    expect(documents.length).toBeGreaterThan(0);
    for (const document of documents) {
      const identity = hclFormat.identity.identify(document);
      expect(identity.nameWithoutScope).toBe(identity.name);
      expect(["Resource", "DynamicData", "Invalid"]).toContain(identity.category);
    }
  });

  it("reads the blocks of a real module as ConfigHub does", () => {
    const [, text] = files.find(([name]) => name === "terraform-aws-modules__terraform-aws-vpc/versions.tf")!;
    expect(viewOf(text)).toEqual([
      {
        confighub: { block_category: "Invalid", block_type: "terraform", block_name: "singleton" },
        required_version: ">= 1.0",
        required_providers: [{ aws: { source: "hashicorp/aws", version: ">= 6.28" } }],
        provider_meta: { aws: [{ user_agent: ["github.com/terraform-aws-modules/terraform-aws-vpc"] }] },
      },
    ]);
  });

  it("the view of the vpc module names its resources, data sources and variables", () => {
    const [, text] = files.find(([name]) => name === "terraform-aws-modules__terraform-aws-vpc/main.tf")!;
    const identities = viewOf(text).map((d) => hclFormat.identity.identify(d));
    expect(identities).toContainEqual({
      type: "aws_vpc",
      name: "this",
      nameWithoutScope: "this",
      category: "Resource",
    });
    expect(identities.filter((i) => i.category === "Resource").length).toBeGreaterThan(40);
    expect(identities.find((i) => i.type === "locals")).toMatchObject({
      name: "singleton",
      category: "Invalid",
    });
  });

  it("a file edited in one place differs from the original only there", () => {
    const [, text] = files.find(
      ([name]) => name === "terraform-aws-modules__terraform-aws-vpc/variables.tf",
    )!;
    const after = edited(text, (documents) => {
      const cidr = documents.find((d) => (d.confighub as { block_name: string }).block_name === "cidr")!;
      cidr.default = "10.1.0.0/16";
    });
    const before = text.split("\n");
    const lines = after.split("\n");
    expect(lines.length).toBe(before.length);
    const changed = lines.flatMap((line, i) => (line === before[i] ? [] : [[before[i], line]]));
    expect(changed).toEqual([['  default     = "10.0.0.0/16"', '  default     = "10.1.0.0/16"']]);
    expect(hclFormat.decode(after, defaultParseLimits).yaml).toContain(`default: "10.1.0.0/16"`);
  });
});
