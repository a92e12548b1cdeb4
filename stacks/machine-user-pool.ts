import { CognitoResourceServer } from "@cdktf/provider-aws/lib/cognito-resource-server";
import { CognitoUserPool } from "@cdktf/provider-aws/lib/cognito-user-pool";
import { CognitoUserPoolDomain } from "@cdktf/provider-aws/lib/cognito-user-pool-domain";
import { Construct } from "constructs";
import { terraformText } from "../model/terraform-text";
import type { ResourceServerConfig } from "../config/schema";
import { tokenUrl } from "../model/names";

/** Props of {@link MachineUserPool}. */
export interface MachineUserPoolProps {
  /** Name of the user pool in AWS. */
  readonly poolName: string;
  /** Prefix of the hosted Cognito domain that serves `/oauth2/token`. */
  readonly domainPrefix: string;
  /** AWS region of the pool, for the token URL. */
  readonly region: string;
  /**
   * A protected pool has Cognito deletion protection and Terraform `prevent_destroy`, so neither a
   * console click nor a merge can delete every credential of the environment.
   */
  readonly protected: boolean;
  /** Resource servers keyed by identifier. */
  readonly resourceServers: Readonly<Record<string, ResourceServerConfig>>;
}

/**
 * A Cognito user pool for machines only: no self sign-up, no user attributes, a hosted domain for the
 * token endpoint, and the resource servers whose scopes the app clients are granted.
 */
export class MachineUserPool extends Construct {
  readonly pool: CognitoUserPool;
  readonly domain: CognitoUserPoolDomain;
  /** `https://<prefix>.auth.<region>.amazoncognito.com/oauth2/token` */
  readonly tokenUrl: string;
  private readonly servers = new Map<string, CognitoResourceServer>();

  constructor(scope: Construct, id: string, props: MachineUserPoolProps) {
    super(scope, id);

    this.pool = new CognitoUserPool(this, "pool", {
      name: terraformText(props.poolName),
      // Machines never sign themselves up; app clients are the only way in.
      adminCreateUserConfig: { allowAdminCreateUserOnly: true },
      deletionProtection: props.protected ? "ACTIVE" : "INACTIVE",
      mfaConfiguration: "OFF",
      lifecycle: { preventDestroy: props.protected },
    });
    this.pool.overrideLogicalId("pool");

    this.domain = new CognitoUserPoolDomain(this, "domain", {
      domain: terraformText(props.domainPrefix),
      userPoolId: this.pool.id,
    });
    this.domain.overrideLogicalId("pool");
    this.tokenUrl = terraformText(tokenUrl(props.domainPrefix, props.region));

    for (const [identifier, server] of Object.entries(props.resourceServers)) {
      const resource = new CognitoResourceServer(this, `resource-server-${identifier}`, {
        userPoolId: this.pool.id,
        identifier: terraformText(identifier),
        name: terraformText(server.name),
        scope: Object.entries(server.scopes).map(([scopeName, scopeDescription]) => ({
          scopeName: terraformText(scopeName),
          scopeDescription: terraformText(scopeDescription),
        })),
      });
      resource.overrideLogicalId(identifier);
      this.servers.set(identifier, resource);
    }
  }

  /**
   * The full scope name as a reference to its resource server, so Terraform creates the server (and
   * its scopes) before any app client that is granted the scope.
   */
  scopeReference(fullScope: string): string {
    const slash = fullScope.indexOf("/");
    const server = this.servers.get(fullScope.slice(0, slash));
    if (!server) throw new Error(`No resource server defines scope ${JSON.stringify(fullScope)}`);
    return `${server.identifier}/${terraformText(fullScope.slice(slash + 1))}`;
  }
}
