/**
 * Mocking at the SDK boundary only where the emulator lacks an API: an aws-sdk-client-mock stub
 * answers the commands moto does not implement, and hands every command listed here to the real
 * client, which sends it to moto. Capture the real `send` before `mockClient(Class)` replaces it.
 */
import type { AwsStub } from "aws-sdk-client-mock";

/** A command class of any AWS SDK v3 client. */
export type CommandClass = new (input: any) => any;

/** Real `send`, bound to a client that talks to the emulator. */
export type RealSend = (command: unknown) => Promise<unknown>;

/** The `send` of a client class before any stub, bound to `instance`. */
export function realSend<T extends { send: (...args: never[]) => unknown }>(
  clientClass: { prototype: T },
  instance: T,
): RealSend {
  const original = clientClass.prototype.send as unknown as (this: T, command: unknown) => Promise<unknown>;
  return (command) => original.call(instance, command);
}

/** Routes each listed command to the emulator through `send`. */
export function passThrough(stub: AwsStub<any, any, any>, send: RealSend, commands: readonly CommandClass[]): void {
  for (const Command of commands) stub.on(Command).callsFake((input: unknown) => send(new Command(input)));
}
