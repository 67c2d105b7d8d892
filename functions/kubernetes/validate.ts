// validate (spec §5.2): schema validation of every resource, offline, in strict mode.
// - Built-in kinds are checked against the Kubernetes OpenAPI schemas that kubernetes-models ships
//   (see schemas/kubernetes-schemas.ts); a field the schema does not define is a violation.
// - A resource of an API group Kubernetes does not serve (a custom resource) has no schema: it is
//   skipped and the skip is reported in Details, so a pass never hides an unchecked resource.
// - An apiVersion or kind that does not exist in a built-in API group is an error, not a skip
//   (ConfigHub's kubeconform skipped such typos silently).
// - Each violation is one Details line and one FailedAttributes entry naming the resource and path.
import { describeResource, resourceDisplayName, formatSegments } from "../../src/config/index.ts";
import type { ConfigDocument } from "../../src/config/index.ts";
import { FunctionError, defineFunction, type FunctionDefinition } from "../../src/engine/index.ts";
import type { AttributeValue, DataType, ValidationResult } from "../../src/engine/index.ts";
import { kubernetesSchemas } from "./schemas/kubernetes-schemas.ts";
import { validateStrictly, type SchemaViolation } from "./schemas/strict-validation.ts";

export const validate = defineFunction({
  toolchains: ["Kubernetes/YAML"],
  signature: {
    FunctionName: "validate",
    Description: "Returns true if schema passes validation",
    OutputInfo: {
      ResultName: "passed",
      Description: "True if schema passes validation, false otherwise",
      OutputType: "ValidationResult",
    },
    Validating: true,
    AffectedResourceTypes: ["*"],
  },
  async invoke({ data }) {
    const schemas = kubernetesSchemas();
    const details: string[] = [];
    const failed: AttributeValue[] = [];
    const errors: string[] = [];
    for (const document of data.documents) {
      const resource = document.identity();
      const { apiVersion, kind } = typeMeta(document);
      const schema = await schemas.lookup(apiVersion, kind);
      if (schema.status === "custom") {
        details.push(
          `resource ${describeResource(resource)} skipped: no schema for apiVersion ${apiVersion}, which is not a built-in Kubernetes API group (${schemas.source})`,
        );
        continue;
      }
      if (schema.status === "unknown") {
        errors.push(
          `validate: resource ${resourceDisplayName(resource)} (document ${document.index}) has an unknown Kubernetes type ${resource.type}: ${schema.reason}`,
        );
        continue;
      }
      for (const violation of validateStrictly(document.toJS(), schema.validate, schema.unreadKnownKey)) {
        const path = formatSegments(violation.segments);
        details.push(`resource ${describeResource(resource)}: ${path || "(root)"}: ${violation.message}`);
        failed.push(failedAttribute(resource, path, violation));
      }
    }
    if (errors.length > 0) throw FunctionError.join(errors);
    const passed = failed.length === 0;
    const result: ValidationResult = { Passed: passed, Index: 0 };
    if (details.length > 0) result.Details = details;
    if (!passed) result.FailedAttributes = failed;
    return { output: result };
  },
});

export const validateFunctions: readonly FunctionDefinition[] = [validate];

function typeMeta(document: ConfigDocument): { apiVersion: string; kind: string } {
  // identity() has already checked that both are present; they are strings in any valid resource.
  const value = document.toJS() as { apiVersion: unknown; kind: unknown };
  return { apiVersion: String(value.apiVersion), kind: String(value.kind) };
}

function failedAttribute(
  resource: { type: string; name: string; nameWithoutScope: string },
  path: string,
  violation: SchemaViolation,
): AttributeValue {
  const value = violation.value;
  const scalar = typeof value === "string" || typeof value === "number" || typeof value === "boolean";
  return {
    ResourceName: resource.name,
    ResourceNameWithoutScope: resource.nameWithoutScope,
    ResourceType: resource.type,
    ResourceCategory: "Resource",
    Path: path,
    DataType: violation.present ? dataType(value) : "",
    Value: scalar ? value : null,
  };
}

function dataType(value: unknown): DataType {
  if (typeof value === "string") return "string";
  if (typeof value === "boolean") return "bool";
  if (typeof value === "number" && Number.isInteger(value)) return "int";
  return "";
}
