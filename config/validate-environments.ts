/**
 * Run-time checks of `environments`: names, regions, Cognito domain prefixes, log retention, the
 * authorizer cache, Terraform Cloud workspaces and who manages each account's API Gateway settings.
 */
import { firstClaim } from "./first-claim";
import { effectiveTokenValidityMinutes } from "./validate-clients";
import type { EntryProblems, ProblemCollector } from "./problems";
import { checkTerraformCloudField } from "./validate-settings";
import { type RegistryIndex, got, isRecord, isWholeNumber, keyedEntry } from "./validate-support";
import {
  ACCOUNT_ID,
  AUTHORIZER_CACHE_TTL_SECONDS,
  LOG_RETENTION_DAYS,
  TERRAFORM_CLOUD_NAME_MAX_LENGTH,
} from "../model/aws-limits";
import { DEFAULT_AUTHORIZER_CACHE_TTL_SECONDS, DEFAULT_TFC_HOSTNAME } from "../model/defaults";
import { DEFAULT_CLIENT_SHARDS, MAX_CLIENT_SHARDS, environmentStackNames } from "../model/shards";

/** Environment names become Terraform stack names and parts of AWS resource names. */
export const ENVIRONMENT_NAME = /^[a-z][a-z0-9]*$/;
const STAGE_NAME = /^[A-Za-z0-9_-]{1,128}$/;
const DOMAIN_PREFIX = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
/** Cognito refuses domain prefixes that contain these words. */
const RESERVED_DOMAIN_WORDS = ["aws", "amazon", "cognito"] as const;

export function validateEnvironments(
  environments: Readonly<Record<string, unknown>>,
  clients: readonly unknown[],
  index: RegistryIndex,
  collector: ProblemCollector,
): void {
  // Domain prefixes are unique per region across all of AWS, and a Terraform Cloud workspace holds
  // one state: the first environment to claim either keeps it, later ones are reported.
  const domainOwners = new Map<string, string>();
  const workspaceOwners = new Map<string, string>();
  // API Gateway's CloudWatch role is one setting per account and region: two stacks managing it
  // overwrite each other, and destroying one breaks the other's access logs.
  const apiGatewayAccountOwners = new Map<string, string>();

  for (const [name, environment] of Object.entries(environments)) {
    const entry = keyedEntry("environments", name);
    const problems = collector.entry(entry);
    if (!ENVIRONMENT_NAME.test(name)) {
      problems.error(
        "name",
        `must be lower-case letters and digits, starting with a letter (it becomes a Terraform stack name and part of AWS resource names); ${got(
          name,
        )}`,
      );
    }
    if (!isRecord(environment)) {
      problems.error(
        "",
        `must be an object with region, stageName, protected and cognitoDomainPrefix; ${got(environment)}`,
      );
      continue;
    }
    checkRegionAndAccount(environment, index, problems);
    if (typeof environment.stageName !== "string" || !STAGE_NAME.test(environment.stageName)) {
      problems.error("stageName", `must be 1 to 128 letters, digits, "_" or "-"; ${got(environment.stageName)}`);
    }
    if (typeof environment.protected !== "boolean") {
      problems.error("protected", `must be true or false; ${got(environment.protected)}`);
    }
    checkDomainPrefix(entry, environment, domainOwners, problems);
    const shards = checkClientShards(environment.clientShards, problems);
    checkTerraformCloud(entry, environment.terraformCloud, shards, workspaceOwners, problems);
    const retention = environment.logRetentionDays;
    if (retention !== undefined && !(LOG_RETENTION_DAYS as readonly unknown[]).includes(retention)) {
      problems.error(
        "logRetentionDays",
        `must be one of CloudWatch's retention periods ${LOG_RETENTION_DAYS.join(", ")}; ${got(retention)}`,
      );
    }
    checkAuthorizerCache(name, environment.authorizerCacheTtlSeconds, clients, index, problems);
    checkApiGatewayAccount(entry, environment, apiGatewayAccountOwners, problems);
  }
}

