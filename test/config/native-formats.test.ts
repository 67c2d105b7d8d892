// The native formats hook: the toolchains functions run on are exactly Kubernetes/YAML and the
// registered NativeFormats, each parses through its format and gives back native text.
import { describe, expect, it } from "vitest";
import { parseConfig, TOOLCHAIN_TYPES, toolchainIdentity } from "../../src/config/index.ts";
import { nativeFormat, nativeFormats } from "../../src/config/native/native-formats.ts";

describe("native formats", () => {
  it("TOOLCHAIN_TYPES lists Kubernetes/YAML and exactly the toolchains with a registered format", () => {
    expect([...TOOLCHAIN_TYPES].sort()).toEqual(
      ["Kubernetes/YAML", ...nativeFormats().map((f) => f.toolchain)].sort(),
    );
    expect(nativeFormat("Kubernetes/YAML")).toBeUndefined();
  });

  it("takes each native toolchain's identity from its format", () => {
    for (const format of nativeFormats()) expect(toolchainIdentity(format.toolchain)).toBe(format.identity);
  });

  it("refuses a toolchain functions do not run on, listing the known ones", () => {
    expect(() => parseConfig("[a]\nb=1\n", { toolchain: "AppConfig/INI" })).toThrow(
      /unknown toolchain "AppConfig\/INI".*known: Kubernetes\/YAML, AppConfig\/Properties/,
    );
  });

  it("parses a native text into its YAML view and gives back the native text until and after an edit", () => {
    const text = "# settings\nserver.port = 8080\n";
    const data = parseConfig(text, { toolchain: "AppConfig/Properties" });
    expect(data.documents[0]!.toString()).toBe("server:\n  port: 8080\n");
    expect(data.toString()).toBe(text);
    data.documents[0]!.set("server.port", 9090);
    expect(data.toString()).toBe("# settings\nserver.port = 9090\n");
    // compute-mutations' alreadyConverted: the YAML view itself, with the toolchain's identity.
    const converted = parseConfig("server:\n  port: 1\n", {
      toolchain: "AppConfig/Properties",
      yamlView: true,
    });
    expect(converted.documents[0]!.identity().type).toBe("NoSchema");
  });
});
