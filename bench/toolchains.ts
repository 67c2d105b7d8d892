// `npm run bench -- toolchains [--units N] [--rounds N]`: parse + one set + serialise per Unit for
// every non-YAML toolchain that has a generator here, against the YAML path (parseConfig of the same
// data as Kubernetes/YAML, the same set, toString) in the same run. Prints units/s and the ratio
// (toolchain time / YAML time). Target (issue 15): each toolchain within 2x of YAML.
import { defaultParseLimits, parseConfig, type ToolchainType } from "../src/config/index.ts";
import { nativeFormats } from "../src/config/native/native-formats.ts";

/** One generated Unit of a toolchain and the edit to make on it. */
interface Sample {
  readonly text: string;
  readonly path: string;
  readonly value: string;
}

/** ~1 KB of commented application properties, different per index. */
function propertiesUnit(i: number): Sample {
  const name = `svc-${i.toString(36)}`;
  const lines = [
    `# ${name}: generated application settings ${i}`,
    "configHub.configSchema=SpringApp",
    `configHub.configName=${name}`,
    "",
    "# server",
    `server.port=${8000 + (i % 100)}`,
    "server.servlet.context-path=/api",
    "server.compression.enabled=true",
    "",
    "! datasource",
    `spring.datasource.url=jdbc:postgresql://db-${i % 17}.internal:5432/${name}`,
    "spring.datasource.username=app",
    "spring.datasource.hikari.maximum-pool-size=10",
    "spring.jpa.hibernate.ddl-auto=validate",
    "spring.jpa.open-in-view=false",
    "",
    "# logging",
    "logging.level.root=INFO",
    `logging.level.com.example.${name.replace("-", "")}=DEBUG`,
    "logging.pattern.console=%d{HH:mm:ss} %-5level %logger{36} - %msg%n",
    "",
    "management.endpoints.web.exposure.include=health,info,prometheus",
    "management.endpoint.health.probes.enabled=true",
    `app.features.0=feature-${i % 5}`,
    "app.features.1=audit",
    "app.greeting=Hello \\u00e9t\\u00e9, \\",
    "    continued on the next line",
    `app.cache.ttl=${60 + (i % 600)}`,
    "",
  ];
  return { text: lines.join("\n"), path: "spring.datasource.username", value: `user-${i}` };
}

/** ~1 KB of a commented .env file, different per index. */
function envUnit(i: number): Sample {
  const name = `svc-${i.toString(36)}`;
  const lines = [
    `# ${name}: generated environment ${i}`,
    `CONFIGHUB_CONFIG_NAME=${name}`,
    "CONFIGHUB_CONFIG_SCHEMA=WebApp",
    "",
    "# server",
    `export PORT=${8000 + (i % 100)}`,
    "HOST=0.0.0.0 # all interfaces",
    "CONTEXT_PATH=/api",
    "",
    "# database",
    `DATABASE_URL="postgres://app:secret@db-${i % 17}.internal:5432/${name.replace("-", "_")}"`,
    "DATABASE_USER='app'",
    "DATABASE_POOL_MAX=10",
    "DATABASE_SSL=true",
    "",
    "# logging",
    "LOG_LEVEL=info",
    `LOG_FORMAT='%d{HH:mm:ss} %-5level %logger{36} - %msg%n'`,
    'GREETING="Hello,\nworld"',
    `CACHE_TTL=${60 + (i % 600)}`,
    "FEATURES=audit,metrics,tracing",
    "SENTRY_DSN=",
    `RELEASE=${name}-${i % 13}.${i % 7}.0`,
    "",
  ];
  return { text: lines.join("\n"), path: "DATABASE_USER", value: `user-${i}` };
}

/** ~1 KB of a commented TOML file (tables, an array of tables, inline tables), different per index. */
function tomlUnit(i: number): Sample {
  const name = `svc-${i.toString(36)}`;
  const lines = [
    `# ${name}: generated settings ${i}`,
    "[configHub]",
    'configSchema = "WebApp"',
    `configName = "${name}"`,
    "",
    "[server]",
    `port = ${8000 + (i % 100)} # listen here`,
    "host = '0.0.0.0'",
    "timeouts = { read = 30, write = 30 }",
    "started = 2024-01-02T03:04:05Z",
    "",
    "[database]",
    `url = "postgres://db-${i % 17}.internal:5432/${name}"`,
    "user = 'app'",
    "pool.max = 10",
    "pool.min = 2",
    "",
    "[[database.replica]]",
    `host = "replica-${i % 3}.internal"`,
    "weight = 0.5",
    "",
    "[[database.replica]]",
    `host = "replica-${(i + 1) % 3}.internal"`,
    "weight = 0.5",
    "",
    "[logging]",
    'level = "info"',
    "features = [",
    '  "audit",',
    '  "metrics",',
    "]",
    `cache-ttl = ${60 + (i % 600)}`,
    "",
  ];
  return { text: lines.join("\n"), path: "database.user", value: `user-${i}` };
}

