/**
 * The JSON a client's credentials secret holds. The stack writes the first version
 * (`stacks/machine-client.ts`); `rotate-secret` writes later ones with the same fields plus
 * `client_secret_id`, the Cognito id of the secret it holds (Cognito never returns secret values
 * after creating them, so the id is how `--finish` knows which Cognito secret the partner uses).
 */
import { GetSecretValueCommand, type SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { CliError } from "./errors";

/** Staging label of the version partners read. */
export const CURRENT_STAGE = "AWSCURRENT";
/** Staging label Secrets Manager moves to the version AWSCURRENT leaves. */
export const PREVIOUS_STAGE = "AWSPREVIOUS";

/** Fields of the credentials secret. */
export interface CredentialsSecretValue {
  readonly client_id: string;
  readonly client_secret: string;
  readonly token_url: string;
  /** Space-separated scopes. */
  readonly scopes: string;
  readonly api_base_url: string;
  /** Cognito `ClientSecretId` of `client_secret`; absent in the version the stack wrote. */
  readonly client_secret_id?: string;
}

const REQUIRED_FIELDS = ["client_id", "client_secret", "token_url", "scopes", "api_base_url"] as const;

/**
 * Parses a secret string; the error names the secret and the missing fields, never the content.
 */
export function parseCredentialsSecret(secretString: string | undefined, secretName: string): CredentialsSecretValue {
  let parsed: unknown;
  try {
    parsed = JSON.parse(secretString ?? "");
  } catch {
    throw new CliError(`secret ${secretName} does not hold JSON`);
  }
  if (typeof parsed !== "object" || parsed === null)
    throw new CliError(`secret ${secretName} does not hold a JSON object`);
  const record = parsed as Record<string, unknown>;
  const missing = REQUIRED_FIELDS.filter((field) => typeof record[field] !== "string" || record[field] === "");
  if (missing.length > 0) throw new CliError(`secret ${secretName} lacks ${missing.join(", ")}`);
  if (record.client_secret_id !== undefined && typeof record.client_secret_id !== "string") {
    throw new CliError(`secret ${secretName}: client_secret_id is not a string`);
  }
  return record as unknown as CredentialsSecretValue;
}

/** The version partners read now. */
export interface CurrentCredentials {
  readonly value: CredentialsSecretValue;
  readonly versionId: string;
}

/** Reads and parses the version of a credentials secret that carries `stage`. */
export async function readCredentialsAt(
  secretsManager: SecretsManagerClient,
  secretId: string,
  stage: string,
): Promise<CurrentCredentials> {
  const version = await secretsManager.send(new GetSecretValueCommand({ SecretId: secretId, VersionStage: stage }));
  if (!version.VersionId) throw new CliError(`secret ${secretId} has no ${stage} version`);
  return { value: parseCredentialsSecret(version.SecretString, secretId), versionId: version.VersionId };
}

/** Reads and parses the AWSCURRENT version of a credentials secret. */
export function readCurrentCredentials(
  secretsManager: SecretsManagerClient,
  secretId: string,
): Promise<CurrentCredentials> {
  return readCredentialsAt(secretsManager, secretId, CURRENT_STAGE);
}
