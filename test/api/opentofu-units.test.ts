// OpenTofu/HCL Units through the API: created with HCL data (malformed HCL is a 422 naming line and
// column), edited by invoked functions with the HCL text kept byte for byte outside the changed
// values, selected by where_data over the view's attribute paths, and listed with their resources.
import { beforeAll, describe, expect, it } from "vitest";
import { b64, buildTestApp, testDatabases, type TestApp } from "../support/databases.ts";
import {
  call,
  createSpace,
  createUnit,
  dataOf,
  expectInvokeContract,
  getUnit,
  invoke,
  output,
} from "./invoke-support.ts";

const HCL = `# Web tier.
resource "aws_instance" "web" {
  ami           = "ami-123" # pinned
  instance_type = "t3.micro"
  count         = 2

  root_block_device {
    volume_size = 10
  }
}

variable "region" {
  default = "eu-west-1"
}
`;

const opentofu = { ToolchainType: "OpenTofu/HCL" };

describe.each(testDatabases())("OpenTofu/HCL Units on $name", (target) => {
  let t: TestApp;
  let n = 0;
  const unique = (prefix: string) => `${prefix}-${++n}`;

  beforeAll(async () => {
    const database = await target.open();
    t = await buildTestApp(database);
    return () => t.close();
  });

  it("refuses malformed HCL with a 422 naming line and column", async () => {
    const space = await createSpace(t, unique("bad"));
    const response = await t.request({
      method: "POST",
      url: `/api/space/${space}/unit`,
      body: { Slug: "broken", ...opentofu, Data: b64('resource "a" "b" {\n  x = \n}\n') },
    });
    expect(response.statusCode, response.body).toBe(422);
    expect(response.json().Message).toBe(
      'body/Data is not valid OpenTofu/HCL: invalid HCL at line 3, column 1: unexpected "}"',
    );
  });

  it("set-string-path and set-int-path write only the changed values and store the HCL", async () => {
    const space = await createSpace(t, unique("edit"));
    const unit = await createUnit(t, space, "web", HCL, opentofu);
    const response = await invoke(t, {
      spaceId: space,
      query: { where: `Slug = 'web'` },
      body: {
        FunctionInvocations: [
          call("set-string-path", "aws_instance", "ami", "ami-456"),
          call("set-int-path", "aws_instance", "root_block_device.0.volume_size", 20),
        ],
        ChangeDescription: "new ami, bigger disk",
        ...opentofu,
      },
    });
    expect(response.statusCode, response.body).toBe(200);
    const elements = response.json();
    expectInvokeContract(elements);
    expect(elements).toHaveLength(1);
    const expected = HCL.replace('"ami-123"', '"ami-456"').replace("volume_size = 10", "volume_size = 20");
    expect(dataOf(elements[0]!)).toBe(expected);
    const stored = await getUnit(t, space, unit.UnitID);
    expect(stored.data).toBe(expected);
    expect(stored.HeadRevisionNum).toBe(unit.HeadRevisionNum + 1);
  });

  it("get-resources lists the blocks with ConfigHub's identity", async () => {
    const space = await createSpace(t, unique("list"));
    await createUnit(t, space, "web", HCL, opentofu);
    const response = await invoke(t, {
      spaceId: space,
      query: { dry_run: "true" },
      body: { FunctionInvocations: [call("get-resources", "none")], ...opentofu },
    });
    expect(response.statusCode, response.body).toBe(200);
    const [element] = response.json();
    expect(output(element, "ResourceList")).toEqual([
      {
        ResourceName: "web",
        ResourceNameWithoutScope: "web",
        ResourceType: "aws_instance",
        ResourceCategory: "Resource",
      },
      {
        ResourceName: "region",
        ResourceNameWithoutScope: "region",
        ResourceType: "variable",
        ResourceCategory: "Invalid",
      },
    ]);
  });

  it("where_data selects HCL Units by attribute paths, and other toolchains are not selected", async () => {
    const space = await createSpace(t, unique("select"));
    await createUnit(t, space, "small", HCL, opentofu);
    await createUnit(t, space, "large", HCL.replace("count         = 2", "count         = 5"), opentofu);
    await createUnit(t, space, "props", "count=9\n", { ToolchainType: "AppConfig/Properties" });
    const slugs = async (whereData: string) => {
      const response = await invoke(t, {
        spaceId: space,
        query: { dry_run: "true", where_data: whereData, resource_type: "aws_instance" },
        body: { FunctionInvocations: [call("get-string-path", "aws_instance", "ami")], ...opentofu },
      });
      expect(response.statusCode, response.body).toBe(200);
      return (response.json() as { UnitSlug: string }[]).map((e) => e.UnitSlug).sort();
    };
    expect(await slugs("count > 3")).toEqual(["large"]);
    expect(await slugs("root_block_device.0.volume_size = 10 AND ami = 'ami-123'")).toEqual([
      "large",
      "small",
    ]);
    expect(await slugs("instance_type = 't3.large'")).toEqual([]);
  });
});
