// Random `where` and `where_data` expressions: random text, token soups and small edits of valid
// expressions (the shapes that reach deepest into the parsers, checkers and the database).
import fc from "fast-check";
import { mutate, textEdit } from "../../support/text-edits.ts";

const WHERE_CORPUS = [
  "Labels.tier = 'backend' AND HeadRevisionNum > LiveRevisionNum",
  "LEN(ApprovedBy) > 0 AND ApprovedBy ? '7c61626f-ddbe-41af-93f6-b69f4ab6d308'",
  "Slug IN ('a', 'b') AND Slug NOT IN ('c') AND Slug NOT LIKE 'x%'",
  "Slug ~* '^web-[0-9]+$' AND DisplayName !~ 'a+$'",
  "CreatedAt >= '2025-01-07' AND Slug = 'test' AND Labels.mykey = 'myvalue'",
  "TargetID = '7c61626f-ddbe-41af-93f6-b69f4ab6d308' IS NOT FALSE AND Labels.x IS NULL",
  "UpdatedAt < '2025-02-18T23:16:34.5+02:00' AND DisplayName = 'it''s'",
  "DisplayName ILIKE '%web%' AND Labels ? 'tier'",
];

const WHERE_TOKENS = [
  ...["'", "''", "(", ")", ",", ".", " AND ", " OR ", " IS ", " NOT ", " NULL", " IN ", "LEN(", "?"],
  ...["=", "!=", "~*", "\\", "%", "_", "*", "+", "{999}", "\n", "\u0000", "😀", "Labels.", "Slug"],
  ...["HeadRevisionNum", "-", "99999999999999999999", "' OR 1=1 --", "'; DROP TABLE units; --"],
  ...[" LIKE ", " ILIKE ", "CreatedAt", "'2025-01-01'", "TRUE", "SpaceID", "'x'"],
];

const P = "spec.template.spec.containers";
const WHERE_DATA_CORPUS = [
  "spec.replicas > 1 AND metadata.name = 'web'",
  `${P}.*.image LIKE 'nginx:%' AND ${P}.?name=main.image#reference = ':1.25'`,
  `${P}.*?name:container-name.image ~* '^NGINX' AND ${P}.0.image !~ 'a+$'`,
  `${P}.*.|securityContext.runAsNonRoot != true`,
  "metadata.annotations.@confighub~1com/key:annotation-key = 'mydep' spec.paused = false",
  `${P}.*.resources.limits.memory > '256Mi' AND metadata.labels.tier IN ('a', b, 'c''d')`,
  "metadata.name NOT IN ('x') AND spec.replicas <= 3",
  "data.blob ILIKE '%a_b%'",
];

const WHERE_DATA_TOKENS = [
  ...["'", "''", "(", ")", ",", ".", ".|", "*", "*?", "*@:", "?", "=", "@", ":", "#", "#uri", "~1"],
  ...["~", " AND ", " LIKE ", " ILIKE ", " IN ", " NOT ", "%", "_", "\u0000", "😀", "spec.", "0"],
  ...["metadata.name", "true", "-1", "99999999999999999999", "'256Mi'", "\\", "\n"],
];

function expressions(corpus: readonly string[], tokens: readonly string[]): fc.Arbitrary<string> {
  const edit = textEdit(tokens);
  return fc.oneof(
    fc.string({ maxLength: 120, unit: "binary" }),
    fc.array(fc.constantFrom(...tokens), { maxLength: 20 }).map((t) => t.join("")),
    fc
      .tuple(fc.constantFrom(...corpus), fc.array(edit, { minLength: 1, maxLength: 4 }))
      .map(([source, edits]) => mutate(source, edits)),
    fc.constantFrom(...corpus),
  );
}

export const whereExpressions = expressions(WHERE_CORPUS, WHERE_TOKENS);
export const whereDataExpressions = expressions(WHERE_DATA_CORPUS, WHERE_DATA_TOKENS);
