// Edits through the YAML view change only the HCL text that holds the changed value; additions and
// removals follow the block's layout; values with no HCL form are refused, naming their path.
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../../src/config/index.ts";
import { thrown } from "../../support/thrown.ts";
import { edited, viewOf, type Plain } from "./hcl-support.ts";

const source = [
  "# The web server.",
  'resource "aws_instance" "web" {',
  '  ami           = "ami-123" # pinned',
  "  count         = 2",
  "  monitoring    = false",
  "  instance_type = var.instance_type",
  "  ports         = [80, 443]",
  "  tags = {",
  '    Name = "web"',
  '    Team = "platform"',
  "  }",
  "  user_data = <<-EOT",
  "    #!/bin/sh",
  "    echo hello",
  "  EOT",
  "",
  "  ebs_block_device {",
  "    volume_size = 10",
  "  }",
  "}",
  "",
  'variable "region" {',
  '  default = "eu-west-1"',
  "}",
  "",
].join("\n");

const web = (documents: Plain[]) => documents[0]!;

describe("HCL edits change only the value's bytes", () => {
  it.each([
    [
      "a string keeps its quotes and the line comment",
      (d: Plain) => (d.ami = "ami-456"),
      '  ami           = "ami-456" # pinned',
    ],
    ["a number stays a number", (d: Plain) => (d.count = 3), "  count         = 3"],
    ["a bool stays a bool", (d: Plain) => (d.monitoring = true), "  monitoring    = true"],
    [
      "an expression set to ${...} stays an expression",
      (d: Plain) => (d.instance_type = "${var.size}"),
      "  instance_type = var.size",
    ],
    [
      "an expression set to text becomes a string",
      (d: Plain) => (d.instance_type = "t3.micro"),
      '  instance_type = "t3.micro"',
    ],
    ["a tuple element", (d: Plain) => ((d.ports as number[])[1] = 8443), "  ports         = [80, 8443]"],
    ["an object value", (d: Plain) => ((d.tags as Plain).Team = "web"), '    Team = "web"'],
    [
      "a nested block's attribute",
      (d: Plain) => ((d.ebs_block_device as Plain[])[0]!.volume_size = 20),
      "    volume_size = 20",
    ],
  ])("%s", (_what, edit, line) => {
    const after = edited(source, (documents) => edit(web(documents)));
    const before = source.split("\n");
    const changed = after.split("\n").filter((l, i) => l !== before[i]);
    expect(changed).toEqual([line]);
    expect(after.split("\n").length).toBe(before.length);
  });

  it("a heredoc keeps its marker and indentation", () => {
    const after = edited(source, (documents) => (web(documents).user_data = "#!/bin/sh\necho bye\n"));
    expect(after).toBe(source.replace("    echo hello", "    echo bye"));
    expect(web(viewOf(after)).user_data).toBe("#!/bin/sh\necho bye\n");
  });

  it("a string with quotes, escapes and a new line is escaped", () => {
    const after = edited(source, (documents) => (web(documents).ami = 'say "hi"\\\n'));
    expect(after).toContain('  ami           = "say \\"hi\\"\\\\\\n" # pinned');
    expect(web(viewOf(after)).ami).toBe('say "hi"\\\n');
  });

  it("an unclosed ${ is written literally ($${), so the text stays valid", () => {
    const after = edited(source, (documents) => (web(documents).ami = "cost ${"));
    expect(after).toContain('ami           = "cost $${"');
  });

  it("a new value of another type is written in its own form", () => {
    const after = edited(source, (documents) => (web(documents).count = { min: 1, max: [2, 3] }));
    expect(after).toContain("  count         = {\n    min = 1\n    max = [2, 3]\n  }\n");
    expect(web(viewOf(after)).count).toEqual({ min: 1, max: [2, 3] });
  });
});

