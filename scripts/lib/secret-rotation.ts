/**
 * Zero-downtime rotation of a client's secret, in two steps an operator runs some time apart.
 *
 * Start: Cognito gets a second secret for the app client (`AddUserPoolClientSecret`; an app client
 * may hold two), and the credentials secret gets a new version with it. `PutSecretValue` moves
 * AWSCURRENT to the new version and AWSPREVIOUS to the old one, so the old secret stays readable.
 * Both Cognito secrets work; partners switch whenever they next read the secret.
 *
 * Finish: deletes the Cognito secret that AWSCURRENT does not hold. It refuses when there is only
 * one secret, or when AWSCURRENT holds a secret Cognito no longer has (deleting the other would lock
 * everyone out).
 *
 * Terraform: the stack's secret version ignores changes to `secret_string`, and the first rotation
 * pins the version the stack wrote with the {@link TERRAFORM_VERSION_LABEL} staging label, so the next
 * apply neither writes the old credentials back nor recreates a version Secrets Manager dropped. See
 * docs/secret-rotation-internals.md.
 */
import { randomUUID } from "node:crypto";
import {
  AddUserPoolClientSecretCommand,
  type ClientSecretDescriptorType,
  type CognitoIdentityProviderClient,
  DeleteUserPoolClientSecretCommand,
  DescribeUserPoolClientCommand,
  ListUserPoolClientSecretsCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import {
  PutSecretValueCommand,
  type SecretsManagerClient,
  UpdateSecretVersionStageCommand,
  paginateListSecretVersionIds,
} from "@aws-sdk/client-secrets-manager";
import { tokenUrl } from "../../model/names";
import {
  type CredentialsSecretValue,
  type CurrentCredentials,
  PREVIOUS_STAGE,
  readCredentialsAt,
  readCurrentCredentials,
} from "./credentials-secret";
import { type EnvironmentContext, clientInContext } from "./environment-context";
import { CliError, RefusedError } from "./errors";
import { type DeployedAppClient, findAppClient, findCredentialsSecretArn } from "./find-deployed";

/**
 * Staging label that keeps the secret version the stack wrote from becoming deprecated (a version
 * without labels may be deleted by Secrets Manager, and Terraform would then create it again with
 * the old credentials).
 */
export const TERRAFORM_VERSION_LABEL = "m2m-terraform";

/** Cognito returns every secret of a client in one page today; this bounds the loop anyway. */
const MAX_SECRET_PAGES = 10;

/** The SDK clients a rotation calls. */
export interface RotationClients {
  readonly cognito: CognitoIdentityProviderClient;
  readonly secretsManager: SecretsManagerClient;
}

/** Whose secret to rotate. */
export interface RotationTarget {
  readonly context: EnvironmentContext;
  readonly clientKey: string;
}

/** An active Cognito secret of an app client. */
export interface ActiveClientSecret {
  readonly id: string;
  readonly created?: Date;
}

/** What a started rotation did. */
export interface RotationStarted {
  readonly clientKey: string;
  readonly clientId: string;
  readonly secretArn: string;
  /** The secret Cognito added; AWSCURRENT now holds it. */
  readonly newSecretId: string;
  /** The secret partners used so far; it works until `--finish`. */
  readonly oldSecretId: string;
  readonly currentVersionId: string;
  readonly previousVersionId: string;
  /** Set when this run attached {@link TERRAFORM_VERSION_LABEL} (the first rotation). */
  readonly pinnedTerraformVersionId?: string;
  /** Something the operator should know that did not stop the rotation. */
  readonly note?: string;
}

/** What a finished rotation did. */
export interface RotationFinished {
  readonly clientKey: string;
  readonly clientId: string;
  readonly secretArn: string;
  readonly deletedSecretIds: readonly string[];
  readonly keptSecretId: string;
  /** Something the operator should know that did not stop the finish. */
  readonly note?: string;
}

interface Located {
  readonly appClient: DeployedAppClient;
  readonly secretArn: string;
  readonly current: CurrentCredentials;
}

async function locate(target: RotationTarget, clients: RotationClients): Promise<Located> {
  clientInContext(target.context, target.clientKey);
  // One after the other, so a client that is not deployed is always reported the same way.
  const appClient = await findAppClient(clients.cognito, target.context, target.clientKey);
  const secretArn = await findCredentialsSecretArn(clients.secretsManager, target.context, target.clientKey);
  const current = await readCurrentCredentials(clients.secretsManager, secretArn);
  if (current.value.client_id !== appClient.clientId) {
    throw new RefusedError(
      `AWSCURRENT of ${secretArn} holds client id ${current.value.client_id}, not the app client ${appClient.clientId}: fix the secret first; nothing changed`,
    );
  }
  return { appClient, secretArn, current };
}

/** The app client's active secrets, oldest first. */
export async function listClientSecrets(
  cognito: CognitoIdentityProviderClient,
  appClient: DeployedAppClient,
): Promise<ActiveClientSecret[]> {
  const secrets: ClientSecretDescriptorType[] = [];
  let nextToken: string | undefined;
  for (let page = 0; page < MAX_SECRET_PAGES; page++) {
    const response = await cognito.send(
      new ListUserPoolClientSecretsCommand({
        UserPoolId: appClient.userPoolId,
        ClientId: appClient.clientId,
        NextToken: nextToken,
      }),
    );
    secrets.push(...(response.ClientSecrets ?? []));
    nextToken = response.NextToken;
    if (!nextToken) break;
  }
  return secrets
    .filter((s): s is ClientSecretDescriptorType & { ClientSecretId: string } => Boolean(s.ClientSecretId))
    .map((s) => ({ id: s.ClientSecretId, created: s.ClientSecretCreateDate }))
    .sort((a, b) => (a.created?.getTime() ?? 0) - (b.created?.getTime() ?? 0) || a.id.localeCompare(b.id));
}

/** Whether some version of the secret carries {@link TERRAFORM_VERSION_LABEL}. */
async function hasPinnedVersion(secretsManager: SecretsManagerClient, secretArn: string): Promise<boolean> {
  for await (const page of paginateListSecretVersionIds(
    { client: secretsManager },
    { SecretId: secretArn, IncludeDeprecated: true },
  )) {
    if ((page.Versions ?? []).some((v) => v.VersionStages?.includes(TERRAFORM_VERSION_LABEL))) return true;
  }
  return false;
}

/**
 * Attaches {@link TERRAFORM_VERSION_LABEL} to the version the stack wrote, which is the only one
 * without `client_secret_id`. It runs after the new version is written: the label then joins
 * AWSPREVIOUS on the stack's version rather than riding along while AWSCURRENT moves.
 * @returns the pinned version id, or undefined when nothing needed pinning
 */
async function pinTerraformVersion(
  secretsManager: SecretsManagerClient,
  secretArn: string,
  candidate: { readonly versionId: string; readonly value: CredentialsSecretValue },
): Promise<string | undefined> {
  if (candidate.value.client_secret_id !== undefined) return undefined;
  if (await hasPinnedVersion(secretsManager, secretArn)) return undefined;
  await secretsManager.send(
    new UpdateSecretVersionStageCommand({
      SecretId: secretArn,
      VersionStage: TERRAFORM_VERSION_LABEL,
      MoveToVersionId: candidate.versionId,
    }),
  );
  return candidate.versionId;
}

/** Like {@link pinTerraformVersion}, but a failure becomes a note: the rotation itself went through. */
async function tryPinTerraformVersion(
  secretsManager: SecretsManagerClient,
  secretArn: string,
  candidate: { readonly versionId: string; readonly value: CredentialsSecretValue },
): Promise<{ pinned?: string; note?: string }> {
  try {
    const pinned = await pinTerraformVersion(secretsManager, secretArn, candidate);
    return pinned ? { pinned } : {};
  } catch (error) {
    const reason = error instanceof Error ? `${error.name}: ${error.message.split("\n")[0]}` : String(error);
    return {
      note: `could not label Terraform's version ${candidate.versionId} with ${TERRAFORM_VERSION_LABEL} (${reason}); --finish tries again`,
    };
  }
}

/** Adds a Cognito secret and makes it AWSCURRENT; the old secret keeps working. */
export async function startRotation(target: RotationTarget, clients: RotationClients): Promise<RotationStarted> {
  const { appClient, secretArn, current } = await locate(target, clients);
  const active = await listClientSecrets(clients.cognito, appClient);
  if (active.length >= 2) {
    throw new RefusedError(
      `a rotation of ${target.clientKey} is already under way: app client ${appClient.clientId} has ${active.length} active secrets; finish it with --finish first`,
    );
  }
  if (active.length === 0)
    throw new CliError(
      `app client ${appClient.clientId} has no active secret: it was not created with generate_secret`,
    );

  const described = await clients.cognito.send(
    new DescribeUserPoolClientCommand({ UserPoolId: appClient.userPoolId, ClientId: appClient.clientId }),
  );
  const scopes = described.UserPoolClient?.AllowedOAuthScopes ?? current.value.scopes.split(" ").filter(Boolean);

  const added = await clients.cognito.send(
    new AddUserPoolClientSecretCommand({ UserPoolId: appClient.userPoolId, ClientId: appClient.clientId }),
  );
  const newSecretId = added.ClientSecretDescriptor?.ClientSecretId;
  const newSecret = added.ClientSecretDescriptor?.ClientSecretValue;
  if (!newSecretId || !newSecret) throw new CliError("AddUserPoolClientSecret returned no secret id or value");

  // The stack writes the secret's descriptive fields once (it ignores later changes to the value, see
  // docs/secret-rotation-internals.md); a rotation brings scopes and token URL up to date.
  const next: CredentialsSecretValue = {
    ...current.value,
    client_secret: newSecret,
    client_secret_id: newSecretId,
    token_url: tokenUrl(target.context.environment.cognitoDomainPrefix, target.context.environment.region),
    scopes: scopes.join(" "),
  };
  let versionId: string | undefined;
  try {
    // Without VersionStages, Secrets Manager moves AWSCURRENT here and AWSPREVIOUS to the old version.
    const put = await clients.secretsManager.send(
      new PutSecretValueCommand({
        SecretId: secretArn,
        SecretString: JSON.stringify(next),
        ClientRequestToken: randomUUID(),
      }),
    );
    versionId = put.VersionId;
  } catch (error) {
    await undoAdd(clients.cognito, appClient, newSecretId, target, error);
  }
  if (!versionId) throw new CliError("PutSecretValue returned no version id");
  const pin = await tryPinTerraformVersion(clients.secretsManager, secretArn, current);

  return {
    clientKey: target.clientKey,
    clientId: appClient.clientId,
    secretArn,
    newSecretId,
    oldSecretId: active[0].id,
    currentVersionId: versionId,
    previousVersionId: current.versionId,
    ...(pin.pinned ? { pinnedTerraformVersionId: pin.pinned } : {}),
    ...(pin.note ? { note: pin.note } : {}),
  };
}

/** The Cognito secret nobody can read is removed again, so a failed start changes nothing. */
async function undoAdd(
  cognito: CognitoIdentityProviderClient,
  appClient: DeployedAppClient,
  newSecretId: string,
  target: RotationTarget,
  cause: unknown,
): Promise<never> {
  const reason = cause instanceof Error ? `${cause.name}: ${cause.message.split("\n")[0]}` : String(cause);
  try {
    await cognito.send(
      new DeleteUserPoolClientSecretCommand({
        UserPoolId: appClient.userPoolId,
        ClientId: appClient.clientId,
        ClientSecretId: newSecretId,
      }),
    );
  } catch {
    throw new CliError(
      `could not write the new secret to Secrets Manager (${reason}) nor delete it from Cognito again: run rotate-secret ${target.clientKey} --env ${target.context.environmentName} --finish to remove ${newSecretId}`,
    );
  }
  throw new CliError(
    `could not write the new secret to Secrets Manager (${reason}); removed it from Cognito again, the credentials are unchanged`,
  );
}

/**
 * The Cognito secret AWSCURRENT holds: the id rotate-secret recorded, or, for the version the stack
 * wrote, the app client's original secret (the only value `DescribeUserPoolClient` returns, and the
 * oldest of the two).
 */
async function secretIdInCurrent(
  clients: RotationClients,
  located: Located,
  active: readonly ActiveClientSecret[],
): Promise<string> {
  const { appClient, secretArn, current } = located;
  const recorded = current.value.client_secret_id;
  if (recorded !== undefined) {
    if (active.some((s) => s.id === recorded)) return recorded;
    throw new RefusedError(
      `AWSCURRENT of ${secretArn} holds Cognito secret ${recorded}, which app client ${appClient.clientId} no longer has: partners reading it fail already; fix the secret first, nothing deleted`,
    );
  }
  const described = await clients.cognito.send(
    new DescribeUserPoolClientCommand({ UserPoolId: appClient.userPoolId, ClientId: appClient.clientId }),
  );
  if (
    described.UserPoolClient?.ClientSecret !== undefined &&
    described.UserPoolClient.ClientSecret === current.value.client_secret
  ) {
    return active[0].id;
  }
  throw new RefusedError(
    `cannot tell which Cognito secret AWSCURRENT of ${secretArn} holds (no client_secret_id, and not the app client's original secret); nothing deleted`,
  );
}

/** Deletes the Cognito secret that AWSCURRENT does not hold. */
export async function finishRotation(target: RotationTarget, clients: RotationClients): Promise<RotationFinished> {
  const located = await locate(target, clients);
  const { appClient, secretArn } = located;
  const active = await listClientSecrets(clients.cognito, appClient);
  if (active.length < 2) {
    throw new RefusedError(
      `nothing to finish: app client ${appClient.clientId} of ${target.clientKey} has ${active.length} active secret${active.length === 1 ? "" : "s"}`,
    );
  }
  const keptSecretId = await secretIdInCurrent(clients, located, active);
  const note = (await pinPreviousIfUnpinned(clients.secretsManager, secretArn)).note;
  const deletedSecretIds = active.filter((s) => s.id !== keptSecretId).map((s) => s.id);
  for (const id of deletedSecretIds) {
    await clients.cognito.send(
      new DeleteUserPoolClientSecretCommand({
        UserPoolId: appClient.userPoolId,
        ClientId: appClient.clientId,
        ClientSecretId: id,
      }),
    );
  }
  return {
    clientKey: target.clientKey,
    clientId: appClient.clientId,
    secretArn,
    deletedSecretIds,
    keptSecretId,
    ...(note ? { note } : {}),
  };
}

/** Catches up on a pin that a started rotation could not make (the stack's version is AWSPREVIOUS then). */
async function pinPreviousIfUnpinned(
  secretsManager: SecretsManagerClient,
  secretArn: string,
): Promise<{ pinned?: string; note?: string }> {
  if (await hasPinnedVersion(secretsManager, secretArn)) return {};
  try {
    const previous = await readCredentialsAt(secretsManager, secretArn, PREVIOUS_STAGE);
    return await tryPinTerraformVersion(secretsManager, secretArn, previous);
  } catch {
    return {};
  }
}

/** What the operator reads after a started rotation. */
export function formatRotationStarted(result: RotationStarted, environmentName: string): string[] {
  return [
    `Rotation of ${result.clientKey} in ${environmentName} started: app client ${result.clientId} now has two working secrets.`,
    `  new secret  ${result.newSecretId}  in AWSCURRENT (version ${result.currentVersionId})`,
    `  old secret  ${result.oldSecretId}  in ${PREVIOUS_STAGE} (version ${result.previousVersionId}), works until --finish`,
    `  secret ARN  ${result.secretArn}`,
    ...(result.pinnedTerraformVersionId
      ? [
          `  Terraform's version ${result.pinnedTerraformVersionId} is pinned with the ${TERRAFORM_VERSION_LABEL} label so the next apply leaves it alone`,
        ]
      : []),
    ...(result.note ? [`note: ${result.note}`] : []),
    "When the partner uses the new secret (it re-reads the secret before its next token request), run:",
    `  npm run rotate-secret -- ${result.clientKey} --env ${environmentName} --finish`,
  ];
}

/** What the operator reads after a finished rotation. */
export function formatRotationFinished(result: RotationFinished, environmentName: string): string[] {
  return [
    `Rotation of ${result.clientKey} in ${environmentName} finished: app client ${result.clientId} has one secret again.`,
    ...result.deletedSecretIds.map((id) => `  deleted secret  ${id}`),
    `  kept secret     ${result.keptSecretId}  (AWSCURRENT of ${result.secretArn})`,
    "Tokens issued with the old secret stay valid until they expire; new token requests with it fail with invalid_client.",
    ...(result.note ? [`note: ${result.note}`] : []),
  ];
}
