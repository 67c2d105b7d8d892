// A strict reader for the XML our reports write (elements, attributes, text, the five predefined
// entities and numeric references; no DTD, CDATA or namespaces): it throws on anything malformed — an
// unclosed or mismatched tag, an unquoted attribute, a raw `<` or `&` — so a test can check that a
// report parses as XML and then read its counts.
export interface XmlElement {
  readonly name: string;
  readonly attributes: Record<string, string>;
  readonly children: XmlElement[];
  text: string;
}

const ENTITY = /&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g;

function decode(raw: string, where: string): string {
  if (/&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.test(raw)) throw new Error(`bare & in ${where}`);
  return raw.replace(ENTITY, (e) => {
    const named: Record<string, string> = {
      "&amp;": "&",
      "&lt;": "<",
      "&gt;": ">",
      "&quot;": '"',
      "&apos;": "'",
    };
    if (named[e]) return named[e];
    const code = e.startsWith("&#x") ? parseInt(e.slice(3, -1), 16) : parseInt(e.slice(2, -1), 10);
    return String.fromCodePoint(code);
  });
}

export function parseXml(text: string): XmlElement {
  let rest = text.replace(/^<\?xml[^?]*\?>\s*/, "");
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  while (rest.length > 0) {
    if (rest.startsWith("</")) {
      const m = /^<\/([A-Za-z][\w.-]*)\s*>/.exec(rest);
      if (!m) throw new Error(`bad closing tag at ${rest.slice(0, 30)}`);
      const open = stack.pop();
      if (open?.name !== m[1]) throw new Error(`</${m[1]}> closes <${open?.name}>`);
      if (stack.length === 0) root = open;
      rest = rest.slice(m[0].length);
    } else if (rest.startsWith("<")) {
      const m = /^<([A-Za-z][\w.-]*)((?:\s+[A-Za-z][\w.-]*="[^"<]*")*)\s*(\/?)>/.exec(rest);
      if (!m) throw new Error(`bad opening tag at ${rest.slice(0, 40)}`);
      const attributes: Record<string, string> = {};
      for (const a of m[2]!.matchAll(/([A-Za-z][\w.-]*)="([^"]*)"/g)) {
        attributes[a[1]!] = decode(a[2]!, `attribute ${a[1]}`);
      }
      const element: XmlElement = { name: m[1]!, attributes, children: [], text: "" };
      if (stack.length > 0) stack[stack.length - 1]!.children.push(element);
      else if (root) throw new Error("more than one root element");
      if (m[3] === "/") {
        if (stack.length === 0) root = element;
      } else {
        stack.push(element);
      }
      rest = rest.slice(m[0].length);
    } else {
      const end = rest.indexOf("<");
      const raw = end < 0 ? rest : rest.slice(0, end);
      if (stack.length === 0) {
        if (raw.trim() !== "") throw new Error(`text outside the root element: ${raw.slice(0, 30)}`);
      } else {
        stack[stack.length - 1]!.text += decode(raw, "text");
      }
      rest = end < 0 ? "" : rest.slice(end);
    }
  }
  if (stack.length > 0 || !root) throw new Error(`unclosed <${stack[stack.length - 1]?.name}>`);
  return root;
}

export function findAll(element: XmlElement, name: string): XmlElement[] {
  return [
    ...(element.name === name ? [element] : []),
    ...element.children.flatMap((child) => findAll(child, name)),
  ];
}
