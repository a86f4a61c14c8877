// Validates Kubernetes objects (multi-document YAML on stdin, e.g. `kubectl kustomize DIR`) against
// the Kubernetes API's OpenAPI schemas, offline: the npm package kubernetes-models carries them and
// validates with ajv. Unknown fields, wrong types, missing required fields and kinds it has no
// schema for all fail. Exits 1 on the first file with errors, listing them all.
//
//   kubectl kustomize deploy/kubernetes | node .ci/k8s-validate/validate.mjs
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

const text = readFileSync(0, "utf8");
const docs = parseAllDocuments(text);
let objects = 0;
const problems = [];
const all = [];

for (const doc of docs) {
  if (doc.errors.length) {
    problems.push(`YAML: ${doc.errors.map((e) => e.message).join("; ")}`);
    continue;
  }
  const obj = doc.toJS();
  if (obj == null) continue;
  objects++;
  all.push(obj);
  const { apiVersion, kind } = obj;
  const name = `${kind ?? "?"}/${obj.metadata?.name ?? "?"}`;
  if (!apiVersion || !kind) {
    problems.push(`${name}: apiVersion and kind are required`);
    continue;
  }
  // kubernetes-models/<group or "v1">/<version>/<Kind>; the core group has no group segment.
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : [null, apiVersion];
  const modulePath = `kubernetes-models/${group ? `${group}/` : ""}${version}/${kind}`;
  let Model;
  try {
    Model = (await import(modulePath))[kind];
    if (!Model) throw new Error("not exported");
  } catch (e) {
    problems.push(`${name}: no schema for ${apiVersion} ${kind} (${modulePath})`);
    continue;
  }
  try {
    new Model(obj).validate();
    console.log(`  ok  ${apiVersion} ${name}`);
  } catch (e) {
    const details = (e.errors ?? []).map((x) => `${x.instancePath || "/"} ${x.message}${x.params?.additionalProperty ? ` (${x.params.additionalProperty})` : ""}`);
    problems.push(`${name}: ${details.length ? details.join("; ") : e.message}`);
  }
}

// Across objects: what the schemas cannot see. Selectors must pick the Deployments' pods, and
// every ConfigMap a pod mounts must be among the objects (Secrets are created by hand).
const matches = (selector, labels) => Object.entries(selector ?? {}).every(([k, v]) => labels?.[k] === v);
const deployments = all.filter((o) => o.kind === "Deployment");
for (const d of deployments) {
  const labels = d.spec?.template?.metadata?.labels;
  if (!matches(d.spec?.selector?.matchLabels, labels)) problems.push(`Deployment/${d.metadata.name}: selector does not match its pod labels`);
  for (const v of d.spec?.template?.spec?.volumes ?? []) {
    if (v.configMap && !process.env.K8S_UNRENDERED && !all.some((o) => o.kind === "ConfigMap" && o.metadata?.name === v.configMap.name)) {
      problems.push(`Deployment/${d.metadata.name}: volume ${v.name} mounts ConfigMap ${v.configMap.name}, which is not defined`);
    }
  }
  const containers = [...(d.spec?.template?.spec?.initContainers ?? []), ...(d.spec?.template?.spec?.containers ?? [])];
  const volumes = new Set((d.spec?.template?.spec?.volumes ?? []).map((v) => v.name));
  for (const c of containers) {
    for (const m of c.volumeMounts ?? []) {
      if (!volumes.has(m.name)) problems.push(`Deployment/${d.metadata.name}: container ${c.name} mounts unknown volume ${m.name}`);
    }
  }
}
for (const o of all.filter((x) => x.kind === "PodDisruptionBudget" || x.kind === "NetworkPolicy")) {
  const selector = o.kind === "PodDisruptionBudget" ? o.spec?.selector?.matchLabels : o.spec?.podSelector?.matchLabels;
  if (!selector || !Object.keys(selector).length || !deployments.some((d) => matches(selector, d.spec?.template?.metadata?.labels))) {
    problems.push(`${o.kind}/${o.metadata?.name}: its selector picks none of the Deployments' pods`);
  }
}

if (objects === 0) problems.push("no objects on stdin");
if (problems.length) {
  for (const p of problems) console.error(`  INVALID ${p}`);
  console.error(`k8s-validate: ${problems.length} problem(s) in ${objects} object(s)`);
  process.exit(1);
}
console.log(`k8s-validate: ${objects} object(s) valid`);
