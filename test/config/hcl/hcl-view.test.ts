// The YAML view of HCL: ConfigHub's hclkit mapping of blocks, labels, attributes and expressions.
import { describe, expect, it } from "vitest";
import type { ConfigError } from "../../../src/config/index.ts";
import { defaultParseLimits } from "../../../src/config/index.ts";
import { hclFormat } from "../../../src/config/native/hcl/hcl-format.ts";
import { thrown } from "../../support/thrown.ts";
import { viewOf } from "./hcl-support.ts";

const meta = (block_category: string, block_type: string, block_name: string) => ({
  confighub: { block_category, block_type, block_name },
});

describe("HCL blocks as documents", () => {
  it("takes category, type and name from the block keyword and labels", () => {
    const text = [
      'resource "aws_instance" "web" {}',
      'data "aws_ami" "ubuntu" {}',
      'variable "region" {}',
      'module "vpc" {}',
      'output "id" {}',
      "locals {}",
      'provider "aws" {}',
      "terraform {}",
      "resource bare_type bare_name {}",
      "",
    ].join("\n");
    expect(viewOf(text)).toEqual([
      meta("Resource", "aws_instance", "web"),
      meta("DynamicData", "aws_ami", "ubuntu"),
      meta("Invalid", "variable", "region"),
      meta("Invalid", "module", "vpc"),
      meta("Invalid", "output", "id"),
      meta("Invalid", "locals", "singleton"),
      meta("Invalid", "provider", "aws"),
      meta("Invalid", "terraform", "singleton"),
      meta("Resource", "bare_type", "bare_name"),
    ]);
  });

  it("nests the body under labels past the second", () => {
    expect(viewOf('thing "a" "b" "c" "d" {\n  x = 1\n}\n')).toEqual([
      { ...meta("Invalid", "a", "b"), c: { d: { x: 1 } } },
    ]);
  });

  it("identifies a document from its metadata, with no scope", () => {
    const [document] = viewOf('resource "aws_s3_bucket" "logs" {}\n');
    expect(hclFormat.identity.identify(document)).toEqual({
      type: "aws_s3_bucket",
      name: "logs",
      nameWithoutScope: "logs",
      category: "Resource",
    });
    expect(thrown<ConfigError>(() => hclFormat.identity.identify({ a: 1 })).code).toBe("IDENTITY");
    expect(hclFormat.identity.similarTypes("aws_vpc", "aws_vpc")).toBe(true);
    expect(hclFormat.identity.similarTypes("aws_vpc", "aws_subnet")).toBe(false);
  });

  it("keeps top-level attributes out of the view and in the text", () => {
    const text = 'region = "eu-west-1"\nlocals {\n  a = 1\n}\n';
    expect(viewOf(text)).toEqual([{ ...meta("Invalid", "locals", "singleton"), a: 1 }]);
    expect(hclFormat.decode(text, defaultParseLimits).encode(viewOf(text))).toBe(text);
  });

  it("reads a file that starts with a byte order mark and keeps the mark", () => {
    const text = "\uFEFFlocals {\n  a = 1\n}\n";
    expect(viewOf(text)).toEqual([{ ...meta("Invalid", "locals", "singleton"), a: 1 }]);
    expect(hclFormat.decode(text, defaultParseLimits).encode(viewOf(text))).toBe(text);
  });

  it("gives no documents for a file with no blocks", () => {
    expect(hclFormat.decode("# only a comment\n", defaultParseLimits).yaml).toBe("");
  });
});

describe("HCL values", () => {
  const body = (source: string) => {
    const [document] = viewOf(`locals {\n${source}\n}\n`);
    const { confighub: _confighub, ...rest } = document!;
    return rest;
  };

  it("reads literals with their types", () => {
    expect(
      body(
        [
          "int = 42",
          "negative = -7",
          "float = 1.5",
          "exp = 1e3",
          "yes = true",
          "no = false",
          "nothing = null",
          'text = "a \\"quoted\\" line\\n\\ttab \\u00e9"',
          'empty = ""',
        ].join("\n"),
      ),
    ).toEqual({
      int: 42,
      negative: -7,
      float: 1.5,
      exp: 1000,
      yes: true,
      no: false,
      nothing: null,
      text: 'a "quoted" line\n\ttab é',
      empty: "",
    });
  });

  it("keeps templates and other expressions as text, expressions as ${...}", () => {
    expect(
      body(
        [
          'name = "${var.prefix}-web"',
          "ref = var.instance_type",
          'call = join(",", var.list)',
          "cond = var.on ? 1 : 2",
          "sum = 1 + 2",
          "splat = aws_instance.web[*].id",
          "loop = [for s in var.list : upper(s)]",
          'escaped = "$${literal}"',
          'directive = "%{ if var.x }yes%{ endif }"',
        ].join("\n"),
      ),
    ).toEqual({
      name: "${var.prefix}-web",
      ref: "${var.instance_type}",
      call: '${join(",", var.list)}',
      cond: "${var.on ? 1 : 2}",
      sum: "${1 + 2}",
      splat: "${aws_instance.web[*].id}",
      loop: "${[for s in var.list : upper(s)]}",
      escaped: "$${literal}",
      directive: "%{ if var.x }yes%{ endif }",
    });
  });

  it("reads heredocs as their text (<<- without the common indentation)", () => {
    expect(body("plain = <<EOT\nline 1\n  line 2\nEOT\nflush = <<-EOT\n    a\n      b\n    EOT")).toEqual({
      plain: "line 1\n  line 2\n",
      flush: "a\n  b\n",
    });
  });

  it("reads tuples as lists and objects as maps, in source order", () => {
    const [document] = viewOf('locals {\n  t = [1, "two", [3]]\n  o = { b = 1, "a.b" = 2, 80 = 3 }\n}\n');
    expect(document).toMatchObject({ t: [1, "two", [3]], o: { b: 1, "a.b": 2, "80": 3 } });
    expect(hclFormat.decode('locals {\n  o = { b = 1, "a" = 2 }\n}\n', defaultParseLimits).yaml).toContain(
      "o:\n  b: 1\n  a: 2\n",
    );
  });

  it("reads nested blocks as lists of maps under their type, labelled ones under their labels", () => {
    const text = [
      'resource "aws_security_group" "sg" {',
      "  ingress {",
      "    from_port = 80",
      "  }",
      "  ingress {",
      "    from_port = 443",
      "  }",
      '  dynamic "egress" {',
      "    for_each = var.rules",
      "    content {",
      "      from_port = egress.value",
      "    }",
      "  }",
      "  lifecycle {}",
      "}",
      "",
    ].join("\n");
    expect(viewOf(text)).toEqual([
      {
        ...meta("Resource", "aws_security_group", "sg"),
        ingress: [{ from_port: 80 }, { from_port: 443 }],
        dynamic: { egress: [{ for_each: "${var.rules}", content: [{ from_port: "${egress.value}" }] }] },
        lifecycle: [{}],
      },
    ]);
  });
});
