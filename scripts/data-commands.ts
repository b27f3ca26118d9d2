import { orgContext, systemActor, systemContext } from "@/lib/context";
import { AppError } from "@/lib/http";
import {
  processDataRequest,
  requestAndBuildExport,
  requestDataDeletion,
  toDataRequestView,
  getDataRequest,
} from "@/lib/retention";

type Flags = Record<string, string | undefined>;

/** Run at a terminal by whoever operates the installation; recorded as the system. */
const cliContext = (orgId: string) => orgContext(orgId, systemActor("retention"));

/** `data:export --org ID`: records the export and builds it now; prints the request (the bundle stays in the database, downloadable by owners). */
export async function dataExportCommand(flags: Flags, usage: string) {
  if (!flags.org) throw new AppError("validation_failed", `--org is required. Usage: ${usage}`);
  const { request, created } = await requestAndBuildExport(cliContext(flags.org));
  return { ...toDataRequestView(request), created };
}

/**
 * `data:delete --org ID --confirm-name NAME`: the same checks as an owner's request (exact name,
 * no live subscription), then processed here rather than by the background function.
 */
export async function dataDeleteCommand(flags: Flags, usage: string) {
  if (!flags.org) throw new AppError("validation_failed", `--org is required. Usage: ${usage}`);
  if (!flags["confirm-name"])
    throw new AppError(
      "validation_failed",
      `--confirm-name is required (the organisation's exact name). Usage: ${usage}`,
    );
  const { request, created } = await requestDataDeletion(cliContext(flags.org), {
    confirmName: flags["confirm-name"],
  });
  const run = systemContext(systemActor("retention"));
  const outcome = await processDataRequest(run, request.id);
  const stored = (await getDataRequest(run, request.id)) ?? request;
  return {
    ...toDataRequestView(stored),
    created,
    ...(outcome.status === "completed" ? { result: outcome.result } : {}),
  };
}