/**
 * At most one environment per account and region may manage `aws_api_gateway_account`. Environments
 * without `account` cannot be compared: nothing says which account they deploy to.
 */
function checkApiGatewayAccount(
  entry: string,
  environment: Readonly<Record<string, unknown>>,
  owners: Map<string, string>,
  problems: EntryProblems,
): void {
  const manages = environment.manageApiGatewayAccount;
  if (manages !== undefined && typeof manages !== "boolean") {
    problems.error("manageApiGatewayAccount", `must be true or false; ${got(manages)}`);
    return;
  }
  if (manages === false || typeof environment.account !== "string" || typeof environment.region !== "string") return;
  const place = `account ${environment.account} in ${environment.region}`;
  const owner = firstClaim(owners, place, entry);
  if (owner === undefined) return;
  problems.error(
    "manageApiGatewayAccount",
    `must be false: ${owner} already manages API Gateway's CloudWatch role for ${place}, and two stacks managing that one setting overwrite each other (destroying either breaks the other's access logs); got ${
      manages === undefined ? "true (the default)" : "true"
    }`,
  );
}

function checkRegionAndAccount(
  environment: Readonly<Record<string, unknown>>,
  index: RegistryIndex,
  problems: EntryProblems,
): void {
  if (typeof environment.region !== "string" || !index.regions.has(environment.region)) {
    problems.error(
      "region",
      `must be an AWS region such as "eu-west-1", one of those in model/aws-regions.ts (a region newer than that list goes in the registry's additionalRegions); ${got(environment.region)}`,
    );
  }
  const account = environment.account;
  if (account !== undefined && (typeof account !== "string" || !ACCOUNT_ID.test(account))) {
    problems.error("account", `must be a 12-digit AWS account id, as a string; ${got(account)}`);
  }
}

function checkDomainPrefix(
  entry: string,
  environment: Readonly<Record<string, unknown>>,
  domainOwners: Map<string, string>,
  problems: EntryProblems,
): void {
  const prefix = environment.cognitoDomainPrefix;
  if (typeof prefix !== "string" || !DOMAIN_PREFIX.test(prefix)) {
    problems.error(
      "cognitoDomainPrefix",
      `must be 1 to 63 lower-case letters, digits or hyphens, not starting or ending with a hyphen; ${got(prefix)}`,
    );
    return;
  }
  if (RESERVED_DOMAIN_WORDS.some((word) => prefix.includes(word))) {
    problems.error(
      "cognitoDomainPrefix",
      `must not contain "aws", "amazon" or "cognito" (Cognito reserves them); ${got(prefix)}`,
    );
    return;
  }
  if (typeof environment.region !== "string") return;
  const domain = `${prefix} in ${environment.region}`;
  const owner = firstClaim(domainOwners, domain, entry);
  if (owner !== undefined) {
    problems.error(
      "cognitoDomainPrefix",
      `must be unique within a region, but ${owner} already uses it in ${JSON.stringify(environment.region)}; ${got(
        prefix,
      )}`,
    );
  }
}

/** The number of client stacks, or 1 when the value is not one (reported). */
function checkClientShards(value: unknown, problems: EntryProblems): number {
  if (value === undefined) return DEFAULT_CLIENT_SHARDS;
  if (!isWholeNumber(value) || value < 1 || value > MAX_CLIENT_SHARDS) {
    problems.error(
      "clientShards",
      `must be a whole number from 1 to ${MAX_CLIENT_SHARDS} (1: every client in the environment's own stack); ${got(value)}`,
    );
    return DEFAULT_CLIENT_SHARDS;
  }
  return value;
}

