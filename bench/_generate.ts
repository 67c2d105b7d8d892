// Deterministic test Units for benchmarks: ~1 KB of multi-document YAML per Unit with a
// Deployment, a Service and a ConfigMap, commented the way hand-maintained manifests are. Shared by
// the config, engine and invoke benchmarks so their numbers describe the same data.

/** The i-th generated Unit (same text for the same index). */
export function generateUnit(index: number): string {
  const name = `svc-${index.toString(36)}`;
  const namespace = `team-${index % 17}`;
  const replicas = 1 + (index % 5);
  const port = 8000 + (index % 100);
  const tag = `1.${index % 30}.${index % 7}`;
  return `# ${name}: generated service ${index}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${namespace}
  labels:
    app.kubernetes.io/name: ${name}
    tier: backend # owned by the platform team
spec:
  replicas: ${replicas} # scaled by hand
  selector:
    matchLabels:
      app.kubernetes.io/name: ${name}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: ${name}
    spec:
      containers:
        - name: app
          image: registry.example.com/${name}:${tag}
          ports:
            - containerPort: ${port}
          resources:
            limits: {cpu: 500m, memory: 256Mi}
        - name: sidecar
          image: envoyproxy/envoy:v1.29.1
---
# Service in front of the pods
apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: ${namespace}
spec:
  selector:
    app.kubernetes.io/name: ${name}
  ports:
    - port: 80
      targetPort: ${port} # container port
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}-config
  namespace: ${namespace}
data:
  LOG_LEVEL: "info"
  FEATURE_FLAGS: 'a,b,c'
  settings.yaml: |
    retries: 3
    timeout: 30s
`;
}

/** `count` Units, indices 0 to count - 1. */
export function generateUnits(count: number): string[] {
  return Array.from({ length: count }, (_, i) => generateUnit(i));
}
