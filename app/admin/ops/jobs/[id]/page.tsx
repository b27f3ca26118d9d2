import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ActionButton } from "@/components/forms/action-button";
import { Badge, Card, CardBody, PageHeader } from "@/components/ui";
import { operatorCan, operatorContext } from "@/lib/auth";
import { requireOperator } from "@/lib/auth/next";
import { findFunction } from "@/inngest/functions";
import { cancelRefusal, getJobRun, presentJobRun } from "@/lib/jobs";
import { cockpitWriteStateFor } from "../../break-glass-cookie";
import { cancelJobRunAction, rerunJobAction } from "../../actions";
import { JOB_STATUS_TONE } from "../status-tone";
import { formatDateTime, formatTime } from "@/lib/format";

export const metadata: Metadata = { title: "Job run" };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export default async function JobRunPage({ params }: { params: Promise<{ id: string }> }) {
  const operator = await requireOperator("/admin/ops/jobs");
  const { id } = await params;
  if (!UUID.test(id)) notFound();
  const found = await getJobRun(operatorContext(operator), id);
  if (!found) notFound();
  const run = presentJobRun(found.run, { pii: operatorCan(operator.operatorRole, "ops:read_pii") });
  const { writable } = await cockpitWriteStateFor(operator.user.id);
  const canRerun = operatorCan(operator.operatorRole, "jobs:rerun") && writable;
  // Offered only when Inngest can actually stop it (running/retrying, run by Inngest, function listens for the cancel event).
  const cancelBlocked = cancelRefusal(found.run, findFunction(found.run.functionId));
  const canCancel = operatorCan(operator.operatorRole, "jobs:cancel") && writable && cancelBlocked === null;
  return (
    <>
      <PageHeader
        title={`${run.function_id} run`}
        description={`Run ${run.run_id} · ${run.trigger}${run.event_name ? ` · ${run.event_name}` : ""}`}
      />
      <div className="space-y-4">
        <Card>
          <CardBody className="space-y-2 text-sm">
            <p className="flex flex-wrap items-center gap-2">
              <Badge tone={JOB_STATUS_TONE[run.status] ?? "neutral"}>{run.status}</Badge>
              <span>attempt {run.attempt + 1}</span>
              <span className="text-slate-600">started {run.started_at ?? "—"}</span>
              <span className="text-slate-600">finished {run.finished_at ?? "—"}</span>
              <span className="tabular-nums">{run.duration_ms ?? "—"} ms</span>
            </p>
            {run.org_id ? (
              <p>
                Org <span className="font-mono">{run.org_id}</span>
              </p>
            ) : null}
            {run.rerun_of ? (
              <p>
                Re-run of{" "}
                <Link className="text-indigo-700 underline" href={`/admin/ops/jobs/${run.rerun_of}`}>
                  {run.rerun_of}
                </Link>
              </p>
            ) : null}
            {run.error ? (
              <pre className="whitespace-pre-wrap break-words rounded bg-red-50 p-2 text-xs text-red-900">
                {run.error}
              </pre>
            ) : null}
            <details>
              <summary className="cursor-pointer">Event payload and output</summary>
              <pre className="mt-1 overflow-x-auto whitespace-pre-wrap break-all rounded bg-slate-50 p-2 text-xs">
                {JSON.stringify({ event: run.event_payload, output: run.output }, null, 2)}
              </pre>
            </details>
            <div className="flex flex-wrap gap-2">
              {canRerun ? (
                <ActionButton action={rerunJobAction} fields={{ id: run.id }} variant="secondary">
                  Re-run
                </ActionButton>
              ) : null}
              {canCancel ? (
                <ActionButton action={cancelJobRunAction} fields={{ id: run.id }} variant="danger">
                  Cancel run
                </ActionButton>
              ) : null}
            </div>
            {cancelBlocked && (run.status === "running" || run.status === "retrying") ? (
              <p className="text-xs text-slate-600">Cannot be cancelled: {cancelBlocked}</p>
            ) : null}
            {found.reruns.length > 0 ? (
              <p>
                Re-runs:{" "}
                {found.reruns.map((r) => (
                  <Link key={r.id} className="mr-2 text-indigo-700 underline" href={`/admin/ops/jobs/${r.id}`}>
                    {r.status} {formatDateTime(r.createdAt, { seconds: true })}
                  </Link>
                ))}
              </p>
            ) : null}
          </CardBody>
        </Card>
        <h2 className="text-base font-semibold text-slate-900">Steps</h2>
        <ol className="divide-y divide-slate-100 rounded-lg bg-white text-sm ring-1 ring-slate-200">
          {found.events.map((e) => (
            <li key={e.id} className="flex flex-wrap gap-3 px-3 py-2" data-testid="job-event-row">
              <span className="text-slate-500">{formatTime(e.at, { milliseconds: true })}</span>
              <Badge tone={e.kind.endsWith("failed") ? "danger" : e.kind.endsWith("finished") ? "success" : "neutral"}>
                {e.kind}
              </Badge>
              <span className="font-mono text-xs">{e.stepId ?? ""}</span>
              <span className="text-slate-600">attempt {e.attempt + 1}</span>
              {e.durationMs !== null ? <span className="tabular-nums">{e.durationMs} ms</span> : null}
              {e.error ? <span className="w-full break-words text-red-700">{e.error}</span> : null}
            </li>
          ))}
        </ol>
      </div>
    </>
  );
}
