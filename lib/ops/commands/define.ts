import type { InngestFunction } from "inngest";
import type { z } from "zod";
import type { OperatorAction, OperatorRole, SignedInOperator } from "@/lib/auth";
import type { ServiceContext } from "@/lib/context";

/** What some commands need from outside lib: the registered Inngest functions and a way to send events. */
export interface CommandDeps {
  /** The registered functions (inngest/functions): lib never imports them itself. */
  functions: readonly InngestFunction.Any[];
  send: (event: { name: string; data: Record<string, unknown>; id: string }) => Promise<unknown>;
}

/**
 * What a command's handler gets, whichever edge (operator API, cockpit action) called it: the
 * operator's service context, its actor carrying the break-glass session a write was allowed
 * under (`operatorAuditActor(ctx.actor)` is who audit entries name; `inOrg(ctx, orgId)` is the
 * context of the customer a command acts on), plus the operator's role and the command's deps.
 */
export interface CommandContext extends ServiceContext<SignedInOperator> {
  readonly requestId: string;
  readonly role: OperatorRole;
  readonly deps: CommandDeps;
}

/** The operator API's answer to a command that succeeded (204: no body). */
export interface CommandAnswer {
  status?: number;
  body?: unknown;
}

type ParamsSchema = z.ZodObject;
type Output<S> = S extends z.ZodType ? z.output<S> : Record<never, never>;
export type CommandInput<P extends ParamsSchema, B extends z.ZodType | undefined> = z.output<P> & Output<B>;

export interface OperatorCommandSpec<P extends ParamsSchema, B extends z.ZodType | undefined, R> {
  /** Stable name, e.g. `dead-letters.replay`; a command set picks its commands by the part after the dot. */
  name: string;
  /** The operator permission it needs; may depend on the path (a flag's key, a customer action). */
  permission: OperatorAction | ((params: z.output<P>) => OperatorAction);
  /** Whether incident mode refuses it unless a break-glass session allows it. */
  writes: boolean | ((params: z.output<P>) => boolean);
  /** The audit action its handler records (the table test checks both edges write it). */
  audit: string;
  /** Path parameters (cockpit forms send them as fields of the same names); invalid → 404. */
  params: P;
  /** What a 404 for bad params names: "No such {notFound}." */
  notFound: string;
  /** The JSON body; a body schema that accepts `{}` may be left out. Without one the body is not read. */
  body?: B;
  /** Cockpit form fields → the body's JSON, when a form's flat strings are not simply the body's fields. */
  fromForm?: (fields: Record<string, string>) => unknown;
  run(ctx: CommandContext, input: CommandInput<P, B>): Promise<R>;
  /** The operator API's answer; by default 200 with the handler's result. */
  answer?(result: R, input: CommandInput<P, B>, ctx: CommandContext): CommandAnswer;
}

export interface OperatorCommand<
  P extends ParamsSchema = ParamsSchema,
  B extends z.ZodType | undefined = z.ZodType | undefined,
  R = unknown,
> extends OperatorCommandSpec<P, B, R> {
  answer(result: R, input: CommandInput<P, B>, ctx: CommandContext): CommandAnswer;
}

// Handlers take their own input types; stored side by side they are only ever called through
// the edges, which validate with the command's own schemas first.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyOperatorCommand = OperatorCommand<ParamsSchema, any, any>;

/** Declares an operator command once: both edges (API route, cockpit action) are generated from it. */
export function defineOperatorCommand<P extends ParamsSchema, R, B extends z.ZodType | undefined = undefined>(
  spec: OperatorCommandSpec<P, B, R>,
): OperatorCommand<P, B, R> {
  return { answer: (result) => ({ body: result }), ...spec };
}

/**
 * Several commands behind one route, chosen by a path parameter (`customers/{id}/actions/{action}`)
 * or, in the cockpit, the form field of the same name.
 */
export interface CommandSet {
  select: string;
  notFound: string;
  commands: Readonly<Record<string, AnyOperatorCommand>>;
}

export function defineCommandSet(select: string, notFound: string, commands: AnyOperatorCommand[]): CommandSet {
  return {
    select,
    notFound,
    commands: Object.fromEntries(commands.map((c) => [c.name.slice(c.name.indexOf(".") + 1), c])),
  };
}

export type CommandTarget = AnyOperatorCommand | CommandSet;

export function isCommandSet(target: CommandTarget): target is CommandSet {
  return "commands" in target;
}
