/**
 * Run-time checks of `clients`: keys, ownership, tier, scopes, environments, token validity, expiry and
 * the principals that may read the credentials.
 */
import type { EntryProblems, ProblemCollector } from "./problems";
import {
  type RegistryIndex,
  checkNameList,
  formatCount,
  got,
  isNonEmptyText,
  isRecord,
  isWholeNumber,
  mustBeOneOf,
} from "./validate-support";
import {
  ACCESS_TOKEN_VALIDITY_MINUTES,
  ACCOUNT_ID,
  IAM_PRINCIPAL_ARN,
  SECRET_DESCRIPTION_MAX_LENGTH,
  TAG_CHARACTERS,
  TAG_LIMITS,
} from "../model/aws-limits";
import { TAG_KEYS } from "../model/names";
import { parseIsoDay } from "../model/dates";
import { DEFAULT_ACCESS_TOKEN_VALIDITY_MINUTES } from "../model/defaults";

/**
 * Every Terraform address and AWS name of a client derives from its key; how long those names may get
 * is checked with the other derived names (`./validate-names`).
 */
const CLIENT_KEY = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
/** The credentials secret's description starts with this, then the client's description. */
const SECRET_DESCRIPTION_PREFIX = (key: string) => `OAuth2 client credentials of ${key}: `;
/** Cognito's bounds for an access token. */
const MIN_TOKEN_VALIDITY_MINUTES = ACCESS_TOKEN_VALIDITY_MINUTES.min;
const MAX_TOKEN_VALIDITY_MINUTES = ACCESS_TOKEN_VALIDITY_MINUTES.max;
const EXPIRY_WARNING_DAYS = 30;

export function isWellFormedClientKey(key: string): boolean {
  return CLIENT_KEY.test(key);
}

/** The client's access-token validity in minutes, or undefined when the configured value is invalid. */
export function effectiveTokenValidityMinutes(client: Readonly<Record<string, unknown>>): number | undefined {
  // Only a missing value takes the default: `null` is a mistake like any other.
  const minutes =
    client.accessTokenValidityMinutes === undefined
      ? DEFAULT_ACCESS_TOKEN_VALIDITY_MINUTES
      : client.accessTokenValidityMinutes;
  return isWholeNumber(minutes) && minutes >= MIN_TOKEN_VALIDITY_MINUTES && minutes <= MAX_TOKEN_VALIDITY_MINUTES
    ? minutes
    : undefined;
}

export function validateClients(
  clients: readonly unknown[],
  index: RegistryIndex,
  today: number,
  collector: ProblemCollector,
): void {
  const firstPositionByKey = new Map<string, number>();
  clients.forEach((client, position) => {
    const problems = collector.entry(index.clientEntries[position] ?? `clients[${position}]`);
    if (!isRecord(client)) {
      problems.error(
        "",
        `must be an object with key, description, owner, tier, scopes and environments; ${got(client)}`,
      );
      return;
    }
    const key = client.key;
    if (typeof key !== "string" || !isWellFormedClientKey(key)) {
      problems.error(
        "key",
        `must be lower-case letters and digits in dash-separated words, starting with a letter; ${got(key)}`,
      );
    } else if (firstPositionByKey.has(key)) {
      problems.error(
        "key",
        `must be unique, but ${index.clientSources[firstPositionByKey.get(key)!] ?? `clients[${firstPositionByKey.get(key)}]`} has the same key; ${got(key)}${index.clientSources[position] ? ` in ${index.clientSources[position]}` : ""}`,
      );
    }
    if (typeof key === "string" && !firstPositionByKey.has(key)) firstPositionByKey.set(key, position);

    checkDescription(client.description, typeof key === "string" ? key : "", problems);
    checkOwner(client.owner, problems);
    if (typeof client.tier !== "string" || !index.tierNames.includes(client.tier)) {
      problems.error("tier", `${mustBeOneOf(index.tierNames, "tier")}; ${got(client.tier)}`);
    }
    checkScopes(client.scopes, index, problems);
    checkEnvironments(client.environments, index, problems);
    if (effectiveTokenValidityMinutes(client) === undefined) {
      problems.error(
        "accessTokenValidityMinutes",
        `must be a whole number from ${MIN_TOKEN_VALIDITY_MINUTES} to ${MAX_TOKEN_VALIDITY_MINUTES} (Cognito's 5 minutes to 1 day); ${got(
          client.accessTokenValidityMinutes,
        )}`,
      );
    }
    checkExpiry(client.expires, today, problems);
    checkConsumerPrincipals(client.consumerPrincipals, problems);
  });
}

/**
 * The description reaches the API key and, after a prefix, the credentials secret's description, the
 * shorter of the limits it meets (API Gateway documents none for API keys).
 */