/** ~1 KB of OpenTofu: a resource with comments and nested blocks, a variable and an output. */
function hclUnit(i: number): Sample {
  const name = `svc-${i.toString(36)}`;
  const lines = [
    `# ${name}: generated infrastructure ${i}`,
    `resource "aws_instance" "${name}" {`,
    `  ami           = "ami-${(100000 + i).toString(16)}" # pinned`,
    '  instance_type = "t3.micro"',
    `  count         = ${1 + (i % 3)}`,
    "  monitoring    = true",
    "",
    "  root_block_device {",
    `    volume_size = ${20 + (i % 50)}`,
    '    volume_type = "gp3"',
    "  }",
    "",
    "  tags = {",
    `    Name = "${name}"`,
    '    Team = "platform"',
    "  }",
    "}",
    "",
    'variable "region" {',
    "  type    = string",
    '  default = "eu-west-1"',
    "}",
    "",
    `output "${name}_ip" {`,
    `  value = aws_instance.${name}[0].private_ip`,
    "}",
    "",
  ];
  return { text: lines.join("\n"), path: "instance_type", value: `t3.large` };
}

const generators: Partial<Record<ToolchainType, (i: number) => Sample>> = {
  "OpenTofu/HCL": hclUnit,
  "AppConfig/Properties": propertiesUnit,
  "AppConfig/Env": envUnit,
  "AppConfig/TOML": tomlUnit,
};

function option(args: string[], name: string, fallback: number): number {
  const at = args.indexOf(`--${name}`);
  const value = at >= 0 ? Number(args[at + 1]) : fallback;
  if (!Number.isInteger(value) || value <= 0)
    throw new Error(`bench toolchains: --${name} must be a positive integer`);
  return value;
}

function time(fn: () => number): number {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function edit(text: string, toolchain: ToolchainType, sample: Sample): number {
  const data = parseConfig(text, { toolchain });
  data.documents[0]!.set(sample.path, sample.value);
  return data.toString().length;
}

export async function run(args: string[]): Promise<void> {
  const count = option(args, "units", 1000);
  const rounds = option(args, "rounds", 3);
  for (const format of nativeFormats()) {
    const generate = generators[format.toolchain];
    if (!generate) {
      console.log(`${format.toolchain}: no generator in bench/toolchains.ts, skipped`);
      continue;
    }
    const samples = Array.from({ length: count }, (_, i) => generate(i));
    // The same data as YAML: the toolchain's own YAML view of each Unit.
    const yaml = samples.map((s) => format.decode(s.text, defaultParseLimits).yaml);
    const native = () => samples.reduce((n, s) => n + edit(s.text, format.toolchain, s), 0);
    const viaYaml = () => samples.reduce((n, s, i) => n + edit(yaml[i]!, "Kubernetes/YAML", s), 0);
    // Check the edit happened, then warm up both paths.
    const edited = parseConfig(samples[0]!.text, { toolchain: format.toolchain });
    edited.documents[0]!.set(samples[0]!.path, samples[0]!.value);
    if (!edited.toString().includes(samples[0]!.value))
      throw new Error(`${format.toolchain}: the edit was lost`);
    native();
    viaYaml();
    let best = { native: Infinity, yaml: Infinity };
    for (let round = 0; round < rounds; round++) {
      best = { yaml: Math.min(best.yaml, time(viaYaml)), native: Math.min(best.native, time(native)) };
    }
    const bytes = Math.round(samples.reduce((n, s) => n + s.text.length, 0) / count);
    console.log(
      `${format.toolchain}: ${count} units (~${bytes} B each), ${Math.round(count / best.native)} units/s; ` +
        `YAML on the same data ${Math.round(count / best.yaml)} units/s; ratio ${(best.native / best.yaml).toFixed(2)} (target <= 2)`,
    );
  }
}