function checkTerraformCloud(
  entry: string,
  settings: unknown,
  shards: number,
  workspaceOwners: Map<string, string>,
  problems: EntryProblems,
): void {
  if (settings === undefined) return;
  if (!isRecord(settings)) {
    problems.error("terraformCloud", `must be an object with organization and workspace; ${got(settings)}`);
    return;
  }
  const { organization, workspace, hostname } = settings;
  checkTerraformCloudField(problems, "terraformCloud.organization", organization, "name", true);
  checkTerraformCloudField(problems, "terraformCloud.workspace", workspace, "name", true);
  checkTerraformCloudField(problems, "terraformCloud.hostname", hostname, "hostname");
  checkTerraformCloudField(problems, "terraformCloud.project", settings.project, "project");
  if (typeof organization !== "string" || typeof workspace !== "string") return;
  const host = typeof hostname === "string" ? hostname : DEFAULT_TFC_HOSTNAME;
  // A sharded environment's client stacks are workspaces too: `<workspace>-clients-<i>`.
  for (const name of environmentStackNames(workspace, shards)) {
    const owner = firstClaim(workspaceOwners, `${organization}/${name} on ${host}`, entry);
    if (owner !== undefined) {
      problems.error(
        "terraformCloud.workspace",
        `must differ from every other environment's (one state per workspace), but ${owner} already uses ${JSON.stringify(
          `${organization}/${name}`,
        )} on ${host}; ${got(workspace)}`,
      );
      return;
    }
  }
  const longest = environmentStackNames(workspace, shards).at(-1)!;
  if (longest.length > TERRAFORM_CLOUD_NAME_MAX_LENGTH) {
    problems.error(
      "terraformCloud.workspace",
      `must leave room for the client shards' workspace names (${JSON.stringify(longest)} is ${longest.length} characters, Terraform Cloud allows ${TERRAFORM_CLOUD_NAME_MAX_LENGTH}); ${got(workspace)}`,
    );
  }
}

/**
 * API Gateway caches the authorizer's answer per token from the moment the token is first presented,
 * so a token first used just before it expires (or is revoked) keeps working for up to the TTL after.
 * Partners close that window by refreshing tokens at least the TTL before they expire (the token
 * client's `refreshMarginSeconds`, which it caps at half a token's life); for that margin to fit, the
 * TTL may be at most half the shortest token of the environment.
 */
function checkAuthorizerCache(
  environmentName: string,
  ttl: unknown,
  clients: readonly unknown[],
  index: RegistryIndex,
  problems: EntryProblems,
): void {
  if (ttl !== undefined && (!isWholeNumber(ttl) || ttl < 0 || ttl > AUTHORIZER_CACHE_TTL_SECONDS.max)) {
    problems.error(
      "authorizerCacheTtlSeconds",
      `must be a whole number from 0 to ${AUTHORIZER_CACHE_TTL_SECONDS.max} (API Gateway's limit); ${got(ttl)}`,
    );
    return;
  }
  const effectiveTtl = ttl ?? DEFAULT_AUTHORIZER_CACHE_TTL_SECONDS;
  let shortest: { readonly entry: string; readonly minutes: number } | undefined;
  clients.forEach((client, position) => {
    if (!isRecord(client) || !Array.isArray(client.environments)) return;
    if (!client.environments.includes(environmentName)) return;
    const minutes = effectiveTokenValidityMinutes(client);
    if (minutes !== undefined && (shortest === undefined || minutes < shortest.minutes)) {
      shortest = { entry: index.clientEntries[position] ?? `clients[${position}]`, minutes };
    }
  });
  if (shortest !== undefined && effectiveTtl > (shortest.minutes * 60) / 2) {
    problems.error(
      "authorizerCacheTtlSeconds",
      `must be at most ${(shortest.minutes * 60) / 2}, half the shortest access-token validity of the environment (${
        shortest.entry
      } has ${shortest.minutes}-minute tokens): API Gateway keeps an answer for up to the TTL from a token's first use, so a token stays usable that long past its expiry or revocation, and partners refresh tokens that long before they expire; got ${effectiveTtl}${
        ttl === undefined ? " (the default)" : ""
      }`,
    );
  }
}