function checkDescription(description: unknown, key: string, problems: EntryProblems): void {
  if (!isNonEmptyText(description)) {
    problems.error("description", `must be a non-empty string; ${got(description)}`);
    return;
  }
  const prefix = SECRET_DESCRIPTION_PREFIX(key);
  const max = SECRET_DESCRIPTION_MAX_LENGTH - prefix.length;
  if (description.length > max) {
    problems.error(
      "description",
      `must be at most ${formatCount(max)} characters (the credentials secret's description is ${JSON.stringify(prefix)} and this, and Secrets Manager allows ${formatCount(SECRET_DESCRIPTION_MAX_LENGTH)}); got ${formatCount(description.length)} characters`,
    );
  }
}

/** The owner becomes the `m2m:owner` tag of the API key, the secret and the KMS key. */
function checkOwner(owner: unknown, problems: EntryProblems): void {
  if (!isNonEmptyText(owner)) {
    problems.error("owner", `must be a non-empty string; ${got(owner)}`);
  } else if (owner.length > TAG_LIMITS.maxValueLength) {
    problems.error(
      "owner",
      `must be at most ${TAG_LIMITS.maxValueLength} characters (it becomes the ${TAG_KEYS.owner} tag, and AWS tag values are at most that long); got ${owner.length} characters`,
    );
  } else if (!TAG_CHARACTERS.test(owner)) {
    problems.error(
      "owner",
      `must be letters, digits, spaces and "_ . : / = + - @" only (it becomes the ${TAG_KEYS.owner} tag, and AWS tags allow no other characters); ${got(owner)}`,
    );
  }
}

function checkScopes(scopes: unknown, index: RegistryIndex, problems: EntryProblems): void {
  if (!Array.isArray(scopes)) {
    problems.error("scopes", `must be a list of scopes; ${got(scopes)}`);
    return;
  }
  if (scopes.length === 0) {
    problems.error(
      "scopes",
      `must list at least one scope (Cognito grants client_credentials only with a scope); ${got(scopes)}`,
    );
    return;
  }
  checkNameList(problems, "scopes", scopes, (scope) => {
    if (typeof scope !== "string" || !index.definedScopes.includes(scope)) {
      return `${mustBeOneOf(index.definedScopes, "scope")}; ${got(scope)}`;
    }
    if (!index.requiredScopes.has(scope)) {
      return `must be required by at least one route (a scope no route requires grants nothing); ${got(scope)}`;
    }
    return undefined;
  });
}

function checkEnvironments(environments: unknown, index: RegistryIndex, problems: EntryProblems): void {
  if (!Array.isArray(environments)) {
    problems.error("environments", `must be a list of environment names; ${got(environments)}`);
    return;
  }
  if (environments.length === 0) {
    problems.error(
      "environments",
      `must list at least one environment (a client with no environment is deployed nowhere); ${got(environments)}`,
    );
    return;
  }
  checkNameList(problems, "environments", environments, (environment) =>
    typeof environment === "string" && index.environmentNames.includes(environment)
      ? undefined
      : `${mustBeOneOf(index.environmentNames, "environment")}; ${got(environment)}`,
  );
}

function checkExpiry(expires: unknown, today: number, problems: EntryProblems): void {
  if (expires === undefined) return;
  const lastDay = parseIsoDay(expires);
  if (lastDay === undefined) {
    problems.error("expires", `must be a real date written YYYY-MM-DD; ${got(expires)}`);
    return;
  }
  const daysLeft = lastDay - today;
  if (daysLeft < 0) {
    problems.error("expires", `expired on ${expires}: renew it (move \`expires\` forward) or remove the client`);
  } else if (daysLeft <= EXPIRY_WARNING_DAYS) {
    const when = daysLeft === 0 ? "today" : daysLeft === 1 ? "tomorrow" : `in ${daysLeft} days`;
    problems.warning(
      "expires",
      `expires on ${expires}, ${when}: renew it (move \`expires\` forward) or plan the client's removal`,
    );
  }
}

function checkConsumerPrincipals(principals: unknown, problems: EntryProblems): void {
  if (principals === undefined) return;
  if (!Array.isArray(principals)) {
    problems.error("consumerPrincipals", `must be a list of account ids or IAM ARNs; ${got(principals)}`);
    return;
  }
  checkNameList(problems, "consumerPrincipals", principals, (principal) =>
    typeof principal === "string" && (ACCOUNT_ID.test(principal) || IAM_PRINCIPAL_ARN.test(principal))
      ? undefined
      : `must be a 12-digit account id or an IAM ARN such as "arn:aws:iam::123456789012:role/name" (root, role/… or user/…); ${got(
          principal,
        )}`,
  );
}
