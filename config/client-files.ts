/**
 * A registry gathered from one file per client: `<clients>/<team>/<client-key>.ts`, each with
 * `export default defineClient({…})`. Two pull requests that each add a client add two files and
 * never touch the same line. Files are read in a fixed order (team, then file name), so the order a
 * file system lists them in never changes the output. Whether each file's name is its key and each
 * folder a declared team is judged by the validator (`./validate-client-files`), with the path in the
 * message; a file that cannot be loaded at all is one line here.
 */
import { readdirSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { RegistryLoadError, loadFailureReason } from "./load";
import type { ClientConfig, ClientFile, Registry } from "./schema";

/** Suffix of a client file. */
const CLIENT_FILE = ".ts";

/** The registry of `settings` with every client file under `clientsFolder`. */
export function registryFromClientFiles(
  settings: Omit<Registry, "clients" | "clientFiles">,
  clientsFolder: string,
  repositoryRoot: string,
): Registry {
  const shown = (path: string) => relative(repositoryRoot, path).split(sep).join("/");
  const problems: string[] = [];
  const found: { readonly path: string; readonly team: string }[] = [];
  for (const entry of sortedEntries(clientsFolder)) {
    const path = join(clientsFolder, entry);
    if (!statSync(path).isDirectory()) {
      if (entry.endsWith(CLIENT_FILE)) {
        problems.push(`${shown(path)}: must be in a team's folder, ${shown(join(clientsFolder, "<team>", entry))}`);
      }
      continue;
    }
    for (const file of sortedEntries(path)) {
      const filePath = join(path, file);
      if (statSync(filePath).isDirectory()) {
        problems.push(`${shown(filePath)}: must not be a folder: a team's clients are the files of its folder`);
      } else if (file.endsWith(CLIENT_FILE) && !file.endsWith(".d.ts")) {
        found.push({ path: filePath, team: entry });
      }
    }
  }

  const clients: ClientConfig<string, string, string>[] = [];
  const clientFiles: ClientFile[] = [];
  for (const { path, team } of found) {
    let exported: unknown;
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      exported = (require(path) as { default?: unknown }).default;
    } catch (error) {
      problems.push(`${shown(path)}: cannot load: ${loadFailureReason(error)}`);
      continue;
    }
    if (typeof exported !== "object" || exported === null) {
      problems.push(`${shown(path)}: must export a client as its default export (export default defineClient({…}))`);
      continue;
    }
    clients.push(exported as ClientConfig<string, string, string>);
    clientFiles.push({ file: shown(path), team });
  }
  if (problems.length > 0) throw new RegistryLoadError(problems.map((line) => `error: ${line}`).join("\n"));
  return { ...settings, clients, clientFiles };
}

/** A folder's entries in code-point order, whatever the file system's. */
function sortedEntries(folder: string): string[] {
  return readdirSync(folder).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
