// Request validation with two ajv instances: bodies are checked strictly (no type coercion: a
// string "3" is not a Version), while query strings and path parameters, which arrive as text,
// are coerced to the declared types. Unknown body properties are rejected, never silently
// dropped. Request schemas are inline (no $ref), so neither instance needs the shared schemas.
import { Ajv, type Options } from "ajv";
import addFormatsModule from "ajv-formats";
import type { FastifyInstance } from "fastify";

// ajv-formats is CommonJS with a default export.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

function createAjv(options: Options): Ajv {
  const ajv = new Ajv({
    // Schemas carry OpenAPI annotations (example, readOnly, format base64) ajv does not know.
    strict: false,
    allErrors: false,
    removeAdditional: false,
    useDefaults: true,
    ...options,
  });
  addFormats(ajv);
  // Base64 fields are decoded (and rejected with a precise message) by their handlers.
  ajv.addFormat("base64", true);
  ajv.addFormat("int64", true);
  return ajv;
}

export function registerValidation(app: FastifyInstance): void {
  const bodies = createAjv({ coerceTypes: false });
  const textual = createAjv({ coerceTypes: "array" });
  app.setValidatorCompiler(({ schema, httpPart }) =>
    (httpPart === "body" ? bodies : textual).compile(schema as object),
  );
}
