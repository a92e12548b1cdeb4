/** Run-time checks of `resourceServers`: identifiers, display names and scopes. */
import { COGNITO_NAME_CHARACTERS, COGNITO_TEXT_MAX_LENGTH } from "../model/aws-limits";
import type { ProblemCollector } from "./problems";
import { got, isNonEmptyText, isRecord, keyedEntry } from "./validate-support";

/** Simpler than Cognito allows, on purpose: the identifier is the prefix of every scope name. */
const IDENTIFIER = /^[a-z][a-z0-9-]{0,63}$/;
const SCOPE_NAME = /^[a-z][a-z0-9_.-]{0,63}$/;
const MAX_TEXT_LENGTH = COGNITO_TEXT_MAX_LENGTH;

function isShortText(value: unknown): boolean {
  return isNonEmptyText(value) && value.length <= MAX_TEXT_LENGTH;
}

export function validateResourceServers(
  resourceServers: Readonly<Record<string, unknown>>,
  collector: ProblemCollector,
): void {
  for (const [identifier, server] of Object.entries(resourceServers)) {
    const problems = collector.entry(keyedEntry("resourceServers", identifier));
    if (!IDENTIFIER.test(identifier)) {
      problems.error(
        "identifier",
        `must be 1 to 64 lower-case letters, digits or dashes, starting with a letter (it prefixes every scope); ${got(
          identifier,
        )}`,
      );
    }
    if (!isRecord(server)) {
      problems.error("", `must be an object with name and scopes; ${got(server)}`);
      continue;
    }
    if (!isShortText(server.name) || !COGNITO_NAME_CHARACTERS.test(server.name as string)) {
      problems.error(
        "name",
        `must be a display name of 1 to ${MAX_TEXT_LENGTH} letters, digits, spaces and "_ + = , . @ -" (Cognito's name characters); ${got(server.name)}`,
      );
    }
    const scopes = server.scopes;
    if (!isRecord(scopes)) {
      problems.error("scopes", `must be an object mapping scope names to descriptions; ${got(scopes)}`);
      continue;
    }
    const scopeNames = Object.keys(scopes);
    if (scopeNames.length === 0) {
      problems.error("scopes", "must define at least one scope; got none");
    }
    for (const scopeName of scopeNames) {
      const field = keyedEntry("scopes", scopeName);
      if (!SCOPE_NAME.test(scopeName)) {
        problems.error(
          field,
          `scope name must be 1 to 64 lower-case letters, digits, "_", "." or "-", starting with a letter; ${got(
            scopeName,
          )}`,
        );
      }
      if (!isShortText(scopes[scopeName])) {
        problems.error(
          field,
          `must be a non-empty description of at most ${MAX_TEXT_LENGTH} characters; ${got(scopes[scopeName])}`,
        );
      }
    }
  }
}
