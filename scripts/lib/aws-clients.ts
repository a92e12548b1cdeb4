/**
 * AWS SDK v3 clients for one environment's region. The SDK reads `AWS_ENDPOINT_URL` (and the
 * per-service `AWS_ENDPOINT_URL_<SERVICE>`) by itself, which is how the tests point it at moto;
 * `--endpoint-url` sets the same explicitly.
 */
import { APIGatewayClient } from "@aws-sdk/client-api-gateway";
import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";

/** The three services the operator CLIs read and write. */
export interface AwsClients {
  readonly apiGateway: APIGatewayClient;
  readonly cognito: CognitoIdentityProviderClient;
  readonly secretsManager: SecretsManagerClient;
}

/**
 * Clients for `region`.
 * @param endpoint one endpoint for every service (an emulator); @default - the SDK's own resolution
 */
export function createAwsClients(region: string, endpoint?: string): AwsClients {
  const config = endpoint ? { region, endpoint } : { region };
  return {
    apiGateway: new APIGatewayClient(config),
    cognito: new CognitoIdentityProviderClient(config),
    secretsManager: new SecretsManagerClient(config),
  };
}
