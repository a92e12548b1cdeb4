/**
 * Reads a string as Terraform reads it: a template of literal text, `${…}` interpolations and `%{…}`
 * directives, with `$${` and `%%{` as escapes for a literal `${` and `%{`. Written for the tests from
 * the template syntax in Terraform's documentation, independently of `model/terraform-text.ts`.
 */

/** What Terraform makes of one string. */
export interface TemplateParts {
  /** The literal text, escapes resolved, with each interpolation or directive left out. */
  readonly literal: string;
  /** The expression inside each `${…}`, in order. */
  readonly interpolations: readonly string[];
  /** The inside of each `%{…}`, in order. */
  readonly directives: readonly string[];
}

/** The index of the `}` that closes the sequence opened at `start` (the `{`), skipping quoted strings. */
function closingBrace(text: string, start: number): number {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === "\\") i++;
    } else if (c === "{") {
      depth++;
    } else if (c === "}" && --depth === 0) {
      return i;
    }
  }
  return text.length - 1;
}

export function templateParts(text: string): TemplateParts {
  let literal = "";
  const interpolations: string[] = [];
  const directives: string[] = [];
  for (let i = 0; i < text.length; i++) {
    const pair = text.slice(i, i + 2);
    if (text.slice(i, i + 3) === "$${" || text.slice(i, i + 3) === "%%{") {
      literal += text[i] + "{";
      i += 2;
    } else if (pair === "${" || pair === "%{") {
      const end = closingBrace(text, i + 1);
      (pair === "${" ? interpolations : directives).push(text.slice(i + 2, end));
      i = end;
    } else {
      literal += text[i];
    }
  }
  return { literal, interpolations, directives };
}

/** Every string anywhere in a parsed JSON value (keys included), depth first. */
export function everyString(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(everyString);
  if (typeof value === "object" && value !== null) {
    return Object.entries(value).flatMap(([key, item]) => [key, ...everyString(item)]);
  }
  return [];
}
