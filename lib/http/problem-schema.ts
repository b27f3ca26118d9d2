import { z } from "zod";
import { PROBLEMS, type ProblemCode } from "./errors";

// Apart from problem.ts: the proxy bundles problem.ts and stays free of zod.

/** The Problem+JSON body as a schema: the API description's shared Problem, and what tests check answers against. */
export const problemBodySchema = z
  .looseObject({
    type: z.string().describe("A URL naming the problem: `https://beacon.dev/problems/{code}`."),
    title: z.string(),
    status: z.int().min(400).max(599),
    code: z.enum(Object.keys(PROBLEMS) as [ProblemCode, ...ProblemCode[]]),
    detail: z.string().describe("What went wrong, in words meant for the person reading the log."),
    request_id: z.string().describe("Quote it when contacting support; the same as the `X-Request-Id` header."),
    errors: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .describe("Which fields are invalid (422) and why."),
  })
  .meta({ title: "Problem", description: "RFC 9457 problem details; other members may appear." });