describe("HCL additions and removals", () => {
  it("adds an attribute after the block's last attribute, at the block's indentation", () => {
    const after = edited(source, (documents) => (web(documents).key_name = "deployer"));
    expect(after).toBe(source.replace("  EOT\n", '  EOT\n  key_name = "deployer"\n'));
  });

  it("adds a list of maps as nested blocks before the closing brace", () => {
    const after = edited(source, (documents) => (web(documents).network_interface = [{ device_index: 0 }]));
    expect(after).toBe(
      source.replace(
        "    volume_size = 10\n  }\n}",
        "    volume_size = 10\n  }\n  network_interface {\n    device_index = 0\n  }\n}",
      ),
    );
  });

  it("removes an attribute's line, a multi-line one whole", () => {
    const after = edited(source, (documents) => {
      delete web(documents).count;
      delete web(documents).tags;
    });
    expect(after).toBe(source.replace("  count         = 2\n", "").replace(/ {2}tags = \{\n[^}]*\}\n/, ""));
  });

  it("removes and adds object keys on their own lines", () => {
    const after = edited(source, (documents) => {
      const tags = web(documents).tags as Plain;
      delete tags.Team;
      tags["cost-center"] = "42";
      tags["a b"] = 1;
    });
    expect(after).toContain('  tags = {\n    Name = "web"\n    cost-center = "42"\n    "a b" = 1\n  }\n');
  });

  it("writes a single-line object or block again when its keys change", () => {
    const text = 'locals {\n  o = { a = 1, b = "x" }\n}\nterraform {}\n';
    const after = edited(text, (documents) => {
      const o = documents[0]!.o as Plain;
      delete o.a;
      o.c = true;
      documents[1]!.required_version = ">= 1.6";
    });
    expect(after).toBe(
      'locals {\n  o = { b = "x", c = true }\n}\nterraform {\n  required_version = ">= 1.6"\n}\n',
    );
  });

  it("writes a tuple that grew or shrank in its layout, keeping elements' text", () => {
    const text = 'locals {\n  a = [1, var.x]\n  b = [\n    "x",\n    "y",\n  ]\n}\n';
    const after = edited(text, (documents) => {
      (documents[0]!.a as unknown[]).push(3);
      (documents[0]!.b as unknown[]).splice(0, 1);
    });
    expect(after).toBe('locals {\n  a = [1, var.x, 3]\n  b = [\n    "y",\n  ]\n}\n');
  });

  it("adds and removes nested blocks, labelled ones by label", () => {
    const text = [
      'resource "aws_security_group" "sg" {',
      "  ingress {",
      "    from_port = 80",
      "  }",
      '  dynamic "egress" {',
      "    for_each = var.rules",
      "  }",
      "}",
      "",
    ].join("\n");
    const after = edited(text, (documents) => {
      (documents[0]!.ingress as Plain[]).push({ from_port: 443 });
      documents[0]!.dynamic = { ingress: [{ for_each: "${var.more}" }] };
    });
    expect(after).toBe(
      [
        'resource "aws_security_group" "sg" {',
        "  ingress {",
        "    from_port = 80",
        "  }",
        "  ingress {",
        "    from_port = 443",
        "  }",
        '  dynamic "ingress" {',
        '    for_each = "${var.more}"',
        "  }",
        "}",
        "",
      ].join("\n"),
    );
  });

  it("renames a block by its labels, keeping their quoting", () => {
    const after = edited(source, (documents) => {
      (web(documents).confighub as Plain).block_name = "api";
      (documents[1]!.confighub as Plain).block_name = "zone";
    });
    expect(after).toBe(source.replace('"web" {', '"api" {').replace('variable "region"', 'variable "zone"'));
  });

  it("removes a deleted document's block and appends a new document as a block", () => {
    const after = edited(source, (documents) => {
      documents.splice(0, 1);
      documents.push({
        confighub: { block_category: "DynamicData", block_type: "aws_ami", block_name: "ubuntu" },
        most_recent: true,
      });
      documents.push({
        confighub: { block_category: "Invalid", block_type: "locals", block_name: "singleton" },
        a: 1,
      });
    });
    expect(after).toBe(
      '# The web server.\n\nvariable "region" {\n  default = "eu-west-1"\n}\n\ndata "aws_ami" "ubuntu" {\n  most_recent = true\n}\n\nlocals {\n  a = 1\n}\n',
    );
    expect(viewOf(after).map((d) => (d.confighub as Plain).block_type)).toEqual([
      "variable",
      "aws_ami",
      "locals",
    ]);
  });

  it("keeps CRLF line endings in what it adds", () => {
    const text = "locals {\r\n  a = 1\r\n}\r\n";
    expect(edited(text, (documents) => (documents[0]!.b = 2))).toBe(
      "locals {\r\n  a = 1\r\n  b = 2\r\n}\r\n",
    );
  });
});

describe("values with no HCL form", () => {
  const failure = (edit: (documents: Plain[]) => void) => thrown<ConfigError>(() => edited(source, edit));

  it.each([
    ["a non-finite number", (d: Plain[]) => (web(d).count = Infinity), "count"],
    ["a nested non-finite number", (d: Plain[]) => ((web(d).tags as Plain).Name = NaN), "tags.Name"],
    ["an attribute name that is not an identifier", (d: Plain[]) => (web(d)["has space"] = 1), "has space"],
    ["blocks that are not maps", (d: Plain[]) => (web(d).ebs_block_device = [1]), "ebs_block_device"],
    [
      "a changed category",
      (d: Plain[]) => ((web(d).confighub as Plain).block_category = "DynamicData"),
      "confighub.block_category",
    ],
    [
      "a name for a block without labels",
      (d: Plain[]) => d.push({ confighub: { block_category: "Other", block_type: "x", block_name: "y" } }),
      "confighub",
    ],
    ["a document without metadata", (d: Plain[]) => d.push({ a: 1 }), "confighub"],
  ])("%s is INVALID_VALUE naming the path", (_what, edit, path) => {
    const error = failure(edit);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.code).toBe("INVALID_VALUE");
    expect(error.path).toBe(path);
    expect(error.message).toContain(path);
  });
});
