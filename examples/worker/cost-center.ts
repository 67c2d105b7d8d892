// An example bridge worker (README "Bridge workers", docs/worker-sdk.md): a platform team's policy that
// every Deployment names the cost center that pays for it, and a function that sets that label.
// Functions are written exactly as the built-ins are (docs/writing-functions.md); the worker SDK
// runs them through the same engine, so edits keep comments and formatting and every change is
// listed in the Mutations. The import is type-only: this module needs nothing at run time.
//
//   confn worker run cost-center examples/worker/cost-center.ts --space demo
import type { FunctionDefinition, ValidationResult } from "../../src/worker/index.ts";

const LABEL = "cost-center";
const DEPLOYMENT = "apps/v1/Deployment";

/** Validating: passes when every Deployment has a non-empty cost-center label. */
export const requireCostCenter: FunctionDefinition = {
  toolchains: ["Kubernetes/YAML"],
  signature: {
    FunctionName: "require-cost-center",
    Description: `Check that every Deployment carries a ${LABEL} label`,
    OutputInfo: {
      ResultName: "passed",
      Description: `Whether every Deployment has a ${LABEL} label`,
      OutputType: "ValidationResult",
    },
    AffectedResourceTypes: [DEPLOYMENT],
  },
  invoke({ data, index }) {
    const missing: string[] = [];
    for (const document of data.documents) {
      const identity = document.tryIdentity();
      if (identity?.type !== DEPLOYMENT) continue;
      const value = document.get(`metadata.labels.${LABEL}`)?.value;
      if (typeof value !== "string" || value === "") missing.push(identity.nameWithoutScope);
    }
    const output: ValidationResult =
      missing.length === 0
        ? { Passed: true, Index: index }
        : {
            Passed: false,
            Index: index,
            Details: missing.map((name) => `Deployment ${name} has no ${LABEL} label`),
          };
    return { output };
  },
};

/** Mutating: sets the cost-center label of every Deployment. */
export const setCostCenter: FunctionDefinition = {
  toolchains: ["Kubernetes/YAML"],
  signature: {
    FunctionName: "set-cost-center",
    Description: `Set the ${LABEL} label of every Deployment`,
    Mutating: true,
    Parameters: [
      {
        ParameterName: LABEL,
        Description: "The cost center that pays for the workload",
        Required: true,
        DataType: "string",
        Example: "cc-1234",
        Regexp: "[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?",
      },
    ],
    AffectedResourceTypes: [DEPLOYMENT],
  },
  invoke({ data, args }) {
    const costCenter = args.string(LABEL);
    for (const document of data.documents) {
      if (document.tryIdentity()?.type === DEPLOYMENT) {
        document.set(`metadata.labels.${LABEL}`, costCenter, { upsert: true });
      }
    }
  },
};

export default [requireCostCenter, setCostCenter];
