/**
 * Now and then an apply against moto fails with "already exists" on a create that Terraform sent once:
 * the AWS SDK retried a request the emulator had already carried out (moto is a threaded development
 * server; the moto log shows one extra POST and no error status). The first copy is then an orphan —
 * in the emulator, not in the state. This removes such orphans so that the apply can simply run again.
 * Only the two kinds of create seen doing this are handled; any other failure is left to the caller.
 */
import { APIGatewayClient, DeleteApiKeyCommand, GetApiKeysCommand } from "@aws-sdk/client-api-gateway";
import { DeleteSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";

/** One "already exists" failure of an apply, by the AWS name of what could not be created. */
export type DuplicateCreate =
  { readonly kind: "api-key"; readonly name: string } | { readonly kind: "secret"; readonly name: string };

const API_KEY_EXISTS = /creating API Gateway API Key \(([^)]+)\):.*ConflictException: API Key already exists/;
const SECRET_EXISTS = /creating Secrets Manager Secret \(([^)]+)\):.*ResourceExistsException/;

/**
 * The duplicate creates among Terraform's error lines, or undefined when any error is something else
 * (or there is none): then the failure is real and must not be papered over.
 */
export function duplicateCreates(terraformOutput: string): DuplicateCreate[] | undefined {
  const errors = terraformOutput.split("\n").filter((line) => line.trim().startsWith("Error:"));
  if (errors.length === 0) return undefined;
  const duplicates: DuplicateCreate[] = [];
  for (const error of errors) {
    const apiKey = API_KEY_EXISTS.exec(error);
    const secret = SECRET_EXISTS.exec(error);
    if (apiKey) duplicates.push({ kind: "api-key", name: apiKey[1] });
    else if (secret) duplicates.push({ kind: "secret", name: secret[1] });
    else return undefined;
  }
  return duplicates;
}

/** Deletes the emulator's copies of the duplicated creates, so the next apply creates them afresh. */
export async function removeOrphans(
  endpoint: string,
  region: string,
  duplicates: readonly DuplicateCreate[],
): Promise<void> {
  const config = { endpoint, region, credentials: { accessKeyId: "testing", secretAccessKey: "testing" } };
  const apiGateway = new APIGatewayClient(config);
  const secrets = new SecretsManagerClient(config);
  try {
    for (const duplicate of duplicates) {
      if (duplicate.kind === "secret") {
        await secrets.send(new DeleteSecretCommand({ SecretId: duplicate.name, ForceDeleteWithoutRecovery: true }));
        continue;
      }
      const found = await apiGateway.send(new GetApiKeysCommand({ nameQuery: duplicate.name, limit: 500 }));
      for (const key of found.items ?? []) {
        if (key.name === duplicate.name && key.id) await apiGateway.send(new DeleteApiKeyCommand({ apiKey: key.id }));
      }
    }
  } finally {
    apiGateway.destroy();
    secrets.destroy();
  }
}
