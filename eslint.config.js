import js from "@eslint/js";
import importX from "eslint-plugin-import-x";
import tseslint from "typescript-eslint";

// Layer rules (CONTRIBUTING "Which layer may import which"), checked on resolved file paths by
// eslint-plugin-import-x, so they hold whatever the relative depth of an import. Import cycles are
// checked by scripts/check-import-cycles.js (type-only imports included), also run by `npm run lint`.
const layers = [
  "src/config",
  "src/filter",
  "src/engine",
  "src/worker-protocol",
  "src/store",
  "src/invoke",
  "src/worker",
  "src/api",
  "src/cli",
  "functions",
  "migrations",
  "console",
];
const dirs = (...names) => names.map((name) => `./${name}`);
const otherLayers = (layer) => dirs(...layers.filter((other) => other !== layer));
// Layers with a public entry point: every other layer imports them through their index.ts only.
// src/filter also has in-memory.ts, its filters without the SQL compiler (no kysely), for the
// function library and the local CLI.
// src/store also has unit-data-columns.ts and unit-data-check.ts, a Unit's derived data columns and
// the check of new data without the database, for the engine threads.
const extraEntryPoints = {
  "src/filter": ["./in-memory.ts"],
  "src/store": ["./unit-data-columns.ts", "./unit-data-check.ts"],
};
const entryPointZones = ["src/config", "src/filter", "src/engine", "src/worker-protocol", "src/store"].map(
  (layer) => ({
    target: otherLayers(layer),
    from: `./${layer}`,
    except: ["./index.ts", ...(extraEntryPoints[layer] ?? [])],
    message: `Import ${layer} through its public entry point, ${layer}/index.ts${extraEntryPoints[layer] ? ` (or ${extraEntryPoints[layer].join(", ")})` : ""}.`,
  }),
);
const serverPackages = {
  group: ["fastify", "fastify/*", "@fastify/*"],
  message: "Only src/api (and the CLI that starts it) may use Fastify.",
};

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", ".confn/**", "openapi/**", "coverage/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
    },
  },
  {
    files: ["**/*.ts"],
    plugins: { "import-x": importX },
    settings: { "import-x/resolver-next": [importX.createNodeResolver()] },
    rules: {
      "import-x/no-restricted-paths": [
        "error",
        {
          basePath: import.meta.dirname,
          zones: [
            {
              target: dirs("src/engine", "functions", "src/config"),
              from: dirs("src/store", "src/api", "src/invoke"),
              message: "The engine, the function library and src/config run with no server and no database.",
            },
            {
              target: dirs("src/config"),
              from: dirs("src/engine", "src/filter", "functions"),
              message: "src/config is the lowest layer: it imports no other layer.",
            },
            {
              target: dirs("src/worker-protocol"),
              from: dirs("src/store", "src/api", "src/invoke", "src/worker", "src/cli", "functions"),
              message: "The worker protocol is messages and framing: it imports only the engine's types.",
            },
            {
              target: dirs("src/worker"),
              from: dirs("src/store", "src/api", "src/invoke"),
              message: "The worker SDK runs in a user's process: no database, no server internals.",
            },
            {
              target: dirs("src/invoke"),
              from: dirs("src/api"),
              message: "The invoke pipeline knows nothing of HTTP: the API calls it, never the reverse.",
            },
            {
              target: dirs("console"),
              from: dirs(...layers.filter((layer) => layer !== "console")),
              message:
                "The web console runs in the browser: it reaches the server through the public /api only.",
            },
            {
              target: dirs(...layers.filter((layer) => layer !== "console")),
              from: dirs("console"),
              message: "The web console is a browser bundle: nothing server-side imports it.",
            },
            ...entryPointZones,
          ],
        },
      ],
    },
  },
  {
    files: [
      "src/engine/**/*.ts",
      "functions/**/*.ts",
      "src/config/**/*.ts",
      "src/invoke/**/*.ts",
      "src/worker-protocol/**/*.ts",
      "src/worker/**/*.ts",
      "console/**/*.ts",
    ],
    rules: { "no-restricted-imports": ["error", { patterns: [serverPackages] }] },
  },
  {
    // Issue 11: a query on the root handle inside a transaction waits for the transaction's own
    // connection (PGlite froze, PostgreSQL's pool drained). Transactions open only through
    // inTransaction (src/store/transaction.ts, whose driver guard fails such a query at run time),
    // and a function that receives `trx` must not reach `db`.
    files: ["**/*.ts"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: "CallExpression > MemberExpression.callee[property.name='transaction']",
          message: "open transactions with inTransaction() from src/store/transaction.ts",
        },
        {
          selector:
            ":function:has(> Identifier.params[name='trx']) Identifier[name='db']:not(Property > Identifier.key):not(MemberExpression[computed=false] > Identifier.property)",
          message:
            "inside a transaction use trx only: a query on db waits for the transaction's own connection",
        },
      ],
    },
  },
  {
    files: ["bin/**/*.js", "scripts/**/*.js"],
    languageOptions: { globals: { process: "readonly", console: "readonly" } },
  },
);
