/**
 * The docs stay true to the repository: every relative link (and `#anchor`) in `docs/` resolves, and
 * every `npm run <script>` they tell people to type exists in package.json.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

const ROOT = join(__dirname, "..");
const DOCS = join(ROOT, "docs");
const docFiles = readdirSync(DOCS)
  .filter((f) => f.endsWith(".md"))
  .sort();
const scripts = Object.keys(
  (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts,
);

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as dashes. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, "")
    .replace(/ /g, "-");
}

/** The anchors of a Markdown file's headings (outside code blocks). */
function anchorsOf(markdown: string): Set<string> {
  const withoutCode = markdown.replace(/```[\s\S]*?```/g, "");
  return new Set([...withoutCode.matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1])));
}

/** Relative link targets of a Markdown file: `[text](target)`, external and mail links left out. */
function relativeLinks(markdown: string): string[] {
  const withoutCode = markdown.replace(/```[\s\S]*?```/g, "").replace(/`[^`\n]*`/g, "");
  return [...withoutCode.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]).filter((t) => !/^[a-z]+:/i.test(t));
}

/** Broken relative links of Markdown read from `fromPath`, as `target (why)`. */
function brokenLinks(markdown: string, fromPath: string): string[] {
  return relativeLinks(markdown).flatMap((target) => {
    const [targetPath, anchor] = target.split("#");
    const resolved = targetPath ? resolve(dirname(fromPath), targetPath) : fromPath;
    if (!existsSync(resolved)) return [`${target} (no such file)`];
    if (anchor && resolved.endsWith(".md") && !anchorsOf(readFileSync(resolved, "utf8")).has(anchor)) {
      return [`${target} (no such heading)`];
    }
    return [];
  });
}

test("the docs folder has the index and the guides the README links", () => {
  expect(docFiles).toEqual(
    expect.arrayContaining([
      "README.md",
      "adding-a-client.md",
      "ci.md",
      "first-deploy.md",
      "hcl-export.md",
      "removing-a-client.md",
      "rotating-a-secret.md",
      "terraform-cloud.md",
      "when-a-plan-replaces.md",
    ]),
  );
});

test.each(docFiles)("every relative link in %s resolves", (file) => {
  const path = join(DOCS, file);
  expect(brokenLinks(readFileSync(path, "utf8"), path)).toEqual([]);
});

test.each(docFiles)("every npm script %s names exists", (file) => {
  const named = [...readFileSync(join(DOCS, file), "utf8").matchAll(/npm run (?:--silent )?([a-z][\w:-]*)/g)].map(
    (m) => m[1],
  );
  expect(named.filter((name) => !scripts.includes(name))).toEqual([]);
});

test("the link check finds a missing file and a missing heading", () => {
  // GIVEN links the check must reject, resolved against the docs folder
  const markdown =
    "[a](no-such-guide.md) [b](ci.md#no-such-heading) [c](ci.md#github-environments) [d](https://example.com)";
  const problems = brokenLinks(markdown, join(DOCS, "README.md"));
  // THEN exactly the two broken ones are reported
  expect(problems).toEqual(["no-such-guide.md (no such file)", "ci.md#no-such-heading (no such heading)"]);
});
