import js from "@eslint/js";
import tseslint from "typescript-eslint";

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
