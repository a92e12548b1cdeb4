/**
 * What a partner needs to call the API, looked up from the config and AWS: token URL, client id,
 * scopes, API base URL and where the secret is. The secret itself is read only for `--reveal`, and
 * printed only to a terminal (a pipe or a CI log would keep it).
 */
import type { APIGatewayClient } from "@aws-sdk/client-api-gateway";
import {
  type CognitoIdentityProviderClient,
  DescribeUserPoolClientCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import type { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { DEFAULT_AUTHORIZER_CACHE_TTL_SECONDS } from "../../model/defaults";
import { tokenUrl } from "../../model/names";
import { readCurrentCredentials } from "./credentials-secret";
import { type EnvironmentContext, clientInContext } from "./environment-context";
import { RefusedError } from "./errors";
import { findAppClient, findCredentialsSecretArn, findRestApi } from "./find-deployed";

/** A partner's connection details, without the secret. */
export interface PartnerCredentials {
  readonly client: string;
  readonly environment: string;
  readonly region: string;
  readonly tokenUrl: string;
  readonly clientId: string;
  /** Scopes the deployed app client may request. */
  readonly scopes: readonly string[];
  /** Scopes of the config entry, when they differ from the deployed ones (a deploy is pending). */
  readonly configScopes?: readonly string[];
  readonly apiBaseUrl: string;
  /**
   * How long before `expires_in` a partner should replace its token: the environment's authorizer
   * cache TTL, so no cached answer outlives a token.
   */
  readonly refreshMarginSeconds: number;
  readonly secretArn: string;
  /** An AWS CLI command that prints the secret JSON. */
  readonly readSecretCommand: string;
}

/** Clients {@link lookUpPartnerCredentials} calls. */
export interface PartnerCredentialsClients {
  readonly apiGateway: APIGatewayClient;
  readonly cognito: CognitoIdentityProviderClient;
  readonly secretsManager: SecretsManagerClient;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

/** Looks up a client's connection details; fails when something is not deployed. */
export async function lookUpPartnerCredentials(
  context: EnvironmentContext,
  clientKey: string,
  clients: PartnerCredentialsClients,
): Promise<PartnerCredentials> {
  const client = clientInContext(context, clientKey);
  const { region, stageName, cognitoDomainPrefix } = context.environment;
  // The app client first, so a client that is not deployed is always reported the same way.
  const appClient = await findAppClient(clients.cognito, context, clientKey);
  const [secretArn, restApi] = await Promise.all([
    findCredentialsSecretArn(clients.secretsManager, context, clientKey),
    findRestApi(clients.apiGateway, context),
  ]);
  // DescribeUserPoolClient also returns the client secret; only the scopes are kept.
  const described = await clients.cognito.send(
    new DescribeUserPoolClientCommand({ UserPoolId: appClient.userPoolId, ClientId: appClient.clientId }),
  );
  const scopes = [...(described.UserPoolClient?.AllowedOAuthScopes ?? [])].sort();
  const configScopes = [...client.scopes].sort();
  return {
    client: clientKey,
    environment: context.environmentName,
    region,
    tokenUrl: tokenUrl(cognitoDomainPrefix, region),
    clientId: appClient.clientId,
    scopes,
    ...(sameSet(scopes, configScopes) ? {} : { configScopes }),
    apiBaseUrl: `https://${restApi.id}.execute-api.${region}.amazonaws.com/${stageName}`,
    refreshMarginSeconds: context.environment.authorizerCacheTtlSeconds ?? DEFAULT_AUTHORIZER_CACHE_TTL_SECONDS,
    secretArn,
    readSecretCommand: `aws secretsmanager get-secret-value --region ${region} --secret-id ${secretArn} --query SecretString --output text`,
  };
}

/** The details as aligned `label  value` lines. */
export function formatPartnerCredentials(credentials: PartnerCredentials, revealedSecret?: string): string[] {
  const rows: [string, string][] = [
    ["token URL", credentials.tokenUrl],
    ["grant", "client_credentials, HTTP Basic auth with client id and secret"],
    ["client id", credentials.clientId],
    ["scopes", credentials.scopes.join(" ") || "(none)"],
    ...(credentials.configScopes
      ? [["config scopes", `${credentials.configScopes.join(" ")} (not deployed yet)`] as [string, string]]
      : []),
    ["API base URL", credentials.apiBaseUrl],
    [
      "token refresh",
      `at least ${credentials.refreshMarginSeconds} s before expires_in (the API's authorizer cache TTL; the token client's refreshMarginSeconds)`,
    ],
    ["secret ARN", credentials.secretArn],
    ["read secret", credentials.readSecretCommand],
    ...(revealedSecret === undefined ? [] : [["client secret", revealedSecret] as [string, string]]),
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  return [
    `Credentials of ${credentials.client} in ${credentials.environment} (${credentials.region})`,
    ...rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`),
  ];
}

/** Refuses `--reveal` unless stdout is a terminal. */
export function assertCanReveal(stdoutIsTTY: boolean | undefined): void {
  if (!stdoutIsTTY) {
    throw new RefusedError(
      "--reveal prints the client secret only to a terminal, and stdout is not one; use the 'read secret' command to pipe it",
    );
  }
}

/** The client secret partners use now (AWSCURRENT), checked to belong to the app client. */
export async function readClientSecret(
  secretsManager: SecretsManagerClient,
  credentials: PartnerCredentials,
): Promise<string> {
  const current = await readCurrentCredentials(secretsManager, credentials.secretArn);
  if (current.value.client_id !== credentials.clientId) {
    throw new RefusedError(
      `secret ${credentials.secretArn} holds credentials of another app client than ${credentials.clientId}`,
    );
  }
  return current.value.client_secret;
}
