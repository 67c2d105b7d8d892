// "Never green on a silent no-op" (issue 16 §3): a mutating function that ran without error and left
// a Unit's data as it was probably found nothing to set — `set-image` naming a container no resource
// has, `set-replicas` on Deployments without spec.replicas. It applies to every function whose
// signature is Mutating (setters, set-*-path, ensure-*, delete-resource...) and cannot tell "nothing
// matched" from "every value already had the new one", so the warning says both, and for the common
// setters what to do instead. It never changes the exit code.
import type { FunctionArgument } from "../engine/index.ts";

export interface QuietSetter {
  readonly functionName: string;
  readonly index: number;
  readonly args: readonly FunctionArgument[] | null | undefined;
}

export function setterWarning(setter: QuietSetter, unit: string): string {
  const { functionName } = setter;
  const hint = HINTS[functionName]?.(argument(setter, 0));
  const base = `${functionName} (#${setter.index}) changed nothing in ${unit}: nothing it sets was found there, or every value already had the new one`;
  return hint ? `${base}; ${hint}` : base;
}

function argument(setter: QuietSetter, position: number): string | undefined {
  const value = setter.args?.[position]?.Value;
  return value === undefined ? undefined : String(value);
}

const WORKLOADS = "Deployment, StatefulSet or ReplicaSet";

const HINTS: Readonly<Record<string, (first: string | undefined) => string>> = {
  "set-image": (container) =>
    `check that a container is named ${container ?? "so"} (get-image '*' lists them; * sets every container)`,
  "set-image-uri": (container) =>
    `check that a container is named ${container ?? "so"} (get-image '*' lists them; * sets every container)`,
  "set-image-reference": (container) =>
    `check that a container is named ${container ?? "so"} (get-image '*' lists them; * sets every container)`,
  "set-replicas": () =>
    `set-replicas only changes an existing spec.replicas of a ${WORKLOADS}; to add one, run set-int-path apps/v1/Deployment spec.replicas N`,
  "set-env": (container) =>
    `check that a container is named ${container ?? "so"} (get-env '*' lists the variables)`,
  "set-container-resources": (container) => `check that a container is named ${container ?? "so"}`,
};
