import type { z } from "zod";
import { assertOperatorCan, operatorContext, type OperatorAuth } from "@/lib/auth";
import { AppError, notFound, validate } from "@/lib/http";
import { assertAdminWritable } from "../admin-writes";
import {
  isCommandSet,
  type AnyOperatorCommand,
  type CommandContext,
  type CommandDeps,
  type CommandTarget,
} from "./define";

/** What an edge hands over: who asked, how, and how to read the body once the checks passed. */
export interface CommandCall {
  auth: OperatorAuth;
  requestId: string;
  deps: CommandDeps;
  breakGlassToken: string | null;
  /** Path parameters (API) or form fields (cockpit): the params schema picks its own keys. */
  params: Record<string, unknown>;
  readBody: (command: AnyOperatorCommand, body: z.ZodType) => Promise<unknown>;
}

/** The command a route or form means: itself, or the one a command set's parameter names (else 404). */
export function selectCommand(target: CommandTarget, params: Record<string, unknown>): AnyOperatorCommand {
  if (!isCommandSet(target)) return target;
  const name = params[target.select];
  const command = typeof name === "string" && Object.hasOwn(target.commands, name) ? target.commands[name] : null;
  if (!command) notFound(target.notFound);
  return command;
}

/**
 * The one path every operator command takes, from either edge: params (404), permission (403),
 * incident mode and break-glass (409 read_only), then the body (400/415/422) and the handler.
 */
export async function executeCommand(command: AnyOperatorCommand, call: CommandCall) {
  const picked: Record<string, unknown> = {};
  for (const key of Object.keys(command.params.shape)) picked[key] = call.params[key];
  const parsed = command.params.safeParse(picked);
  if (!parsed.success) notFound(command.notFound);
  const params = parsed.data as Record<string, unknown>;

  const permission = typeof command.permission === "function" ? command.permission(params) : command.permission;
  assertOperatorCan(call.auth, permission);
  const user = call.auth.viewer.user;
  const writes = typeof command.writes === "function" ? command.writes(params) : command.writes;
  const breakGlassSessionId = writes
    ? (await assertAdminWritable(user, call.breakGlassToken)).breakGlassSessionId
    : null;

  const body = command.body ? ((await call.readBody(command, command.body)) as Record<string, unknown>) : {};
  const input = { ...body, ...params };
  const ctx: CommandContext = {
    ...operatorContext(call.auth.viewer, { requestId: call.requestId, breakGlassSessionId }),
    requestId: call.requestId,
    role: call.auth.role,
    deps: call.deps,
  };
  return { ctx, input, result: await command.run(ctx, input) };
}

/** Cockpit form fields → the body's JSON: empty fields are absent, numbers and booleans typed by the schema. */
export function bodyFromForm(command: AnyOperatorCommand, body: z.ZodType, fields: Record<string, string>) {
  if (command.fromForm) return validate(body, command.fromForm(fields));
  const shape = (body as z.ZodObject).shape;
  if (!shape) throw new AppError("internal", `${command.name} takes a body cockpit forms cannot send.`);
  const json: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(shape)) {
    const value = fields[key]?.trim();
    if (!value) continue;
    const type = baseType(schema as z.ZodType);
    json[key] = type === "number" ? Number(value) : type === "boolean" ? value === "true" : value;
  }
  return validate(body, json);
}

function baseType(schema: z.ZodType): string {
  let def = schema._zod.def as { type: string; innerType?: z.ZodType };
  while (def.innerType && ["optional", "default", "prefault", "nullable"].includes(def.type))
    def = def.innerType._zod.def as typeof def;
  return def.type;
}
