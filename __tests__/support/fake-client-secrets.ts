/**
 * Cognito's client-secret API (`AddUserPoolClientSecret`, `ListUserPoolClientSecrets`,
 * `DeleteUserPoolClientSecret`), which moto 5.2 does not implement, answered at the SDK boundary by an
 * aws-sdk-client-mock stub with the documented rules: at most two active secrets per app client, the
 * last one cannot be deleted, ids are `<client-id>--<epoch-millis>`, values are only returned by Add.
 */
import {
  AddUserPoolClientSecretCommand,
  type AddUserPoolClientSecretCommandInput,
  DeleteUserPoolClientSecretCommand,
  type DeleteUserPoolClientSecretCommandInput,
  InvalidParameterException,
  LimitExceededException,
  ListUserPoolClientSecretsCommand,
  type ListUserPoolClientSecretsCommandInput,
  ResourceNotFoundException,
} from "@aws-sdk/client-cognito-identity-provider";
import type { AwsStub } from "aws-sdk-client-mock";
import { randomBytes } from "node:crypto";

interface StoredSecret {
  readonly id: string;
  readonly created: Date;
  readonly value: string;
}

/** The secrets of every app client the fake knows, and the requests it answered. */
export class FakeClientSecrets {
  private readonly secrets = new Map<string, StoredSecret[]>();
  private clock: number;
  /** One line per request, in order, e.g. `Add acme` or `Delete acme acme--1767225600000`. */
  readonly requests: string[] = [];

  constructor(start: Date = new Date("2026-01-01T00:00:00Z")) {
    this.clock = start.getTime();
  }

  /** Registers an app client with the secret it was created with. */
  addAppClient(clientId: string, originalSecret: string): string {
    const id = this.nextId(clientId);
    this.secrets.set(clientId, [{ id, created: new Date(this.clock), value: originalSecret }]);
    return id;
  }

  /** Active secret ids of an app client, oldest first. */
  ids(clientId: string): string[] {
    return (this.secrets.get(clientId) ?? []).map((s) => s.id);
  }

  /** Whether `value` is an active secret of the app client: what the token endpoint would check. */
  accepts(clientId: string, value: string): boolean {
    return (this.secrets.get(clientId) ?? []).some((s) => s.value === value);
  }

  /** Answers the three commands on `stub`. */
  install(stub: AwsStub<any, any, any>): void {
    stub.on(AddUserPoolClientSecretCommand).callsFake((input: AddUserPoolClientSecretCommandInput) => this.add(input));
    stub
      .on(ListUserPoolClientSecretsCommand)
      .callsFake((input: ListUserPoolClientSecretsCommandInput) => this.list(input));
    stub
      .on(DeleteUserPoolClientSecretCommand)
      .callsFake((input: DeleteUserPoolClientSecretCommandInput) => this.delete(input));
  }

  private nextId(clientId: string): string {
    this.clock += 60_000;
    return `${clientId}--${this.clock}`;
  }

  private known(clientId: string | undefined): StoredSecret[] {
    const list = clientId ? this.secrets.get(clientId) : undefined;
    if (!list)
      throw new ResourceNotFoundException({ message: `User pool client ${clientId} does not exist.`, $metadata: {} });
    return list;
  }

  private add(input: AddUserPoolClientSecretCommandInput) {
    const list = this.known(input.ClientId);
    this.requests.push(`Add ${input.ClientId}`);
    if (list.length >= 2)
      throw new LimitExceededException({ message: "An app client can have at most 2 secrets.", $metadata: {} });
    const secret = {
      id: this.nextId(input.ClientId!),
      created: new Date(this.clock),
      value: randomBytes(39).toString("base64").replace(/\//g, "_"),
    };
    list.push(secret);
    return {
      ClientSecretDescriptor: {
        ClientSecretId: secret.id,
        ClientSecretValue: secret.value,
        ClientSecretCreateDate: secret.created,
      },
    };
  }

  private list(input: ListUserPoolClientSecretsCommandInput) {
    const list = this.known(input.ClientId);
    this.requests.push(`List ${input.ClientId}`);
    return { ClientSecrets: list.map((s) => ({ ClientSecretId: s.id, ClientSecretCreateDate: s.created })) };
  }

  private delete(input: DeleteUserPoolClientSecretCommandInput) {
    const list = this.known(input.ClientId);
    this.requests.push(`Delete ${input.ClientId} ${input.ClientSecretId}`);
    const index = list.findIndex((s) => s.id === input.ClientSecretId);
    if (index < 0)
      throw new ResourceNotFoundException({
        message: `Client secret ${input.ClientSecretId} does not exist.`,
        $metadata: {},
      });
    if (list.length === 1)
      throw new InvalidParameterException({ message: "Cannot delete the last client secret.", $metadata: {} });
    list.splice(index, 1);
    return {};
  }
}
